"""Internal: customer-managed KMS keys with rotation and a least-privilege key policy, and the rotation check for
keys users pass in.

The key policy of :func:`service_key` has two kinds of statement and nothing else:

* the account may *administer* the key (describe, tag, rotate, schedule deletion, change its policy...), so that the
  key can never become unmanageable, but administration is not use;
* principals of the account may *use* the key only through the AWS services named for it (``kms:ViaService``, e.g.
  SageMaker, EC2 for the EBS volumes SageMaker attaches, S3 for objects, SNS for encrypted topics), and service
  principals only under the conditions given for them: CloudWatch Logs with the encryption context of the exact log
  group, CloudWatch (alarms publishing to an encrypted topic) only for this account (``aws:SourceAccount``). Nobody
  can call ``kms:Decrypt`` on it directly.

As with every key policy, an IAM policy must still allow the principal: the key policy is the upper bound.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from cdk_sagemaker.constructs._jsii import account_id, is_unresolved, partition, region

__all__ = ["ADMIN_ACTIONS", "CLOUDWATCH_TOPIC_ACTIONS", "SERVICE_ACTIONS", "USE_ACTIONS", "cloudwatch_alarm_publisher",
           "rotation_problem", "service_key"]

#: Administration without use: what the account root keeps so that the key stays manageable.
ADMIN_ACTIONS: tuple[str, ...] = (
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:DeleteAlias", "kms:DescribeKey", "kms:DisableKey",
    "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
    "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListResourceTags", "kms:PutKeyPolicy",
    "kms:RevokeGrant", "kms:RotateKeyOnDemand", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
)
#: Cryptographic use, including the grants AWS services create to use the key on the caller's behalf.
USE_ACTIONS: tuple[str, ...] = (
    "kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*",
)
#: What a service principal may do with a key by default (encrypt and decrypt its own data; no grants).
SERVICE_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*",
                                    "kms:ReEncrypt*")
#: Service principals that exist per region (``logs.<region>.amazonaws.com``); the others are global
#: (``cloudwatch.amazonaws.com``).
_REGIONAL_PRINCIPALS = frozenset({"logs"})
#: What CloudWatch needs to publish alarm notifications to a topic encrypted with the key (Amazon SNS developer guide,
#: "Enable compatibility between event sources from AWS services and encrypted topics"), and the condition that
#: limits it to alarms of this account (confused-deputy protection).
CLOUDWATCH_TOPIC_ACTIONS: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey*")


def cloudwatch_alarm_publisher() -> dict[str, dict[str, Any]]:
    """``service_principals`` entry for CloudWatch alarms that publish to an encrypted SNS topic of this account."""
    return {"cloudwatch.amazonaws.com": {"StringEquals": {"aws:SourceAccount": account_id()}}}


def service_key(
    scope: Construct,
    id: str,
    *,
    description: str,
    via_services: Sequence[str] = (),
    service_principals: Mapping[str, Mapping[str, Any]] | None = None,
    service_actions: Mapping[str, Sequence[str]] | None = None,
    removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
) -> kms.Key:
    """A key with rotation on and the least key policy described in the module docstring.

    ``via_services`` are service prefixes (``"sagemaker"``, ``"ec2"``, ``"s3"``): principals of this account may use
    the key through those services in this region. ``service_principals`` maps a service principal
    (``"logs.amazonaws.com"``: the region is added for CloudWatch Logs, whose principal is regional;
    ``"cloudwatch.amazonaws.com"`` stays global) to the IAM conditions its use is limited by; ``service_actions``
    narrows a principal's actions (default :data:`SERVICE_ACTIONS`).
    """
    # Built as one JSON document: one round trip to the jsii process instead of one per statement and principal.
    root = {"AWS": f"arn:{partition()}:iam::{account_id()}:root"}
    statements: list[dict[str, Any]] = [
        {"Sid": "KeyAdministration", "Effect": "Allow", "Principal": root, "Action": list(ADMIN_ACTIONS),
         "Resource": "*"},
    ]
    if via_services:
        statements.append({
            "Sid": "UseThroughServices", "Effect": "Allow", "Principal": root, "Action": list(USE_ACTIONS),
            "Resource": "*",
            "Condition": {"StringEquals": {
                "kms:CallerAccount": account_id(),
                "kms:ViaService": [f"{s}.{region()}.amazonaws.com" for s in via_services],
            }},
        })
    for principal, conditions in (service_principals or {}).items():
        name = principal.split(".", 1)[0]
        service = principal.replace(".amazonaws.com", f".{region()}.amazonaws.com") \
            if name in _REGIONAL_PRINCIPALS else principal
        statements.append({
            "Sid": f"Use{name[:1].upper()}{name[1:]}Service", "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": list((service_actions or {}).get(principal, SERVICE_ACTIONS)),
            "Resource": "*", "Condition": dict(conditions),
        })
    policy = iam.PolicyDocument.from_json({"Version": "2012-10-17", "Statement": statements})
    return kms.Key(scope, id, enable_key_rotation=True, removal_policy=removal_policy, description=description,
                   policy=policy)


def rotation_problem(param: str, key: kms.IKey | None) -> str | None:
    """A problem message when ``key`` is a key created in this app without rotation (the packs require rotation:
    AwsSolutions-KMS5, NIST/HIPAA KMSBackingKeyRotationEnabled). Imported keys cannot be inspected and pass."""
    if key is None:
        return None
    cfn = key.node.default_child
    if not isinstance(cfn, kms.CfnKey):
        return None
    rotation = cfn.enable_key_rotation
    if rotation is True or (rotation is not None and is_unresolved(rotation)):
        return None
    return (f"{param} must have key rotation on (kms.Key(..., enable_key_rotation=True)), as the AwsSolutions, "
            f"NIST 800-53 and HIPAA packs require, got enable_key_rotation={rotation!r} on {key.node.path}")
