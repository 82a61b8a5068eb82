"""The base shared by every endpoint kind: endpoint config, endpoint, KMS, variants, grants, metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from aws_cdk import Annotations, Stack
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._instances import accelerator_of, has_instance_storage
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, stack_of
from cdk_sagemaker.constructs._keys import rotation_problem, service_key
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs.autoscaling import AutoScaling, VariantScaling
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.deployment import DeploymentBinding, DeploymentStrategy
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.metrics import EndpointMetrics, VariantMetrics
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.registry import tag_config_versions
from cdk_sagemaker.constructs.variant import VariantKind
from cdk_sagemaker.errors import Problem, Problems, ValidationError

__all__ = ["EndpointBase", "EndpointMetrics", "EndpointVariant", "VariantKind", "VariantMetrics", "VariantSpec",
           "accelerator_problems", "has_instance_storage", "instance_problems",
           "security_problems", "variant_name_problems"]

def accelerator_problems(where: str, image: ContainerImage, instance_type: str | None, *,
                         where_image: str) -> list[Problem]:
    """A problem when ``image`` needs an accelerator that ``instance_type`` (None: serverless) lacks."""
    needed = image.accelerator
    if needed is None or (instance_type is not None and is_unresolved(instance_type)):
        return []
    label = {"gpu": "an NVIDIA GPU", "neuron": "an AWS Inferentia or Trainium (Neuron) device"}.get(needed, needed)
    if instance_type is None:
        return [Problem.of(f"{where}model", f"must not run a {needed.upper()} image on a serverless endpoint "
                           f"(Serverless Inference has no accelerators); {where_image} is {image.describe()}, built "
                           f"for {label}", where_image)]
    if accelerator_of(instance_type) != needed:
        families = "ml.g5, ml.g6, ml.p4d, ..." if needed == "gpu" else "ml.inf2, ml.trn1, ..."
        return [Problem.of(f"{where}instance_type", f"must have {label} ({families}) for {where_image}, which is "
                           f"{image.describe()}, built for {needed.upper()}", instance_type)]
    return []


def instance_problems(where: str, instance_type: str, instance_count: int | None, *,
                      enum_shape: str = "ProductionVariantInstanceType") -> list[Problem]:
    """Problems of a variant's instance type (botocore's ``enum_shape``) and instance count."""
    problems = Problems("")
    allowed = _limits.enum(enum_shape)
    if instance_type not in allowed:
        near = sorted(t for t in allowed if t.split(".")[1:2] == instance_type.split(".")[1:2])
        hint = f"; the {instance_type.split('.')[1]} family has {', '.join(near)}" if near else ""
        problems.add(f"{where}instance_type", f"must be a SageMaker instance type from botocore's {enum_shape} "
                     f"(for example ml.m5.large){hint}", instance_type)
    if instance_count is not None:
        lo, hi = _limits.member_bounds("ProductionVariant", "InitialInstanceCount")
        if not _limits.check_range(instance_count, lo, hi):
            problems.add(f"{where}instance_count", f"must be {_limits.range_text(lo, hi)}", instance_count)
    return list(problems.items)


def variant_name_problems(where: str, name: str) -> list[Problem]:
    """Problems of a variant name (botocore ``VariantName``)."""
    if _limits.matches("VariantName", name):
        return []
    return [Problem.of(f"{where}variant_name", f"must match {_limits.pattern('VariantName')} (letters, digits and "
                       f"hyphens, at most {_limits.bounds('VariantName')[1]} characters)", name)]


@dataclass(frozen=True, kw_only=True, slots=True)
class VariantSpec:
    """What an endpoint subclass passes to :meth:`EndpointBase._build` for one production (or shadow) variant.

    It is a :class:`~cdk_sagemaker.constructs.variant.VariantFacts`, so options are validated against it before the
    endpoint exists (``auto_scaling.problems(spec)``). ``serverless`` holds the L1 ``ServerlessConfig`` values
    (``memory_size_in_mb``, ``max_concurrency``, optional ``provisioned_concurrency``); ``extra`` more keyword
    arguments of ``CfnEndpointConfig.ProductionVariantProperty``.
    """

    variant_name: str
    #: ``None`` for a variant that hosts inference components (the components name their models).
    model: Model | None
    kind: VariantKind
    instance_type: str | None = None
    initial_instance_count: int | None = None
    initial_weight: float = 1.0
    serverless: Mapping[str, int] | None = None
    auto_scaling: AutoScaling | None = None
    shadow: bool = False
    extra: Mapping[str, Any] | None = None

    @property
    def provisioned_concurrency(self) -> int | None:
        return (self.serverless or {}).get("provisioned_concurrency")

    @property
    def max_concurrency(self) -> int | None:
        return (self.serverless or {}).get("max_concurrency")


def _local_storage_types(specs: Sequence[VariantSpec]) -> list[str]:
    """The instance types of ``specs`` with local NVMe storage, which refuse a ``KmsKeyId``."""
    return sorted({s.instance_type for s in specs
                   if s.instance_type is not None and has_instance_storage(s.instance_type)})


def security_problems(specs: Sequence[VariantSpec], kms_key: kms.IKey | None, *,
                      storage_kms: bool = True) -> list[Problem]:
    """Problems every endpoint kind shares, for its production and shadow variant ``specs``: a key of this app
    without rotation, a key on instance types whose local NVMe storage refuses one, accelerator images on
    instances (or serverless compute) without that accelerator, and variants of two or more instances whose
    model's network spans one Availability Zone (all instances would share its fate; SageMaker hosting asks for
    subnets in two AZs; one instance in one AZ only warns, see :meth:`EndpointBase._warn_single_az`).
    ``storage_kms``: whether the endpoint config takes a key for the storage volumes (not serverless)."""
    problems = Problems("")
    msg = rotation_problem("kms_key", kms_key)
    if msg:
        problems.add_message(msg)
    local = _local_storage_types(specs)
    if kms_key is not None and storage_kms and local:
        # CreateEndpointConfig fails when KmsKeyId is set and any variant has local NVMe storage (API reference,
        # CreateEndpointConfig, KmsKeyId): refuse the key rather than drop it silently.
        problems.add("kms_key", "must not be given when a variant runs on an instance type with local NVMe "
                     f"storage ({', '.join(local)}): SageMaker encrypts those volumes in hardware and rejects "
                     "a KmsKeyId on the endpoint config", node_path(kms_key))
    # Reject a GPU (CUDA) or Neuron image on an instance type without that accelerator, and on serverless
    # endpoints (which have neither): the container fails to start and the endpoint never reaches InService.
    # Serverless Inference does not support GPUs (SageMaker developer guide, "Serverless Inference", feature
    # exclusions); accelerated families: EC2 user guide, "Accelerated computing instances".
    for spec in specs:
        if spec.model is None:
            continue
        for i, container in enumerate(spec.model.containers):
            problems.extend(accelerator_problems(f"variant {spec.variant_name!r} ", container.image,
                                                 spec.instance_type,
                                                 where_image=f"{node_path(spec.model)} containers[{i}]"))
    for spec in specs:
        network = spec.model.network if spec.model is not None else None
        count = spec.initial_instance_count or 1
        if network is not None and network.is_single_az and count >= 2:
            problems.add(f"variant {spec.variant_name!r} instance_count", "must be 1 when the model's network "
                         "has subnets in a single Availability Zone (give the network subnets in two or more)",
                         count)
    return list(problems.items)


#: What RetainAllVariantProperties does not retain (see EndpointBase.retain_scaled_capacity): the traffic split.
_EXCLUDE_FROM_RETENTION: list[Any] = [
    sagemaker.CfnEndpoint.VariantPropertyProperty(variant_property_type="DesiredWeight")]


class EndpointVariant(VariantMetrics):
    """One production (or shadow) variant of a deployed endpoint: its name, kind, metrics and scaling target.

    Not a construct: the :class:`~cdk_sagemaker.constructs.variant.IEndpointVariant` that auto scaling, rollout
    alarms, data capture and dashboards attach to. ``model`` is ``None`` on a variant that hosts inference
    components.
    """

    def __init__(self, endpoint: EndpointBase, spec: VariantSpec) -> None:
        self.endpoint = endpoint
        self.variant_name = spec.variant_name
        self.model = spec.model
        self.kind: VariantKind = spec.kind
        self.instance_type = spec.instance_type
        self.initial_instance_count = spec.initial_instance_count
        self.shadow = spec.shadow
        self.serverless = spec.serverless
        self._scalable_target: appscaling.CfnScalableTarget | None = None
        self._scaling: VariantScaling | None = None

    # -- the leaf protocol (IEndpointVariant) -------------------------------------------------------------------
    @property
    def provisioned_concurrency(self) -> int | None:
        return (self.serverless or {}).get("provisioned_concurrency")

    @property
    def max_concurrency(self) -> int | None:
        return (self.serverless or {}).get("max_concurrency")

    @property
    def scope(self) -> Construct:
        """The endpoint: the variant's scaling resources and alarms are created under it."""
        return self.endpoint

    @property
    def metrics_owner(self) -> Construct:
        return self.endpoint

    @property
    def endpoint_name(self) -> str:
        return self.endpoint.endpoint_name

    @property
    def endpoint_arn(self) -> str:
        return self.endpoint.endpoint_arn

    @property
    def resource_id(self) -> str:
        """The Application Auto Scaling resource id, ``endpoint/<name>/variant/<variant>``."""
        # A string with the name token in it renders the same Fn::Join as Fn.join("", [...]), without its round trip.
        return f"endpoint/{self.endpoint.endpoint_name}/variant/{self.variant_name}"

    @property
    def accelerator_type(self) -> str | None:
        """The Elastic Inference accelerator of the variant as rendered in the endpoint config (a subclass's
        ``_render_variant`` may add one), or None."""
        config = getattr(self.endpoint, "cfn_endpoint_config", None)  # None while the endpoint validates
        if config is None:
            return None
        rendered = config.production_variants
        if isinstance(rendered, list):
            for pv in rendered:
                if isinstance(pv, sagemaker.CfnEndpointConfig.ProductionVariantProperty) \
                        and pv.variant_name == self.variant_name and pv.accelerator_type:
                    return pv.accelerator_type
        return None

    def execution_principals(self) -> Sequence[PolicySink]:
        """The principals SageMaker acts as for this variant's endpoint (:meth:`EndpointBase.execution_principals`)."""
        return self.endpoint.execution_principals()

    def register_scalable_target(self, target: appscaling.CfnScalableTarget) -> None:
        """Record the variant's scalable target (once) and make the endpoint retain the capacity scaling reaches."""
        if self._scalable_target is not None:
            raise ValidationError(node_path(self.endpoint), [
                f"auto_scaling must be given once per variant (one scalable target each), got a second scalable "
                f"target for variant {self.variant_name!r}"])
        self._scalable_target = target
        self.endpoint.retain_scaled_capacity()

    # -- scaling ------------------------------------------------------------------------------------------------
    @property
    def scalable_target(self) -> appscaling.CfnScalableTarget:
        """The variant's Application Auto Scaling target (with ``auto_scaling=`` or after :meth:`auto_scale`)."""
        return configured(self._scalable_target, self.endpoint, f"variant {self.variant_name!r} scalable_target",
                          "the variant does not auto-scale (pass auto_scaling=... or call auto_scale())")

    @property
    def scaling(self) -> VariantScaling:
        """The variant's auto scaling (policies and alarms), with ``auto_scaling=`` or after :meth:`auto_scale`."""
        return configured(self._scaling, self.endpoint, f"variant {self.variant_name!r} scaling",
                          "the variant does not auto-scale (pass auto_scaling=... or call auto_scale())")

    def auto_scale(self, scaling: AutoScaling) -> VariantScaling:
        """Scale this variant with ``scaling`` (validated like the endpoints' ``auto_scaling=``); once per variant.

        Use it when a policy needs the endpoint itself, e.g. step scaling on ``endpoint.metric_model_latency()``.
        """
        problems = Problems(node_path(self.endpoint))
        if self._scaling is not None or self._scalable_target is not None:
            problems.add_message(f"auto_scaling must be given once per variant (one scalable target each), got a "
                                 f"second AutoScaling for variant {self.variant_name!r}")
        else:
            problems.extend(scaling.problems(self))
        problems.raise_if_any()
        return self._attach(scaling)

    def _attach(self, scaling: AutoScaling) -> VariantScaling:
        self._scaling = VariantScaling(self.scope, f"AutoScaling{self.variant_name}", variant=self, scaling=scaling)
        return self._scaling


