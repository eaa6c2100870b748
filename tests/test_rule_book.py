"""The rule book as one place: a calendar per call that every rule reads, and a bug that stays a bug."""
from __future__ import annotations

import sys
from datetime import date

import pytest

from states.pct_2019.lifecycle import CICLO
from tests.conftest import CLOCK, Walker
from workflow.engine.agenda import add_non_working_day
from workflow.engine.cases import Request, prepare
from workflow.errors import Refusal


def test_bases_4_3_a_declared_non_working_day_moves_the_signing_deadline(walker: Walker, session):
    c = walker.to("E062-0001", "aprobada")  # results published Mon 2019-11-18: 10 business days → 12-02
    walker.notify(c, "invitacion_firma", date(2019, 11, 18))  # from its delivery that day
    add_non_working_day(session, date(2019, 11, 29), date(2019, 11, 29), "no_laborable", "nacional",
                        "DS 099-2019-PCM (ficticio)", "direccion", CLOCK.today(), "PE")
    with pytest.raises(Refusal, match=r"vence el 2019-12-03; aún no ha vencido al 2019-12-03"):
        walker.fire(c, "desistir", date(2019, 12, 3), causa="no_firmo_en_plazo")
    walker.fire(c, "desistir", date(2019, 12, 4), causa="no_firmo_en_plazo")


@pytest.fixture
def buggy_rule():
    """A rule whose code is wrong (a misspelt attribute), as a programming mistake would make it."""
    rule = CICLO.event("declarar_apta").transiciones[0].reglas[0]
    original = rule.check

    def check(ctx):
        return ctx.hechos.entidad  # dict has no attribute 'entidad': a bug, not a missing fact

    object.__setattr__(rule, "check", check)
    yield
    object.__setattr__(rule, "check", original)


def test_a_programming_error_inside_a_rule_is_a_bug_not_a_refusal(walker: Walker, session, buggy_rule):
    walker.step("E062-0001", "registrar_elegibilidad")
    with pytest.raises(AttributeError):
        prepare(session, [Request("E062-0001", "declarar_apta", {}, "ues", date(2019, 10, 25))], CLOCK)


def test_the_cli_reports_a_bug_inside_a_rule_as_an_internal_error(walker: Walker, db_url: str, buggy_rule,
                                                                  monkeypatch, capsys):
    from workflow.cli.app import main

    walker.step("E062-0001", "registrar_elegibilidad")
    monkeypatch.setenv("CONVOCA_DB", db_url)
    monkeypatch.setenv("CONVOCA_AHORA", "2020-12-31T10:00")
    monkeypatch.delenv("CONVOCA_DEPURAR", raising=False)
    monkeypatch.setattr(sys, "argv", ["convoca", "avanzar", "E062-0001", "declarar_apta", "--fecha", "2019-10-25",
                                      "--usuario", "ues"])
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 70
    err = capsys.readouterr().err
    assert "Error interno: AttributeError" in err and "Rechazado" not in err


def test_labels_that_state_a_number_take_it_from_the_call():
    from states.books import parse_call
    from states.call import DEFAULT_CALL
    from states.definition import label
    from states.pct_2019.rules.contrato import REGLAS_CUENTA
    from states.pct_2019.rules.elegibilidad import REGLAS_APTA

    text = DEFAULT_CALL.read_text(encoding="utf-8")
    call = parse_call(text.replace("meses_desvinculacion_concytec = 6", "meses_desvinculacion_concytec = 12")
                      .replace("digitos_cci = 20", "digitos_cci = 18"))
    requisitos = [label(r.requisito, call) for r in (*REGLAS_APTA, *REGLAS_CUENTA)]
    assert "hasta doce (12) meses después de culminado el vínculo con CONCYTEC/FONDECYT" in requisitos
    assert "CCI de 18 dígitos" in requisitos
    assert not any("seis" in r or "20 dígitos" in r for r in requisitos)


def test_a_label_naming_a_key_the_call_lacks_is_a_startup_error():
    """The book does not load: its named check says which label names which key."""
    from dataclasses import replace

    from states.book import BookError, check
    from states.definition import Event, Lifecycle, Rule, State, Transition
    from states.pct_2019 import BOOK

    rule = Rule("Bases §0", "al menos {seleccion.plazitas} plazas", lambda ctx: None)
    ciclo = Lifecycle("x", (State("a", "A"), State("b", "B", final=True)), "a",
                      (Event("ir", "Ir", (), (Transition(("a",), "b", (rule,)),)),))
    with pytest.raises(BookError, match="«toda_etiqueta_nombra_claves_de_la_convocatoria»: el evento 'ir' nombra la "
                                        "clave desconocida 'seleccion.plazitas'"):
        check(replace(BOOK, ciclo=ciclo))


def test_a_declared_message_without_its_templates_is_a_startup_error(monkeypatch, tmp_path):
    import notifications.render as render

    for kind in render.KINDS:
        (tmp_path / f"{kind}.txt.j2").write_text("x")
        if kind != "carta_notarial":
            (tmp_path / f"{kind}.html.j2").write_text("x")
    monkeypatch.setattr(render, "TEMPLATES", tmp_path)
    with pytest.raises(Exception, match="faltan plantillas .*carta_notarial.html.j2"):
        render.check()


def test_a_missing_fact_is_a_refusal_that_names_it(walker: Walker, session):
    from states.context import Context
    from states.pct_2019.rules.postulacion import REGLAS_POSTULAR
    from workflow.engine.calls import call_of
    from workflow.engine.machine import failures

    ctx = Context("E062-0099", "postulada", {"postulacion": {"monto_solicitado": "1000"}}, {}, call_of(session),
                  date(2019, 10, 1))
    assert "no se puede verificar «enviada antes del cierre de la convocatoria»: falta registrar la fecha de envío " \
           "(postulacion.fecha)" in " ".join(failures(REGLAS_POSTULAR, ctx))
