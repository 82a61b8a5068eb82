"""The cdk-sagemaker console command."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdk_sagemaker import cli
from cdk_sagemaker.cli import main

ROOT = Path(__file__).resolve().parents[2]
STEADY_FAST = ["--payload-mb", "2", "--processing-seconds", "0.2", "--latency", "milliseconds", "--traffic", "steady"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_recommend_prints_option_construct_and_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "recommend", *STEADY_FAST)
    assert status == 0 and err == ""
    assert "real-time inference (realtime)" in out
    assert "Construct:   RealtimeEndpoint" in out
    assert "Why:\n  - A 2 MB request and 0.2 s of processing" in out


def test_recommend_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys,
        *["recommend", "--payload-mb", "0.5", "--processing-seconds", "3", "--latency", "hours"],
        *["--traffic", "scheduled", "--no-response-per-request", "--json"],
    )
    assert status == 0
    data = json.loads(out)
    assert data["option"] == "batch_transform"
    assert data["construct"] == "BatchTransform"
    assert data["reasons"] and isinstance(data["warnings"], list)


def test_cold_start_and_gpu_flags(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["recommend", "--payload-mb", "1", "--processing-seconds", "1", "--latency", "seconds"]
    base += ["--traffic", "intermittent", "--json"]
    assert json.loads(run(capsys, *base)[1])["option"] == "serverless"
    assert json.loads(run(capsys, *base, "--no-tolerates-cold-start")[1])["option"] == "realtime"
    assert json.loads(run(capsys, *base, "--gpu")[1])["option"] == "realtime"


def test_no_fit_is_explained_with_status_1(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["recommend", "--payload-mb", "20", "--processing-seconds", "1", "--latency", "milliseconds"]
    status, out, err = run(capsys, *argv, "--traffic", "steady")
    assert status == 1 and err == ""
    assert out.startswith("No SageMaker inference option fits")
    assert "What to do:" in out
    status, out, _ = run(capsys, *argv, "--traffic", "steady", "--json")
    assert status == 1
    assert json.loads(out)["nearest"] == "async"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["--payload-mb", "-1"], "payload_mb must be a finite number >= 0, got -1.0"),
        (["--payload-mb", "nan"], "payload_mb must be a finite number >= 0, got nan"),
        (["--latency", "fast"], "latency must be one of 'milliseconds', 'seconds', 'minutes', 'hours', got 'fast'"),
        (["--traffic", "bursty"], "traffic must be one of"),
        (["--payload-mb", "two"], "argument --payload-mb: invalid float value: 'two'"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_status_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str
) -> None:
    args = dict(zip(STEADY_FAST[::2], STEADY_FAST[1::2], strict=True))
    args.update(zip(argv[::2], argv[1::2], strict=True))
    status, out, err = run(capsys, "recommend", *[x for pair in args.items() for x in pair])
    assert status == 2 and out == ""
    assert fragment in err
    assert err.count("\n") == 1 and err.startswith("cdk-sagemaker recommend: error: ")


def test_missing_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "recommend", "--payload-mb", "1")
    assert status == 2
    assert "required" in err and err.count("\n") == 1


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "recommend" in out


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys)
    assert status == 2 and out == ""
    assert "recommend" in err


def test_local_group_is_registered_when_its_module_exists(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A stand-in cdk_sagemaker.local.cli shows up in --help and its handler runs."""
    import argparse
    import types

    def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        local = subparsers.add_parser("local", help="run endpoints locally")
        local.set_defaults(func=lambda args: 7)

    package = types.ModuleType("cdk_sagemaker.local")
    package.__path__ = []
    module = types.ModuleType("cdk_sagemaker.local.cli")
    module.register = register  # type: ignore[attr-defined]
    module.__spec__ = importlib_spec("cdk_sagemaker.local.cli")
    monkeypatch.setitem(sys.modules, "cdk_sagemaker.local", package)
    monkeypatch.setitem(sys.modules, "cdk_sagemaker.local.cli", module)

    status, out, _ = run(capsys, "--help")
    assert status == 0 and "local" in out and "recommend" in out
    assert main(["local"]) == 7


def test_local_group_that_fails_to_import_is_reported_on_use(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "broken_local_cli.py").write_text("raise ImportError(\"No module named 'docker'\")\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cli, "_LOCAL_MODULE", "broken_local_cli")
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "local" in out
    status, _, err = run(capsys, "local", "up")
    assert status == 1
    assert "No module named 'docker'" in err
    # recommend keeps working
    assert run(capsys, "recommend", *STEADY_FAST)[0] == 0


def importlib_spec(name: str) -> importlib.machinery.ModuleSpec:
    return importlib.machinery.ModuleSpec(name, loader=None)


def test_python_dash_m_runs_main() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run(
        [sys.executable, "-m", "cdk_sagemaker", "recommend", *STEADY_FAST, "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["construct"] == "RealtimeEndpoint"
