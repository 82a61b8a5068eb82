"""Every example stack in STACKS deploys to a local AWS (moto), and what moto shows matches the template.

The checks are generic over the synthesized templates, so a new stack in STACKS is covered without a new test:
endpoint configs (variants, weights, instance and serverless settings, async output and notifications, KMS),
models (VPC config), scalable targets and policies, state machines and schedules.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.local import LocalAws, local_aws
from cdk_sagemaker.local.report import StackReport
from cdk_sagemaker.local.workarounds.instance_types import moto_instance_types, stand_in_instance_type
from cdk_sagemaker.stacks import STACKS

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("cdk.out")
    build_app(cdk.App(outdir=str(outdir))).synth()
    return outdir


@pytest.fixture(scope="module")
def aws(assembly: Path) -> Iterator[LocalAws]:
    with local_aws(assembly_dir=assembly, progress=None) as deployed:
        yield deployed


def _template(assembly: Path, name: str) -> dict[str, Any]:
    import json

    template: dict[str, Any] = json.loads((assembly / f"{name}.template.json").read_text())
    return template


def _of_type(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == type_}


def _name(physical_id: str) -> str:
    """SageMaker physical ids are ARNs (``...:model/<name>``); the APIs take names."""
    return physical_id.rsplit("/", 1)[-1]


def _literal(value: Any) -> bool:
    return not isinstance(value, dict | list)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_stack_creates(aws: LocalAws, name: str) -> None:
    assert aws.report is not None
    stack = aws.report.stack(name)
    assert stack.ok, stack.error
    assert stack.resources


@pytest.mark.parametrize("name", sorted(STACKS))
def test_endpoint_configs_match_template(aws: LocalAws, assembly: Path, name: str) -> None:
    assert aws.report is not None
    report: StackReport = aws.report.stack(name)
    sm = aws.client("sagemaker")
    template = _template(assembly, name)
    for lid, resource in _of_type(template, "AWS::SageMaker::EndpointConfig").items():
        props = resource["Properties"]
        described = sm.describe_endpoint_config(EndpointConfigName=_name(report.physical_id(lid)))
        got = {v["VariantName"]: v for v in described["ProductionVariants"]}
        assert set(got) == {v["VariantName"] for v in props["ProductionVariants"]}
        for want in props["ProductionVariants"]:
            have = got[want["VariantName"]]
            if isinstance(want.get("InstanceType"), str) and want["InstanceType"] not in moto_instance_types():
                # moto does not list the type: the engine deployed a stand-in, and the endpoint report says so
                want = {**want, "InstanceType": stand_in_instance_type(want["InstanceType"], moto_instance_types())}
            for key in ("InstanceType", "InitialInstanceCount", "InitialVariantWeight"):
                if key in want and _literal(want[key]):
                    assert float(have[key]) == float(want[key]) if key == "InitialVariantWeight" \
                        else have[key] == want[key], (lid, key)
            if "ServerlessConfig" in want:
                assert have["ServerlessConfig"]["MemorySizeInMB"] == want["ServerlessConfig"]["MemorySizeInMB"]
                assert have["ServerlessConfig"]["MaxConcurrency"] == want["ServerlessConfig"]["MaxConcurrency"]
        # moto answers absent settings with empty values, so compare presence by truthiness
        assert bool(described.get("KmsKeyId")) == ("KmsKeyId" in props), lid
        assert bool(described.get("AsyncInferenceConfig")) == ("AsyncInferenceConfig" in props), lid
        if "AsyncInferenceConfig" in props:
            output = described["AsyncInferenceConfig"]["OutputConfig"]
            assert output["S3OutputPath"].startswith("s3://")
            if "NotificationConfig" in props["AsyncInferenceConfig"]["OutputConfig"]:
                assert output["NotificationConfig"]["SuccessTopic"].startswith("arn:")
        if "DataCaptureConfig" in props:
            assert described["DataCaptureConfig"]["EnableCapture"] is True


@pytest.mark.parametrize("name", sorted(STACKS))
def test_endpoints_are_in_service(aws: LocalAws, name: str) -> None:
    assert aws.report is not None
    for endpoint in (e for e in aws.report.endpoints if e.stack == name):
        assert endpoint.status == "InService", endpoint


@pytest.mark.parametrize("name", sorted(STACKS))
def test_models_keep_vpc_config(aws: LocalAws, assembly: Path, name: str) -> None:
    assert aws.report is not None
    report = aws.report.stack(name)
    sm = aws.client("sagemaker")
    for lid, resource in _of_type(_template(assembly, name), "AWS::SageMaker::Model").items():
        described = sm.describe_model(ModelName=_name(report.physical_id(lid)))
        assert bool(described.get("VpcConfig")) == ("VpcConfig" in resource["Properties"]), lid
        if described.get("VpcConfig"):
            assert described["VpcConfig"]["Subnets"] and described["VpcConfig"]["SecurityGroupIds"]


@pytest.mark.parametrize("name", sorted(STACKS))
def test_scaling_targets_and_policies_exist(aws: LocalAws, assembly: Path, name: str) -> None:
    from moto.applicationautoscaling.models import ScalableDimensionValueSet

    template = _template(assembly, name)
    targets = _of_type(template, "AWS::ApplicationAutoScaling::ScalableTarget")
    policies = _of_type(template, "AWS::ApplicationAutoScaling::ScalingPolicy")
    aas = aws.client("application-autoscaling")
    registered = aas.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert aws.report is not None
    gaps = {gap.logical_id: gap.reason for gap in aws.report.stack(name).unemulated}
    moto_dimensions = {d.value for d in ScalableDimensionValueSet}
    for lid, target in list(targets.items()):
        props = target["Properties"]
        if props["ScalableDimension"] not in moto_dimensions:
            # moto 5.2.5 rejects dimensions it does not know (sagemaker:variant:DesiredProvisionedConcurrency):
            # the deployer must report the target and its policies as not emulated, naming the dimension.
            assert props["ScalableDimension"] in gaps.get(lid, ""), gaps
            for pid, policy in list(policies.items()):
                if policy["Properties"]["ScalingTargetId"] == {"Ref": lid}:
                    assert pid in gaps, gaps
                    del policies[pid]
            continue
        matching = [t for t in registered if t["ScalableDimension"] == props["ScalableDimension"]
                    and t["MinCapacity"] == props["MinCapacity"] and t["MaxCapacity"] == props["MaxCapacity"]]
        assert matching, props
    names = {p["PolicyName"] for p in aas.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]}
    for policy in policies.values():
        if _literal(policy["Properties"].get("PolicyName")):
            assert policy["Properties"]["PolicyName"] in names


@pytest.mark.parametrize("name", sorted(STACKS))
def test_state_machines_and_schedules_exist(aws: LocalAws, assembly: Path, name: str) -> None:
    assert aws.report is not None
    report = aws.report.stack(name)
    template = _template(assembly, name)
    sfn = aws.client("stepfunctions")
    for lid in _of_type(template, "AWS::StepFunctions::StateMachine"):
        assert sfn.describe_state_machine(stateMachineArn=report.physical_id(lid))["status"] == "ACTIVE"
    events = aws.client("events")
    for lid, rule in _of_type(template, "AWS::Events::Rule").items():
        if "ScheduleExpression" in rule["Properties"]:
            described = events.describe_rule(Name=_name(report.physical_id(lid)).split("|")[-1])
            assert described["ScheduleExpression"] == rule["Properties"]["ScheduleExpression"]


def test_update_of_instance_count_completes(tmp_path: Path) -> None:
    """An update through an L1 escape hatch. moto replaces the endpoint config and the local engine moves the
    endpoint to it (moto itself would leave the endpoint on the deleted old config)."""
    name = "CdkSagemakerRealtimeBasic"
    app = cdk.App(outdir=str(tmp_path / "v1"))
    stack = STACKS[name](app, name)
    with local_aws(stack, progress=None) as aws:
        app2 = cdk.App(outdir=str(tmp_path / "v2"))
        stack2 = STACKS[name](app2, name)
        config = stack2.endpoint.cfn_endpoint_config  # type: ignore[attr-defined]
        config.add_property_override("ProductionVariants.0.InitialInstanceCount", 3)
        report = aws.deploy(stack2)
        assert report.stack(name).status == "UPDATE_COMPLETE"
        endpoint = next(e for e in report.endpoints if e.stack == name)
        assert endpoint.status == "InService"
        assert endpoint.variants[0].instance_count == 3


def test_delete_keeps_retained_buckets_and_their_objects(assembly: Path) -> None:
    retained = {
        name: [lid for lid, r in _of_type(_template(assembly, name), "AWS::S3::Bucket").items()
               if r.get("DeletionPolicy") == "Retain"]
        for name in STACKS
    }
    names = [n for n, lids in retained.items() if lids]
    if not names:
        pytest.skip("no example stack has a retained bucket yet")
    with local_aws(assembly_dir=assembly, stacks=names, progress=None) as aws:
        assert aws.report is not None
        s3 = aws.client("s3")
        kept = []
        for name in names:
            for lid in retained[name]:
                bucket = aws.report.stack(name).physical_id(lid)
                s3.put_object(Bucket=bucket, Key="kept/object.txt", Body=b"prediction")
                kept.append(bucket)
            aws.destroy(name)
        for bucket in kept:
            assert s3.get_object(Bucket=bucket, Key="kept/object.txt")["Body"].read() == b"prediction"
