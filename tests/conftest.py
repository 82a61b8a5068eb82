"""Shared fixtures: the example app is synthesized once per test process and reused by every oracle."""

from __future__ import annotations

import os

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
# aws-cdk-lib's built-in CloudFormation validator (a WASM module loaded into every jsii Node process, ~2 s per
# process and a few ms per resource at every synth) only *warns* unless the app sets
# @aws-cdk/core:validateAgainstDefaultRules, so across the suite's hundreds of synths it cost about a fifth of the test
# time and asserted nothing. Off for the suite (set before aws_cdk starts its Node process, which reads it);
# tests/compliance/test_builtin_validation.py runs it once, strictly, over the (env-agnostic) example app. Export
# CDK_VALIDATION=true to run the whole suite with it.
os.environ.setdefault("CDK_VALIDATION", "false")

from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.stacks import STACKS

# pytester runs users' test files in-process for the CI-kit tests (tests/kit); pytest only accepts this here.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def example_app() -> cdk.App:
    """Every example stack in one app, synthesized once."""
    app = build_app(cdk.App())
    app.synth()
    return app


@pytest.fixture(scope="session")
def example_templates(example_app: cdk.App) -> dict[str, dict[str, Any]]:
    """Template of every example stack by stack name."""
    assembly = example_app.synth()
    return {name: assembly.get_stack_by_name(name).template for name in STACKS}


@pytest.fixture
def stack() -> cdk.Stack:
    """A fresh env-agnostic stack in a fresh app."""
    return cdk.Stack(cdk.App(), "TestStack")
