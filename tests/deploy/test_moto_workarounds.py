"""One test per moto workaround of the local engine (``cdk_sagemaker/local/workarounds/``, ``diagnose.py``): each
asserts that the installed moto still behaves as the workaround's docstring says. When a moto upgrade fixes a
behaviour, its test fails: drop (or narrow) that workaround, then this test.

Raw CloudFormation templates through moto in-process: no CDK synth, no engine code under test."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cdk_sagemaker.local.server import Clients, in_process_moto
from cdk_sagemaker.local.workarounds.custom_resources import DEFERRED_TYPES
from cdk_sagemaker.local.workarounds.dropped_properties import MOTO_HONOURED_PROPERTIES
from cdk_sagemaker.local.workarounds.instance_types import moto_instance_types
from cdk_sagemaker.local.workarounds.skipped_types import EMULATORS

pytestmark = [pytest.mark.deploy, pytest.mark.filterwarnings("ignore")]

_ROLE = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "sagemaker.amazonaws.com"}}]}}}
_CONTAINER = {"Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
              "ModelDataUrl": "s3://bucket/model.tar.gz"}
_MODEL = {"Type": "AWS::SageMaker::Model", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                                                          "PrimaryContainer": _CONTAINER}}


def _config(count: int = 1, **variant: Any) -> dict[str, Any]:
    return {"Type": "AWS::SageMaker::EndpointConfig", "Properties": {"ProductionVariants": [{
        "VariantName": "AllTraffic", "ModelName": {"Fn::GetAtt": ["Model", "ModelName"]}, "InitialVariantWeight": 1,
        "InstanceType": "ml.m5.large", "InitialInstanceCount": count, **variant}]}}


_ENDPOINT = {"Type": "AWS::SageMaker::Endpoint",
             "Properties": {"EndpointConfigName": {"Fn::GetAtt": ["Config", "EndpointConfigName"]}}}


@pytest.fixture
def aws() -> Iterator[Clients]:
    with in_process_moto():
        yield Clients(None)


def _create(aws: Clients, resources: dict[str, Any], name: str = "Probe") -> str:
    aws.client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps({"Resources": resources}),
                                              Capabilities=["CAPABILITY_IAM"])
    return str(aws.client("cloudformation").describe_stacks(StackName=name)["Stacks"][0]["StackStatus"])


def _physical_ids(aws: Clients, name: str = "Probe") -> dict[str, str]:
    listed = aws.client("cloudformation").describe_stack_resources(StackName=name)["StackResources"]
    return {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in listed if r.get("LogicalResourceId")}


# --- workarounds/skipped_types.py ------------------------------------------------------------------------------------
_VPC = {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}
_GROUP = {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "probe", "VpcId": {"Ref": "Vpc"}}}
_RULE = {"GroupId": {"Fn::GetAtt": ["Group", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "CidrIp": "10.1.0.0/16"}


@pytest.mark.parametrize("resource_type", sorted(set(EMULATORS) - {"AWS::EC2::SecurityGroupIngress"}))
def test_moto_skips_these_types(aws: Clients, resource_type: str) -> None:
    resources = {"Vpc": _VPC, "Group": _GROUP, "Skipped": {"Type": resource_type, "Properties": {}}}
    assert _create(aws, resources) == "CREATE_COMPLETE"
    assert not _physical_ids(aws).get("Skipped"), (
        f"moto now creates {resource_type} itself: drop it from workarounds/skipped_types.EMULATORS")
    if resource_type == "AWS::EC2::SecurityGroupEgress":  # also with properties: the rule is not applied
        _create(aws, {"Vpc": _VPC, "Group": _GROUP, "Rule": {"Type": resource_type, "Properties": _RULE}}, "Rule")
        group = aws.client("ec2").describe_security_groups(GroupIds=[_physical_ids(aws, "Rule")["Group"]])
        assert "10.1.0.0/16" not in json.dumps(group["SecurityGroups"][0]["IpPermissionsEgress"])


def test_moto_applies_security_group_ingress_but_lists_no_physical_id(aws: Clients) -> None:
    """Found while writing these tests: moto 5.2.5 applies an ``AWS::EC2::SecurityGroupIngress`` (only its physical id
    is blank), so the engine's ingress emulator authorizes the same rule a second time. Kept so that the local
    report does not change; see the module docstring of workarounds/skipped_types.py."""
    rule = {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": _RULE}
    assert _create(aws, {"Vpc": _VPC, "Group": _GROUP, "Rule": rule}) == "CREATE_COMPLETE"
    ids = _physical_ids(aws)
    assert not ids.get("Rule")
    group = aws.client("ec2").describe_security_groups(GroupIds=[ids["Group"]])["SecurityGroups"][0]
    assert "10.1.0.0/16" in json.dumps(group["IpPermissions"])


# --- workarounds/custom_resources.py ---------------------------------------------------------------------------------
@pytest.mark.parametrize("resource_type", sorted(DEFERRED_TYPES))
def test_moto_cannot_complete_a_lambda_backed_custom_resource(aws: Clients, resource_type: str) -> None:
    handler = {"Type": "AWS::Lambda::Function", "Properties": {
        "Role": {"Fn::GetAtt": ["Role", "Arn"]}, "Runtime": "python3.12", "Handler": "index.handler",
        "Code": {"ZipFile": "def handler(event, context):\n    return None\n"}}}
    custom = {"Type": resource_type, "Properties": {"ServiceToken": {"Fn::GetAtt": ["Handler", "Arn"]}}}
    status = _create(aws, {"Role": _ROLE, "Handler": handler, "Custom": custom})
    assert status == "CREATE_IN_PROGRESS", (
        f"moto now completes {resource_type} ({status}): drop it from workarounds/custom_resources")


# --- workarounds/dropped_properties.py -------------------------------------------------------------------------------
def test_moto_drops_sagemaker_properties(aws: Clients) -> None:
    model = {**_MODEL, "Properties": {**_MODEL["Properties"], "EnableNetworkIsolation": True}}
    assert "EnableNetworkIsolation" not in MOTO_HONOURED_PROPERTIES["AWS::SageMaker::Model"]
    assert _create(aws, {"Role": _ROLE, "Model": model}) == "CREATE_COMPLETE"
    name = _physical_ids(aws)["Model"].split("/")[-1]
    described = aws.client("sagemaker").describe_model(ModelName=name)
    assert not described.get("EnableNetworkIsolation"), (
        "moto's CloudFormation now passes EnableNetworkIsolation on: update MOTO_HONOURED_PROPERTIES")


# --- workarounds/model_containers.py ---------------------------------------------------------------------------------
def test_moto_needs_a_primary_container(aws: Clients) -> None:
    model = {"Type": "AWS::SageMaker::Model", "Properties": {
        "ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]}, "Containers": [_CONTAINER, _CONTAINER]}}
    with pytest.raises(KeyError, match="PrimaryContainer"):
        _create(aws, {"Role": _ROLE, "Model": model})


# --- workarounds/inference_components.py -----------------------------------------------------------------------------
def test_moto_has_no_inference_components(aws: Clients) -> None:
    component = {"Type": "AWS::SageMaker::InferenceComponent", "Properties": {}}
    assert _create(aws, {"Component": component}) == "CREATE_COMPLETE"
    assert not _physical_ids(aws).get("Component")
    config = _config()
    del config["Properties"]["ProductionVariants"][0]["ModelName"]
    with pytest.raises(KeyError, match="ModelName"):
        _create(aws, {"Config": config}, name="Components")


# --- workarounds/instance_types.py -----------------------------------------------------------------------------------
def test_moto_rejects_newer_instance_types(aws: Clients) -> None:
    sagemaker = aws.client("sagemaker")
    sagemaker.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/r",
                           PrimaryContainer=_CONTAINER)
    assert "ml.g5.2xlarge" not in moto_instance_types() and "ml.g4dn.2xlarge" in moto_instance_types()
    with pytest.raises(ClientError, match=r"(?i)instanceType"):
        sagemaker.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[{
            "VariantName": "v", "ModelName": "m", "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1}])


# --- workarounds/endpoint_update.py ----------------------------------------------------------------------------------
def test_moto_leaves_an_updated_endpoint_on_its_old_config(aws: Clients) -> None:
    resources = {"Role": _ROLE, "Model": _MODEL, "Config": _config(1), "Endpoint": _ENDPOINT}
    assert _create(aws, resources) == "CREATE_COMPLETE"
    cfn = aws.client("cloudformation")
    cfn.update_stack(StackName="Probe", TemplateBody=json.dumps({"Resources": {**resources, "Config": _config(3)}}),
                     Capabilities=["CAPABILITY_IAM"])
    ids = _physical_ids(aws)
    endpoint = aws.client("sagemaker").describe_endpoint(EndpointName=ids["Endpoint"].split("/")[-1])
    assert endpoint["EndpointConfigName"] != ids["Config"].split("/")[-1], (
        "moto now moves an updated endpoint to its new config: drop workarounds/endpoint_update")


# --- workarounds/managed_policies.py ---------------------------------------------------------------------------------
def test_moto_deletes_a_role_before_detaching_its_managed_policy(aws: Clients) -> None:
    policy = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Roles": [{"Ref": "Role"}], "PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}
    assert _create(aws, {"Role": _ROLE, "Policy": policy}) == "CREATE_COMPLETE"
    role = _physical_ids(aws)["Role"]
    with pytest.raises(ClientError, match=r"DeleteConflict|must detach"):
        aws.client("cloudformation").delete_stack(StackName="Probe")
    assert aws.client("iam").get_role(RoleName=role)


# --- workarounds/incomplete_delete.py --------------------------------------------------------------------------------
def test_moto_leaves_a_vpc_endpoint_behind_on_delete(aws: Clients) -> None:
    resources = {
        "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
        "Routes": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "Vpc"}}},
        "S3": {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
            "VpcId": {"Ref": "Vpc"}, "ServiceName": "com.amazonaws.us-east-1.s3", "VpcEndpointType": "Gateway",
            "RouteTableIds": [{"Ref": "Routes"}]}},
    }
    assert _create(aws, resources) == "CREATE_COMPLETE"
    endpoint = _physical_ids(aws)["S3"]
    with contextlib.suppress(ClientError):  # DependencyViolation: the route table or VPC could not go
        aws.client("cloudformation").delete_stack(StackName="Probe")
    ec2 = aws.client("ec2")
    alive = [e for e in ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"]
             if e["State"].lower() not in ("deleted", "deleting")]
    assert alive, "moto's CloudFormation now deletes VPC endpoints: check workarounds/incomplete_delete"


# --- workarounds/undefined_references.py -----------------------------------------------------------------------------
def test_moto_crashes_on_an_undefined_reference(aws: Clients) -> None:
    endpoint = {"Type": "AWS::SageMaker::Endpoint", "Properties": {"EndpointConfigName": {"Ref": "NoSuchConfig"}}}
    with pytest.raises(KeyError, match="NoSuchConfig"):
        _create(aws, {"Endpoint": endpoint})


# --- diagnose.py -----------------------------------------------------------------------------------------------------
def test_moto_crash_names_no_resource(aws: Clients) -> None:
    resources = {"Role": _ROLE, "Endpoint": {"Type": "AWS::SageMaker::Endpoint", "Properties": {}}}
    with pytest.raises(KeyError) as raised:
        _create(aws, resources)
    assert "Endpoint'" not in str(raised.value)  # the exception names the missing property only
    cfn = aws.client("cloudformation")
    assert cfn.describe_stacks(StackName="Probe")["Stacks"][0]["StackStatus"] == "CREATE_IN_PROGRESS"
    events = cfn.describe_stack_events(StackName="Probe")["StackEvents"]
    assert [e for e in events if e.get("LogicalResourceId") == "Endpoint"] == [], (
        "moto now records resource events on a crash: diagnose.py could read the failing resource from them")


# --- workarounds/api_made.py -----------------------------------------------------------------------------------------
_PROJECT = {"Type": "AWS::CodeBuild::Project", "Properties": {
    "Source": {"Type": "NO_SOURCE", "BuildSpec": "version: 0.2"}, "Artifacts": {"Type": "NO_ARTIFACTS"},
    "Environment": {"Type": "LINUX_CONTAINER", "ComputeType": "BUILD_GENERAL1_SMALL",
                    "Image": "aws/codebuild/standard:7.0"}, "ServiceRole": {"Fn::GetAtt": ["Role", "Arn"]}}}
_PACKAGE_GROUP = {"Type": "AWS::SageMaker::ModelPackageGroup", "Properties": {"ModelPackageGroupName": "probe"}}


@pytest.mark.parametrize(("made", "attribute"), [(_PROJECT, "Arn"), (_PACKAGE_GROUP, "ModelPackageGroupArn")],
                         ids=["codebuild-project", "model-package-group"])
def test_moto_has_no_codebuild_projects_or_model_package_groups(aws: Clients, made: dict[str, Any],
                                                                attribute: str) -> None:
    topic = {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["Made", attribute]}}}
    with pytest.raises((ClientError, AttributeError)):
        _create(aws, {"Role": _ROLE, "Made": made, "Topic": topic})
    names = aws.client("sagemaker").list_model_package_groups()["ModelPackageGroupSummaryList"]
    assert not names and not aws.client("codebuild").list_projects()["projects"], (
        "moto's CloudFormation now makes this type: drop it from workarounds/api_made.EMULATORS")


# --- workarounds/model_packages.py -----------------------------------------------------------------------------------
def test_moto_creates_a_model_from_a_package_it_does_not_have(aws: Clients) -> None:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:model-package/absent/3"
    model = {"Type": "AWS::SageMaker::Model", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]},
                                                             "PrimaryContainer": {"ModelPackageName": arn}}}
    assert _create(aws, {"Role": _ROLE, "Model": model}) == "CREATE_COMPLETE", (
        "moto now refuses a model of a package it lacks: keep workarounds/model_packages.py (it registers them), "
        "and reword its docstring")
    with pytest.raises(ClientError):
        aws.client("sagemaker").describe_model_package(ModelPackageName=arn)


# --- workarounds/monitoring.py ---------------------------------------------------------------------------------------
def test_moto_has_no_monitoring_schedules(aws: Clients) -> None:
    schedule = {"Type": "AWS::SageMaker::MonitoringSchedule", "Properties": {
        "MonitoringScheduleName": "probe", "MonitoringScheduleConfig": {
            "MonitoringJobDefinitionName": "probe", "MonitoringType": "DataQuality",
            "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}}}}
    job = {"Type": "AWS::SageMaker::DataQualityJobDefinition", "Properties": {}}
    assert _create(aws, {"Schedule": schedule, "Job": job}) == "CREATE_COMPLETE"
    assert not _physical_ids(aws).get("Schedule") and not _physical_ids(aws).get("Job")
    rule = {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"detail": {"MonitoringScheduleArn": [
        {"Fn::GetAtt": ["Schedule", "MonitoringScheduleArn"]}]}}}}
    with pytest.raises(ClientError, match="undefined resource Schedule"):
        _create(aws, {"Schedule": schedule, "Rule": rule}, name="Referenced")
    assert _no_schedule_api(aws)


def _no_schedule_api(aws: Clients) -> bool:
    """moto's SageMaker has no CreateMonitoringSchedule (botocore has the operation; moto answers not implemented)."""
    try:
        aws.client("sagemaker").create_monitoring_schedule(MonitoringScheduleName="probe", MonitoringScheduleConfig={
            "MonitoringJobDefinitionName": "probe", "MonitoringType": "DataQuality"})
    except (ClientError, NotImplementedError):
        return True
    return False