class EndpointBase(EndpointMetrics, Construct):
    """Shared machinery of :class:`RealtimeEndpoint`, :class:`ServerlessEndpoint` and :class:`AsyncEndpoint`.

    Subclasses validate their props, then call :meth:`_build` with their variants. Each part is a protected hook
    (``_create_kms_key``, ``_render_variant``, ``_endpoint_config_props``, ``_create_endpoint_config``,
    ``_create_endpoint``, ``_attach_auto_scaling``) so that a subclass can override exactly one.

    Attributes: ``cfn_endpoint`` (``node.default_child``), ``cfn_endpoint_config``, ``variants``,
    ``shadow_variants``, ``endpoint_name``, ``endpoint_arn``, ``deployment_alarms``; and, where the options create
    them, ``kms_key`` (the storage volumes' key: not where SageMaker refuses one), ``deployment`` (with
    ``deployment=``) and ``data_capture_bucket`` (with ``data_capture=``). Reading one that was not created raises
    :class:`~cdk_sagemaker.errors.NotConfiguredError` (an ``AttributeError``: ``getattr(endpoint, name, None)``
    tests for it).
    """

    #: IAM actions ``grant_invoke`` gives.
    _INVOKE_ACTIONS: ClassVar[tuple[str, ...]] = ("sagemaker:InvokeEndpoint",)
    #: Whether the endpoint config takes a KMS key for the instances' storage volumes.
    _STORAGE_KMS: ClassVar[bool] = True

    _kms_key: kms.IKey | None
    cfn_endpoint_config: sagemaker.CfnEndpointConfig
    cfn_endpoint: sagemaker.CfnEndpoint
    variants: tuple[EndpointVariant, ...]
    shadow_variants: tuple[EndpointVariant, ...]
    _deployment_binding: DeploymentBinding | None
    _data_capture_bucket: s3.IBucket | None

    @property
    def kms_key(self) -> kms.IKey:
        """The key of the instances' ML storage volumes (given, or created)."""
        return configured(self._kms_key, self, "kms_key", self._no_kms_key_text())

    def _no_kms_key_text(self) -> str:
        """Why ``kms_key`` is absent (a subclass whose service refuses the key says why)."""
        reason = self._no_storage_key_reason()
        return reason if reason is not None else "the endpoint config takes no storage volume key"

    @property
    def deployment(self) -> DeploymentBinding:
        """The bound deployment strategy: the rollback alarms and the rendered ``DeploymentConfig``."""
        return configured(self._deployment_binding, self, "deployment",
                          "no deployment strategy was given (pass deployment=DeploymentStrategy...)")

    @property
    def data_capture_bucket(self) -> s3.IBucket:
        """The bucket captured requests and responses go to (given, or created)."""
        return configured(self._data_capture_bucket, self, "data_capture_bucket",
                          "data capture is off (pass data_capture=DataCapture(...))")

    # -- building ----------------------------------------------------------------------------------------------
    def _build(self, variants: Sequence[VariantSpec], *, kms_key: kms.IKey | None,
               deployment: DeploymentStrategy | None = None, shadow_variants: Sequence[VariantSpec] = (),
               data_capture: DataCapture | None = None) -> None:
        """Create key, endpoint config, endpoint and scaling from validated variant specs."""
        self._specs = tuple(variants)
        self._shadow_specs = tuple(shadow_variants)
        problems = Problems(node_path(self))
        problems.extend(self._security_problems((*self._specs, *self._shadow_specs), kms_key))
        problems.raise_if_any()
        self._warn_single_az()
        self._deployment = deployment
        self._data_capture = data_capture
        self._data_capture_bucket = None
        self.variants = tuple(EndpointVariant(self, s) for s in self._specs)
        self.shadow_variants = tuple(EndpointVariant(self, s) for s in self._shadow_specs)
        self._kms_key = self._create_kms_key(kms_key)
        self.cfn_endpoint_config = self._create_endpoint_config()
        self.cfn_endpoint = self._create_endpoint()
        self._attach_auto_scaling()

    def _deployment_problems(self, specs: Sequence[VariantSpec],
                             deployment: DeploymentStrategy | None) -> list[Problem]:
        """The problems of ``deployment`` on these production variants, for the kind's one ValidationError (the
        strategy checks again when it binds, after the config is rendered)."""
        if deployment is None:
            return []
        return deployment.problems([EndpointVariant(self, s) for s in specs])

    def _security_problems(self, specs: Sequence[VariantSpec], kms_key: kms.IKey | None) -> list[Problem]:
        """:func:`security_problems` of this endpoint kind. Subclasses report them with their own (one
        ValidationError); :meth:`_build` checks them again for subclasses that do not."""
        return security_problems(specs, kms_key, storage_kms=self._STORAGE_KMS)

    def _warn_single_az(self) -> None:
        for spec in (*self._specs, *self._shadow_specs):
            network = spec.model.network if spec.model is not None else None
            if network is not None and network.is_single_az and (spec.initial_instance_count or 1) < 2:
                Annotations.of(self).add_warning_v2(
                    "cdk-sagemaker:endpoint:single-az",
                    f"variant {spec.variant_name!r}: the model's network has subnets in one Availability Zone; "
                    "SageMaker hosting asks for subnets in at least two.")

    def _local_storage_types(self) -> list[str]:
        """The variants' instance types with local NVMe storage, which refuse a ``KmsKeyId``."""
        return _local_storage_types((*self._specs, *self._shadow_specs))

    def _needs_storage_key(self) -> bool:
        return self._STORAGE_KMS and not self._local_storage_types()

    def _no_storage_key_reason(self) -> str | None:
        """Why the endpoint config carries no ``KmsKeyId`` where the NIST 800-53 r5 and HIPAA packs ask for one, or
        None when it carries one. Subclasses whose service refuses the key say so (serverless)."""
        local = self._local_storage_types()
        if not self._STORAGE_KMS or not local:
            return None
        return (f"The variants run on instance types with local NVMe storage ({', '.join(local)}), which SageMaker "
                "encrypts with a hardware module on the instance; CreateEndpointConfig fails if a KmsKeyId is given "
                "for them (SageMaker API reference, CreateEndpointConfig, KmsKeyId).")

    def _create_kms_key(self, given: kms.IKey | None) -> kms.IKey | None:
        """The key for the instances' ML storage volumes. Default: a new key with rotation on whose policy lets the
        account use it only through SageMaker, EC2 (the volumes) and S3 (outputs)."""
        if given is not None or not self._needs_storage_key():
            return given
        return service_key(self, "Key", via_services=("sagemaker", "ec2", "s3"),
                           description=f"Encrypts the storage volumes (and outputs) of SageMaker endpoint "
                           f"{node_path(self)}")

    def _render_variant(self, spec: VariantSpec) -> sagemaker.CfnEndpointConfig.ProductionVariantProperty:
        serverless = None
        if spec.serverless is not None:
            serverless = sagemaker.CfnEndpointConfig.ServerlessConfigProperty(
                memory_size_in_mb=spec.serverless["memory_size_in_mb"],
                max_concurrency=spec.serverless["max_concurrency"],
                provisioned_concurrency=spec.serverless.get("provisioned_concurrency"),
            )
        return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
            variant_name=spec.variant_name,
            model_name=spec.model.model_name if spec.model is not None else None,
            # Instance pools replace InstanceType (see constructs/model_options.py, InstancePool).
            instance_type=None if "instance_pools" in (spec.extra or {}) else spec.instance_type,
            initial_instance_count=spec.initial_instance_count,
            initial_variant_weight=None if spec.shadow and spec.kind == "serverless" else spec.initial_weight,
            serverless_config=serverless,
            **dict(spec.extra or {}),
        )

    def _endpoint_config_props(self) -> dict[str, Any]:
        """Keyword arguments of ``CfnEndpointConfig``; subclasses add theirs (async config, data capture...)."""
        props: dict[str, Any] = {
            "production_variants": [self._render_variant(s) for s in self._specs],
        }
        if self._shadow_specs:
            props["shadow_production_variants"] = [self._render_variant(s) for s in self._shadow_specs]
        if self._kms_key is not None and self._needs_storage_key():
            props["kms_key_id"] = self._kms_key.key_arn
        capture = self._render_data_capture()
        if capture is not None:
            props["data_capture_config"] = capture
        return props

    def execution_principals(self) -> list[PolicySink]:
        """The principals SageMaker acts as for this endpoint (writes captured data, reads rollback alarms...): the
        execution role of every variant's model; subclasses add theirs (an inference-component endpoint's role)."""
        writers: list[PolicySink] = []
        for spec in (*self._specs, *self._shadow_specs):
            if spec.model is not None and spec.model not in writers:
                writers.append(spec.model)
        return writers

    def _render_data_capture(self) -> sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | None:
        """The config's ``DataCaptureConfig``, with write grants for :meth:`execution_principals`. Default: none."""
        if self._data_capture is None:
            return None
        bound = self._data_capture.bind(self, self.execution_principals())
        self._data_capture_bucket = bound.bucket
        return bound.config

    def _create_endpoint_config(self) -> sagemaker.CfnEndpointConfig:
        # No fixed name: CloudFormation names it, so a changed config is a replacement the endpoint moves to.
        config = sagemaker.CfnEndpointConfig(self, "Config", **self._endpoint_config_props())
        tag_config_versions(config, [(s.variant_name, s.model) for s in (*self._specs, *self._shadow_specs)])
        reason = self._no_storage_key_reason()
        if reason is not None:
            from cdk_sagemaker.constructs._nag import acknowledge_all

            acknowledge_all(config, [(f"{pack}-SageMakerEndpointConfigurationKMSKeyConfigured", reason)
                                     for pack in ("NIST.800.53.R5", "HIPAA.Security")])
        return config

    def _create_endpoint(self) -> sagemaker.CfnEndpoint:
        # A deployment strategy validates against the variants, creates the rollback alarms and fixes the endpoint's
        # name (the alarms name the endpoint and the endpoint names the alarms: one name must be known at synth).
        binding = self._deployment.bind(self, self.variants) if self._deployment is not None else None
        self._deployment_binding = binding
        # Variants scaled from the start (auto_scaling=...) retain their capacity from the start: the same two
        # properties retain_scaled_capacity sets later, given at creation (two fewer jsii round trips).
        retain = any(spec.auto_scaling is not None for spec in self._specs)
        self._retains_capacity = retain
        return sagemaker.CfnEndpoint(
            self, "Resource",
            endpoint_name=binding.endpoint_name if binding is not None else None,
            endpoint_config_name=self.cfn_endpoint_config.attr_endpoint_config_name,
            deployment_config=binding.config if binding is not None else None,
            retain_all_variant_properties=True if retain else None,
            exclude_retained_variant_properties=_EXCLUDE_FROM_RETENTION if retain else None,
        )

    def _attach_auto_scaling(self) -> None:
        """Scale the variants given ``auto_scaling`` (validated with the endpoint's props)."""
        for variant, spec in zip(self.variants, self._specs, strict=True):
            if spec.auto_scaling is not None:
                variant._attach(spec.auto_scaling)

    def retain_scaled_capacity(self) -> None:
        """Keep the capacity auto scaling reached across updates: set ``RetainAllVariantProperties``.

        Every update that brings a new endpoint config (a new model version, a changed variant) calls UpdateEndpoint;
        without ``RetainAllVariantProperties`` SageMaker sets each variant back to the config's initial instance
        count (or provisioned concurrency), dropping the capacity auto scaling added, at peak too (SageMaker API
        reference, UpdateEndpoint, RetainAllVariantProperties). ``DesiredWeight`` stays excluded from retention
        (``ExcludeRetainedVariantProperties``), so a changed traffic split in the new config still applies: auto
        scaling never changes weights. To change the instance type of an auto-scaled variant, deregister its
        scalable target first (see docs/auto-scaling.md). For serverless variants the documented retained properties
        (API reference, VariantProperty) do not name provisioned concurrency: the flag is set there too, and
        docs/auto-scaling.md says to keep ``provisioned_concurrency`` in step with the scaled value.
        """
        if getattr(self, "_retains_capacity", False):
            return
        self._retains_capacity = True
        self.cfn_endpoint.retain_all_variant_properties = True
        self.cfn_endpoint.exclude_retained_variant_properties = _EXCLUDE_FROM_RETENTION

    # -- public API --------------------------------------------------------------------------------------------
    @property
    def endpoint_name(self) -> str:
        """The endpoint's name (generated by CloudFormation)."""
        return self.cfn_endpoint.attr_endpoint_name

    @property
    def endpoint_arn(self) -> str:
        """The endpoint's ARN."""
        return self.cfn_endpoint.ref

    @property
    def deployment_alarms(self) -> tuple[cloudwatch.IAlarm, ...]:
        """The alarms that roll an endpoint update back (for dashboards and paging); empty without a strategy."""
        return self._deployment_binding.alarms if self._deployment_binding is not None else ()

    def variant(self, name: str) -> EndpointVariant:
        """The production or shadow variant called ``name``."""
        for v in (*self.variants, *self.shadow_variants):
            if v.variant_name == name:
                return v
        raise ValidationError(node_path(self), [Problem.of(
            "variant_name", f"must name a variant of the endpoint, one of "
            f"{[v.variant_name for v in (*self.variants, *self.shadow_variants)]}", name)])

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` invoke this endpoint (and nothing else)."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=list(self._INVOKE_ACTIONS),
                                          resource_arns=[self.endpoint_arn])

    def _primary(self, variant_name: str | None) -> EndpointVariant:
        return self.variant(variant_name) if variant_name is not None else self.variants[0]

    @property
    def stack(self) -> Stack:
        return stack_of(self)
