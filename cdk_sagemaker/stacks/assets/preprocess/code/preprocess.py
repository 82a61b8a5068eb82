"""Inference script of the pipeline example's first container: turns CSV rows into the feature rows the XGBoost
model (the second container) expects. Runs in SageMaker's XGBoost container in script mode, which imports this
module and calls the functions below (SageMaker XGBoost container, "Use XGBoost as a framework")."""

from __future__ import annotations

import csv
import io

#: The number of features the example model was trained on; longer rows are cut, shorter ones padded with 0.
N_FEATURES = 4


def model_fn(model_dir: str) -> None:
    """This step has no model to load: it only reshapes requests."""
    del model_dir


def input_fn(body: bytes | str, content_type: str) -> list[list[float]]:
    if content_type != "text/csv":
        raise ValueError(f"preprocess accepts text/csv, got {content_type}")
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    return [[float(v) if v.strip() else 0.0 for v in row] for row in csv.reader(io.StringIO(text)) if row]


def predict_fn(rows: list[list[float]], model: None) -> list[list[float]]:
    del model
    return [(row + [0.0] * N_FEATURES)[:N_FEATURES] for row in rows]


def output_fn(rows: list[list[float]], accept: str) -> tuple[str, str]:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue(), "text/csv"
