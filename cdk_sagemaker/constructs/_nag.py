"""Internal: cdk-nag acknowledgements with a written reason, made where the resource is created.

cdk-nag 3 findings are acknowledged with ``Validations.of(construct).acknowledge(Acknowledgment(id, reason))``, where
the id is ``<pack>::<rule>`` or, for rules that report each finding separately, ``<pack>::<rule>[<finding>]``.
Acknowledgements here are always exact (rule and finding), on the exact resource, never a whole pack.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge", "acknowledge_all"]


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge ``rule_id`` (``"AwsSolutions-IAM5[Resource::*]"``, ``"NIST.800.53.R5-S3BucketLoggingEnabled"``)
    on ``scope`` with the reason a reviewer reads. The pack prefix is derived from the rule id."""
    acknowledge_all(scope, [(rule_id, reason)])


def acknowledge_all(scope: IConstruct, rules: Iterable[tuple[str, str]]) -> None:
    """:func:`acknowledge` several ``(rule_id, reason)`` pairs on ``scope`` in one call (one jsii round trip)."""
    acks = [Acknowledgment(id=f"{rule_id.split('-', 1)[0]}::{rule_id}", reason=reason) for rule_id, reason in rules]
    if acks:
        Validations.of(scope).acknowledge(*acks)
