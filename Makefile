# Paddock: the verbs a newcomer needs. `make help` lists them.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

HOST ?= 127.0.0.1
PORT ?= 8000
# gunicorn worker processes; empty: one per core, plus one for a database on another
# machine (gunicorn.conf.py).
WORKERS ?=
PYTEST_ARGS ?=

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Tests get a data folder of their own, wiped at each run, so they never touch the site in data/;
# its empty static/ stands in for STATIC_ROOT (tests serve static files from the finders).
TEST_DATA_DIR := $(CURDIR)/data/test
BENCH_SCRIPTS := $(sort $(wildcard bench/*.py))

# Python 3.11 or newer that can make a virtualenv: the operating system's own first, then the
# first on PATH; PYTHON=... overrides. Distributions build theirs with profile-guided and
# link-time optimisation (Debian's is also linked statically): Paddock's pages take about 15%
# less CPU under Debian's 3.11 than under a default source build such as pyenv's
# (docs/performance.md, "An optimised interpreter").
PYTHON ?= $(shell for p in /usr/bin/python3 python3 python3.13 python3.12 python3.11; do \
	"$$p" -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { echo "$$p"; break; }; done)

# apt-get needs root; use sudo when we are not.
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: help venv run worker test lint format clean chromium
ifneq ($(BENCH_SCRIPTS),)
.PHONY: bench
endif

help: ## List the targets
	@echo "Usage: make TARGET [HOST=$(HOST)] [PORT=$(PORT)] [WORKERS=n] [PYTEST_ARGS=...]"
	@echo
	@printf "  %-9s %s\n" venv "create .venv and install Paddock with its test tools (re-run when pyproject.toml changes)"
	@printf "  %-9s %s\n" run "migrate, collect static files, load the demo site if empty, serve with gunicorn"
	@printf "  %-9s %s\n" worker "run a background worker and the periodic-job scheduler (make run starts both)"
	@printf "  %-9s %s\n" test "lint, then the whole test suite (browser tests in Debian's Chromium)"
	@printf "  %-9s %s\n" chromium "install Debian's chromium and nginx for the tests if they are missing"
	@printf "  %-9s %s\n" lint "ruff check, ruff format --check, and lint-imports (the layers, docs/architecture.md)"
	@printf "  %-9s %s\n" format "ruff format, then ruff check --fix"
ifneq ($(BENCH_SCRIPTS),)
	@printf "  %-9s %s\n" bench "the web benchmark (docs/performance.md), then the other bench/*.py scripts"
endif
	@printf "  %-9s %s\n" clean "remove .venv, staticfiles/ and data/test/ (never the site in data/)"

venv: $(STAMP) ## Create the virtualenv and install the project

$(STAMP): pyproject.toml
	@if [ -x $(BIN)/python ]; then \
		if ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
			echo "error: $(VENV) was made with a Python older than 3.11; run 'make clean' first." >&2; \
			exit 1; \
		fi; \
	else \
		py="$(PYTHON)"; \
		if [ -z "$$py" ]; then \
			echo "error: Paddock needs Python 3.11 or newer and none was found on PATH" \
				"(tried /usr/bin/python3, python3, python3.13, python3.12, python3.11)." >&2; \
			echo "Install one, or name it: make venv PYTHON=/path/to/python3.11" >&2; \
			exit 1; \
		fi; \
		if ! "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then \
			echo "error: $$py is not Python 3.11 or newer; Paddock needs 3.11+." >&2; \
			exit 1; \
		fi; \
		echo "$$py -m venv $(VENV)"; \
		"$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# The address served here, unless BASE_URL is set, names the site everywhere: migrate and
# load_demo give it to Wagtail's default Site (sitemap, canonical and feed links, JSON-LD), and
# the links the site sends out (emails, the demo's sign-in hint) start with it.
run: export BASE_URL ?= http://$(HOST):$(PORT)
run: $(STAMP) ## Migrate, load the demo site if empty, serve on HOST:PORT
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py load_demo
	@echo
	@echo "Paddock is at http://$(HOST):$(PORT)/"
	@echo "Admin: http://$(HOST):$(PORT)/admin/  (demo login: admin / paddock-demo)"
	@echo "  also editor, a contributor (maren.tollefsen) or a moderator (sofia.lindqvist), same password"
	@echo "Reader: http://$(HOST):$(PORT)/accounts/login/  (reader-1@example.com / paddock-demo)"
	@echo
	@echo "A background worker (emails and other queued work) and the scheduler of periodic"
	@echo "jobs start beside the server."
	$(BIN)/python manage.py run_worker & worker=$$!; \
	$(BIN)/python manage.py run_scheduler -v0 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null || true' EXIT INT TERM; \
	WORKERS=$(WORKERS) $(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
		--access-logfile -

# run_worker picks the worker of the configured task backend: RQ's when REDIS_URL is set, else
# the database's.
worker: $(STAMP) ## Run a background task worker with a scheduler of periodic jobs beside it
	$(BIN)/python manage.py run_scheduler -v0 & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null || true' EXIT INT TERM; \
	$(BIN)/python manage.py run_worker

# nginx too: tests/security/test_headers.py puts deploy/nginx/paddock.conf in front of a live server.
chromium: ## Install Debian's Chromium and nginx for the browser and front tests if missing
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's$$missing for the tests..."; \
		$(SUDO) apt-get update; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	fi

lint: $(STAMP) ## ruff check, format check and the layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP) ## Format, then apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(STAMP) chromium lint ## Lint, then run pytest (PYTEST_ARGS passed through)
	rm -rf $(TEST_DATA_DIR) && mkdir -p $(TEST_DATA_DIR)/static
	PADDOCK_TESTING=1 PADDOCK_DATA_DIR=$(TEST_DATA_DIR) STATIC_ROOT=$(TEST_DATA_DIR)/static \
		$(BIN)/pytest $(PYTEST_ARGS)

# bench/http_load.py first (it builds its own PostgreSQL site and a stock WordPress beside it in
# the local MariaDB, installs wrk, nginx, php-fpm and WordPress from Debian when missing, and writes
# docs/performance.md; about 15 minutes; BENCH_SCALE=0.02 BENCH_DURATION=3 for a quick try,
# BENCH_WORDPRESS=0 without WordPress), then every other bench/*.py. BENCH picks some:
# `make bench BENCH="http_load comments_render"`. Each script is stopped after BENCH_TIMEOUT.
# bench/ab_served.py is not among them: it compares two commits one names (see its docstring).
BENCH ?= http_load $(filter-out http_load ab_served,$(basename $(notdir $(BENCH_SCRIPTS))))
BENCH_TIMEOUT ?= 40m
ifneq ($(BENCH_SCRIPTS),)
bench: $(STAMP) ## The web benchmark, then every other bench/*.py script
	@for name in $(BENCH); do \
		echo "== bench/$$name.py"; \
		timeout --foreground $(BENCH_TIMEOUT) $(BIN)/python "bench/$$name.py"; \
	done
endif

clean: ## Remove the virtualenv, collected static files and test data (not data/)
	rm -rf $(VENV) staticfiles $(TEST_DATA_DIR) *.egg-info
