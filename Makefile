# Two commands (see README.md):
#   make run    set up .venv if needed, install the app and the system libraries Qt needs, open the GUI
#               (a demo clinic fills an empty store)
#   make test   install what the tests need, then lint, the whole test suite and the layer contracts
# Also: make lint, make fmt, make bench, make screenshots; make dist (the frozen app for this machine)
# and make installer (the Windows installer, with NSIS's makensis, from a Windows build folder).

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Playwright (the HQ console's browser tests) drives Debian's chromium; it must never fetch a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# Test files run in parallel, one worker per core, each file kept whole on one worker (module fixtures
# such as an HQ server are made once). PYTEST_WORKERS= (empty) runs them serially.
PYTEST_WORKERS ?= -n auto --dist loadfile

.PHONY: run test lint fmt bench

# The environment is made once; the installs below re-run only when pyproject.toml changes.
$(BIN)/python:
	./.ci/make-venv "$(PYTHON)" "$(VENV)"

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[desktop]'
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[desktop,test,hq,dist]'
	touch $@ $(VENV)/.installed-run

# The system libraries Qt needs are installed first (as root on Debian/Ubuntu; elsewhere it says which).
run: $(VENV)/.installed-run
	./.ci/system-deps qt
	$(BIN)/clinic-app gui --demo $(ARGS)

# Every step runs even when an earlier one fails, so one run shows everything to fix; the exit status
# is non-zero when any step failed.
test: $(VENV)/.installed-test
	./.ci/system-deps qt postgres poppler nsis pyinstaller chromium
	@status=0; \
	echo "== ruff check"; $(BIN)/ruff check . || status=1; \
	echo "== ruff format --check"; $(BIN)/ruff format --check . || status=1; \
	echo "== pytest"; QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q $(PYTEST_WORKERS) || status=1; \
	echo "== lint-imports"; $(BIN)/lint-imports --no-cache || status=1; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED"; else echo "make test: all passed"; fi; \
	exit $$status

lint: $(VENV)/.installed-test
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/lint-imports --no-cache || status=1; \
	exit $$status

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Each benchmark prints its figures, with a JSON object on its last line.
bench: $(VENV)/.installed-run
	@status=0; \
	for script in benchmarks/*.py; do \
		echo "== $$script"; $(BIN)/python "$$script" || status=1; \
	done; \
	exit $$status

# A PNG of every main screen and dialog, on the demo clinic, on a 1366x768 screen (docs/screenshots/1366x768/)
# and at 1280x800 (docs/screenshots/): tools/screenshots.py. Then every HQ web console page at 1366x768
# (docs/screenshots/hq-*.png) in chromium, from a temporary HQ on PostgreSQL: tools/hq_screenshots.py.
.PHONY: screenshots
screenshots: $(VENV)/.installed-test
	./.ci/system-deps qt postgres chromium
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py
	$(BIN)/python tools/hq_screenshots.py

# `make dist`: the frozen app for the machine it runs on (PyInstaller, one folder: dist/clinic-app/),
# then the build's own self-check.
# `make installer`: the Windows installer, dist/clinic-app-setup-<version>.exe, compiled by NSIS's makensis
# (on Linux too) from a Windows build folder: the one `make dist` or the pyinstaller command made on
# Windows, or such a folder copied here (make installer BUILD_DIR=path/to/clinic-app). See installer/README.md.
.PHONY: dist installer

BUILD_DIR ?= dist/clinic-app
OUT_DIR ?= dist
# clinic_app.__version__ is the project's one version (pyproject.toml reads it from there too).
APP_VERSION ?= $(shell sed -n 's/^__version__ = "\(.*\)"$$/\1/p' clinic_app/__init__.py)

$(VENV)/.installed-dist: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[desktop,dist]'
	touch $@ $(VENV)/.installed-run

dist: $(VENV)/.installed-dist
	./.ci/system-deps qt pyinstaller
	$(BIN)/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller installer/clinic_app.spec
	dist/clinic-app/clinic-app --self-check

# makensis changes into installer/ before reading the script, hence the absolute paths.
installer:
	./.ci/system-deps nsis
	mkdir -p "$(OUT_DIR)"
	makensis -WX "-DAPP_VERSION=$(APP_VERSION)" "-DBUILD_DIR=$(abspath $(BUILD_DIR))" "-DOUT_DIR=$(abspath $(OUT_DIR))" installer/clinic_app.nsi
