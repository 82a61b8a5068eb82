"""The checked-in architecture diagrams (docs/diagrams) match the current templates of every example stack."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from cdk_sagemaker.stacks import STACKS

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("diagrams", ROOT / "tools" / "diagrams.py")
assert _spec is not None and _spec.loader is not None
diagrams = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(diagrams)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_diagram_is_current(name: str, example_templates: dict[str, Any]) -> None:
    dot = diagrams.to_dot(name, example_templates[name])
    dot_file = ROOT / "docs" / "diagrams" / f"{name}.dot"
    svg_file = ROOT / "docs" / "diagrams" / f"{name}.svg"
    assert dot_file.exists() and svg_file.exists(), f"no diagram for {name}: run `make diagrams`"
    assert dot_file.read_text() == dot, f"docs/diagrams/{name}.dot is stale: run `make diagrams`"
    assert diagrams.svg_digest(svg_file.read_text()) == diagrams.dot_digest(dot), \
        f"docs/diagrams/{name}.svg was not rendered from the current .dot: run `make diagrams`"


def test_every_diagram_is_linked_from_the_docs() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text()
    for name in STACKS:
        assert f"diagrams/{name}.svg" in text, name


def test_references_become_edges() -> None:
    template = {"Resources": {
        "Role": {"Type": "AWS::IAM::Role"},
        "Model": {"Type": "AWS::SageMaker::Model", "Properties": {"ExecutionRoleArn": {"Fn::GetAtt": ["Role", "Arn"]}},
                  "DependsOn": ["Policy"]},
        "Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Roles": [{"Ref": "Role"}]}},
        "Out": {"Type": "AWS::SSM::Parameter", "Properties": {"Value": {"Fn::Sub": "${Model.ModelName}"}}},
    }}
    dot = diagrams.to_dot("S", template)
    assert '"Model" -> "Role";' in dot
    assert '"Policy" -> "Role";' in dot
    assert '"Model" -> "Policy" [style=dashed];' in dot
    assert '"Out" -> "Model";' in dot
