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


PEQUENO = 4 * 2 ** 20
"""The most a file of settings, a call or an acta may hold (4 MB): each is a page of text."""


def small_text(path, limit: int = PEQUENO) -> str:
    """The UTF-8 text of a small file, read no further than `limit`: a device (`/dev/zero`), a pipe
    or a file that keeps growing is refused, never read to the end. OSError passes (say it with
    `os_problem`); anything else that is not such a file is a ValueError in Spanish."""
    import stat
    from pathlib import Path

    path = Path(path)
    if not stat.S_ISREG(path.stat().st_mode):
        raise ValueError("no es un archivo común (es un dispositivo, una tubería o una carpeta)")
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"pasa de {limit // 2 ** 20} MB, y un archivo así es una página de texto")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("no es texto UTF-8") from None


class ConvocaError(Exception):
    """Any error the CLI shows as a message, never as a traceback."""

    exit_code = 1
