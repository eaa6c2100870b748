"""What the read commands know of the tables is generated from the models: one definition."""
from pathlib import Path

import pytest

from workflow.storage.models import core_source, kinds_source

STORAGE = Path(__file__).resolve().parent.parent / "workflow" / "storage"


@pytest.mark.parametrize("name, source", [("tables.py", core_source), ("column_kinds.py", kinds_source)])
def test_the_read_commands_tables_are_generated_from_the_models(name, source):
    assert (STORAGE / name).read_text(encoding="utf-8") == source(), "ejecute `make tablas` y confirme el cambio"
