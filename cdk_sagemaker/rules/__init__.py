"""Deploy-readiness rules: SageMaker's runtime rules as cfn-lint custom rules, one module per concern.

cfn-lint loads them with ``cfn-lint --append-rules $(cdk-sagemaker lint --rules-dir) template.json``: every module
in this folder whose name starts with a letter is a plugin (``networking.py``, ``keys.py``, ...); shared helpers live
in ``_template.py`` and ``_facts.py``. From Python::

    from cdk_sagemaker.rules import run
    for match in run("cdk.out/MyStack.template.json"):
        print(match)

Ids: 91xx networking, 92xx storage and keys, 93xx images and containers, 94xx scaling, 95xx rollouts, 96xx serverless,
97xx batch transform, 98xx endpoints and variants, 99xx lifecycle; hosting.py (private-registry images, multi-model
caching, Clarify explainers) takes 9380-9399 and 9880-9899. ``E`` for what fails a deploy or a request, ``W``
for what misbehaves at run time. docs/readiness-rules.md lists them all.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["TAG", "rule_classes", "rule_ids", "rules_dir", "run"]

#: Every rule of ours carries this tag (cfn-lint's own rules do not).
TAG = "cdk-sagemaker"


def rules_dir() -> str:
    """The folder to pass to ``cfn-lint --append-rules``."""
    return str(Path(__file__).resolve().parent)


def _collection(ids: Sequence[str] | None = None) -> Any:
    from cdk_sagemaker._extras import require

    RulesCollection = require("cfnlint.rules", extra="lint",  # noqa: N806 - cfn-lint's class name
                              needed_by="the deploy-readiness rules").RulesCollection

    rules = RulesCollection(include_experimental=True)
    rules.create_from_directory(rules_dir())
    if ids is not None:
        wanted = set(ids)
        rules.rules = {k: v for k, v in rules.rules.items() if k in wanted}
    return rules


@functools.cache
def rule_classes() -> tuple[type[Any], ...]:
    """The rule classes of this package, sorted by id (loaded as cfn-lint loads them, from the files)."""
    rules = _collection().rules.values()
    return tuple(sorted((type(r) for r in rules if TAG in getattr(r, "tags", ())), key=lambda c: str(c.id)))


def rule_ids() -> frozenset[str]:
    """The ids of this package's rules."""
    return frozenset(str(c.id) for c in rule_classes())


def _template_text(template_or_path: Mapping[str, Any] | str | Path) -> tuple[str, str]:
    if isinstance(template_or_path, Mapping):
        return json.dumps(template_or_path), "<template>"
    path = Path(template_or_path)
    return path.read_text(encoding="utf-8"), str(path)


def run(
    template_or_path: Mapping[str, Any] | str | Path,
    *,
    regions: Sequence[str] = ("us-east-1",),
    ids: Sequence[str] | None = None,
) -> list[Any]:
    """Run the readiness rules (only ours; ``ids`` picks some of them) over a template (a mapping, or a JSON/YAML
    file) and return cfn-lint's ``Match`` objects, sorted by path and rule id. A template that does not parse gives
    cfn-lint's parse error matches."""
    from cdk_sagemaker._extras import require

    lint = require("cfnlint.api", extra="lint", needed_by="the deploy-readiness rules").lint
    text, _ = _template_text(template_or_path)
    matches = lint(text, rules=_collection(ids), regions=list(regions))
    return sorted(matches, key=lambda m: ("/".join(str(p) for p in (getattr(m, "path", None) or [])), m.rule.id,
                                          str(m.message)))
