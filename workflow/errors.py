"""The errors an officer may see. Each carries a Spanish message that says what to do next."""


from states.errors import ConvocaError

__all__ = ["ConvocaError", "Refusal", "Rejected", "Undelivered", "Conflict", "NotFound"]


class Refusal(ConvocaError):
    """An event refused by the rules of the call; carries every reason, each with its source."""

    exit_code = 2

    def __init__(self, evento: str, codigo: str, motivos: list[str]):
        self.evento, self.codigo, self.motivos = evento, codigo, motivos
        lines = "\n".join(f"  - {m}" for m in motivos)
        super().__init__(f"Rechazado: {evento} en {codigo}\n{lines}")


class Rejected(ConvocaError):
    """A request refused before any rule of the call runs: an identity that does not match, a
    pinned clock on a production database, an instant in the future, input that is too long."""

    exit_code = 2


class Undelivered(ConvocaError):
    """Messages the mail server left undelivered: the command did its work, the e-mails did not go."""

    exit_code = 5


class Conflict(ConvocaError):
    """Someone else changed the case between reading and writing it (optimistic lock)."""

    exit_code = 3


class NotFound(ConvocaError):
    """An unknown case, event or call; the message lists the valid ones."""


def nearest(given: str, names: list[str]) -> str | None:
    """The name an officer most likely meant by a misspelt one (`declarar_aptaa`, `E062-001O`),
    as click does for a command: a suggestion, never a guess acted upon."""
    from difflib import get_close_matches

    found = get_close_matches(given, names, n=1, cutoff=0.6)
    return found[0] if found else None
