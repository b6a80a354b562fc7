PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install install-test browser wrk run serve lint test test-fast bench soak clean plotly-bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e ".[test]"
	touch $@

# axe-core for the accessibility tests, at the version tests/a11y/package-lock.json pins.
AXE := tests/a11y/node_modules/axe-core/axe.min.js
$(AXE): tests/a11y/package.json tests/a11y/package-lock.json
	@command -v npm >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq npm)
	npm ci --prefix tests/a11y --no-audit --no-fund
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test $(AXE)

# Debian's Chromium for the browser tests (Playwright cannot download one here).
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)

# wrk drives the load figures of `make bench` and `make soak`.
wrk:
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk)

# Development by default: a SECRET_KEY is generated into instance/ unless one is set.
run: export BEANFLOWS_ENV ?= development
run: install
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app ingest --if-empty --fallback-demo --timeout 10
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL is set: one alerts worker (flask --app app alerts worker) runs beside gunicorn"; \
		$(BIN)/flask --app app alerts worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"; \
	else \
		echo "REDIS_URL is not set: alert evaluation and emails run inline in the CLI (ingest/refresh/alerts evaluate)"; \
		exec $(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"; \
	fi

# ruff, then mypy, on the app (their settings: pyproject.toml); part of test-fast and test, so of CI.
# A web host of several on one shared catalog: production settings, never publishes (no ingest: the release
# follower gunicorn runs builds this host's serving file from the catalog). Migrate the users database once,
# from one machine, before the first host starts (docs/operations.md#several-hosts).
serve: install
	@if [ -z "$$ICEBERG_CATALOG_URI" ]; then \
		echo "make serve is a web host on a shared catalog: set ICEBERG_CATALOG_URI (and ICEBERG_WAREHOUSE)," \
		     "or use make run on one machine"; exit 2; fi
	@if [ -n "$$REDIS_URL" ]; then \
		BEANFLOWS_ENV=production $(BIN)/flask --app app alerts worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		BEANFLOWS_ENV=production $(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"; \
	else \
		BEANFLOWS_ENV=production exec $(BIN)/gunicorn -c gunicorn.conf.py "app:create_app()"; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check
	$(BIN)/mypy

# Every tier: unit, data, server, browser (docs/testing.md), after the lint. This is what CI runs.
# Three workers on two cores: a test waiting on a server or a browser leaves a core to the others.
# Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set: the suite starts about a hundred Python
# processes (gunicorn, flask, xdist workers), each of which would compile the app and rewrite the tests again.
test: install-test browser lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 3

# The lint and the unit tier only: no server, no browser, no ../shared/data.
test-fast: lint
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n 2 -m unit

bench: install-test browser wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

# 20 minutes: traffic, a release every 4 minutes, one fault after another (docs/operations.md#faults-and-recovery).
soak: install-test wrk
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

# plotly.js with only the traces the app draws, at the version plotly.py (and so Dash) ships.
# The built file is committed: `make run` and `make test` need no npm.
PLOTLYJS_VERSION := 4.1.1
PLOTLYJS_TRACES := scatter,bar,sankey,choropleth

plotly-bundle: install
	@test "$$($(BIN)/python -c 'from plotly.offline import get_plotlyjs_version as v; print(v())')" = "$(PLOTLYJS_VERSION)" \
		|| (echo "plotly.py ships another plotly.js than $(PLOTLYJS_VERSION): update PLOTLYJS_VERSION" && false)
	cd vendor/plotly && npm install --no-audit --no-fund --save-exact plotly.js@$(PLOTLYJS_VERSION)
	node vendor/plotly/build.js vendor/plotly/plotly-custom.min.js $(PLOTLYJS_TRACES)

clean:
	rm -rf $(VENV) instance .pytest_cache
