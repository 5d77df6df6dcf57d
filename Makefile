# Two commands set everything up: `make run` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)
export DAGSTER_HOME ?= $(CURDIR)/.dagster

.PHONY: install run test test-fast lint eval bench ui sql seeds clean

# Reinstalled only when the dependency pins change.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# The Dagster instance shared by `make run` and `make ui` (its dagster.yaml keys: no telemetry,
# one run at a time, dead runs ended), and the dbt manifest the code location loads (parsed
# again when anything in sql/ changed).
install: $(STAMP)
	@$(BIN)/govreports prepare

## run: build data/warehouse.duckdb from data/raw ($$GOVREPORTS_RAW_DIR, $$GOVREPORTS_WAREHOUSE override)
run: install
	$(BIN)/govreports run

## test: the test suite (pytest's "no tests collected", exit code 5, is a failure)
test: install
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; \
	exit $$status

## test-fast: the unit tests only (seconds)
test-fast: install
	$(BIN)/python -m pytest tests/unit -q

## lint: ruff (check and format), mypy on the library, sqlfluff on the SQL models
lint: install
	$(BIN)/ruff check pipelines assets tests benchmarks
	$(BIN)/ruff format --check pipelines assets tests benchmarks
	$(BIN)/mypy pipelines
	$(BIN)/sqlfluff lint sql/models

## seeds: write the dbt seeds that are generated from the Python registries (sql/seeds/)
seeds: install
	$(BIN)/python -m pipelines.seeds

## ui: the Dagster UI on http://127.0.0.1:3000 (asset lineage, runs, schedule, sensor)
ui: install
	$(BIN)/dagster dev -h 127.0.0.1 -p 3000

## sql: a read-only DuckDB shell on the published warehouse
sql: install
	$(BIN)/duckdb -readonly $${GOVREPORTS_WAREHOUSE:-data/warehouse.duckdb}

## eval: parser accuracy on the fixtures (builds a warehouse from data/raw/fixtures, compares with tests/fixtures)
eval: install
	$(BIN)/govreports eval

## bench: benchmark the whole pipeline on N generated pages (`make bench N=100000`; default 2000);
##        OUT=folder (default benchmarks/out), BASELINE=results.json of a smaller run to compare memory with
##        MODE=formats: the PDF readers against pdfplumber's floor on N PDFs (default 400: enough pages that the run's fixed cost does not decide the ratio), and OCR on SCANS copies of the scans
bench: install
ifeq ($(MODE),formats)
	$(BIN)/python -m benchmarks.formats --n $(or $(N),400) --scans $(or $(SCANS),1) $(if $(OUT),--out $(OUT))
else
	$(BIN)/python -m benchmarks.bench --n $(or $(N),2000) $(if $(OUT),--out $(OUT)) $(if $(BASELINE),--baseline $(BASELINE))
endif

clean:
	rm -rf $(VENV) .dagster sql/target sql/logs data/warehouse.duckdb data/.warehouse.duckdb.* data/exports
