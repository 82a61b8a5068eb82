"""Architecture diagrams of the example stacks, generated from their synthesized templates.

For each stack in ``cdk_sagemaker.stacks.STACKS`` this writes ``docs/diagrams/<stack>.dot`` (Graphviz source: one
box per resource, grouped by service; a solid arrow where a resource references another with Ref/GetAtt/Sub, a
dashed one for an explicit DependsOn) and renders ``docs/diagrams/<stack>.svg`` with Graphviz ``dot``
(Debian package ``graphviz``). The SVG carries the SHA-256 of its DOT source, so a test can tell a stale picture
without Graphviz installed.

    python tools/diagrams.py            # regenerate all (make diagrams)
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "diagrams"
_SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")
_COLORS = {
    "SageMaker": "#d5f5e3", "IAM": "#fdebd0", "KMS": "#fadbd8", "S3": "#d6eaf8", "ApplicationAutoScaling": "#e8daef",
    "CloudWatch": "#fcf3cf", "SNS": "#f6ddcc", "StepFunctions": "#d1f2eb", "Events": "#ebdef0", "Logs": "#eaeded",
    "EC2": "#e5e8e8", "Scheduler": "#ebdef0", "Lambda": "#fef9e7",
}


def _refs(value: Any, names: set[str]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str) and inner in names:
                yield inner
            elif key == "Fn::GetAtt" and isinstance(inner, list) and inner and inner[0] in names:
                yield inner[0]
            elif key == "Fn::Sub":
                text = inner[0] if isinstance(inner, list) else inner
                if isinstance(text, str):
                    yield from (m for m in _SUB_REF.findall(text) if m in names)
                if isinstance(inner, list) and len(inner) > 1:
                    yield from _refs(inner[1], names)
            else:
                yield from _refs(inner, names)
    elif isinstance(value, list):
        for inner in value:
            yield from _refs(inner, names)


def _label(logical_id: str, resource: Mapping[str, Any], stack: str) -> str:
    path = resource.get("Metadata", {}).get("aws:cdk:path")
    if path:
        path = path.removeprefix(f"{stack}/").removesuffix("/Resource").removesuffix("/Default")
    else:  # CDK logical ids end in an 8-digit hash of the construct path
        path = re.sub(r"[0-9A-F]{8}$", "", logical_id) or logical_id
    kind = resource["Type"].split("::", 2)[-1]
    return f"{kind}\\n{path}"


def to_dot(stack: str, template: Mapping[str, Any]) -> str:
    """Deterministic Graphviz source for one stack's template."""
    resources = {lid: r for lid, r in template.get("Resources", {}).items() if r["Type"] != "AWS::CDK::Metadata"}
    names = set(resources)
    by_service: dict[str, list[str]] = {}
    for lid, r in sorted(resources.items()):
        by_service.setdefault(r["Type"].split("::")[1], []).append(lid)
    lines = [f'digraph "{stack}" {{', "  rankdir=LR;", '  graph [fontname="Helvetica", fontsize=11, labelloc=t, '
             f'label="{stack}"];', '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
             '  edge [color="#555555", arrowsize=0.7];']
    for service, lids in sorted(by_service.items()):
        lines.append(f'  subgraph "cluster_{service}" {{')
        lines.append(f'    label="{service}"; style="rounded,dashed"; color="#999999";')
        for lid in lids:
            color = _COLORS.get(service, "#ffffff")
            lines.append(f'    "{lid}" [label="{_label(lid, resources[lid], stack)}", fillcolor="{color}"];')
        lines.append("  }")
    edges: set[tuple[str, str, str]] = set()
    for lid, r in resources.items():
        for target in _refs(r.get("Properties", {}), names - {lid}):
            edges.add((lid, target, "solid"))
        depends = r.get("DependsOn", [])
        for target in [depends] if isinstance(depends, str) else depends:
            if target in names and (lid, target, "solid") not in edges:
                edges.add((lid, target, "dashed"))
    for source, target, style in sorted(edges):
        lines.append(f'  "{source}" -> "{target}"' + (" [style=dashed];" if style == "dashed" else ";"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def dot_digest(dot: str) -> str:
    return hashlib.sha256(dot.encode()).hexdigest()


def svg_digest(svg: str) -> str | None:
    """The DOT digest an SVG was rendered from (``None`` if it carries none)."""
    match = re.search(r"<!-- dot-sha256: ([0-9a-f]{64}) -->", svg)
    return match.group(1) if match else None


def render_svg(dot: str) -> str:
    dot_bin = shutil.which("dot")
    if dot_bin is None:
        raise SystemExit("Graphviz 'dot' is not installed: apt-get install graphviz")
    svg = subprocess.run([dot_bin, "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    head, sep, rest = svg.partition("?>\n")
    return f"{head}{sep}<!-- dot-sha256: {dot_digest(dot)} -->\n{rest}" if sep else svg


def templates() -> dict[str, dict[str, Any]]:
    import tempfile

    import aws_cdk as cdk

    from cdk_sagemaker.app import build_app
    from cdk_sagemaker.stacks import STACKS

    with tempfile.TemporaryDirectory() as tmp:
        assembly = build_app(cdk.App(outdir=tmp)).synth()
        return {name: assembly.get_stack_by_name(name).template for name in STACKS}


def gallery() -> str:
    """The generated part of docs/architecture.md: one section per example stack with its diagram."""
    import inspect

    from cdk_sagemaker.stacks import STACKS

    parts = []
    for name, cls in STACKS.items():
        doc = inspect.getdoc(cls) or ""
        parts.append(f"### {name}\n\n{doc.splitlines()[0] if doc else ''}\n\n"
                     f"Module: `{cls.__module__}`\n\n![{name}](diagrams/{name}.svg)\n")
    return "\n".join(parts)


def write_gallery() -> None:
    page = ROOT / "docs" / "architecture.md"
    text = page.read_text()
    start, end = "<!-- diagrams:start -->", "<!-- diagrams:end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    page.write_text(f"{head}{start}\n{gallery()}{end}{tail}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, template in templates().items():
        dot = to_dot(name, template)
        (OUT / f"{name}.dot").write_text(dot)
        (OUT / f"{name}.svg").write_text(render_svg(dot))
        print(f"wrote docs/diagrams/{name}.svg")
    write_gallery()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
