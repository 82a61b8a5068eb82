"""Internal: cdk-nag acknowledgements with a written reason, made where the resource is created.

cdk-nag 3 findings are acknowledged with ``Validations.of(construct).acknowledge(Acknowledgment(id, reason))``, where
the id is ``<pack>::<rule>`` or, for rules that report each finding separately, ``<pack>::<rule>[<finding>]``.
Acknowledgements here are always exact (rule and finding), on the exact resource, never a whole pack.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge"]


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge ``rule_id`` (``"AwsSolutions-IAM5[Resource::*]"``, ``"NIST.800.53.R5-S3BucketLoggingEnabled"``)
    on ``scope`` with the reason a reviewer reads. The pack prefix is derived from the rule id."""
    pack = rule_id.split("-", 1)[0]
    Validations.of(scope).acknowledge(Acknowledgment(id=f"{pack}::{rule_id}", reason=reason))
