"""Deploy-readiness rules: SageMaker's runtime rules as cfn-lint custom rules, one module per concern.

cfn-lint loads them with ``cfn-lint --append-rules $(cdk-sagemaker lint --rules-dir) template.json``: every module
in this folder whose name starts with a letter is a plugin (``networking.py``, ``keys.py``, ...); shared helpers live
in ``_template.py`` and ``_facts.py``. From Python::

    from cdk_sagemaker.rules import run
    for match in run("cdk.out/MyStack.template.json"):
        print(match)

Ids: 91xx networking (9180-9199: the API Gateway front door, ``frontdoor.py``), 92xx storage and keys, 93xx images
and containers, 94xx scaling (9450-9479: inference components and LLM hosting, ``components.py``), 95xx rollouts,
96xx serverless, 97xx batch transform, 98xx endpoints and variants (9850-9879: monitoring), 99xx lifecycle
(9950-9969: the Model Registry, ``registry.py``); ``hosting.py`` (private-registry images, multi-model caching, Clarify
explainers) takes 9380-9399 and 9880-9899. ``E`` for what fails a deploy or a request, ``W`` for what misbehaves at
run time. docs/readiness-rules.md lists them all.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["TAG", "lint_all", "rule_classes", "rule_ids", "rules_dir", "run"]

#: Every rule of ours carries this tag (cfn-lint's own rules do not).
TAG = "cdk-sagemaker"


def rules_dir() -> str:
    """The folder to pass to ``cfn-lint --append-rules``."""
    return str(Path(__file__).resolve().parent)


def _collection(ids: Sequence[str] | None = None) -> Any:
    """Our rules as a cfn-lint ``RulesCollection`` (``ids`` picks some), built once per selection: cfn-lint's own
    command line checks every template it is given with one collection, and building it is most of a small run."""
    return _built_collection(None if ids is None else tuple(sorted(set(ids))))


@functools.cache
def _built_collection(ids: tuple[str, ...] | None) -> Any:
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
def _runner(regions: tuple[str, ...], include_checks: tuple[str, ...], readiness: bool) -> Any:
    """A cfn-lint ``Runner`` with cfn-lint's own rules (and ours when ``readiness``), built once per configuration.
    Loading cfn-lint's rules and their JSON schemas takes about 0.7 s, most of a run over one small template; its own
    command line loads them once for all the templates it checks, and so do we."""
    from cdk_sagemaker._extras import require

    runner = require("cfnlint.runner", extra="lint", needed_by="cfn-lint over a template")
    config = require("cfnlint.config", extra="lint", needed_by="cfn-lint over a template")
    return runner.Runner(config.ConfigMixIn(regions=list(regions), include_checks=list(include_checks),
                                            append_rules=[rules_dir()] if readiness else []))


def lint_all(
    template_or_path: Mapping[str, Any] | str | Path,
    *,
    regions: Sequence[str] = ("us-east-1",),
    include_checks: Sequence[str] = (),
    readiness: bool = True,
) -> list[Any]:
    """cfn-lint's own rules (``include_checks=["I"]`` adds the informational ones) and, unless ``readiness=False``,
    ours, over a template (a mapping, or a JSON/YAML file): cfn-lint's ``Match`` objects in cfn-lint's order. The
    same as ``cfn-lint --append-rules $(cdk-sagemaker lint --rules-dir)``, with the rules loaded once per process."""
    from cdk_sagemaker._extras import require

    decode_str = require("cfnlint.decode.decode", extra="lint", needed_by="cfn-lint over a template").decode_str
    text, _ = _template_text(template_or_path)
    template, errors = decode_str(text)
    if errors:
        return list(errors)
    if template is None:
        return []
    runner = _runner(tuple(regions), tuple(include_checks), readiness)
    return list(runner.validate_template(template))


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
