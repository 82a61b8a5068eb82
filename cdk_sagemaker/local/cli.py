"""``cdk-sagemaker local deploy``: deploy a CDK app or cloud assembly to a local moto server."""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from cdk_sagemaker.local.errors import LocalDeployError


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``local`` command (with its ``deploy`` subcommand) to an argparse subparsers object."""
    local = subparsers.add_parser("local", help="deploy to a local AWS (moto), offline")
    commands = local.add_subparsers(dest="local_command", metavar="COMMAND", required=True)
    deploy = commands.add_parser(
        "deploy",
        help="synthesize (or read) a CDK app and deploy its stacks to moto",
        description="Deploy CDK stacks to a local moto server; prints a summary table on stdout.",
    )
    source = deploy.add_mutually_exclusive_group()
    source.add_argument("--app", help='command that synthesizes the app, e.g. "python3 app.py" (default: cdk.json)')
    source.add_argument("--assembly", metavar="DIR", help="an existing cloud assembly directory, e.g. cdk.out")
    deploy.add_argument("--stack", action="append", metavar="NAME", help="stack name or pattern (repeatable)")
    deploy.add_argument("--keep-running", action="store_true", help="keep the server running until Ctrl-C")
    deploy.add_argument("--port", type=int, help="server port on 127.0.0.1 (default: a free port)")
    deploy.set_defaults(func=run_deploy)
    parser: argparse.ArgumentParser = local
    return parser


def _app_from_cdk_json() -> str | None:
    import json

    path = Path("cdk.json")
    if not path.exists():
        return None
    app = json.loads(path.read_text()).get("app")
    return str(app) if app else None


def run_deploy(args: argparse.Namespace, *, stop: threading.Event | None = None) -> int:
    """Handler of ``local deploy``; returns the exit code. ``stop`` ends ``--keep-running`` (for tests)."""
    try:
        from cdk_sagemaker.local import LocalAws, MotoServer
        from cdk_sagemaker.local.assembly import read_assembly, select_stacks
        from cdk_sagemaker.local.synth import synth_command

        with tempfile.TemporaryDirectory(prefix="cdk-sagemaker-synth-") as scratch:
            if args.assembly:
                assembly = Path(args.assembly)
            else:
                app = args.app or _app_from_cdk_json()
                if app is None:
                    raise LocalDeployError("no --app, no --assembly and no cdk.json with an 'app' here")
                assembly = synth_command(app, scratch)
            select_stacks(read_assembly(assembly), args.stack)  # bad input fails before the server starts
            with MotoServer(args.port) as server:
                aws = LocalAws(server.endpoint_url, progress=sys.stderr)
                report = aws.deploy(assembly_dir=assembly, stacks=args.stack)
                print(report.format(), flush=True)
                if args.keep_running:
                    _wait(aws, stop)
        return 0
    except LocalDeployError as error:
        if error.report is not None and error.report.stacks:
            print(error.report.format(), flush=True)
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # anything else the local AWS threw (e.g. an HTTP 500): one line, not a traceback
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"error: the local AWS failed unexpectedly ({type(error).__name__}): {message}", file=sys.stderr)
        return 1


def _wait(aws: Any, stop: threading.Event | None) -> None:
    print(f"\nLocal AWS running at {aws.endpoint_url}; in another shell:", file=sys.stderr)
    for name, value in aws.environment().items():
        print(f"export {name}={value}", flush=True)
    print("Press Ctrl-C to stop.", file=sys.stderr, flush=True)
    event = stop or threading.Event()
    try:
        while not event.wait(0.5):
            pass
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
