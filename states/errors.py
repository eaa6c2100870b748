"""The error an officer sees as a message, never as a traceback: the rule book raises it too (a call
file that does not describe a call), so it lives here and `workflow.errors` builds on it."""


def os_problem(exc: OSError) -> str:
    """Why a file could not be read or written, in Spanish (the system says it in English)."""
    if isinstance(exc, FileNotFoundError):
        return "no existe"
    if isinstance(exc, PermissionError):
        return "no hay permiso para usarlo"
    if isinstance(exc, IsADirectoryError):
        return "es una carpeta, no un archivo"
    return f"error del sistema ({exc.errno})"


class ConvocaError(Exception):
    """Any error the CLI shows as a message, never as a traceback."""

    exit_code = 1
