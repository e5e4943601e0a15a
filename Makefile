# Gemba Hall — set-up, demo, tests and benchmarks.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Test processes: one per core.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
export DJANGO_SETTINGS_MODULE := config.settings

PYTHON_FOR_VENV := $(shell for p in python3.13 python3.12 \
	$$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	/root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: setup demo serve test lint bench messages clean browser screenshots

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
		echo "ERROR: Gemba Hall needs Python >= 3.12 (tried python3.13, python3.12 and pyenv's versions)." >&2; exit 1; fi
	test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	@if command -v msgfmt >/dev/null; then $(PY) -m gembahall compilemessages --ignore=.venv --ignore=node_modules -v 0; fi
	$(PY) -m gembahall collectstatic --noinput -v 0

# The demo keeps a key of its own in var/secret-key (see SECRET_KEY in README).
demo: export GEMBAHALL_DEMO := 1
demo: setup
	$(PY) -m gembahall migrate --noinput -v 0
	$(PY) -m gembahall demo
	GEMBAHALL_ALLOW_HTTP=1 $(PY) -m gembahall serve --port $(PORT)

# Installs Debian's Chromium and the CJK fonts its pages need for browser tests
# when run as root (drawings and PDFs bring their own font from PyPI).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get install -y -q chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils >/dev/null \
			|| (apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk fonts-wqy-zenhei poppler-utils); \
		else \
			echo "!!! /usr/bin/chromium is missing and this user cannot install it: BROWSER TESTS WILL BE SKIPPED !!!" >&2; \
		fi; fi

test: setup browser
	$(VENV)/bin/ruff check gembahall config tests benchmarks scripts
	$(VENV)/bin/ruff format --check gembahall config tests benchmarks scripts
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

lint: setup
	$(VENV)/bin/ruff check gembahall config tests benchmarks scripts
	$(VENV)/bin/ruff format --check gembahall config tests benchmarks scripts

messages: setup
	$(PY) -m gembahall makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=tests --ignore=benchmarks --no-obsolete
	$(PY) -m gembahall compilemessages --ignore=.venv --ignore=node_modules

$(VENV)/.bench-installed: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e '.[dev,bench]'
	touch $@

bench: setup $(VENV)/.bench-installed
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -q wrk >/dev/null; }
	$(PY) benchmarks/run.py

# Takes the README's pictures from the demo center (see scripts/screenshots.py).
screenshots: setup browser
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules staticfiles
