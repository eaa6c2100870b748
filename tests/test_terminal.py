"""An officer's terminal: at 80 and 120 columns the four views they live in fit, cut no token and
lose no value; on a real terminal (tmux, 80×24) a long case opens in the pager, and `--sin-paginar`
writes it all at once."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli import convoca
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the demo is an SQLite file")

VIEWS = (["ver", "E062-0010"], ["auditoria", "--caso", "E062-0010"], ["plazos"], ["correos"])
BOX = set("─━│┃┏┓┗┛┡┩┳┻╇┣┫╋┠┨┯┷┼├┤┬┴┌┐└┘╭╮╰╯═║╔╗╚╝")
PUNCTUATION = ",;:()[]«»."


def _tokens(text: str) -> set[str]:
    """Every word of the text as a reader sees it: box drawing, the punctuation around it and the
`=` of a wide line's «clave=valor» aside."""
    out = set()
    for word in text.replace("=", " ").split():
        word = "".join(c for c in word if c not in BOX).strip(PUNCTUATION)
        if word:
            out.add(word)
    return out


def _env(demo_db: Path, columns: str | None) -> dict[str, str | None]:
    return {"CONVOCA_DB": str(demo_db), "CONVOCA_AHORA": "2020-03-20T09:00", "COLUMNS": columns}


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_each_view_fits_the_terminal_whole(demo_db: Path, args, width):
    whole = convoca(*args, env=_env(demo_db, None))  # piped without COLUMNS: one line per row
    narrow = convoca(*args, env=_env(demo_db, str(width)))
    assert whole.code == narrow.code == 0, narrow.err
    lines = narrow.out.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in narrow.out
    headers = _tokens("\n".join(line for line in whole.out.splitlines() if "┃" in line))  # of empty columns too
    missing = {t for t in _tokens(whole.out) - _tokens(narrow.out) - headers if len(t) < width - 2}
    assert not missing, f"cortados o ausentes a {width} columnas: {sorted(missing)[:20]}"
    crumbs = [line for line in lines if len("".join(c for c in line if c not in BOX).strip()) == 1]
    assert not crumbs  # never a letter per line


def test_overdue_and_this_week_say_so_in_words_that_survive_no_color(demo_db: Path):
    env = {**_env(demo_db, "80"), "NO_COLOR": "1"}
    shown = convoca("plazos", "--caso", "E062-0010", env=env).out
    assert "VENCIDO hace" in shown and "\x1b[" not in shown
    soon = convoca("plazos", "--semana", "--json", env=env).out
    assert '"urgencia": "esta semana"' in soon or '"urgencia": "vencido"' in soon


def _tmux(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=True, env=env).stdout


SOCKET = f"convoca-prueba-{os.getpid()}"


def _screen_until(done, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        screen = _tmux("capture-pane", "-p", "-t", "t").splitlines()
        if done(screen) or time.monotonic() > deadline:
            return screen
        time.sleep(0.2)


def test_a_long_case_opens_in_the_pager_of_an_80_column_terminal(demo_db: Path, tmp_path: Path):
    convoca_bin = Path(sys.executable).parent / "convoca"
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "LINES", "LESS", "PAGER", "NO_COLOR", "TMUX") and not k.startswith("CONVOCA_")}
    env |= {"TERM": "xterm-256color", "CONVOCA_AHORA": "2020-03-20T09:00", "PS1": "$ "}
    _tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "80", "-y", "24", "-c", str(tmp_path),
          "bash --norc --noprofile", env=env)
    try:
        _tmux("send-keys", "-t", "t", f"{convoca_bin} --db {demo_db} ver E062-0010", "Enter")
        screen = _screen_until(lambda s: s and s[-1].startswith(":"))
        assert screen[-1].startswith(":"), "\n".join(screen)  # less waits for the officer
        text = [line for line in screen[:-1] if line.strip()]
        assert text[0].startswith("ENSAYO") and any(line.startswith("E062-0010 — Hitos") for line in text)
        assert all(len(line) <= 80 for line in screen) and "postulacion" in "\n".join(text)
        assert "\x1b" not in "\n".join(screen) and "ESC[" not in "\n".join(screen)  # colour reached less as colour
        _tmux("send-keys", "-t", "t", "q")
        _tmux("send-keys", "-t", "t", "clear; " f"{convoca_bin} --db {demo_db} ver E062-0010 --sin-paginar; echo fin=$?",
              "Enter")
        screen = _screen_until(lambda s: any(line.startswith("fin=") for line in s))
        assert any(line == "fin=0" for line in screen) and not any(line.startswith(":") for line in screen)
    finally:
        subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)


def _on_a_terminal(args: list[str], env: dict[str, str], cwd: Path) -> str:
    """What the officer's terminal receives (both streams, on a pseudo-terminal), bar frames included."""
    import pty

    convoca_bin = Path(sys.executable).parent / "convoca"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(convoca_bin), *args], stdin=follower, stdout=follower, stderr=follower, env=env,
                            cwd=cwd)
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed its side
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert proc.wait(timeout=120) == 0, received.decode(errors="replace")[-2000:]
    return received.decode(errors="replace")


def test_a_long_import_and_lote_show_their_progress_on_a_terminal_only(tmp_path: Path):
    from states.historia import write_csv
    from states.pct_2019.demo_data import proposals

    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR") and not k.startswith("CONVOCA_")}
    env |= {"TERM": "xterm-256color", "CONVOCA_DB": str(tmp_path / "c.db"), "CONVOCA_AHORA": "2019-12-31T10:00",
            "CONVOCA_USUARIO": "ues.ana"}
    assert convoca("init", "--ensayo", env=env).code == 0
    convoca("usuarios", "agregar", "admin", "--rol", "admin", env=env)
    convoca("usuarios", "agregar", "ues.ana", "--rol", "ues", "--usuario", "admin", env=env)
    filas = proposals(400)
    write_csv(filas, tmp_path / "p.csv")
    seen = _on_a_terminal(["importar", "p.csv"], env, tmp_path)
    assert "Validando…" in seen and "Importadas 400 postulaciones" in seen
    (tmp_path / "l.csv").write_text("codigo,evento,fecha\n" + "".join(
        f"{f['codigo']},declarar_no_apta,2019-10-25\n" for f in filas), encoding="utf-8")
    seen = _on_a_terminal(["lote", "l.csv", "--simular"], env, tmp_path)
    assert "Revisando l.csv…" in seen and "400 filas proceden" in seen
    piped = subprocess.run([str(Path(sys.executable).parent / "convoca"), "lote", "l.csv", "--simular"], cwd=tmp_path,
                           env=env, capture_output=True, text=True)
    assert "Revisando" not in piped.stdout + piped.stderr and "400 filas proceden" in piped.stdout
