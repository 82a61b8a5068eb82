"""Release check: build the sdist and wheel, check their metadata and contents, try the wheel in a fresh virtualenv.

    python tools/release_check.py [--out DIR]

Steps (each raises ``ReleaseCheckError`` with what is wrong):

1. Build. A PEP 517 front end in a few lines, as ``python -m build`` does it, without a new dependency: a build
   virtualenv gets the ``[build-system] requires`` of pyproject.toml from pip (the index, or ``PIP_NO_INDEX=1
   PIP_FIND_LINKS=DIR`` offline), builds the sdist from the checkout, unpacks it and builds the wheel from the
   unpacked sdist, so a file missing from the sdist fails the wheel, not a user.
2. Metadata (what ``twine check`` and PyPI check, by hand): Metadata-Version, Name, Version (= ``__version__``),
   License-Expression and License-File with the file inside both archives, Requires-Python, the aws-cdk-lib range,
   classifiers of the ``A :: B`` form, project URLs, and the long description (README.md as text/markdown, renders).
3. Contents: the shipped data (image catalogue, example model and preprocessing assets, custom resource handlers,
   ``py.typed``) in the wheel.
4. Install: a fresh virtualenv outside the checkout (``--without-pip``; pip of the running interpreter installs the
   wheel into it with ``--python``, ``--no-index --no-deps``). Its dependencies come from the running environment
   through one ``.pth`` line naming that environment's site-packages, after the venv's own site-packages: the wheel's
   files win, nothing is downloaded (aws-cdk-lib is ~80 MB), and ``.pth`` files in that directory (an editable
   install of this checkout) are not processed. The check then asserts that ``cdk_sagemaker`` is imported from the
   venv and that every ``Requires-Dist`` is satisfied there.
5. Use: in that venv, with an empty ``PYTHONPATH`` and a working directory outside the checkout, ``cdk-sagemaker
   --help`` and ``--version`` run, and an app with the pipeline and private-network example stacks synthesizes: they
   need the image catalogue (``data/``), the pipeline's ``preprocess.tar.gz`` (``stacks/assets/``) and the S3
   prefix-list handler (``constructs/handlers/``).
"""

from __future__ import annotations

import argparse
import email.message
import email.parser
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import tomllib
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = "cdk-sagemaker"
PKG = "cdk_sagemaker"
SYNTH_STACKS = ("CdkSagemakerRealtimePipeline", "CdkSagemakerRealtimePrivate")

# Files a user's synth needs at run time: they must be in the wheel.
SHIPPED = (
    f"{PKG}/py.typed",
    f"{PKG}/data/prebuilt_images.json",
    f"{PKG}/data/api-shapes-sagemaker.json.gz",
    f"{PKG}/stacks/assets/preprocess.tar.gz",
    f"{PKG}/stacks/assets/xgboost-model.tar.gz",
    f"{PKG}/constructs/handlers/s3-prefix-list/index.js",
)


class ReleaseCheckError(AssertionError):
    """A release artefact is wrong; the message says which and how."""


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
         timeout: float = 300) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if proc.returncode != 0:
        raise ReleaseCheckError(f"{' '.join(cmd)} exited {proc.returncode}\n--- stdout\n{proc.stdout[-4000:]}"
                                f"\n--- stderr\n{proc.stderr[-4000:]}")
    return proc.stdout


def _clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything that would put the checkout (or another env) on the path."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
    env.update(extra)
    return env


def _venv_python(path: Path) -> Path:
    return path / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")


def _venv_site_packages(python: Path) -> Path:
    out = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=_clean_env())
    return Path(out.strip())


# --- 1. build ------------------------------------------------------------------------------------------------------


