# Two commands for a newcomer (see README): `make run` and `make test`. Both install first.
SHELL := /bin/bash
# uv resolves and installs from the committed uv.lock. Pinned: the lockfile format and the
# `--frozen` behaviour this Makefile relies on are those of the 0.13 line.
UV_VERSION := 0.13.8
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test browser postgres lake-up lake-down bench dev docs lint clean

install:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==$(UV_VERSION)" \
	  || $(PYTHON) -m pip install --quiet --user "uv==$(UV_VERSION)"
	$(UV) sync --frozen

## Parse, validate and land the documents in RAW_DIR, build and test the dbt marts.
run: install
	.venv/bin/unwh run

## The test suite (pytest; includes end-to-end runs into temporary warehouses and a headless-browser
## test of the report, for which Debian's chromium and a CJK font are installed when missing and root).
test: install browser postgres
	.venv/bin/python -m pytest

browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium or fonts-noto-cjk missing and not root: the browser test will be skipped"; fi; \
	fi

## Debian's PostgreSQL server for the lake's catalog (installed when missing and root; the lake tests
## are skipped, saying why, when it cannot be installed).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "postgresql missing and not root: the lake tests will be skipped" >&2; fi; \
	fi

## A local PostgreSQL cluster for the DuckLake catalog in .pg/ (not as root; a free port; socket only).
## Prints the environment that selects the lake: eval "$$(make -s lake-up)"
lake-up: install postgres
	@.venv/bin/python -m pipelines.warehouse.pgcluster up $(CURDIR)/.pg

lake-down:
	@.venv/bin/python -m pipelines.warehouse.pgcluster down $(CURDIR)/.pg

## The Dagster UI on http://127.0.0.1:3000 with the same asset graph.
dev: install
	mkdir -p .dagster && cp dagster.yaml .dagster/dagster.yaml \
	  && DAGSTER_HOME=$(CURDIR)/.dagster .venv/bin/python -m pipelines.operations.config pools \
	  && DAGSTER_HOME=$(CURDIR)/.dagster .venv/bin/dagster dev -m pipelines.definitions

## The benchmark (results in benchmarks/RESULTS.md).
bench: install
	.venv/bin/python -m benchmarks.run --out benchmarks/RESULTS.md

## dbt docs for the marts, browsable offline at http://127.0.0.1:8080.
docs: install
	cd dbt && WAREHOUSE_PATH=$${WAREHOUSE_PATH:-$(CURDIR)/warehouse/un.duckdb} ../.venv/bin/dbt docs generate --profiles-dir . \
	  && ../.venv/bin/dbt docs serve --profiles-dir . --port 8080

## ruff: formatting and lint (CI runs this before the tests).
lint: install
	.venv/bin/ruff format --check pipelines tests benchmarks
	.venv/bin/ruff check pipelines tests benchmarks

clean:
	rm -rf .venv dbt/target dbt/logs .dagster warehouse/*.duckdb*
