"""Every KMS key of the library and its example stacks: least key policy (no kms:*), service principals bounded."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events
from aws_cdk.assertions import Template

from cdk_sagemaker import AsyncEndpoint, BatchTransform
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.stacks import STACKS

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


def _statements(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for logical_id, res in template["Resources"].items():
        if res["Type"] == "AWS::KMS::Key":
            out += [(logical_id, st) for st in res["Properties"]["KeyPolicy"]["Statement"]]
    return out


def _problems(template: dict[str, Any]) -> list[str]:
    """What docs/security.md promises about key policies, checked statement by statement."""
    problems = []
    for key, st in _statements(template):
        actions = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
        if "kms:*" in actions:
            problems.append(f"{key}: grants kms:* to {st['Principal']}")
        service = st["Principal"].get("Service") if isinstance(st["Principal"], dict) else None
        if service is not None and not st.get("Condition"):
            problems.append(f"{key}: service principal {service} without a condition")
        if service == "cloudwatch.amazonaws.com" and \
                "aws:SourceAccount" not in st.get("Condition", {}).get("StringEquals", {}):
            problems.append(f"{key}: cloudwatch.amazonaws.com without aws:SourceAccount")
        if "AWS" in (st["Principal"] if isinstance(st["Principal"], dict) else {}) and \
                set(actions) & {"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*"} and \
                "kms:ViaService" not in st.get("Condition", {}).get("StringEquals", {}):
            problems.append(f"{key}: the account may use the key outside a service ({actions})")
    return problems


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_keys_follow_the_least_key_policy(example_templates: dict[str, dict[str, Any]],
                                                        name: str) -> None:
    # Item 14: the canary example's topic key, the async topic key and the batch key granted the root kms:*.
    assert _problems(example_templates[name]) == []


def test_async_topic_key_is_usable_only_through_sns(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    AsyncEndpoint(stack, "Endpoint", model=model)
    template = Template.from_stack(stack).to_json()
    assert _problems(template) == []
    topic_key = stack.get_logical_id(stack.node.find_child("Endpoint").node.find_child("TopicKey")
                                     .node.default_child)  # type: ignore[arg-type]
    use = [st for key, st in _statements(template) if key == topic_key and st["Sid"] == "UseThroughServices"]
    assert use[0]["Condition"]["StringEquals"]["kms:ViaService"] == [
        {"Fn::Join": ["", ["sns.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}]


def test_batch_key_serves_logs_and_cloudwatch_alarms_of_this_account_only(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    bt = BatchTransform(stack, "Nightly", model=model, input_s3_uri="s3://bucket-in/in/",
                        output_s3_uri="s3://bucket-out/out/", schedule=events.Schedule.cron(hour="2", minute="0"))
    template = Template.from_stack(stack).to_json()
    assert _problems(template) == []
    key = stack.get_logical_id(bt.kms_key.node.default_child)  # type: ignore[arg-type]
    by_sid = {st["Sid"]: st for k, st in _statements(template) if k == key}
    assert by_sid["UseCloudwatchService"] == {
        "Sid": "UseCloudwatchService", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}
    assert by_sid["UseLogsService"]["Principal"] == {
        "Service": {"Fn::Join": ["", ["logs.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}
    assert set(by_sid) == {"KeyAdministration", "UseThroughServices", "UseLogsService", "UseCloudwatchService"}
