# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app
# What running needs: fonts for every script certificates print, fontconfig (fc-list lets the
# renderer check glyphs), HarfBuzz subsetting and Pango for WeasyPrint, Redis for the job queue.
RUN_PACKAGES := fontconfig fonts-noto-core fonts-noto-cjk fonts-dejavu-core \
	libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 redis-server
# What the tests add: a browser, PDF-to-image for looking at PDFs, PostgreSQL.
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils postgresql
# How many pytest workers: both cores by default.
WORKERS ?= 2

.PHONY: run test bench lint system-packages test-packages venv migrate-check clean \
	translations-extract translations-update translations-compile translations-check

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

venv: $(BIN)/activate

# Install those of the Debian packages given that are missing (as root, or through sudo).
define install-missing
	@missing=""; for p in $(1); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

# What `make run` needs to print every script and run jobs.
system-packages:
	$(call install-missing,$(RUN_PACKAGES))

# The same, plus what the tests need.
test-packages:
	$(call install-missing,$(TEST_PACKAGES))

# Catalogues: English is written in the code; app/translations/<lang>/LC_MESSAGES/messages.po holds each
# other language. Extract after changing strings, update merges them into every .po, compile builds
# the .mo files the app reads (not committed). Adding a language: pybabel init -l xx, and LANGUAGES.
TRANSLATIONS := app/translations
POT := $(TRANSLATIONS)/messages.pot
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

translations-extract: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--sort-by-file --omit-header --width 100 -o $(POT) .

translations-update: translations-extract
	$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) --width 100 --ignore-obsolete

translations-compile: $(MO_FILES)

# CI's gate: the template matches a fresh extraction, and no catalogue has a missing or fuzzy entry.
translations-check: venv
	@fresh=$$(mktemp --suffix=.pot); trap 'rm -f "$$fresh"' EXIT; \
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--omit-header -o "$$fresh" . >/dev/null 2>&1 && \
	$(BIN)/python tools/check_translations.py "$$fresh"

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | venv
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

run: system-packages venv translations-compile
	$(BIN)/flask db upgrade
	$(BIN)/flask courses sync
	PORT=$(PORT) $(BIN)/flask demo load
	BIN=$(BIN) PORT=$(PORT) tools/run-dev.sh

test: test-packages venv translations-compile translations-check
	$(BIN)/ruff check app tests bench migrations tools
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(WORKERS) -p xdist --dist loadfile -q --durations=25

# BENCH_ARGS picks benchmarks and sizes: make bench BENCH_ARGS="reporting --size 300k".
bench: test-packages venv
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: venv
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/lint-imports
	$(BIN)/ruff format --check app tests bench || true

clean:
	rm -rf $(VENV) instance tests/output
