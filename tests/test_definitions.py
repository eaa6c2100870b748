"""The call file and the lifecycle table are checked when they load."""
from __future__ import annotations

import pytest

from states.books import InvalidCallFile, parse_call
from states.call import DEFAULT_CALL
from states.definition import DefinitionError, Event, Field, Lifecycle, State, Transition

TEXT = DEFAULT_CALL.read_text(encoding="utf-8")


def test_shipped_call_file_loads_with_the_numbers_of_the_bases():
    call = parse_call(TEXT)
    assert call.seleccion.plazas == 28
    assert str(call.seleccion.monto_maximo) == "25000.00"
    assert call.contrato.meses_ejecucion == 6


def test_missing_key_is_named():
    with pytest.raises(InvalidCallFile, match=r"clave 'seleccion.plazas': falta"):
        parse_call(TEXT.replace("plazas = 28", ""))


def test_wrong_type_is_named_with_its_value():
    with pytest.raises(InvalidCallFile, match=r"clave 'seleccion.plazas': debe ser un número entero \(valor: 'muchas'\)"):
        parse_call(TEXT.replace("plazas = 28", 'plazas = "muchas"'))


def test_unknown_key_is_refused():
    with pytest.raises(InvalidCallFile, match=r"clave 'contrato.mese_ejecucion': clave desconocida"):
        parse_call(TEXT.replace("meses_ejecucion = 6", "meses_ejecucion = 6\nmese_ejecucion = 6"))


STATES = (State("a", "A"), State("b", "B"), State("fin", "Fin", final=True))


def test_unknown_state_is_a_startup_error():
    with pytest.raises(DefinitionError, match="estado desconocido 'c'"):
        Lifecycle("x", STATES, "a", (Event("ir", "Ir", (), (Transition(("a",), "c"),)),
                                     Event("fin", "Fin", (), (Transition(("a",), "fin"),))))


def test_unreachable_state_is_a_startup_error():
    with pytest.raises(DefinitionError, match="inalcanzable desde 'a': b"):
        Lifecycle("x", STATES, "a", (Event("fin", "Fin", (), (Transition(("a", "b"), "fin"),)),))


def test_event_without_source_is_a_startup_error():
    with pytest.raises(DefinitionError, match="evento sin estado de origen: ir"):
        Lifecycle("x", STATES, "a", (Event("ir", "Ir", (), (Transition((), "b"),)),
                                     Event("fin", "Fin", (), (Transition(("a", "b"), "fin"),))))


def test_deadline_kind_without_closing_event_or_consequence_is_a_startup_error():
    """The book does not load, and the refusal names the check and the deadline."""
    from dataclasses import replace

    from states.book import BookError, check
    from states.pct_2019 import BOOK

    def broken(tipo: str, **changes):
        tipos = tuple(replace(k, **changes) if k.tipo == tipo else k for k in BOOK.plazos.tipos)
        return replace(BOOK, plazos=replace(BOOK.plazos, tipos=tipos))

    with pytest.raises(DefinitionError, match="«todo_plazo_tiene_consecuencia»: el plazo P1 no dice qué evento lo cierra"):
        check(broken("P1", cierra=()))
    with pytest.raises(BookError, match="el plazo P2 no dice qué pasa al vencer"):
        check(broken("P2", consecuencia=""))
    with pytest.raises(BookError, match="«todo_plazo_nombra_eventos_del_ciclo»: el plazo P3 nombra el evento "
                                        "desconocido 'presentar_itff'"):
        check(broken("P3", cierra=("presentar_itff",)))


def test_unknown_role_field_type_or_message_is_a_startup_error():
    bad = Event("ir", "Ir", ("tesorero",), (Transition(("a",), "fin"),), registra="x", mensajes=("telegrama",),
                campos=(Field("monto", "dinero", "monto"), Field("causa", "opcion", "causa")))
    with pytest.raises(DefinitionError) as exc:
        Lifecycle("x", STATES, "a", (bad, Event("b", "B", (), (Transition(("a",), "b"),)),
                                     Event("fin", "Fin", (), (Transition(("b",), "fin"),))),
                  roles=("ues",), mensajes=("resultado",))
    for problem in ("rol desconocido 'tesorero'", "el dato 'monto' tiene un tipo desconocido 'dinero'",
                    "el dato 'causa' es una opción sin opciones", "mensaje desconocido 'telegrama'"):
        assert problem in str(exc.value)
