"""The e-mail templates (a Jinja2 pair per kind of message), shipped with the package as data."""
