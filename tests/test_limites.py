"""Files that would exhaust the machine are refused before they are read whole: each in under 5 s
and 300 MB, in Spanish, naming the limit and the setting that sets it, with nothing written."""
from __future__ import annotations

import os
import resource
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from states.historia import write_csv
from states.pct_2019.demo_data import proposals
from tests.cli import convoca
from tests.test_cli import CONVOCA


def env(url: str, **extra: str) -> dict[str, str]:
    return {**os.environ, "CONVOCA_DB": url, "CONVOCA_AHORA": "2020-12-31T10:00", "CONVOCA_USUARIO": "admin", **extra}


def refused_quickly(url: str, *args: str) -> subprocess.CompletedProcess:
    """The real process, timed and measured: its peak memory is read from the kernel afterwards."""
    start = time.monotonic()
    done = subprocess.run([CONVOCA, *args], env=env(url), capture_output=True, text=True, timeout=30)
    took = time.monotonic() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert done.returncode != 0 and took < 5 and peak_mb < 300, (done.returncode, took, peak_mb, done.stderr)
    assert "Traceback" not in done.stderr and "Error interno" not in done.stderr, done.stderr
    return done


def test_a_pipe_or_a_device_is_refused_at_once(db_url: str, tmp_path: Path):
    fifo = tmp_path / "tuberia.csv"
    os.mkfifo(fifo)
    assert "no es un archivo común" in refused_quickly(db_url, "lote", str(fifo)).stderr
    assert "no es un archivo común" in refused_quickly(db_url, "importar", "/dev/zero").stderr


def test_a_file_over_the_size_limit_is_refused_naming_the_setting(db_url: str, tmp_path: Path):
    assert convoca("ajustes", "fijar", "max_archivo_mb", "1", env=env(db_url)).code == 0
    big = tmp_path / "grande.csv"
    big.write_text("codigo,evento,nota\n" + "E062-0001,registrar_visita,x\n" * 80_000, encoding="utf-8")
    done = refused_quickly(db_url, "lote", str(big))
    assert done.returncode == 2 and "supera el límite de 1 MB (ajuste max_archivo_mb" in done.stderr


def test_a_spreadsheet_that_unpacks_to_gigabytes_is_refused_before_it_is_unpacked(db_url: str, tmp_path: Path):
    bomb = tmp_path / "bomba.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"<c><v>" + b"9" * (2 ** 20) + b"</v></c>"
            for _ in range(300):  # 300 MB unpacked; a few hundred KB packed
                f.write(chunk)
    assert bomb.stat().st_size < 5 * 2 ** 20
    done = refused_quickly(db_url, "lote", str(bomb))
    assert done.returncode == 2 and "(ajuste max_descomprimido_mb" in done.stderr


@pytest.mark.parametrize(("clave", "valor", "cambio", "mensaje"), [
    ("max_filas", "10", lambda rows: rows, "supera el límite de 10 filas"),
    ("max_celda", "100", lambda rows: [{**rows[0], "titulo": "x" * 1000}, *rows[1:]], "1000 caracteres y supera"),
])
def test_rows_and_cells_over_their_limits_are_refused(db_url: str, tmp_path: Path, clave, valor, cambio, mensaje):
    assert convoca("ajustes", "fijar", clave, valor, env=env(db_url)).code == 0
    path = write_csv(cambio(proposals(20)), tmp_path / "p.csv")
    done = refused_quickly(db_url, "importar", str(path), "--usuario", "mesa")
    assert done.returncode == 2 and mensaje in done.stderr and f"ajuste {clave}" in done.stderr


def test_a_json_nested_a_hundred_thousand_deep_is_said_in_spanish(db_url: str, tmp_path: Path):
    deep = tmp_path / "hondo.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    done = refused_quickly(db_url, "importar", str(deep), "--usuario", "mesa")
    assert "el JSON anida listas u objetos a una profundidad que no se lee" in done.stderr


