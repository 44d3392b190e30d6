; Every string literal, f-strings included.
(string) @string
