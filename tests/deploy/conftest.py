"""Deploy tests: synthesize small CDK apps and deploy them to moto (local AWS)."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "deploy: deploys synthesized stacks to moto (local AWS); select with -m deploy")


@pytest.fixture(autouse=True, scope="session")
def _offline_environment() -> None:
    os.environ.setdefault("CDK_VALIDATION", "false")  # skip the ~2 s WASM template validator per process
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        os.environ[name] = value


@pytest.fixture(autouse=True, scope="module")
def _fresh_moto_state() -> None:
    """moto keeps one state per process (in-process and server modes share it), so a module that counts what it
    created starts from an empty local AWS, whatever an earlier module in the same worker deployed."""
    from moto.moto_api import _internal

    _internal.moto_api_backend.reset()
