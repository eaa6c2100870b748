"""`convoca lote` and the spreadsheets around it: the UES's checklist, INDECOPI's fichas, templates,
typed exports. Every file is written the way an officer's spreadsheet would be (openpyxl, typed cells)."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlmodel import Session

from states.pct_2019.demo_data import eligibility_facts, proposals
from states.pct_2019.lifecycle import CICLO
from tests.cli import convoca
from tests.conftest import CLOCK, import_rows, snapshot
from workflow.engine.bulk import run_file
from workflow.storage.db import connect
from workflow.storage.models import AuditRecord, CaseRecord

AHORA = CLOCK.now().strftime("%Y-%m-%dT%H:%M")
CHECKLIST_DAY = date(2019, 10, 25)
FICHA_DAY = date(2019, 11, 8)


@pytest.fixture
def call_db(db_url: str, tmp_path: Path):
    """40 proposals imported; the 30 first without a defect are the ones the files speak of."""
    import_rows(db_url, proposals(40), tmp_path)
    engine = connect(db_url)
    with Session(engine) as s:
        rows = s.execute(select(CaseRecord.codigo, CaseRecord.hechos).order_by(CaseRecord.codigo)).all()
    engine.dispose()
    clean = [c for c, h in rows if not h["postulacion"].get("defectos")]
    assert len(clean) >= 30
    return db_url, clean[:30]


def run(url: str, *args: str, usuario: str = "ana"):
    return convoca(*args, env={"CONVOCA_DB": url, "CONVOCA_AHORA": AHORA, "CONVOCA_USUARIO": usuario})


def sheet(path: Path, header: list[str], rows: list[list]) -> Path:
    book = Workbook()
    book.active.append(header)
    for r in rows:
        book.active.append(r)
    book.save(path)
    return path


def typed(value: str):
    """A fact as a spreadsheet holds it: sí/no as booleans, dates as dates."""
    if value in ("si", "no"):
        return value == "si"
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def checklist(folder: Path, codes: list[str], **overrides) -> Path:
    """The UES's checklist: one row of requirements per case, then a `declarar_apta` row for each.
    Documents are named relative to the spreadsheet's folder, as an officer keeps them beside it."""
    facts = eligibility_facts(**overrides)
    for name in ("anexo_1", "anexo_2", "documento_tecnico", "cv_cti_vitae"):
        source = Path(facts[name])
        (folder / source.name).write_bytes(source.read_bytes())
        facts[name] = source.name
    header = ["codigo", "evento", "fecha", "nota", *facts]
    rows = [[c, "registrar_elegibilidad", CHECKLIST_DAY, None, *map(typed, facts.values())] for c in codes]
    rows += [[c, "declarar_apta", CHECKLIST_DAY, "lista de verificación"] for c in codes]
    return sheet(folder / "checklist.xlsx", header, rows)


def grades(i: int) -> list:
    """Thirty fichas with different verdicts: approved, failed, one excluded (presencia 0)."""
    return [5 - i % 3, 4 - i % 4, 3 + i % 2] if i != 7 else [0, 4, 4]


def fichas(folder: Path, codes: list[str], bad_row: int | None = None) -> Path:
    header = ["codigo", "fecha", "presencia", "relevancia", "inventivo", "comentarios"]
    rows = [[c, FICHA_DAY, *grades(i), f"ficha {i + 1}"] for i, c in enumerate(codes)]
    if bad_row:
        rows[bad_row - 2][2] = 9  # the spreadsheet's row number: the header is row 1
    return sheet(folder / "fichas.xlsx", header, rows)


def states(url: str, codes: list[str]) -> dict[str, str]:
    engine = connect(url)
    with Session(engine) as s:
        out = dict(s.execute(select(CaseRecord.codigo, CaseRecord.estado).where(CaseRecord.codigo.in_(codes))).all())
    engine.dispose()
    return out


def made_apta(url: str, folder: Path, codes: list[str]) -> None:
    done = run(url, "elegibilidad", "--archivo", str(checklist(folder, codes)))
    assert done.code == 0, done.err


