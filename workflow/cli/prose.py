"""What convoca says in sentences (not tables), wrapped between words at the reader's width.

On a terminal its width; piped, the width `COLUMNS` gives, or none: a line as long as it needs, so
that `grep` finds a sentence whole. A word longer than the width (a path, a hash) is never cut.
"""
from __future__ import annotations

import os
import shutil
import sys
import textwrap

import typer


def width(err: bool = False) -> int | None:
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size().columns if (sys.stderr if err else sys.stdout).isatty() else None


def wrapped(text: str, columns: int | None) -> str:
    """Each line folded at `columns` between words, its continuation under its own indentation."""
    if columns is None:
        return text
    out = []
    for line in text.splitlines() or [""]:
        indent = line[:len(line) - len(line.lstrip())]
        out.append(textwrap.fill(line, columns, subsequent_indent=indent, break_long_words=False,
                                 break_on_hyphens=False) if len(line) > columns else line)
    return "\n".join(out)


def say(text: object, err: bool = False) -> None:
    typer.echo(wrapped(str(text), width(err)), err=err)
