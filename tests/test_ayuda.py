"""Help that helps: the events come from the rule book, a typo gets the nearest name, the import has
its template, and the eligibility checklist says what to type and what does not apply."""
from __future__ import annotations

import json
from pathlib import Path

from states.books import load_call
from states.call import DEFAULT_CALL
from states.pct_2019.demo_data import eligibility_facts, proposals
from states.pct_2019.lifecycle import CICLO
from tests.cli import convoca
from tests.test_cli import run  # noqa: F401 (the fixture: a call with five proposals, as ues.ana)
from workflow.cli.eventos import typed


def test_avanzar_help_lists_every_event_with_who_from_where_and_its_data():
    done = convoca("avanzar", "--help", env={"COLUMNS": "100"})
    assert done.code == 0
    text = " ".join(done.out.split())  # as read, whatever the folding
    for event in CICLO.eventos:
        block = text[text.index(f" {event.nombre} — {event.titulo}"):]
        block = block[:block.find(" — ", len(event.nombre) + 4)]
        assert f"quién: {', '.join(event.roles)}" in block, event.nombre
        assert all(origen in block.split("desde: ")[1] for origen in event.origenes), event.nombre
        assert all(typed(c) in block for c in event.campos), event.nombre
    assert "desde: evaluada → aprobada, accesitaria o desaprobada" in text
    assert "resultado=aprobada|accesitaria|desaprobada" in text


def test_eventos_of_a_state_give_the_labels_with_the_calls_numbers(run):  # noqa: F811
    call, _ = load_call(DEFAULT_CALL)
    done = run("eventos", "apta")
    listed = [line.split(" — ")[0] for line in done.stdout.splitlines() if " — " in line and "ENSAYO" not in line]
    assert listed == [e.nombre for e in CICLO.eventos if "apta" in e.origenes]
    escala = f"({call.evaluacion.escala_minima}–{call.evaluacion.escala_maxima}, excluyente)"
    assert f"presencia=entero: I. presencia de elementos técnicos novedosos {escala}" in done.stdout
    assert "datos (--dato clave=valor):" in done.stdout


def test_a_misspelt_state_or_event_gets_the_nearest_name(run):  # noqa: F811
    done = run("eventos", "evaluadaa", ok=False)
    assert done.returncode == 1 and "«evaluadaa» no es un estado ni un evento. ¿Quiso decir evaluada?" in done.stderr
    assert "Estados: postulada, apta" in done.stderr
    done = run("avanzar", "E062-0001", "registrar_elegibilidd", ok=False)
    assert "¿Quiso decir registrar_elegibilidad?" in done.stderr


def test_the_import_template_filled_in_imports(run, tmp_path: Path):  # noqa: F811
    from openpyxl import load_workbook

    hoja = tmp_path / "postulaciones.xlsx"
    done = run("plantilla", "importar", "--xlsx", str(hoja))
    assert f"convoca importar {hoja}" in done.stdout
    book = load_workbook(hoja)
    sheet = book.active
    columns = [c.value for c in sheet[1]]
    assert columns[:3] == ["codigo", "titulo", "fecha_postulacion"] and "coordinador_autoriza_correo" in columns
    assert sheet.cell(1, columns.index("coordinador_dni") + 1).comment.text == "DNI del coordinador (8 dígitos)"
    listas = {str(v.sqref).split(":")[0][:-1]: v.formula1 for v in sheet.data_validations.dataValidation}
    tipo = sheet.cell(1, columns.index("tipo_concepto") + 1).column_letter
    assert listas[tipo] == '"producto,proceso,formulacion"'
    for fila in proposals(7)[5:]:
        sheet.append([fila.get(c, "") for c in columns])
    book.save(hoja)
    assert "Importadas 2 postulaciones" in run("importar", str(hoja)).stdout
    assert {c["codigo"] for c in json.loads(run("listar", "--json").stdout)} >= {"E062-0006", "E062-0007"}


def test_the_checklist_names_each_datum_and_what_does_not_apply(run):  # noqa: F811
    datos = [a for k, v in {**eligibility_facts(), "uso_biodiversidad": "no aplica"}.items()
             for a in ("--dato", f"{k}={v}")]
    done = run("elegibilidad", "E062-0005", *datos, "--fecha", "2019-10-25", "--usuario", "ues.ana")
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in done.stdout.splitlines() if "│" in line]
    rows = {requisito: {"--dato": dato, "Estado": estado} for _, requisito, dato, estado in cells}
    assert rows["RUC de la entidad activo"]["--dato"].strip() == "ruc_activo"
    assert rows["RUC de la entidad activo"]["Estado"].strip() == "cumple"
    assert rows["tipo de entidad elegible"]["--dato"].strip() == "(de la postulación)"
    licencia = next(r for k, r in rows.items() if k.startswith("universidad licenciada"))
    assert licencia["Estado"].strip() == "no aplica"  # E062-0005 is a public institution
    assert rows["autorización de acceso a biodiversidad"]["Estado"].strip() == "no aplica"
    assert "Todos los requisitos se cumplen" in done.stdout


def test_tab_completes_commands_events_and_case_codes(run, empty_db_url):  # noqa: F811
    """The shell's protocol, as bash speaks it to the installed command: what may follow the cursor."""
    import os
    import subprocess

    from tests.test_cli import CONVOCA

    script = run("completado", "bash").stdout
    assert "_CONVOCA_COMPLETE=complete_bash" in script and "complete -o default -F _convoca_completion convoca" in script

    def tab(line: str) -> list[str]:
        words = line.split(" ")
        env = {**os.environ, "CONVOCA_DB": empty_db_url, "_CONVOCA_COMPLETE": "complete_bash",
               "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
        done = subprocess.run([CONVOCA], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert tab("convoca elegi") == ["elegibilidad"]
    assert tab("convoca avanzar E062-0001 declarar_") == ["declarar_apta", "declarar_no_apta"]
    assert tab("convoca ver E062-000") == [f"E062-000{i}" for i in range(1, 6)]
    assert "evaluada" in tab("convoca eventos eval")
    assert "Shell desconocida: tcsh" in run("completado", "tcsh", ok=False).stderr
