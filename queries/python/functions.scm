; The project's own functions and their call sites, to report calls of wrappers around v1.x operations.
(function_definition name: (identifier) @function.name) @function
(call function: (identifier) @call.name) @call
