"""`convoca servicio`: the deadline service under APScheduler 3.x.

Periodic jobs only, never one job per deadline: the ledger in our database is the truth, so a
restart loses nothing and the scheduler needs no job store of its own. `coalesce=True` and
`misfire_grace_time=None` make a machine that was off catch up once, not N times and not never;
`max_instances=1` keeps two passes from overlapping.
"""
from __future__ import annotations

import logging
import signal
from datetime import datetime

from states.plural import cuantos
from workflow.clock import LIMA, Clock
from workflow.storage.plain import server_now

log = logging.getLogger("convoca.servicio")


def _spoken(job):
    """A job of the service whose failure is one line in Spanish, without a traceback, the SQL or its
    data: the pass did nothing (one transaction), and the next one tries again."""
    import functools

    @functools.wraps(job)
    def run(url: str, clock: Clock) -> None:
        from workflow.errors import ConvocaError
        from workflow.storage.db import close_all, shown, spoken

        try:
            job(url, clock)
        except ConvocaError as exc:
            log.error("%s: %s", job.__doc__, exc)
        except Exception as exc:  # the database is down, the network dropped: the next pass retries
            known = spoken(exc)
            log.error("%s no se completó (%s) en %s; no se escribió nada y se reintenta en la próxima pasada.",
                      job.__doc__, known or exc.__class__.__name__, shown(url))
        finally:
            close_all()  # each pass opens and checks the database anew: an upgraded schema is noticed

    return run


@_spoken
def _pass(url: str, clock: Clock) -> None:
    """la pasada de vigilar"""
    from workflow.engine.vigilance import pass_and_deliver
    from workflow.storage.db import open_session

    with open_session(url) as session:
        now = clock.sync(server_now(session.connection())).now()
        session.rollback()
        actions, correos = pass_and_deliver(session, now)
        log.info("vigilar %s: %d acciones; %s", now.isoformat(timespec="minutes"), len(actions), correos)


@_spoken
def _digest(url: str, clock: Clock) -> None:
    """el resumen diario; el primer día del mes en que corre, el sello mensual a los auditores; el día
    del ajuste dia_informe, el informe de cartera a la Dirección y a los auditores; los feriados
    nacionales guardados hasta el año siguiente"""
    from notifications.delivery import deliver_pending
    from workflow.engine.agenda import keep_holidays_current
    from workflow.engine.cartera_mensual import queue_reports
    from workflow.engine.digest import queue_digests
    from workflow.engine.sellos import queue_seals
    from workflow.storage.db import open_session

    with open_session(url) as session:
        now = clock.sync(server_now(session.connection())).now()
        session.rollback()
        monitores, auditores = queue_digests(session, now), queue_seals(session, now)
        anios = keep_holidays_current(session, now.astimezone(LIMA).date())
        if anios:
            log.info("feriados nacionales de %s guardados en la base", ", ".join(map(str, anios)))
        informes = queue_reports(session, now)
        log.info("resumen diario: %s; sello mensual: %s; informe de cartera: %s; %s", cuantos(monitores, "monitor"),
                 cuantos(auditores, "auditor"), cuantos(informes, "destinatario"), deliver_pending(session, now))


def run_service(url: str, clock: Clock) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler

    from workflow.storage import settings
    from workflow.storage.db import open_session

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    for handler in logging.getLogger().handlers:  # the log's instants in Lima, as every other instant
        handler.formatter.converter = lambda seconds: datetime.fromtimestamp(seconds, LIMA).timetuple()
    # APScheduler's own lines are English ("Adding job tentatively…"): ours say what happens, in Spanish
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    with open_session(url) as session:
        ajustes = settings.read(session.connection())
    hora, minuto = (int(x) for x in ajustes.hora_resumen.split(":"))
    scheduler = BlockingScheduler(timezone=LIMA)
    defaults = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(_pass, "interval", minutes=ajustes.intervalo_minutos, args=(url, clock),
                      next_run_time=clock.now(), id="vigilar", **defaults)
    scheduler.add_job(_digest, "cron", hour=hora, minute=minuto, args=(url, clock), id="resumen", **defaults)

    stopped: list[int] = []

    def stop(signum, _frame) -> None:
        """Stops at once; a signal before the scheduler has started means it does not start."""
        log.info("señal %s: deteniendo el servicio", signal.Signals(signum).name)
        stopped.append(signum)
        if scheduler.running:
            scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("servicio iniciado: vigilar cada %d min, resumen diario a las %s (Lima)",
             ajustes.intervalo_minutos, ajustes.hora_resumen)
    if not stopped:
        scheduler.start()
    log.info("servicio detenido")
