# The two commands: `make demo` and `make test`. Each sets up everything it needs on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the project needs; installed when missing (apt-get, as root): Chromium for the browser
# tests, Pango and fonts for WeasyPrint's PDFs.
DEBIAN_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql

.PHONY: setup demo test lint typecheck unit postgres bench clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $@

CSS := src/selfassess/web/static/selfassess/app.css

# Bytecode for our own modules, as pip makes for any package it installs but not for an editable one: where
# PYTHONDONTWRITEBYTECODE is set, Python would otherwise compile them afresh at every command (~0.05 s each).
setup: $(STAMP) $(CSS)
	@bash scripts/debian-packages.sh $(DEBIAN_PACKAGES)
	@$(BIN)/python -m compileall -q src >/dev/null

# GOV.UK Frontend's styles, built from the npm package with our font settings (no CDN, no GDS Transport).
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

$(CSS): node_modules/.installed src/selfassess/web/static_src/app.scss
	npx sass --pkg-importer=node --style=compressed --no-source-map src/selfassess/web/static_src/app.scss $@

demo: setup
	$(BIN)/selfassess demo --out out

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: setup
	$(BIN)/mypy

# Across every core (pytest-xdist), a test file to a worker: a file's shared fixtures are made once.
PARALLEL := -n auto --dist loadfile

unit: setup
	$(BIN)/pytest $(PARALLEL)

# The database tests again, against a throwaway PostgreSQL server (SQLite is the default above); each worker has
# its own test database on it.
postgres: setup
	bash scripts/with-postgres.sh $(BIN)/pytest -q $(PARALLEL) tests/web --ignore=tests/web/test_resilience.py

test: lint typecheck unit postgres

bench: setup
	$(BIN)/python benchmarks/analyse.py
	$(BIN)/python benchmarks/synth.py
	$(BIN)/python benchmarks/reports.py
	$(BIN)/python benchmarks/report_pages.py
	$(BIN)/python benchmarks/hostile_frameworks.py
	bash scripts/with-postgres.sh $(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/bulk_load.py
	bash scripts/with-postgres.sh $(BIN)/python benchmarks/bulk_load.py
	$(BIN)/python benchmarks/exports.py
	$(BIN)/python benchmarks/storage.py

clean:
	rm -rf $(VENV) out build var node_modules $(CSS) .pytest_cache .mypy_cache .ruff_cache
