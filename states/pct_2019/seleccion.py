"""E062's selection (Bases §4.1–§4.3): one merit order by final score and the call's tie-breaks; with
more approved proposals than places, the Comité de Consistencia decides with its acta; the rest wait
as accesitarias, and a freed place goes to the next in merit order."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from states.pct_2019.rules.seleccion import COMITE, DESEMPATES, PRIORIDAD_COMITE, PROMOCION, acta_problems, prioridad_del_comite
from states.seleccion import BadActa, Filas, Orden, Seleccion, Solicitud
from states.tiempo import acta_antes_de_publicar


@dataclass
class Ranked:
    puesto: int
    codigo: str
    puntaje_final: Decimal
    ruta: str
    aprobado: bool
    excluida: bool = False
    """Presence of novel elements graded 0: out of the ranking's running whatever the sum."""


@dataclass
class Ranking:
    filas: list[Ranked]
    desempate: str
    plazas: int
    hechos: dict[str, dict[str, Any]]
    """Each ranked case's facts, for the committee's acta (amounts, routes)."""

    @property
    def aprobadas(self) -> list[Ranked]:
        return [r for r in self.filas if r.aprobado]

    @property
    def requiere_comite(self) -> bool:
        return len(self.aprobadas) > self.plazas

    def preseleccion(self) -> list[Ranked]:
        """The committee's priorities, as the bases declare them."""
        return sorted(self.aprobadas, key=lambda r: prioridad_del_comite(r.ruta, r.puesto))


def ordenar(rows: Filas, call) -> Ranking:
    keys = [DESEMPATES[c][1] for c in call.seleccion.desempate]
    ordered = sorted(rows, key=lambda r: (-Decimal(r[1]["evaluacion"]["puntaje_final"]), *(k(r[1]) for k in keys)))
    filas = [Ranked(i + 1, c, Decimal(h["evaluacion"]["puntaje_final"]), h["evaluacion"]["ruta"],
                    h["evaluacion"]["aprobado"], h["evaluacion"].get("excluyente", False))
             for i, (c, h) in enumerate(ordered)]
    desempate = "puntaje final, luego " + ", luego ".join(DESEMPATES[c][0] for c in call.seleccion.desempate)
    return Ranking(filas, desempate, call.seleccion.plazas, dict(rows))


def mostrar(ranking: Ranking) -> Orden:
    pre = {r.codigo: i for i, r in enumerate(ranking.preseleccion())}

    def previsto(r: Ranked) -> str:
        if not r.aprobado:
            return "desaprobada"
        if ranking.requiere_comite:
            return "preselección del comité" if pre[r.codigo] < ranking.plazas else "accesitaria (propuesta)"
        return "aprobada"

    filas = [{"Puesto": str(r.puesto), "Código": r.codigo,
              "Puntaje final": "excluida" if r.excluida else f"{r.puntaje_final:.2f}",
              "Ruta": r.ruta.replace("_", " "), "Resultado previsto": previsto(r)} for r in ranking.filas]
    nota = (f"Más aprobadas que plazas: decide el Comité de Consistencia ({COMITE}). "
            f"Preselección propuesta: {PRIORIDAD_COMITE}.") if ranking.requiere_comite else None
    resumen = {"desempate": ranking.desempate, "plazas": ranking.plazas, "requiere_comite": ranking.requiere_comite,
               "orden": [r.__dict__ for r in ranking.filas],
               "preseleccion": [r.codigo for r in ranking.preseleccion()] if ranking.requiere_comite else None}
    titulo = (f"Orden de mérito — {len(ranking.aprobadas)} aprobadas para {ranking.plazas} plazas; "
              f"desempate: {ranking.desempate}")
    return Orden(("Puesto", "Código", "Puntaje final", "Ruta", "Resultado previsto"), filas, titulo, nota, resumen)


def _acta_antes(acta: dict[str, Any], publicacion: date) -> None:
    """The committee decides before the results are published, never after."""
    try:
        fecha = date.fromisoformat(str(acta["fecha"]))
    except ValueError:
        raise BadActa(f"Acta {acta['numero']}: la fecha {acta['fecha']!r} no es AAAA-MM-DD.") from None
    problem = acta_antes_de_publicar(acta["numero"], fecha, publicacion)
    if problem:
        raise BadActa(problem)


