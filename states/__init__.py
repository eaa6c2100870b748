"""The lifecycle of a proposal declared as data: states, events, rules with their sources."""
