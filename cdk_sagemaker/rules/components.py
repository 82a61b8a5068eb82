"""Readiness rules 9450-9479: inference components, managed instance scaling, the newer variant fields and large-model
hosting (uncompressed model data, LLM containers).

Scale-to-zero set-up (MinInstanceCount 0, the scale-out step policy) is W9408 in scaling.py; a component's variant
(E9806) and ManagedInstanceScaling bounds (E9807) are in endpoints.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker import _llm
from cdk_sagemaker._instances import accelerator_of, family
from cdk_sagemaker.rules._facts import is_gpu, is_neuron
from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import (
    Template,
    config_of_endpoint,
    containers,
    find_string,
    get,
    model_uses,
    number,
    props,
    resource,
    resources,
    target,
    variant_named,
    variants,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "components"]
_IC = "AWS::SageMaker::InferenceComponent"
_ZERO_URL = "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html"
_PV_URL = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html"


def _variant_of(t: Template, ic: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The production variant of the endpoint config an inference component runs on, when the template has it."""
    ep_id = target(ic.get("EndpointName"))
    cfg_id = config_of_endpoint(t, resource(t, ep_id) or {}) if ep_id else None
    return variant_named(resource(t, cfg_id), ic.get("VariantName")) if cfg_id else None


def _instance_type(variant: Mapping[str, Any] | None) -> str | None:
    value = (variant or {}).get("InstanceType")
    return value if isinstance(value, str) else None


def _specs(ic: Mapping[str, Any]) -> Iterator[tuple[list[str | int], Mapping[str, Any]]]:
    """``(path under Properties, spec)`` of the component's ``Specification`` and each of ``Specifications``."""
    spec = ic.get("Specification")
    if isinstance(spec, Mapping):
        yield ["Specification"], spec
    for i, s in enumerate(ic.get("Specifications") or []):
        if isinstance(s, Mapping):
            yield ["Specifications", i], s


class ComponentCreatedWithZeroCopies(TemplateRule, CloudFormationLintRule):
    """An inference component is created with at least one copy: the scale-to-zero procedure registers an in-service
    component with ``MinCapacity`` 0 and lets auto scaling take it to zero; a template that creates it with
    ``RuntimeConfig.CopyCount`` 0 has nothing to start the first copy (and, with no copies, nothing invokes it to
    trigger a scale-out). Source: "Scale an endpoint to zero instances", https://docs.aws.amazon.com/sagemaker/latest/
    dg/endpoint-auto-scaling-zero-instances.html ("Before you begin": the endpoint is in service)."""

    id = "E9450"
    shortdesc = "Inference component created with zero copies"
    description = "RuntimeConfig.CopyCount must be at least 1 when the component is created; scale to zero instead"
    source_url = _ZERO_URL
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ic_id, ic in resources(t, _IC):
            p = props(ic)
            if get(p, "Specification", "BaseInferenceComponentName") is not None:
                continue  # an adapter runs on its base component's copies
            if number(get(p, "RuntimeConfig", "CopyCount")) == 0:
                yield RuleMatch(["Resources", ic_id, "Properties", "RuntimeConfig", "CopyCount"],
                                f"Inference component {ic_id} is created with CopyCount 0; create it with at least "
                                "1 copy and let auto scaling (MinCapacity 0) take it to zero")


class ManagedScalingToZeroWithModel(TemplateRule, CloudFormationLintRule):
    """Only an endpoint that hosts inference components can scale to and from zero instances: a variant that serves a
    model itself (``ModelName``) with ``ManagedInstanceScaling.MinInstanceCount`` 0 is rejected. Source: "Scale an
    endpoint to zero instances" ("An endpoint can scale to and from zero instances only if it hosts inference
    components"), https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html."""

    id = "E9451"
    shortdesc = "Managed instance scaling to zero on a variant that serves a model"
    description = "MinInstanceCount 0 needs a variant that hosts inference components (no ModelName)"
    source_url = _ZERO_URL
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for cfg_id, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
            for i, v in enumerate(variants(cfg)):
                mis = v.get("ManagedInstanceScaling")
                if "ModelName" in v and isinstance(mis, Mapping) and mis.get("Status") != "DISABLED" \
                        and number(mis.get("MinInstanceCount")) == 0:
                    yield RuleMatch(["Resources", cfg_id, "Properties", "ProductionVariants", i,
                                     "ManagedInstanceScaling", "MinInstanceCount"],
                                    f"Endpoint config {cfg_id}, variant {v.get('VariantName')}: MinInstanceCount 0 "
                                    "on a variant that serves a model (ModelName); only variants that host "
                                    "inference components scale to zero instances")


