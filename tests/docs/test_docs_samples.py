"""Every ```python block in README.md and docs/*.md runs as-is, so the docs cannot rot."""

from __future__ import annotations

import os
import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _samples() -> list[tuple[str, str]]:
    out = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]:
        for i, block in enumerate(_BLOCK.findall(doc.read_text())):
            out.append((f"{doc.relative_to(ROOT)}#{i + 1}", block))
    return out


@pytest.mark.parametrize(("where", "code"), _samples(), ids=[w for w, _ in _samples()])
def test_docs_sample_runs(where: str, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # samples that write files (cdk.out) write them here
    monkeypatch.setenv("CDK_OUTDIR", str(tmp_path / "cdk.out"))
    script = tmp_path / "sample.py"
    script.write_text(code)
    runpy.run_path(str(script), run_name="__main__")
    assert os.getcwd() == str(tmp_path)
