# cdk-sagemaker: everything runs on .venv and node_modules, created on demand.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export CDK_DISABLE_CLI_TELEMETRY := true
export JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION := 1
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
export JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION := 1

.PHONY: install synth demo test lint typecheck bench clean snapshot-update diagrams

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt pyproject.toml
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

synth: install
	rm -rf cdk.out
	PATH="$(CURDIR)/$(BIN):$$PATH" npx cdk synth --quiet
	$(BIN)/python tools/summary.py cdk.out

# Synthesize every example stack, then deploy them all to a local moto server on 127.0.0.1 (no account needed).
demo: synth
	$(BIN)/cdk-sagemaker local deploy --assembly cdk.out

lint: install
	$(BIN)/ruff check cdk_sagemaker tests tools bench app.py
	$(BIN)/mypy

typecheck: lint

test: install lint
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup

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
