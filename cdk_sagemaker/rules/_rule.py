"""The one ``match`` every readiness rule shares: cfn-lint calls ``match(cfn)``, a rule of ours only says what it
finds in the template (``findings``), one ``RuleMatch`` at a time.

A mixin, not a ``CloudFormationLintRule`` subclass: cfn-lint instantiates every class of a plugin module whose bases
include ``CloudFormationLintRule``, so a shared base of that kind imported into a rule module would load as a rule of
its own. Rules declare ``class MyRule(TemplateRule, CloudFormationLintRule)``. Not a plugin file (leading underscore).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from cfnlint.rules import RuleMatch

__all__ = ["EachRule", "TemplateRule"]


class TemplateRule:
    """``match`` = the rule's ``findings`` over ``cfn.template``, in order; with ``unique = True`` a finding repeated
    at the same path with the same message is reported once."""

    unique: ClassVar[bool] = False

    def match(self, cfn: Any) -> list[RuleMatch]:
        out: list[RuleMatch] = []
        for found in self.findings(cfn.template):
            if not self.unique or found not in out:
                out.append(found)
        return out

    def findings(self, t: Mapping[str, Any]) -> Iterable[RuleMatch]:
        raise NotImplementedError


class EachRule(TemplateRule):
    """A rule over one kind of thing in the template (endpoint configs, scaled variants, transform tasks, ...): the
    module's base names what (``each``, whose items are tuples), a rule says what is wrong with one of them
    (``check(t, *item)``), so the loop is written once per module, not once per rule."""

    check: Callable[..., Iterable[RuleMatch]]

    def each(self, t: Mapping[str, Any]) -> Iterable[tuple[Any, ...]]:
        raise NotImplementedError

    def findings(self, t: Mapping[str, Any]) -> Iterable[RuleMatch]:
        for item in self.each(t):
            yield from self.check(t, *item)
