"""Readiness rules for endpoint configs, variants, shadow variants, multi-model endpoints and inference components
(98xx).

Permission checks read the execution roles of the config's models (``AWS::IAM::Role`` resources of the same template,
with their inline policies, ``AWS::IAM::Policy`` and ``AWS::IAM::ManagedPolicy`` resources); a role defined elsewhere
is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._facts import family, is_gpu, is_neuron
from cdk_sagemaker.rules._rule import EachRule, TemplateRule
from cdk_sagemaker.rules._template import (
    S3Location,
    Template,
    all_roles_known,
    all_variants,
    as_list,
    config_of_endpoint,
    containers,
    find_string,
    get,
    inference_components,
    is_async,
    is_marketplace,
    is_serverless,
    key_policy_statements,
    kms_key_ids,
    number,
    props,
    refs_in,
    resource,
    resources,
    role_allows,
    role_can_write,
    roles_of_config,
    s3_location,
    target,
    type_of,
    variants,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "endpoints"]


def _configs(template: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    yield from resources(template, "AWS::SageMaker::EndpointConfig")


def _bucket_key(template: Any, bucket_id: str | None) -> tuple[str, ...]:
    """The KMS key (logical ids) a bucket of this template encrypts new objects with by default."""
    if bucket_id is None:
        return ()
    rules = get(props(resource(template, bucket_id)), "BucketEncryption", "ServerSideEncryptionConfiguration")
    for rule in as_list(rules):
        key = get(rule, "ServerSideEncryptionByDefault", "KMSMasterKeyID")
        if key is not None:
            return kms_key_ids(template, key)
    return ()


def _key_allows(template: Any, role_id: str, action: str, key_ids: tuple[str, ...]) -> bool:
    """The role may use the key: by its IAM policies, or by a key-policy statement naming the role."""
    if role_allows(template, role_id, action, resource_ids=key_ids):
        return True
    for key_id in key_ids:
        found = key_policy_statements(template, {"Ref": key_id})
        if found is None:
            continue
        for st in found[1]:
            if st.effect == "Allow" and role_id in refs_in(st.principals) and any(
                    a.lower() in (action.lower(), "kms:*") or (a.endswith("*") and action.lower().startswith(
                        a[:-1].lower())) for a in st.actions):
                return True
    return False


def _writers_missing(template: Any, cfg_id: str, loc: S3Location, key_ids: tuple[str, ...]) -> list[str]:
    """Execution roles of the config that cannot write objects under ``loc`` (S3, and the KMS key when encrypted)."""
    missing = []
    for role_id in roles_of_config(template, cfg_id):
        gaps = []
        if not role_can_write(template, role_id, loc):
            gaps.append("s3:PutObject")
        if key_ids and not _key_allows(template, role_id, "kms:GenerateDataKey", key_ids):
            gaps.append(f"kms:GenerateDataKey on {key_ids[-1]}")
        if gaps:
            missing.append(f"{role_id} ({', '.join(gaps)})")
    return missing


class _ConfigRule(EachRule):
    """A rule over the endpoint configs of the template."""

    tags: list[str] = _TAGS

    def each(self, t: Template) -> Iterator[tuple[str, Mapping[str, Any]]]:
        return _configs(t)


class CaptureDestinationNotWritable(_ConfigRule, CloudFormationLintRule):
    """SageMaker writes captured requests and responses to ``DataCaptureConfig.DestinationS3Uri`` with the model's
    execution role, encrypting them with ``DataCaptureConfig.KmsKeyId`` (or the bucket's default key). Without
    ``s3:PutObject`` under that prefix and permission to generate data keys with the key, nothing is captured and
    Model Monitor has no data.
    Source: Amazon SageMaker developer guide, "Capture data from real-time endpoint",
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html, and "SageMaker AI Roles"
    (the execution role needs access to the S3 locations it writes),
    https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html.
    """

    id = "W9801"
    shortdesc = "Data capture destination the execution role cannot write"
    description = "An execution role of the endpoint lacks s3:PutObject (or KMS) for the data capture destination"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html"

    def check(self, t: Template, cfg_id: str, cfg: Mapping[str, Any]) -> Iterator[RuleMatch]:
        dcc = props(cfg).get("DataCaptureConfig")
        if not isinstance(dcc, Mapping) or dcc.get("EnableCapture") is False or not all_roles_known(t, cfg_id):
            return
        loc = s3_location(t, dcc.get("DestinationS3Uri"))
        if loc is None:
            return
        keys = kms_key_ids(t, dcc.get("KmsKeyId")) or _bucket_key(t, loc.bucket_id)
        missing = _writers_missing(t, cfg_id, loc, keys)
        if missing:
            yield RuleMatch(
                ["Resources", cfg_id, "Properties", "DataCaptureConfig", "DestinationS3Uri"],
                f"Endpoint config {cfg_id} captures data to {find_string(t, dcc.get('DestinationS3Uri'))}, but "
                f"execution role {'; '.join(missing)} cannot write there, so no data is captured. Grant "
                f"s3:PutObject on the capture prefix (and kms:GenerateDataKey on the capture key) to the role.",
            )


class AsyncOutputNotWritable(_ConfigRule, CloudFormationLintRule):
    """An asynchronous endpoint writes every inference response to ``OutputConfig.S3OutputPath`` (failures to
    ``S3FailurePath``) with the execution role, encrypted with ``OutputConfig.KmsKeyId`` (or the bucket's default
    key); when the role cannot write there the invocation's result is lost.
    Source: Amazon SageMaker developer guide, "Asynchronous inference: Complete the prerequisites" (the role needs
    access to your Amazon S3 bucket and Amazon SNS topics),
    https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html, and the API
    reference, "AsyncInferenceOutputConfig",
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceOutputConfig.html.
    """

    id = "E9802"
    shortdesc = "Async output location the execution role cannot write"
    description = "An execution role of the async endpoint lacks s3:PutObject (or KMS) for S3OutputPath/S3FailurePath"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html"

    def check(self, t: Template, cfg_id: str, cfg: Mapping[str, Any]) -> Iterator[RuleMatch]:
        oc = get(props(cfg), "AsyncInferenceConfig", "OutputConfig")
        if not isinstance(oc, Mapping) or not all_roles_known(t, cfg_id):
            return
        for key in ("S3OutputPath", "S3FailurePath"):
            loc = s3_location(t, oc.get(key))
            if loc is None:
                continue
            keys = kms_key_ids(t, oc.get("KmsKeyId")) or _bucket_key(t, loc.bucket_id)
            missing = _writers_missing(t, cfg_id, loc, keys)
            if missing:
                yield RuleMatch(
                    ["Resources", cfg_id, "Properties", "AsyncInferenceConfig", "OutputConfig", key],
                    f"Endpoint config {cfg_id} writes asynchronous results to {find_string(t, oc.get(key))} "
                    f"({key}), but execution role {'; '.join(missing)} cannot write there, so results are lost. "
                    f"Grant s3:PutObject on that prefix (and kms:GenerateDataKey on the output key) to the role.",
                )


class AsyncTopicNotPublishable(_ConfigRule, CloudFormationLintRule):
    """An asynchronous endpoint publishes success and error notifications to the SNS topics in
    ``OutputConfig.NotificationConfig`` with the execution role: it needs ``sns:Publish`` on them and, for a topic
    encrypted with a KMS key, ``kms:GenerateDataKey*`` and ``kms:Decrypt`` on that key; otherwise no notification is
    sent.
    Source: Amazon SageMaker developer guide, "Asynchronous inference: Complete the prerequisites",
    https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html, and Amazon SNS
    developer guide, "Configure KMS permissions for AWS services" / publishers to encrypted topics,
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html.
    """

    id = "W9803"
    shortdesc = "Async notification topic the execution role cannot publish to"
    description = "An execution role of the async endpoint lacks sns:Publish (or KMS) for a notification topic"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html"

    def check(self, t: Template, cfg_id: str, cfg: Mapping[str, Any]) -> Iterator[RuleMatch]:
        nc = get(props(cfg), "AsyncInferenceConfig", "OutputConfig", "NotificationConfig")
        if not isinstance(nc, Mapping) or not all_roles_known(t, cfg_id):
            return
        for key in ("SuccessTopic", "ErrorTopic"):
            topic_id = target(nc.get(key))
            if type_of(t, topic_id) != "AWS::SNS::Topic" or topic_id is None:
                continue
            topic_key = kms_key_ids(t, props(resource(t, topic_id)).get("KmsMasterKeyId"))
            missing = []
            for role_id in roles_of_config(t, cfg_id):
                gaps = []
                if not role_allows(t, role_id, "sns:Publish", resource_ids=(topic_id,)):
                    gaps.append("sns:Publish")
                if topic_key:
                    gaps += [f"{a} on {topic_key[-1]}" for a in ("kms:GenerateDataKey", "kms:Decrypt")
                             if not _key_allows(t, role_id, a, topic_key)]
                if gaps:
                    missing.append(f"{role_id} ({', '.join(gaps)})")
            if missing:
                yield RuleMatch(
                    ["Resources", cfg_id, "Properties", "AsyncInferenceConfig", "OutputConfig",
                     "NotificationConfig", key],
                    f"Endpoint config {cfg_id} notifies {key} {topic_id}, but execution role "
                    f"{'; '.join(missing)} cannot publish to it, so no notification is sent. Grant sns:Publish on "
                    f"the topic (and kms:GenerateDataKey*, kms:Decrypt on its key) to the role.",
                )


def _model_of_variant(template: Any, variant: Mapping[str, Any]) -> tuple[str | None, Mapping[str, Any] | None]:
    model_id = target(variant.get("ModelName"))
    model = resource(template, model_id)
    if model is None or model.get("Type") != "AWS::SageMaker::Model":
        return None, None
    return model_id, model


def _is_multi_model(model_id: str, model: Mapping[str, Any]) -> bool:
    return any(c.definition.get("Mode") == "MultiModel" for c in containers(model_id, model))


class MultiModelHost(_ConfigRule, CloudFormationLintRule):
    """Multi-model endpoints run on CPU instances with a multi-model capable container, and on GPU instances only
    through the SageMaker Triton Inference Server; AWS Inferentia/Trainium instances are not among the supported
    instance types.
    Source: Amazon SageMaker developer guide, "Supported algorithms, frameworks, and instances for multi-model
    endpoints", https://docs.aws.amazon.com/sagemaker/latest/dg/multi-model-support.html.
    """

    id = "E9804"
    shortdesc = "Multi-model endpoint on an instance or container that cannot host it"
    description = "A MultiModel container on a GPU instance without Triton, or on an Inferentia/Trainium instance"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/multi-model-support.html"

    def check(self, t: Template, cfg_id: str, cfg: Mapping[str, Any]) -> Iterator[RuleMatch]:
        for i, v in enumerate(variants(cfg)):
            model_id, model = _model_of_variant(t, v)
            itype = v.get("InstanceType")
            if model_id is None or model is None or not isinstance(itype, str):
                continue
            if not _is_multi_model(model_id, model):
                continue
            images = [find_string(t, c.definition.get("Image")) for c in containers(model_id, model)]
            problem = None
            if is_neuron(itype):
                problem = f"{itype} is an AWS Inferentia/Trainium instance, which multi-model endpoints do not " \
                          f"support; use a CPU instance, or a GPU instance with the Triton image"
            elif is_gpu(itype) and not any("tritonserver" in img for img in images):
                problem = f"{itype} is a GPU instance, where multi-model endpoints run only on the SageMaker " \
                          f"Triton Inference Server image (sagemaker-tritonserver); use it or a CPU instance"
            if problem:
                yield RuleMatch(
                    ["Resources", cfg_id, "Properties", "ProductionVariants", i, "InstanceType"],
                    f"Endpoint config {cfg_id} hosts multi-model {model_id} on variant {v.get('VariantName')}, "
                    f"but {problem}.",
                )


def _shadow_exclusion(template: Any, cfg_id: str, cfg: Mapping[str, Any]) -> str | None:
    if is_async(cfg):
        return "it is an asynchronous endpoint config (AsyncInferenceConfig)"
    for _, _, v in all_variants(cfg):
        name = v.get("VariantName")
        if is_serverless(v):
            return f"variant {name} is serverless"
        itype = v.get("InstanceType")
        if isinstance(itype, str) and family(itype) == "inf1":
            return f"variant {name} runs on {itype} (Inf1)"
        if v.get("AcceleratorType"):
            return f"variant {name} uses Elastic Inference (AcceleratorType)"
        model_id, model = _model_of_variant(template, v)
        if model_id is None or model is None:
            continue
        cs = containers(model_id, model)
        if len(cs) > 1:
            return f"model {model_id} of variant {name} has {len(cs)} containers"
        if _is_multi_model(model_id, model):
            return f"model {model_id} of variant {name} is multi-model"
        if any(is_marketplace(template, c) for c in cs):
            return f"model {model_id} of variant {name} is an AWS Marketplace model package"
    return None


class ShadowVariantExcluded(_ConfigRule, CloudFormationLintRule):
    """Shadow variants are refused (validation error) on serverless and asynchronous endpoints, with Marketplace
    containers, multi-container (serial pipeline) models, multi-model endpoints, Inf1 instances and Elastic
    Inference.
    Source: Amazon SageMaker developer guide, shadow tests "Exclusions",
    https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-exclusions.html.
    """

    id = "E9805"
    shortdesc = "Shadow variant on an endpoint that cannot have one"
    description = ("ShadowProductionVariants with serverless, async, Marketplace, multi-container, multi-model, Inf1 "
                   "or Elastic Inference")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-exclusions.html"

    def check(self, t: Template, cfg_id: str, cfg: Mapping[str, Any]) -> Iterator[RuleMatch]:
        if not as_list(props(cfg).get("ShadowProductionVariants")):
            return
        reason = _shadow_exclusion(t, cfg_id, cfg)
        if reason:
            yield RuleMatch(
                ["Resources", cfg_id, "Properties", "ShadowProductionVariants"],
                f"Endpoint config {cfg_id} has a shadow variant, but {reason}; SageMaker does not support shadow "
                f"variants there. Test the candidate on an endpoint without these features, or remove "
                f"ShadowProductionVariants.",
            )


class InferenceComponentVariant(TemplateRule, CloudFormationLintRule):
    """An inference component is placed on an existing production variant of its endpoint (``VariantName``); the
    variant must exist in the endpoint's config and provide instances for the component to run on (an instance-based
    variant that does not itself name a model).
    Source: SageMaker API reference, "CreateInferenceComponent" (VariantName: "The name of an existing production
    variant where you host the inference component"),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceComponent.html, and the developer
    guide, "Deploy models for real-time inference" (inference components),
    https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html.
    """

    id = "E9806"
    shortdesc = "Inference component on a variant that cannot host it"
    description = ("An inference component names a variant its endpoint config lacks, or one that is serverless or "
                   "already runs a model")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceComponent.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for ep_id, ep in resources(t, "AWS::SageMaker::Endpoint"):
            cfg_id = config_of_endpoint(t, ep)
            if cfg_id is None:
                continue
            listed = variants(resource(t, cfg_id))
            # Only variants named by plain strings can be matched; a name from an intrinsic is unknown here.
            vs = {v["VariantName"]: v for v in listed if isinstance(v.get("VariantName"), str)}
            some_unknown = len(vs) < len(listed)
            for ic_id, ic in inference_components(t, ep_id):
                name = props(ic).get("VariantName")
                if not isinstance(name, str):
                    continue
                v = vs.get(name)
                problem = None
                if v is None and some_unknown:
                    continue
                if v is None:
                    problem = f"{cfg_id} has no production variant {name!r} (it has {sorted(map(str, vs))})"
                elif is_serverless(v):
                    problem = f"variant {name} of {cfg_id} is serverless"
                elif "ModelName" in v:
                    problem = f"variant {name} of {cfg_id} already runs a model (ModelName)"
                if problem:
                    yield RuleMatch(
                        ["Resources", ic_id, "Properties", "VariantName"],
                        f"Inference component {ic_id} runs on endpoint {ep_id}, but {problem}. Name an "
                        f"instance-based variant of the config that has InstanceType and no ModelName.",
                    )


class ManagedInstanceScalingBounds(_ConfigRule, CloudFormationLintRule):
    """``ManagedInstanceScaling`` keeps a variant between ``MinInstanceCount`` and ``MaxInstanceCount``; a minimum above
    the maximum, or an ``InitialInstanceCount`` outside the range, cannot be honoured.
    Source: SageMaker API reference, "ProductionVariantManagedInstanceScaling",
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantManagedInstanceScaling.html.
    """

    id = "E9807"
    shortdesc = "ManagedInstanceScaling bounds that cannot hold"
    description = "MinInstanceCount above MaxInstanceCount, or InitialInstanceCount outside them"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantManagedInstanceScaling.html"

    def check(self, t: Template, cfg_id: str, cfg: Mapping[str, Any]) -> Iterator[RuleMatch]:
        for i, v in enumerate(variants(cfg)):
            mis = v.get("ManagedInstanceScaling")
            if not isinstance(mis, Mapping) or mis.get("Status") == "DISABLED":
                continue
            lo, hi = number(mis.get("MinInstanceCount")), number(mis.get("MaxInstanceCount"))
            initial = number(v.get("InitialInstanceCount"))
            path = ["Resources", cfg_id, "Properties", "ProductionVariants", i, "ManagedInstanceScaling"]
            if lo is not None and hi is not None and lo > hi:
                yield RuleMatch(path, f"Endpoint config {cfg_id}, variant {v.get('VariantName')}: "
                                           f"ManagedInstanceScaling.MinInstanceCount {lo:g} is above "
                                           f"MaxInstanceCount {hi:g}. Make MinInstanceCount <= MaxInstanceCount.")
            elif initial is not None and ((lo is not None and initial < lo) or (hi is not None and initial > hi)):
                yield RuleMatch(path, f"Endpoint config {cfg_id}, variant {v.get('VariantName')}: "
                                           f"InitialInstanceCount {initial:g} is outside ManagedInstanceScaling "
                                           f"[{lo if lo is None else f'{lo:g}'}, "
                                           f"{hi if hi is None else f'{hi:g}'}]. Start within the range.")

