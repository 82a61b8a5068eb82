"""W9703 stays quiet when a retried createTransformJob task catches its errors into a state that looks the job up by
the same name (BatchTransform's recovery), and fires when the catch goes anywhere else."""

from __future__ import annotations

import json
from typing import Any

from cdk_sagemaker.rules import run


def _template(catch_next: str) -> dict[str, Any]:
    states = {
        "Run": {"Type": "Task", "Resource": "arn:aws:states:::sagemaker:createTransformJob.sync",
                "Parameters": {"TransformJobName.$": "$.name", "ModelName": "m",
                               "TransformInput": {"DataSource": {"S3DataSource": {"S3Uri": "s3://b/in/",
                                                                                  "S3DataType": "S3Prefix"}}},
                               "TransformOutput": {"S3OutputPath": "s3://b/out/"},
                               "TransformResources": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge"}},
                "Retry": [{"ErrorEquals": ["SageMaker.AmazonSageMakerException"], "MaxAttempts": 3}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": catch_next}],
                "End": True},
        "Find": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sagemaker:describeTransformJob",
                 "Parameters": {"TransformJobName.$": "$.name"}, "End": True},
        "Failed": {"Type": "Fail"},
    }
    definition = json.dumps({"StartAt": "Run", "States": states})
    return {"Resources": {"Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "RoleArn": "arn:aws:iam::123456789012:role/r", "DefinitionString": definition}}}}


def _ids(template: dict[str, Any]) -> list[str]:
    return [m.rule.id for m in run(template)]


def test_a_catch_into_a_describe_by_name_recovers_the_job() -> None:
    assert "W9703" not in _ids(_template("Find"))


def test_a_catch_that_does_not_look_the_job_up_still_fires() -> None:
    assert "W9703" in _ids(_template("Failed"))
