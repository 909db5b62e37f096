# Sagstilsyn: `make run` starts the demo, `make test` runs lint and every test (SQLite and PostgreSQL).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/sagstilsyn
HOST ?= 127.0.0.1:8000
# pytest-xdist: one worker per core, each with its own test database (SQLite in memory, PostgreSQL
# test_<name>_gw<n>). PYTEST_ARGS= runs the tests in one process (for --pdb, or a fully loaded machine).
PYTEST_ARGS ?= -n auto
STAMP := $(VENV)/.installed

.PHONY: help setup browser run test test-fast test-sqlite test-postgres test-rules lint fmt clean

help:
	@echo "make run        installs everything, migrates and serves http://$(HOST)/ (SQLite)"
	@echo "make test       installs everything, runs lint and all tests on SQLite and PostgreSQL"
	@echo "make test-fast  the tests on SQLite without a browser (the inner loop; no lint, no e2e)"
	@echo "make lint       ruff, mypy, the layers contract (lint-imports), yamllint and the missing-migrations check"
	@echo "make fmt        formats the code and applies ruff's safe fixes"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependency lists change.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(STAMP) node_modules/.package-lock.json

# End-to-end tests drive Debian's chromium (never a browser downloaded by Playwright).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Installér Debians chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# The demo's log-ins stay one step, without a code app (ADR 0016); SAGSTILSYN_OTP_REQUIRED=1 make run
# asks leaders, lawyers and administrators for one, as production does.
run: setup
	$(BIN)/sagstilsyn migrate --noinput
	$(BIN)/sagstilsyn demo load
	SAGSTILSYN_SITE_URL=$${SAGSTILSYN_SITE_URL:-http://$(HOST)} $(BIN)/sagstilsyn jobs run-due
	SAGSTILSYN_SITE_URL=$${SAGSTILSYN_SITE_URL:-http://$(HOST)} SAGSTILSYN_OTP_REQUIRED=$${SAGSTILSYN_OTP_REQUIRED:-0} $(BIN)/sagstilsyn runserver $(HOST)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo
	$(BIN)/yamllint -c .yamllint sagstilsyn/law/catalogue
	$(BIN)/python manage.py makemigrations --check --dry-run

# The inner loop: SQLite, no browser (tests/e2e is neither imported nor run), on every core. Arguments
# via ARGS, e.g. make test-fast ARGS="tests/law -x"; PYTEST_ARGS= runs in one process.
test-fast: setup
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS) --ignore=tests/e2e -m "not e2e" $(ARGS)

test-sqlite: setup browser
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: setup browser
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

test-rules: setup
	$(BIN)/sagstilsyn rules test sagstilsyn/law/catalogue/tests/*.yaml

test: setup lint test-sqlite test-postgres test-rules

fmt: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var db.sqlite3 .mypy_cache .ruff_cache .pytest_cache .import_linter_cache
