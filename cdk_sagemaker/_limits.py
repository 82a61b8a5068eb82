"""Limits and enums from the API models that ship in botocore.

Nothing here is copied by hand: every number or allowed value is read from a botocore service model (``sagemaker``
unless a function is given another ``service``, e.g. ``"application-autoscaling"`` or ``"cloudwatch"``), loaded once
per process on first use (not at import). The shapes of the services used most come from a copy made by
``tools/extract_api_shapes.py`` when the installed botocore is the version it was made from (the same data, without
importing botocore).
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["bounds", "check_range", "enum", "list_bounds", "matches", "member_bounds", "pattern", "range_text", "shape"]


_SAGEMAKER = "sagemaker"


@functools.cache
def _installed_botocore() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("botocore")
    except PackageNotFoundError:
        return None


def _shipped_shapes(service: str, botocore_version: str | None) -> dict[str, Any] | None:
    """The service's shapes from ``data/api-shapes-<service>.json.gz`` (written by tools/extract_api_shapes.py from
    botocore, without documentation) when that file was made from ``botocore_version``, else None."""
    import gzip
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parent / "data" / f"api-shapes-{service}.json.gz"
    if not path.is_file():
        return None
    payload: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    if payload.get("botocore") != botocore_version:
        return None
    shapes: dict[str, Any] = payload["shapes"]
    return shapes


@functools.cache
def _shapes(service: str = _SAGEMAKER) -> dict[str, Any]:
    # Importing botocore and loading its SageMaker model takes tenths of a second per process; the same shapes made
    # from the same botocore version load in milliseconds (docs/performance.md).
    shipped = _shipped_shapes(service, _installed_botocore())
    if shipped is not None:
        return shipped
    from botocore.loaders import Loader

    model: dict[str, Any] = Loader().load_service_model(service, "service-2")
    shapes: dict[str, Any] = model["shapes"]
    return shapes


def shape(name: str, *, service: str = _SAGEMAKER) -> dict[str, Any]:
    """The raw botocore shape ``name`` of ``service`` (raises ``KeyError`` for an unknown shape)."""
    found: dict[str, Any] = _shapes(service)[name]
    return found


@functools.cache
def enum(shape_name: str, *, service: str = _SAGEMAKER) -> frozenset[str]:
    """The allowed values of an enum shape, for example ``enum("ProductionVariantInstanceType")``."""
    values = shape(shape_name, service=service).get("enum")
    if not values:
        raise KeyError(f"botocore shape {shape_name} of {service} is not an enum")
    return frozenset(values)


@functools.cache
def bounds(shape_name: str, *, service: str = _SAGEMAKER) -> tuple[float | None, float | None]:
    """``(min, max)`` of a numeric shape (``None`` where the model sets no bound)."""
    s = shape(shape_name, service=service)
    return s.get("min"), s.get("max")


@functools.cache
def member_bounds(structure: str, member: str) -> tuple[float | None, float | None]:
    """``(min, max)`` of the shape behind ``structure.member``, e.g. ``("ProductionVariant", "VolumeSizeInGB")``."""
    target = shape(structure)["members"][member]["shape"]
    s = shape(target)
    if s.get("type") == "list":
        return s.get("min"), s.get("max")
    return bounds(target)


def list_bounds(shape_name: str) -> tuple[int | None, int | None]:
    """``(min, max)`` length of a list shape, e.g. ``list_bounds("ContainerDefinitionList")``."""
    s = shape(shape_name)
    return s.get("min"), s.get("max")


def check_range(value: float, lo: float | None, hi: float | None) -> bool:
    """True when ``lo <= value <= hi`` (a missing bound does not constrain)."""
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def range_text(lo: float | None, hi: float | None) -> str:
    """``"between 1 and 10"``-style text for a message."""
    def fmt(v: float | None) -> str:
        return str(int(v)) if v is not None and float(v).is_integer() else str(v)

    if lo is not None and hi is not None:
        return f"between {fmt(lo)} and {fmt(hi)}"
    if lo is not None:
        return f"at least {fmt(lo)}"
    if hi is not None:
        return f"at most {fmt(hi)}"
    return "any value"


@functools.cache
def pattern(shape_name: str, *, service: str = _SAGEMAKER) -> str | None:
    """The regular expression a string shape must match in full (``None`` where the model has none)."""
    found: str | None = shape(shape_name, service=service).get("pattern")
    return found


def matches(shape_name: str, value: str, *, service: str = _SAGEMAKER) -> bool:
    """True when ``value`` fits the string shape's length bounds and (full-match) pattern."""
    import re

    s = shape(shape_name, service=service)
    if not check_range(len(value), s.get("min"), s.get("max")):
        return False
    regex = s.get("pattern")
    return regex is None or re.fullmatch(regex, value) is not None
