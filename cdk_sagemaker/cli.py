"""The ``cdk-sagemaker`` console command (also ``python -m cdk_sagemaker``).

Subcommands register themselves on the argparse subparsers and set ``func`` (``Namespace -> int``) as a default.
``recommend`` and ``lint`` live here; the ``local`` group comes from ``cdk_sagemaker.local.cli`` when that module is
present.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from cdk_sagemaker import __version__
from cdk_sagemaker.chooser import (
    Latency,
    NoInferenceOptionFits,
    Recommendation,
    Traffic,
    recommend_inference_option,
)
from cdk_sagemaker.errors import ValidationError

__all__ = ["build_parser", "main"]

PROG = "cdk-sagemaker"
_LOCAL_MODULE = "cdk_sagemaker.local.cli"

EXIT_OK = 0
EXIT_NO_FIT = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser: ``recommend``, ``lint`` and any optional command groups that are installed."""
    parser = _Parser(prog=PROG, description="AWS CDK constructs for Amazon SageMaker inference: helper commands.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}",
                        help="print the version of cdk-sagemaker and exit")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _register_recommend(subparsers)
    _register_lint(subparsers)
    _register_local(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console command; returns the exit status (0 ok, 1 no option fits, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed by _Parser.error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    status: int = func(args)
    return status


# --- recommend -----------------------------------------------------------------------------------------------------


def _choices(enum: type[Latency] | type[Traffic]) -> str:
    return ", ".join(m.value for m in enum)


def _register_recommend(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    p = subparsers.add_parser(
        "recommend",
        help="recommend an inference option (real-time, serverless, async, batch transform) for a workload",
        description="Recommend a SageMaker inference option and the cdk_sagemaker construct that deploys it.",
    )
    p.add_argument("--payload-mb", type=float, required=True, help="size of one request in MB")
    p.add_argument("--processing-seconds", type=float, required=True, help="model time for one request")
    p.add_argument("--latency", required=True, help=f"how long a caller can wait: {_choices(Latency)}")
    p.add_argument("--traffic", required=True, help=f"shape of the request stream: {_choices(Traffic)}")
    p.add_argument(
        "--no-response-per-request",
        dest="needs_response_per_request",
        action="store_false",
        help="callers do not need an answer for each request (offline scoring)",
    )
    p.add_argument(
        "--tolerates-cold-start",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="whether an occasional slow first request is acceptable (default: yes unless --latency milliseconds)",
    )
    p.add_argument("--gpu", dest="needs_gpu", action="store_true", help="the model needs a GPU")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=_run_recommend)


def _run_recommend(args: argparse.Namespace) -> int:
    try:
        rec = recommend_inference_option(
            payload_mb=args.payload_mb,
            processing_seconds=args.processing_seconds,
            latency=args.latency,
            traffic=args.traffic,
            needs_response_per_request=args.needs_response_per_request,
            tolerates_cold_start=args.tolerates_cold_start,
            needs_gpu=args.needs_gpu,
        )
    except ValidationError as exc:
        print(f"{PROG} recommend: error: {'; '.join(exc.problems)}", file=sys.stderr)
        return EXIT_USAGE
    except NoInferenceOptionFits as exc:
        print(json.dumps(exc.to_dict(), indent=2) if args.json else _format_no_fit(exc))
        return EXIT_NO_FIT
    print(json.dumps(rec.to_dict(), indent=2) if args.json else _format_recommendation(rec))
    return EXIT_OK


def _bullets(title: str, items: Sequence[str]) -> list[str]:
    return [title, *(f"  - {item}" for item in items)] if items else []


def _format_recommendation(rec: Recommendation) -> str:
    lines = [f"Recommended: {rec.option.label} ({rec.option.value})", f"Construct:   {rec.construct}"]
    lines += _bullets("Why:", rec.reasons)
    lines += _bullets("Alternatives:", [f"{a.construct} ({a.option.value}) {a.when}" for a in rec.alternatives])
    lines += _bullets("Warnings:", rec.warnings)
    return "\n".join(lines)


def _format_no_fit(exc: NoInferenceOptionFits) -> str:
    lines = ["No SageMaker inference option fits this workload as stated."]
    lines += _bullets("Why:", exc.reasons)
    lines += _bullets("What to do:", exc.suggestions)
    return "\n".join(lines)


# --- lint ----------------------------------------------------------------------------------------------------------

EXIT_FINDINGS = 1


def _register_lint(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    p = subparsers.add_parser(
        "lint",
        help="check CloudFormation templates (files or cdk.out folders) with cfn-lint and the readiness rules",
        description="Run cfn-lint with the cdk-sagemaker deploy-readiness rules (docs/readiness-rules.md) over "
                    "templates: JSON/YAML files, or cloud assembly folders (cdk.out: the stacks of manifest.json, "
                    "else every *.template.json). Prints one line per finding "
                    "(file:line:column:end-line:end-column:rule:message); exit 0 when clean, 1 on any finding, 2 on "
                    "bad input.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="template files or cloud assembly folders")
    p.add_argument("--rules-dir", action="store_true",
                   help="print the folder to pass to `cfn-lint --append-rules` and exit")
    p.add_argument("--readiness-only", action="store_true",
                   help="run only the readiness rules, not cfn-lint's own rules")
    p.add_argument("--regions", nargs="+", default=["us-east-1"], metavar="REGION",
                   help="regions to check the templates for (default: us-east-1)")
    p.add_argument("--ignore-checks", nargs="+", default=[], metavar="RULE",
                   help="rule ids (or prefixes, as in cfn-lint) to leave out")
    p.set_defaults(func=_run_lint)


def _assembly_templates(folder: Path) -> Iterator[Path]:
    """The stack templates of a cloud assembly (``manifest.json``, nested stage assemblies included), or every
    ``*.template.json`` of a folder without a manifest."""
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        yield from sorted(folder.glob("*.template.json"))
        return
    artifacts = json.loads(manifest.read_text(encoding="utf-8")).get("artifacts", {})
    for artifact in artifacts.values():
        props = artifact.get("properties", {})
        if artifact.get("type") == "aws:cloudformation:stack" and props.get("templateFile"):
            yield folder / props["templateFile"]
        elif artifact.get("type") == "cdk:cloud-assembly" and props.get("directoryName"):
            yield from _assembly_templates(folder / props["directoryName"])


def _lint_targets(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = list(_assembly_templates(path))
            if not found:
                problems.append(f"{raw}: no templates (no manifest.json stacks, no *.template.json)")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{raw}: no such file or folder")
    return files, problems


def _lint_file(path: Path, regions: list[str], ignore: list[str], readiness_only: bool) -> list[Any]:
    from cdk_sagemaker.rules import lint_all, run

    matches = run(path, regions=regions) if readiness_only else lint_all(path, regions=regions)
    return [m for m in matches if not any(m.rule.id.startswith(i) for i in ignore)]


def _run_lint(args: argparse.Namespace) -> int:
    from cdk_sagemaker.rules import rules_dir

    if args.rules_dir:
        print(rules_dir())
        return EXIT_OK
    if not args.paths:
        print(f"{PROG} lint: error: give at least one template file or cdk.out folder (see --help)", file=sys.stderr)
        return EXIT_USAGE
    files, problems = _lint_targets(args.paths)
    for problem in problems:
        print(f"{PROG} lint: error: {problem}", file=sys.stderr)
    if problems:
        return EXIT_USAGE
    count = 0
    for path in files:
        for m in _lint_file(path, list(args.regions), list(args.ignore_checks), args.readiness_only):
            count += 1
            message = str(m.message).replace("\n", " ")
            print(f"{path}:{m.linenumber}:{m.columnnumber}:{m.linenumberend}:{m.columnnumberend}:{m.rule.id}:{message}")
    return EXIT_FINDINGS if count else EXIT_OK


# --- local (optional, another module) ------------------------------------------------------------------------------


def _register_local(subparsers: argparse._SubParsersAction[_Parser]) -> None:
    """Register the ``local`` group from ``cdk_sagemaker.local.cli`` if that module is installed."""
    try:
        spec = importlib.util.find_spec(_LOCAL_MODULE)
    except ModuleNotFoundError:  # the parent package cdk_sagemaker.local is absent
        spec = None
    if spec is None:
        return
    try:
        module = importlib.import_module(_LOCAL_MODULE)
    except ImportError as exc:  # present but broken (e.g. a missing optional dependency): say so on use only
        _register_unavailable(subparsers, "local", exc)
        return
    module.register(subparsers)


def _register_unavailable(subparsers: argparse._SubParsersAction[_Parser], name: str, exc: ImportError) -> None:
    p = subparsers.add_parser(name, help=f"(unavailable: {exc})", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)

    def unavailable(_: argparse.Namespace) -> int:
        print(f"{PROG} {name}: error: this command cannot load: {exc}", file=sys.stderr)
        return EXIT_NO_FIT

    p.set_defaults(func=unavailable)
