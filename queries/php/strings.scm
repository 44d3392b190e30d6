; Every string literal: URLs, operation names used as data, header and parameter names.
[(string) (encapsed_string) (heredoc) (nowdoc)] @string
