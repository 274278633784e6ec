# Marquee: `make run` serves the sample festival on http://127.0.0.1:8000; `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
SAMPLE ?= sample_programme
SAMPLE_SLUG ?= wiesbaden-2021
export MARQUEE_DATABASE_URL ?= sqlite:///./marquee.db

# Debian packages the full test suite and PDF printing need (see docs/development.md)
SYSTEM_PACKAGES := chromium poppler-utils wrk fonts-dejavu-core fonts-dejavu-extra \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	libical3 gir1.2-ical-3.0 python3-gi php-cli php-sabre-vobject

.PHONY: run serve install db sample test bench bench-peers lint system-packages validators clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# axe-core (the accessibility checker the browser tests inject), from npm into node_modules
node_modules/axe-core/axe.min.js: package.json
	command -v npm >/dev/null && npm install --no-audit --no-fund --silent || echo "npm not found: browser accessibility tests will skip"

install: $(VENV)/.installed node_modules/axe-core/axe.min.js

db: install
	$(BIN)/marquee db upgrade

# Loads the sample only while its festival is absent (edits made since are kept), then
# publishes; neither step stops `make run` from serving (each says why on the terminal).
sample: db
	@$(BIN)/marquee load --if-absent $(SAMPLE) || echo "make: $(SAMPLE) was not loaded (see above); serving what the database holds"
	@$(BIN)/marquee publish $(SAMPLE_SLUG) || echo "make: $(SAMPLE_SLUG) was not published (see above); serving what the database holds"

run: sample
	$(BIN)/marquee serve --host 127.0.0.1 --port $(PORT)

serve: db
	$(BIN)/marquee serve --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench

# Side by side with pretalx (not part of `make bench`): pretalx from PyPI, pinned, in its own
# virtualenv, made with PRETALX_PYTHON (default: the first Python 3.13 or later found; pretalx
# 2026.2 asks for it), then bench/bench_peers.py at 1,000 and 5,000 talks.
PRETALX_VERSION ?= 2026.2.1
PRETALX_PYTHON  ?=
PRETALX_VENV    ?= $(HOME)/.cache/marquee-peers/pretalx-venv

bench-peers: install
	@if ! "$(PRETALX_VENV)/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('pretalx') != '$(PRETALX_VERSION)')" 2>/dev/null; then \
		py="$(PRETALX_PYTHON)"; \
		for candidate in python3.14 python3.13 $$HOME/.pyenv/versions/3.1[3-9]*/bin/python3; do \
			[ -n "$$py" ] && break; \
			"$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null && py="$$candidate"; \
		done; \
		[ -n "$$py" ] || { echo "make bench-peers: pretalx $(PRETALX_VERSION) needs Python 3.13 or later; set PRETALX_PYTHON"; exit 1; }; \
		echo "pretalx $(PRETALX_VERSION) into $(PRETALX_VENV) (with $$py)"; \
		rm -rf "$(PRETALX_VENV)" && "$$py" -m venv "$(PRETALX_VENV)" && \
		"$(PRETALX_VENV)/bin/pip" install -q --upgrade pip && \
		"$(PRETALX_VENV)/bin/pip" install -q 'pretalx==$(PRETALX_VERSION)' || exit 1; \
	fi
	$(BIN)/python -m bench.bench_peers --pretalx-python "$(PRETALX_VENV)/bin/python"

# ruff's rules, ruff's formatting (`make format` applies it) and mypy on the pure packages
# ([tool.mypy] in pyproject.toml); runs all three, fails if any does.
lint: install
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

.PHONY: format
format: install
	$(BIN)/ruff check --select I --fix .
	$(BIN)/ruff format .

# Needs root (CI runs it): the browser, PDF tools, fonts and the iCal validators.
system-packages:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(SYSTEM_PACKAGES)
	# Node.js with npm (for axe-core and ical.js): Debian's, unless one is installed already
	# (a NodeSource nodejs ships its own npm and conflicts with Debian's npm package)
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm

# c3voc-schedule-tools (the c3voc team's schedule reader) pins libraries Marquee outgrew: own venv
C3VOC_VENV ?= $${ICAL_VALIDATE_HOME:-$$HOME/.cache/ical-validate}/venv-c3voc

validators:
	bash tools/ical-validate/setup_validators.sh
	python3 -m venv "$(C3VOC_VENV)"
	"$(C3VOC_VENV)/bin/pip" install -q 'c3voc-schedule-tools==1.1.0'

clean:
	rm -rf $(VENV) marquee.db marquee.db-shm marquee.db-wal
