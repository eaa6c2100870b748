"""Rendering a message from its Jinja2 pair in `templates/`: plain text and an HTML alternative.

The subject is a `{% set asunto = ... %}` at the top of the text template; it is flattened to one
line so a coordinator's name with a line break can never add a header.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from states.books import declared_messages, message_kinds
from states.definition import CITA, DefinitionError
from states.mensajes import Mensaje
from states.plural import dias

TEMPLATES = Path(str(files("templates")))
"""The top-level `templates/` folder, shipped in the wheel as a package of data."""
KINDS = message_kinds()
"""The kinds the registered books and the installation declare; each must have its pair of templates."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _fecha(d) -> str:
    """dd/mm/aaaa, from a date or from the ISO text a stored letter keeps."""
    from datetime import date

    if isinstance(d, str):
        try:
            d = date.fromisoformat(d[:10])
        except ValueError:
            return d
    return d.strftime("%d/%m/%Y") if hasattr(d, "strftime") else str(d)


@lru_cache(maxsize=1)
def _environments():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    loader = FileSystemLoader(TEMPLATES)
    # The templates ship with the package and do not change while a command runs: no stat of each
    # file (and of its base and includes) on every message rendered.
    text = Environment(loader=loader, autoescape=False, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    html = Environment(loader=loader, autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, auto_reload=False)
    for env in (text, html):
        env.filters["fecha"] = _fecha
        env.filters["dias"] = dias
    return text, html


def one_line(value: str) -> str:
    return _CONTROL.sub(" ", value).strip()


def render(declared: Mensaje, context: dict, base: str = "_base.html.j2") -> tuple[str, str, str]:
    """(subject, text, html) of a message of a declared kind (its book's declaration gives the sources
    it cites); `base` is the page around the HTML body: the e-mail's, or the printed letter's
    (`_carta.html.j2`), from the same template."""
    kind = declared.tipo
    text_env, html_env = _environments()
    context = {**context, "fuente": declared.fuente, "citas": dict(declared.citas)}
    name = f"{declared.plantillas}{kind}"
    module = text_env.get_template(f"{name}.txt.j2").make_module(context)  # one render: body and subject
    text, subject = str(module), one_line(str(module.asunto))
    html = html_env.get_template(f"{name}.html.j2").render(context, asunto=subject, base=base)
    return subject, text, html


def check() -> None:
    """Every declared kind of message has its text and HTML templates: checked when this loads."""
    missing = sorted({f"{m.plantillas}{m.tipo}.{part}.j2" for m in declared_messages() for part in ("txt", "html")
                      if not (TEMPLATES / f"{m.plantillas}{m.tipo}.{part}.j2").is_file()})
    if missing:
        raise DefinitionError(f"faltan plantillas en {TEMPLATES}: {', '.join(missing)}")
    citing = [str(p.relative_to(TEMPLATES)) for p in sorted(TEMPLATES.rglob("*.j2"))
              if CITA.search(p.read_text(encoding="utf-8"))]
    if citing:
        raise DefinitionError(f"plantillas que escriben una fuente en vez de tomarla del mensaje declarado "
                              f"({{{{ fuente }}}}, {{{{ citas.… }}}}): {', '.join(citing)}")


check()