def test_a_million_row_file_is_refused_before_its_rows_are_built(db_url: str, tmp_path: Path):
    path = tmp_path / "millon.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("codigo,evento,nota\n")
        f.writelines("E062-0001,registrar_visita,x\n" for _ in range(1_000_000))
    done = refused_quickly(db_url, "lote", str(path))
    assert done.returncode == 2 and "(ajuste max_filas" in done.stderr


def test_a_long_csv_cell_and_a_5000_digit_number_are_said_in_spanish(walker, db_url: str, tmp_path: Path):
    rows = proposals(3)
    rows[0]["titulo"] = "x" * 200_000  # beyond the csv module's own limit, in English
    done = refused_quickly(db_url, "importar", str(write_csv(rows, tmp_path / "p.csv")), "--usuario", "mesa")
    assert "200000 caracteres y supera el límite" in done.stderr and "field larger" not in done.stderr
    walker.to("E062-0001", "apta")
    number = convoca("avanzar", "E062-0001", "evaluar", "--dato", "presencia=" + "9" * 5000, "--dato", "relevancia=4",
                     "--dato", "inventivo=4", "--usuario", "evaluador", env=env(db_url))
    assert number.code == 2 and "'presencia' tiene 5000 caracteres" in number.err and "Error interno" not in number.err


def test_a_full_disk_is_said_in_spanish_and_writes_nothing(walker, db_url: str, session):
    """SQLite's own limit on pages stands for a full disk: the same error, from the same place."""
    from sqlalchemy import event, func, select
    from sqlmodel import Session

    from tests.conftest import CLOCK
    from workflow.engine.cases import Request, apply
    from workflow.storage.db import connect, spoken
    from workflow.storage.models import AuditRecord

    if not db_url.startswith("sqlite"):
        pytest.skip("the page limit is SQLite's")
    walker.to("E062-0001", "hitos")
    engine = connect(db_url)

    @event.listens_for(engine, "connect")
    def full(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    failure = None
    with Session(engine) as s:
        for _ in range(500):  # what fits still fits, until the "disk" is full
            s.rollback()
            rows = s.execute(select(func.count()).select_from(AuditRecord)).scalar_one()
            try:
                apply(s, [Request("E062-0001", "registrar_visita", {"anunciada": "si", "acta": "x" * 3000},
                                  "monitor", None)], CLOCK)
            except Exception as exc:  # noqa: BLE001 (the failure under test)
                failure = exc
                s.rollback()
                break
        after = s.execute(select(func.count()).select_from(AuditRecord)).scalar_one()
    engine.dispose()
    said = spoken(failure)
    assert said is not None and "El disco de la base de datos está lleno" in str(said)
    assert after == rows  # the event that did not fit left nothing behind


def test_a_device_or_a_huge_file_as_acta_call_file_or_smtp_file_is_refused_without_reading_it(db_url: str,
                                                                                                tmp_path: Path):
    """/dev/zero never ends: read whole it would fill the memory. Each small file convoca reads (an
    acta, a call file, the SMTP settings) is refused at once, in Spanish, with nothing written."""
    director = {**env(db_url), "CONVOCA_USUARIO": "direccion"}
    done = subprocess.run([CONVOCA, "seleccionar", "--publicar", "--resolucion", "RDE 1", "--acta", "/dev/zero"],
                          env=director, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "El acta /dev/zero no es un archivo común" in done.stderr, done.stderr
    assert "no es un archivo común" in refused_quickly(db_url, "init", "--convocatoria", "/dev/zero").stderr
    huge = tmp_path / "convocatoria.toml"
    with huge.open("wb") as f:
        f.truncate(5 * 2 ** 20)  # 5 MB of nothing, sparse: over the 4 MB of a page of text
    assert "pasa de 4 MB" in refused_quickly(db_url, "init", "--convocatoria", str(huge)).stderr
    smtp = subprocess.run([CONVOCA, "correos", "enviar"], env={**env(db_url), "CONVOCA_SMTP_ARCHIVO": "/dev/zero"},
                          capture_output=True, text=True, timeout=30)
    assert smtp.returncode != 0 and "La configuración SMTP /dev/zero no es un archivo común" in smtp.stderr, smtp.stderr
