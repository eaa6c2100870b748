"""Text clean at the door and harmless on the way out: a control character (an escape, a NUL, a line
break where none belongs) is refused in what officers type or import, and written as its escape in
whatever is shown, so that nothing a terminal or a spreadsheet would act on ever reaches them."""
from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Characters a terminal or a spreadsheet would act on (escapes, NUL, line breaks): never in a
code, a name, an address or a datum."""
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""In a note or a free text, tab and line feed are allowed; nothing else of the kind."""


def visible(text: str, lines: bool = False) -> str:
    """Text as it may be shown anywhere: each control character written as its escape (`lines`: line
    feeds and tabs kept, for a cell of several lines)."""
    return (CONTROL_IN_TEXT if lines else CONTROL).sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def control_problem(name: str, value: Any, free_text: bool = False) -> str | None:
    """The refusal of a value that carries a control character, naming the field and the character."""
    if not isinstance(value, str):
        return None
    found = (CONTROL_IN_TEXT if free_text else CONTROL).search(value)
    if found:
        return f"'{name}' contiene un carácter de control (U+{ord(found.group()):04X}), que no se admite"
    return None
