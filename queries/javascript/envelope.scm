; Reads of response fields: data.success, data.error.code, body['results'], res?.error.
(member_expression object: (_) @access.object property: (property_identifier) @access.key) @access
(subscript_expression object: (_) @access.object index: (string) @access.key) @access
