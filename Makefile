# The two commands of the README: `make demo` and `make test`. Both build .venv from scratch
# on a fresh machine (Python 3.11+ and the package registry are all they need).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/seo-audit demo --out demo-out

lint: install
	$(BIN)/ruff check .

test: install lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) demo-out .pytest_cache *.egg-info
