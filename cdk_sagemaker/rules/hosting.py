"""Readiness rules 938x/939x (models) and 988x/989x (endpoint configs): private-registry images, multi-model
caching, and online explainability with SageMaker Clarify."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import (
    Template,
    all_variants,
    containers,
    find_string,
    props,
    resources,
    role_allows,
    role_of_model,
    role_visible,
    target,
    type_of,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "hosting"]
_PRIVATE_REGISTRY = "https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html"
_REGISTRY_AUTH = ("https://docs.aws.amazon.com/sagemaker/latest/dg/"
                  "docker-containers-adapt-your-own-private-registry-authentication.html")
_CLARIFY = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClarifyShapBaselineConfig.html"
_CLARIFY_INFERENCE = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClarifyInferenceConfig.html"


def _access_mode(container: Mapping[str, Any]) -> str | None:
    config = container.get("ImageConfig")
    mode = config.get("RepositoryAccessMode") if isinstance(config, Mapping) else None
    return mode if isinstance(mode, str) else None


def _clarify(config: Mapping[str, Any]) -> Mapping[str, Any] | None:
    explainer = props(config).get("ExplainerConfig")
    clarify = explainer.get("ClarifyExplainerConfig") if isinstance(explainer, Mapping) else None
    return clarify if isinstance(clarify, Mapping) else None


def _clarify_path(config_id: str, *rest: str) -> list[str | int]:
    return ["Resources", config_id, "Properties", "ExplainerConfig", "ClarifyExplainerConfig", *rest]


class PrivateRegistryWithoutVpc(TemplateRule, CloudFormationLintRule):
    """An image pulled from a private Docker registry (``ImageConfig.RepositoryAccessMode: Vpc``) is reached through
    the model's VPC: "Models that you create based on the images stored in your private Docker registry must be
    configured to connect to the same VPC where the private Docker registry is accessible". A model without
    ``VpcConfig`` cannot pull it and the endpoint fails to create. Source: "Use a Private Docker Registry for
    Real-Time Inference Containers",
    https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html."""

    id = "E9380"
    shortdesc = "Private-registry image without a VPC"
    description = "RepositoryAccessMode Vpc needs the model's VpcConfig in the VPC where the registry is reachable"
    source_url = _PRIVATE_REGISTRY
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            if isinstance(props(model).get("VpcConfig"), Mapping):
                continue
            for c in containers(name, model):
                if _access_mode(c.definition) == "Vpc":
                    yield RuleMatch([*c.path, "ImageConfig", "RepositoryAccessMode"], (
                        f"Model {name}: the image {find_string(t, c.definition.get('Image'))} is pulled from a "
                        "private Docker registry (RepositoryAccessMode Vpc), which SageMaker reaches only through "
                        "the model's VPC; add VpcConfig with subnets from which the registry is reachable"))


class RegistryAuthWithoutVpcMode(TemplateRule, CloudFormationLintRule):
    """``RepositoryAuthConfig`` applies only to a private registry: "Specify a value for this property only if you
    specified Vpc as the value for the RepositoryAccessMode field" (API reference, ImageConfig,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ImageConfig.html). With ``Platform`` (ECR) the
    request is rejected."""

    id = "E9381"
    shortdesc = "RepositoryAuthConfig with RepositoryAccessMode Platform"
    description = "A registry credentials provider applies only with RepositoryAccessMode Vpc"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ImageConfig.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            for c in containers(name, model):
                config = c.definition.get("ImageConfig")
                if isinstance(config, Mapping) and config.get("RepositoryAuthConfig") is not None \
                        and _access_mode(c.definition) == "Platform":
                    yield RuleMatch([*c.path, "ImageConfig", "RepositoryAuthConfig"], (
                        f"Model {name}: RepositoryAuthConfig is set with RepositoryAccessMode Platform (Amazon "
                        "ECR); it applies only to a private registry in the VPC (RepositoryAccessMode Vpc)"))


class MultiModelConfigOnSingleModel(TemplateRule, CloudFormationLintRule):
    """``MultiModelConfig`` (``ModelCacheSetting``) configures multi-model endpoints: it applies to a container in
    ``Mode: MultiModel`` only (API reference, MultiModelConfig,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MultiModelConfig.html). On a single-model
    container it does nothing, which hides a container that was meant to be multi-model."""

    id = "W9382"
    shortdesc = "MultiModelConfig on a single-model container"
    description = "ModelCacheSetting applies only to a container with Mode MultiModel"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MultiModelConfig.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            for c in containers(name, model):
                mode = c.definition.get("Mode")
                if c.definition.get("MultiModelConfig") is not None and (mode is None or mode == "SingleModel"):
                    yield RuleMatch([*c.path, "MultiModelConfig"], (
                        f"Model {name}: MultiModelConfig is set on a container in {mode or 'SingleModel'} mode; "
                        "it applies only to Mode MultiModel (set Mode: MultiModel with an S3 prefix as model data, "
                        "or drop MultiModelConfig)"))


class RegistryCredentialsNotInvokable(TemplateRule, CloudFormationLintRule):
    """SageMaker calls the registry's credentials provider (``RepositoryCredentialsProviderArn``, a Lambda function)
    as the model's execution role: "The IAM role that you use ... must have permission to call an AWS Lambda
    function" (``lambda:InvokeFunction``). Without it the image pull fails and the endpoint never becomes InService.
    Checked when the role and the function are resources of this template and all the role's policies are visible.
    Source: "Use a Docker registry that requires authentication",
    https://docs.aws.amazon.com/sagemaker/latest/dg/docker-containers-adapt-your-own-private-registry-authentication.html."""

    id = "E9383"
    shortdesc = "Execution role cannot invoke the registry credentials provider"
    description = "The model's execution role needs lambda:InvokeFunction on RepositoryCredentialsProviderArn"
    source_url = _REGISTRY_AUTH
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            role = role_of_model(t, model)
            if not role_visible(t, role) or role is None:
                continue
            for c in containers(name, model):
                config = c.definition.get("ImageConfig")
                auth = config.get("RepositoryAuthConfig") if isinstance(config, Mapping) else None
                arn = auth.get("RepositoryCredentialsProviderArn") if isinstance(auth, Mapping) else None
                function = target(arn)
                if function is None or type_of(t, function) != "AWS::Lambda::Function":
                    continue
                if not role_allows(t, role, "lambda:InvokeFunction", resource_ids=(function,)):
                    yield RuleMatch([*c.path, "ImageConfig", "RepositoryAuthConfig",
                                     "RepositoryCredentialsProviderArn"], (
                        f"Model {name}: its execution role {role} may not call lambda:InvokeFunction on {function}, "
                        "the registry's credentials provider; SageMaker calls it as that role to pull the image"))


