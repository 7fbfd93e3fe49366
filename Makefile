# Murojaat: the only entry points a newcomer needs.
#   make run   - set up everything and serve the demo on http://127.0.0.1:8000 (SQLite)
#   make test  - set up the same way and run lint + the whole test suite
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test   runs the suite on PostgreSQL.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint format bench bench-tools bench-data bench-helpdesk bench-load messages demo-reset clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_parties
	@# The periodic jobs (both outboxes, notifications, reminders, escalation, the overdue
	@# sweep) run beside the web server on Celery beat's schedule, in one process and without a
	@# broker: the same tasks production's workers run (see manage.py run_jobs).
	$(BIN)/python manage.py run_jobs & trap 'kill $$!' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# National-scale benchmark (issue 9, docs/performance.md). PostgreSQL only.
#   make bench-data N=100000            fills database bench100000 (created if missing)
#   make bench-data N=1000000
#   make bench                          figures for BENCH_SMALL and BENCH_LARGE (if present)
#   make bench-helpdesk                 django-helpdesk side by side at BENCH_SMALL's volume
#                                       (its own venv bench/.helpdesk-venv and database)
#   make bench-load N=1000000           mixed load: nginx, gunicorn + 100 users driven by wrk
N           ?= 100000
PGBASE      ?= postgres://postgres@127.0.0.1:5432
BENCH_DB    ?= bench$(N)
BENCH_SMALL ?= bench100000
BENCH_LARGE ?= bench1000000

bench-data: install
	createdb -h 127.0.0.1 -U postgres $(BENCH_DB) 2>/dev/null || true
	N=$(N) DATABASE_URL=$(PGBASE)/$(BENCH_DB) $(BIN)/python bench/data.py

# The mixed load's peers, from Debian's packages: the load generator and the proxy in front.
bench-tools:
	command -v wrk >/dev/null 2>&1 || (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	test -x /usr/sbin/nginx || command -v nginx >/dev/null 2>&1 || \
	  (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light)

bench: install bench-tools
	BENCH_SMALL_URL=$(PGBASE)/$(BENCH_SMALL) BENCH_LARGE_URL=$(PGBASE)/$(BENCH_LARGE) \
	  $(BIN)/python bench/run_all.py

bench-helpdesk: install
	DATABASE_URL=$(PGBASE)/$(BENCH_SMALL) $(BIN)/python bench/helpdesk.py

LOAD_SECONDS ?= 60
bench-load: install bench-tools
	DATABASE_URL=$(PGBASE)/$(BENCH_DB) $(BIN)/python bench/load.py --seconds $(LOAD_SECONDS)

# Regenerate the translation catalogues (needs GNU gettext); compiled .mo files are committed.
messages: install
	$(BIN)/python manage.py makemessages -l uz -l uz_Cyrl -l ru -l en --no-obsolete --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

demo-reset:
	rm -f db.sqlite3

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles artifacts
