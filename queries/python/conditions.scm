; Conditions, where a copied success flag (ok = resp.success) is tested later.
(if_statement condition: (_) @condition)
(elif_clause condition: (_) @condition)
(while_statement condition: (_) @condition)
(conditional_expression (_) . "if" . (_) @condition)
(assert_statement . (_) @condition)
