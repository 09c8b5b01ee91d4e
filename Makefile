# ParkOps — the verbs people type. `make run` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist: one test worker per core (PYTEST_ARGS adds to these, e.g. -x).
TEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run serve test lint worker install install-dev migrate demo messages bench load clean vendor-echarts

$(VENV)/.installed: requirements/base.lock
	@echo "[1/3] Installing ParkOps into $(VENV) (first run: a minute or two)…"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.lock
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.lock
	$(PIP) install --quiet --disable-pip-version-check -r requirements/base.lock -r requirements/dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	@echo "[2/3] Bringing the database up to date…"
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	@echo "[3/3] Loading the demo portfolio on an empty database (about a minute, module by module)…"
	$(PY) manage.py load_demo_if_empty

## run: install, migrate, load the demo on an empty database, serve with a worker beside it
run: demo
	@echo "ParkOps on http://$(HOST):$(PORT)/  (demo logins: admin, operator, gov, fund, tenant, auditor / parkops-demo)"
	@$(PY) manage.py db_worker --interval 1 >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver --noreload $(HOST):$(PORT)

## serve: production-style server (gunicorn, WSGI); set DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS
serve: install
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --no-input -v0
	DJANGO_SETTINGS_MODULE=config.settings.production $(VENV)/bin/gunicorn config.wsgi \
	  --bind $(HOST):$(PORT) --workers $${WORKERS:-2}

worker: migrate
	$(PY) manage.py db_worker

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $$($(PY) -c 'from config.settings.base import PARKOPS_APPS; print(*PARKOPS_APPS)') config

## test: the whole suite (lint, types, migrations check, pytest with API fuzzing and browser smoke)
test: lint
	$(PY) manage.py makemigrations --check --dry-run -v1 --settings=config.settings.test
	$(VENV)/bin/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

messages: install-dev
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --add-location file -i ".venv/*" -i "var/*" -i "bench/*" -i "tools/*"
	$(PY) manage.py compilemessages -l zh_Hans -i ".venv"

bench: install-dev
	$(PY) bench/unit_search.py
	$(PY) bench/leasing.py
	$(PY) bench/fund.py
	$(PY) bench/programs.py
	$(PY) bench/analytics.py
	$(PY) bench/imports.py
	$(PY) bench/scale.py

## load: a bounded load test (Locust, 127.0.0.1 only) against gunicorn on PostgreSQL; see
## bench/load.py. LOAD_USERS (20), LOAD_SECONDS (60), LOAD_SCALE (0.01), LOAD_DATABASE_URL
load: install-dev
	$(PIP) install --quiet --disable-pip-version-check -r requirements/load.lock
	$(PY) bench/load.py

## vendor-echarts: Apache ECharts from its npm package at a pinned version, with its licence and
## checksums, into the project's static files (committed: nothing is fetched at run time)
ECHARTS_VERSION := 5.6.0
ECHARTS_DIR := core/static/core/vendor/echarts
vendor-echarts:
	rm -rf $(ECHARTS_DIR) && mkdir -p $(ECHARTS_DIR)
	tmp=$$(mktemp -d) && (cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null \
	  && tar -xzf echarts-$(ECHARTS_VERSION).tgz) \
	  && cp $$tmp/package/dist/echarts.min.js $$tmp/package/LICENSE $$tmp/package/NOTICE $(ECHARTS_DIR)/ \
	  && rm -rf $$tmp
	echo "echarts@$(ECHARTS_VERSION) from the npm registry (Apache-2.0)" > $(ECHARTS_DIR)/VERSION
	cd $(ECHARTS_DIR) && sha256sum echarts.min.js LICENSE NOTICE > SHA256SUMS

clean:
	rm -rf $(VENV) var
