"""Typed options for the rest of the SageMaker hosting API: private-registry images (``ImageConfig``; the image
type itself, :class:`~cdk_sagemaker.constructs.images.PrivateRegistryImage`, lives with the other images), multi-model
caching (``MultiModelConfig``), core dumps (``CoreDumpConfig``), instance pools, and online explainability with
SageMaker Clarify (``ExplainerConfig``).

Each option validates itself against botocore's SageMaker model (:mod:`cdk_sagemaker._limits`) and the cross-field
rules the service documents (cited on each), returns its problems for the construct that uses it, and renders its
L1 property. ``Model``, ``ProductionVariant`` and ``RealtimeEndpoint`` take them as keyword arguments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from aws_cdk import Duration, IResolvable
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._instances import has_instance_storage
from cdk_sagemaker.constructs._checks import to_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs.images import ContainerImage, PrivateRegistryImage
from cdk_sagemaker.errors import Problem, Problems

__all__ = ["ClarifyExplainer", "CoreDump", "InstancePool", "RetainedProperty",
           "image_config_of", "retention_problems", "retention_properties"]


# -- private Docker registries (ImageConfig) ----------------------------------------------------------------------
def image_config_of(image: ContainerImage) -> sagemaker.CfnModel.ImageConfigProperty | None:
    """The ``ImageConfig`` of a container's image (only private-registry images have one)."""
    return image.render() if isinstance(image, PrivateRegistryImage) else None


def private_registry_problems(where: str, image: ContainerImage, *, has_network: bool) -> list[Problem]:
    """A private-registry image needs the model in a VPC: "Models that you create based on the images stored in your
    private Docker registry must be configured to connect to the same VPC where the private Docker registry is
    accessible" (developer guide, "Use a Private Docker Registry for Real-Time Inference Containers")."""
    if isinstance(image, PrivateRegistryImage) and not has_network:
        return [Problem.of(f"{where}image", "is in a private Docker registry (RepositoryAccessMode Vpc), which "
                           "SageMaker reaches only through the model's VPC: pass network=InferenceNetwork(...) in "
                           "the VPC where the registry is reachable", image.uri)]
    return []


def model_cache_problems(where: str, model_cache: bool | None, multi_model: bool) -> list[Problem]:
    """``MultiModelConfig.ModelCacheSetting`` applies to multi-model containers only (botocore ``MultiModelConfig``:
    "Specifies additional configuration for multi-model endpoints")."""
    if model_cache is not None and not multi_model:
        return [Problem.of(f"{where}model_cache", "applies only to a multi-model container (multi_model=True)",
                           model_cache)]
    return []


def render_multi_model_config(model_cache: bool | None) -> sagemaker.CfnModel.MultiModelConfigProperty | None:
    if model_cache is None:
        return None
    return sagemaker.CfnModel.MultiModelConfigProperty(model_cache_setting="Enabled" if model_cache else "Disabled")


# -- core dumps (ProductionVariant.CoreDumpConfig) -----------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, slots=True)
class CoreDump:
    """Where SageMaker writes a core dump when the model container's process crashes (``CoreDumpConfig`` of a
    production variant).

    - ``bucket`` / ``prefix``: the destination (``s3://<bucket>/<prefix>/``). The execution role of the variant's
      model may put objects under exactly that prefix.
    - ``kms_key``: the key for S3 server-side encryption of the dumps; the execution role may encrypt with it
      ("the SageMaker execution role must include permissions to call kms:Encrypt", botocore
      ``ProductionVariantCoreDumpConfig.KmsKeyId``). Default: the bucket's key, else S3's default key.

    Default prefix: ``core-dumps``.
    """

    bucket: s3.IBucket
    prefix: str = "core-dumps"
    kms_key: kms.IKey | None = None

    def problems(self, where: str) -> list[Problem]:
        problems = Problems("")
        if not is_unresolved(self.prefix) and (self.prefix.startswith("/") or self.prefix.endswith("/")
                                               or any(c.isspace() for c in self.prefix)):
            problems.add(f"{where}core_dump.prefix", "must be an S3 key prefix without a leading or trailing '/' "
                         "or white space", self.prefix)
        return list(problems.items)

    def bind(self, writers: Sequence[PolicySink]) -> sagemaker.CfnEndpointConfig.CoreDumpConfigProperty:
        """Grant ``writers`` (the variant's execution role) the writes, and render the property."""
        from cdk_sagemaker.constructs._nag import acknowledge_resource

        key = self.kms_key if self.kms_key is not None else self.bucket.encryption_key
        objects = self.bucket.arn_for_objects(f"{self.prefix}/*")
        for writer in writers:
            writer.add_to_role_policy(iam.PolicyStatement(actions=["s3:PutObject"], resources=[objects]))
            if key is not None:
                writer.add_to_role_policy(iam.PolicyStatement(
                    actions=["kms:Encrypt", "kms:GenerateDataKey"], resources=[key.key_arn]))
            if isinstance(writer, Construct):
                acknowledge_resource(writer, objects,
                                     "SageMaker names each core dump after the instance and time of the crash; the "
                                     "grant is s3:PutObject under exactly the core-dump prefix of this bucket.")
        return sagemaker.CfnEndpointConfig.CoreDumpConfigProperty(
            destination_s3_uri=self.bucket.s3_url_for_object(f"{self.prefix}/"),
            kms_key_id=self.kms_key.key_arn if self.kms_key is not None else None)


