"""Workaround: inference components, which moto does not have.

moto 5.2.5 behaviour: its CloudFormation skips ``AWS::SageMaker::InferenceComponent`` (no model, no API), so an output
that refers to one fails the whole stack, and a production variant with no ``ModelName`` (one that hosts
components) fails the endpoint config (``KeyError: 'ModelName'``). The engine drops such outputs and gives each
such variant the model of the stack's first component; both are reported as not emulated. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_has_no_inference_components``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.resolver import references
from cdk_sagemaker.local.workarounds.base import Note

MOTO_ABSENT_TYPES = frozenset({"AWS::SageMaker::InferenceComponent"})
"""Resource types moto's CloudFormation skips and no moto API can make."""


def without_component_outputs(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` without the outputs that refer to a resource of :data:`MOTO_ABSENT_TYPES`."""
    resources = template.get("Resources", {})
    absent = {lid for lid, r in resources.items() if r.get("Type") in MOTO_ABSENT_TYPES}
    if not absent or "Outputs" not in template:
        return dict(template), []
    outputs: dict[str, Any] = {}
    notes: list[Note] = []
    for name, output in template["Outputs"].items():
        if absent & {lid for _, lid in references(output)}:
            notes.append((f"Outputs.{name}", "Output", "refers to a resource type moto does not have"))
        else:
            outputs[name] = output
    body = {key: value for key, value in template.items() if key != "Outputs"}
    return ({**body, "Outputs": outputs} if outputs else body), notes


def variants_serve_first_component_model(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` with each production variant that has no ``ModelName`` given the first component's model."""
    resources = dict(template.get("Resources", {}))
    models = [r["Properties"]["Specification"]["ModelName"] for r in resources.values()
              if r.get("Type") in MOTO_ABSENT_TYPES
              and "ModelName" in r.get("Properties", {}).get("Specification", {})]
    notes: list[Note] = []
    if not models:
        return {**template, "Resources": resources}, notes
    for lid, resource in resources.items():
        props = resource.get("Properties")
        variants = props.get("ProductionVariants") if isinstance(props, dict) else None
        if resource.get("Type") != "AWS::SageMaker::EndpointConfig" or not isinstance(variants, list):
            continue
        changed = []
        for variant in variants:
            if isinstance(variant, dict) and "ModelName" not in variant:
                changed.append({**variant, "ModelName": models[0]})
                notes.append((f"{lid}.{variant.get('VariantName', '?')}", "AWS::SageMaker::EndpointConfig",
                              "hosts inference components, which moto does not have: emulated as a variant "
                              "serving the first component's model"))
            else:
                changed.append(variant)
        resources[lid] = {**resource, "Properties": {**props, "ProductionVariants": changed}}
    return {**template, "Resources": resources}, notes
