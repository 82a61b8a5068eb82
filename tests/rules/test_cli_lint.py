"""``cdk-sagemaker lint``: templates and cloud assembly folders in, one cfn-lint-style line per finding out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdk_sagemaker.cli import main
from cdk_sagemaker.rules import rules_dir

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = FIXTURES / "E9101" / "bad.json"
GOOD = FIXTURES / "E9101" / "good.json"
PIPELINE_BAD = FIXTURES / "E9303" / "bad.json"


def lint(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = main(["lint", *argv])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_rules_dir_prints_the_plugin_folder(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = lint(capsys, "--rules-dir")
    assert status == 0 and lines == [rules_dir()]
    assert (Path(lines[0]) / "networking.py").is_file()


def test_bad_template_exits_1_with_one_line_per_finding(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = lint(capsys, str(BAD), str(PIPELINE_BAD))
    assert status == 1 and err == ""
    assert any(line.startswith(f"{BAD}:") and ":E9101:Model Model: VpcConfig.SecurityGroupIds" in line
               for line in lines)
    assert any(line.startswith(f"{PIPELINE_BAD}:") and ":E9303:" in line for line in lines)
    for line in lines:  # file:line:col:endline:endcol:rule:message
        file, *numbers, rule, message = line.split(":", 6)
        assert Path(file).is_file() and all(n.isdigit() for n in numbers) and rule[0] in "EWI" and message


def test_good_template_exits_0_silently(capsys: pytest.CaptureFixture[str]) -> None:
    assert lint(capsys, str(GOOD)) == (0, [], "")


def test_cloud_assembly_folder_reads_manifest_stacks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(BAD, tmp_path / "Bad.template.json")
    shutil.copy(GOOD, tmp_path / "Good.template.json")
    shutil.copy(PIPELINE_BAD, tmp_path / "NotAStack.template.json")  # not in the manifest: not linted
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": {
        "Bad": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Bad.template.json"}},
        "Good": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Good.template.json"}},
        "Bad.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Bad.assets.json"}},
    }}))
    status, lines, _ = lint(capsys, str(tmp_path))
    assert status == 1
    assert {Path(line.split(":", 1)[0]).name for line in lines} == {"Bad.template.json"}


def test_readiness_only_leaves_out_cfn_lint_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = json.loads(GOOD.read_text())
    template["Resources"]["Sg"]["Properties"]["Bogus"] = 1  # E3002 from cfn-lint's own rules
    path = tmp_path / "t.json"
    path.write_text(json.dumps(template))
    status, lines, _ = lint(capsys, str(path))
    assert status == 1 and any(":E3002:" in line for line in lines)
    assert lint(capsys, "--readiness-only", str(path)) == (0, [], "")


def test_missing_path_and_no_path_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = lint(capsys, "does-not-exist.json")
    assert status == 2 and "does-not-exist.json: no such file or folder" in err
    status, _, err = lint(capsys)
    assert status == 2 and "give at least one template" in err


def test_cfn_lint_append_rules_loads_the_rules() -> None:
    """The documented CI form: ``cfn-lint --append-rules $(cdk-sagemaker lint --rules-dir) template``."""
    exe = Path(sys.executable).with_name("cfn-lint")
    if not exe.exists():
        pytest.skip("cfn-lint console script not installed next to this Python")
    proc = subprocess.run([str(exe), "--append-rules", rules_dir(), "--", str(BAD)], capture_output=True, text=True,
                          check=False)
    assert proc.returncode != 0 and "E9101 Model Model: VpcConfig.SecurityGroupIds" in proc.stdout
