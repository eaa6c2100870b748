"""The read commands print what they printed before they were moved onto SQLAlchemy Core: a golden
comparison over the demonstration. `golden/lecturas_demo.txt` was written by the last commit that
read through SQLModel's ORM (35a3d06), on its own demo database, with the same commands and clock;
since then changed only where a case became its dated history: `historial` numbers each row (the id
`rectificar` and `anular` take), its JSON says which row a row corrects and which corrected it, and
each event of `ver --json` says whether it leaves from the case's state (`desde_este_estado`), and each
deadline says its call (`convocatoria`: a database may hold several). The demo holds ANDE-BPD-2025
too: `listar` and `plazos` read E062's cases (`--convocatoria`), and the listing's title names the
call; nothing else of E062's readings moved. Later, a rule the import judges was added (Bases §2.2.1,
a régimen the entity's type can have): the import's audit row cites it; and a right to ask for an
extension left unused past its date reads «caducado» / «caducó … (no se usó)» instead of «vencido»."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli import convoca
from tests.conftest import ON_POSTGRES

GOLDEN = Path(__file__).resolve().parent / "golden" / "lecturas_demo.txt"
COMMANDS = (["listar", "--convocatoria", "E062-2019-01"], ["plazos", "--convocatoria", "E062-2019-01"],
            ["ver", "E062-0002"], ["ver", "E062-0010"], ["ver", "E062-0010", "--json"])
INSTANT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}")
"""Registration instants: the real clock of the run that made the database."""


@pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")
def test_ver_listar_and_plazos_print_what_they_printed_through_the_orm(demo_db: Path):
    env = {"CONVOCA_DB": str(demo_db), "CONVOCA_AHORA": "2020-06-01T09:00", "COLUMNS": "120"}
    shown = "\n".join(f"$ convoca {' '.join(args)}\n" + INSTANT.sub("INSTANTE", convoca(*args, env=env).out)
                      for args in COMMANDS)
    assert shown == GOLDEN.read_text(encoding="utf-8")
