"""Benchmarks, each figure printed beside a baseline measured in the same run, on this machine, at
two sizes so that the growth shows. `make bench` (or `.venv/bin/python bench/run.py --tamanos 10000,100000`).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.data import HABILES, apt_cases, cases_in_execution, evaluated_cases, second_call  # noqa: E402

CONVOCA = shutil.which("convoca", path=str(Path(sys.executable).parent))


def wall(cmd: list[str], runs: int = 5, env: dict | None = None) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired(cmd: list[str], env: dict | None = None, runs: int = 9) -> tuple[float, float]:
    """A command and `python -c pass`, run alternately, each side taken at its median: on a machine
    that other work slows down now and then, both sides meet the same moments."""
    ours, base = [], []
    for _ in range(runs):
        base.append(wall([sys.executable, "-c", "pass"], 1))
        ours.append(wall(cmd, 1, env))
    return statistics.median(ours), statistics.median(base)


def line(name: str, ours: float, base_name: str, base: float, target: str, extra: str = "") -> None:
    ratio = ours / base
    shown = f"{ratio:6.2f}" if ratio < 1 else f"{ratio:6.1f}"
    print(f"  {name:<46} {ours * 1000:9.0f} ms   {base_name:<30} {base * 1000:8.1f} ms   "
          f"{shown}×   {target}{('   ' + extra) if extra else ''}", flush=True)


def bench_help() -> None:
    line("convoca --help", *(lambda o, b: (o, "python -c pass", b))(*paired([CONVOCA, "--help"])), "meta < 10×")


def bench_demo(runs: int) -> None:
    """`ver` of every case of the demo, its richest (E062-0010: a whole history, letters, milestones)
    apart, and `listar`, as an officer runs them on the demonstration's database, beside `python -c pass`."""
    from workflow.storage.plain import open_plain, select_rows

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        subprocess.run([CONVOCA, "demo", "--base", str(db), "--csv", str(Path(tmp) / "p.csv")], check=True,
                       capture_output=True)
        env = {**os.environ, "CONVOCA_DB": str(db), "COLUMNS": "120"}
        for name, args in (("convoca ver E062-0010 (demo)", ["ver", "E062-0010"]),
                           ("convoca listar (demo)", ["listar"])):
            ours, base = paired([CONVOCA, *args], env)
            line(name, ours, "python -c pass (alternados)", base, "meta ≤ 15×")
            floor_cmd, packages = only_its_libraries(args, env)
            floor, base = paired(floor_cmd, env)
            line(f"  solo importar sus {len(packages)} bibliotecas", floor, "python -c pass (alternados)", base,
                 "", "(el piso: nada de convoca)")
        conn = open_plain(f"sqlite:///{db}")
        codes = [r.codigo for r in select_rows(conn, "SELECT codigo FROM caso ORDER BY codigo")]
        conn.close()
        ratios = {}
        for codigo in codes:
            ours, base = paired([CONVOCA, "ver", codigo], env, runs)
            ratios[codigo] = (ours / base, ours, base)
        worst = max(ratios, key=lambda c: ratios[c][0])
        line(f"convoca ver, el más lento de {len(codes)} casos: {worst}", ratios[worst][1],
             "python -c pass (alternados)", ratios[worst][2], "meta ≤ 15×",
             f"(mediana de los {len(codes)}: {statistics.median(r[0] for r in ratios.values()):.1f}×)")