def build(root: Path, out: Path, work: Path) -> tuple[Path, Path]:
    """Build the sdist from ``root`` and the wheel from that sdist into ``out``; returns (sdist, wheel)."""
    system = tomllib.loads((root / "pyproject.toml").read_text())["build-system"]
    backend: str = system["build-backend"]
    env_dir = work / "build-env"
    venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
    python = _venv_python(env_dir)
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--disable-pip-version-check",
          *system["requires"]], env=_clean_env())
    out.mkdir(parents=True, exist_ok=True)
    hook = ("import importlib, sys; backend = importlib.import_module(sys.argv[1]); "
            "print(getattr(backend, sys.argv[2])(sys.argv[3]))")
    sdist_name = _run([str(python), "-c", hook, backend, "build_sdist", str(out)], cwd=root,
                      env=_clean_env()).strip().splitlines()[-1]
    sdist = out / sdist_name
    unpacked = work / "sdist"
    with tarfile.open(sdist) as tar:
        tar.extractall(unpacked, filter="data")
    (src,) = list(unpacked.iterdir())
    wheel_name = _run([str(python), "-c", hook, backend, "build_wheel", str(out)], cwd=src,
                      env=_clean_env()).strip().splitlines()[-1]
    return sdist, out / wheel_name


# --- 2./3. metadata and contents -----------------------------------------------------------------------------------


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", text))


def read_wheel_metadata(wheel: Path) -> tuple[email.message.Message, list[str]]:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (meta_name,) = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode())
    return meta, names


def read_sdist_metadata(sdist: Path) -> tuple[email.message.Message, list[str]]:
    with tarfile.open(sdist) as tar:
        names = tar.getnames()
        (pkg_info,) = [n for n in names if re.fullmatch(r"[^/]+/PKG-INFO", n)]
        member = tar.extractfile(pkg_info)
        assert member is not None
        meta = email.parser.Parser().parsestr(member.read().decode())
    return meta, names


def metadata_problems(meta: email.message.Message, *, root: Path, version: str) -> list[str]:
    """What ``twine check`` / PyPI would refuse, and what our package promises (license, ranges, README)."""
    problems: list[str] = []

    def want(field: str, expected: str) -> None:
        if meta.get(field) != expected:
            problems.append(f"{field} must be {expected!r}, got {meta.get(field)!r}")

    if _version_tuple(meta.get("Metadata-Version", "")) < (2, 4):
        problems.append(f"Metadata-Version must be >= 2.4 (License-Expression), got {meta.get('Metadata-Version')!r}")
    want("Name", DIST)
    want("Version", version)
    want("License-Expression", "Apache-2.0")
    if "LICENSE" not in meta.get_all("License-File", []):
        problems.append(f"License-File must list LICENSE, got {meta.get_all('License-File')!r}")
    if meta.get("License") is not None:
        problems.append("License (free text) must be absent next to License-Expression")
    want("Requires-Python", ">=3.11")
    if not meta.get("Summary"):
        problems.append("Summary (description) is empty")
    requires = meta.get_all("Requires-Dist", [])
    cdk = [r for r in requires if re.match(r"aws-cdk-lib\b", r)]
    if not cdk or not all(s in cdk[0] for s in (">=2.275.0", "<3")):
        problems.append(f"Requires-Dist must pin aws-cdk-lib to >=2.275.0,<3, got {cdk!r}")
    classifiers = meta.get_all("Classifier", [])
    if not classifiers:
        problems.append("no Classifier")
    for c in classifiers:
        if not re.fullmatch(r"[A-Z][^:]*[^ :]( :: [^:]*[^ :])+", c):
            problems.append(f"Classifier must be 'Group :: Value ...', got {c!r}")
    for required in ("License :: ",):
        problems.extend(f"Classifier {c!r} duplicates License-Expression (PEP 639 forbids both)"
                        for c in classifiers if c.startswith(required))
    if "Programming Language :: Python :: 3.11" not in classifiers or "Typing :: Typed" not in classifiers:
        problems.append("classifiers must name Python 3.11 and Typing :: Typed")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL", []))
    for label in ("Homepage", "Source", "Issues", "Changelog", "Documentation"):
        if not urls.get(label, "").startswith("https://"):
            problems.append(f"Project-URL {label} must be an https URL, got {urls.get(label)!r}")
    want("Description-Content-Type", "text/markdown")
    body = meta.get_payload()
    if not isinstance(body, str) or body.strip() != (root / "README.md").read_text().strip():
        problems.append("the long description must be README.md")
    else:
        problems.extend(_render_problems(body))
    return problems


