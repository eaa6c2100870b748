"""Fictional ANDE «Bienes Públicos Digitales» 2025 applications: valid rows of its import file (an
institution, its partners, its endorsing firms with their attributes), for the demo's story and for
the tests, which break them one rule at a time."""
from __future__ import annotations

import json

from stdnum.uy import rut

DEPARTAMENTOS = ("Montevideo", "Canelones", "Salto", "Paysandú", "Rocha")
CADENAS = ("turismo", "logistica", "industrias_creativas", "otra")


def a_rut(n: int) -> str:
    """A valid RUT, the n-th of those whose check digit is one digit."""
    seq = n * 10
    while len(digit := rut.calc_check_digit(f"21{seq:06d}001")) != 1:
        seq += 1
    return f"21{seq:06d}001{digit}"


def aval(i: int, **changes) -> dict:
    return {"empresa": f"Empresa {i}", "rut": a_rut(500 + i), "ciiu": "6201",
            "departamento": DEPARTAMENTOS[i % len(DEPARTAMENTOS)], "cadena": CADENAS[i % len(CADENAS)],
            "liderada_por_mujer": i % 3 == 0, "chequeo_digital": True, **changes}


def application(n: int, avales: int = 10, **changes) -> dict[str, str]:
    """A valid application: ANDE 1 600 000 of a 2 100 000 total (76 %), counterpart 500 000 (23.8 %),
    300 000 of it in cash (14.3 %)."""
    return {"codigo": f"BPD-{n:04d}", "titulo": f"Plataforma digital del colectivo {n}",
            "fecha_postulacion": "2025-11-20T10:00", "institucion_razon_social": f"Cámara {n}",
            "institucion_rut": a_rut(n), "institucion_tipo": "camara", "institucion_departamento": "Montevideo",
            "responsable_nombre": f"Persona Responsable {n}", "responsable_email": f"responsable{n}@example.org",
            "monto_ande": "1600000.00", "contrapartida_efectivo": "300000.00", "contrapartida_especie": "200000.00",
            "equipamiento": "300000.00", "imprevistos": "50000.00", "administracion_contrapartida": "80000.00",
            "avales": json.dumps([aval(i) for i in range(avales)], ensure_ascii=False),
            "socios": json.dumps([{"nombre": "Socia 1", "rut": a_rut(900), "efectivo": "100000", "especie": "0"}]),
            **changes}

