# The two commands of the README. Both set up what they need themselves.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BROWSER_DIR := tests/browser

.PHONY: demo test lint venv browser

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
	$(BIN)/ruff check qlp_core qlp_cli platform_api trainers mlflow_server tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## Debian's chromium (with CJK fonts, or Chinese renders as boxes) and playwright-core for the browser tests.
browser:
	@{ command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --silent

## Run every test (real MLflow, Qlib, MariaDB, Redis, S3, Chromium; see .ci/run for the services).
test: venv lint browser
	$(BIN)/python -m pytest -q
