"""«Dónde vive cada regla» (docs/arquitectura.md) is the rule book itself: the table is generated from the
declarations of `states/` (every rule of every event, every deadline kind) and must match, so it
cannot drift from the code. `python -m tests.test_rule_table` rewrites it."""
from __future__ import annotations

import inspect
from pathlib import Path

from states.books import load_call
from states.call import DEFAULT_CALL
from states.definition import label
from states.pct_2019.informe import INFORME
from states.pct_2019.lifecycle import CICLO
from states.pct_2019.plazos import PLAZOS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "arquitectura.md"
TITLE = "## Dónde vive cada regla"


def _where(fn) -> str:
    """The file and function that judge a rule; a rule made by a factory (`fact_is`) says so."""
    module = inspect.getmodule(fn)
    path = Path(module.__file__).resolve().relative_to(ROOT).as_posix()
    outer = fn.__qualname__.split(".<locals>")[0]
    return f"`{path}` `{outer}` → `{fn.__name__}`" if outer != fn.__qualname__ else f"`{path}` `{fn.__name__}`"


def table() -> str:
    call = load_call(DEFAULT_CALL)[0]
    rows: dict[tuple[str, str, str], list[str]] = {}
    for ev in CICLO.eventos:
        steps = [t for t in INFORME.event(ev.informe[1]).transiciones] if ev.informe else []
        for t in (*ev.transiciones, *steps):
            for rule in t.reglas:
                key = (rule.fuente, label(rule.requisito, call), _where(rule.check))
                rows.setdefault(key, [])
                if ev.nombre not in rows[key]:
                    rows[key].append(ev.nombre)
    lines = ["| Fuente | Regla | Eventos | Dónde |", "|---|---|---|---|"]
    lines += [f"| {f} | {r} | {', '.join(f'`{e}`' for e in evs)} | {w} |" for (f, r, w), evs in rows.items()]
    lines += ["", "| Plazo | Qué | Fuente | Abre | Cierra | Al vencer |", "|---|---|---|---|---|---|"]
    lines += [f"| {k.tipo} | {k.titulo} | {k.fuente} | {', '.join(k.abre)} | {', '.join(k.cierra)} | {k.consecuencia} |"
              for k in PLAZOS]
    return "\n".join(lines)


def section(text: str) -> str:
    return text.split(f"\n{TITLE}\n", 1)[1].split("\n## ", 1)[0]


def test_the_documented_rule_table_is_the_rule_book():
    assert table() in section(DOC.read_text(encoding="utf-8"))


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    old = section(text)
    intro = old.split("| Fuente |", 1)[0]
    rest = old.split(table().splitlines()[-1], 1)[1] if table().splitlines()[-1] in old else "\n"
    DOC.write_text(text.replace(old, intro + table() + rest), encoding="utf-8")