def _render_problems(markdown: str) -> list[str]:
    """PyPI renders text/markdown with a CommonMark (GFM) renderer; render with markdown-it-py (CommonMark) when it
    is installed and check that the headings, code blocks and tables survive as HTML."""
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover - markdown-it-py comes with the dev tools (rich)
        return []
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    problems = []
    if "<h1>" not in html or "<pre><code" not in html or "<table>" not in html:
        problems.append("README.md does not render as CommonMark (no heading, code block or table in the HTML)")
    return problems


def contents_problems(wheel_names: list[str], sdist_names: list[str]) -> list[str]:
    problems = [f"wheel lacks {name}" for name in SHIPPED if name not in wheel_names]
    if not any(re.fullmatch(r"[^/]+\.dist-info/licenses/LICENSE", n) for n in wheel_names):
        problems.append("wheel lacks .dist-info/licenses/LICENSE")
    top = {n.split("/", 1)[1] for n in sdist_names if "/" in n}
    wanted = ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", *SHIPPED)
    problems.extend(f"sdist lacks {name}" for name in wanted if name not in top)
    stray = sorted({n.split("/", 1)[0] for n in wheel_names} - {PKG} - {n.split("/", 1)[0] for n in wheel_names
                                                                       if ".dist-info/" in n})
    if stray:
        problems.append(f"wheel has top-level entries besides {PKG}/: {stray}")
    return problems


# --- 4./5. install and use -----------------------------------------------------------------------------------------

_PROBE = r"""
import importlib.metadata as md, json, sys
from packaging.requirements import Requirement
import cdk_sagemaker
dist = md.distribution("cdk-sagemaker")
unmet = []
for text in dist.requires or []:
    req = Requirement(text)
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        continue
    try:
        have = md.version(req.name)
    except md.PackageNotFoundError:
        unmet.append(f"{text} (not installed)")
        continue
    if not req.specifier.contains(have, prereleases=True):
        unmet.append(f"{text} (have {have})")
print(json.dumps({"file": cdk_sagemaker.__file__, "version": cdk_sagemaker.__version__,
                  "dist_version": dist.version, "unmet": unmet}))
"""

_SYNTH = r"""
import json, sys
import aws_cdk as cdk
from cdk_sagemaker.app import build_app
app = build_app(cdk.App(outdir=sys.argv[1], context={"stacks": sys.argv[2]}))
assembly = app.synth()
print(json.dumps([s.stack_name for s in assembly.stacks]))
"""


def install(wheel: Path, work: Path) -> Path:
    """A fresh venv under ``work`` with the wheel installed; returns its python."""
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
    python = _venv_python(env_dir)
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--disable-pip-version-check",
          "--no-index", "--no-deps", str(wheel)], env=_clean_env())
    deps = Path(sysconfig.get_paths()["purelib"])  # the running environment's site-packages (the dependencies)
    (_venv_site_packages(python) / "_release_check_deps.pth").write_text(f"{deps}\n")
    return python


def use(python: Path, work: Path, *, root: Path, version: str) -> dict[str, object]:
    """Import, ``--help``, ``--version`` and a synth in the venv; returns what was seen."""
    cwd = work / "outside"
    cwd.mkdir(exist_ok=True)
    env = _clean_env(CDK_DISABLE_CLI_TELEMETRY="true", JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION="1",
                     JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="20",
                     JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION="1")
    probe = json.loads(_run([str(python), "-c", _PROBE], cwd=cwd, env=env))
    problems: list[str] = []
    installed = Path(probe["file"]).resolve()
    if not installed.is_relative_to(python.parent.parent.resolve()):
        problems.append(f"cdk_sagemaker was imported from {installed}, not from the fresh venv")
    if probe["version"] != version or probe["dist_version"] != version:
        problems.append(f"installed version must be {version}, got {probe['version']} / {probe['dist_version']}")
    problems.extend(f"Requires-Dist not satisfied: {u}" for u in probe["unmet"])
    script = python.parent / ("cdk-sagemaker.exe" if os.name == "nt" else "cdk-sagemaker")
    help_text = _run([str(script), "--help"], cwd=cwd, env=env)
    for command in ("recommend", "lint", "--version"):
        if command not in help_text:
            problems.append(f"cdk-sagemaker --help does not mention {command}")
    version_text = _run([str(script), "--version"], cwd=cwd, env=env).strip()
    if version_text != f"{DIST} {version}":
        problems.append(f"cdk-sagemaker --version must print {DIST} {version!r}, got {version_text!r}")
    outdir = work / "cdk.out"
    stacks = json.loads(_run([str(python), "-c", _SYNTH, str(outdir), ",".join(SYNTH_STACKS)], cwd=cwd, env=env))
    problems.extend(_synth_problems(outdir, stacks, root=root))
    if problems:
        raise ReleaseCheckError("the installed wheel does not work:\n  - " + "\n  - ".join(problems))
    return {"imported_from": str(installed), "help": help_text, "version": version_text, "stacks": stacks,
            "outdir": str(outdir)}


