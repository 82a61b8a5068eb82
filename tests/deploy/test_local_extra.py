"""``cdk_sagemaker`` imports without the ``local`` extra; using the local engine then names the extra to install."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.deploy]

_SCRIPT = """
import importlib.abc, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "moto":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, Block())
import cdk_sagemaker, cdk_sagemaker.local, cdk_sagemaker.testing
from cdk_sagemaker.local import ServerError, local_aws
for server in (True, False):
    try:
        with local_aws(server=server):
            print("started without moto")
    except ServerError as error:
        print(error)
"""


def test_local_engine_without_moto_names_the_extra() -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    done = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines == ["moto is not installed (No module named 'moto'); install the extra: "
                     "pip install 'cdk-sagemaker[local]'"] * 2
