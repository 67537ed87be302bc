# The two commands of the README. Both set up the virtual environment themselves.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint venv

$(BIN)/qlp: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/qlp

venv: $(BIN)/qlp

## Run the main job: the demo workflow on the embedded platform (starts and stops it).
demo: venv
	$(BIN)/qlp demo

lint: venv
	$(BIN)/ruff check platform_api trainers mlflow_server tests bench
	$(BIN)/mypy

## Run every test (real MLflow, Qlib, MariaDB, Redis; see .ci/run for the services).
test: venv lint
	$(BIN)/python -m pytest -q