class ShapBaselineNotExactlyOne(TemplateRule, CloudFormationLintRule):
    """The Clarify explainer's SHAP baseline is inline or in S3: "ShapBaseline and ShapBaselineUri are mutually
    exclusive parameters. One or the either is required to configure a SHAP baseline." (API reference,
    ClarifyShapBaselineConfig, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClarifyShapBaselineConfig.html).
    CreateEndpointConfig rejects both and neither."""

    id = "E9880"
    shortdesc = "Clarify SHAP baseline: both or neither of ShapBaseline and ShapBaselineUri"
    description = "Exactly one of ShapBaseline and ShapBaselineUri configures the SHAP baseline"
    source_url = _CLARIFY
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, config in resources(t, "AWS::SageMaker::EndpointConfig"):
            clarify = _clarify(config)
            if clarify is None:
                continue
            shap = clarify.get("ShapConfig")
            baseline = shap.get("ShapBaselineConfig") if isinstance(shap, Mapping) else None
            if not isinstance(baseline, Mapping):
                continue  # a missing required property: cfn-lint's own schema rules report it
            given = [k for k in ("ShapBaseline", "ShapBaselineUri") if baseline.get(k) is not None]
            if len(given) != 1:
                yield RuleMatch(_clarify_path(name, "ShapConfig", "ShapBaselineConfig"), (
                    f"EndpointConfig {name}: the Clarify SHAP baseline must be given as exactly one of ShapBaseline "
                    f"(inline, up to 4 KB) and ShapBaselineUri (an S3 object), got {given or 'neither'}"))


class ClarifyTextFeatures(TemplateRule, CloudFormationLintRule):
    """``FeatureTypes`` of the Clarify explainer apply to NLP explainability: "If provided, FeatureTypes must have at
    least one 'text' string" (API reference, ClarifyInferenceConfig,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClarifyInferenceConfig.html), and text features
    need ``ShapConfig.TextConfig`` ("Required only for natural language processing (NLP) explainability", API
    reference, ClarifyTextConfig)."""

    id = "E9881"
    shortdesc = "Clarify FeatureTypes without text, or text features without TextConfig"
    description = "FeatureTypes must include 'text', and text features need ShapConfig.TextConfig"
    source_url = _CLARIFY_INFERENCE
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, config in resources(t, "AWS::SageMaker::EndpointConfig"):
            clarify = _clarify(config)
            inference = clarify.get("InferenceConfig") if clarify is not None else None
            types = inference.get("FeatureTypes") if isinstance(inference, Mapping) else None
            if not isinstance(types, list) or not all(isinstance(x, str) for x in types):
                continue
            shap = clarify.get("ShapConfig") if clarify is not None else None
            if "text" not in types:
                yield RuleMatch(_clarify_path(name, "InferenceConfig", "FeatureTypes"), (
                    f"EndpointConfig {name}: FeatureTypes {types} has no 'text'; FeatureTypes applies to NLP "
                    "explainability only and must include at least one 'text' (drop it for tabular models)"))
            elif not (isinstance(shap, Mapping) and isinstance(shap.get("TextConfig"), Mapping)):
                yield RuleMatch(_clarify_path(name, "InferenceConfig", "FeatureTypes"), (
                    f"EndpointConfig {name}: FeatureTypes has text features but ShapConfig has no TextConfig "
                    "(Language and Granularity), which NLP explainability requires"))


