# Engage: `make run` serves the demo, `make test` runs every check. Both set everything up.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2
# Test processes: one per core (pytest-xdist); each has its own database and browser.
TEST_PROCESSES ?= auto
export FLASK_APP := wsgi.py

.PHONY: run test bench setup lint format system-packages translations clean

setup: $(VENV)/.installed node_modules/.installed static/build/.built translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/build/.built: node_modules/.installed scripts/build-static.mjs $(wildcard static/scss/*.scss)
	npm run --silent build
	touch $@

translations: $(VENV)/.installed
	$(BIN)/flask translate compile >/dev/null

# Links in emails point at the address the demo is served on, unless BASE_URL says otherwise.
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	@echo "Engage is running on http://$(HOST):$(PORT) with a background-job worker (Ctrl+C to stop)"
	$(BIN)/flask jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app

system-packages:
	scripts/ensure-system-packages.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy engage
	scripts/check-no-cdn.sh

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup system-packages lint
	@echo "== Unit, view and browser tests on SQLite (with a throwaway Redis) =="
	scripts/with-redis.sh $(BIN)/pytest -n $(TEST_PROCESSES)
	@echo "== The same tests, but the browser ones, again on PostgreSQL (and Redis) =="
	scripts/with-redis.sh scripts/with-postgres.sh $(BIN)/pytest -n $(TEST_PROCESSES) -m "not browser"

bench: setup
	scripts/ensure-system-packages.sh --bench
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules static/build .pytest_cache
