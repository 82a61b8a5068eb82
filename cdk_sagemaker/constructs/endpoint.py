"""The base shared by every endpoint kind: endpoint config, endpoint, KMS, variants, grants, metrics."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from aws_cdk import Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._jsii import node_path
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.errors import Problems

if TYPE_CHECKING:
    from aws_cdk import aws_applicationautoscaling as appscaling

    from cdk_sagemaker.constructs.autoscaling import AutoScaling

__all__ = ["EndpointBase", "EndpointVariant", "VariantKind"]

VariantKind = Literal["instance", "serverless", "async"]

# Instance families with local NVMe instance storage: SageMaker rejects a KmsKeyId on their endpoint configs
# (the local volumes are hardware-encrypted instead). Not in botocore's model; from the SageMaker developer guide
# ("Protect Data at Rest Using Encryption" / instance storage volumes).
_LOCAL_STORAGE_FAMILY = re.compile(r"^(?:[a-z]+\d+[a-z]*d[a-z]*|g5|g6|g6e|p5|p5e|p5en|trn1|trn1n|trn2)$")


def has_instance_storage(instance_type: str) -> bool:
    """True for instance types with local NVMe storage (``ml.m5d.large``, ``ml.g4dn.xlarge``, ``ml.g5.2xlarge``)."""
    parts = instance_type.split(".")
    return len(parts) == 3 and bool(_LOCAL_STORAGE_FAMILY.match(parts[1]))


class _DeploymentBinder(Protocol):
    def _bind(self, endpoint: EndpointBase) -> sagemaker.CfnEndpoint.DeploymentConfigProperty: ...


@dataclass(frozen=True, kw_only=True, slots=True)
class _VariantSpec:
    """Internal: what the base needs to render one production (or shadow) variant."""

    variant_name: str
    model: Model
    kind: VariantKind
    instance_type: str | None = None
    initial_instance_count: int | None = None
    initial_weight: float = 1.0
    serverless: Mapping[str, int] | None = None
    auto_scaling: AutoScaling | None = None
    shadow: bool = False
    extra: Mapping[str, Any] | None = None


class EndpointVariant:
    """One production (or shadow) variant of a deployed endpoint: its name, kind, metrics and scaling target.

    Not a construct: a handle that auto-scaling, rollout alarms and dashboards attach to.
    """

    def __init__(self, endpoint: EndpointBase, spec: _VariantSpec) -> None:
        self.endpoint = endpoint
        self.variant_name = spec.variant_name
        self.model = spec.model
        self.kind: VariantKind = spec.kind
        self.instance_type = spec.instance_type
        self.initial_instance_count = spec.initial_instance_count
        self.shadow = spec.shadow
        self.scalable_target: appscaling.CfnScalableTarget | None = None

    @property
    def resource_id(self) -> str:
        """The Application Auto Scaling resource id, ``endpoint/<name>/variant/<variant>``."""
        return Fn.join("", ["endpoint/", self.endpoint.endpoint_name, "/variant/", self.variant_name])

    def metric(self, metric_name: str, *, namespace: str = "AWS/SageMaker", statistic: str = "Sum",
               period: Duration | None = None, label: str | None = None) -> cloudwatch.Metric:
        """A CloudWatch metric of this variant (dimensions ``EndpointName`` and ``VariantName``)."""
        return cloudwatch.Metric(
            namespace=namespace, metric_name=metric_name, statistic=statistic, label=label,
            period=period or Duration.minutes(1),
            dimensions_map={"EndpointName": self.endpoint.endpoint_name, "VariantName": self.variant_name},
        )

    def metric_invocations(self, **kw: Any) -> cloudwatch.Metric:
        """Requests sent to the variant (Sum)."""
        return self.metric("Invocations", **kw)

    def metric_invocations_per_instance(self, **kw: Any) -> cloudwatch.Metric:
        """Invocations divided by instance count (Sum): the default auto-scaling metric."""
        return self.metric("InvocationsPerInstance", **kw)

    def metric_model_latency(self, *, statistic: str = "p99", **kw: Any) -> cloudwatch.Metric:
        """Time the model container took to respond, in microseconds. Default: p99."""
        return self.metric("ModelLatency", statistic=statistic, **kw)

    def metric_overhead_latency(self, *, statistic: str = "p99", **kw: Any) -> cloudwatch.Metric:
        """SageMaker's own overhead per request, in microseconds. Default: p99."""
        return self.metric("OverheadLatency", statistic=statistic, **kw)

    def metric_invocation_4xx_errors(self, **kw: Any) -> cloudwatch.Metric:
        """Requests the model answered with a 4XX (Sum)."""
        return self.metric("Invocation4XXErrors", **kw)

    def metric_invocation_5xx_errors(self, **kw: Any) -> cloudwatch.Metric:
        """Requests the model answered with a 5XX (Sum)."""
        return self.metric("Invocation5XXErrors", **kw)

    def metric_model_setup_time(self, *, statistic: str = "Average", **kw: Any) -> cloudwatch.Metric:
        """Time to launch new compute (serverless), in microseconds."""
        return self.metric("ModelSetupTime", statistic=statistic, **kw)

    def metric_cpu_utilization(self, *, statistic: str = "Average", **kw: Any) -> cloudwatch.Metric:
        """CPU utilization of the variant's instances, percent (sum over cores)."""
        return self.metric("CPUUtilization", namespace="/aws/sagemaker/Endpoints", statistic=statistic, **kw)

    def metric_memory_utilization(self, *, statistic: str = "Average", **kw: Any) -> cloudwatch.Metric:
        """Memory utilization of the variant's instances, percent."""
        return self.metric("MemoryUtilization", namespace="/aws/sagemaker/Endpoints", statistic=statistic, **kw)

    def metric_gpu_utilization(self, *, statistic: str = "Average", **kw: Any) -> cloudwatch.Metric:
        """GPU utilization of the variant's instances, percent (sum over GPUs)."""
        return self.metric("GPUUtilization", namespace="/aws/sagemaker/Endpoints", statistic=statistic, **kw)

    def metric_disk_utilization(self, *, statistic: str = "Average", **kw: Any) -> cloudwatch.Metric:
        """Disk utilization of the variant's instances, percent."""
        return self.metric("DiskUtilization", namespace="/aws/sagemaker/Endpoints", statistic=statistic, **kw)


