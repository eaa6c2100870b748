"""`auditoria verificar --desde-sello`: only what was appended since the last verification that passed
(workflow/engine/verification.py), and still everything it touches judged again. On both databases."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from tests.conftest import ON_POSTGRES, Walker
from tests.test_registro_inviolable import forge, run_as, sql, verificar
from tests.test_reglas_rejuzgadas import CASO, _last
from workflow.clock import LIMA


def test_only_the_rows_since_the_last_verification_are_verified_and_a_planted_one_is_named(walker: Walker,
                                                                                               db_url: str):
    walker.to(CASO, "hitos")
    assert "Recordado para la próxima --desde-sello: " in verificar(db_url, code=0).out
    size = json.loads(Path(__import__("os").environ["CONVOCA_VERIFICADO"]).read_text())["filas"]
    walker.step(CASO, "registrar_gasto")  # the log moves on lawfully
    done = verificar(db_url, "--desde-sello", code=0)
    assert done.out.startswith("OK: ") and f"filas nuevas íntegras desde las {size} ya verificadas" in done.out
    legit = _last(walker, "registrar_gasto")
    forge(db_url, caso_id=legit["caso_id"], codigo=CASO, evento="registrar_gasto", usuario=legit["usuario"],
          rol=legit["rol"], estado_origen="hitos", estado_destino="hitos", fecha_efectiva=datetime(2020, 3, 2).date(),
          registrado_en=datetime.now(LIMA), login=None, entrada={**legit["entrada"], "monto": "250000.00"},
          datos=legit["datos"])
    err = verificar(db_url, "--desde-sello").err
    assert "REGLA INCUMPLIDA fila" in err and "(registrar_gasto, E062-0001" in err and "Guía §2.4" in err
    assert "CADENA ROTA" not in err


def test_a_log_rewritten_before_the_verified_checkpoint_is_named(walker: Walker, db_url: str):
    """Whoever rewrites the rows already verified and chains them again cannot keep the verified row's hash."""
    walker.to(CASO, "apta")
    verificar(db_url, code=0)
    guard = [] if ON_POSTGRES else ["DROP TRIGGER auditoria_solo_agregar_update"]  # the owner's own file
    sql(db_url, *guard, "UPDATE auditoria SET hash = 'x' || substr(hash, 2) WHERE id = (SELECT max(id) FROM auditoria)")
    err = verificar(db_url, "--desde-sello").err
    assert "ya no es la que se verificó" in err and "el registro fue reescrito desde entonces" in err


def test_without_an_earlier_verification_it_says_how_to_get_one(db_url: str):
    done = run_as(db_url, "auditoria", "verificar", "--desde-sello", code=2)
    assert "No hay una verificación anterior de convoca/" in done.err and "ejecute una vez" in done.err
