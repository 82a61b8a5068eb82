"""Readiness rules 96xx: what serverless endpoints do not support.

Source for every rule: "Deploy models with Amazon SageMaker Serverless Inference", Feature exclusions,
https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions
(GPUs, AWS Marketplace model packages, private Docker registries, multi-model endpoints, VPC configuration, network
isolation, data capture, multiple production variants, Model Monitor and inference pipelines are not supported).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._facts import accelerator_of_image
from cdk_sagemaker.rules._template import (
    ModelUse,
    as_list,
    containers,
    find_string,
    get,
    is_conditional,
    model_uses,
    props,
    resource,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "serverless"]
_URL = "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html"


def _serverless_uses(t: Mapping[str, Any]) -> Iterator[tuple[str, str, ModelUse, Mapping[str, Any]]]:
    for config_id, model_id, use in model_uses(t):
        serverless = use.variant.get("ServerlessConfig")
        if isinstance(serverless, Mapping) and not is_conditional(serverless):
            yield config_id, model_id, use, props(resource(t, model_id))


class ServerlessWithVpc(CloudFormationLintRule):
    """Serverless Inference does not support VPC configuration: CreateEndpoint fails for a serverless variant whose
    model has a ``VpcConfig``. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9601"
    shortdesc = "Serverless variant with a VPC model"
    description = "Serverless endpoints cannot host a model with VpcConfig"
    source_url = _URL
    tags = _TAGS

    def match(self, cfn: Any) -> list[RuleMatch]:
        return [RuleMatch(use.path, (
            f"EndpointConfig {config_id}: serverless variant runs model {model_id}, which has a VpcConfig; "
            "Serverless Inference does not support VPCs: remove VpcConfig from the model or use instances"))
            for config_id, model_id, use, mp in _serverless_uses(cfn.template) if mp.get("VpcConfig") is not None]


class ServerlessWithNetworkIsolation(CloudFormationLintRule):
    """Serverless Inference does not support network isolation: a serverless variant whose model sets
    ``EnableNetworkIsolation: true`` fails to deploy. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9602"
    shortdesc = "Serverless variant with a network-isolated model"
    description = "Serverless endpoints cannot host a model with EnableNetworkIsolation"
    source_url = _URL
    tags = _TAGS

    def match(self, cfn: Any) -> list[RuleMatch]:
        return [RuleMatch(use.path, (
            f"EndpointConfig {config_id}: serverless variant runs model {model_id}, which sets "
            "EnableNetworkIsolation; Serverless Inference does not support network isolation: set it to false or "
            "use instances"))
            for config_id, model_id, use, mp in _serverless_uses(cfn.template)
            if mp.get("EnableNetworkIsolation") in (True, "true")]


class ServerlessWithDataCapture(CloudFormationLintRule):
    """Serverless Inference does not support data capture (nor Model Monitor, which reads it): an endpoint config
    with a serverless variant and ``DataCaptureConfig`` fails. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9603"
    shortdesc = "Serverless endpoint config with data capture"
    description = "Serverless endpoints do not support DataCaptureConfig"
    source_url = _URL
    tags = _TAGS

    def match(self, cfn: Any) -> list[RuleMatch]:
        out: list[RuleMatch] = []
        for config_id, _, _, _ in _serverless_uses(cfn.template):
            p = props(resource(cfn.template, config_id))
            capture = p.get("DataCaptureConfig")
            if isinstance(capture, Mapping) and not is_conditional(capture) and \
                    capture.get("EnableCapture", True) not in (False, "false"):
                match = RuleMatch(["Resources", config_id, "Properties", "DataCaptureConfig"], (
                    f"EndpointConfig {config_id}: DataCaptureConfig is set on a serverless endpoint config; "
                    "Serverless Inference does not support data capture: remove it or use instances"))
                if match not in out:
                    out.append(match)
        return out


class ServerlessWithMultiModelOrPipeline(CloudFormationLintRule):
    """Serverless Inference does not support multi-model endpoints (a container with ``Mode: MultiModel``) nor
    inference pipelines (a model with several ``Containers``). Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9604"
    shortdesc = "Serverless variant with a multi-model or pipeline model"
    description = "Serverless endpoints host one single-model container"
    source_url = _URL
    tags = _TAGS

    def match(self, cfn: Any) -> list[RuleMatch]:
        out: list[RuleMatch] = []
        for config_id, model_id, use, mp in _serverless_uses(cfn.template):
            if len(as_list(mp.get("Containers"))) > 1:
                out.append(RuleMatch(use.path, (
                    f"EndpointConfig {config_id}: serverless variant runs model {model_id}, an inference pipeline of "
                    f"{len(as_list(mp.get('Containers')))} containers; Serverless Inference hosts one container: "
                    "use instances")))
            for c in containers(model_id, resource(cfn.template, model_id) or {}):
                if c.definition.get("Mode") == "MultiModel":
                    out.append(RuleMatch(use.path, (
                        f"EndpointConfig {config_id}: serverless variant runs model {model_id}, whose container has "
                        "Mode MultiModel; Serverless Inference does not support multi-model endpoints: use "
                        "SingleModel or instances")))
        return out


class ServerlessWithAcceleratorImage(CloudFormationLintRule):
    """Serverless Inference runs on CPUs only (no GPUs, no Inferentia): an image that exists only for GPUs or Neuron
    devices (TGI / huggingface-llm, DJL LMI, vLLM, SGLang, ``-gpu-``, CUDA or ``neuronx`` tags) cannot start. Source:
    Serverless Inference feature exclusions, https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9605"
    shortdesc = "Serverless variant with a GPU or Neuron-only image"
    description = "Serverless endpoints have no accelerators"
    source_url = _URL
    tags = _TAGS

    def match(self, cfn: Any) -> list[RuleMatch]:
        out: list[RuleMatch] = []
        for config_id, model_id, use, _ in _serverless_uses(cfn.template):
            for c in containers(model_id, resource(cfn.template, model_id) or {}):
                image = find_string(cfn.template, c.definition.get("Image"))
                needs = accelerator_of_image(image)
                if needs is not None:
                    out.append(RuleMatch(use.path, (
                        f"EndpointConfig {config_id}: serverless variant runs model {model_id} with image {image}, "
                        f"built for {needs.upper()} instances; Serverless Inference is CPU-only: use the image's CPU "
                        "build or an instance-based endpoint")))
        return out


class ServerlessWithPrivateRegistry(CloudFormationLintRule):
    """Serverless Inference does not support images from private Docker registries (``ImageConfig.RepositoryAccessMode:
    Vpc``). (AWS Marketplace model packages are excluded too, but a template cannot tell them from the versioned
    packages of your own Model Registry, which serverless endpoints do run, so ``ModelPackageName`` is not flagged.)
    Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9606"
    shortdesc = "Serverless variant with an image from a private Docker registry"
    description = "Serverless endpoints pull images from Amazon ECR only"
    source_url = _URL
    tags = _TAGS

    def match(self, cfn: Any) -> list[RuleMatch]:
        out: list[RuleMatch] = []
        for config_id, model_id, use, _ in _serverless_uses(cfn.template):
            for c in containers(model_id, resource(cfn.template, model_id) or {}):
                if get(c.definition, "ImageConfig", "RepositoryAccessMode") == "Vpc":
                    out.append(RuleMatch(use.path, (
                        f"EndpointConfig {config_id}: serverless variant runs model {model_id}, whose image comes from "
                        "a private Docker registry (ImageConfig.RepositoryAccessMode Vpc); Serverless Inference pulls "
                        "from Amazon ECR only: push the image to ECR")))
        return out