def test_a_checklist_then_declarar_apta_rows_in_the_same_file(call_db, tmp_path: Path):
    url, codes = call_db
    path = checklist(tmp_path, codes)
    done = run(url, "elegibilidad", "--archivo", str(path))
    assert done.code == 0, done.err
    assert set(states(url, codes).values()) == {"apta"}
    assert done.out.startswith("Guardado: 60 filas en una transacción (auditoría ")
    assert "procede: Postulada → Apta" in done.out
    engine = connect(url)
    with Session(engine) as s:
        hechos = s.execute(select(CaseRecord.hechos).where(CaseRecord.codigo == codes[0])).scalar_one()
        apta = s.execute(select(AuditRecord).where(AuditRecord.codigo == codes[0],
                                                   AuditRecord.evento == "declarar_apta")).scalar_one()
    engine.dispose()
    assert hechos["elegibilidad"]["anexo_1"] == "anexo1.pdf" and len(hechos["elegibilidad"]["anexo_1_sha256"]) == 64
    assert hechos["elegibilidad"]["ruc_activo"] is True  # a typed TRUE cell, taken as sí
    assert apta.usuario == "ana" and apta.nota == "lista de verificación" and apta.fecha_efectiva == CHECKLIST_DAY


def test_thirty_fichas_dry_run_matches_the_real_run_row_by_row(call_db, tmp_path: Path):
    url, codes = call_db
    made_apta(url, tmp_path, codes)
    path = fichas(tmp_path, codes)
    engine = connect(url)
    with Session(engine) as s:
        before = snapshot(s)
        dry = run_file(s, path, "evaluador", CLOCK, simular=True, evento="evaluar")
        assert snapshot(s) == before  # the dry run wrote nothing
        real = run_file(s, path, "evaluador", CLOCK, simular=False, evento="evaluar")
    engine.dispose()
    shown = [(r.fila, r.codigo, r.outcome.origen, r.outcome.destino, r.outcome.motivos) for r in dry.rows]
    assert shown == [(r.fila, r.codigo, r.outcome.origen, r.outcome.destino, r.outcome.motivos) for r in real.rows]
    assert [r[0] for r in shown] == list(range(2, 32)) and {r[3] for r in shown} == {"evaluada"}
    assert states(url, codes) == {r.codigo: r.outcome.destino for r in real.rows}


def test_the_cli_dry_run_and_the_real_run_print_the_same_rows(call_db, tmp_path: Path):
    url, codes = call_db
    made_apta(url, tmp_path, codes)
    path = fichas(tmp_path, codes)
    dry = run(url, "evaluar", "--archivo", str(path), "--simular", usuario="evaluador")
    assert dry.code == 0 and "Simulación: 30 filas proceden, 0 rechazadas. No se escribió nada" in dry.out
    assert set(states(url, codes).values()) == {"apta"}
    real = run(url, "lote", str(path), usuario="evaluador")
    assert real.code == 2 and "faltan columnas: evento" in real.err  # lote needs the event column
    real = run(url, "evaluar", "--archivo", str(path), usuario="evaluador")
    assert real.code == 0, real.err

    def rows(out: str) -> list[str]:
        return [line for line in out.splitlines() if line.startswith("│")]

    assert rows(dry.out) == rows(real.out) and len(rows(real.out)) == 30
    assert set(states(url, codes).values()) == {"evaluada"}


def test_a_file_whose_17th_row_breaks_a_rule_writes_nothing_and_names_it(call_db, tmp_path: Path):
    url, codes = call_db
    made_apta(url, tmp_path, codes)
    engine = connect(url)
    with Session(engine) as s:
        before = snapshot(s)
    done = run(url, "evaluar", "--archivo", str(fichas(tmp_path, codes, bad_row=17)), usuario="evaluador")
    assert done.code == 2
    assert f"fila 17 ({codes[15]}, evaluar): Bases §4.1.2.1" in done.err and "presencia = 9" in done.err
    assert "No se escribió nada: 1 de 30 filas rechazadas" in done.err
    with Session(engine) as s:
        assert snapshot(s) == before
        refused = s.execute(select(AuditRecord).where(AuditRecord.aceptado.is_(False))).scalars().all()
    engine.dispose()
    assert [(a.codigo, a.evento) for a in refused] == [(codes[15], "evaluar")]  # the attempt is logged, as ever


