"""Every readiness rule against its two fixtures: ``tests/rules/fixtures/<ID>/bad.json`` (or ``.yaml``) must make it
fire, ``good.json`` must draw no finding from any of our rules and no error from cfn-lint's own rules.

Rules are discovered the way cfn-lint discovers them (``--append-rules``), so a rule that cfn-lint would not load is
not tested either and fails :func:`test_every_plugin_module_loads_rules`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from cdk_sagemaker.rules import TAG, lint_all, rule_classes, rules_dir, run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Id ranges per module (docs/readiness-rules.md).
RANGES = {"networking": "91", "keys": "92", "containers": "93", "scaling": "94", "components": "94", "rollouts": "95",
          "serverless": "96", "batch": "97", "endpoints": "98", "monitoring": "98", "lifecycle": "99",
          "registry": "99", "frontdoor": "91",
          # hosting.py: 9380-9399 for models, 9880-9899 for endpoint configs
          "hosting": ("93", "98")}
RULES = rule_classes()
IDS = [str(r.id) for r in RULES]


def fixture(rule_id: str, kind: str) -> Path:
    for ext in ("json", "yaml", "yml"):
        path = FIXTURES / rule_id / f"{kind}.{ext}"
        if path.exists():
            return path
    raise AssertionError(f"missing fixture tests/rules/fixtures/{rule_id}/{kind}.json (or .yaml)")


def ours(matches: list[Any]) -> list[str]:
    return [f"{m.rule.id} {'/'.join(map(str, m.path or []))}: {m.message}" for m in matches if TAG in m.rule.tags]


def test_every_plugin_module_loads_rules() -> None:
    modules = {p.stem for p in Path(rules_dir()).glob("[A-Za-z1-9]*.py")}
    loaded = {r.__module__ for r in RULES}
    assert modules <= set(RANGES), f"new rule module {sorted(modules - set(RANGES))}: give it an id range here"
    assert modules == loaded, f"modules without rules: {sorted(modules - loaded)}"
    assert len(IDS) == len(set(IDS)), "duplicate rule ids"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_metadata(rule: Any) -> None:
    rid = str(rule.id)
    assert re.fullmatch(r"[EW]9\d{3}", rid), rid
    allowed = RANGES[rule.__module__]
    assert rid[1:3] in (allowed if isinstance(allowed, tuple) else (allowed,)), \
        f"{rid} is outside the range of {rule.__module__}.py"
    if rule.__module__ == "hosting":
        assert rid[3] in "89", f"{rid} is outside hosting.py's 9380-9399 / 9880-9899"
    assert TAG in rule.tags and "sagemaker" in rule.tags
    assert rule.shortdesc and rule.description
    assert str(rule.source_url).startswith("https://"), "source_url must cite the AWS page"
    assert rule.__doc__ and "https://" in rule.__doc__, "the docstring must cite the AWS page it encodes"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_fires_on_bad_fixture(rule: Any) -> None:
    path = fixture(str(rule.id), "bad")
    found = [m for m in run(path) if m.rule.id == rule.id]
    assert found, f"{rule.id} did not fire on {path.relative_to(FIXTURES)}"
    for m in found:
        assert m.path and m.path[0] == "Resources", f"{rule.id} must point at a resource: {m.path}"
        assert str(m.path[1]) in str(m.message), f"{rule.id}'s message must name the resource: {m.message}"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_good_fixture_is_clean(rule: Any) -> None:
    path = fixture(str(rule.id), "good")
    matches = lint_all(path)  # cfn-lint's own rules and ours, in one run
    assert ours(matches) == []
    errors = [f"{m.rule.id} {m.message}" for m in matches if m.rule.id.startswith("E") and TAG not in m.rule.tags]
    assert errors == [], "the good fixture must be a valid template for cfn-lint's own rules"
