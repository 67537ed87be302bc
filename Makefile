# The two commands of the README. Both set up what they need themselves.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BROWSER_DIR := tests/browser
FRONTEND := frontend
# what a dashboard build is made from: a change to any of these rebuilds frontend/dist
DASHBOARD_SRC := $(shell find $(FRONTEND)/src $(FRONTEND)/public -type f 2>/dev/null) $(FRONTEND)/index.html \
	$(FRONTEND)/vite.config.ts $(FRONTEND)/package-lock.json $(FRONTEND)/tsconfig.app.json trainers/configs/demo_lgb_alpha158.yaml

.PHONY: demo test lint venv zoo browser node dashboard frontend-check

$(BIN)/qlp: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(BIN)/qlp

venv: $(BIN)/qlp

## The model zoo (XGBoost, CatBoost, PyTorch) for the tests: the demo's first install stays without it.
ZOO_STAMP := $(VENV)/.zoo-installed
$(ZOO_STAMP): $(BIN)/qlp pyproject.toml
	$(BIN)/pip install -q -e '.[dev,zoo]'
	touch $@

zoo: $(ZOO_STAMP)

## Node.js and npm build the dashboard; Debian's packages where they are missing (root), else a clear message.
node:
	@command -v npm >/dev/null && node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
		else \
			echo "The dashboard is built with Node.js 20+ and npm, which this machine lacks: install them" \
			     "(e.g. apt-get install nodejs npm) and run make again." >&2; exit 1; \
		fi; }

$(FRONTEND)/node_modules/.package-lock.json: $(FRONTEND)/package-lock.json | node
	cd $(FRONTEND) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(FRONTEND)/dist/index.html: $(FRONTEND)/node_modules/.package-lock.json $(DASHBOARD_SRC)
	cd $(FRONTEND) && npm run --silent build -- --logLevel warn

## The dashboard, built into frontend/dist (served by the API at /) when missing or older than its sources.
dashboard: $(FRONTEND)/dist/index.html

## Run the main job: the demo workflow on the embedded platform (starts and stops it); dashboard included.
demo: venv dashboard
	$(BIN)/qlp demo

## The dashboard's own checks: strict type check, Vitest, and a fresh production build.
frontend-check: $(FRONTEND)/node_modules/.package-lock.json
	cd $(FRONTEND) && npx vue-tsc --noEmit -p tsconfig.app.json
	cd $(FRONTEND) && npx vitest run
	cd $(FRONTEND) && npm run --silent build -- --logLevel warn

lint: venv
	$(BIN)/ruff check qlp_core qlp_cli platform_api trainers mlflow_server tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

## Debian's chromium (with CJK fonts, or Chinese renders as boxes) and playwright-core for the browser tests.
browser:
	@{ command -v chromium >/dev/null && dpkg -s fonts-noto-cjk >/dev/null 2>&1; } || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }
	cd $(BROWSER_DIR) && npm ci --no-audit --no-fund --silent

## Run every test (real MLflow, Qlib, MariaDB, Redis, S3, Chromium; see .ci/run for the services); pytest also
## checks the committed API client against the live schema and drives the dashboard in Chromium.
test: venv zoo lint browser frontend-check
	$(BIN)/python -m pytest -q -n 2
