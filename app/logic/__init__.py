"""Pure rules over answers: the expression language and answer-value checks. No I/O."""