# -- instance pools (ProductionVariant.InstancePools) --------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, slots=True)
class InstancePool:
    """One instance type a production variant may be provisioned on (``InstancePools``): SageMaker tries the pools
    in order of ``priority`` (1 first) and moves to the next on insufficient capacity, within the variant's
    ``instance_provision_timeout`` (botocore ``ProductionVariant.InstancePools``, ``InstancePool``).

    - ``instance_type``: a botocore ``ProductionVariantInstanceType``.
    - ``priority``: 1 (highest) to 5 (botocore ``InstancePoolPriority``), unique within the variant.
    - ``model_name_override``: the name of another SageMaker model for this pool, e.g. one compiled for the
      instance type (``ModelNameOverride``). Default: the variant's model.
    """

    instance_type: str
    priority: int
    model_name_override: str | None = None

    def render(self) -> sagemaker.CfnEndpointConfig.InstancePoolProperty:
        return sagemaker.CfnEndpointConfig.InstancePoolProperty(
            instance_type=self.instance_type, priority=self.priority, model_name_override=self.model_name_override)


def instance_pool_problems(where: str, pools: Sequence[InstancePool] | None,
                           provision_timeout: Duration | None) -> list[Problem]:
    """Problems of a variant's instance pools and provisioning timeout (botocore ``InstancePoolList``,
    ``InstancePoolPriority``, ``VariantInstanceProvisionTimeoutInSeconds``)."""
    problems = Problems("")
    seconds = to_seconds(provision_timeout)
    if seconds is not None and not is_unresolved(seconds):
        lo, hi = _limits.bounds("VariantInstanceProvisionTimeoutInSeconds")
        if not _limits.check_range(seconds, lo, hi):
            problems.add(f"{where}instance_provision_timeout", f"must be {_limits.range_text(lo, hi)} seconds "
                         "(botocore VariantInstanceProvisionTimeoutInSeconds)", f"{seconds} s")
    if pools is None:
        return list(problems.items)
    lo, hi = _limits.list_bounds("InstancePoolList")
    if (lo is not None and len(pools) < lo) or (hi is not None and len(pools) > hi):
        problems.add(f"{where}instance_pools", f"must hold {_limits.range_text(lo, hi)} pools (botocore "
                     "InstancePoolList)", len(pools))
    allowed = _limits.enum("ProductionVariantInstanceType")
    plo, phi = _limits.bounds("InstancePoolPriority")
    seen_priorities: set[int] = set()
    seen_types: set[str] = set()
    for i, pool in enumerate(pools):
        at = f"{where}instance_pools[{i}]"
        if not is_unresolved(pool.instance_type):
            if pool.instance_type not in allowed:
                problems.add(f"{at}.instance_type", "must be a SageMaker instance type from botocore's "
                             "ProductionVariantInstanceType", pool.instance_type)
            elif pool.instance_type in seen_types:
                problems.add(f"{at}.instance_type", "must differ from the other pools' instance types",
                             pool.instance_type)
            seen_types.add(pool.instance_type)
        if not is_unresolved(pool.priority):
            if not _limits.check_range(pool.priority, plo, phi):
                problems.add(f"{at}.priority", f"must be {_limits.range_text(plo, phi)} (botocore "
                             "InstancePoolPriority)", pool.priority)
            elif pool.priority in seen_priorities:
                problems.add(f"{at}.priority", "must be unique among the variant's pools (SageMaker tries them in "
                             "order of priority)", pool.priority)
            seen_priorities.add(pool.priority)
        name = pool.model_name_override
        if name is not None and not is_unresolved(name) and not _limits.matches("ModelName", name):
            problems.add(f"{at}.model_name_override", f"must match {_limits.pattern('ModelName')}", name)
    known = [p.instance_type for p in pools if not is_unresolved(p.instance_type) and p.instance_type in allowed]
    if len({has_instance_storage(t) for t in known}) > 1:
        # The endpoint config has one KmsKeyId for every pool, and SageMaker refuses a KmsKeyId for instance types
        # with local NVMe storage (API reference, CreateEndpointConfig, KmsKeyId).
        problems.add(f"{where}instance_pools", "must all have local NVMe instance storage or all not (the endpoint "
                     "config's one KmsKeyId is refused by NVMe types and needed by the others)", known)
    return list(problems.items)


