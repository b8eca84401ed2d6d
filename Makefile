# orderdesk: set-up, run and test commands. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP_PORT ?= 8000
SANDBOX_PORT ?= 8010
DEMO_ENV := DEBUG=1 ORDERDESK_DEMO=1 ORDERDESK_SANDBOX_ADDRESS=http://127.0.0.1:$(SANDBOX_PORT)

.PHONY: install install-dev browser run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"

# Browser tests drive Debian's Chromium; Playwright's own browser download is not used.
browser:
	@test -x /usr/bin/chromium || { \
		echo "Installing Debian's chromium package for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	}
	@test -x /usr/bin/chromium || { \
		echo "Chromium is missing: install the Debian package 'chromium' (apt-get install chromium)."; exit 1; }

run: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo --password demo-pass-2026
	$(DEMO_ENV) $(BIN)/python manage.py runsandbox --port $(SANDBOX_PORT) & \
	SANDBOX_PID=$$!; trap 'kill $$SANDBOX_PID 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(APP_PORT)

test: install-dev browser
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
