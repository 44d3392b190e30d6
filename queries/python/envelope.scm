; Reads of response fields: resp.success, resp.error['code'], body["results"], body.get("success").
(attribute object: (_) @access.object attribute: (identifier) @access.key) @access
(subscript value: (_) @access.object subscript: (string) @access.key) @access
(call
  function: (attribute object: (_) @access.object attribute: (identifier) @_get (#eq? @_get "get"))
  arguments: (argument_list . (string) @access.key)) @access
