"""The oracles over every example stack: cdk-nag (three packs, zero findings) and cfn-lint (zero findings)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.stacks import STACKS
from cdk_sagemaker.testing import DEFAULT_PACKS, assert_compliant, lint


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_is_compliant_with_nag_packs(name: str) -> None:
    app = build_app(cdk.App(context={"stacks": name}))
    assert_compliant(app, packs=DEFAULT_PACKS)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_has_no_cfn_lint_findings(name: str, example_templates: dict[str, Any]) -> None:
    assert lint(example_templates[name]) == []
