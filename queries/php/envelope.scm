; Reads of response fields: $r['success'], $r->error->code, $r?->results.
(subscript_expression . (_) @access.object . [(string) (encapsed_string)] @access.key) @access
(member_access_expression object: (_) @access.object name: (name) @access.key) @access
(nullsafe_member_access_expression object: (_) @access.object name: (name) @access.key) @access
