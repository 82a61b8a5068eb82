"""Every ```python block in README.md and docs/*.md runs as-is and passes ``mypy --strict``, so the docs cannot rot
and show only code that type-checks in a user's strict project."""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import sys
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


def test_docs_samples_pass_mypy_strict(tmp_path: Path) -> None:
    """One mypy run over all samples (one module each). It shares the checkout's .mypy_cache with ``make lint``
    (same config, pyproject.toml), so aws-cdk-lib's stubs are read from the cache: a few seconds when warm, ~1-2
    minutes cold."""
    names = []
    for i, (where, code) in enumerate(_samples()):
        name = "sample_%03d_%s.py" % (i, re.sub(r"\W+", "_", where))  # noqa: UP031
        (tmp_path / name).write_text(code)
        names.append(name)
    env = {k: v for k, v in os.environ.items() if k != "MYPYPATH"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(ROOT / ".mypy_cache"), *(str(tmp_path / n) for n in names)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    where = dict(zip(names, (w for w, _ in _samples()), strict=True))
    report = "\n".join(re.sub(r"^.*?(sample_\d{3}_\w+\.py)", lambda m: where.get(m.group(1), m.group(1)), line)
                       for line in proc.stdout.splitlines())
    assert proc.returncode == 0, f"docs samples fail mypy --strict:\n{report}\n{proc.stderr}"
