"""Workaround: a model with ``Containers`` only (a serial inference pipeline or direct invocation) is given its first
container as ``PrimaryContainer``.

moto 5.2.5 behaviour: its CloudFormation creates ``AWS::SageMaker::Model`` from ``PrimaryContainer`` only and fails
(``KeyError: 'PrimaryContainer'``) on a model that has ``Containers`` instead. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_needs_a_primary_container``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import Note


def first_container_as_primary(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` with each containers-only model given its first container as ``PrimaryContainer``."""
    resources = dict(template.get("Resources", {}))
    notes: list[Note] = []
    for lid, resource in resources.items():
        props = resource.get("Properties")
        if resource.get("Type") != "AWS::SageMaker::Model" or not isinstance(props, dict):
            continue
        containers = props.get("Containers")
        if "PrimaryContainer" not in props and isinstance(containers, list) and containers:
            resources[lid] = {**resource, "Properties": {**props, "PrimaryContainer": containers[0]}}
            notes.append((f"{lid}.Containers", "AWS::SageMaker::Model",
                          f"moto hosts only the first of {len(containers)} containers"))
    return {**template, "Resources": resources}, notes