def first_pool_type(pools: Sequence[InstancePool] | None, instance_type: str) -> str:
    """The instance type SageMaker tries first: the pool of the lowest priority number (``instance_type`` without
    pools). Validation that reads a variant's instance type (families, accelerators, storage) reads this one."""
    ranked = [p for p in pools or () if isinstance(p.priority, int) and not is_unresolved(p.instance_type)]
    return min(ranked, key=lambda p: p.priority).instance_type if ranked else instance_type


# -- what an endpoint update keeps (RetainAllVariantProperties, ExcludeRetainedVariantProperties) ----------------------
#: Variant properties an update can keep from the running endpoint (botocore ``VariantPropertyType`` without
#: ``DataCaptureConfig``, which the API reference marks "Not currently supported").
RetainedProperty = Literal["DesiredInstanceCount", "DesiredWeight"]
_UNSUPPORTED_RETENTION = frozenset({"DataCaptureConfig"})


def retention_problems(retain: Sequence[str] | None, *, auto_scaled: bool) -> list[Problem]:
    """Problems of ``retain_on_update``: values from botocore ``VariantPropertyType`` (less the unsupported
    ``DataCaptureConfig``); with auto scaling the instance count must be kept, or every update resets the capacity
    auto scaling reached to the config's initial count (API reference, UpdateEndpoint, RetainAllVariantProperties)."""
    problems = Problems("")
    if retain is None:
        return []
    if isinstance(retain, str):
        return [Problem.of("retain_on_update", "must be a list of variant properties", retain)]
    allowed = _limits.enum("VariantPropertyType") - _UNSUPPORTED_RETENTION
    bad = [r for r in retain if r not in allowed]
    if bad:
        problems.add("retain_on_update", f"must hold only {', '.join(sorted(allowed))} (botocore VariantPropertyType; "
                     "DataCaptureConfig is not supported)", bad)
    if auto_scaled and "DesiredInstanceCount" not in retain:
        problems.add("retain_on_update", "must include 'DesiredInstanceCount' on an auto-scaled endpoint: an update "
                     "that takes the count from the new config drops the capacity auto scaling reached",
                     list(retain))
    return list(problems.items)


def retention_properties(
    retain: Sequence[str],
) -> tuple[bool, list[sagemaker.CfnEndpoint.VariantPropertyProperty | IResolvable]]:
    """``RetainAllVariantProperties`` and ``ExcludeRetainedVariantProperties`` that keep exactly ``retain``."""
    if not retain:
        return False, []
    allowed = sorted(_limits.enum("VariantPropertyType") - _UNSUPPORTED_RETENTION)
    return True, [sagemaker.CfnEndpoint.VariantPropertyProperty(variant_property_type=p)
                  for p in allowed if p not in retain]


