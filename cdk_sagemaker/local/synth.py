"""Synthesize a CDK app into a cloud assembly: an app command (as the CDK CLI runs it) or a Stack object."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path
from typing import Any

from cdk_sagemaker.local.errors import SynthError

_TAIL_LINES = 3


def synth_command(app: str, outdir: str | Path, *, cwd: str | Path | None = None, timeout_s: float = 600.0) -> Path:
    """Run ``app`` (e.g. ``"python3 app.py"``) with ``CDK_OUTDIR=outdir``, as ``cdk synth`` does; return outdir.

    Raises :class:`SynthError` with the last lines of the app's stderr when it fails.
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CDK_OUTDIR": str(out)}
    try:
        completed = subprocess.run(
            shlex.split(app), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
        )
    except FileNotFoundError as error:
        raise SynthError(f"app {app!r} did not run: {error.strerror}: {error.filename}") from None
    except subprocess.TimeoutExpired:
        raise SynthError(f"app {app!r} did not finish in {timeout_s:.0f} s") from None
    if completed.returncode != 0:
        lines = [line.strip() for line in completed.stderr.splitlines() if line.strip() and "!!" not in line]
        tail = " | ".join(lines[-_TAIL_LINES:]) or "no output on stderr"
        raise SynthError(f"app {app!r} failed to synthesize (exit {completed.returncode}): {tail}")
    if not (out / "manifest.json").exists():
        raise SynthError(f"app {app!r} wrote no cloud assembly to {out} (does it call app.synth()?)")
    return out


def synth_stack(stack: Any) -> tuple[Path, str]:
    """Synthesize the app that holds ``stack`` (an ``aws_cdk.Stack``); return (assembly directory, stack name)."""
    assembly = stack.node.root.synth()
    return Path(assembly.directory), str(stack.stack_name)