class LlmStartupTimeout(TemplateRule, CloudFormationLintRule):
    """LLM serving containers (Hugging Face TGI, LMI/DJL, vLLM, SGLang, TEI) load gigabytes of weights and compile
    kernels before their ``/ping`` answers; without a raised ``ContainerStartupHealthCheckTimeoutInSeconds`` (at
    least 600 s here) the health check times out and the endpoint or component fails to create. Source: "Deploy large
    models for inference" (configurable timeouts), https://docs.aws.amazon.com/sagemaker/latest/dg/
    large-model-inference-hosting.html, and the containers' SageMaker guides (see ``cdk_sagemaker/_llm.py``)."""

    id = "W9452"
    shortdesc = "Start-up health-check timeout too small for an LLM container"
    description = "An LLM container needs ContainerStartupHealthCheckTimeoutInSeconds of several minutes"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/large-model-inference-hosting.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for cfg_id, model_id, use in model_uses(t):
            model = resource(t, model_id) or {}
            found = [c for c in (_llm.container_of_image_text(find_string(t, c.definition.get("Image")))
                                 for c in containers(model_id, model)) if c is not None]
            if not found or use.variant.get("ServerlessConfig") is not None:  # serverless takes no such timeout
                continue
            timeout = use.variant.get("ContainerStartupHealthCheckTimeoutInSeconds")
            if timeout is None:
                timeout = get(use.variant, "StartupParameters", "ContainerStartupHealthCheckTimeoutInSeconds")
            seconds = number(timeout)
            if timeout is None or (seconds is not None and seconds < _llm.MIN_STARTUP_TIMEOUT_S):
                shown = "SageMaker's default" if timeout is None else f"{seconds:g} s"
                where = f"{'Inference component' if use.path[1] != cfg_id else 'Endpoint config'} {use.path[1]}"
                yield RuleMatch(use.path[:-1], f"{where}: model {model_id} runs {found[0].label}, an LLM container, "
                                f"with a start-up health-check timeout of {shown}; give it at least "
                                f"{_llm.MIN_STARTUP_TIMEOUT_S} s (ContainerStartupHealthCheckTimeoutInSeconds) so "
                                "the weights load before the health check gives up")


class ComponentAcceleratorsUnavailable(TemplateRule, CloudFormationLintRule):
    """``NumberOfAcceleratorDevicesRequired`` reserves GPUs or Inferentia/Trainium devices per copy: on an instance
    type without accelerators, or with fewer GPUs than one copy asks for (the device count is checked on NVIDIA GPU
    types only), no copy can ever be placed. Source:
    SageMaker API reference, "InferenceComponentComputeResourceRequirements" ("Accelerators include GPUs and AWS
    Inferentia"), https://docs.aws.amazon.com/sagemaker/latest/APIReference/
    API_InferenceComponentComputeResourceRequirements.html; device counts from the EC2 accelerated-computing
    specifications (``cdk_sagemaker/_llm.py``)."""

    id = "E9453"
    shortdesc = "Inference component asks for accelerators its instances lack"
    description = "NumberOfAcceleratorDevicesRequired on a CPU instance type, or above its device count"
    source_url = ("https://docs.aws.amazon.com/sagemaker/latest/APIReference/"
                  "API_InferenceComponentComputeResourceRequirements.html")
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ic_id, ic in resources(t, _IC):
            p = props(ic)
            variant_type = _instance_type(_variant_of(t, p))
            for path, spec in _specs(p):
                wanted = number(get(spec, "ComputeResourceRequirements", "NumberOfAcceleratorDevicesRequired"))
                itype = spec.get("InstanceType") if isinstance(spec.get("InstanceType"), str) else variant_type
                if not wanted or itype is None:
                    continue
                memory = _llm.memory_of(itype)
                where = ["Resources", ic_id, "Properties", *path, "ComputeResourceRequirements",
                         "NumberOfAcceleratorDevicesRequired"]
                if accelerator_of(itype) is None:
                    yield RuleMatch(where, f"Inference component {ic_id} reserves {wanted:g} accelerator(s) per copy "
                                    f"on {itype}, which has none; use a GPU or Inferentia/Trainium instance type")
                elif memory is not None and is_gpu(itype) and wanted > memory.devices:  # Neuron: chips or cores
                    yield RuleMatch(where, f"Inference component {ic_id} reserves {wanted:g} accelerators per copy; "
                                    f"{itype} has {memory.devices}, so no copy can be placed")


class SpecificationAndSpecifications(TemplateRule, CloudFormationLintRule):
    """An inference component takes either ``Specification`` or ``Specifications`` (one per instance type), not
    both. Source: SageMaker API reference, "CreateInferenceComponent" (Specifications: "You can use either this
    parameter or the singular Specification parameter, but not both"),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceComponent.html."""

    id = "E9454"
    shortdesc = "Inference component with both Specification and Specifications"
    description = "Use Specification or Specifications, not both"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceComponent.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ic_id, ic in resources(t, _IC):
            p = props(ic)
            if p.get("Specification") is not None and p.get("Specifications") is not None:
                yield RuleMatch(["Resources", ic_id, "Properties", "Specifications"],
                                f"Inference component {ic_id} sets both Specification and Specifications; keep one")


