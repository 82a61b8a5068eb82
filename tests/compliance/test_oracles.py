"""The oracles over every example stack: cdk-nag (the ``cdk_nag_packs``: AwsSolutions, NIST 800-53 rev 5, HIPAA
Security by default) and cfn-lint, both with zero findings."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.stacks import STACKS


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_is_compliant_with_nag_packs(name: str, cdk_compliance: Any) -> None:
    cdk_compliance(build_app(cdk.App(context={"stacks": name})))


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_has_no_cfn_lint_findings(name: str, example_templates: dict[str, Any], cdk_lint: Any) -> None:
    cdk_lint(example_templates[name])
