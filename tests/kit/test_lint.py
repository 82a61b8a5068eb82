"""lint / assert_lint_clean: zero-tolerance findings, an allow-list of real rule ids."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import compliant_bucket, plain_stack

from cdk_sagemaker import ValidationError
from cdk_sagemaker.testing import LintError, assert_lint_clean, lint, lint_rule_ids

BAD: dict[str, Any] = {
    "Resources": {
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"VersioningConfiguration": {"Status": "Sometimes"}}},
        "Topic": {"Type": "AWS::SNS::Topic", "DependsOn": "Bucket", "Properties": {"TopicName": {"Ref": "Bucket"}}},
    }
}


def test_clean_stack_has_no_findings() -> None:
    stack = plain_stack()
    compliant_bucket(stack)
    assert lint(stack) == []
    assert_lint_clean(stack)


def test_findings_name_rule_path_and_message() -> None:
    findings = lint(BAD)
    assert [(f.rule, f.path) for f in findings] == [
        ("E3030", "Resources/Bucket/Properties/VersioningConfiguration/Status"),
        ("W3005", "Resources/Topic/DependsOn"),
    ]
    assert "'Sometimes' is not one of" in findings[0].message
    with pytest.raises(LintError, match=r"2 cfn-lint finding\(s\):\n  E3030 Resources/Bucket/Properties/"):
        assert_lint_clean(BAD)


def test_allow_leaves_out_exactly_those_rules() -> None:
    assert [f.rule for f in lint(BAD, allow=["W3005"])] == ["E3030"]
    assert lint(BAD, allow=["W3005", "E3030"]) == []


def test_unknown_rule_in_allow_is_a_validation_error() -> None:
    assert {"E3030", "W3005", "I3011"} <= lint_rule_ids()
    with pytest.raises(ValidationError, match=r"lint: allow must name cfn-lint rule ids such as 'W3005', "
                       r"got 'W30055' \(close: .*W3005"):
        lint(BAD, allow=["W30055"])


def test_informational_rules_run_only_when_asked() -> None:
    template = {"Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}  # stateful, no DeletionPolicy
    assert lint(template) == []
    assert "I3011" in {f.rule for f in lint(template, informational=True)}


def _component_stack(region: str | None) -> Any:
    import aws_cdk as cdk

    env = cdk.Environment(account="123456789012", region=region) if region else None
    stack = cdk.Stack(cdk.App(), "Components", env=env)
    cdk.CfnResource(stack, "Component", type="AWS::SageMaker::InferenceComponent", properties={
        "EndpointName": "e", "Specification": {"ModelName": "m", "ComputeResourceRequirements": {
            "MinMemoryRequiredInMb": 1024, "NumberOfCpuCoresRequired": 1}}, "RuntimeConfig": {"CopyCount": 1}})
    return stack


def test_a_stack_with_env_is_linted_in_its_own_region() -> None:
    """AWS::SageMaker::InferenceComponent does not exist in cn-north-1: a stack with that env gets E3006 by default;
    regions given explicitly win; an env-agnostic stack is linted in us-east-1."""
    assert "E3006" in {f.rule for f in lint(_component_stack("cn-north-1"), readiness=False)}
    assert "E3006" not in {f.rule for f in lint(_component_stack("cn-north-1"), regions=["us-east-1"],
                                                readiness=False)}
    assert "E3006" not in {f.rule for f in lint(_component_stack(None), readiness=False)}
    assert "E3006" not in {f.rule for f in lint(_component_stack("eu-west-1"), readiness=False)}
