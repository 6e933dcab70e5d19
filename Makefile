# Pintu: `make run` starts everything locally; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard pintu/locale/*/LC_MESSAGES/*.po))

.DELETE_ON_ERROR:

.PHONY: install run test lint typecheck check messages makemessages clean bench bench-peer

install: $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Pintu needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# Compiled with Babel so that no gettext binaries are needed on the machine.
pintu/locale/%.mo: pintu/locale/%.po $(STAMP)
	$(BIN)/pybabel compile --statistics -i $< -o $@

run: install
	$(BIN)/pintu migrate --noinput
	$(BIN)/pintu sop load
	$(BIN)/pintu seed demo
	@echo "Pintu: http://127.0.0.1:8000  (health: http://127.0.0.1:8000/healthz)"
	$(BIN)/pintu run 127.0.0.1:8000

# The suite runs on every core (pytest-xdist); JOBS=1 runs it in one process.
JOBS ?= auto

test: install
	$(BIN)/pytest -n $(JOBS)

lint: install
	$(BIN)/ruff check pintu
	$(BIN)/ruff format --check pintu

typecheck: install
	$(BIN)/mypy pintu

check: lint typecheck test

# Issue #14's figures over HTTP on a throwaway PostgreSQL (bench/README.md): Pintu alone,
# or side by side with django-helpdesk in a virtual environment of its own.
# BENCH_TICKETS=20000 runs small; BENCH_FLAGS passes options to bench/compare.py.
BENCH_TICKETS ?= 1000000
BENCH_FLAGS ?=
PEER_PYTHON ?= $(PYTHON)
PEER_VENV ?= var/bench-peer-venv

bench: install
	BENCH_TICKETS=$(BENCH_TICKETS) scripts/with-postgres bench/run-compare \
		--command "BENCH_TICKETS=$(BENCH_TICKETS)$(if $(BENCH_FLAGS), BENCH_FLAGS='$(BENCH_FLAGS)') make bench" $(BENCH_FLAGS)

bench-peer: install $(PEER_VENV)/.installed-stamp
	BENCH_TICKETS=$(BENCH_TICKETS) scripts/with-postgres bench/run-compare --peer $(PEER_VENV) \
		--command "BENCH_TICKETS=$(BENCH_TICKETS)$(if $(BENCH_FLAGS), BENCH_FLAGS='$(BENCH_FLAGS)') make bench-peer" $(BENCH_FLAGS)

$(PEER_VENV)/.installed-stamp: bench/peer/requirements.txt
	$(PEER_PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install --quiet --upgrade pip
	$(PEER_VENV)/bin/pip install --quiet -r bench/peer/requirements.txt
	@touch $@

# Refresh the message catalogue after changing UI strings (needs GNU gettext).
makemessages: install
	cd pintu && ../$(BIN)/pintu makemessages -l id --no-obsolete --ignore 'tests/*'

clean:
	rm -rf $(VENV) build *.egg-info
