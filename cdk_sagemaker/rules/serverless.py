"""Readiness rules 96xx: what serverless endpoints do not support.

Source for every rule: "Deploy models with Amazon SageMaker Serverless Inference", Feature exclusions,
https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html#serverless-endpoints-how-it-works-exclusions
(GPUs, AWS Marketplace model packages, private Docker registries, multi-model endpoints, VPC configuration, network
isolation, data capture, multiple production variants, Model Monitor and inference pipelines are not supported).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._facts import accelerator_of_image
from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import (
    Container,
    ModelUse,
    Template,
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


class _ServerlessVariant(NamedTuple):
    """A serverless variant of an endpoint config and the model it runs (a NamedTuple: cfn-lint loads plugin files
    outside ``sys.modules``, where a dataclass cannot resolve its annotations)."""

    config_id: str
    model_id: str
    use: ModelUse
    model: Mapping[str, Any]       #: the model's Properties
    containers: list[Container]

    def finding(self, what: str) -> RuleMatch:
        """A finding on the variant's ModelName: ``EndpointConfig X: serverless variant runs model M<what>``."""
        return RuleMatch(self.use.path,
                         f"EndpointConfig {self.config_id}: serverless variant runs model {self.model_id}{what}")


def _serverless_variants(t: Template) -> Iterator[_ServerlessVariant]:
    for config_id, model_id, use in model_uses(t):
        serverless = use.variant.get("ServerlessConfig")
        if isinstance(serverless, Mapping) and not is_conditional(serverless):
            model = resource(t, model_id)
            yield _ServerlessVariant(config_id, model_id, use, props(model), containers(model_id, model or {}))


class _ServerlessRule(TemplateRule):
    """A rule over the serverless variants of the template: ``check`` says what is wrong with one."""

    source_url: str = _URL
    tags: list[str] = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for variant in _serverless_variants(t):
            yield from self.check(t, variant)

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        raise NotImplementedError


class ServerlessWithVpc(_ServerlessRule, CloudFormationLintRule):
    """Serverless Inference does not support VPC configuration: CreateEndpoint fails for a serverless variant whose
    model has a ``VpcConfig``. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9601"
    shortdesc = "Serverless variant with a VPC model"
    description = "Serverless endpoints cannot host a model with VpcConfig"

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        if v.model.get("VpcConfig") is not None:
            yield v.finding(", which has a VpcConfig; Serverless Inference does not support VPCs: remove VpcConfig "
                            "from the model or use instances")


class ServerlessWithNetworkIsolation(_ServerlessRule, CloudFormationLintRule):
    """Serverless Inference does not support network isolation: a serverless variant whose model sets
    ``EnableNetworkIsolation: true`` fails to deploy. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9602"
    shortdesc = "Serverless variant with a network-isolated model"
    description = "Serverless endpoints cannot host a model with EnableNetworkIsolation"

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        if v.model.get("EnableNetworkIsolation") in (True, "true"):
            yield v.finding(", which sets EnableNetworkIsolation; Serverless Inference does not support network "
                            "isolation: set it to false or use instances")


class ServerlessWithDataCapture(_ServerlessRule, CloudFormationLintRule):
    """Serverless Inference does not support data capture (nor Model Monitor, which reads it): an endpoint config
    with a serverless variant and ``DataCaptureConfig`` fails. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9603"
    shortdesc = "Serverless endpoint config with data capture"
    description = "Serverless endpoints do not support DataCaptureConfig"
    unique = True  # one finding per config, however many serverless variants it has

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        capture = props(resource(t, v.config_id)).get("DataCaptureConfig")
        if isinstance(capture, Mapping) and not is_conditional(capture) and \
                capture.get("EnableCapture", True) not in (False, "false"):
            yield RuleMatch(["Resources", v.config_id, "Properties", "DataCaptureConfig"], (
                f"EndpointConfig {v.config_id}: DataCaptureConfig is set on a serverless endpoint config; "
                "Serverless Inference does not support data capture: remove it or use instances"))


class ServerlessWithMultiModelOrPipeline(_ServerlessRule, CloudFormationLintRule):
    """Serverless Inference does not support multi-model endpoints (a container with ``Mode: MultiModel``) nor
    inference pipelines (a model with several ``Containers``). Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9604"
    shortdesc = "Serverless variant with a multi-model or pipeline model"
    description = "Serverless endpoints host one single-model container"

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        if len(as_list(v.model.get("Containers"))) > 1:
            yield v.finding(f", an inference pipeline of {len(as_list(v.model.get('Containers')))} containers; "
                            "Serverless Inference hosts one container: use instances")
        for c in v.containers:
            if c.definition.get("Mode") == "MultiModel":
                yield v.finding(", whose container has Mode MultiModel; Serverless Inference does not support "
                                "multi-model endpoints: use SingleModel or instances")


class ServerlessWithAcceleratorImage(_ServerlessRule, CloudFormationLintRule):
    """Serverless Inference runs on CPUs only (no GPUs, no Inferentia): an image that exists only for GPUs or Neuron
    devices (TGI / huggingface-llm, DJL LMI, vLLM, SGLang, ``-gpu-``, CUDA or ``neuronx`` tags) cannot start. Source:
    Serverless Inference feature exclusions, https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9605"
    shortdesc = "Serverless variant with a GPU or Neuron-only image"
    description = "Serverless endpoints have no accelerators"

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        for c in v.containers:
            image = find_string(t, c.definition.get("Image"))
            needs = accelerator_of_image(image)
            if needs is not None:
                yield v.finding(f" with image {image}, built for {needs.upper()} instances; Serverless Inference is "
                                "CPU-only: use the image's CPU build or an instance-based endpoint")


class ServerlessWithPrivateRegistry(_ServerlessRule, CloudFormationLintRule):
    """Serverless Inference does not support images from private Docker registries (``ImageConfig.RepositoryAccessMode:
    Vpc``). (AWS Marketplace model packages are excluded too, but a template cannot tell them from the versioned
    packages of your own Model Registry, which serverless endpoints do run, so ``ModelPackageName`` is not flagged.)
    Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9606"
    shortdesc = "Serverless variant with an image from a private Docker registry"
    description = "Serverless endpoints pull images from Amazon ECR only"

    def check(self, t: Template, v: _ServerlessVariant) -> Iterator[RuleMatch]:
        for c in v.containers:
            if get(c.definition, "ImageConfig", "RepositoryAccessMode") == "Vpc":
                yield v.finding(", whose image comes from a private Docker registry (ImageConfig.RepositoryAccessMode "
                                "Vpc); Serverless Inference pulls from Amazon ECR only: push the image to ECR")
