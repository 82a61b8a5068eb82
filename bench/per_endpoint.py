"""Where one more endpoint's synth time goes, per way: build (the way's construct calls) and synth, wall time and this
Python process's own CPU time (the jsii Node process's share is the rest), and jsii round trips.

One process per way and run: the first endpoint is built untimed (imports, Node warm-up), then ``--n`` more are
built and the app is synthesized, each phase timed. Complements ``run.py`` (whole processes, from outside) with the
split between Python and Node that ``run.py`` cannot see.

Usage::

    python bench/per_endpoint.py                     # 3 runs of 50 endpoints per way, validation off
    python bench/per_endpoint.py --runs 5 --n 50 --validation on
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WAYS = {"cdk_sagemaker": "way_cdk_sagemaker", "hand-written L1": "way_l1", "aws_sagemaker_alpha": "way_alpha"}

_CHILD = r"""
import json, os, resource, sys, tempfile, time
sys.path.insert(0, {here!r})
import _way
counter = _way._Counter()
counter.install()
import aws_cdk as cdk
build = __import__({module!r})._import()
outdir = tempfile.TemporaryDirectory(prefix="per-endpoint-")
app = cdk.App(outdir=outdir.name)
stack = cdk.Stack(app, "Bench")
build(stack, 0)

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

calls0, t0, c0 = counter.total(), time.perf_counter(), cpu()
for i in range(1, {n} + 1):
    build(stack, i)
calls1, t1, c1 = counter.total(), time.perf_counter(), cpu()
app.synth()
t2, c2 = time.perf_counter(), cpu()
outdir.cleanup()
print(json.dumps({{"build_ms": (t1 - t0) * 1000 / {n}, "build_py_cpu_ms": (c1 - c0) * 1000 / {n},
                  "synth_ms": (t2 - t1) * 1000 / {n}, "calls": (calls1 - calls0) / {n}}}))
"""


def run(module: str, n: int, validation: bool) -> dict[str, float]:
    env = {**os.environ, "CDK_VALIDATION": "true" if validation else "false"}
    code = _CHILD.format(here=str(HERE), module=module, n=n)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                          timeout=600)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=50, help="endpoints built after the first (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="runs per way, interleaved (default 3)")
    parser.add_argument("--validation", choices=("off", "on"), default="off")
    args = parser.parse_args()
    samples: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
    for _ in range(args.runs):
        for way, module in WAYS.items():
            samples[way].append(run(module, args.n, args.validation == "on"))
    print(f"Per endpoint, median of {args.runs} runs of {args.n} endpoints (validation {args.validation}, "
          f"load average {os.getloadavg()[0]:.2f}):\n")
    print("| way | jsii calls | build ms | of it Python CPU ms | synth ms |")
    print("|---|---:|---:|---:|---:|")
    for way, runs in samples.items():
        def med(key: str, runs: list[dict[str, float]] = runs) -> float:
            return statistics.median(r[key] for r in runs)
        print(f"| {way} | {med('calls'):.0f} | {med('build_ms'):.1f} | {med('build_py_cpu_ms'):.1f} | "
              f"{med('synth_ms'):.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
