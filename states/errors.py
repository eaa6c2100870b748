"""The error an officer sees as a message, never as a traceback: the rule book raises it too (a call
file that does not describe a call), so it lives here and `workflow.errors` builds on it."""


class ConvocaError(Exception):
    """Any error the CLI shows as a message, never as a traceback."""

    exit_code = 1
