"""Shared entry point of the per-way benchmark scripts (``way_*.py``).

Every way builds the same job: N real-time endpoints, each one model (one container from an ECR image URI and an
``s3://`` model artifact, no assets), one ``ml.m5.large`` instance, target-tracking auto-scaling between 1 and 4
instances on InvocationsPerInstance (target 600 = 20 rps * 0.5 * 60), a KMS key for the storage volumes where the way
supports one. ``--layout one`` puts all N endpoints in one stack, ``--layout many`` puts each in its own stack.

The script synthesizes the app into ``--outdir`` and prints one JSON line with its in-process phase times; the runner
(``run.py``) measures wall time and memory from outside and reads the templates from ``--outdir``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

# The job every way builds (shared numbers, so the templates are comparable).
IMAGE_ACCOUNT = "683313688378"
IMAGE_REPOSITORY = "sagemaker-xgboost"
IMAGE_TAG = "1.7-1"
IMAGE_URI = f"{IMAGE_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/{IMAGE_REPOSITORY}:{IMAGE_TAG}"
MODEL_BUCKET = "bench-models"
MODEL_KEY = "xgboost/model.tar.gz"
MODEL_URI = f"s3://{MODEL_BUCKET}/{MODEL_KEY}"
INSTANCE_TYPE = "ml.m5.large"
MIN_CAPACITY = 1
MAX_CAPACITY = 4
MAX_RPS = 20
SAFETY_FACTOR = 0.5
TARGET_INVOCATIONS = MAX_RPS * SAFETY_FACTOR * 60  # 600 invocations per instance per minute


class _Counter:
    """Counts jsii kernel requests (Python -> Node round trips) by request type; deterministic, unlike time."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def install(self) -> None:
        from jsii._kernel.providers import process

        original = process._NodeProcess.send
        counts = self.counts

        def send(proc: Any, request: Any, response_type: Any) -> Any:
            name = type(request).__name__.removesuffix("Request")
            counts[name] = counts.get(name, 0) + 1
            return original(proc, request, response_type)

        process._NodeProcess.send = send  # type: ignore[method-assign]

    def total(self) -> int:
        return sum(self.counts.values())


def main(import_way: Callable[[], Callable[[Any, int], None]]) -> None:
    """Parse ``--n``, ``--layout``, ``--outdir``; build and synthesize; print phase times as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, required=True, help="number of endpoints")
    parser.add_argument("--layout", choices=("one", "many"), default="one", help="one stack, or one stack each")
    parser.add_argument("--outdir", required=True, help="cloud assembly directory")
    args = parser.parse_args()

    counter = _Counter()
    counter.install()
    t_start = time.perf_counter()
    import aws_cdk as cdk

    build = import_way()  # the way's own imports (cdk_sagemaker, aws_sagemaker, aws_sagemaker_alpha...)
    t_imported = time.perf_counter()

    app = cdk.App(outdir=args.outdir)
    if args.layout == "one":
        stack = cdk.Stack(app, "Bench")
        for i in range(args.n):
            build(stack, i)
    else:
        for i in range(args.n):
            build(cdk.Stack(app, f"Bench{i}"), i)
    t_built = time.perf_counter()
    calls_built = counter.total()
    app.synth()
    t_synth = time.perf_counter()
    json.dump({
        "import_s": t_imported - t_start,
        "construct_s": t_built - t_imported,
        "synth_s": t_synth - t_built,
        "jsii_calls_construct": calls_built,
        "jsii_calls_synth": counter.total() - calls_built,
        "jsii_calls_by_type": dict(sorted(counter.counts.items())),
    }, sys.stdout)
    sys.stdout.write("\n")
