; Client construction (a call of a capitalised name), imports, assignments.
(call function: [(identifier) @new.class (attribute attribute: (identifier) @new.class)] (#match? @new.class "^[A-Z]")) @new
(import_statement name: (dotted_name) @import.module) @import
(import_statement name: (aliased_import name: (dotted_name) @import.module)) @import
(import_from_statement module_name: (dotted_name) @import.module) @import
(assignment left: (_) @assign.left right: (_) @assign.right) @assign
