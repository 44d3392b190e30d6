; The project's own functions and their call sites, to report calls of wrappers around v1.x operations.
(function_definition name: (name) @function.name) @function
(method_declaration name: (name) @function.name) @function
(function_call_expression function: (name) @call.name) @call
