"""Write the shapes of the botocore service models that ``cdk_sagemaker._limits`` reads into ``cdk_sagemaker/data``.

``_limits`` reads limits, enums and patterns from botocore's API models. Importing botocore and loading the SageMaker
model costs a few tenths of a second per process (docs/performance.md), more than the rest of a one-endpoint synth's
Python work; the shapes without their documentation are a 90 KB file that loads in milliseconds. Each file records the
botocore version it was made from, and ``_limits`` uses it only when the installed botocore is that version (otherwise
it loads botocore's own model), so the limits always come from the installed botocore.

    python tools/extract_api_shapes.py          # rewrite the files from the installed botocore
    python tools/extract_api_shapes.py --check  # exit 1 when a file differs from what the installed botocore gives

tests/unit/test_limits_data.py runs the check.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "cdk_sagemaker" / "data"
#: The services whose limits the constructs read (``_limits``' ``service=`` arguments).
SERVICES = ("sagemaker", "application-autoscaling", "cloudwatch", "ecr")
_DROPPED = frozenset({"documentation", "documentationUrl"})


def _strip(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _strip(v) for k, v in node.items() if k not in _DROPPED}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def extract(service: str) -> bytes:
    """The gzip file for ``service``: ``{"botocore": version, "service": name, "shapes": {...}}``, deterministic."""
    import botocore
    from botocore.loaders import Loader

    model = Loader().load_service_model(service, "service-2")
    payload = {"botocore": botocore.__version__, "service": service, "shapes": _strip(model["shapes"])}
    raw = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return gzip.compress(raw, compresslevel=9, mtime=0)


def path_of(service: str) -> Path:
    return DATA / f"api-shapes-{service}.json.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for service in SERVICES:
        data, target = extract(service), path_of(service)
        if args.check:
            if not target.exists() or gzip.decompress(target.read_bytes()) != gzip.decompress(data):
                stale.append(str(target))
        else:
            target.write_bytes(data)
            print(f"wrote {target} ({len(data):,} bytes)")
    if stale:
        print("out of date with the installed botocore (run python tools/extract_api_shapes.py):", *stale,
              sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