class AdapterWithoutArtifacts(TemplateRule, CloudFormationLintRule):
    """An adapter inference component (``BaseInferenceComponentName``) names its adapter weights in
    ``Container.ArtifactUrl`` and runs on its base component's compute: it has no model and no compute
    requirements of its own. Source: SageMaker API reference, "InferenceComponentSpecification",
    BaseInferenceComponentName, https://docs.aws.amazon.com/sagemaker/latest/APIReference/
    API_InferenceComponentSpecification.html."""

    id = "E9455"
    shortdesc = "Adapter inference component without artifacts, or with its own model or compute"
    description = "An adapter needs Container.ArtifactUrl and uses its base component's model and compute"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentSpecification.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ic_id, ic in resources(t, _IC):
            spec = props(ic).get("Specification")
            if not isinstance(spec, Mapping) or spec.get("BaseInferenceComponentName") is None:
                continue
            path = ["Resources", ic_id, "Properties", "Specification"]
            if get(spec, "Container", "ArtifactUrl") is None:
                yield RuleMatch(path, f"Adapter inference component {ic_id} has no Container.ArtifactUrl; name the "
                                "adapter's s3:// artifacts there")
            for key in ("ModelName", "ComputeResourceRequirements"):
                if key in spec:
                    yield RuleMatch([*path, key], f"Adapter inference component {ic_id} sets {key}; an adapter "
                                    "runs on its base component's model and compute, remove it")


class PrefixAwareRoutingIncomplete(TemplateRule, CloudFormationLintRule):
    """``PREFIX_AWARE`` routing needs ``PrefixAwareRoutingConfig.PrefixLength`` and ``ConcurrencyThreshold``
    ("Required when RoutingStrategy is PREFIX_AWARE"); the other strategies take no such config. Source: SageMaker
    API reference, "PrefixAwareRoutingConfig", https://docs.aws.amazon.com/sagemaker/latest/APIReference/
    API_PrefixAwareRoutingConfig.html."""

    id = "E9456"
    shortdesc = "PREFIX_AWARE routing without its prefix length and concurrency threshold"
    description = "RoutingConfig PREFIX_AWARE needs PrefixAwareRoutingConfig.PrefixLength and ConcurrencyThreshold"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_PrefixAwareRoutingConfig.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for cfg_id, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
            for i, v in enumerate(variants(cfg)):
                routing = v.get("RoutingConfig")
                if not isinstance(routing, Mapping) or routing.get("RoutingStrategy") != "PREFIX_AWARE":
                    continue
                missing = [k for k in ("PrefixLength", "ConcurrencyThreshold")
                           if get(routing, "PrefixAwareRoutingConfig", k) is None]
                if missing:
                    yield RuleMatch(["Resources", cfg_id, "Properties", "ProductionVariants", i, "RoutingConfig"],
                                    f"Endpoint config {cfg_id}, variant {v.get('VariantName')}: PREFIX_AWARE routing "
                                    f"without PrefixAwareRoutingConfig {' and '.join(missing)}")


class InferenceAmiForOtherAccelerator(TemplateRule, CloudFormationLintRule):
    """Each inference AMI version is built for one accelerator: the ``...-gpu-...`` AMIs (NVIDIA driver and CUDA) for
    GPU instance types, ``al2-ami-sagemaker-inference-neuron-2`` (Neuron driver) for Inferentia2 and Trainium (not
    first-generation Inferentia, ``ml.inf1``). Source:
    SageMaker API reference, "ProductionVariant", InferenceAmiVersion,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html."""

    id = "E9457"
    shortdesc = "Inference AMI version for another accelerator"
    description = "A GPU AMI on a non-GPU instance type, or the Neuron AMI on a non-Neuron one"
    source_url = _PV_URL
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for cfg_id, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
            for i, v in enumerate(variants(cfg)):
                ami = v.get("InferenceAmiVersion")
                if not isinstance(ami, str):
                    continue
                # With InstancePools the pools' types replace InstanceType: the AMI must suit each of them.
                types = [_instance_type(v), *(get(pool, "InstanceType") for pool in v.get("InstancePools") or [])]
                itype = next((x for x in types if isinstance(x, str) and (
                    ("-gpu-" in ami and not is_gpu(x)) or ("-neuron-" in ami and not is_neuron(x))
                    or ("-neuron-" in ami and family(x) == "inf1"))), None)  # the Neuron AMI: Inferentia2, Trainium
                if itype is not None:
                    yield RuleMatch(["Resources", cfg_id, "Properties", "ProductionVariants", i,
                                     "InferenceAmiVersion"],
                                    f"Endpoint config {cfg_id}, variant {v.get('VariantName')}: InferenceAmiVersion "
                                    f"{ami} is built for {'GPU' if '-gpu-' in ami else 'Inferentia2/Trainium'} "
                                    f"instances, not {itype}")


