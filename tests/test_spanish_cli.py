"""Every word the CLI prints is Spanish, whatever the machine's locale: typer's and click's own words
included (usage, headings, the help option, usage errors)."""
from __future__ import annotations

import os
import subprocess

import pytest

from tests.cli import convoca
from tests.test_cli import CONVOCA

ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "[required]", "Error: No such",
           "Missing argument", "Try '", "Invalid value", "Input should be")


@pytest.mark.parametrize("args", [["--help"], ["avanzar", "--help"], ["correos", "--help"],
                                  ["usuarios", "agregar", "--help"], ["auditoria", "verificar", "--help"]])
def test_help_has_no_english_heading(args):
    done = convoca(*args)
    assert done.code == 0 and "Uso: convoca" in done.out and "Muestra esta ayuda y sale." in done.out
    assert not [w for w in ENGLISH if w in done.out], done.out


@pytest.mark.parametrize(("args", "message"), [
    (["nada"], "Error: No existe el comando «nada»."),
    (["avanzar"], "Error: Falta el argumento «CODIGO»."),
    (["listar", "--pagina", "x"], "Valor inválido para '--pagina': debe ser un número entero."),
    (["listar", "--nada"], "Error: No existe la opción --nada."),
    (["lsitar"], "Error: No existe el comando «lsitar». ¿Quiso decir «listar» o «asignar»?"),
    (["listar", "--cso"], "Error: No existe la opción --cso. ¿Quiso decir «--csv», «--estado» o «--json»?"),
])
def test_usage_errors_are_spanish_with_exit_2(args, message):
    done = convoca(*args)
    assert done.code == 2 and message in done.err and "Pruebe «convoca" in done.err
    assert not [w for w in ENGLISH if w in done.err], done.err


def test_the_installed_script_speaks_spanish_under_the_c_locale():
    done = subprocess.run([CONVOCA, "nada"], capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"})
    assert done.returncode == 2 and "No existe el comando «nada»." in done.stderr and "Usage" not in done.stderr


def test_piped_listings_never_cut_a_code_a_date_or_an_amount(db_url: str, walker):
    """Piped (not a terminal), even with COLUMNS=80, a listing keeps whole lines."""
    c = walker.to("E062-0001", "hitos")
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00", "COLUMNS": "80"}
    listed = convoca("listar", env=env).out
    assert "E062-0001" in listed and "…" not in listed
    audit = convoca("auditoria", "--caso", c, env=env).out
    assert "…" not in audit and "2019-10-25" in audit and "registrar_elegibilidad" in audit
    assert "-05:00" in audit  # registration instants in Lima, with their offset
    shown = convoca("ver", c, env=env).out
    assert "…" not in shown and "2020-02-16" in shown and "True" not in shown and "['" not in shown
    assert "…" not in convoca("correos", env=env).out


@pytest.mark.parametrize("args", [["listar"], ["plazos"], ["registro"], ["correos"], ["usuarios", "listar"],
                                  ["historial", "E062-0001"], ["seleccionar"], ["calendario", "2020"],
                                  ["auditoria"]])
def test_every_listing_has_json_and_csv(db_url: str, walker, args):
    import csv as csv_module
    import io
    import json

    walker.to("E062-0001", "evaluada")
    env = {"CONVOCA_DB": db_url, "CONVOCA_AHORA": "2020-12-31T10:00"}
    as_json = convoca(*args, "--json", env=env)
    assert as_json.code == 0 and json.loads(as_json.out) is not None
    as_csv = convoca(*args, "--csv", env=env)
    assert as_csv.code == 0 and as_csv.out.startswith("\ufeff")
    table = list(csv_module.reader(io.StringIO(as_csv.out.lstrip("\ufeff"))))
    assert table[0][0] == "base" and all(row[0] == "ENSAYO" for row in table[1:])  # a rehearsal database


def test_short_help_and_the_version():
    assert convoca("-h").out == convoca("--help").out
    assert convoca("plazos", "-h").out == convoca("plazos", "--help").out and "--mios" in convoca("plazos", "-h").out
    from importlib.metadata import version

    assert convoca("--version").out == f"convoca {version('convoca')}\n"
