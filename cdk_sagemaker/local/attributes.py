"""``Fn::GetAtt`` of resources moto's CloudFormation created, read from their physical ids and service APIs.

moto 5.2.5 does not answer ``Fn::GetAtt`` through any API, and the engine needs attributes to resolve the properties
of the resources it makes itself (:mod:`cdk_sagemaker.local.workarounds.skipped_types`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cdk_sagemaker.local.resolver import UnresolvableError
from cdk_sagemaker.local.workarounds.base import ClientFor


def _arn_tail(physical_id: str) -> str:
    return physical_id.split("/")[-1] if physical_id.startswith("arn:") else physical_id


def _iam_role(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    role = clients("iam").get_role(RoleName=physical_id)["Role"]
    return {"Arn": role["Arn"], "RoleId": role["RoleId"]}[attribute]


def _s3_bucket(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    region = clients("s3").meta.region_name
    return {
        "Arn": f"arn:aws:s3:::{physical_id}",
        "DomainName": f"{physical_id}.s3.amazonaws.com",
        "RegionalDomainName": f"{physical_id}.s3.{region}.amazonaws.com",
        "DualStackDomainName": f"{physical_id}.s3.dualstack.{region}.amazonaws.com",
        "WebsiteURL": f"http://{physical_id}.s3-website-{region}.amazonaws.com",
    }[attribute]


def _kms_key(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    # ListKeys, not DescribeKey: moto 5.2.5's DescribeKey checks the key policy and fails (TypeError) on a key its
    # CloudFormation created from a template's KeyPolicy object.
    key_id = _arn_tail(physical_id)
    for page in clients("kms").get_paginator("list_keys").paginate():
        for key in page.get("Keys", []):
            if key["KeyId"] == key_id:
                return {"Arn": key["KeyArn"], "KeyId": key["KeyId"]}[attribute]
    raise UnresolvableError(f"no KMS key {physical_id!r}")


def _sns_topic(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    return {"TopicArn": physical_id, "TopicName": physical_id.split(":")[-1]}[attribute]


def _sqs_queue(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    if attribute == "QueueUrl":
        return physical_id
    if attribute == "QueueName":
        return physical_id.rstrip("/").split("/")[-1]
    arn = clients("sqs").get_queue_attributes(QueueUrl=physical_id, AttributeNames=["QueueArn"])
    return {"Arn": arn["Attributes"]["QueueArn"]}[attribute]


def _lambda_function(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    return {"Arn": clients("lambda").get_function(FunctionName=physical_id)["Configuration"]["FunctionArn"]}[attribute]


def _events_rule(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    name = physical_id.split("|")[-1].split("/")[-1]
    return {"Arn": clients("events").describe_rule(Name=name)["Arn"]}[attribute]


def _state_machine(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    return {"Arn": physical_id, "Name": physical_id.split(":")[-1]}[attribute]


def _log_group(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    region = clients("logs").meta.region_name
    account = clients("sts").get_caller_identity()["Account"]
    return {"Arn": f"arn:aws:logs:{region}:{account}:log-group:{physical_id}:*"}[attribute]


def _vpc(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    ec2 = clients("ec2")
    if attribute == "DefaultSecurityGroup":
        groups = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [physical_id]},
                                                       {"Name": "group-name", "Values": ["default"]}])
        return groups["SecurityGroups"][0]["GroupId"]
    vpc = ec2.describe_vpcs(VpcIds=[physical_id])["Vpcs"][0]
    return {"CidrBlock": vpc["CidrBlock"], "VpcId": physical_id}[attribute]


def _security_group(clients: ClientFor, physical_id: str, attribute: str) -> Any:
    if attribute == "GroupId" and physical_id.startswith("sg-"):
        return physical_id
    group = clients("ec2").describe_security_groups(GroupIds=[physical_id])["SecurityGroups"][0]
    return {"GroupId": group["GroupId"], "VpcId": group.get("VpcId")}[attribute]


_ATTRIBUTE_READERS: dict[str, Callable[[ClientFor, str, str], Any]] = {
    "AWS::IAM::Role": _iam_role,
    "AWS::S3::Bucket": _s3_bucket,
    "AWS::KMS::Key": _kms_key,
    "AWS::SNS::Topic": _sns_topic,
    "AWS::SQS::Queue": _sqs_queue,
    "AWS::Lambda::Function": _lambda_function,
    "AWS::Events::Rule": _events_rule,
    "AWS::StepFunctions::StateMachine": _state_machine,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::EC2::VPC": _vpc,
    "AWS::EC2::SecurityGroup": _security_group,
}


def deployed_attribute(clients: ClientFor, resource_type: str, physical_id: str, attribute: str) -> Any:
    """``Fn::GetAtt`` of a resource moto's CloudFormation created, read from its physical id and service API."""
    if resource_type.startswith("AWS::SageMaker::") and attribute.endswith("Name"):
        return _arn_tail(physical_id)  # SageMaker physical ids are ARNs; *Name attributes are their last part
    reader = _ATTRIBUTE_READERS.get(resource_type)
    if reader is not None:
        try:
            return reader(clients, physical_id, attribute)
        except KeyError:
            pass
    if attribute == "Arn" and physical_id.startswith("arn:"):
        return physical_id
    raise UnresolvableError(f"Fn::GetAtt {attribute} of {resource_type} is not known to the local engine")

