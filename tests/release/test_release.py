"""The release: sdist and wheel build, carry the right metadata and files, and work in a fresh virtualenv.

The full check (``tools/release_check.py``) is marked ``release`` (~20-30 s: a build venv, two builds, a fresh venv,
one synth): ``make test`` runs it; ``pytest -m "not release"`` skips it locally. The checks' own logic is tested
below on hand-made metadata, so each check is known to fail when its subject is wrong.
"""

from __future__ import annotations

import email.message
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import cdk_sagemaker
from cdk_sagemaker import cli

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:  # tools/ is not a package: load the check by path
    spec = importlib.util.spec_from_file_location("release_check", ROOT / "tools" / "release_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses/pickling look modules up by name
    spec.loader.exec_module(module)
    return module


rc = _tool()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    work = tmp_path_factory.mktemp("release")
    return dict(rc.check(work / "dist", work, root=ROOT))


@pytest.mark.release
def test_wheel_installs_and_works_in_a_fresh_venv(release: dict[str, object]) -> None:
    assert Path(str(release["wheel"])).name == f"cdk_sagemaker-{cdk_sagemaker.__version__}-py3-none-any.whl"
    assert Path(str(release["sdist"])).name == f"cdk_sagemaker-{cdk_sagemaker.__version__}.tar.gz"
    # Imported from the venv, not from this checkout.
    assert not Path(str(release["imported_from"])).is_relative_to(ROOT)
    assert release["version"] == f"cdk-sagemaker {cdk_sagemaker.__version__}"
    assert "recommend" in str(release["help"]) and "lint" in str(release["help"])
    assert sorted(release["stacks"]) == sorted(rc.SYNTH_STACKS)  # type: ignore[call-overload]


@pytest.mark.release
def test_built_metadata_is_complete(release: dict[str, object]) -> None:
    meta, names = rc.read_wheel_metadata(Path(str(release["wheel"])))
    assert rc.metadata_problems(meta, root=ROOT, version=cdk_sagemaker.__version__) == []
    license_in_wheel = next(n for n in names if n.endswith(".dist-info/licenses/LICENSE"))
    import zipfile

    with zipfile.ZipFile(str(release["wheel"])) as zf:
        assert zf.read(license_in_wheel) == (ROOT / "LICENSE").read_bytes()


# --- the checks themselves (fast, unmarked) -------------------------------------------------------------------------


def _good_metadata() -> email.message.Message:
    meta = email.message.Message()
    for field, value in [
        ("Metadata-Version", "2.4"), ("Name", "cdk-sagemaker"), ("Version", "0.3.0"),
        ("Summary", "CDK constructs"), ("License-Expression", "Apache-2.0"), ("License-File", "LICENSE"),
        ("Requires-Python", ">=3.11"), ("Requires-Dist", "aws-cdk-lib<3,>=2.275.0"),
        ("Classifier", "Programming Language :: Python :: 3.11"), ("Classifier", "Typing :: Typed"),
        ("Description-Content-Type", "text/markdown"),
    ]:
        meta[field] = value
    for label in ("Homepage", "Source", "Issues", "Changelog", "Documentation"):
        meta["Project-URL"] = f"{label}, https://github.com/cdk-sagemaker/cdk-sagemaker"
    meta.set_payload((ROOT / "README.md").read_text())
    return meta


def test_metadata_check_accepts_complete_metadata() -> None:
    assert rc.metadata_problems(_good_metadata(), root=ROOT, version="0.3.0") == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("Metadata-Version", "2.1", "Metadata-Version must be >= 2.4"),
    ("License-Expression", None, "License-Expression must be 'Apache-2.0'"),
    ("License-File", None, "License-File must list LICENSE"),
    ("Requires-Python", ">=3.8", "Requires-Python must be '>=3.11'"),
    ("Requires-Dist", "aws-cdk-lib>=2.0", "aws-cdk-lib to >=2.275.0,<3"),
    ("Version", "0.1.0", "Version must be '0.3.0'"),
    ("Classifier", "Typing :: Typed :: ", "Classifier must be"),
    ("Description-Content-Type", "text/x-rst", "Description-Content-Type must be 'text/markdown'"),
])
def test_metadata_check_names_what_is_wrong(field: str, value: str | None, message: str) -> None:
    meta = _good_metadata()
    del meta[field]
    if value is not None:
        meta[field] = value
    problems = rc.metadata_problems(meta, root=ROOT, version="0.3.0")
    assert any(message in p for p in problems), problems


def test_metadata_check_wants_the_readme_as_description() -> None:
    meta = _good_metadata()
    meta.set_payload("# something else\n")
    assert "the long description must be README.md" in rc.metadata_problems(meta, root=ROOT, version="0.3.0")


def test_contents_check_names_missing_data_and_license() -> None:
    wheel = [f"{n}" for n in rc.SHIPPED if not n.endswith("index.js")] + ["cdk_sagemaker-0.3.0.dist-info/METADATA"]
    sdist = ["cdk_sagemaker-0.3.0/README.md", "cdk_sagemaker-0.3.0/pyproject.toml"]
    problems = rc.contents_problems(wheel, sdist)
    assert "wheel lacks cdk_sagemaker/constructs/handlers/s3-prefix-list/index.js" in problems
    assert "wheel lacks .dist-info/licenses/LICENSE" in problems
    assert "sdist lacks LICENSE" in problems and "sdist lacks CHANGELOG.md" in problems


def test_license_is_the_apache_2_text() -> None:
    text = (ROOT / "LICENSE").read_text()
    assert text.strip().startswith("Apache License\n                           Version 2.0, January 2004")
    assert "END OF TERMS AND CONDITIONS" in text and "APPENDIX: How to apply the Apache License" in text
    assert len(re.findall(r"^\s+\d+\. [A-Z]", text, re.M)) == 9  # sections 1-9


# --- version: one source -----------------------------------------------------------------------------------------


def test_version_is_read_from_the_package(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cdk-sagemaker {cdk_sagemaker.__version__}"
    assert cdk_sagemaker.__version__ == "0.3.0"
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and 'version = {attr = "cdk_sagemaker.__version__"}' in pyproject
    changelog = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## \[([^\]]+)\]", changelog, re.M)
    assert first is not None and first.group(1) == cdk_sagemaker.__version__, "CHANGELOG.md must start with it"
