# Santun: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes in parallel (pytest-xdist); `make test TEST_PROCESSES=0` runs in one process.
TEST_PROCESSES ?= 2
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test setup setup-test messages compilemessages totp lint bench reliability clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

setup: $(VENV)/.installed compilemessages

setup-test: $(VENV)/.installed-test compilemessages

compilemessages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=$(VENV) -v 0

## make run: the portal on http://127.0.0.1:$(PORT) with SQLite, in-process tasks, console e-mail and demo data.
run: setup
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: the whole suite. Uses DATABASE_URL / REDIS_URL when set, SQLite and in-process tasks otherwise.
test: setup-test
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

## make messages: refresh the translation catalogs. Strings land in the catalog of the app they
## live in (<app>/locale/), project-wide templates in locale/. `make messages APP=sanctions` refreshes one app.
messages: $(VENV)/.installed
ifdef APP
	cd $(APP) && ../$(PY) ../manage.py makemessages -l id --add-location file --no-obsolete
else
	$(PY) manage.py makemessages -l id --add-location file --no-obsolete --ignore='$(VENV)/*' --ignore='var/*' --ignore='bench/*' --ignore='static/*'
endif

## make bench: gunicorn + PostgreSQL + wrk on this machine: core pages vs a minimal view, SQL queries per
## page at 1× and 10× data, chat parse vs whatstk, staff import vs bulk_create, semester computation.
## Recreates BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/santun_bench; the name must
## start with santun_bench), uses Redis db 10, writes bench/results.json. `make bench BENCH_QUICK=1`: a
## smoke run (small data, short loads; 2–3 minutes). See docs/benchmarks.md.
$(VENV)/.installed-bench: requirements-bench.txt $(VENV)/.installed-test
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(VENV)/.installed-bench compilemessages
	$(PY) bench/run.py $(if $(filter 1,$(BENCH_QUICK)),--quick,)

totp: $(VENV)/.installed
	@$(PY) manage.py demo_totp

## make reliability: two gunicorn app servers, two Celery workers and one beat on PostgreSQL and
## Redis db 14 under wrk (8 connections) for MINUTES (default 10), memory sampled every 10 s, then a
## worker killed in the middle of a province export. Writes bench/reliability.json; needs wrk,
## PostgreSQL (RELIABILITY_DATABASE_URL, a database named santun_rel*, recreated) and Redis.
MINUTES ?= 10
reliability:
	$(PY) bench/reliability.py --minutes $(MINUTES)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

clean:
	rm -rf var
