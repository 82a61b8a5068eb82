"""Read back the SageMaker endpoints of a deployed stack for the report's endpoint table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.report import EndpointReport, StackReport, Variant


def _template_instance_types(report: StackReport, template: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """``(endpoint config name, variant name) -> instance type`` as the template has them (moto may hold a
    stand-in, see :mod:`cdk_sagemaker.local.workarounds.instance_types`)."""
    wanted: dict[tuple[str, str], str] = {}
    for resource in report.resources:
        if resource.type != "AWS::SageMaker::EndpointConfig":
            continue
        props = template.get("Resources", {}).get(resource.logical_id, {}).get("Properties", {})
        for variant in props.get("ProductionVariants", []) if isinstance(props, dict) else []:
            if isinstance(variant, dict) and isinstance(variant.get("InstanceType"), str):
                key = (resource.physical_id.split("/")[-1], str(variant.get("VariantName")))
                wanted[key] = variant["InstanceType"]
    return wanted


def _variant(described: Mapping[str, Any], live: Mapping[str, Any], *, is_async: bool, template_type: str | None) -> \
        Variant:
    name = described["VariantName"]
    serverless = described.get("ServerlessConfig")
    if serverless:
        return Variant(name=name, kind="serverless", memory_size_mb=serverless.get("MemorySizeInMB"),
                       max_concurrency=serverless.get("MaxConcurrency"))
    count = live.get(name, {}).get("DesiredInstanceCount", described.get("InitialInstanceCount"))
    local_type = described.get("InstanceType")
    instance_type = template_type or local_type
    return Variant(name=name, kind="async" if is_async else "instance", instance_type=instance_type,
                   instance_count=None if count is None else int(count),
                   local_instance_type=local_type if local_type != instance_type else None)


#: The tag ``cdk_sagemaker.constructs.registry`` puts on endpoint configs (kept free of aws-cdk here).
MODEL_VERSION_TAG = "cdk-sagemaker:model-version"


def _template_versions(report: StackReport, template: Mapping[str, Any]) -> dict[str, str]:
    """``endpoint config name -> model version`` from the configs' version tags in the template."""
    found: dict[str, str] = {}
    for resource in report.resources:
        if resource.type != "AWS::SageMaker::EndpointConfig":
            continue
        props = template.get("Resources", {}).get(resource.logical_id, {}).get("Properties", {})
        for tag in props.get("Tags", []) if isinstance(props, dict) else []:
            if isinstance(tag, dict) and tag.get("Key") == MODEL_VERSION_TAG and isinstance(tag.get("Value"), str):
                found[resource.physical_id.split("/")[-1]] = tag["Value"]
    return found


def read_endpoints(sagemaker: Any, report: StackReport, template: Mapping[str, Any]) -> list[EndpointReport]:
    """One entry per SageMaker endpoint of a deployed stack, read back from the SageMaker API."""
    wanted = _template_instance_types(report, template)
    versions = _template_versions(report, template)
    found: list[EndpointReport] = []
    for resource in report.resources:
        if resource.type != "AWS::SageMaker::Endpoint":
            continue
        endpoint = sagemaker.describe_endpoint(EndpointName=resource.physical_id.split("/")[-1])
        config_name = endpoint["EndpointConfigName"]
        config = sagemaker.describe_endpoint_config(EndpointConfigName=config_name)
        live = {variant["VariantName"]: variant for variant in endpoint.get("ProductionVariants", [])}
        variants = tuple(
            _variant(described, live, is_async=bool(config.get("AsyncInferenceConfig")),
                     template_type=wanted.get((config_name, described["VariantName"])))
            for described in config.get("ProductionVariants", []))
        found.append(EndpointReport(stack=report.name, logical_id=resource.logical_id, name=endpoint["EndpointName"],
                                    status=endpoint["EndpointStatus"], config_name=config_name, variants=variants,
                                    model_version=versions.get(config_name)))
    return found
