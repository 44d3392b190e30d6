; Conditions, where a copied success flag (const ok = data.success) is tested later.
(if_statement condition: (_) @condition)
(while_statement condition: (_) @condition)
(ternary_expression condition: (_) @condition)
