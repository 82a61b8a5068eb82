"""cfn-lint over a stack's template, zero-tolerance with an allow-list by rule id.

The deploy-readiness rules of :mod:`cdk_sagemaker.rules` (``E9xxx``/``W9xxx``, docs/readiness-rules.md) run with
cfn-lint's own rules by default; ``readiness=False`` (or the plugin's ``cdk_lint_readiness = false`` ini option)
turns them off, and ``allow`` takes their ids like any other rule's.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cdk_sagemaker.errors import ValidationError
from cdk_sagemaker.testing._template import template_of
from cdk_sagemaker.testing.errors import LintError, LintFinding

if TYPE_CHECKING:
    import aws_cdk as cdk

__all__ = ["assert_lint_clean", "lint", "lint_rule_ids"]


@functools.cache
def lint_rule_ids() -> frozenset[str]:
    """Every rule id the installed cfn-lint knows (errors, warnings, informational, experimental), and the ids of the
    readiness rules."""
    from cdk_sagemaker._extras import require

    get_rules = require("cfnlint.core", extra="test", needed_by="lint and the cdk_lint fixture").get_rules

    from cdk_sagemaker.rules import rule_ids

    rules = get_rules([], [], ["I"], include_experimental=True)
    return frozenset(rules.all_rules) | rule_ids()


def _check_allow(allow: Iterable[str]) -> set[str]:
    names = [allow] if isinstance(allow, str) else list(allow)
    if not names:
        return set()
    known = lint_rule_ids()
    problems = []
    for name in names:
        if name not in known:
            near = difflib.get_close_matches(name, sorted(known), n=3)
            hint = f" (close: {', '.join(near)})" if near else ""
            problems.append(f"allow must name cfn-lint rule ids such as 'W3005', got {name!r}{hint}")
    if problems:
        raise ValidationError("lint", problems)
    return set(names)


def _path_of(match: Any) -> str:
    """The template path of a cfn-lint match (``Resources/X/Properties/Y``); rules that report no path give the
    line of the JSON sent to cfn-lint."""
    path = getattr(match, "path", None)
    if path:
        return "/".join(str(p) for p in path)
    return f"line {match.linenumber}"


def _regions_for(stack_or_template: cdk.Stack | Mapping[str, Any], regions: Sequence[str] | None) -> Sequence[str]:
    """The regions given, else the stack's own region when it has one (``env=``), else us-east-1."""
    if regions:
        return regions
    from cdk_sagemaker.constructs._jsii import is_unresolved

    region = getattr(stack_or_template, "region", None)
    if isinstance(region, str) and region and not is_unresolved(region):
        return (region,)
    return ("us-east-1",)


def lint(
    stack_or_template: cdk.Stack | Mapping[str, Any],
    *,
    allow: Iterable[str] = (),
    regions: Sequence[str] | None = None,
    informational: bool = False,
    readiness: bool = True,
) -> list[LintFinding]:
    """Run cfn-lint on the template (a Stack is synthesized) and return its findings, sorted, leaving out rules in
    ``allow`` (exact rule ids such as ``"W3005"``).

    Zero-tolerance: every error and warning counts. Default: informational (``I...``) rules are not run, as in
    cfn-lint itself; ``informational=True`` runs them too. ``regions``: where the template is checked (resource and
    property availability, e.g. ``AWS::SageMaker::InferenceComponent`` does not exist in the China and GovCloud
    regions); default: the stack's region when it has one (``env=``), else us-east-1. Default: the readiness rules
    (:mod:`cdk_sagemaker.rules`) run too; ``readiness=False`` runs cfn-lint's own rules only. Raises
    :class:`cdk_sagemaker.ValidationError` when ``allow`` names a rule cfn-lint does not have, :class:`SynthesisError`
    when the stack does not synthesize.
    """
    allowed = _check_allow(allow)
    from cdk_sagemaker.rules import lint_all

    template = template_of(stack_or_template)
    findings = []
    checks = ["I"] if informational else []
    for match in lint_all(template, regions=_regions_for(stack_or_template, regions), include_checks=checks,
                          readiness=readiness):
        if match.rule.id in allowed:
            continue
        path = _path_of(match)
        findings.append(LintFinding(rule=match.rule.id, path=path, message=str(match.message)))
    return sorted(findings, key=lambda f: (f.path, f.rule, f.message))


def assert_lint_clean(
    stack_or_template: cdk.Stack | Mapping[str, Any],
    *,
    allow: Iterable[str] = (),
    regions: Sequence[str] | None = None,
    informational: bool = False,
    readiness: bool = True,
) -> None:
    """:func:`lint`, raising :class:`LintError` that lists the findings when there are any."""
    findings = lint(stack_or_template, allow=allow, regions=regions, informational=informational, readiness=readiness)
    if findings:
        raise LintError(findings)
