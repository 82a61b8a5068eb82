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


# -- resource types that do not exist in a region (cfn-lint E3006) ---------------------------------------------------
#: (stack, region) -> the resource types cfn-lint says do not exist there. The construct does not refuse these yet:
#: a user who deploys one of these stacks there learns it from `cdk_lint` (which lints in the stack's region) or from
#: CloudFormation at deploy time. Pinned so that a change either way (a new gap, a type arriving) is seen.
NOT_IN_REGION: dict[tuple[str, str], set[str]] = {
    ("CdkSagemakerRealtimeInferenceComponents", "cn-north-1"): {"AWS::SageMaker::InferenceComponent"},
    ("CdkSagemakerLlmInferenceComponents", "cn-north-1"): {"AWS::SageMaker::InferenceComponent"},
    ("CdkSagemakerMonitored", "cn-north-1"): {"AWS::SageMaker::DataQualityJobDefinition",
                                              "AWS::SageMaker::ModelQualityJobDefinition"},
    ("CdkSagemakerRealtimeInferenceComponents", "us-gov-west-1"): {"AWS::SageMaker::InferenceComponent"},
    ("CdkSagemakerLlmInferenceComponents", "us-gov-west-1"): {"AWS::SageMaker::InferenceComponent"},
}
#: Example stacks the constructs already refuse in a region (no template to lint).
REFUSED = {("CdkSagemakerMonitored", "us-gov-west-1")}


@pytest.mark.slow
@pytest.mark.parametrize("region", ["cn-north-1", "us-gov-west-1"])
def test_example_stacks_name_only_resource_types_of_their_region(region: str) -> None:
    """The example stacks of the partitions where SageMaker has fewer resource types name only types that exist
    there (cfn-lint's regional schemas, what its E3006 checks and what `cdk_lint` reports for a stack with env=),
    but for the gaps listed above."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    existing = set(PROVIDER_SCHEMA_MANAGER.get_resource_types(region=region))
    account = "123456789012"
    app = cdk.App(context={f"availability-zones:account={account}:region={region}": [f"{region}{z}" for z in "ab"]})
    env = cdk.Environment(account=account, region=region)
    names = [name for name in sorted(STACKS) if (name, region) not in REFUSED]
    for name in names:
        STACKS[name](app, name, env=env)
    assembly = app.synth()
    missing = {}
    for name in names:
        resources = assembly.get_stack_by_name(name).template["Resources"].values()
        types = {r["Type"] for r in resources if not r["Type"].startswith("Custom::")} - existing
        if types:
            missing[(name, region)] = types
    assert missing == {k: v for k, v in NOT_IN_REGION.items() if k[1] == region}
