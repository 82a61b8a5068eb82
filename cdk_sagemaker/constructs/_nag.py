"""Internal: cdk-nag acknowledgements with a written reason, made where the resource is created.

cdk-nag 3 findings are acknowledged with ``Validations.of(construct).acknowledge(Acknowledgment(id, reason))``.
The ids are exact rule ids (and, where a rule reports per finding, the finding id), never a whole pack.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge"]


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge one cdk-nag rule on ``scope`` (and its children) with the reason a reviewer reads."""
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))
