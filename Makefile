# The two commands a newcomer needs: `make run` and `make test`. Everything else is for regulars.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links in emails and on badges lead to, unless PORTAL_BASE_URL says otherwise (workshop_portal/settings/base.py).
PORTAL_ENV := PORTAL_HOST=$(HOST) PORTAL_PORT=$(PORT)
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install install-dev run serve migrate seed test lint format check-deploy worker scheduler bench messages check-messages backup restore clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11).")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed ## Create .venv and install the portal

install-dev: $(VENV)/.dev-installed ## Create .venv and install the portal with its test tools

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Create the demo workshop and print the organiser login
	$(PORTAL_ENV) $(PY) manage.py seed_demo

run: seed ## Install, migrate, seed the demo workshop and serve it on http://127.0.0.1:8000 (or make run HOST=... PORT=...)
	@echo "Serving the demo workshop on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/, login above)."
	$(PORTAL_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

DEST ?= var/backups
KEEP ?= 7
backup: install ## Write one archive of database and files into DEST (default var/backups), keep the newest KEEP (7)
	@mkdir -p $(DEST)
	$(PY) manage.py backup $(DEST) --keep $(KEEP)

restore: install ## Restore ARCHIVE=... into this (empty) installation, after verifying every checksum
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore $(ARCHIVE)

test: install-dev ## Install and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev check-messages ## Lint, check formatting, migrations and translation catalogues
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# The catalogues (locale/{fr,ar,ru}/LC_MESSAGES/django.po and the compiled .mo) are committed, so a
# fresh clone shows every language without gettext. Both targets need GNU gettext (apt-get install gettext).
messages: install-dev ## Extract new strings into locale/*/django.po (to translate there), compile the .mo files
	$(PY) manage.py catalogues

check-messages: install-dev ## Fail when a string is missing from a catalogue, untranslated, fuzzy, or not compiled
	$(PY) manage.py catalogues --check

format: install-dev ## Fix lint findings that are safe to fix, and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: install ## Django's deployment checks under production settings (throwaway key and host)
	DJANGO_SETTINGS_MODULE=workshop_portal.settings.production \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(60))')" \
	DJANGO_ALLOWED_HOSTS=portal.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

worker: install ## Run a Celery worker (needs REDIS_URL, and DATABASE_URL shared with the web process)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): without a broker tasks already run inline."; exit 1; }
	$(PORTAL_ENV) $(PY) -m celery -A workshop_portal worker --loglevel=INFO

scheduler: install ## Run celery beat: the watchdogs and the daily purge (needs REDIS_URL; run exactly one)
	@test -n "$$REDIS_URL" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): the scheduler queues jobs for the workers."; exit 1; }
	@mkdir -p var
	$(PORTAL_ENV) $(PY) -m celery -A workshop_portal beat --loglevel=INFO --schedule var/celerybeat-schedule

bench: install-dev ## Run the benchmarks; each prints one JSON line of figures
	@for script in bench/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done
	@echo "== bench/proceedings.py --heavy-mb 2048 (2 GB of photo decks, about 8 minutes and 6 GB of disk)"
	$(PY) bench/proceedings.py --heavy-mb 2048

clean: ## Remove the virtual environment and local runtime files (database, uploads)
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