def only_its_libraries(args: list[str], env: dict) -> tuple[list[str], set[str]]:
    """A command that imports, in the same order and with the same collector settings, every module
    of a third-party library that `convoca ARGS` ends up with, and does nothing else: the floor
    below which no work of ours can bring that command (sqlalchemy, pydantic, typer, rich...).
    With it, the packages those modules belong to."""
    from workflow.cli.app import RECOLECTOR

    probe = ("import atexit, json, sys\n"
             "def modules():\n"
             "    mods = [n for n, m in list(sys.modules.items()) if 'site-packages' in (getattr(m, '__file__', '') or '')"
             " and not n.startswith('__editable__')]\n"
             "    sys.stderr.write('\\n' + json.dumps(mods))\n"
             "atexit.register(modules)\n"
             f"sys.argv = ['convoca', *{args!r}]\n"
             "from workflow.cli.app import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
    modules = json.loads(done.stderr.splitlines()[-1])
    return ([sys.executable, "-c", f"import gc, importlib\ngc.set_threshold(*{RECOLECTOR!r})\n"
             f"for m in {modules!r}:\n    importlib.import_module(m)\ngc.freeze()\n"],
            {m.split(".")[0] for m in modules})


def bench_publish(url_for, n: int, label: str) -> None:
    from sqlmodel import Session

    from states.pct_2019.demo_data import COMITE
    from workflow.clock import Clock
    from workflow.engine.calls import call_of
    from workflow.engine.selection import publish, rank
    from workflow.storage.db import connect

    url = evaluated_cases(url_for("publicar"), n)
    engine = connect(url)
    with Session(engine) as s:
        call = call_of(s)
        pre = [r.codigo for r in rank(s, call).preseleccion()]
        acta = {"numero": "ACTA-B", "fecha": "2019-11-14", **COMITE,  # a committee as the bases make it
                "seleccionadas": pre[:call.seleccion.plazas], "accesitarias": pre[call.seleccion.plazas:]}
        s.rollback()
        start = time.perf_counter()
        publish(s, call, "RDE-BENCH", date(2019, 11, 18), "bench", Clock(), acta)
        ours = time.perf_counter() - start
    engine.dispose()
    plain = _plain_writes(evaluated_cases(url_for("plano"), n), n, "aprobada", "publicar",
                          {"resultado": {"resultado": "aprobada"}})
    line(f"publicar {n} evaluadas ({label})", ours, "UPDATE+INSERT executemany", plain, "meta < 20×")


def _plain_writes(url: str, n: int, estado: str, evento: str, patch: dict) -> float:
    """The floor of a batch of events: its case updates and audit rows as two raw `executemany`."""
    from sqlalchemy import bindparam, func, insert, select, update
    from sqlmodel import Session

    from workflow.storage.db import connect
    from workflow.storage.models import AuditRecord, CaseRecord

    engine = connect(url)
    with Session(engine) as s:
        caso = CaseRecord.__table__
        hechos = dict(s.execute(select(caso.c.id, caso.c.hechos).order_by(caso.c.id).limit(n)).all())
        first = (s.execute(select(func.max(AuditRecord.id))).scalar() or 0) + 1
        s.rollback()
        params = [{"b_id": i, "b_estado": estado, "b_version": v, "b_hechos": {**h, **patch}}
                  for v, (i, h) in enumerate(hechos.items())]
        audit = [{"id": first + k, "caso_id": i, "codigo": f"B-{i:06d}", "evento": evento, "estado_origen": "x",
                  "estado_destino": estado, "usuario": "bench", "registrado_en": datetime.now().astimezone(),
                  "fecha_efectiva": date(2019, 11, 18), "nota": None, "datos": patch, "reglas": [],
                  "plazos": [], "aceptado": True, "motivos": [], "hash_previo": "", "hash": ""}
                 for k, i in enumerate(hechos)]
        conn = s.connection()
        if conn.dialect.name == "postgresql":  # the floor is raw SQL: the rows without convoca's guards
            conn.exec_driver_sql("SET LOCAL session_replication_role = replica")  # (the bench's own superuser)
        start = time.perf_counter()
        conn.execute(update(caso).where(caso.c.id == bindparam("b_id"))
                     .values(estado=bindparam("b_estado"), hechos=bindparam("b_hechos"), version=caso.c.version + 1),
                     params)
        conn.execute(insert(AuditRecord.__table__), audit)
        s.commit()
        plain = time.perf_counter() - start
    engine.dispose()
    return plain


LOTE = 1000
RUNS = 5
"""A pass that acts runs once on a database: it is timed on this many copies (the median)."""


def bench_lote(url_for, n: int, tmp: Path) -> None:
    """1 000 fichas in one file, on a call of `n` cases: the dry run, then the real run."""
    from openpyxl import Workbook
    from sqlmodel import Session

    from workflow.clock import FixedClock
    from workflow.engine.bulk import run_file
    from workflow.storage.db import connect

    path = tmp / "fichas.xlsx"
    book = Workbook()
    book.active.append(["codigo", "evento", "fecha", "presencia", "relevancia", "inventivo", "comentarios"])
    for i in range(LOTE):
        book.active.append([f"B-{i * (n // LOTE):06d}", "evaluar", date(2019, 11, 8), 1 + i % 5, 1 + i % 4, 1 + i % 3,
                            f"ficha {i}"])
    book.save(path)
    url = apt_cases(url_for("lote"), n)
    engine = connect(url)
    clock = FixedClock(datetime(2019, 11, 8, 17, 0))
    with Session(engine) as s:
        start = time.perf_counter()
        dry = run_file(s, path, "indecopi", clock, simular=True)
        simulated = time.perf_counter() - start
        start = time.perf_counter()
        real = run_file(s, path, "indecopi", clock, simular=False)
        ours = time.perf_counter() - start
    engine.dispose()
    assert not dry.rechazadas and not real.rechazadas
    plain = _plain_writes(apt_cases(url_for("lote_plano"), n), LOTE, "evaluada", "evaluar",
                          {"evaluacion": {"puntaje": "3.0", "puntaje_final": "3.0", "aprobado": True}})
    line(f"lote {LOTE} fichas .xlsx sobre {n} casos", ours, "UPDATE+INSERT executemany", plain, "meta ≤ 20×")
    line("lote --simular del mismo archivo", simulated, "el lote real", ours, "meta ≤ 1×")


def bench_import(url_for, n: int, tmp: Path) -> None:
    from sqlalchemy import insert
    from sqlmodel import Session

    from bench.data import _base
    from states.historia import write_csv
    from states.pct_2019.demo_data import proposals
    from workflow.engine.calls import call_of
    from workflow.engine.importer import import_file
    from workflow.storage.db import connect
    from workflow.storage.models import CaseRecord

    rows = proposals(n, seed=5)
    for i, r in enumerate(rows):
        r["coordinador_dni"] = f"{10000000 + i * 7:08d}"
    path = write_csv(rows, tmp / f"postulaciones-{n}.csv")
    url = url_for("importar")
    _base(url)
    engine = connect(url)
    with Session(engine) as s:
        start = time.perf_counter()
        import_file(s, call_of(s), path, "ues")
        ours = time.perf_counter() - start
    engine.dispose()
    url = url_for("importar_plano")
    _base(url)
    engine = connect(url)
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as f:
        data = [{"codigo": r["codigo"], "convocatoria": "E062-2019-01", "estado": "postulada", "version": 1,
                 "hechos": r} for r in csv.DictReader(f)]
    with engine.begin() as conn:
        conn.execute(insert(CaseRecord.__table__), data)
    plain = time.perf_counter() - start
    engine.dispose()
    line(f"importar {n} postulaciones (CSV, validadas)", ours, "csv + executemany", plain,
         f"meta ≤ 3 s a 10 000 → {'cumple' if n != 10000 or ours <= 3 else 'NO cumple'}")


def bench_vigilar(url_for, n: int) -> None:
    """The acting pass beside the raw `executemany` of exactly the rows it wrote (its deadline
    updates, outbox rows and audit rows, copied) on a twin database; then the pass with nothing to do.
    A pass that acts can run once on a database: each figure is the median over copies."""
    from sqlalchemy import bindparam, insert, select, update

    from notifications.outbox import MENSAJE
    from workflow.storage.audit import AUDITORIA
    from workflow.storage.db import connect
    from workflow.storage.tables import PLAZO

    def copies(url: str) -> list[str]:
        source = Path(url.removeprefix("sqlite:///"))
        out = []
        for k in range(RUNS):
            copy = source.with_name(f"{source.stem}-{k}.db")
            shutil.copy(source, copy)
            out.append(f"sqlite:///{copy}")
        return out

    instant = "2020-03-02T09:00"
    # peak memory from VmHWM: ru_maxrss would carry over the parent's peak across exec. The templates
    # are loaded before the clock starts, as in the service, which keeps them between passes.
    script = ("import sys, time; from datetime import datetime; from sqlmodel import Session;"
              "from workflow.storage.db import connect; from workflow.engine.vigilance import run_pass; from workflow.clock import LIMA;"
              "from notifications.render import _environments; _environments();"
              "e = connect(sys.argv[1]); s = Session(e); t = time.perf_counter();"
              f"a = run_pass(s, datetime.fromisoformat({instant!r}).replace(tzinfo=LIMA)); s.commit();"
              "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1];"
              "print(time.perf_counter() - t, len(a), hwm)")
    acting, idle = [], []
    dbs = copies(cases_in_execution(url_for("vigilar"), n))
    for url in dbs:
        for out in (acting, idle):
            out.append(subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True,
                                      check=True).stdout.split())
    peak = max(int(r[2]) for r in acting + idle) / 1024
    engine = connect(dbs[0])
    with engine.connect() as conn:
        mensajes = [dict(r._mapping) for r in conn.execute(select(MENSAJE))]
        filas = [dict(r._mapping) for r in conn.execute(select(AUDITORIA).where(AUDITORIA.c.usuario == "vigilar"))]
        plazos = [{"b_id": r.id, "b_estado": r.estado, "b_motivo": r.motivo, "b_escalamiento": r.escalamiento,
                   "b_escalamiento_vence": r.escalamiento_vence}
                  for r in conn.execute(select(PLAZO).where(PLAZO.c.estado == "vencido"))]
    engine.dispose()
    found, plain = [], []
    for url in copies(cases_in_execution(url_for("vigilar_plano"), n)):
        engine = connect(url)
        with engine.begin() as conn:
            start = time.perf_counter()
            due = conn.execute(select(PLAZO).where(PLAZO.c.estado == "pendiente", PLAZO.c.vence < date(2020, 3, 2))).all()
            found.append(time.perf_counter() - start)
            conn.execute(update(PLAZO).where(PLAZO.c.id == bindparam("b_id"))
                         .values(estado=bindparam("b_estado"), motivo=bindparam("b_motivo"),
                                 escalamiento=bindparam("b_escalamiento"),
                                 escalamiento_vence=bindparam("b_escalamiento_vence")), plazos)
            conn.execute(insert(MENSAJE), mensajes)
            conn.execute(insert(AUDITORIA), filas)
            plain.append(time.perf_counter() - start)
        engine.dispose()
    median = statistics.median
    line(f"vigilar {n} casos, {5 * n} plazos: 2.ª pasada", median(float(r[0]) for r in idle),
         f"SELECT de {len(due)} vencidos", median(found), "meta ≤ 3×", "(nada que hacer: solo encuentra)")
    line(f"vigilar {n} casos: 1.ª pasada ({acting[0][1]} acciones)", median(float(r[0]) for r in acting),
         f"SELECT + executemany de {len(plazos)}+{len(mensajes)}+{len(filas)}", median(plain), "meta ≤ 5×",
         f"pico de memoria {peak:.0f} MB (meta ≤ 200 MB)")


