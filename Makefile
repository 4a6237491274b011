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

.PHONY: run test bench lint system-packages test-packages venv migrate-check clean

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

run: system-packages venv
	$(BIN)/flask db upgrade
	$(BIN)/flask courses sync
	$(BIN)/flask demo load
	BIN=$(BIN) PORT=$(PORT) tools/run-dev.sh

test: test-packages venv
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(WORKERS) -p xdist --dist loadfile -q

bench: test-packages venv
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/lint-imports
	$(BIN)/ruff format --check app tests bench || true

clean:
	rm -rf $(VENV) instance tests/output