# --- attributes.py (KMS keys) ----------------------------------------------------------------------------------------
def test_moto_cannot_describe_a_key_its_cloudformation_made(aws: Clients) -> None:
    key = {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "kms:*",
        "Resource": "*"}]}}}
    assert _create(aws, {"Key": key}) == "CREATE_COMPLETE"
    key_id = _physical_ids(aws)["Key"]
    with pytest.raises(TypeError, match="JSON object must be str"):
        aws.client("kms").describe_key(KeyId=key_id)
    listed = aws.client("kms").list_keys()["Keys"]
    assert any(k["KeyId"] == key_id for k in listed)


def test_moto_skips_alarms_a_dashboard_refers_to(aws: Clients) -> None:
    alarm = {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "MetricName": "Invocations", "Namespace": "AWS/SageMaker", "Statistic": "Sum", "Period": 60,
        "EvaluationPeriods": 1, "Threshold": 1, "ComparisonOperator": "GreaterThanThreshold"}}
    dashboard = {"Type": "AWS::CloudWatch::Dashboard", "Properties": {"DashboardBody": {"Fn::Join": ["", [
        '{"widgets":[{"type":"alarm","properties":{"alarms":["', {"Fn::GetAtt": ["Alarm", "Arn"]}, '"]}}]}']]}}}
    with pytest.raises(ClientError, match="undefined resource Alarm"):
        _create(aws, {"Alarm": alarm, "Dashboard": dashboard})


