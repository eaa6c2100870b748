"""Which values of a call file have already decided outcomes, and so cannot change silently.

Reloading a call file is allowed (the bases are sometimes amended), but a value that already
decided something — the places once results are published, the maximum amount once a contract is
signed, a deadline's days once one of those deadlines is running — changes only when the officer
cites the act that modified the bases (`--resolucion`), and the log keeps both.

Each entry names the key (a `*` ending covers a whole section) and what makes it decisive: an
accepted event of the call's cases, or an open or past deadline of one kind.
"""
from __future__ import annotations

from states.call import Decisivo
from states.pct_2019.plazos import BY_TYPE

DECISIVOS: tuple[Decisivo, ...] = (
    Decisivo("evaluacion.*", "ya hay propuestas evaluadas", evento="evaluar"),
    Decisivo("seleccion.puntaje_minimo", "ya hay propuestas evaluadas", evento="evaluar"),
    Decisivo("seleccion.bono_discapacidad", "ya hay propuestas evaluadas", evento="evaluar"),
    Decisivo("seleccion.plazas", "los resultados ya se publicaron", evento="publicar"),
    Decisivo("seleccion.desempate", "los resultados ya se publicaron", evento="publicar"),
    Decisivo("seleccion.presupuesto_total", "los resultados ya se publicaron", evento="publicar"),
    Decisivo("contrato.dias_habiles_para_firmar", "los resultados ya se publicaron", evento="publicar"),
    Decisivo("seleccion.monto_maximo", "ya hay contratos firmados", evento="firmar_contrato"),
    Decisivo("contrato.*", "ya hay contratos firmados", evento="firmar_contrato"),
    Decisivo("presupuesto.*", "ya hay contratos firmados", evento="firmar_contrato"),
    Decisivo("proveedor.*", "ya hay proveedores aprobados", evento="aprobar_proveedor"),
    Decisivo("elegibilidad.*", "ya hay propuestas declaradas aptas o no aptas", evento="declarar_apta"),
    Decisivo("plazos.induccion_dias", "hay plazos P1 abiertos o cumplidos", plazos=("P1",)),
    Decisivo("plazos.negociacion_dias", "hay plazos P2 abiertos o cumplidos", plazos=("P2",)),
    Decisivo("plazos.levantar_itf_dias", "hay plazos P4 abiertos o cumplidos", plazos=("P4",)),
    Decisivo("plazos.fisico_itf_dias_habiles", "hay plazos P5 abiertos o cumplidos", plazos=("P5",)),
    Decisivo("plazos.ifr_dias", "hay plazos P8 abiertos o cumplidos", plazos=("P8",)),
    Decisivo("plazos.levantar_ifr_dias", "hay plazos P9 abiertos o cumplidos", plazos=("P9",)),
    Decisivo("plazos.fisico_ifr_dias_habiles", "hay plazos P10 abiertos o cumplidos", plazos=("P10",)),
    Decisivo("plazos.carta_simple_dias_habiles", "hay plazos P4 o P5 en curso", plazos=("P4", "P5")),
    Decisivo("plazos.carta_notarial_dias_habiles", "hay plazos P4 o P5 en curso", plazos=("P4", "P5")),
    Decisivo("seguimiento.dias_minimos_ampliacion", "hay plazos P7 abiertos o cumplidos", plazos=("P7",)),
    Decisivo("calendario.*", "hay plazos abiertos o cumplidos", plazos=tuple(BY_TYPE)),
)