def _synth_problems(outdir: Path, stacks: list[str], *, root: Path) -> list[str]:
    problems: list[str] = []
    if sorted(stacks) != sorted(SYNTH_STACKS):
        return [f"synth must give {list(SYNTH_STACKS)}, got {stacks}"]
    templates = {name: (outdir / f"{name}.template.json").read_text() for name in stacks}
    # The image catalogue: prebuilt images resolve to AWS-owned ECR registries (a region -> account mapping).
    if "dkr.ecr" not in templates["CdkSagemakerRealtimePipeline"]:
        problems.append("the pipeline stack has no prebuilt ECR image (image catalogue missing?)")
    # The file assets staged into the assembly must be byte-equal to the shipped files.
    staged = {p.name: p for p in outdir.iterdir()}
    shipped_assets = {
        "stacks/assets/preprocess.tar.gz": root / PKG / "stacks/assets/preprocess.tar.gz",
        "constructs/handlers/s3-prefix-list/index.js": root / PKG / "constructs/handlers/s3-prefix-list/index.js",
    }
    for label, source in shipped_assets.items():
        data = source.read_bytes()
        found = any((p.is_file() and p.read_bytes() == data)
                    or (p.is_dir() and (p / source.name).is_file() and (p / source.name).read_bytes() == data)
                    for p in staged.values())
        if not found:
            problems.append(f"{label} was not staged as an asset by the synth")
    if "Custom::S3PrefixList" not in templates["CdkSagemakerRealtimePrivate"]:
        problems.append("the private stack has no Custom::S3PrefixList resource")
    return problems


def check(out: Path, work: Path, *, root: Path = ROOT) -> dict[str, object]:
    """Run every step; returns a summary (paths, sizes, what the venv printed)."""
    version = _package_version(root)
    sdist, wheel = build(root, out, work)
    wheel_meta, wheel_names = read_wheel_metadata(wheel)
    sdist_meta, sdist_names = read_sdist_metadata(sdist)
    problems = [f"wheel: {p}" for p in metadata_problems(wheel_meta, root=root, version=version)]
    problems += [f"sdist: {p}" for p in metadata_problems(sdist_meta, root=root, version=version)]
    problems += contents_problems(wheel_names, sdist_names)
    if problems:
        raise ReleaseCheckError("the release artefacts are wrong:\n  - " + "\n  - ".join(problems))
    python = install(wheel, work)
    seen = use(python, work, root=root, version=version)
    return {"sdist": str(sdist), "wheel": str(wheel), "wheel_kb": wheel.stat().st_size // 1024, **seen}


def _package_version(root: Path) -> str:
    match = re.search(r'^__version__ = "([^"]+)"', (root / PKG / "__init__.py").read_text(), re.M)
    if match is None:
        raise ReleaseCheckError(f"{PKG}/__init__.py has no __version__ = \"...\" line")
    return match.group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the sdist and wheel go (dist/)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cdk-sagemaker-release-"))
    try:
        summary = check(args.out, work)
    except ReleaseCheckError as err:
        print(f"release check failed: {err}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"ok: {summary['sdist']}\n    {summary['wheel']} ({summary['wheel_kb']} KB)\n"
          f"    installed in a fresh venv, {summary['version']}, synthesized {', '.join(summary['stacks'])}")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
