# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app
SYSTEM_PACKAGES := chromium fonts-noto-core fonts-noto-cjk fonts-dejavu-core \
	libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils postgresql redis-server
# How many pytest workers: both cores by default.
WORKERS ?= 2

.PHONY: run test bench lint system-packages venv migrate-check clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/activate

venv: $(BIN)/activate

# System packages for PDFs (fonts, HarfBuzz subsetting), browser tests, PostgreSQL and Redis.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: venv
	$(BIN)/flask db upgrade
	$(BIN)/flask courses sync
	$(BIN)/flask demo load
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: system-packages venv
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/pytest -n $(WORKERS) -p xdist --dist loadfile -q

bench: system-packages venv
	$(BIN)/python -m bench

lint: venv
	$(BIN)/ruff check app tests bench migrations
	$(BIN)/ruff format --check app tests bench || true

clean:
	rm -rf $(VENV) instance tests/output
