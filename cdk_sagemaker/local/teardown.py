"""Check, resource by resource, that a deleted stack's resources are gone, and delete them through service APIs.

Each handler in :data:`HANDLERS` answers "does it still exist?" (``delete=False``) or deletes it (``delete=True``);
the order of :data:`HANDLERS` puts dependants first. Used by
:mod:`cdk_sagemaker.local.workarounds.incomplete_delete`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from cdk_sagemaker.local.workarounds.base import ClientFor
from cdk_sagemaker.local.workarounds.managed_policies import detach_everywhere


def _missing(error: ClientError) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    return "NotFound" in code or code.endswith(".Malformed") or code in {
        "NoSuchEntity", "NoSuchBucket", "ResourceNotFoundException", "ValidationException", "ResourceNotFound",
        "StateMachineDoesNotExist", "NonExistentQueue", "404"}


def _tail(physical_id: str) -> str:
    return physical_id.split("/")[-1] if physical_id.startswith("arn:") else physical_id


# --- EC2 -----------------------------------------------------------------------------------------------------------
def _ec2_found(describe: Callable[..., Any], key: str, **ids: list[str]) -> list[Any]:
    """``describe(**ids)[key]``, or ``[]`` when EC2 answers that the id does not exist."""
    try:
        return list(describe(**ids)[key])
    except ClientError as error:
        if _missing(error):
            return []
        raise


def _vpc_endpoint(c: ClientFor, pid: str, delete: bool) -> bool:
    ec2 = c("ec2")
    found = _ec2_found(ec2.describe_vpc_endpoints, "VpcEndpoints", VpcEndpointIds=[pid])
    alive = [e for e in found if str(e.get("State", "")).lower() not in ("deleted", "deleting")]
    if alive and delete:
        ec2.delete_vpc_endpoints(VpcEndpointIds=[pid])  # also its network interfaces, or its routes (gateway)
    return bool(alive)


def _route_table(c: ClientFor, pid: str, delete: bool) -> bool:
    ec2 = c("ec2")
    found = _ec2_found(ec2.describe_route_tables, "RouteTables", RouteTableIds=[pid])
    if found and delete:
        for association in found[0].get("Associations", []):
            if not association.get("Main") and association.get("RouteTableAssociationId"):
                ec2.disassociate_route_table(AssociationId=association["RouteTableAssociationId"])
        ec2.delete_route_table(RouteTableId=pid)
    return bool(found)


def _route_table_association(c: ClientFor, pid: str, delete: bool) -> bool:
    ec2 = c("ec2")
    found = ec2.describe_route_tables(
        Filters=[{"Name": "association.route-table-association-id", "Values": [pid]}])["RouteTables"]
    if found and delete:
        ec2.disassociate_route_table(AssociationId=pid)
    return bool(found)


def _ec2(describe: str, key: str, ids: str, delete_call: Callable[[Any, str], None]) -> Callable[
        [ClientFor, str, bool], bool]:
    def handle(c: ClientFor, pid: str, delete: bool) -> bool:
        ec2 = c("ec2")
        found = _ec2_found(getattr(ec2, describe), key, **{ids: [pid]})
        if found and delete:
            delete_call(ec2, pid)
        return bool(found)

    return handle


def _internet_gateway(c: ClientFor, pid: str, delete: bool) -> bool:
    ec2 = c("ec2")
    found = _ec2_found(ec2.describe_internet_gateways, "InternetGateways", InternetGatewayIds=[pid])
    if found and delete:
        for attachment in found[0].get("Attachments", []):
            ec2.detach_internet_gateway(InternetGatewayId=pid, VpcId=attachment["VpcId"])
        ec2.delete_internet_gateway(InternetGatewayId=pid)
    return bool(found)


def _nat_gateway(c: ClientFor, pid: str, delete: bool) -> bool:
    ec2 = c("ec2")
    found = [g for g in _ec2_found(ec2.describe_nat_gateways, "NatGateways", NatGatewayIds=[pid])
             if g.get("State") not in ("deleted", "deleting")]
    if found and delete:
        ec2.delete_nat_gateway(NatGatewayId=pid)
    return bool(found)


# --- other services ------------------------------------------------------------------------------------------------
def _iam_role(c: ClientFor, pid: str, delete: bool) -> bool:
    iam = c("iam")
    try:
        iam.get_role(RoleName=pid)
    except ClientError as error:
        if _missing(error):
            return False
        raise
    if delete:
        for policy in iam.list_attached_role_policies(RoleName=pid)["AttachedPolicies"]:
            iam.detach_role_policy(RoleName=pid, PolicyArn=policy["PolicyArn"])
        for name in iam.list_role_policies(RoleName=pid)["PolicyNames"]:
            iam.delete_role_policy(RoleName=pid, PolicyName=name)
        for profile in iam.list_instance_profiles_for_role(RoleName=pid)["InstanceProfiles"]:
            iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=pid)
        iam.delete_role(RoleName=pid)
    return True


def _iam_managed_policy(c: ClientFor, pid: str, delete: bool) -> bool:
    iam = c("iam")
    try:
        iam.get_policy(PolicyArn=pid)
    except ClientError as error:
        if _missing(error):
            return False
        raise
    if delete:
        detach_everywhere(iam, pid)
        for version in iam.list_policy_versions(PolicyArn=pid)["Versions"]:
            if not version.get("IsDefaultVersion"):
                iam.delete_policy_version(PolicyArn=pid, VersionId=version["VersionId"])
        iam.delete_policy(PolicyArn=pid)
    return True


def _by_call(service: str, check: Callable[[Any, str], object], remove: Callable[[Any, str], object]) -> Callable[
        [ClientFor, str, bool], bool]:
    """A handler from a describe call (raises a not-found error when the resource is gone) and a delete call."""

    def handle(c: ClientFor, pid: str, delete: bool) -> bool:
        client = c(service)
        try:
            check(client, pid)
        except ClientError as error:
            if _missing(error):
                return False
            raise
        if delete:
            remove(client, pid)
        return True

    return handle


def _kms_key(c: ClientFor, pid: str, delete: bool) -> bool:
    kms = c("kms")
    try:
        state = kms.describe_key(KeyId=pid)["KeyMetadata"].get("KeyState")
    except ClientError as error:
        if _missing(error):
            return False
        raise
    if state in ("PendingDeletion", "PendingReplicaDeletion"):
        return False  # what CloudFormation does with a deleted key: schedule its deletion
    if delete:
        kms.schedule_key_deletion(KeyId=pid, PendingWindowInDays=7)
    return True


def _log_group(c: ClientFor, pid: str, delete: bool) -> bool:
    logs = c("logs")
    found = [g for g in logs.describe_log_groups(logGroupNamePrefix=pid)["logGroups"] if g["logGroupName"] == pid]
    if found and delete:
        logs.delete_log_group(logGroupName=pid)
    return bool(found)


def _events_rule(c: ClientFor, pid: str, delete: bool) -> bool:
    events = c("events")
    bus, _, name = pid.rpartition("|")
    where = {"EventBusName": bus} if bus else {}
    name = name.split("/")[-1]
    try:
        events.describe_rule(Name=name, **where)
    except ClientError as error:
        if _missing(error):
            return False
        raise
    if delete:
        targets = [t["Id"] for t in events.list_targets_by_rule(Rule=name, **where).get("Targets", [])]
        if targets:
            events.remove_targets(Rule=name, Ids=targets, **where)
        events.delete_rule(Name=name, **where)
    return True


Handler = Callable[[ClientFor, str, bool], bool]

#: Resource types whose deletion the engine checks (and completes) through their service API, dependants first.
HANDLERS: dict[str, Handler] = {
    "AWS::EC2::VPCEndpoint": _vpc_endpoint,
    "AWS::EC2::FlowLog": _ec2("describe_flow_logs", "FlowLogs", "FlowLogIds",
                              lambda ec2, pid: ec2.delete_flow_logs(FlowLogIds=[pid])),
    "AWS::EC2::SubnetRouteTableAssociation": _route_table_association,
    "AWS::EC2::RouteTable": _route_table,
    "AWS::EC2::NatGateway": _nat_gateway,
    "AWS::EC2::InternetGateway": _internet_gateway,
    "AWS::EC2::SecurityGroup": _ec2("describe_security_groups", "SecurityGroups", "GroupIds",
                                    lambda ec2, pid: ec2.delete_security_group(GroupId=pid)),
    "AWS::EC2::Subnet": _ec2("describe_subnets", "Subnets", "SubnetIds",
                             lambda ec2, pid: ec2.delete_subnet(SubnetId=pid)),
    "AWS::EC2::VPC": _ec2("describe_vpcs", "Vpcs", "VpcIds", lambda ec2, pid: ec2.delete_vpc(VpcId=pid)),
    "AWS::SageMaker::Endpoint": _by_call(
        "sagemaker", lambda sm, pid: sm.describe_endpoint(EndpointName=_tail(pid)),
        lambda sm, pid: sm.delete_endpoint(EndpointName=_tail(pid))),
    "AWS::SageMaker::EndpointConfig": _by_call(
        "sagemaker", lambda sm, pid: sm.describe_endpoint_config(EndpointConfigName=_tail(pid)),
        lambda sm, pid: sm.delete_endpoint_config(EndpointConfigName=_tail(pid))),
    "AWS::SageMaker::Model": _by_call(
        "sagemaker", lambda sm, pid: sm.describe_model(ModelName=_tail(pid)),
        lambda sm, pid: sm.delete_model(ModelName=_tail(pid))),
    "AWS::IAM::Role": _iam_role,
    "AWS::IAM::ManagedPolicy": _iam_managed_policy,
    "AWS::KMS::Key": _kms_key,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::SNS::Topic": _by_call("sns", lambda sns, pid: sns.get_topic_attributes(TopicArn=pid),
                                lambda sns, pid: sns.delete_topic(TopicArn=pid)),
    "AWS::SQS::Queue": _by_call("sqs", lambda sqs, pid: sqs.get_queue_attributes(QueueUrl=pid),
                                lambda sqs, pid: sqs.delete_queue(QueueUrl=pid)),
    "AWS::S3::Bucket": _by_call("s3", lambda s3, pid: s3.head_bucket(Bucket=pid),
                                lambda s3, pid: s3.delete_bucket(Bucket=pid)),  # not emptied: CloudFormation fails too
    "AWS::Lambda::Function": _by_call("lambda", lambda fn, pid: fn.get_function(FunctionName=pid),
                                      lambda fn, pid: fn.delete_function(FunctionName=pid)),
    "AWS::StepFunctions::StateMachine": _by_call(
        "stepfunctions", lambda sf, pid: sf.describe_state_machine(stateMachineArn=pid),
        lambda sf, pid: sf.delete_state_machine(stateMachineArn=pid)),
    "AWS::Events::Rule": _events_rule,
}

#: Types that go with their parent (a policy with its bucket or topic, a rule with its group) or that the engine made
#: itself and undid already: nothing of their own to check.
DEPENDENT_TYPES = frozenset({
    "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy", "AWS::EC2::Route",
    "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::EC2::VPCGatewayAttachment",
    "AWS::CDK::Metadata",
})
