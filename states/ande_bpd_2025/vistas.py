"""What `ver` shows of an ANDE BPD 2025 case beyond its groups of facts: its endorsing firms and
partners (B «Tipos de proyectos», «Beneficiarios»), its tranches and its renditions."""
from __future__ import annotations

from typing import Any

from states.ande_bpd_2025.reglas import d, money
from states.vistas import Tabla

ANIDADOS = ("avales", "socios", "desembolsos", "rendiciones", "periodos")


def _si(value: Any) -> str:
    return "sí" if value else "no"


def avales(hechos: dict[str, Any]) -> Tabla | None:
    todos = hechos.get("avales") or []
    return Tabla(f"Empresas que avalan ({len(todos)})", ("Empresa", "RUT", "Departamento", "Cadena",
                                                          "Liderada por mujer", "Chequeo digital"),
                 [(a["empresa"], a["rut"], a["departamento"], a["cadena"].replace("_", " "),
                   _si(a["liderada_por_mujer"]), _si(a["chequeo_digital"])) for a in todos]) if todos else None


def socios(hechos: dict[str, Any]) -> Tabla | None:
    todos = hechos.get("socios") or []
    return Tabla("Instituciones socias", ("Nombre", "RUT", "Efectivo", "En especie"),
                 [(s.get("nombre", ""), s.get("rut", ""), money(d(s.get("efectivo"))), money(d(s.get("especie"))))
                  for s in todos]) if todos else None


def desembolsos(hechos: dict[str, Any]) -> Tabla | None:
    tramos = hechos.get("desembolsos") or {}
    return Tabla("Desembolsos de ANDE", ("Tramo", "Fecha", "Monto"),
                 [(t + (" (reembolso)" if x.get("reembolso") else ""), x["fecha"], money(d(x["monto"])))
                  for t, x in tramos.items()]) if tramos else None


def rendiciones(hechos: dict[str, Any]) -> Tabla | None:
    todas = hechos.get("rendiciones") or {}
    return Tabla("Rendiciones", ("N.º", "Período", "ANDE rendido", "ANDE aprobado", "Contrapartida rendida",
                                 "Contrapartida aprobada"),
                 [(n, str(r.get("hito", "")), money(d(r.get("monto_ande"))),
                   money(d(r["aprobado_ande"])) if "aprobado_ande" in r else "por aprobar",
                   money(d(r.get("monto_contrapartida"))),
                   money(d(r["aprobado_contrapartida"])) if "aprobado_contrapartida" in r else "por aprobar")
                  for n, r in todas.items()]) if todas else None


VISTAS = (avales, socios, desembolsos, rendiciones)
