"""The engine: judges events against the rule book (`states/`) and commits each fact in one transaction."""
