"""The example that ends every command's help: real commands on the demonstration's database, which
holds two calls (a command about one call names it, `--convocatoria`).

The installation's commands have theirs here; a command a book's declarations give (`evaluar`,
`hito`, `seleccionar`…) has its book's (`Book.ejemplos`). Told in the order of
`tests/test_ejemplos.py`, they are a short story of the demo after `convoca demo` (export
CONVOCA_DB=demo.db): a late proposal arrives, is checked and refused; a monitor records a visit and a
milestone's step; the officers read their agenda, their mail and the record; the record is sealed,
exported and restored. The suite runs every line, so an example that stops working fails the build.
"""
from __future__ import annotations

EJEMPLOS: dict[str, tuple[str, ...]] = {
    "init": ("convoca --db capacitacion.db init --ensayo",),
    "completado": ("convoca completado bash",),
    "demo": ("convoca demo --base demo.db",),
    "plantilla": ("convoca plantilla registrar_visita --convocatoria E062-2019-01 --xlsx visitas.xlsx",),
    "importar": ("convoca importar tardia.csv --convocatoria E062-2019-01 --usuario mesa.partes",),
    "listar": ("convoca listar --estado postulada",),
    "ver": ("convoca ver E062-0010",),
    "eventos": ("convoca eventos apta --convocatoria E062-2019-01",),
    "avanzar": ("convoca avanzar E062-0043 declarar_apta --fecha 2019-10-25 --usuario ues.ana",),
    "rectificar": ("convoca rectificar 630 --fecha 2019-10-28 --usuario ues.ana "
                   "--motivo \"La verificación se hizo el lunes 28\"",),
    "anular": ("convoca anular 631 --usuario de.director --motivo \"La fecha original era la correcta\" "
               "--resolucion \"RDE 045-2020-FONDECYT-DE\"",),
    "lote": ("convoca lote visitas.csv --simular --usuario usm.luis",),
    "asignar": ("convoca asignar E062-0012 usm.luis --usuario ues.ana",),
    "registro": ("convoca registro",),
    "plazos": ("convoca plazos --mios --semana --usuario usm.luis",),
    "informe": ("convoca informe --convocatoria E062-2019-01 --al 2020-03-31 --html cartera-marzo.html",),
    "vigilar": ("convoca vigilar --simular --hasta 2020-07-31",),
    "servicio": ("convoca servicio",),
    "calendario listar": ("convoca calendario 2020 --pais PE",),
    "calendario agregar": ("convoca calendario agregar 2020-03-16 --hasta 2020-06-30 --pais PE --norma \"Decreto Supremo 044-2020-PCM\" "
                           "--tipo suspension --usuario admin",),
    "ajustes": ("convoca ajustes",),
    "ajustes fijar": ("convoca ajustes fijar intentos_envio 1 --usuario admin",),
    "correos": ("convoca correos --estado pendiente",),
    "correos previsualizar": ("convoca correos previsualizar E062-0010 recordatorio",),
    "correos resumen": ("convoca correos resumen --monitor usm.luis",),
    "correos retirar": ("convoca correos retirar 2 --usuario admin --motivo \"Se entregó en mano\"",),
    "correos enviar": ("convoca correos enviar",),
    "correos reintentar": ("convoca correos --estado fallido", "convoca correos reintentar 1 --usuario admin"),
    "cartas": ("convoca cartas",),
    "notificaciones": ("convoca notificaciones",),
    "carta": ("convoca carta 138 --pdf carta-simple.pdf",),
    "usuarios agregar": ("convoca usuarios agregar usm.rosa --rol monitor --email rosa@fondecyt.gob.pe "
                         "--usuario admin",),
    "usuarios listar": ("convoca usuarios listar",),
    "usuarios desactivar": ("convoca usuarios desactivar usm.rosa --usuario admin",),
    "usuarios reactivar": ("convoca usuarios reactivar usm.rosa --usuario admin",),
    "usuarios rol": ("convoca usuarios rol usm.rosa --rol ues --usuario admin",),
    "usuarios correo": ("convoca usuarios correo usm.rosa rosa.perez@fondecyt.gob.pe --usuario admin",),
    "historial": ("convoca historial E062-0010",),
    "diagrama": ("convoca diagrama --convocatoria E062-2019-01",),
    "auditoria": ("convoca auditoria --caso E062-0010 --rechazados",),
    "auditoria verificar": ("convoca auditoria verificar",),
    "auditoria clave": ("convoca auditoria clave --crear --publica clave-publica.txt",
                        "convoca auditoria clave --crear --nombre oci.gob.pe/testigo --archivo testigo.clave"),
    "auditoria sellar": ("convoca auditoria sellar --archivo sello.json --punto-control punto-control.txt",),
    "auditoria reloj": ("convoca auditoria reloj",),
    "auditoria cofirmas": ("convoca auditoria cofirmas",),
    "auditoria prueba": ("convoca auditoria prueba --fila 10 --archivo prueba-fila-10.json",),
    "auditoria cofirmar": ("convoca auditoria cofirmar punto-control.txt --clave-instalacion clave-publica.txt "
                           "--clave-testigo testigo.clave --estado testigo-ultimo.txt",),
    "auditoria exportar": ("convoca auditoria exportar para-auditor",),
    "respaldo": ("convoca respaldo copia.db",),
    "restaurar": ("convoca restaurar copia.db",),
}
"""Command (as typed after `convoca`) → the lines of its example: the installation's own commands."""


def _with_books() -> dict[str, tuple[str, ...]]:
    """Those, and the examples of the commands a registered book's declarations give (its stage
    commands, its selection's), the first book's where two give the same command."""
    from states.books import all_books

    out = dict(EJEMPLOS)
    for book in all_books():
        for comando, lineas in book.ejemplos.items():
            out.setdefault(comando, lineas)
    return out


TODOS = _with_books()
"""Every command's example."""
