"""What the kit reports: findings, failed checks (``AssertionError``) and bad input (``ValidationError``).

A failed check is an ``AssertionError`` (pytest shows it as a failed assertion). Bad input to the kit - an unknown
pack or cfn-lint rule id, a stack that does not synthesize - is a :class:`cdk_sagemaker.ValidationError`
(a ``ValueError``), the one error family for "the input is wrong" across cdk-sagemaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cdk_sagemaker.errors import ValidationError

__all__ = ["ComplianceError", "LintError", "LintFinding", "NagFinding", "SynthesisError"]

_CONTROL_IDS = re.compile(r"\s+-\s+\(Control IDs:.*\)\.?\s*$", re.S)


@dataclass(frozen=True, kw_only=True, slots=True)
class NagFinding:
    """One cdk-nag finding: ``rule`` (``AwsSolutions-IAM5[Resource::*]``) on the construct at ``path``."""

    pack: str
    rule: str
    path: str
    description: str

    @property
    def acknowledgment_id(self) -> str:
        """The id that ``Validations.of(construct).acknowledge(Acknowledgment(id=..., reason=...))`` takes."""
        return f"{self.pack}::{self.rule}"

    def __str__(self) -> str:
        return f"{self.rule} at {self.path}: {_CONTROL_IDS.sub('', self.description)}"


@dataclass(frozen=True, kw_only=True, slots=True)
class LintFinding:
    """One cfn-lint finding: ``rule`` (``E3002``) at ``path`` (``Resources/Bucket/Properties/Foo``)."""

    rule: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule} {self.path}: {self.message}"


class ComplianceError(AssertionError):
    """cdk-nag reported findings; ``findings`` holds each :class:`NagFinding` (rule, construct path, description)."""

    def __init__(self, findings: Sequence[NagFinding]) -> None:
        self.findings: tuple[NagFinding, ...] = tuple(findings)
        lines = [f"{len(self.findings)} cdk-nag finding(s):", *(f"  {f}" for f in self.findings)]
        if self.findings:
            first = self.findings[0]
            lines.append(
                "Fix them, or acknowledge one finding on its construct with a reason: "
                f"Validations.of(construct).acknowledge(Acknowledgment(id={first.acknowledgment_id!r}, reason=...))"
            )
        super().__init__("\n".join(lines))


class LintError(AssertionError):
    """cfn-lint reported findings; ``findings`` holds each :class:`LintFinding`."""

    def __init__(self, findings: Sequence[LintFinding]) -> None:
        self.findings: tuple[LintFinding, ...] = tuple(findings)
        lines = [f"{len(self.findings)} cfn-lint finding(s):", *(f"  {f}" for f in self.findings)]
        super().__init__("\n".join(lines))


class SynthesisError(ValidationError):
    """The app or stack did not synthesize, so there is no template to check. ``path`` is the app or stack path
    (``<app>`` for the root), ``problems`` the lines of the CDK error."""
