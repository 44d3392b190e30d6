; Attribute calls: api.get_resource_list(...), api.getResourceList(...).
(call function: (attribute object: (_) @call.receiver attribute: (identifier) @call.name)) @call
