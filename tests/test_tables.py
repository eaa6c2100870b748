"""The Core tables the read commands use are the models' own, generated: one definition."""
from pathlib import Path

from workflow.storage.models import core_source


def test_core_tables_are_generated_from_the_models():
    generated = Path(__file__).resolve().parent.parent / "workflow" / "storage" / "tables.py"
    assert generated.read_text(encoding="utf-8") == core_source(), "ejecute `make tablas` y confirme el cambio"
