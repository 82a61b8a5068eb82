"""Print what a cloud assembly holds: each stack, its resource count and its resources by type."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def summarize(assembly_dir: Path) -> str:
    manifest = json.loads((assembly_dir / "manifest.json").read_text())
    rows = []
    for name, artifact in sorted(manifest.get("artifacts", {}).items()):
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template_file = artifact["properties"]["templateFile"]
        template = json.loads((assembly_dir / template_file).read_text())
        types = Counter(r["Type"] for r in template.get("Resources", {}).values() if r["Type"] != "AWS::CDK::Metadata")
        size = (assembly_dir / template_file).stat().st_size
        sagemaker = ", ".join(f"{t.split('::')[-1]} x{n}" for t, n in sorted(types.items()) if "SageMaker" in t)
        rows.append((name, sum(types.values()), size, sagemaker or "-"))
    width = max([len(r[0]) for r in rows] + [5])
    lines = [f"{'stack':<{width}}  resources  template bytes  SageMaker resources"]
    lines += [f"{n:<{width}}  {c:>9}  {s:>14}  {sm}" for n, c, s, sm in rows]
    lines.append(f"{len(rows)} stacks synthesized into {assembly_dir}/")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1] if len(sys.argv) > 1 else "cdk.out")))