# -- online explainability with SageMaker Clarify (ExplainerConfig) -------------------------------------------------
def jmespath_problem(expression: str | None) -> str | None:
    """Why ``expression`` is not a valid JMESPath expression, or None (also for None and tokens). Clarify evaluates
    ``EnableExplanations`` and the ``*Attribute`` fields as JMESPath; "If the JMESPath expression that you supplied is
    not valid, the endpoint creation will fail" (developer guide, "The EnableExplanations expression",
    https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-online-explainability-create-endpoint-enable.html).
    ``jmespath`` is the library botocore (a dependency through boto3) uses."""
    if expression is None or is_unresolved(expression):
        return None
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        jmespath.compile(expression)
    except JMESPathError as error:
        return str(error).splitlines()[0]
    return None


_MIME_TYPES = ("text/csv", "application/jsonlines")


@dataclass(frozen=True, kw_only=True, slots=True)
class ClarifyExplainer:
    """Online explainability with SageMaker Clarify (``ExplainerConfig.ClarifyExplainerConfig`` of the endpoint
    config): requests with ``EnableExplanations`` get Kernel SHAP feature attributions with the prediction
    (SageMaker developer guide, "Online explainability with SageMaker Clarify",
    https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-online-explainability.html, and "Configure and create an
    endpoint", https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-online-explainability-create-endpoint.html).

    The SHAP baseline (exactly one of, botocore ``ClarifyShapBaselineConfig``):

    - ``shap_baseline``: inline baseline records, at most 4 KB (botocore ``ClarifyShapBaseline``);
    - ``shap_baseline_bucket`` + ``shap_baseline_key``: a baseline file in S3 (read by the execution role of the
      endpoint's models, which gets ``s3:GetObject`` on exactly that object).

    ``baseline_mime_type``: ``text/csv`` or ``application/jsonlines`` (``MimeType``). Default: SageMaker's
    (``text/csv``). JSON Lines input needs ``content_template`` (``InferenceConfig.ContentTemplate``: "Required only
    when the model container input is in JSON Lines format").

    SHAP: ``number_of_samples`` (at least 1), ``use_logit``, ``seed``; text features: ``text_language`` (botocore
    ``ClarifyTextLanguage``) and ``text_granularity`` (``token``, ``sentence``, ``paragraph``), both or neither
    (``TextConfig`` requires both), required when ``feature_types`` has ``text``.

    ``enable_explanations``: a JMESPath Boolean expression evaluated per record. Default: SageMaker's (explain
    every record).

    Inference config (how the explainer calls the model container and reads its output): ``features_attribute``,
    ``content_template``, ``max_record_count``, ``max_payload_mb`` (1-25), ``probability_index``, ``label_index``,
    ``probability_attribute``, ``label_attribute``, ``label_headers`` (at most 16), ``feature_headers`` and
    ``feature_types`` (at most 256; ``numerical``, ``categorical``, ``text``, with at least one ``text`` when given:
    "If provided, FeatureTypes must have at least one 'text' string", botocore ``ClarifyInferenceConfig``).
    ``*_index`` applies to CSV output and ``*_attribute`` to JSON Lines output; the two of a pair are exclusive.
    """

    shap_baseline: str | None = None
    shap_baseline_bucket: s3.IBucket | None = None
    shap_baseline_key: str | None = None
    baseline_mime_type: Literal["text/csv", "application/jsonlines"] | None = None
    number_of_samples: int | None = None
    use_logit: bool | None = None
    seed: int | None = None
    text_language: str | None = None
    text_granularity: Literal["token", "sentence", "paragraph"] | None = None
    enable_explanations: str | None = None
    features_attribute: str | None = None
    content_template: str | None = None
    max_record_count: int | None = None
    max_payload_mb: int | None = None
    probability_index: int | None = None
    label_index: int | None = None
    probability_attribute: str | None = None
    label_attribute: str | None = None
    label_headers: Sequence[str] | None = None
    feature_headers: Sequence[str] | None = None
    feature_types: Sequence[Literal["numerical", "categorical", "text"]] | None = None

    def problems(self, where: str = "explainer.") -> list[Problem]:
        """Problems of the explainer's own fields and their combinations."""
        problems = Problems("")
        has_uri = self.shap_baseline_bucket is not None or self.shap_baseline_key is not None
        if (self.shap_baseline is None) == (not has_uri):
            problems.add(f"{where}shap_baseline", "and shap_baseline_bucket/shap_baseline_key are exclusive and one "
                         "is required (botocore ClarifyShapBaselineConfig: ShapBaseline and ShapBaselineUri)",
                         self.shap_baseline)
        if has_uri and (self.shap_baseline_bucket is None or not self.shap_baseline_key):
            problems.add(f"{where}shap_baseline_key", "must be given with shap_baseline_bucket (the baseline "
                         "file's key)", self.shap_baseline_key)
        strings = {"shap_baseline": "ClarifyShapBaseline", "enable_explanations": "ClarifyEnableExplanations",
                   "features_attribute": "ClarifyFeaturesAttribute", "content_template": "ClarifyContentTemplate",
                   "probability_attribute": "ClarifyProbabilityAttribute",
                   "label_attribute": "ClarifyLabelAttribute"}
        for name, shape in strings.items():
            value = getattr(self, name)
            if value is not None and not is_unresolved(value):
                lo, hi = _limits.bounds(shape)
                if not _limits.check_range(len(value.encode()), lo, hi):
                    problems.add(f"{where}{name}", f"must be {_limits.range_text(lo, hi)} bytes long (botocore "
                                 f"{shape})", value if len(value) < 80 else f"{len(value.encode())} bytes")
        numbers = {"number_of_samples": "ClarifyShapNumberOfSamples", "max_record_count": "ClarifyMaxRecordCount",
                   "max_payload_mb": "ClarifyMaxPayloadInMB", "probability_index": "ClarifyProbabilityIndex",
                   "label_index": "ClarifyLabelIndex"}
        for name, shape in numbers.items():
            value = getattr(self, name)
            if value is not None and not is_unresolved(value):
                lo, hi = _limits.bounds(shape)
                if not _limits.check_range(value, lo, hi):
                    problems.add(f"{where}{name}", f"must be {_limits.range_text(lo, hi)} (botocore {shape})", value)
        for name in ("enable_explanations", "features_attribute", "probability_attribute", "label_attribute"):
            msg = jmespath_problem(getattr(self, name))
            if msg is not None:
                problems.add(f"{where}{name}", f"must be a valid JMESPath expression ({msg}); an invalid "
                             "EnableExplanations makes endpoint creation fail", getattr(self, name))
        if self.baseline_mime_type is not None and self.baseline_mime_type not in _MIME_TYPES:
            problems.add(f"{where}baseline_mime_type", f"must be one of {', '.join(_MIME_TYPES)} (botocore "
                         "ClarifyShapBaselineConfig.MimeType)", self.baseline_mime_type)
        if self.baseline_mime_type == "application/jsonlines" and self.content_template is None:
            problems.add(f"{where}content_template", "is required when the model's input is JSON Lines "
                         "(baseline_mime_type='application/jsonlines'; botocore ClarifyInferenceConfig."
                         "ContentTemplate)", None)
        if (self.text_language is None) != (self.text_granularity is None):
            problems.add(f"{where}text_language", "and text_granularity must be given together (botocore "
                         "ClarifyTextConfig requires Language and Granularity)",
                         (self.text_language, self.text_granularity))
        if self.text_language is not None and not is_unresolved(self.text_language) \
                and self.text_language not in _limits.enum("ClarifyTextLanguage"):
            problems.add(f"{where}text_language", "must be an ISO 639 code from botocore's ClarifyTextLanguage "
                         "('xx' for a mix)", self.text_language)
        if self.text_granularity is not None and self.text_granularity not in _limits.enum("ClarifyTextGranularity"):
            problems.add(f"{where}text_granularity", "must be one of "
                         f"{', '.join(sorted(_limits.enum('ClarifyTextGranularity')))}", self.text_granularity)
        for name, shape in (("label_headers", "ClarifyLabelHeaders"), ("feature_headers", "ClarifyFeatureHeaders"),
                            ("feature_types", "ClarifyFeatureTypes")):
            values = getattr(self, name)
            if values is None:
                continue
            if isinstance(values, str):
                problems.add(f"{where}{name}", "must be a list of strings", values)
                continue
            lo, hi = _limits.list_bounds(shape)
            if not _limits.check_range(len(values), lo, hi):
                problems.add(f"{where}{name}", f"must hold {_limits.range_text(lo, hi)} items (botocore {shape})",
                             len(values))
        if self.feature_types is not None and not isinstance(self.feature_types, str):
            allowed = _limits.enum(_limits.shape("ClarifyFeatureTypes")["member"]["shape"])
            bad = [t for t in self.feature_types if t not in allowed]
            if bad:
                problems.add(f"{where}feature_types", f"must hold only {', '.join(sorted(allowed))}", bad)
            elif "text" not in self.feature_types:
                problems.add(f"{where}feature_types", "must include 'text' when given (botocore "
                             "ClarifyInferenceConfig.FeatureTypes: they apply to NLP explainability only)",
                             list(self.feature_types))
            elif self.text_language is None:
                problems.add(f"{where}text_language", "and text_granularity are required for text features "
                             "(ClarifyTextConfig: required for natural language processing explainability)", None)
        for index, attribute in (("probability_index", "probability_attribute"), ("label_index", "label_attribute")):
            if getattr(self, index) is not None and getattr(self, attribute) is not None:
                problems.add(f"{where}{index}", f"and {attribute} are exclusive: the index reads CSV output, the "
                             "attribute JSON Lines output", (getattr(self, index), getattr(self, attribute)))
        key = self.shap_baseline_key
        if key is not None and not is_unresolved(key) and (
                key.startswith("/") or key.endswith("/") or any(c.isspace() for c in key)):
            problems.add(f"{where}shap_baseline_key", "must be the key of one S3 object, without a leading or "
                         "trailing '/' or white space", key)
        return list(problems.items)

    def bind(self, readers: Sequence[PolicySink]) -> sagemaker.CfnEndpointConfig.ExplainerConfigProperty:
        """Grant ``readers`` (the endpoint's execution roles) the baseline file, and render the property."""
        ec = sagemaker.CfnEndpointConfig
        uri = None
        if self.shap_baseline_bucket is not None and self.shap_baseline_key is not None:
            uri = self.shap_baseline_bucket.s3_url_for_object(self.shap_baseline_key)
            for reader in readers:
                reader.add_to_role_policy(iam.PolicyStatement(
                    actions=["s3:GetObject"],
                    resources=[self.shap_baseline_bucket.arn_for_objects(self.shap_baseline_key)]))
                if self.shap_baseline_bucket.encryption_key is not None:
                    reader.add_to_role_policy(iam.PolicyStatement(
                        actions=["kms:Decrypt"], resources=[self.shap_baseline_bucket.encryption_key.key_arn]))
        text = None
        if self.text_language is not None and self.text_granularity is not None:
            text = ec.ClarifyTextConfigProperty(language=self.text_language, granularity=self.text_granularity)
        inference_given = any(getattr(self, name) is not None for name in (
            "features_attribute", "content_template", "max_record_count", "max_payload_mb", "probability_index",
            "label_index", "probability_attribute", "label_attribute", "label_headers", "feature_headers",
            "feature_types"))
        inference = ec.ClarifyInferenceConfigProperty(
            features_attribute=self.features_attribute, content_template=self.content_template,
            max_record_count=self.max_record_count, max_payload_in_mb=self.max_payload_mb,
            probability_index=self.probability_index, label_index=self.label_index,
            probability_attribute=self.probability_attribute, label_attribute=self.label_attribute,
            label_headers=list(self.label_headers) if self.label_headers is not None else None,
            feature_headers=list(self.feature_headers) if self.feature_headers is not None else None,
            feature_types=list(self.feature_types) if self.feature_types is not None else None,
        ) if inference_given else None
        return ec.ExplainerConfigProperty(clarify_explainer_config=ec.ClarifyExplainerConfigProperty(
            enable_explanations=self.enable_explanations,
            inference_config=inference,
            shap_config=ec.ClarifyShapConfigProperty(
                shap_baseline_config=ec.ClarifyShapBaselineConfigProperty(
                    mime_type=self.baseline_mime_type, shap_baseline=self.shap_baseline, shap_baseline_uri=uri),
                number_of_samples=self.number_of_samples, use_logit=self.use_logit, seed=self.seed,
                text_config=text),
        ))
