"""The nightly batch-transform example deploys to moto: state machine, schedule rule, topic, log group.

Moto's Step Functions cannot run the ``.sync`` SageMaker integration, so no execution is started here; the request
the state machine would send is checked against botocore in tests/unit/test_batch_transform.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.local import local_aws

pytestmark = [pytest.mark.deploy, pytest.mark.filterwarnings("ignore:Tried to parse")]

NAME = "CdkSagemakerBatchTransformNightly"


def test_nightly_example_creates_state_machine_rule_topic_and_logs(tmp_path: Path) -> None:
    app = build_app(cdk.App(outdir=str(tmp_path), context={"stacks": NAME}))
    stack = app.node.find_child(NAME)
    assert isinstance(stack, cdk.Stack)
    with local_aws(stack) as aws:
        assert aws.report is not None and aws.report.ok
        outputs = aws.report.stack(NAME).outputs
        sfn = aws.client("stepfunctions")
        machine = sfn.describe_state_machine(stateMachineArn=outputs["StateMachineArn"])
        assert machine["status"] == "ACTIVE" and machine["type"] == "STANDARD"
        definition = json.loads(machine["definition"])
        task = definition["States"]["RunTransformJob"]
        assert task["Resource"].endswith(":states:::sagemaker:createTransformJob.sync")
        assert task["Parameters"]["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] == outputs["InputUri"]
        assert task["Parameters"]["TransformOutput"]["S3OutputPath"] == outputs["OutputUri"]
        assert task["Parameters"]["DataProcessing"]["JoinSource"] == "Input"

        events = aws.client("events")
        rules = [r for r in events.list_rules()["Rules"] if r.get("ScheduleExpression") == "cron(0 2 * * ? *)"]
        assert len(rules) == 1
        targets = events.list_targets_by_rule(Rule=rules[0]["Name"])["Targets"]
        assert [t["Arn"] for t in targets] == [outputs["StateMachineArn"]]

        attributes = aws.client("sns").get_topic_attributes(TopicArn=outputs["FailureTopicArn"])["Attributes"]
        assert attributes.get("KmsMasterKeyId")
        assert aws.client("s3").head_bucket(Bucket=outputs["BucketName"])