def bench_cli(url_for, n: int) -> None:
    """`ver` and `listar` on one call of `n` cases, then on a database that also holds ANDE's call with
    as many: each figure of two calls beside `python -c pass`, and its time beside the same command's
    on one call in this run (≤ 1.1×: `python -c pass` itself varies by a third between runs here)."""
    url = cases_in_execution(url_for("cli"), n)
    env = {**os.environ, "CONVOCA_DB": url, "COLUMNS": "160", "CONVOCA_AHORA": "2020-03-02T09:00"}
    codigo = f"B-{n // 2:06d}"
    one = {}
    for name, args, target in ((f"convoca ver (1 caso entre {n})", ["ver", codigo], "meta ≤ 15×"),
                               (f"convoca ver --json (1 caso entre {n})", ["ver", codigo, "--json"], ""),
                               (f"convoca ver, caso con plazo en días hábiles ({n})", ["ver", HABILES], "meta ≤ 15×"),
                               (f"convoca listar --estado hitos, pág. 1 ({n})", ["listar", "--estado", "hitos"],
                                "meta ≤ 15×")):
        ours, base = paired([CONVOCA, *args], env)
        line(name, ours, "python -c pass (alternados)", base, target)
        one.setdefault(args[0], ours)
    second_call(url, n)
    for name, args in ((f"ver (E062, 2 convocatorias × {n})", ["ver", codigo]),
                       (f"ver (ANDE, 2 convocatorias × {n})", ["ver", f"A-{n // 2:06d}"]),
                       (f"listar --convocatoria E062 (2 × {n})", ["listar", "--convocatoria", "E062-2019-01",
                                                                  "--estado", "hitos"]),
                       (f"listar --convocatoria ANDE (2 × {n})", ["listar", "--convocatoria", "ANDE-BPD-2025",
                                                                  "--estado", "en_ejecucion"])):
        ours, base = paired([CONVOCA, *args], env)
        frente = ours / one[args[0]]
        line(name, ours, "python -c pass (alternados)", base,
             f"{frente:.2f}× el de 1 convocatoria, meta ≤ 1.1× → {'cumple' if frente <= 1.1 else 'NO cumple'}")