def test_rows_refused_for_what_they_name_are_all_listed(call_db, tmp_path: Path):
    url, codes = call_db
    path = sheet(tmp_path / "mal.xlsx", ["codigo", "evento", "fecha", "presencia"], [
        ["E062-9999", "evaluar", FICHA_DAY, 4],
        [codes[0], "evaluacion", FICHA_DAY, 4],
        [codes[1], "declarar_apta", "8/11/2019", None],
        [codes[2], "declarar_apta", CHECKLIST_DAY, 4],
    ])
    done = run(url, "lote", str(path), "--simular")
    assert done.code == 2
    assert "caso desconocido: E062-9999" in done.out and "Evento desconocido: «evaluacion». ¿Quiso decir evaluar?" in done.out
    assert "fecha inválida: '8/11/2019'" in done.out and "'presencia': dato desconocido para declarar_apta" in done.out
    assert "0 filas proceden, 4 rechazadas" in done.out


def test_later_rows_build_on_earlier_ones_deadlines_included(walker, session, db_url: str, tmp_path: Path):
    """A milestone report presented, observed, its notification acknowledged and corrected in one file:
    the acknowledgment opens P4 and the correction closes it in the same transaction, and the log still
    rebuilds every case."""
    from workflow.storage.models import Deadline

    codigo = "E062-0003"
    walker.to(codigo, "hitos")
    hito = walker.facts(codigo)["hitos"]["1"]["fecha"]
    path = tmp_path / "itf.csv"
    path.write_text("codigo,evento,fecha,hito,indicadores_cumplidos,observaciones,notificacion,medio,evidencia\n"
                    f"{codigo},presentar_itf,{hito},1,3,,,,\n"
                    f"{codigo},observar_itf,{hito},1,,faltan evidencias,,,\n"
                    f"{codigo},registrar_notificacion,{hito},1,,,observaciones_itf,correo,acuse <a1@example.org>\n"
                    f"{codigo},levantar_observaciones,{hito},1,3,,,,\n", encoding="utf-8")
    done = run(db_url, "lote", str(path), usuario="monitor")
    assert done.code == 0, done.err
    session.rollback()
    p4 = session.execute(select(Deadline).where(Deadline.codigo == codigo, Deadline.tipo == "P4")).scalar_one()
    assert (p4.abierto_por, p4.estado, p4.cerrado_por) == ("registrar_notificacion", "cumplido", "levantar_observaciones")
    closing = session.execute(select(AuditRecord.plazos).where(AuditRecord.codigo == codigo,
                                                               AuditRecord.evento == "levantar_observaciones")).scalar_one()
    assert {"accion": "cerrar", "id": p4.id} .items() <= next(op for op in closing if op["tipo"] == "P4").items()
    assert "OK:" in run(db_url, "auditoria", "verificar").out


def test_a_template_filled_with_openpyxl_and_applied(call_db, tmp_path: Path):
    url, codes = call_db
    made_apta(url, tmp_path, codes[:5])
    path = tmp_path / "plantilla.xlsx"
    done = run(url, "plantilla", "evaluar", "--xlsx", str(path), "--estado", "apta")
    assert done.code == 0 and "5 casos en apta" in done.out
    book = load_workbook(path)
    hoja = book.active
    header = [c.value for c in hoja[1]]
    assert header[:4] == ["codigo", "evento", "fecha", "nota"] and "presencia" in header and "producto" in header
    assert "(0–5, excluyente)" in hoja.cell(row=1, column=header.index("presencia") + 1).comment.text
    validations = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in hoja.data_validations.dataValidation}
    producto = hoja.cell(row=1, column=header.index("producto") + 1).column_letter
    assert validations[producto] == '"sí,no"'
    assert [hoja.cell(row=r, column=1).value for r in range(2, 7)] == codes[:5]
    for r in range(2, 7):
        for name, value in (("fecha", datetime(2019, 11, 8)), ("presencia", 4), ("relevancia", 4), ("inventivo", 3),
                            ("producto", "no")):
            hoja.cell(row=r, column=header.index(name) + 1, value=value)
    book.save(path)
    done = run(url, "lote", str(path), usuario="evaluador")
    assert done.code == 0, done.err
    assert set(states(url, codes[:5]).values()) == {"evaluada"}


