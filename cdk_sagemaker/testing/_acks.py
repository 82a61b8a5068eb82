"""The acknowledged cdk-nag findings of an app, for a reviewed list in your tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import aws_cdk as cdk

__all__ = ["ACKNOWLEDGED_RULES", "Acknowledgement", "acknowledgements"]

#: The construct metadata type under which ``Validations.of(c).acknowledge(...)`` records ``{id: reason}``; it is
#: also written to ``<stack>.metadata.json`` in the cloud assembly (``cdk.out``).
ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"


@dataclass(frozen=True, slots=True, order=True)
class Acknowledgement:
    """One acknowledged cdk-nag finding: the construct path, the finding id (``AwsSolutions::AwsSolutions-IAM5[...]``)
    and the written reason."""

    path: str
    rule: str
    reason: str


def acknowledgements(scope: cdk.App | cdk.Stage | cdk.Stack) -> list[Acknowledgement]:
    """Every acknowledgement recorded under ``scope``, sorted by path and rule. Compare the result to a list checked
    into your tests, so that a new acknowledgement is a reviewed change."""
    found = []
    for construct in scope.node.find_all():
        for entry in construct.node.metadata:
            if entry.type != ACKNOWLEDGED_RULES or not isinstance(entry.data, Mapping):
                continue
            for rule, reason in entry.data.items():
                found.append(Acknowledgement(path=construct.node.path, rule=str(rule), reason=str(reason)))
    return sorted(set(found))
