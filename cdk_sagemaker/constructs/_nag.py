"""Internal: cdk-nag acknowledgements with a written reason, made where the resource is created.

cdk-nag 3 findings are acknowledged with ``Validations.of(construct).acknowledge(Acknowledgment(id, reason))``, where
the id is ``<pack>::<rule>`` or, for rules that report each finding separately, ``<pack>::<rule>[<finding>]``.
Acknowledgements here are always exact (rule and finding), on the exact resource, never a whole pack.
"""

from __future__ import annotations

from collections.abc import Iterable

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge", "acknowledge_all", "finding_text"]


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge ``rule_id`` (``"AwsSolutions-IAM5[Resource::*]"``, ``"NIST.800.53.R5-S3BucketLoggingEnabled"``)
    on ``scope`` with the reason a reviewer reads. The pack prefix is derived from the rule id."""
    pack = rule_id.split("-", 1)[0]
    Validations.of(scope).acknowledge(Acknowledgment(id=f"{pack}::{rule_id}", reason=reason))


def finding_text(scope: IConstruct, value: str) -> str | None:
    """``value`` (an ARN that may hold tokens) as cdk-nag writes it in a finding id, e.g.
    ``arn:<AWS::Partition>:s3:::<Bucket83908E77>/outputs/*``; ``None`` when it resolves to an intrinsic cdk-nag
    would render differently (so no acknowledgement is made and the finding stays visible).

    Mirrors cdk-nag 3's ``flattenCfnReference`` for ``Ref``, ``Fn::GetAtt`` and ``Fn::Join``.
    """
    from aws_cdk import Stack

    def visit(node: object) -> str | None:
        if isinstance(node, str):
            return node.replace("${", "<").replace("}", ">")
        if isinstance(node, dict) and len(node) == 1:
            (fn, arg), = node.items()
            if fn == "Ref" and isinstance(arg, str):
                return f"<{arg}>"
            if fn == "Fn::GetAtt" and isinstance(arg, list) and len(arg) == 2:
                return f"<{arg[0]}.{arg[1]}>"
            if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
                parts = [visit(item) for item in arg[1]]
                return None if any(p is None for p in parts) else str(arg[0]).join(p for p in parts if p is not None)
        return None

    return visit(Stack.of(scope).resolve(value))


def acknowledge_all(scope: IConstruct, rules: Iterable[tuple[str, str]]) -> None:
    """:func:`acknowledge` several ``(rule_id, reason)`` pairs on ``scope`` in one call (one jsii round trip)."""
    acks = [Acknowledgment(id=f"{rule_id.split('-', 1)[0]}::{rule_id}", reason=reason) for rule_id, reason in rules]
    if acks:
        Validations.of(scope).acknowledge(*acks)
