; Every string and template literal.
[(string) (template_string)] @string