class ClarifyJsonLinesWithoutTemplate(TemplateRule, CloudFormationLintRule):
    """When the model container takes JSON Lines (the SHAP baseline's ``MimeType`` is ``application/jsonlines``),
    the explainer needs ``InferenceConfig.ContentTemplate`` to build the container's input from the synthetic
    records: "Required only when the model container input is in JSON Lines format" (API reference,
    ClarifyInferenceConfig, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ClarifyInferenceConfig.html).
    Without it every explanation request fails."""

    id = "E9882"
    shortdesc = "Clarify JSON Lines baseline without ContentTemplate"
    description = "A JSON Lines model input needs InferenceConfig.ContentTemplate"
    source_url = _CLARIFY_INFERENCE
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, config in resources(t, "AWS::SageMaker::EndpointConfig"):
            clarify = _clarify(config)
            if clarify is None:
                continue
            shap = clarify.get("ShapConfig")
            baseline = shap.get("ShapBaselineConfig") if isinstance(shap, Mapping) else None
            mime = baseline.get("MimeType") if isinstance(baseline, Mapping) else None
            inference = clarify.get("InferenceConfig")
            template = inference.get("ContentTemplate") if isinstance(inference, Mapping) else None
            if mime == "application/jsonlines" and template is None:
                yield RuleMatch(_clarify_path(name, "ShapConfig", "ShapBaselineConfig", "MimeType"), (
                    f"EndpointConfig {name}: the SHAP baseline is JSON Lines but InferenceConfig has no "
                    "ContentTemplate (e.g. '{\"features\":$features}'), which the explainer needs to call a model "
                    "container that takes JSON Lines"))


class ClarifyInvalidJmesPath(TemplateRule, CloudFormationLintRule):
    """``EnableExplanations`` of the Clarify explainer is a JMESPath Boolean expression evaluated for each record:
    "If the JMESPath expression that you supplied is not valid, the endpoint creation will fail" (SageMaker developer
    guide, "The EnableExplanations expression",
    https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-online-explainability-create-endpoint-enable.html). The
    expression is compiled with ``jmespath``, the library botocore uses."""

    id = "E9883"
    shortdesc = "Clarify EnableExplanations is not a valid JMESPath expression"
    description = "An invalid EnableExplanations JMESPath expression makes endpoint creation fail"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-online-explainability-create-endpoint-enable.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        import jmespath
        from jmespath.exceptions import JMESPathError

        for name, config in resources(t, "AWS::SageMaker::EndpointConfig"):
            clarify = _clarify(config)
            expression = clarify.get("EnableExplanations") if clarify is not None else None
            if not isinstance(expression, str):
                continue
            try:
                jmespath.compile(expression)
            except JMESPathError as error:
                yield RuleMatch(_clarify_path(name, "EnableExplanations"), (
                    f"EndpointConfig {name}: EnableExplanations {expression!r} is not a valid JMESPath expression "
                    f"({str(error).splitlines()[0]}); endpoint creation fails. Use e.g. '`true`' or "
                    "'[0]>`0.5`'"))


class InstancePoolsWithInstanceType(TemplateRule, CloudFormationLintRule):
    """Instance pools replace a variant's instance type: "To use instance pools, you replace the InstanceType
    parameter in your production variant with an InstancePools list" (SageMaker developer guide, "Deploy to multiple
    instance types with instance pools",
    https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-heterogeneous.html). A variant with both is
    ambiguous about which instance type SageMaker provisions first."""

    id = "E9884"
    shortdesc = "Production variant with both InstanceType and InstancePools"
    description = "InstancePools replace InstanceType on a production variant"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-heterogeneous.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, config in resources(t, "AWS::SageMaker::EndpointConfig"):
            for key, i, variant in all_variants(config):
                if variant.get("InstancePools") is not None and variant.get("InstanceType") is not None:
                    yield RuleMatch(["Resources", name, "Properties", key, i, "InstanceType"], (
                        f"EndpointConfig {name}: variant {variant.get('VariantName')!r} has both InstanceType and "
                        "InstancePools; the pools replace the instance type (list it as the priority-1 pool and "
                        "drop InstanceType)"))
