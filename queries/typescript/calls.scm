; Member calls: api.getResourceList(...), api?.getUser(...), with callbacks or promises.
(call_expression function: (member_expression object: (_) @call.receiver property: (property_identifier) @call.name)) @call
