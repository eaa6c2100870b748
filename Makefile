# Two set-up commands, each working on a fresh machine with only Python and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.instalado

.PHONY: demo test lint test-sqlite test-postgresql postgresql sistema bench tablas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/convoca demo

# ruff first (its version is pinned in pyproject.toml), then the whole suite twice: on the embedded
# SQLite, then on a real PostgreSQL server that the tests start themselves (initdb + pg_ctl on a unix
# socket in a temporary directory). The SQLite run also builds the wheel and runs the demo from it.
test: lint test-sqlite test-postgresql

lint: $(STAMP)
	$(BIN)/ruff check .

test-sqlite: $(STAMP) sistema
	$(BIN)/python -m pytest -n auto --dist worksteal

test-postgresql: $(STAMP) postgresql sistema
	CONVOCA_TEST_DB=postgresql $(BIN)/python -m pytest -n auto --dist worksteal

# Debian's server binaries, installed when missing (root can; otherwise it says what to run).
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "Falta PostgreSQL: ejecute 'sudo apt-get install postgresql' y repita 'make test'." >&2; exit 1; \
	  fi; }

# What the letters need from Debian: Pango for WeasyPrint's layout, a font, and pdftoppm (poppler)
# with which the tests render a printed letter; tmux and less, in which a test reads the pager's
# first screen; Chromium and its driver, in which a test opens the portfolio report; installed when
# missing, as PostgreSQL is.
sistema:
	@faltan=""; \
	command -v pdftoppm >/dev/null 2>&1 || faltan="$$faltan poppler-utils"; \
	command -v chromium >/dev/null 2>&1 || faltan="$$faltan chromium"; \
	command -v chromedriver >/dev/null 2>&1 || faltan="$$faltan chromium-driver"; \
	command -v tmux >/dev/null 2>&1 || faltan="$$faltan tmux"; \
	command -v less >/dev/null 2>&1 || faltan="$$faltan less"; \
	ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || faltan="$$faltan libpango-1.0-0 libpangoft2-1.0-0"; \
	ls /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf >/dev/null 2>&1 || faltan="$$faltan fonts-dejavu-core"; \
	[ -z "$$faltan" ] || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$faltan >/dev/null; \
	  else \
	    echo "Faltan paquetes del sistema:$$faltan. Ejecute 'sudo apt-get install$$faltan' y repita 'make test'." >&2; exit 1; \
	  fi; }

bench: $(STAMP)
	$(BIN)/python bench/run.py

# Generated from the SQLModel classes (a test checks they match): the Core tables, and the kinds of the
# columns the plain reading converts.
tablas: $(STAMP)
	$(BIN)/python -m workflow.storage.models

clean:
	rm -rf $(VENV) *.egg-info build convoca-demo.db convoca-demo.csv convoca-demo-*.csv convoca-demo-informe*.html convoca-demo.clave convoca-demo-auditoria
