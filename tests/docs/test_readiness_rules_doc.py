"""docs/readiness-rules.md lists exactly the rules the package has (the table is generated from the rule classes)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from cdk_sagemaker.rules import rule_ids

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "readiness-rules.md"


def _tool():  # tools/ is not a package: load the generator by path
    spec = importlib.util.spec_from_file_location("readiness_rules_doc", ROOT / "tools" / "readiness_rules_doc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_table_is_current() -> None:
    doc = DOC.read_text(encoding="utf-8")
    assert _tool().render(doc) == doc, "run: python tools/readiness_rules_doc.py --write"


def test_rule_table_lists_every_rule_once() -> None:
    listed = re.findall(r"^\| ([EW]9\d{3}) \|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert sorted(listed) == sorted(rule_ids())
    assert len(listed) >= 25
