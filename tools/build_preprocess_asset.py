"""Builds cdk_sagemaker/stacks/assets/preprocess.tar.gz (the pipeline example's first container: code/preprocess.py
and no model) from cdk_sagemaker/stacks/assets/preprocess/. Deterministic: fixed mtimes, owner and order, so the
asset hash changes only when the code does. tests/unit/test_stacks_assets.py checks the archive matches the source."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "cdk_sagemaker" / "stacks" / "assets"
SOURCE = ASSETS / "preprocess"
TARGET = ASSETS / "preprocess.tar.gz"


def build() -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(p for p in SOURCE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            data = path.read_bytes()
            info = tarfile.TarInfo(str(path.relative_to(SOURCE)))
            info.size, info.mtime, info.mode, info.uname, info.gname = len(data), 0, 0o644, "root", "root"
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(raw.getvalue(), mtime=0)


if __name__ == "__main__":
    TARGET.write_bytes(build())
    print(f"wrote {TARGET}")