def bench_history(url_for, n: int) -> None:
    """A late record and a rectification on a case with 100 events, beside an ordinary event on the
    same case; `auditoria verificar` over `n` cases beside a plain read of the audit table."""
    from datetime import date, datetime, timedelta

    from sqlalchemy import select
    from sqlmodel import Session

    from bench.data import ASSIGNED, _facts
    from workflow.clock import LIMA, FixedClock
    from workflow.engine.cases import Request, apply
    from workflow.engine.installation import altered_settings
    from workflow.engine.integrity import problems
    from workflow.engine.replay import altered_cases
    from workflow.storage import audit
    from workflow.storage.db import connect
    from workflow.storage.tables import AUDITORIA

    url = cases_in_execution(url_for("historia"), n)
    engine = connect(url)
    clock = FixedClock(datetime(2020, 12, 31, 12, 0, tzinfo=LIMA))
    with Session(engine) as s:
        audit.append(s.connection(), [audit.Entry(f"B-{i:06d}", "postular", "ues", date(2019, 10, 1), caso_id=i + 1,
                                                  estado_destino="hitos", rol="ues", datos={**_facts(i), **ASSIGNED})
                                      for i in range(n)])
        s.commit()
        codigo = "B-000001"

        def visit(fecha, refiere=None, datos=None):
            start = time.perf_counter()
            apply(s, [Request(codigo, "registrar_visita", datos or {"anunciada": "si", "acta": "A"}, "usm", fecha,
                              "bench", refiere=refiere)], clock)
            return time.perf_counter() - start

        for i in range(100):
            visit(date(2020, 1, 10) + timedelta(days=i))
        ordinary = statistics.median(visit(date(2020, 5, 1) + timedelta(days=i)) for i in range(5))
        late = statistics.median(visit(date(2020, 1, 5) + timedelta(days=i)) for i in range(5))
        early = s.execute(select(AUDITORIA.c.id).where(AUDITORIA.c.codigo == codigo, AUDITORIA.c.evento ==
                                                       "registrar_visita").order_by(AUDITORIA.c.id).limit(5)).scalars()
        rectified = statistics.median(visit(None, refiere=i, datos={"acta": "B"}) for i in list(early))
    line("registro tardío en un caso de 100 eventos", late, "un evento en el mismo caso", ordinary, "meta ≤ 3×")
    line("rectificación en un caso de 100 eventos", rectified, "un evento en el mismo caso", ordinary, "meta ≤ 3×")
    with Session(engine) as s:
        start = time.perf_counter()
        s.execute(select(AUDITORIA)).all()
        plain = time.perf_counter() - start
        start = time.perf_counter()
        audit.verify(s.connection())
        altered_cases(s), altered_settings(s), problems(s)  # what `auditoria verificar` runs, every table
        verify = time.perf_counter() - start
    engine.dispose()
    line(f"auditoria verificar ({n} casos)", verify, "SELECT de toda la auditoría", plain, "")


