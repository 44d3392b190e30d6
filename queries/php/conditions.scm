; Conditions, where a copied success flag ($ok = $r['success']) is tested later.
(if_statement condition: (_) @condition)
(else_if_clause condition: (_) @condition)
(while_statement condition: (_) @condition)
(conditional_expression condition: (_) @condition)