# --- workarounds/speed.py --------------------------------------------------------------------------------------------
def test_moto_makes_an_rsa_key_for_a_symmetric_kms_key() -> None:
    from moto.kms import utils

    assert isinstance(utils.generate_private_key("SYMMETRIC_DEFAULT"), utils.RSAPrivateKey)


def test_moto_parses_a_json_template_with_pyyaml() -> None:
    from unittest import mock

    import yaml
    from moto.cloudformation import models

    with mock.patch.object(models, "yaml", yaml), mock.patch("yaml.load", wraps=yaml.load) as load:
        assert models.Stack.parse_template('{"Resources": {}}') == {"Resources": {}}
    assert load.called


def test_the_sped_up_moto_answers_as_before(aws: Clients) -> None:
    """Symmetric keys get their unused RSA key only on first use; asymmetric keys are made and sign as before."""
    from moto.kms.models import kms_backends

    from cdk_sagemaker.local.workarounds.speed import _LazyPrivateKey

    kms = aws.client("kms")
    symmetric = kms.create_key()["KeyMetadata"]["KeyId"]
    stored = kms_backends["123456789012"]["us-east-1"].keys[symmetric].private_key
    assert isinstance(stored, _LazyPrivateKey) and stored._key is None
    assert kms.encrypt(KeyId=symmetric, Plaintext=b"x")["CiphertextBlob"]
    signing = kms.create_key(KeyUsage="SIGN_VERIFY", KeySpec="RSA_2048")["KeyMetadata"]["KeyId"]
    signature = kms.sign(KeyId=signing, Message=b"m", SigningAlgorithm="RSASSA_PSS_SHA_256")["Signature"]
    assert kms.verify(KeyId=signing, Message=b"m", Signature=signature,
                      SigningAlgorithm="RSASSA_PSS_SHA_256")["SignatureValid"]


