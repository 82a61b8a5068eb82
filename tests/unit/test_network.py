"""InferenceNetwork and Model(network=...): the defaults a security review looks for, options, and rejected input."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Annotations, Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.network import HOSTING_SERVICES, InferenceNetwork
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.storage import SecureBucket

IMAGE = ContainerImage.from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1")
DATA = ModelData.from_s3_uri("s3://my-bucket/model.tar.gz")


def _build(stack: cdk.Stack) -> tuple[InferenceNetwork, Model]:
    net = InferenceNetwork(stack, "Network")
    model = Model(stack, "Model", image=IMAGE, model_data=DATA, network=net)
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2)
    return net, model


def _private(stack: cdk.Stack) -> tuple[InferenceNetwork, Model, Template]:
    net, model = _build(stack)
    return net, model, Template.from_stack(stack)


def _id(stack: cdk.Stack, construct: Any) -> str:
    return stack.resolve(stack.get_logical_id(construct.node.default_child))


# -- defaults a security review looks for --------------------------------------------------------------------------
def test_model_renders_vpc_config_with_isolation_on(stack: cdk.Stack) -> None:
    net, model, t = _private(stack)
    assert model.security_group is not None
    t.has_resource_properties("AWS::SageMaker::Model", {
        "EnableNetworkIsolation": True,
        "VpcConfig": {
            "SecurityGroupIds": [{"Fn::GetAtt": [_id(stack, model.security_group), "GroupId"]}],
            "Subnets": [{"Ref": stack.get_logical_id(s.node.default_child)} for s in net.vpc.isolated_subnets],
        },
    })


def test_no_public_subnet_no_internet_or_nat_gateway(stack: cdk.Stack) -> None:
    net, _, t = _private(stack)
    t.resource_count_is("AWS::EC2::InternetGateway", 0)
    t.resource_count_is("AWS::EC2::NatGateway", 0)
    t.resource_count_is("AWS::EC2::EIP", 0)
    assert not net.vpc.public_subnets and not net.vpc.private_subnets
    assert len(net.vpc.isolated_subnets) == 2
    for subnet in t.find_resources("AWS::EC2::Subnet").values():
        assert subnet["Properties"]["MapPublicIpOnLaunch"] is False
    assert "0.0.0.0/0" not in json.dumps(t.find_resources("AWS::EC2::Route"))
    t.resource_count_is("Custom::VpcRestrictDefaultSG", 1)  # default security group closed


def test_flow_logs_all_traffic_to_encrypted_retained_log_group(stack: cdk.Stack) -> None:
    net, _, t = _private(stack)
    assert net.flow_log_group is not None and net.flow_log_key is not None
    t.has_resource_properties("AWS::EC2::FlowLog", {
        "ResourceId": {"Ref": _id(stack, net.vpc)}, "ResourceType": "VPC", "TrafficType": "ALL",
        "LogDestinationType": "cloud-watch-logs",
        "LogGroupName": {"Ref": _id(stack, net.flow_log_group)},
    })
    t.has_resource("AWS::Logs::LogGroup", {
        "Properties": {"RetentionInDays": 365, "KmsKeyId": {"Fn::GetAtt": [_id(stack, net.flow_log_key), "Arn"]}},
        "DeletionPolicy": "Retain",
    })
    t.resource_count_is("AWS::IAM::Policy", 0)  # flow-log role uses a managed policy, no inline policy


def test_every_store_is_kms_encrypted_with_rotation(stack: cdk.Stack) -> None:
    _build(stack)
    SecureBucket(stack, "Bucket")
    t = Template.from_stack(stack)
    keys = t.find_resources("AWS::KMS::Key")
    assert len(keys) == 3  # flow logs, endpoint volumes, bucket
    assert all(k["Properties"]["EnableKeyRotation"] is True for k in keys.values())
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"KmsKeyId": Match.any_value()})
    t.has_resource_properties("AWS::S3::Bucket", {"BucketEncryption": {"ServerSideEncryptionConfiguration": [
        Match.object_like({"ServerSideEncryptionByDefault": Match.object_like({"SSEAlgorithm": "aws:kms"})})]}})
    for log_group in t.find_resources("AWS::Logs::LogGroup").values():
        assert "KmsKeyId" in log_group["Properties"]


def test_key_policies_grant_use_only_through_services(stack: cdk.Stack) -> None:
    _, _, t = _private(stack)
    for key in t.find_resources("AWS::KMS::Key").values():
        statements = key["Properties"]["KeyPolicy"]["Statement"]
        assert "kms:*" not in json.dumps(statements)
        for s in statements:
            uses = {"kms:Decrypt", "kms:Encrypt", "kms:CreateGrant"} & set(s["Action"])
            if uses:
                assert "Condition" in s, s  # via a service, or with the exact encryption context


def test_endpoint_security_groups_allow_only_https_from_the_model(stack: cdk.Stack) -> None:
    net, model, t = _private(stack)
    assert model.security_group is not None
    model_sg = {"Fn::GetAtt": [_id(stack, model.security_group), "GroupId"]}
    ingress = t.find_resources("AWS::EC2::SecurityGroupIngress")
    assert len(ingress) == len(HOSTING_SERVICES)
    for rule in ingress.values():
        props = rule["Properties"]
        assert (props["IpProtocol"], props["FromPort"], props["ToPort"]) == ("tcp", 443, 443)
        assert props["SourceSecurityGroupId"] == model_sg
    for name in HOSTING_SERVICES:
        endpoint = net.interface_endpoints[name]
        sg = endpoint.connections.security_groups[0]
        props = t.find_resources("AWS::EC2::SecurityGroup")[_id(stack, sg)]["Properties"]
        assert "SecurityGroupIngress" not in props  # no inline (e.g. VPC-wide) ingress


def test_model_security_group_has_no_inbound_and_https_outbound_in_vpc_only(stack: cdk.Stack) -> None:
    net, model, t = _private(stack)
    assert model.security_group is not None
    props = t.find_resources("AWS::EC2::SecurityGroup")[_id(stack, model.security_group)]["Properties"]
    assert "SecurityGroupIngress" not in props
    assert props["SecurityGroupEgress"] == [{
        "CidrIp": {"Fn::GetAtt": [_id(stack, net.vpc), "CidrBlock"]}, "IpProtocol": "tcp", "FromPort": 443,
        "ToPort": 443, "Description": "HTTPS to the VPC endpoints in the VPC"}]


def test_interface_endpoints_private_dns_and_account_only_policy(stack: cdk.Stack) -> None:
    _, _, t = _private(stack)
    endpoints = [e for e in t.find_resources("AWS::EC2::VPCEndpoint").values()
                 if e["Properties"]["VpcEndpointType"] == "Interface"]
    services = {json.dumps(e["Properties"]["ServiceName"]).split(".")[-1].rstrip('"]}') for e in endpoints}
    assert len(endpoints) == len(HOSTING_SERVICES) and {"runtime", "api", "dkr", "sts", "kms"} <= services
    for e in endpoints:
        assert e["Properties"]["PrivateDnsEnabled"] is True
        statement = e["Properties"]["PolicyDocument"]["Statement"][0]
        assert statement["Condition"] == {"StringEquals": {"aws:PrincipalAccount": {"Ref": "AWS::AccountId"}}}
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert "*" not in actions


def test_s3_gateway_endpoint_limited_to_account_buckets_and_ecr_layers(stack: cdk.Stack) -> None:
    net, _, t = _private(stack)
    assert net.s3_endpoint is not None
    props = t.find_resources("AWS::EC2::VPCEndpoint")[_id(stack, net.s3_endpoint)]["Properties"]
    assert props["VpcEndpointType"] == "Gateway"
    statements = props["PolicyDocument"]["Statement"]
    assert statements[0]["Condition"] == {"StringEquals": {"aws:ResourceAccount": {"Ref": "AWS::AccountId"}}}
    assert "-starport-layer-bucket/*" in json.dumps(statements[1]["Resource"])
    # and exactly the model's artifact, named by s3:// URI (its bucket may be another account's)
    assert statements[2]["Sid"] == "ModelArtifacts1" and statements[2]["Action"] == "s3:GetObject"
    assert ":s3:::my-bucket/model.tar.gz" in json.dumps(statements[2]["Resource"])
    assert len(statements) == 3


def test_execution_role_may_manage_network_interfaces(stack: cdk.Stack) -> None:
    _, _, t = _private(stack)
    text = json.dumps(t.find_resources("AWS::IAM::ManagedPolicy"))
    for action in ("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeVpcs"):
        assert action in text


# -- options ---------------------------------------------------------------------------------------------------------
def test_async_and_batch_endpoints_are_added_once_and_opened_to_models(stack: cdk.Stack) -> None:
    net, _ = _build(stack)
    net.add_async_endpoints()
    net.add_async_endpoints()
    net.add_batch_endpoints()
    t = Template.from_stack(stack)
    assert {"sns", "states"} <= set(net.interface_endpoints)
    t.resource_count_is("AWS::EC2::VPCEndpoint", len(HOSTING_SERVICES) + 3)
    t.resource_count_is("AWS::EC2::SecurityGroupIngress", len(HOSTING_SERVICES) + 2)


def test_endpoints_false_creates_none(stack: cdk.Stack) -> None:
    net = InferenceNetwork(stack, "Network", endpoints=False)
    net.add_async_endpoints()
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::EC2::VPCEndpoint", 0)


def test_allow_invoke_from_opens_only_the_runtime_endpoint(stack: cdk.Stack) -> None:
    net, _ = _build(stack)
    client = ec2.SecurityGroup(stack, "Client", vpc=net.vpc)
    net.allow_invoke_from(client)
    t = Template.from_stack(stack)
    client_sg = {"Fn::GetAtt": [_id(stack, client), "GroupId"]}
    rules = [r["Properties"] for r in t.find_resources("AWS::EC2::SecurityGroupIngress").values()
             if r["Properties"]["SourceSecurityGroupId"] == client_sg]
    runtime_sg = net.interface_endpoints["sagemaker.runtime"].connections.security_groups[0]
    assert [r["GroupId"] for r in rules] == [{"Fn::GetAtt": [_id(stack, runtime_sg), "GroupId"]}]


def test_model_connections_open_what_the_user_chooses(stack: cdk.Stack) -> None:
    net, model = _build(stack)
    database = ec2.SecurityGroup(stack, "Database", vpc=net.vpc)
    model.connections.allow_to(database, ec2.Port.tcp(5432))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::EC2::SecurityGroupIngress", {
        "FromPort": 5432, "GroupId": {"Fn::GetAtt": [_id(stack, database), "GroupId"]}})


def test_model_without_network_has_no_vpc_config_or_connections(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=IMAGE, model_data=DATA)
    t = Template.from_stack(stack)
    assert "VpcConfig" not in json.dumps(t.find_resources("AWS::SageMaker::Model"))
    with pytest.raises(AttributeError, match="has no network"):
        _ = model.connections


def test_flow_log_retention_and_cidr_are_honoured(stack: cdk.Stack) -> None:
    from aws_cdk import aws_logs as logs

    InferenceNetwork(stack, "Network", cidr="10.20.0.0/16", flow_log_retention=logs.RetentionDays.TEN_YEARS)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::EC2::VPC", {"CidrBlock": "10.20.0.0/16"})
    t.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 3653})


def test_user_vpc_isolated_subnets_are_used_without_flow_logs(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, subnet_configuration=[
        ec2.SubnetConfiguration(name="Iso", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)])
    net = InferenceNetwork(stack, "Network", vpc=vpc)
    assert net.subnet_ids == [s.subnet_id for s in vpc.isolated_subnets]
    assert getattr(net, "flow_log", None) is None
    assert not Annotations.from_stack(stack).find_warning("*", Match.any_value())


def test_user_vpc_egress_subnets_warn(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=1)
    InferenceNetwork(stack, "Network", vpc=vpc, subnets=ec2.SubnetSelection(
        subnet_type=ec2.SubnetType.PRIVATE_WITH_EGRESS))
    warnings = Annotations.from_stack(stack).find_warning("/TestStack/Network", Match.string_like_regexp("NAT"))
    assert len(warnings) == 1


def test_single_az_endpoint_with_one_instance_warns(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-1", availability_zones=["us-east-1a"],
                                      isolated_subnet_ids=["subnet-1"], isolated_subnet_route_table_ids=["rtb-1"],
                                      vpc_cidr_block="10.0.0.0/16")
    net = InferenceNetwork(stack, "Network", vpc=vpc, subnets=ec2.SubnetSelection(
        subnet_type=ec2.SubnetType.PRIVATE_ISOLATED))
    model = Model(stack, "Model", image=IMAGE, model_data=DATA, network=net)
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=1)
    annotations = Annotations.from_stack(stack)
    assert annotations.find_warning("/TestStack/Endpoint", Match.string_like_regexp("one Availability Zone"))
    assert annotations.find_warning("/TestStack/Network", Match.string_like_regexp("Availability Zone"))


# -- rejected input --------------------------------------------------------------------------------------------------
def _single_az_two_instances(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", vpc_id="vpc-1", availability_zones=["us-east-1a"],
                                      isolated_subnet_ids=["subnet-1"], isolated_subnet_route_table_ids=["rtb-1"],
                                      vpc_cidr_block="10.0.0.0/16")
    net = InferenceNetwork(stack, "Network", vpc=vpc, subnets=ec2.SubnetSelection(
        subnet_type=ec2.SubnetType.PRIVATE_ISOLATED))
    model = Model(stack, "Model", image=IMAGE, model_data=DATA, network=net)
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2)


def _public_type(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network", vpc=ec2.Vpc(stack, "Vpc", max_azs=2),
                     subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC))


def _public_by_group(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network", vpc=ec2.Vpc(stack, "Vpc", max_azs=2),
                     subnets=ec2.SubnetSelection(subnet_group_name="Public"))


def _public_only_vpc(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, subnet_configuration=[
        ec2.SubnetConfiguration(name="Pub", subnet_type=ec2.SubnetType.PUBLIC)])
    InferenceNetwork(stack, "Network", vpc=vpc)


def _hf_hub(stack: cdk.Stack) -> None:
    Model(stack, "Model", image=IMAGE, environment={"HF_MODEL_ID": "meta-llama/Llama-3.1-8B"})


def _no_rotation_endpoint_key(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=IMAGE, model_data=DATA)
    RealtimeEndpoint(stack, "Endpoint", model=model, kms_key=kms.Key(stack, "Key"))


def _no_rotation_bucket_key(stack: cdk.Stack) -> None:
    SecureBucket(stack, "Bucket", encryption_key=kms.Key(stack, "Key", enable_key_rotation=False))


def _no_rotation_flow_log_key(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network", flow_log_key=kms.Key(stack, "Key"))


def _one_az(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network", max_azs=1)


def _bad_cidr(stack: cdk.Stack) -> None:
    InferenceNetwork(stack, "Network", cidr="10.0.0.0/8")


@pytest.mark.parametrize(("build", "match"), [
    (_single_az_two_instances, r"instance_count must be 1 when the model's network has subnets in a single "
                               r"Availability Zone.*got 2"),
    (_public_type, r"subnets must select private subnets.*got 'SubnetType.PUBLIC'"),
    (_public_by_group, r"subnets must not include public subnets.*got \["),
    (_public_only_vpc, r"subnets must not include public subnets"),
    (_hf_hub, r"environment\['HF_MODEL_ID'\] names a model that the container .* downloads when it starts.*"
              r"network_isolation=False, "
              r"got 'meta-llama/Llama-3.1-8B'"),
    (_no_rotation_endpoint_key, r"kms_key must have key rotation on.*got enable_key_rotation=None"),
    (_no_rotation_bucket_key, r"encryption_key must have key rotation on.*got enable_key_rotation=False"),
    (_no_rotation_flow_log_key, r"flow_log_key must have key rotation on"),
    (_one_az, r"max_azs must be at least 2.*got 1"),
    (_bad_cidr, r"cidr must be an IPv4 block from /16 to /24, got '10.0.0.0/8'"),
], ids=lambda v: getattr(v, "__name__", "")[1:] if callable(v) else "")
def test_rejected(stack: cdk.Stack, build: Any, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        build(stack)


@pytest.mark.parametrize("environment", [
    {"HF_MODEL_ID": "/opt/ml/model"},  # the packaged model_data
    {"OTHER": "meta-llama/Llama-3.1-8B"},
])
def test_isolation_accepts_local_models(stack: cdk.Stack, environment: dict[str, str]) -> None:
    Model(stack, "Model", image=IMAGE, model_data=DATA, environment=environment)


def test_hub_model_allowed_without_isolation(stack: cdk.Stack) -> None:
    Model(stack, "Model", image=IMAGE, environment={"HF_MODEL_ID": "gpt2"}, network_isolation=False)
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Model", {"EnableNetworkIsolation": False})


def test_rotated_user_key_is_accepted(stack: cdk.Stack) -> None:
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    model = Model(stack, "Model", image=IMAGE, model_data=DATA)
    endpoint = RealtimeEndpoint(stack, "Endpoint", model=model, kms_key=key)
    assert endpoint.kms_key is key


@pytest.mark.parametrize("data, resource", [
    (ModelData.from_s3_uri("s3://shared-model-store/churn/model.tar.gz"), "shared-model-store/churn/model.tar.gz"),
    (ModelData.from_s3_prefix("s3://shared-model-store/llm/"), "shared-model-store/llm/*"),
])
def test_s3_uri_artifacts_pass_the_gateway_endpoint_even_in_another_accounts_bucket(
        data: ModelData, resource: str) -> None:
    """The S3 gateway endpoint admits this account's buckets only; a VPC model downloads through it, so an artifact
    named by an s3:// URI (possibly another account's bucket) is admitted exactly, for this account's principals."""
    stack = cdk.Stack(cdk.App(), "S")
    network = InferenceNetwork(stack, "Network")
    Model(stack, "Model", image=ContainerImage.from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"),
          model_data=data, network=network)
    endpoint = next(r for r in Template.from_stack(stack).find_resources("AWS::EC2::VPCEndpoint").values()
                    if "PolicyDocument" in r["Properties"] and "s3" in json.dumps(r["Properties"]["ServiceName"]))
    statements = endpoint["Properties"]["PolicyDocument"]["Statement"]
    admitted = [s for s in statements if s.get("Sid", "").startswith("ModelArtifacts")]
    assert len(admitted) == 1
    assert admitted[0]["Action"] == "s3:GetObject"
    assert resource in json.dumps(admitted[0]["Resource"])
    assert "aws:PrincipalAccount" in json.dumps(admitted[0]["Condition"])