class EndpointBase(Construct):
    """Shared machinery of :class:`RealtimeEndpoint`, :class:`ServerlessEndpoint` and :class:`AsyncEndpoint`.

    Subclasses validate their props, then call :meth:`_build` with their variants. Each part is a protected hook
    (``_create_kms_key``, ``_render_variant``, ``_endpoint_config_props``, ``_create_endpoint_config``,
    ``_create_endpoint``, ``_attach_auto_scaling``) so that a subclass can override exactly one.

    Attributes: ``cfn_endpoint`` (``node.default_child``), ``cfn_endpoint_config``, ``kms_key``, ``variants``,
    ``endpoint_name``, ``endpoint_arn``.
    """

    #: IAM actions ``grant_invoke`` gives.
    _INVOKE_ACTIONS: ClassVar[tuple[str, ...]] = ("sagemaker:InvokeEndpoint",)
    #: Whether the endpoint config takes a KMS key for the instances' storage volumes.
    _STORAGE_KMS: ClassVar[bool] = True

    kms_key: kms.IKey | None
    cfn_endpoint_config: sagemaker.CfnEndpointConfig
    cfn_endpoint: sagemaker.CfnEndpoint
    variants: tuple[EndpointVariant, ...]
    shadow_variants: tuple[EndpointVariant, ...]

    # -- shared validation -------------------------------------------------------------------------------------
    @staticmethod
    def _check_instance(problems: Problems, where: str, instance_type: str, instance_count: int | None,
                        *, enum_shape: str = "ProductionVariantInstanceType") -> None:
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

    @staticmethod
    def _check_variant_name(problems: Problems, where: str, name: str) -> None:
        if not _limits.matches("VariantName", name):
            problems.add(f"{where}variant_name", f"must match {_limits.pattern('VariantName')} (letters, digits "
                         f"and hyphens, at most {_limits.bounds('VariantName')[1]} characters)", name)

    # -- building ----------------------------------------------------------------------------------------------
    def _build(self, variants: Sequence[_VariantSpec], *, kms_key: kms.IKey | None,
               deployment: _DeploymentBinder | None = None, shadow_variants: Sequence[_VariantSpec] = ()) -> None:
        """Create key, endpoint config, endpoint and scaling from validated variant specs."""
        self._specs = tuple(variants)
        self._shadow_specs = tuple(shadow_variants)
        self._deployment = deployment
        self.variants = tuple(EndpointVariant(self, s) for s in self._specs)
        self.shadow_variants = tuple(EndpointVariant(self, s) for s in self._shadow_specs)
        self.kms_key = self._create_kms_key(kms_key)
        self.cfn_endpoint_config = self._create_endpoint_config()
        self.cfn_endpoint = self._create_endpoint()
        self._attach_auto_scaling()

    def _needs_storage_key(self) -> bool:
        return self._STORAGE_KMS and not any(
            s.instance_type is not None and has_instance_storage(s.instance_type)
            for s in (*self._specs, *self._shadow_specs)
        )

    def _create_kms_key(self, given: kms.IKey | None) -> kms.IKey | None:
        """The key for the instances' ML storage volumes. Default: a new key with rotation on."""
        if given is not None or not self._needs_storage_key():
            return given
        return kms.Key(self, "Key", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN,
                       description="Encrypts the storage volumes (and outputs) of SageMaker endpoint "
                                   f"{node_path(self)}")

    def _render_variant(self, spec: _VariantSpec) -> sagemaker.CfnEndpointConfig.ProductionVariantProperty:
        serverless = None
        if spec.serverless is not None:
            serverless = sagemaker.CfnEndpointConfig.ServerlessConfigProperty(
                memory_size_in_mb=spec.serverless["memory_size_in_mb"],
                max_concurrency=spec.serverless["max_concurrency"],
                provisioned_concurrency=spec.serverless.get("provisioned_concurrency"),
            )
        return sagemaker.CfnEndpointConfig.ProductionVariantProperty(
            variant_name=spec.variant_name,
            model_name=spec.model.model_name,
            instance_type=spec.instance_type,
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
        if self.kms_key is not None and self._needs_storage_key():
            props["kms_key_id"] = self.kms_key.key_arn
        return props

    def _create_endpoint_config(self) -> sagemaker.CfnEndpointConfig:
        # No fixed name: CloudFormation names it, so a changed config is a replacement the endpoint moves to.
        return sagemaker.CfnEndpointConfig(self, "Config", **self._endpoint_config_props())

    def _create_endpoint(self) -> sagemaker.CfnEndpoint:
        deployment_config = self._deployment._bind(self) if self._deployment is not None else None
        return sagemaker.CfnEndpoint(
            self, "Resource",
            endpoint_config_name=self.cfn_endpoint_config.attr_endpoint_config_name,
            deployment_config=deployment_config,
        )

    def _attach_auto_scaling(self) -> None:
        for variant, spec in zip(self.variants, self._specs, strict=True):
            if spec.auto_scaling is not None:
                variant.scalable_target = spec.auto_scaling._bind(variant)

    # -- public API --------------------------------------------------------------------------------------------
    @property
    def endpoint_name(self) -> str:
        """The endpoint's name (generated by CloudFormation)."""
        return self.cfn_endpoint.attr_endpoint_name

    @property
    def endpoint_arn(self) -> str:
        """The endpoint's ARN."""
        return self.cfn_endpoint.ref

    def variant(self, name: str) -> EndpointVariant:
        """The production or shadow variant called ``name``."""
        for v in (*self.variants, *self.shadow_variants):
            if v.variant_name == name:
                return v
        raise KeyError(f"{self.node.path} has no variant {name!r}; it has "
                       f"{[v.variant_name for v in (*self.variants, *self.shadow_variants)]}")

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` invoke this endpoint (and nothing else)."""
        return iam.Grant.add_to_principal(grantee=grantee, actions=list(self._INVOKE_ACTIONS),
                                          resource_arns=[self.endpoint_arn])

    def _primary(self, variant_name: str | None) -> EndpointVariant:
        return self.variant(variant_name) if variant_name is not None else self.variants[0]

    def metric(self, metric_name: str, *, variant_name: str | None = None, **kw: Any) -> cloudwatch.Metric:
        """A metric of one variant. Default: the first production variant."""
        return self._primary(variant_name).metric(metric_name, **kw)

    def metric_invocations(self, *, variant_name: str | None = None, **kw: Any) -> cloudwatch.Metric:
        """Requests sent to a variant (Sum). Default: the first production variant."""
        return self._primary(variant_name).metric_invocations(**kw)

    def metric_model_latency(self, *, variant_name: str | None = None, **kw: Any) -> cloudwatch.Metric:
        """Model latency of a variant in microseconds (p99). Default: the first production variant."""
        return self._primary(variant_name).metric_model_latency(**kw)

    def metric_invocation_5xx_errors(self, *, variant_name: str | None = None, **kw: Any) -> cloudwatch.Metric:
        """5XX errors of a variant (Sum). Default: the first production variant."""
        return self._primary(variant_name).metric_invocation_5xx_errors(**kw)

    def metric_invocation_4xx_errors(self, *, variant_name: str | None = None, **kw: Any) -> cloudwatch.Metric:
        """4XX errors of a variant (Sum). Default: the first production variant."""
        return self._primary(variant_name).metric_invocation_4xx_errors(**kw)

    @property
    def stack(self) -> Stack:
        return Stack.of(self)
