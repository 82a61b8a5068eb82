"""The ``cdk-sagemaker`` console command (also ``python -m cdk_sagemaker``).

Subcommands register themselves on the argparse subparsers and set ``func`` (``Namespace -> int``) as a default.
``recommend`` lives here; the ``local`` group comes from ``cdk_sagemaker.local.cli`` when that module is present.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

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
    """The full parser: ``recommend`` plus any optional command groups that are installed."""
    parser = _Parser(prog=PROG, description="AWS CDK constructs for Amazon SageMaker inference: helper commands.")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    _register_recommend(subparsers)
    _register_local(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the console command; returns the exit status (0 ok, 1 no option fits, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed by _Parser.error
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
