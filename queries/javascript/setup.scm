; Client construction, imports and require(), object keys, assignments.
(new_expression constructor: (_) @new.class) @new
(import_statement source: (string) @import.module) @import
(call_expression function: (identifier) @_require (#eq? @_require "require") arguments: (arguments . (string) @import.module)) @import
(pair key: (property_identifier) @key)
(variable_declarator name: (_) @assign.left value: (_) @assign.right) @assign
(assignment_expression left: (_) @assign.left right: (_) @assign.right) @assign
