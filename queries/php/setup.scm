; SDK client construction, imports, and assignments (to follow a client into a variable).
(object_creation_expression [(name) (qualified_name)] @new.class) @new
(namespace_use_clause [(name) (qualified_name)] @import.module) @import
(include_expression (_) @import.module) @import
(include_once_expression (_) @import.module) @import
(require_expression (_) @import.module) @import
(require_once_expression (_) @import.module) @import
(assignment_expression left: (_) @assign.left right: (_) @assign.right) @assign
