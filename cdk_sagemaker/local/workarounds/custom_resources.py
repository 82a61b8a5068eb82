"""Workaround: the CDK's Lambda-backed custom resources, left out of the template moto gets and done by the engine.

moto 5.2.5 behaviour: a ``Custom::*`` resource whose ``ServiceToken`` is a Lambda function is invoked through moto's
Lambda, which needs Docker to run the handler; without it the stack never gets the handler's response and stays
``CREATE_IN_PROGRESS``. For the custom resources our stacks use (:data:`DEFERRED_TYPES`) the engine removes them
(and ``DependsOn`` entries naming them) from the template sent to moto, then does what their handler does through
the service API (:data:`EMULATORS`). Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_cannot_complete_a_lambda_backed_custom_resource``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import ClientFor, Emulator, Made, Note


def _restrict_default_sg(clients: ClientFor, stack_name: str, logical_id: str,
                         properties: Mapping[str, Any]) -> Made:
    """What the CDK's ``Custom::VpcRestrictDefaultSG`` handler does: remove every rule of the VPC's default group."""
    ec2 = clients("ec2")
    group_id = str(properties["DefaultSecurityGroupId"])
    group = ec2.describe_security_groups(GroupIds=[group_id])["SecurityGroups"][0]
    ingress, egress = group.get("IpPermissions", []), group.get("IpPermissionsEgress", [])
    if ingress:
        ec2.revoke_security_group_ingress(GroupId=group_id, IpPermissions=ingress)
    if egress:
        ec2.revoke_security_group_egress(GroupId=group_id, IpPermissions=egress)

    def undo() -> None:
        if ingress:
            ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=ingress)
        if egress:
            ec2.authorize_security_group_egress(GroupId=group_id, IpPermissions=egress)

    api = "ec2:RevokeSecurityGroupIngress+RevokeSecurityGroupEgress (the custom resource's handler)"
    return Made(physical_id=group_id, attributes={}, api=api, undo=undo)


def _s3_prefix_list(clients: ClientFor, stack_name: str, logical_id: str,
                    properties: Mapping[str, Any]) -> Made:
    """What cdk-sagemaker's ``Custom::S3PrefixList`` handler does: look up an AWS-managed prefix list by name."""
    name = str(properties["PrefixListName"])
    found = clients("ec2").describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": [name]}])["PrefixLists"]
    if not found:
        raise LookupError(f"no AWS-managed prefix list named {name}")
    prefix_list_id = str(found[0]["PrefixListId"])
    return Made(physical_id=prefix_list_id, attributes={"PrefixListId": prefix_list_id},
                api="ec2:DescribeManagedPrefixLists (the custom resource's handler)", undo=lambda: None)



EMULATORS: dict[str, Emulator] = {
    "Custom::VpcRestrictDefaultSG": _restrict_default_sg,
    "Custom::S3PrefixList": _s3_prefix_list,
}
"""What the handler of each deferred custom resource does, through the service API."""

DEFERRED_TYPES = frozenset(EMULATORS)
"""Custom resources whose Lambda handler moto cannot run: left out of the template sent to moto, made afterwards."""


def without_deferred(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` without :data:`DEFERRED_TYPES` resources (and ``DependsOn`` entries naming them).

    No notes: the engine makes them afterwards and lists them as emulated."""
    resources = template.get("Resources", {})
    deferred = {lid for lid, body in resources.items() if body.get("Type") in DEFERRED_TYPES}
    if not deferred:
        return dict(template), []
    kept: dict[str, Any] = {}
    for lid, body in resources.items():
        if lid in deferred:
            continue
        depends = body.get("DependsOn")
        if depends is not None:
            names = [depends] if isinstance(depends, str) else list(depends)
            body = {**body, "DependsOn": [n for n in names if n not in deferred]}
            if not body["DependsOn"]:
                del body["DependsOn"]
        kept[lid] = body
    return {**template, "Resources": kept}, []