def test_a_template_row_left_blank_is_skipped_and_said(call_db, tmp_path: Path):
    url, codes = call_db
    made_apta(url, tmp_path, codes[:3])
    path = tmp_path / "plantilla.xlsx"
    run(url, "plantilla", "evaluar", "--xlsx", str(path), "--estado", "apta")
    book = load_workbook(path)
    header = [c.value for c in book.active[1]]
    for name, value in (("presencia", 4), ("relevancia", 4), ("inventivo", 3)):
        book.active.cell(row=2, column=header.index(name) + 1, value=value)
    book.save(path)
    done = run(url, "lote", str(path), "--simular", usuario="evaluador")
    assert done.code == 0 and "Filas sin llenar, omitidas: 3, 4." in done.out and "1 fila procede" in done.out


def test_exports_have_typed_cells_and_a_frozen_header(call_db, tmp_path: Path):
    url, codes = call_db
    made_apta(url, tmp_path, codes)
    assert run(url, "evaluar", "--archivo", str(fichas(tmp_path, codes)), usuario="evaluador").code == 0
    for args in (["listar"], ["seleccionar"], ["plazos"], ["auditoria"]):
        assert run(url, *args, "--xlsx", str(tmp_path / f"{args[0]}.xlsx")).code == 0
    listar = load_workbook(tmp_path / "listar.xlsx").active
    assert listar.title.startswith("ENSAYO") and listar.freeze_panes == "A2"
    assert listar.auto_filter.ref == listar.dimensions  # every column filters
    header = [c.value for c in listar[1]]
    assert header[0] == "Base" and listar.max_row == 41  # every case, no pages
    assert {"Código", "Estado", "Monto solicitado", "Región", "Monitor", "Próximo plazo",
            "Próximo vencimiento"} <= set(header)
    puntaje = listar.cell(row=2, column=header.index("Puntaje") + 1)
    assert isinstance(puntaje.value, float) and puntaje.number_format == "#,##0.00"
    monto = listar.cell(row=2, column=header.index("Monto solicitado") + 1)
    assert isinstance(monto.value, (int, float)) and monto.number_format == "#,##0.00"
    estados = {listar.cell(row=r, column=header.index("Estado") + 1).value for r in range(2, listar.max_row + 1)}
    assert estados and estados <= {s.titulo for s in CICLO.estados}  # the states by their titles, not their codes
    ranking = load_workbook(tmp_path / "seleccionar.xlsx").active
    header = [c.value for c in ranking[1]]
    final = ranking.cell(row=2, column=header.index("Puntaje final") + 1)
    assert ranking.max_row == 31 and isinstance(final.value, (int, float)) and final.number_format == "#,##0.00"
    audit = load_workbook(tmp_path / "auditoria.xlsx").active
    header = [c.value for c in audit[1]]
    fecha = audit.cell(row=2, column=header.index("Fecha efectiva") + 1)
    assert isinstance(fecha.value, datetime) and fecha.number_format == "yyyy-mm-dd"
    registrado = audit.cell(row=2, column=header.index("Registrado") + 1)
    assert isinstance(registrado.value, datetime) and registrado.number_format.endswith('"-05:00"')  # Lima's offset
    assert audit.column_dimensions["A"].width >= len("ENSAYO")


def test_a_formula_in_a_listing_stays_text(call_db, tmp_path: Path):
    url, codes = call_db
    done = run(url, "avanzar", codes[0], "desistir", "--dato", "causa=renuncia", "--nota", "=HYPERLINK(\"x\")",
               "--fecha", "2019-10-20")
    assert done.code == 0, done.err
    assert run(url, "auditoria", "--caso", codes[0], "--xlsx", str(tmp_path / "a.xlsx")).code == 0
    hoja = load_workbook(tmp_path / "a.xlsx").active
    header = [c.value for c in hoja[1]]
    nota = hoja.cell(row=hoja.max_row, column=header.index("Nota") + 1)
    assert nota.data_type == "s" and nota.value.startswith("=HYPERLINK")


def test_importar_reads_a_spreadsheet_with_typed_cells(db_url: str, tmp_path: Path):
    rows = proposals(3)
    header = list(rows[0])
    values = []
    for r in rows:
        cells = dict(r)
        cells["fecha_postulacion"] = datetime.fromisoformat(r["fecha_postulacion"])
        cells["monto_solicitado"] = float(r["monto_solicitado"])
        values.append([cells[h] for h in header])
    done = run(db_url, "importar", str(sheet(tmp_path / "p.xlsx", header, values)), usuario="mesa")
    assert done.code == 0, done.err
    assert "Importadas 3 postulaciones" in done.out and "hoja «Sheet» de .xlsx" in done.out


