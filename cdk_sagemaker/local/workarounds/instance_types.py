"""Workaround: production variants on instance types moto does not list are deployed on a stand-in.

moto 5.2.5 behaviour: ``FakeEndpointConfig.validate_instance_type`` accepts a fixed list of 66 types (no ``ml.g5``,
``ml.g6``, ``ml.p4d``, ``ml.p5``, ``ml.inf2``, ``ml.trn1``, ``ml.m7i``, ...) and rejects an endpoint config on any
other. The engine deploys such a variant on a listed type of the same accelerator kind and the nearest size, and
reports it. Checked by ``tests/deploy/test_moto_workarounds.py::test_moto_rejects_newer_instance_types``.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib.metadata
import re
from collections.abc import Collection, Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import Note


@functools.cache
def moto_instance_types() -> frozenset[str]:
    """The instance types moto's SageMaker accepts in an endpoint config's production variants, read from moto itself.

    moto keeps the list inside ``FakeEndpointConfig.validate_instance_type`` (5.2.5 lists 66 types: no g5, g6, p4d,
    p5, inf2, trn1, ...) and names it in the error it raises for any other type, so it is read from that error.
    Empty when moto is not installed or words the error differently (then nothing is replaced).
    """
    try:
        from moto.sagemaker.models import FakeEndpointConfig
    except ImportError:
        return frozenset()
    try:
        FakeEndpointConfig.validate_instance_type(None, "ml.cdk-sagemaker-probe")  # type: ignore[arg-type]
    except Exception as error:  # moto.sagemaker.exceptions.ValidationError
        found = re.search(r"enum value set: (\[[^\]]*\])", str(getattr(error, "message", error)))
        if found:
            with contextlib.suppress(ValueError, SyntaxError):
                return frozenset(str(t) for t in ast.literal_eval(found[1]))
    return frozenset()


_SIZES = ("medium", "large", "xlarge")


def _size_rank(size: str) -> int:
    """``medium`` < ``large`` < ``xlarge`` < ``2xlarge`` < ... < ``48xlarge`` (``metal`` last)."""
    if size in _SIZES:
        return _SIZES.index(size)
    number = re.match(r"^(\d+)xlarge$", size)
    return 2 + int(number[1]) if number else 1000


def _accelerator(family: str) -> str:
    """``gpu`` (g*, p* families), ``neuron`` (inf*, trn*) or ``cpu``: what a stand-in must share."""
    if family.startswith(("inf", "trn")):
        return "neuron"
    if family.startswith(("g", "p")):
        return "gpu"
    return "cpu"


def stand_in_instance_type(instance_type: str, known: Collection[str]) -> str | None:
    """A type from ``known`` (moto's list) to deploy ``instance_type`` on locally: the same kind of accelerator
    (GPU, Neuron, none), preferably the same family letter, then the newest such family, then the nearest size
    (``ml.g5.2xlarge`` -> ``ml.g4dn.2xlarge``, ``ml.trn1.32xlarge`` -> ``ml.inf1.24xlarge``,
    ``ml.m7i.large`` -> ``ml.m5.large``). ``None`` when nothing of that kind is known."""
    family, _, size = instance_type.removeprefix("ml.").partition(".")
    kind = _accelerator(family)

    def score(candidate: str) -> tuple[int, int, int, int, str]:
        cfamily, _, csize = candidate.removeprefix("ml.").partition(".")
        generation = re.search(r"\d+", cfamily)
        return (cfamily[0] != family[:1], len(cfamily), -int(generation[0]) if generation else 0,
                abs(_size_rank(csize) - _size_rank(size)), candidate)

    candidates = [t for t in known if t.startswith("ml.") and _accelerator(t[3:].partition(".")[0]) == kind]
    return min(candidates, key=score) if candidates else None


def _moto_version() -> str:
    try:
        return importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - moto is needed to get here
        return "?"


def stand_in_types(template: Mapping[str, Any], *, known: Collection[str] | None = None) -> tuple[
        dict[str, Any], list[Note]]:
    """``template`` with each variant on a type moto does not list (``known``, default :func:`moto_instance_types`)
    moved to its stand-in (:func:`stand_in_instance_type`)."""
    known = moto_instance_types() if known is None else known
    resources = dict(template.get("Resources", {}))
    notes: list[Note] = []
    for lid, resource in resources.items():
        props = resource.get("Properties")
        variants = props.get("ProductionVariants") if isinstance(props, dict) else None
        if resource.get("Type") != "AWS::SageMaker::EndpointConfig" or not known or not isinstance(variants, list):
            continue
        changed = []
        for variant in variants:
            wanted = variant.get("InstanceType") if isinstance(variant, dict) else None
            stand_in = (stand_in_instance_type(wanted, known)
                        if isinstance(wanted, str) and wanted not in known else None)
            if stand_in is None:
                changed.append(variant)
                continue
            changed.append({**variant, "InstanceType": stand_in})
            notes.append((f"{lid}.{variant.get('VariantName', '?')}.InstanceType", "AWS::SageMaker::EndpointConfig",
                          f"moto {_moto_version()} does not know instance type {wanted}: deployed locally on the "
                          f"stand-in {stand_in}"))
        resources[lid] = {**resource, "Properties": {**props, "ProductionVariants": changed}}
    return {**template, "Resources": resources}, notes
