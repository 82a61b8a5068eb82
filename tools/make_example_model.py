"""Build ``cdk_sagemaker/stacks/assets/xgboost-model.tar.gz``: a tiny XGBoost model the example stacks deploy.

Trained on synthetic data (y = 2*x0 - x1 + noise, 3 features) so that the prebuilt ``xgboost 1.7-1`` container can
serve it. Saved in XGBoost's legacy binary format, which the 1.7 container loads. Needs ``xgboost-cpu`` and numpy
(not project dependencies): ``pip install xgboost-cpu==2.1.4 numpy`` in a scratch venv, then run this script.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "cdk_sagemaker" / "stacks" / "assets" / "xgboost-model.tar.gz"


def main() -> None:
    import numpy as np
    import xgboost as xgb

    rng = np.random.default_rng(7)
    x = rng.normal(size=(512, 3))
    y = 2 * x[:, 0] - x[:, 1] + rng.normal(scale=0.1, size=512)
    booster = xgb.train({"max_depth": 3, "eta": 0.3, "objective": "reg:squarederror", "seed": 7},
                        xgb.DMatrix(x, label=y), num_boost_round=20)
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / "xgboost-model.deprecated"
        booster.save_model(str(model_file))
        data = model_file.read_bytes()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        info = tarfile.TarInfo("xgboost-model")
        info.size, info.mtime, info.mode = len(data), 0, 0o644
        tar.addfile(info, io.BytesIO(data))
    OUT.write_bytes(gzip.compress(raw.getvalue(), mtime=0))  # byte-stable, so the asset hash is too
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
