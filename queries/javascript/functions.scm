; The project's own functions and their call sites, to report calls of wrappers around v1.x operations.
(function_declaration name: (identifier) @function.name) @function
(method_definition name: (property_identifier) @function.name) @function
(variable_declarator name: (identifier) @function.name value: [(arrow_function) (function_expression)]) @function
(call_expression function: (identifier) @call.name) @call