class UncompressedPrefixWithoutSlash(TemplateRule, CloudFormationLintRule):
    """With ``S3DataType: S3Prefix`` the ``S3Uri`` of a ``ModelDataSource`` is a key prefix, which "always ends with a
    forward slash (/)"; without it the prefix also matches sibling keys (``llama`` matches ``llama-old/...``) and
    SageMaker rejects it. Source: SageMaker API reference, "S3ModelDataSource",
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3ModelDataSource.html."""

    id = "E9458"
    shortdesc = "Uncompressed model data prefix without a trailing slash"
    description = "ModelDataSource S3Prefix S3Uri must end in '/'"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_S3ModelDataSource.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for model_id, model in resources(t, "AWS::SageMaker::Model"):
            for c in containers(model_id, model):
                source = get(c.definition, "ModelDataSource", "S3DataSource")
                if not isinstance(source, Mapping) or source.get("S3DataType") != "S3Prefix":
                    continue
                uri = find_string(t, source.get("S3Uri"))
                if uri and not uri.endswith(("/", "*")):
                    yield RuleMatch([*c.path, "ModelDataSource", "S3DataSource", "S3Uri"],
                                    f"Model {model_id}: ModelDataSource S3Prefix {uri!r} does not end in '/'")


class ComponentRollingBatchOutOfRange(TemplateRule, CloudFormationLintRule):
    """A rolling update of an inference component replaces at most half of its copies at a time, and at least 5 %:
    ``RollingUpdatePolicy.MaximumBatchSize`` "must be between 5% to 50% of the copy count of the inference component".
    A ``CAPACITY_PERCENT`` batch outside 5-50 is rejected when CloudFormation updates the component. Source: SageMaker
    API reference, "InferenceComponentRollingUpdatePolicy", https://docs.aws.amazon.com/sagemaker/latest/
    APIReference/API_InferenceComponentRollingUpdatePolicy.html."""

    id = "E9459"
    shortdesc = "Inference component rolling batch outside 5-50% of its copies"
    description = "DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize CAPACITY_PERCENT must be 5-50"
    source_url = ("https://docs.aws.amazon.com/sagemaker/latest/APIReference/"
                  "API_InferenceComponentRollingUpdatePolicy.html")
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ic_id, ic in resources(t, _IC):
            size = get(props(ic), "DeploymentConfig", "RollingUpdatePolicy", "MaximumBatchSize")
            value = number(get(size, "Value")) if get(size, "Type") == "CAPACITY_PERCENT" else None
            if value is not None and not 5 <= value <= 50:
                yield RuleMatch(["Resources", ic_id, "Properties", "DeploymentConfig", "RollingUpdatePolicy",
                                 "MaximumBatchSize", "Value"],
                                f"Inference component {ic_id}: a rolling batch of {value:g}% of its copies; "
                                "MaximumBatchSize must be 5-50% of the copy count")


class SeveralCapacityReservations(TemplateRule, CloudFormationLintRule):
    """An inference endpoint runs on at most one ML capacity reservation (training plan): "You can use exactly one
    plan per inference endpoint". An endpoint config whose production and shadow variants name different
    ``CapacityReservationConfig.MlReservationArn`` values cannot be deployed. Source: SageMaker developer guide,
    "Deploy an inference endpoint using the API, AWS CLI", https://docs.aws.amazon.com/sagemaker/latest/dg/
    use-training-plan-for-inference-endpoints-using-api-cli-sdk.html."""

    id = "E9460"
    shortdesc = "Endpoint config with more than one ML capacity reservation"
    description = "The variants of one endpoint may use one MlReservationArn (training plan), not several"
    source_url = ("https://docs.aws.amazon.com/sagemaker/latest/dg/"
                  "use-training-plan-for-inference-endpoints-using-api-cli-sdk.html")
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for cfg_id, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
            found: dict[str, str] = {}
            for key in ("ProductionVariants", "ShadowProductionVariants"):
                for i, v in enumerate(props(cfg).get(key) or []):
                    arn = get(v, "CapacityReservationConfig", "MlReservationArn")
                    if isinstance(arn, str):
                        found.setdefault(arn, f"{key}/{i}")
            if len(found) > 1:
                yield RuleMatch(["Resources", cfg_id, "Properties", "ProductionVariants"],
                                f"Endpoint config {cfg_id} names {len(found)} ML capacity reservations "
                                f"({', '.join(sorted(found))}); an inference endpoint takes exactly one training plan")
