# Two commands: `make run` and `make test`. Both set everything up from a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run run-phone link test lint typecheck pytest bench clean check-python

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ").")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's dependencies change.
$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.app-installed

# Prints the link with the access token and opens the browser there (kneecore.launch).
run: $(VENV)/.app-installed
	$(BIN)/python -m kneecore.launch --port $(PORT)

# Also serves the home Wi-Fi, for a phone: still behind the token (see the README).
run-phone: $(VENV)/.app-installed
	$(BIN)/python -m kneecore.launch --port $(PORT) --phone

# Prints the links again (the token is kept in the data folder between runs).
link: $(VENV)/.app-installed
	@$(BIN)/python -m kneecore.launch --port $(PORT) --link

# Clinic mode on this machine for a trial: a PostgreSQL server in .knee-clinic/, a local
# sign-in provider that takes any e-mail, and the app (kneecore.clinic.trial). Ctrl+C
# stops all three. Needs Debian's postgresql package (apt-get install postgresql).
.PHONY: run-clinic
$(VENV)/.clinic-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[clinic]'
	@touch $@ $(VENV)/.app-installed

run-clinic: $(VENV)/.clinic-installed
	$(BIN)/python -m kneecore.clinic.trial --port $(PORT)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.test-installed
	$(BIN)/mypy

pytest: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Every benchmark runs (each prints its figures and targets); exits 1 if any missed one.
bench: $(VENV)/.test-installed
	@failed=""; for script in bench/*_bench.py; do echo "== $$script"; \
		$(BIN)/python $$script || failed="$$failed $$script"; done; \
	if [ -n "$$failed" ]; then echo "== targets missed in:$$failed"; exit 1; fi; echo "== every target met"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/browser/screenshots