def test_the_lazy_key_answers_get_public_key_and_copies(aws: Clients) -> None:
    """GetPublicKey on a symmetric key reaches the lazy key (moto answers it, as it did with its eager key); the lazy
    key can be copied (copy/deepcopy probe names on an instance whose __init__ has not run)."""
    import copy

    from moto.kms.models import kms_backends

    from cdk_sagemaker.local.workarounds.speed import _LazyPrivateKey

    kms = aws.client("kms")
    key_id = kms.create_key()["KeyMetadata"]["KeyId"]
    stored = kms_backends["123456789012"]["us-east-1"].keys[key_id].private_key
    assert isinstance(stored, _LazyPrivateKey)
    assert len(kms.get_public_key(KeyId=key_id)["PublicKey"]) > 200  # a DER RSA-2048 public key
    assert stored._key is not None
    assert copy.copy(stored)._key is stored._key
    assert copy.deepcopy(kms_backends["123456789012"]["us-east-1"].keys[key_id]).id == key_id


def test_json_first_reads_json_numbers_as_cloudformation_does() -> None:
    """Where YAML 1.1 and JSON differ on a JSON body (an exponent without a dot, as JSON.stringify writes 1e-7),
    the engine reads the JSON value, as CloudFormation does with a JSON template; PyYAML read a string."""
    import yaml

    from cdk_sagemaker.local.workarounds.speed import _JsonFirstYaml

    body = '{"Threshold": 1e-07, "Big": 1e+21}'
    assert _JsonFirstYaml(yaml).load(body, Loader=yaml.Loader) == {"Threshold": 1e-07, "Big": 1e21}
    assert yaml.load(body, Loader=yaml.Loader) == {"Threshold": "1e-07", "Big": "1e+21"}


def test_speed_changes_apply_only_to_the_checked_moto(monkeypatch: pytest.MonkeyPatch) -> None:
    import moto

    from cdk_sagemaker.local.workarounds import speed

    assert moto.__version__ == speed.CHECKED_MOTO  # requirements-dev.txt pins it: update both together
    monkeypatch.setattr(moto, "__version__", "5.9.0")
    assert speed.install.__wrapped__() is False


def test_json_first_parse_equals_pyyaml_for_every_example_template(example_app: Any) -> None:
    from pathlib import Path

    import yaml
    from moto.cloudformation.utils import yaml_tag_constructor

    from cdk_sagemaker.local.workarounds.speed import _JsonFirstYaml

    yaml.add_multi_constructor("", yaml_tag_constructor)
    shim = _JsonFirstYaml(yaml)
    directory = Path(example_app.synth().directory)
    templates = sorted(directory.glob("*.template.json"))
    assert len(templates) >= 15
    for path in templates:
        text = path.read_text()
        assert shim.load(text, Loader=yaml.Loader) == yaml.load(text, Loader=yaml.Loader), path.name
