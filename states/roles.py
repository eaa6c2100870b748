"""The roles of an installation's users, shared by every rule book: each book's acts name some of them.

A fund's officers hold one role each (the unit that receives proposals and checks eligibility, the
evaluator, the committee, the executive direction, the monitor, the administrator); two more act on
no case: the auditor and convoca's own service.
"""
from __future__ import annotations

UES, EVALUADOR, COMITE, DIRECCION, MONITOR, ADMIN = "ues", "evaluador", "comite", "direccion", "monitor", "admin"
AUDITOR = "auditor"
"""Reads and verifies everything and changes nothing: no event or act names it, and on PostgreSQL its
group role may only SELECT (`init --auditores`); it receives the monthly seal of the log."""
SERVICIO = "servicio"
"""The login of convoca's own service (`convoca servicio`, `vigilar`): it writes the rows of
states/servicios.py, and no event or act names it, so no officer's act is ever its."""
ROLES = (UES, EVALUADOR, COMITE, DIRECCION, MONITOR, ADMIN, AUDITOR, SERVICIO)
ACTUAN = tuple(r for r in ROLES if r not in (AUDITOR, SERVICIO))
"""The roles that act on cases and the installation: every role but the auditor's and the service's."""
SOLO_CASOS_ASIGNADOS = (MONITOR,)
"""Roles that act only on the cases assigned to them (`asignar_monitor`): each project has its MP."""
