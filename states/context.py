"""What a rule reads: the case's facts as they would stand after the event, and the call.

Facts are kept as JSON (dates as ISO text, money as decimal text) so that the audit row of an
event can carry exactly the facts it recorded; the typed getters here turn them back.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from states.calendar import Calendar
    from states.call import Call


class MissingFact(Exception):
    """A rule needs a fact the case does not have: a refusal that names it, not a crash."""


def merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """Facts after a patch: groups merge key by key, so an event never erases another's facts."""
    out = dict(base)
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _resolucion(hechos: dict[str, Any]) -> str | None:
    return (hechos.get("resultado") or {}).get("resolucion") or None


@dataclass
class CallView:
    """The other cases of the same call, for rules that compare (places left, merit order)."""

    load: Callable[[], dict[str, tuple[str, dict[str, Any]]]]
    _cases: dict[str, tuple[str, dict[str, Any]]] | None = field(default=None, repr=False)
    _counts: Counter[str] = field(default_factory=Counter, repr=False)
    _por_dni: dict[str, set[str]] | None = field(default=None, repr=False)
    _resoluciones: dict[str, str] | None = field(default=None, repr=False)
    _por_resolucion: Counter[str] = field(default_factory=Counter, repr=False)

    def cases(self) -> dict[str, tuple[str, dict[str, Any]]]:
        if self._cases is None:
            self._cases = self.load()
            self._counts = Counter(estado for estado, _ in self._cases.values())
        return self._cases

    def count(self, estados: set[str]) -> int:
        self.cases()
        return sum(self._counts[e] for e in estados)

    def same_coordinator(self, dni: str) -> list[tuple[str, str]]:
        """(code, state) of the proposals whose coordinator has this DNI: an index, so that an import
        of thousands checks each row in constant time."""
        if self._por_dni is None:
            self._por_dni = {}
            for c, (_, h) in self.cases().items():
                self._por_dni.setdefault((h.get("coordinador") or {}).get("dni"), set()).add(c)
        return [(c, self.cases()[c][0]) for c in sorted(self._por_dni.get(dni, ()))]

    def resolutions_besides(self, codigo: str) -> list[str]:
        """The resolutions that published the results of the call's other cases, each once, in order:
        an index, so that publishing thousands checks each case in constant time."""
        if self._resoluciones is None:
            self._resoluciones = {c: r for c, (_, h) in self.cases().items() if (r := _resolucion(h))}
            self._por_resolucion = Counter(self._resoluciones.values())
        own = self._resoluciones.get(codigo)
        return sorted(r for r, n in self._por_resolucion.items() if n - (r == own) > 0)

    def update(self, codigo: str, estado: str, hechos: dict[str, Any]) -> None:
        """Keeps the view true inside a batch, where earlier cases already moved (or were created)."""
        if self._cases is not None:
            if self._resoluciones is not None:
                if (antes := self._resoluciones.pop(codigo, None)) is not None:
                    self._por_resolucion[antes] -= 1
                if (ahora := _resolucion(hechos)) is not None:
                    self._resoluciones[codigo] = ahora
                    self._por_resolucion[ahora] += 1
            if self._por_dni is not None:
                if codigo in self._cases:
                    self._por_dni.get((self._cases[codigo][1].get("coordinador") or {}).get("dni"), set()).discard(codigo)
                self._por_dni.setdefault((hechos.get("coordinador") or {}).get("dni"), set()).add(codigo)
            if codigo in self._cases:
                self._counts[self._cases[codigo][0]] -= 1
            self._counts[estado] += 1
            self._cases[codigo] = (estado, hechos)

    def in_states(self, estados: set[str]) -> list[tuple[str, dict[str, Any]]]:
        return [(c, h) for c, (e, h) in self.cases().items() if e in estados]


@dataclass
class Registry:
    """Active flags of the registry (barred entities and coordinators), read by eligibility."""

    load: Callable[[], list[dict[str, Any]]]
    _rows: list[dict[str, Any]] | None = field(default=None, repr=False)

    def flags(self, tipo: str, documento: str, on: date) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = self.load()
        return [r for r in self._rows if r["tipo"] == tipo and r["documento"] == documento
                and r["desde"] <= on and (r["hasta"] is None or on < r["hasta"])]


@dataclass
class Context:
    codigo: str
    estado: str
    hechos: dict[str, Any]
    datos: dict[str, Any]
    call: "Call"
    fecha: date
    convocatoria: CallView | None = None
    registro: "Registry | None" = None
    clave: str | None = None
    """The report a report step addresses: `hitos.N` or `ifr`."""
    plazos: list[dict[str, Any]] | None = None
    """The case's open deadlines (pendiente or vencido), for the rules that read the ledger."""
    calendario: "Calendar | None" = None
    """The call's calendar (the law's counting, the decrees, the officers' days), built once."""

    def plazo(self, tipo: str, hito: str | None = None) -> dict[str, Any] | None:
        rows = [r for r in self.plazos or [] if r["tipo"] == tipo and (hito is None or r["hito"] == hito)]
        return rows[-1] if rows else None

    def need(self, path: str, what: str) -> Any:
        """A fact the rule cannot judge without; its absence refuses the event, naming it."""
        value = self.get(path)
        if value in (None, ""):
            raise MissingFact(f"falta registrar {what} ({path})")
        return value

    def get(self, path: str) -> Any:
        node: Any = self.hechos
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def date(self, path: str) -> date | None:
        value = self.get(path)
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)

    def decimal(self, path: str) -> Decimal | None:
        value = self.get(path)
        if value in (None, ""):
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None

    def add_months(self, start: date, months: int) -> date:
        """A period in months as the call counts it (`calendario.meses_sin_dia_igual`)."""
        from states.calendar import add_months

        return add_months(start, months, self.call.calendario.meses_sin_dia_igual, self.calendario)

    def dates(self, path: str) -> list[date]:
        return [date.fromisoformat(v) for v in self.get(path) or []]
