"""A deliberately broken copy of each registered book fails the named check that guards what it
breaks, and the refusal names that check: a book that fails a check never loads."""
from __future__ import annotations

import copy
from dataclasses import replace

import pytest

from states.book import CHECKS, Book, BookError, check
from states.books import all_books
from states.call import Decisivo
from states.definition import Event, Rule, State, Transition
from states.mensajes import Mensaje
from states.plazos import Paso


def _ciclo(book: Book, **changes) -> Book:
    """A copy of the book whose lifecycle has these fields changed, without the lifecycle's own checks
    (the book's named checks are what is tried)."""
    ciclo = copy.copy(book.ciclo)
    for k, v in changes.items():
        object.__setattr__(ciclo, k, v)
    object.__setattr__(ciclo, "_by_state", {s.nombre: s for s in ciclo.estados})
    object.__setattr__(ciclo, "_by_event", {e.nombre: e for e in ciclo.eventos})
    return replace(book, ciclo=ciclo)


def _event(book: Book, **kw) -> Event:
    inicial = book.ciclo.inicial
    return Event(**{"nombre": "evento_roto", "titulo": "Evento roto", "roles": ("ues",),
                    "transiciones": (Transition((inicial,), None),), **kw})


BREAKERS = {
    "un_estado_inicial": lambda b: _ciclo(b, inicial="no_existe"),
    "sin_estados_trampa": lambda b: _ciclo(b, estados=(*b.ciclo.estados, State("trampa", "Trampa"))),
    "todo_estado_llega_a_uno_final": lambda b: _ciclo(b, estados=tuple(replace(s, final=False)
                                                                        for s in b.ciclo.estados)),
    "todo_paso_de_informe_existe": lambda b: _ciclo(b, eventos=(*b.ciclo.eventos, _event(
        b, informe=("informe", "paso_inexistente")))),
    "todo_rol_existe": lambda b: _ciclo(b, eventos=(*b.ciclo.eventos, _event(b, roles=("rol_inexistente",)))),
    "todo_dato_leido_esta_declarado": lambda b: _ciclo(b, eventos=(*b.ciclo.eventos, _event(
        b, transiciones=(Transition((b.ciclo.inicial,), None, (Rule("x", "y", lambda ctx: None,
                                                                   datos=("dato_fantasma",)),)),)))),
    "toda_etiqueta_nombra_claves_de_la_convocatoria": lambda b: _ciclo(b, eventos=(*b.ciclo.eventos, _event(
        b, transiciones=(Transition((b.ciclo.inicial,), None, (Rule("x", "hasta {nada.clave_fantasma}",
                                                                   lambda ctx: None),)),)))),
    "todo_plazo_tiene_consecuencia": lambda b: replace(b, plazos=replace(b.plazos, tipos=(
        replace(b.plazos.tipos[0], consecuencia=""), *b.plazos.tipos[1:]))),
    "todo_plazo_nombra_eventos_del_ciclo": lambda b: replace(b, plazos=replace(b.plazos, tipos=(
        replace(b.plazos.tipos[0], cierra=("evento_fantasma",)), *b.plazos.tipos[1:]))),
    "todo_mensaje_declarado": lambda b: replace(b, plazos=replace(b.plazos, escalamiento=(
        *b.plazos.escalamiento, Paso("mensaje_fantasma", "x", None)))),
    "todo_mensaje_de_evento_tiene_contexto_y_clave": lambda b: replace(b, mensajes=(
        *b.mensajes, Mensaje("mensaje_sin_evento", "x", ("coordinador",), "x")), redaccion=replace(
        b.redaccion, contextos={**b.redaccion.contextos, "mensaje_sin_evento": lambda *a: {}})),
    "todo_valor_decisivo_nombra_un_evento_o_plazos": lambda b: replace(b, decisivos=(
        *b.decisivos, Decisivo("seccion.clave", "x"))),
    "todo_paso_cuenta_con_una_clave_de_la_convocatoria": lambda b: replace(b, plazos=replace(b.plazos, escalamiento=(
        *b.plazos.escalamiento, Paso(b.mensajes[0].tipo, "x", "clave_fantasma")))),
    "declara_lo_que_la_instalacion_usa": lambda b: replace(b, mensajes=tuple(
        m for m in b.mensajes if m.tipo != "rectificacion")),
    "todo_plazo_por_hito_sabe_sus_hitos": lambda b: replace(b, plazos=replace(b.plazos, hitos=None, tipos=(
        replace(b.plazos.tipos[0], por_hito=True), *b.plazos.tipos[1:]))),
    "la_seleccion_nombra_estados_del_ciclo": lambda b: replace(b, seleccion=replace(b.seleccion, espera="fantasma"))
    if b.seleccion else None,
    "todo_atajo_nombra_eventos_del_ciclo": lambda b: replace(b, atajos=(
        replace(b.atajos[0], eventos=("evento_fantasma",)), *b.atajos[1:])) if b.atajos else None,
}


def test_every_named_check_has_a_broken_book_that_fails_it():
    assert sorted(BREAKERS) == sorted(c.__name__ for c in CHECKS)


@pytest.mark.parametrize("book", all_books(), ids=lambda b: b.nombre)
@pytest.mark.parametrize("name", sorted(BREAKERS))
def test_a_broken_copy_of_the_book_is_refused_naming_the_check(book: Book, name: str):
    check(book)  # the registered book itself loads
    broken = BREAKERS[name](book)
    if broken is None:
        pytest.skip(f"{book.nombre} no tiene lo que la comprobación {name} vigila")
    with pytest.raises(BookError, match=f"el libro de reglas '{book.nombre}' no carga:(.|\n)*«{name}»"):
        check(broken)
