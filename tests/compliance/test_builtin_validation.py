"""aws-cdk-lib's built-in CloudFormation validator, strictly, over every example stack of the env-agnostic app.

``cdk synth`` runs that validator by default (aws-cdk-lib 2.275, ``CDK_VALIDATION``) and prints what it finds as
warnings; with the context flag ``@aws-cdk/core:validateAgainstDefaultRules`` its errors fail the synth. The rest of
the suite runs with it off (tests/conftest.py: it asserts nothing there and costs a WASM load per process), so this
module registers it explicitly, which aws-cdk-lib honours whatever ``CDK_VALIDATION`` says, and turns its errors into
failures. The negative control proves the strict mode fails on a template the validator rejects.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app

_STRICT = "@aws-cdk/core:validateAgainstDefaultRules"


def _strict_app(outdir: Path) -> cdk.App:
    app = cdk.App(outdir=str(outdir), context={_STRICT: True})
    cdk.Validations.of(app).add_plugins(cdk.CloudFormationValidatePlugin())
    return app


def test_every_example_stack_passes_the_builtin_validator_strictly(tmp_path: Path) -> None:
    build_app(_strict_app(tmp_path)).synth()


def test_strict_builtin_validation_fails_on_a_rejected_template(tmp_path: Path) -> None:
    app = _strict_app(tmp_path)
    stack = cdk.Stack(app, "Broken")
    # AWS::SageMaker::Endpoint requires EndpointConfigName; DeploymentConfig is not an integer.
    cdk.CfnResource(stack, "Endpoint", type="AWS::SageMaker::Endpoint", properties={"DeploymentConfig": 7})
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    text = json.dumps(report)
    assert "EndpointConfigName" in text and "Broken/Endpoint" in text, text[:2000]
