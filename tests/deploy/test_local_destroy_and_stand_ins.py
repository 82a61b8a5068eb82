"""The local engine on what moto 5.2.5 cannot do by itself (issue 15, item 13): endpoints on instance types moto does
not list are deployed on a stand-in and reported; a destroy deletes what moto's CloudFormation leaves (a VPC with
endpoints and route tables, managed policies) or names exactly what it could not delete."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from botocore.exceptions import ClientError
from local_apps import build_endpoint_stack

from cdk_sagemaker.app import build_app
from cdk_sagemaker.local import LocalAws, StackDestroyError, local_aws
from cdk_sagemaker.local.report import Resource
from cdk_sagemaker.local.teardown import HANDLERS
from cdk_sagemaker.local.workarounds import for_moto
from cdk_sagemaker.local.workarounds.instance_types import moto_instance_types, stand_in_instance_type
from cdk_sagemaker.stacks import STACKS

pytestmark = [pytest.mark.deploy, pytest.mark.filterwarnings("ignore:Tried to parse")]

#: Current SageMaker hosting families (botocore's ProductionVariantInstanceType enum has them) moto 5.2.5 lacks.
_NEWER = ["ml.g5.2xlarge", "ml.g6.xlarge", "ml.g6e.12xlarge", "ml.p4d.24xlarge", "ml.p5.48xlarge", "ml.inf2.xlarge",
          "ml.trn1.32xlarge", "ml.m7i.large", "ml.c7i.xlarge", "ml.r7i.4xlarge", "ml.t3.medium"]


def _kind(instance_type: str) -> str:
    family = instance_type.split(".")[1]
    return "neuron" if family.startswith(("inf", "trn")) else "gpu" if family.startswith(("g", "p")) else "cpu"


def test_moto_instance_types_are_read_from_moto() -> None:
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import FakeEndpointConfig

    known = moto_instance_types()
    assert "ml.m5.large" in known and "ml.g4dn.xlarge" in known
    for instance_type in known:
        FakeEndpointConfig.validate_instance_type(None, instance_type)  # type: ignore[arg-type]  # accepted
    with pytest.raises(ValidationError):
        FakeEndpointConfig.validate_instance_type(None, "ml.g5.2xlarge")  # type: ignore[arg-type]


@pytest.mark.parametrize("instance_type", _NEWER)
def test_stand_in_is_a_moto_type_of_the_same_kind(instance_type: str) -> None:
    known = moto_instance_types()
    if instance_type in known:
        pytest.skip(f"this moto lists {instance_type}")
    stand_in = stand_in_instance_type(instance_type, known)
    assert stand_in in known
    assert stand_in is not None and _kind(stand_in) == _kind(instance_type)
    assert stand_in_instance_type("ml.m5.large", known) == "ml.m5.large"


def test_for_moto_replaces_only_unknown_types_and_says_so() -> None:
    variants = [{"VariantName": "Gpu", "InstanceType": "ml.g5.2xlarge"},
                {"VariantName": "Cpu", "InstanceType": "ml.m5.large"},
                {"VariantName": "Param", "InstanceType": {"Ref": "Type"}},
                {"VariantName": "Serverless", "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 1}}]
    template = {"Resources": {"Config": {"Type": "AWS::SageMaker::EndpointConfig",
                                         "Properties": {"ProductionVariants": variants}}}}
    narrowed, notes = for_moto(template)
    got = narrowed["Resources"]["Config"]["Properties"]["ProductionVariants"]
    assert [v.get("InstanceType") for v in got] == ["ml.g4dn.2xlarge", "ml.m5.large", {"Ref": "Type"}, None]
    assert [(lid, type_) for lid, type_, _ in notes] == [("Config.Gpu.InstanceType", "AWS::SageMaker::EndpointConfig")]
    assert "ml.g5.2xlarge" in notes[0][2] and "stand-in ml.g4dn.2xlarge" in notes[0][2]
    assert template["Resources"]["Config"]["Properties"]["ProductionVariants"][0]["InstanceType"] == "ml.g5.2xlarge"


def test_endpoint_on_a_type_moto_does_not_list_deploys_on_a_stand_in(tmp_path: Path) -> None:
    stack = build_endpoint_stack(str(tmp_path), name="LocalGpu", instance_type="ml.g5.2xlarge")
    with local_aws(stack, server=False, progress=None) as aws:
        assert aws.report is not None and aws.report.ok
        (endpoint,) = aws.report.endpoints
        (variant,) = endpoint.variants
        assert (variant.instance_type, variant.local_instance_type) == ("ml.g5.2xlarge", "ml.g4dn.2xlarge")
        assert endpoint.status == "InService"
        notes = [u for u in aws.report.stack("LocalGpu").unemulated if u.logical_id == "Config.AllTraffic.InstanceType"]
        assert len(notes) == 1 and "ml.g5.2xlarge" in notes[0].reason and "ml.g4dn.2xlarge" in notes[0].reason
        text = aws.report.format()
        assert "NOT emulated Config.AllTraffic.InstanceType" in text
        assert "AllTraffic:instance(ml.g5.2xlarge x1, locally on ml.g4dn.2xlarge)" in text
        described = aws.client("sagemaker").describe_endpoint_config(EndpointConfigName=endpoint.config_name)
        assert described["ProductionVariants"][0]["InstanceType"] == "ml.g4dn.2xlarge"


# -- destroy ----------------------------------------------------------------------------------------------------------
_ASSEMBLY: dict[str, Path] = {}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAws]:
    outdir = _ASSEMBLY["dir"] = tmp_path_factory.mktemp("cdk.out")
    build_app(cdk.App(outdir=str(outdir))).synth()
    with local_aws(assembly_dir=outdir, progress=None) as aws:
        yield aws


def _template(name: str) -> dict[str, Any]:
    return dict(json.loads((_ASSEMBLY["dir"] / f"{name}.template.json").read_text()))


def _of_type(resources: list[Resource], type_: str) -> str:
    (physical_id,) = [r.physical_id for r in resources if r.type == type_]
    return physical_id


def _stack_exists(aws: LocalAws, name: str) -> bool:
    try:
        return bool(aws.client("cloudformation").describe_stacks(StackName=name)["Stacks"])
    except ClientError:
        return False


def _exists(aws: LocalAws, type_: str, physical_id: str) -> bool:
    return HANDLERS[type_](aws.client, physical_id, False)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_destroy_leaves_only_retained_resources(deployed: LocalAws, name: str) -> None:
    assert deployed.report is not None
    resources = deployed.report.stack(name).resources
    report = deployed.destroy(name)
    assert report.ok, report.format()
    kept = {r.logical_id for r in report.retained or []}
    template_kept = {lid for lid, body in _template(name)["Resources"].items()
                     if body.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate")}
    assert kept == template_kept & {r.logical_id for r in resources}
    # (moto 5.2.5 answers DescribeKey on a retained key of a deleted stack with HTTP 500: retained ones not checked)
    for resource in resources:
        if resource.type in HANDLERS and resource.logical_id not in kept:
            assert not _exists(deployed, resource.type, resource.physical_id), resource


def test_destroy_of_the_private_stack_removes_the_whole_network(deployed: LocalAws) -> None:
    """The VPC, its subnets, route tables, VPC endpoints (and their network interfaces) and flow log are gone."""
    name = "CdkSagemakerRealtimePrivate"
    assert deployed.report is not None
    vpc_id = _of_type(deployed.report.stack(name).resources, "AWS::EC2::VPC")
    if _stack_exists(deployed, name):  # not yet destroyed by the parametrized test above
        deployed.destroy(name)
    ec2 = deployed.client("ec2")
    by_vpc = [{"Name": "vpc-id", "Values": [vpc_id]}]
    assert [v for v in ec2.describe_vpcs()["Vpcs"] if v["VpcId"] == vpc_id] == []
    assert ec2.describe_subnets(Filters=by_vpc)["Subnets"] == []
    assert ec2.describe_route_tables(Filters=by_vpc)["RouteTables"] == []
    assert [e for e in ec2.describe_vpc_endpoints()["VpcEndpoints"]
            if e["VpcId"] == vpc_id and e["State"].lower() != "deleted"] == []
    assert ec2.describe_network_interfaces(Filters=by_vpc)["NetworkInterfaces"] == []
    assert [f for f in ec2.describe_flow_logs()["FlowLogs"] if f["ResourceId"] == vpc_id] == []
    assert [r for r in deployed.client("iam").list_roles()["Roles"] if r["RoleName"].startswith(name)] == []


def test_destroy_names_what_it_could_not_delete(tmp_path: Path) -> None:
    """A bucket that is not retained but holds objects cannot be deleted (CloudFormation fails on it as well)."""
    from aws_cdk import aws_s3 as s3

    app = cdk.App(outdir=str(tmp_path))
    stack = cdk.Stack(app, "LocalScratch")
    s3.Bucket(stack, "Scratch", removal_policy=cdk.RemovalPolicy.DESTROY)
    with local_aws(stack, server=False, progress=None) as aws:
        assert aws.report is not None
        bucket = _of_type(aws.report.stack("LocalScratch").resources, "AWS::S3::Bucket")
        aws.client("s3").put_object(Bucket=bucket, Key="results/part-0", Body=b"1")
        with pytest.raises(StackDestroyError, match=rf"destroy left 1 resource\(s\): Scratch\w+ \(AWS::S3::Bucket\) "
                                                    rf"{bucket}: .*BucketNotEmpty") as raised:
            aws.destroy("LocalScratch")
        left: Any = raised.value.destroy_report.left
        assert [(r.type, r.physical_id) for r in left] == [("AWS::S3::Bucket", bucket)]