def bench_informe(url_for, n: int) -> None:
    """The portfolio report of `n` cases in execution (two acts each, five deadlines opened by the
    second) beside the plain queries it needs: every accepted audit row of the call's cases, read."""
    from datetime import date, datetime

    from sqlalchemy import select
    from sqlmodel import Session

    from bench.data import ASSIGNED, _facts
    from workflow.clock import LIMA
    from workflow.engine.calls import call_of
    from workflow.engine.cartera import portfolio
    from workflow.storage import audit
    from workflow.storage.db import connect
    from workflow.storage.tables import AUDITORIA, CASO

    url = cases_in_execution(url_for("informe"), n)
    engine = connect(url)
    with Session(engine) as s:
        ids = {codigo: id_ for codigo, id_ in s.execute(select(CASO.c.codigo, CASO.c.id))}
        entries = []
        for i in range(n):
            codigo = f"B-{i:06d}"
            entries.append(audit.Entry(codigo, "postular", "ues", date(2019, 10, 1), caso_id=ids[codigo],
                                       estado_destino="hitos", rol="ues", datos={**_facts(i), **ASSIGNED}))
            entries.append(audit.Entry(codigo, "aprobar_po", "usm", date(2020, 1, 3), caso_id=ids[codigo],
                                       estado_origen="hitos", estado_destino="hitos", rol="monitor", plazos=[
                                           {"accion": "abrir", "tipo": "P3", "hito": str(h), "responsable": "EE",
                                            "cuenta": "fecha", "desde": "2020-01-03", "vence": f"2020-0{h + 1}-15",
                                            "abierto_por": "aprobar_po", "id": 5 * i + h} for h in range(1, 6)]))
        audit.append(s.connection(), entries)
        s.commit()
    times, plain = [], []
    for _ in range(3):
        with engine.connect() as conn:
            call = call_of(conn)
            start = time.perf_counter()
            conn.execute(select(AUDITORIA).join(CASO, CASO.c.id == AUDITORIA.c.caso_id)
                         .where(CASO.c.convocatoria == call.codigo, AUDITORIA.c.aceptado.is_(True))).all()
            plain.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = portfolio(conn, call, date(2020, 6, 30), None, datetime.now(LIMA))
            times.append(time.perf_counter() - start)
    engine.dispose()
    assert report.casos == n
    line(f"informe de cartera ({n} casos, {2 * n} actos)", statistics.median(times),
         "SELECT de sus filas de auditoría", statistics.median(plain), "meta ≤ 10×")
    from workflow.files.informe import html

    start = time.perf_counter()
    page = html(report.as_dict(), False)
    line(f"  su página HTML con 4 gráficos ({len(page) // 1024} KB)", time.perf_counter() - start,
         "el informe mismo", statistics.median(times), "")


