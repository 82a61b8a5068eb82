"""Print (or --write) the rule table of docs/readiness-rules.md from the rule classes, between the markers
``<!-- rules:begin -->`` and ``<!-- rules:end -->``. tests/docs/test_readiness_rules_doc.py checks it is current."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from cdk_sagemaker.rules import rule_classes

DOC = Path(__file__).resolve().parents[1] / "docs" / "readiness-rules.md"
BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def _why(doc: str) -> str:
    text = " ".join(doc.split())
    text = re.split(r"\s*Source(?:s)?(?: for every rule)?:", text)[0]
    return text.replace("|", "\\|")


def table() -> str:
    rows = ["| Id | Module | What | Why | Source |", "|---|---|---|---|---|"]
    for rule in rule_classes():
        rows.append(f"| {rule.id} | {rule.__module__}.py | {rule.shortdesc} | {_why(rule.__doc__ or '')} | "
                    f"[{rule.source_url.split('/')[-1] or rule.source_url}]({rule.source_url}) |")
    return "\n".join(rows)


def render(doc: str) -> str:
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    return f"{doc[:start]}\n{table()}\n{doc[end:]}"


if __name__ == "__main__":
    current = DOC.read_text(encoding="utf-8")
    new = render(current)
    if "--write" in sys.argv:
        DOC.write_text(new, encoding="utf-8")
    else:
        print(table())
