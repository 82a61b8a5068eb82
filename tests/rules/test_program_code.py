"""E9303 applies the same check as ``Model`` (``cdk_sagemaker._containers.program_problem``): a program needs code the
container can load at start."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_sagemaker.rules import run


def _model(environment: dict[str, str], *, data: bool = False, isolation: bool = True) -> dict[str, Any]:
    container: dict[str, Any] = {"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/sklearn:1",
                                 "Environment": environment}
    if data:
        container["ModelDataUrl"] = "s3://my-bucket/model.tar.gz"
    return {"Resources": {"Model": {"Type": "AWS::SageMaker::Model", "Properties": {
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r", "EnableNetworkIsolation": isolation,
        "PrimaryContainer": container}}}}


@pytest.mark.parametrize(("environment", "data", "isolation", "message"), [
    ({"SAGEMAKER_PROGRAM": "p.py"}, False, True, "ships no code"),
    ({"SAGEMAKER_PROGRAM": "p.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://code/src.tar.gz"}, True, True,
     "network isolation blocks"),
    ({"SAGEMAKER_PROGRAM": "p.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}, False, False,
     "no model_data to put it there"),
], ids=["no-code", "s3-code-isolated", "model-dir-without-data"])
def test_program_without_loadable_code_is_flagged(environment: dict[str, str], data: bool, isolation: bool,
                                                  message: str) -> None:
    matches = [m for m in run(_model(environment, data=data, isolation=isolation)) if m.rule.id == "E9303"]
    assert len(matches) == 1 and message in matches[0].message


@pytest.mark.parametrize(("environment", "data", "isolation"), [
    ({"SAGEMAKER_PROGRAM": "p.py"}, True, True),
    ({"SAGEMAKER_PROGRAM": "p.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}, True, True),
    ({"SAGEMAKER_PROGRAM": "p.py", "SAGEMAKER_SUBMIT_DIRECTORY": "s3://code/src.tar.gz"}, False, False),
], ids=["code-in-data", "model-dir-with-data", "s3-code-not-isolated"])
def test_loadable_code_is_fine(environment: dict[str, str], data: bool, isolation: bool) -> None:
    assert [m for m in run(_model(environment, data=data, isolation=isolation)) if m.rule.id == "E9303"] == []