def bench_incremental(filas: int, nuevas: int) -> None:
    """`auditoria verificar --desde-sello` of the `nuevas` newest rows of a log of `filas`, beside the
    whole verification of the same log, in the same run; both must name the row planted among them."""
    from bench.registro import long_log, remembered
    from workflow.engine.checkpoints import origin
    from workflow.storage.db import connect

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        log = long_log(tmp, filas, nuevas, casos=min(5_000, max(filas // 50, 100)))
        made = time.perf_counter() - start
        engine = connect(log.url)
        with engine.connect() as conn:
            origen = origin(conn)
        engine.dispose()
        env = {**os.environ, "CONVOCA_DB": log.url, "CONVOCA_VERIFICADO": str(remembered(log, origen, tmp / "v.json"))}
        times, said = {}, {}
        for name, args in (("desde", ["--desde-sello"]), ("entera", [])):
            start = time.perf_counter()
            done = subprocess.run([CONVOCA, "auditoria", "verificar", *args], env=env, capture_output=True, text=True)
            times[name] = time.perf_counter() - start
            said[name] = done.stderr
            assert done.returncode == 4, done.stderr[-2000:] + done.stdout[-2000:]
            assert f"fila {log.plantada} (asignar_monitor" in done.stderr, done.stderr[-2000:]
        print(f"  (registro de {log.filas} filas escrito en {made:.0f} s; la fila plantada, {log.plantada}, nombrada "
              "por las dos)", flush=True)
    line(f"verificar --desde-sello ({nuevas} de {log.filas} filas)", times["desde"],
         "verificar entera, la misma base", times["entera"], "meta ≤ 0.1×")


def compiled() -> None:
    """The source tree byte-compiled, as pip leaves the installed wheel: where PYTHONDONTWRITEBYTECODE
    is set (as on this machine) an editable tree would otherwise be compiled again by every command
    measured, ~0.1 s that no installation pays."""
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("workflow", "states", "notifications"):
        compileall.compile_dir(root / package, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tamanos", default="10000,100000")
    parser.add_argument("--sin-postgresql", action="store_true")
    parser.add_argument("--corridas-por-caso", type=int, default=5, help="de `ver` en cada caso de la demostración")
    parser.add_argument("--registro", default="1000000,20000", help="FILAS,NUEVAS de la verificación incremental")
    args = parser.parse_args()
    sizes = [int(x) for x in args.tamanos.split(",")]
    compiled()
    print(f"máquina: {platform.machine()}, {os.cpu_count()} núcleos, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2 ** 30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.platform()}")
    print(f"  {'cifra':<46} {'convoca':>12}   {'línea base':<30} {'':>11}   {'razón':>6}")
    bench_help()
    bench_demo(args.corridas_por_caso)
    bench_incremental(*(int(x) for x in args.registro.split(",")))
    server = None
    if not args.sin_postgresql:
        from tests.pg import Server

        server = Server()
    try:
        for n in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                tmp = Path(tmp)

                def sqlite(name: str) -> str:
                    return f"sqlite:///{tmp / f'{name}-{time.perf_counter_ns()}.db'}"

                print(f"— {n} casos")
                bench_import(sqlite, n, tmp)
                bench_lote(sqlite, n, tmp)
                bench_publish(sqlite, n, "SQLite")
                if server:
                    bench_publish(lambda _: server.url(server.new_database()), n, "PostgreSQL")
                bench_vigilar(sqlite, n)
                bench_cli(sqlite, n)
                bench_history(sqlite, n)
                bench_informe(sqlite, n)
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