def decidir(ranking: Ranking, acta: dict[str, Any] | None, call) -> dict[str, tuple[str, int]]:
    """codigo → (resultado, orden de mérito)."""
    aprobadas = [r.codigo for r in ranking.aprobadas]
    if ranking.requiere_comite:
        if acta is None:
            raise BadActa(f"Hay {len(aprobadas)} propuestas aprobadas para {ranking.plazas} plazas: "
                          f"{COMITE} exige el acta del Comité de Consistencia (--acta ARCHIVO).")
        problems = acta_problems(acta, {r.codigo: ranking.hechos[r.codigo] for r in ranking.aprobadas}, call)
        if problems:
            raise BadActa(f"Acta del Comité de Consistencia inválida ({COMITE}):\n  " + "\n  ".join(problems))
        sel = list(acta["seleccionadas"])
        order = sel + list(acta["accesitarias"])
    else:
        order, sel = aprobadas, aprobadas
    result = {c: ("aprobada" if c in sel else "accesitaria", i + 1) for i, c in enumerate(order)}
    rest = [r for r in ranking.filas if not r.aprobado]
    result.update({r.codigo: ("desaprobada", len(order) + i + 1) for i, r in enumerate(rest)})
    return result


def publicar(ranking: Ranking, acta: dict[str, Any] | None, call, resolucion: str, fecha: date) -> list[Solicitud]:
    """Every evaluated case to its result, selected first (so the places rule sees the waitlist only once
    the places are filled)."""
    if acta is not None:
        _acta_antes(acta, fecha)
    decisions = decidir(ranking, acta, call)
    ordered = sorted(decisions.items(), key=lambda kv: (kv[1][0] != "aprobada", kv[1][1]))
    return [Solicitud(codigo, "publicar", {"resultado": res, "resolucion": resolucion, "orden_merito": orden,
                                           **({"acta": str(acta["numero"])} if acta else {})},
                      f"Resolución {resolucion}; orden de mérito por {ranking.desempate}", res)
            for codigo, (res, orden) in ordered]


def publicado(rows: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The merit order as it was published, read from each case's facts (so an annulled publication is
    gone and a promotion shows): its place, result, resolution and acta, and where the case stands now."""
    out = [{"orden_merito": h["resultado"]["orden_merito"], "codigo": c,
            "puntaje_final": (h.get("evaluacion") or {}).get("puntaje_final"),
            "resultado": h["resultado"]["resultado"], "estado_actual": e,
            "resolucion": h["resultado"]["resolucion"], "acta": h["resultado"].get("acta"),
            "fecha": h["resultado"].get("fecha")}
           for c, e, h in rows if (h.get("resultado") or {}).get("orden_merito") is not None]
    return sorted(out, key=lambda r: r["orden_merito"])


def mostrar_publicado(rows: list[dict[str, Any]], codigo: str) -> Orden:
    """The published order as the officer reads it: place, result, where each case stands now."""
    resoluciones = sorted({r["resolucion"] for r in rows})
    columnas = ("Puesto", "Código", "Puntaje final", "Resultado", "Estado actual", "Acta", "Fecha")
    filas = [dict(zip(columnas, (str(r["orden_merito"]), r["codigo"],
                                 f"{Decimal(r['puntaje_final']):.2f}" if r["puntaje_final"] is not None else "",
                                 r["resultado"], r["estado_actual"], r["acta"] or "", r["fecha"] or ""), strict=True))
             for r in rows]
    return Orden(columnas, filas, f"Orden de mérito publicado — {codigo}; {', '.join(resoluciones)}", None, {})


def promover(rows: Filas, vacante: str) -> Solicitud | None:
    """The next accesitaria in merit order takes the freed place."""
    if not rows:
        return None
    siguiente = min(rows, key=lambda r: r[1]["resultado"]["orden_merito"])[0]
    return Solicitud(siguiente, "promover", {"vacante": vacante}, f"plaza libre de {vacante}")


SELECCION = Seleccion(espera="evaluada", evento="publicar", ordenar=ordenar, mostrar=mostrar, publicar=publicar,
                      publicado=publicado, mostrar_publicado=mostrar_publicado,
                      lista="accesitaria", promover=promover, fuente_promocion=PROMOCION)
