"""Optional dependencies: a helper used without its extra names the ``pip install`` that brings it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cdk_sagemaker._extras import MissingExtraError, require

_BLOCK = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, _Block())
"""


def test_require_names_the_extra() -> None:
    with pytest.raises(MissingExtraError, match=r"the thing needs the no_such_module_xyz package: pip install "
                       r"'cdk-sagemaker\[lint\]'"):
        require("no_such_module_xyz.sub", extra="lint", needed_by="the thing")


def test_require_returns_the_module() -> None:
    assert require("json", extra="test", needed_by="x").dumps([]) == "[]"


@pytest.mark.parametrize(("blocked", "code", "message"), [
    (("cfnlint",), "from cdk_sagemaker.cli import main; sys.exit(main(['lint', 'nothing.json']))",
     "pip install 'cdk-sagemaker[lint]'"),
    (("cfnlint",), "from cdk_sagemaker.rules import run; run({'Resources': {}})",
     "pip install 'cdk-sagemaker[lint]'"),
    (("cdk_nag",), "from cdk_sagemaker.testing._nag import _pack_class; _pack_class('AwsSolutions')",
     "pip install 'cdk-sagemaker[test]'"),
], ids=["lint-command", "rules-run", "nag"])
def test_helpers_without_their_extra_name_it(tmp_path, blocked: tuple[str, ...], code: str, message: str) -> None:
    (tmp_path / "nothing.json").write_text('{"Resources": {}}')
    script = textwrap.dedent(_BLOCK.format(blocked=set(blocked))) + code
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert message in out.stdout + out.stderr
