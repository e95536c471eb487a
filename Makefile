# Two commands set everything up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := extension/node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-python test-extension lint bench eval extension clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(STAMP)

$(NPM_STAMP): extension/package.json extension/package-lock.json
	npm --prefix extension ci --no-audit --no-fund --loglevel=error
	touch $@

extension: $(NPM_STAMP)
	npm --prefix extension run build

run: install extension
	@echo
	@echo "Extension built in extension/dist: open chrome://extensions, turn on Developer mode,"
	@echo "click 'Load unpacked' and choose extension/dist."
	@echo "API on http://$(HOST):$(PORT) (OpenAPI page: http://$(HOST):$(PORT)/docs)"
	@echo
	@# Grammar: a supervised local LanguageTool when Java 17+ is here (jars assembled
	@# once), else one line on why it is off; INTRO_COACH_LANGUAGETOOL_URL overrides.
	eval "$$(bash .ci/languagetool --no-install || true)" && \
	  $(BIN)/intro-coach serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/intro-coach serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check backend tests benchmarks
	$(BIN)/ruff format --check backend tests benchmarks
	$(BIN)/mypy

# PostgreSQL and Redis (Debian's, on loopback) are started here so that the store tests
# run on PostgreSQL as well as on SQLite and the scale-out tests (HAProxy in front of two
# instances) have both; .ci/postgres and .ci/redis are idempotent. .ci/compose-check
# finds or builds what validates deploy/compose.yaml without a Docker daemon.
test-python: install
	bash .ci/system-packages haproxy
	bash .ci/compose-check >/dev/null
	bash .ci/kustomize >/dev/null
	eval "$$(bash .ci/postgres)" && eval "$$(bash .ci/redis)" && eval "$$(bash .ci/languagetool)" \
		&& $(BIN)/pytest -q

test-extension: extension
	bash .ci/system-packages chromium
	npm --prefix extension test
	eval "$$(bash .ci/languagetool)" && npm --prefix extension run e2e

test: lint test-python test-extension

bench: install extension
	bash .ci/system-packages wrk chromium
	$(BIN)/python benchmarks/bench_analyzer.py
	$(BIN)/python benchmarks/bench_cli.py
	$(BIN)/python benchmarks/bench_http.py
	$(BIN)/python benchmarks/bench_gmail.py
	$(BIN)/python benchmarks/bench_addon.py
	eval "$$(bash .ci/redis)" && $(BIN)/python benchmarks/bench_scaleout.py
	eval "$$(bash .ci/languagetool)" && $(BIN)/python benchmarks/bench_grammar.py \
		&& npm --prefix extension run bench:grammar
	npm --prefix extension run bench

# Precision and recall of every rule on the labelled corpora (tests/corpus, and
# ../shared/corpus when present), with the drafts behind each miss and false alarm.
eval: install
	$(BIN)/python benchmarks/eval.py

clean:
	rm -rf $(VENV) extension/node_modules extension/dist .pytest_cache .mypy_cache .ruff_cache