def test_a_broken_spreadsheet_is_said_in_spanish(db_url: str, tmp_path: Path):
    path = tmp_path / "roto.xlsx"
    path.write_bytes(b"no es un zip")
    done = run(db_url, "lote", str(path))
    assert done.code == 2 and "No se puede leer" in done.err and "hoja de cálculo" in done.err



def ods(path: Path, rows: list[list[str]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice saves one (text cells only)."""
    import zipfile

    def cell(v: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in r)}</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Hoja1">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    return path


def test_an_ods_file_from_libreoffice_is_read(call_db, tmp_path: Path):
    url, codes = call_db
    path = ods(tmp_path / "desistimientos.ods", [["codigo", "evento", "fecha", "causa"],
                                                 [codes[0], "desistir", "2019-10-20", "renuncia"]])
    done = run(url, "lote", str(path))
    assert done.code == 0, done.err
    assert "hoja «Hoja1» de .ods" in done.out and states(url, codes[:1]) == {codes[0]: "desistida"}


def test_a_file_applied_twice_is_refused_and_a_receipt_recorded_twice_too(walker, session, db_url: str,
                                                                          tmp_path: Path):
    """A terminal dropped and the same expenses file run again: nothing is recorded twice."""
    codigo = walker.to("E062-0001", "hitos")
    path = tmp_path / "gastos.csv"
    path.write_text("codigo,evento,fecha,partida,monto,fecha_comprobante,comprobante\n"
                    f"{codigo},registrar_gasto,2020-02-03,servicios_tecnologicos,5000.00,2020-02-01,F001-1\n",
                    encoding="utf-8")
    first = run(db_url, "lote", str(path), usuario="monitor")
    assert first.code == 0 and first.out.startswith("Guardado: 1 fila en una transacción"), first.err
    again = run(db_url, "lote", str(path), usuario="monitor")
    assert again.code == 2 and "gastos.csv ya se aplicó el " in again.err and "por monitor" in again.err
    assert "repita con --repetir" in again.err
    on_purpose = run(db_url, "lote", str(path), "--repetir", usuario="monitor")
    assert on_purpose.code == 2 and "el comprobante F001-1 ya está registrado en el gasto 1" in on_purpose.err
    assert list(walker.facts(codigo)["gastos"]) == ["1"]
    assert "OK:" in run(db_url, "auditoria", "verificar").out


def test_a_formula_saved_without_its_value_is_refused_not_read_as_today(call_db, tmp_path: Path):
    """A date computed by a formula that was never computed reads as an empty cell: the event would
    silently take today's date. The file is refused naming the cell."""
    import openpyxl

    url, codes = call_db
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["codigo", "evento", "fecha", "nota"])
    sheet.append([codes[0], "registrar_elegibilidad", None, "x"])
    sheet["C2"] = "=DATE(2019,10,25)"  # openpyxl stores the formula and no computed value
    path = tmp_path / "formula.xlsx"
    book.save(path)
    done = run(url, "lote", str(path), usuario="ues")
    assert done.code != 0 and "la celda C2 tiene una fórmula guardada sin su valor calculado" in done.err


@pytest.mark.parametrize("written", ["F001-0001", "f001-01", "F001 \u2013 1", "\uff26\uff10\uff10\uff11\uff0d\uff11"])
def test_guia_2_4_a_receipt_written_another_way_is_the_same_receipt(walker, db_url: str, tmp_path: Path, written):
    """One receipt sustains one expense, however its number is typed: leading zeros, another dash, case,
    full-width characters."""
    codigo = walker.to("E062-0001", "hitos")
    for n, receipt in enumerate(("F001-1", written)):
        path = tmp_path / f"gastos-{n}.csv"
        path.write_text("codigo,evento,fecha,partida,monto,fecha_comprobante,comprobante\n"
                        f"{codigo},registrar_gasto,2020-02-03,servicios_tecnologicos,5000.00,2020-02-01,{receipt}\n",
                        encoding="utf-8")
        done = run(db_url, "lote", str(path), usuario="monitor")
    assert done.code == 2 and f"el comprobante {written} ya está registrado en el gasto 1" in done.err, done.err
    assert list(walker.facts(codigo)["gastos"]) == ["1"]
