"""Workaround: a stack's managed policies are detached before the stack is deleted.

moto 5.2.5 behaviour: its CloudFormation deletes an ``AWS::IAM::Role`` while the stack's ``AWS::IAM::ManagedPolicy``
is still attached to it, and the delete fails with ``DeleteConflict``; real CloudFormation deletes the policy (and
so detaches it) first. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_deletes_a_role_before_detaching_its_managed_policy``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError


def detach_managed_policies(cfn: Any, iam: Any, stack_name: str) -> None:
    """Detach every managed policy of ``stack_name`` from its roles, users and groups."""
    resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    for resource in resources:
        if resource.get("ResourceType") != "AWS::IAM::ManagedPolicy":
            continue
        arn = resource.get("PhysicalResourceId", "")
        with contextlib.suppress(ClientError, BotoCoreError):
            detach_everywhere(iam, arn)


def detach_everywhere(iam: Any, policy_arn: str) -> None:
    """Detach the managed policy ``policy_arn`` from every role, user and group it is attached to."""
    entities = iam.list_entities_for_policy(PolicyArn=policy_arn)
    for role in entities.get("PolicyRoles", []):
        iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=policy_arn)
    for user in entities.get("PolicyUsers", []):
        iam.detach_user_policy(UserName=user["UserName"], PolicyArn=policy_arn)
    for group in entities.get("PolicyGroups", []):
        iam.detach_group_policy(GroupName=group["GroupName"], PolicyArn=policy_arn)
