# Spasm tracker. Two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := backspasm.settings

.PHONY: run demo test lint format migrate content messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(BIN)/python
	@echo "== Installing Python packages into $(VENV)/ (about a minute the first time)"
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -r requirements.txt
	@echo "== Packages installed"
	touch $(STAMP)

migrate: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --noinput

content: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_guidance

## make run: set up, migrate, load guidance content, start web + Celery worker + beat.
run: content
	@echo ""
	@echo "  Spasm tracker is starting at http://127.0.0.1:$${SPASM_PORT:-8000}/  (Ctrl-C stops everything)"
	@echo "  Emails the app sends are written to var/mail/.  'make demo' creates demo logins."
	@echo ""
	@# Ctrl-C is how you stop it: honcho then answers 130, which is not an error here. The trap
	@# keeps this shell alive to say so, instead of dying of the signal ("make: *** Interrupt").
	@trap true INT; DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://127.0.0.1:$${SPASM_PORT:-8000}} PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho start || [ $$? -eq 130 ] && echo "  Spasm tracker stopped."

## make demo: a demo patient with weeks of data, a verified clinician linked to them, an admin.
## Run again to see the logins; `make demo RESET=1` gives them new passwords and prints those.
demo: content
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py demo_data $(if $(RESET),--reset-passwords)

## make test: set up and run ruff and the whole pytest suite, in two processes
## (PYTEST_ARGS="-n 0" runs it in one; tests/conftest.py keeps the browser tests together).
PYTEST_ARGS ?= -n 2 --dist loadgroup
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run > /dev/null || (echo "Missing migrations: run 'manage.py makemigrations'" && exit 1)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l es --ignore=.venv --ignore=var
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var
