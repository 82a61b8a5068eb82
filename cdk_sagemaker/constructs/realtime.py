"""Real-time endpoints: persistent instances, low latency.

One model on one variant, several weighted production variants (A/B tests), a shadow variant, multi-model and
multi-container models, inference components sharing a variant's instances, and data capture.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Annotations, ArnFormat, Duration, Fn
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._instances import accelerator_of
from cdk_sagemaker.constructs._checks import check_duration, import_problems, render_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path, service_principal, stack_of
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs._s3uri import s3_uri_problems
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.deployment import DeploymentStrategy
from cdk_sagemaker.constructs.endpoint import (
    EndpointBase,
    VariantSpec,
    accelerator_problems,
    instance_problems,
    variant_name_problems,
)
from cdk_sagemaker.constructs.enhanced_metrics import EnhancedMetrics
from cdk_sagemaker.constructs.hosting import (
    CapacityReservation,
    ComponentDeployment,
    ComponentMetrics,
    ComponentScaling,
    ComponentScalingResources,
    ComponentScheduling,
    ComponentSpecification,
    InstanceVariantFields,
    ManagedInstanceScaling,
    Routing,
    compute_problems,
    llm_problems,
    llm_startup_defaults,
    timeout_problems,
)
from cdk_sagemaker.constructs.metrics import EndpointMetrics, VariantMetrics, build_metric
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.model_options import (
    ClarifyExplainer,
    CoreDump,
    InstancePool,
    RetainedProperty,
    first_pool_type,
    instance_pool_problems,
    retention_problems,
    retention_properties,
)
from cdk_sagemaker.constructs.registry import shadow_package_problems
from cdk_sagemaker.errors import Problem, Problems, ValidationError

__all__ = ["ImportedRealtimeEndpoint", "InferenceComponent", "ProductionVariant", "RealtimeEndpoint"]

# Inf1 (Inferentia 1) instances cannot take part in shadow tests. Not in botocore; from the SageMaker developer guide,
# "Shadow tests > Exclusions" (https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-exclusions.html), which
# also excludes multi-container and multi-model endpoints (checked on the models below).
_SHADOW_EXCLUDED_FAMILIES = ("inf1",)


@dataclass(frozen=True, kw_only=True, slots=True)
class ProductionVariant:
    """One production (or shadow) variant of a :class:`RealtimeEndpoint`: a model on its own instances.

    - ``model``: the model this variant serves. ``None`` makes a variant that hosts inference components (use
      :meth:`for_inference_components`, then :meth:`RealtimeEndpoint.add_inference_component`).
    - ``instance_type`` / ``instance_count``: the variant's instances. Default: one ``ml.m5.large``.
    - ``initial_weight``: share of traffic relative to the other production variants (``2`` and ``1`` split 2:1);
      on a shadow variant, the share of production requests copied to it. Default: 1.0.
    - ``variant_name``: letters, digits and hyphens. Default: ``Variant<n>`` (``Shadow<n>`` for shadows), by position.
    - ``volume_size_gb``: EBS storage volume per instance, 1-512 GB (botocore); not for instance types with local
      NVMe storage. Default: SageMaker's default for the instance type.
    - ``model_data_download_timeout`` / ``container_startup_health_check_timeout``: 60-3600 s (botocore).
      Default: SageMaker's defaults.
    - ``routing_strategy``: a :class:`~cdk_sagemaker.constructs.hosting.Routing` (``Routing.prefix_aware(...)``) or
      the name of any botocore ``RoutingStrategy`` that CloudFormation takes (``LEAST_OUTSTANDING_REQUESTS``,
      ``RANDOM``; ``KV_AWARE`` once the ``AWS::SageMaker::EndpointConfig`` schema lists it).
      Default: SageMaker's default (random).
    - ``inference_ami_version``: a botocore ``ProductionVariantInferenceAmiVersion`` (GPU AMIs on GPU types, the
      Neuron AMI on Inferentia/Trainium). ``capacity_reservation``: run on an ML capacity reservation.
      ``enable_ssm_access``: allow SSM sessions into the variant's containers. Default: none of them.
    - ``managed_instance_scaling``: on a variant that hosts inference components, let SageMaker add and remove
      instances as the components' copies need them (``min_instances=0`` to release all). Default: off.
    - ``auto_scaling``: target tracking for this variant's instance count. Default: none.

    A model that runs an LLM container (TGI, LMI, vLLM, SGLang, TEI) gets 900 s start-up health-check and download
    timeouts unless given (see ``cdk_sagemaker._llm``).
    - ``core_dump``: where SageMaker writes the container's core dump when it crashes
      (:class:`~cdk_sagemaker.constructs.model_options.CoreDump`). Default: none.
    - ``instance_pools``: instance types to provision in order of priority when capacity is short
      (:class:`~cdk_sagemaker.constructs.model_options.InstancePool`, 1-5; they replace ``instance_type``), and
      ``instance_provision_timeout`` (300-3600 s, botocore) for the provisioning. Default: ``instance_type`` alone;
      SageMaker's timeout.
    """

    model: Model | None = None
    instance_type: str = "ml.m5.large"
    instance_count: int = 1
    initial_weight: float = 1.0
    variant_name: str | None = None
    volume_size_gb: int | None = None
    model_data_download_timeout: Duration | None = None
    container_startup_health_check_timeout: Duration | None = None
    routing_strategy: str | Routing | None = None
    auto_scaling: AutoScaling | None = None
    inference_ami_version: str | None = None
    capacity_reservation: CapacityReservation | None = None
    enable_ssm_access: bool | None = None
    managed_instance_scaling: ManagedInstanceScaling | None = None
    core_dump: CoreDump | None = None
    instance_pools: Sequence[InstancePool] | None = None
    instance_provision_timeout: Duration | None = None

    @classmethod
    def for_inference_components(
        cls, *, instance_type: str, instance_count: int = 1, variant_name: str | None = None,
        volume_size_gb: int | None = None, model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None, routing_strategy: str | Routing | None = None,
        managed_instance_scaling: ManagedInstanceScaling | None = None, inference_ami_version: str | None = None,
        capacity_reservation: CapacityReservation | None = None, enable_ssm_access: bool | None = None,
    ) -> ProductionVariant:
        """A variant without a model whose instances host inference components (each with its own model, CPU,
        accelerator and memory needs and copy count). Default: one instance, no managed instance scaling."""
        return cls(model=None, instance_type=instance_type, instance_count=instance_count, variant_name=variant_name,
                   volume_size_gb=volume_size_gb, model_data_download_timeout=model_data_download_timeout,
                   container_startup_health_check_timeout=container_startup_health_check_timeout,
                   routing_strategy=routing_strategy, managed_instance_scaling=managed_instance_scaling,
                   inference_ami_version=inference_ami_version, capacity_reservation=capacity_reservation,
                   enable_ssm_access=enable_ssm_access)

    def _fields(self) -> InstanceVariantFields:
        download, startup = self.model_data_download_timeout, self.container_startup_health_check_timeout
        if self.model is not None:
            download, startup = llm_startup_defaults([c.image for c in self.model.containers], download=download,
                                                     startup=startup)
        return InstanceVariantFields(
            volume_size_gb=self.volume_size_gb, model_data_download_timeout=download,
            container_startup_health_check_timeout=startup, routing=self.routing_strategy,
            inference_ami_version=self.inference_ami_version, capacity_reservation=self.capacity_reservation,
            enable_ssm_access=self.enable_ssm_access, managed_instance_scaling=self.managed_instance_scaling)

    def _spec(self, default_name: str, *, shadow: bool) -> VariantSpec:
        extra = self._fields().render()
        if self.core_dump is not None and self.model is not None:
            extra["core_dump_config"] = self.core_dump.bind([self.model])
        if self.instance_pools is not None:
            extra["instance_pools"] = [p.render() for p in self.instance_pools]
        if self.instance_provision_timeout is not None:
            extra["variant_instance_provision_timeout_in_seconds"] = render_seconds(self.instance_provision_timeout)
        return VariantSpec(
            variant_name=self.variant_name if self.variant_name is not None else default_name,
            model=self.model, kind="instance", instance_type=first_pool_type(self.instance_pools, self.instance_type),
            initial_instance_count=self.instance_count,
            initial_weight=self.initial_weight,
            auto_scaling=self.auto_scaling, shadow=shadow, extra=extra or None,
        )


# -- validators of the real-time options (each returns its problems) ------------------------------------------------
def _form_problems(*, model: Model | None, instance_type: str, instance_count: int, variant_name: str,
                   variants: Sequence[ProductionVariant] | None, auto_scaling: AutoScaling | None,
                   shadow_variants: Sequence[ProductionVariant] | None = None,
                   fields: InstanceVariantFields | None = None) -> list[Problem]:
    """Problems of the form: one model or variants, and Duration types (the variant specs read them)."""
    problems = Problems("")
    for group, items in (("variants", variants or ()), ("shadow_variants", shadow_variants or ())):
        for i, variant in enumerate(items):
            for name in ("model_data_download_timeout", "container_startup_health_check_timeout",
                         "instance_provision_timeout"):
                msg = check_duration(f"{group}[{i}].{name}", getattr(variant, name))
                if msg:
                    problems.add_message(msg)
    if variants is None and model is None:
        problems.add("model", "must be given (or variants=[ProductionVariant(...), ...])", None)
    if variants is not None:
        if model is not None:
            problems.add_message("model and variants are exclusive: pass one model as model=... or several "
                                 "as variants=[ProductionVariant(model=...), ...]")
        simple = {"instance_type": (instance_type, "ml.m5.large"), "instance_count": (instance_count, 1),
                  "variant_name": (variant_name, "AllTraffic"), "auto_scaling": (auto_scaling, None)}
        given = fields or InstanceVariantFields()
        for name in ("volume_size_gb", "model_data_download_timeout", "container_startup_health_check_timeout",
                     "inference_ami_version", "capacity_reservation", "enable_ssm_access"):
            simple[name] = (getattr(given, name), None)
        simple["routing_strategy"] = (given.routing, None)
        for name, (value, default) in simple.items():
            if value != default:
                problems.add(name, "applies only to the one-model form; with variants=... set it on each "
                             "ProductionVariant", value)
    return list(problems.items)


def _variants_problems(specs: list[VariantSpec], shadows: list[VariantSpec], *,
              variants: Sequence[ProductionVariant] | None, shadow_variants: Sequence[ProductionVariant],
              data_capture: DataCapture | None, execution_role: iam.IRole | None) -> list[Problem]:
    """Problems of the production and shadow variants and the options that depend on them."""
    problems = Problems("")
    _, most = _limits.list_bounds("ProductionVariantList")
    if variants is not None and not variants:
        problems.add("variants", "must hold at least one ProductionVariant", [])
    if most is not None and len(specs) > most:
        problems.add("variants", f"must hold at most {most} variants (botocore ProductionVariantList)",
                     len(specs))
    if most is not None and len(shadows) > most:
        problems.add("shadow_variants", f"must hold at most {most} variants (botocore ProductionVariantList)",
                     len(shadows))
    seen: set[str] = set()
    for group, where_of, items, sources in (("variants", "variants[{}].", specs, variants),
                                            ("shadow_variants", "shadow_variants[{}].", shadows, shadow_variants)):
        for i, spec in enumerate(items):
            where = where_of.format(i) if sources is not None else ""
            problems.extend(_variant_problems(where, spec, sources[i] if sources is not None else None))
            if spec.variant_name in seen:
                problems.add(f"{where}variant_name", "must be unique among the endpoint's production and shadow "
                             "variants", spec.variant_name)
            seen.add(spec.variant_name)
        del group
    # Weights of the production variants (the traffic split).
    weights = [v.initial_weight for v in (variants or ()) if v.model is not None]
    if weights and all(w == 0 for w in weights if not is_unresolved(w)) and not any(
            is_unresolved(w) for w in weights):
        problems.add("variants[*].initial_weight", "must not all be 0 (no variant would get traffic)", weights)
    # Inference components: all variants or none.
    hosting = [s.model is None for s in specs]
    if any(hosting) and not all(hosting):
        problems.add("variants", "must either all have a model or all host inference components (model=None); "
                     "got a mix, models on", [s.variant_name for s in specs if s.model is not None])
    if any(hosting) and shadows:
        problems.add("shadow_variants", "are not supported on an endpoint that hosts inference components",
                     [s.variant_name for s in shadows])
    if execution_role is not None and not any(hosting):
        problems.add("execution_role", "applies only to an endpoint that hosts inference components (variants "
                     "made with ProductionVariant.for_inference_components)", execution_role.node.path)
    for i, s in enumerate(shadows):
        if s.model is None:
            problems.add(f"shadow_variants[{i}].model", "must be given: a shadow variant serves a model", None)
    if shadows:
        problems.extend(_shadow_problems(specs, shadows))
    # "You can use exactly one plan per inference endpoint" (developer guide, "Deploy an inference endpoint using the
    # API, AWS CLI", https://docs.aws.amazon.com/sagemaker/latest/dg/use-training-plan-for-inference-endpoints-using-
    # api-cli-sdk.html): the variants may share one capacity reservation, not name several.
    plans = sorted({v.capacity_reservation.ml_reservation_arn for v in (*(variants or ()), *shadow_variants)
                    if v.capacity_reservation is not None
                    and not is_unresolved(v.capacity_reservation.ml_reservation_arn)})
    if len(plans) > 1:
        problems.add("variants[*].capacity_reservation", "must name one ML capacity reservation for the whole "
                     "endpoint (SageMaker takes exactly one training plan per inference endpoint)", plans)
    if data_capture is not None:
        problems.extend(data_capture.problems("data_capture."))
    return list(problems.items)


def _variant_problems(where: str, spec: VariantSpec, source: ProductionVariant | None) -> list[Problem]:
    problems = Problems("")
    problems.extend(variant_name_problems(where, spec.variant_name))
    if spec.instance_type is not None:  # every real-time variant has one
        problems.extend(instance_problems(where, spec.instance_type, spec.initial_instance_count))
    if spec.auto_scaling is not None:
        if spec.model is None:
            problems.add(f"{where}auto_scaling", "is not supported on a variant that hosts inference components "
                         "(scale the components' copies instead)", "AutoScaling(...)")
        else:
            problems.extend(spec.auto_scaling.problems(spec, where))
    problems.extend(_multi_model_problems(where, spec))
    if source is None:
        return list(problems.items)
    if not is_unresolved(source.initial_weight):
        lo, _ = _limits.bounds("VariantWeight")
        if lo is not None and source.initial_weight < lo:
            problems.add(f"{where}initial_weight", f"must be at least {lo:g} (botocore VariantWeight)",
                         source.initial_weight)
        if source.model is None and source.initial_weight != 1.0:
            problems.add(f"{where}initial_weight", "does not apply to a variant that hosts inference components",
                         source.initial_weight)
    # With instance pools the pools' types replace instance_type (which keeps its default): the type-dependent
    # fields (AMI, volume size, LLM accelerator needs) must suit every pool type the variant may run on.
    types = list(dict.fromkeys(p.instance_type for p in source.instance_pools)) if source.instance_pools \
        else [source.instance_type]
    overridden = {p.instance_type for p in source.instance_pools or () if p.model_name_override is not None}
    found: list[Problem] = []
    for instance_type in types:
        found += source._fields().problems(where, instance_type=instance_type, instance_count=source.instance_count,
                                           hosts_components=source.model is None)
        if source.model is not None and instance_type not in overridden:
            found += llm_problems(where, images=[(c.image, c.environment) for c in source.model.containers],
                                  instance_type=instance_type, accelerators=None, model_size_gb=None)
    problems.extend(p for i, p in enumerate(found) if p not in found[:i])
    if source.core_dump is not None:
        problems.extend(source.core_dump.problems(where))
        if source.model is None:
            problems.add(f"{where}core_dump", "is not supported on a variant that hosts inference components by "
                         "this library (no model role to write the dumps)", "CoreDump(...)")
    problems.extend(instance_pool_problems(where, source.instance_pools, source.instance_provision_timeout))
    if source.instance_pools:
        # Pools replace InstanceType ("you replace the InstanceType parameter in your production variant with an
        # InstancePools list", developer guide, "Deploy to multiple instance types with instance pools").
        if source.instance_type not in ("ml.m5.large", spec.instance_type):
            problems.add(f"{where}instance_type", "and instance_pools are exclusive (the pools replace the variant's "
                         "instance type; leave instance_type unset)", source.instance_type)
        for j, pool in enumerate(source.instance_pools):
            if spec.model is not None and pool.model_name_override is None and not is_unresolved(pool.instance_type):
                for k, container in enumerate(spec.model.containers):
                    problems.extend(accelerator_problems(
                        f"{where}instance_pools[{j}].", container.image, pool.instance_type,
                        where_image=f"{node_path(spec.model)} containers[{k}]"))
    return list(problems.items)


def _enhanced_metrics_problems(metrics: EnhancedMetrics | None, specs: Sequence[VariantSpec]) -> list[Problem]:
    """Enhanced metrics exist for single-model, multi-container and inference-component endpoints, not multi-model
    ones (see :mod:`cdk_sagemaker.constructs.enhanced_metrics`)."""
    if metrics is None:
        return []
    out = metrics.problems()
    multi = [s.variant_name for s in specs if s.model is not None and any(c.multi_model for c in s.model.containers)]
    if multi and metrics.enabled:
        out.append(Problem.of("enhanced_metrics", "must not be enabled on a multi-model endpoint (SageMaker offers "
                              "enhanced metrics for single-model, multi-container and inference-component endpoints); "
                              "multi-model variants", multi))
    return out


def _multi_model_problems(where: str, spec: VariantSpec) -> list[Problem]:
    """Multi-model endpoints run on CPU instances with the framework containers, on GPU instances only with
    NVIDIA Triton, and not on Inferentia or Trainium (SageMaker developer guide, "Supported algorithms,
    frameworks, and instances for multi-model endpoints")."""
    problems = Problems("")
    if spec.model is None or spec.instance_type is None or is_unresolved(spec.instance_type):
        return []
    containers = [c for c in spec.model.containers if c.multi_model]
    if not containers:
        return []
    accelerator = accelerator_of(spec.instance_type)
    if accelerator == "gpu" and not all(c.image.is_triton for c in containers):
        problems.add(f"{where}instance_type", "must be a CPU instance type for a multi-model container that is "
                     "not NVIDIA Triton (GPU multi-model endpoints need the sagemaker-tritonserver image)",
                     spec.instance_type)
    elif accelerator is not None and accelerator != "gpu":
        problems.add(f"{where}instance_type", f"must be a CPU or GPU instance type for a multi-model container "
                     f"(multi-model endpoints run on CPU, or on GPU with Triton; this one has {accelerator})",
                     spec.instance_type)
    return list(problems.items)


def _shadow_problems(specs: list[VariantSpec], shadows: list[VariantSpec]) -> list[Problem]:
    problems = Problems("")
    # botocore CreateEndpointConfigInput.ShadowProductionVariants: "If you use this field, you can only specify
    # one variant for ProductionVariants and one variant for ShadowProductionVariants."
    if len(specs) != 1 or len(shadows) != 1:
        problems.add("shadow_variants", "need exactly one production variant and one shadow variant (SageMaker "
                     "shadow tests), got production/shadow counts", (len(specs), len(shadows)))
    for group, items in (("variants", specs), ("shadow_variants", shadows)):
        for i, s in enumerate(items):
            where = f"{group}[{i}]."
            family = (s.instance_type or "").split(".")[1:2]
            if family and family[0] in _SHADOW_EXCLUDED_FAMILIES:
                problems.add(f"{where}instance_type", "must not be an Inf1 type on an endpoint with a shadow "
                             "variant (excluded from shadow tests)", s.instance_type)
            if s.model is not None and len(s.model.containers) > 1:
                problems.add(f"{where}model", "must have one container on an endpoint with a shadow variant "
                             "(multi-container endpoints are excluded from shadow tests)", s.model.node.path)
            if s.model is not None and any(c.multi_model for c in s.model.containers):
                problems.add(f"{where}model", "must not be multi-model on an endpoint with a shadow variant "
                             "(multi-model endpoints are excluded from shadow tests)", s.model.node.path)
            problems.extend(shadow_package_problems(where, s.model))
    return list(problems.items)


class _AdapterGrants:
    """Where an adapter's model data puts its read grant: the endpoint's execution policy (a ``PolicySink``); keeps
    the object ARNs it granted, for the prefix acknowledgement."""

    def __init__(self, policy: _LazyPolicy) -> None:
        self._policy = policy
        self.object_arns: list[str] = []

    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None:
        self._policy.add_to_role_policy(statement)
        if "s3:GetObject" in statement.actions:
            self.object_arns.extend(statement.resources)


class _LazyPolicy:
    """The endpoint execution role's own managed policy, created on the first statement (a policy may not be
    empty)."""

    def __init__(self, scope: Construct, role: iam.IRole) -> None:
        self._scope = scope
        self._role = role
        self.policy: iam.ManagedPolicy | None = None

    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None:
        if self.policy is None:
            self.policy = iam.ManagedPolicy(self._scope, "ExecutionPolicy", roles=[self._role],
                                            description=f"Execution policy of endpoint {node_path(self._scope)}")
        self.policy.add_statements(statement)


def _invoke_statement(actions: Sequence[str], endpoint_arn: str, target_container_hostnames: Sequence[str] | None,
                      target_models: Sequence[str] | None) -> tuple[list[str], dict[str, Any] | None]:
    conditions: dict[str, Any] = {}
    if target_container_hostnames:
        conditions["sagemaker:TargetContainerHostname"] = list(target_container_hostnames)
    if target_models:
        conditions["sagemaker:TargetModel"] = list(target_models)
    return list(actions), ({"StringLike": conditions} if conditions else None)


def _grant_invoke(grantee: iam.IGrantable, actions: Sequence[str], endpoint_arn: str,
                  target_container_hostnames: Sequence[str] | None, target_models: Sequence[str] | None) -> iam.Grant:
    acts, conditions = _invoke_statement(actions, endpoint_arn, target_container_hostnames, target_models)
    return iam.Grant.add_to_principal(grantee=grantee, actions=acts, resource_arns=[endpoint_arn],
                                      conditions=conditions)


class RealtimeEndpoint(EndpointBase):
    """A real-time SageMaker endpoint: persistent instances serving synchronous requests with low latency.

    The simple form hosts one model on one instance variant::

        RealtimeEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=2)

    The full form takes ``variants=[ProductionVariant(...), ...]`` (weighted A/B traffic, up to botocore's
    ``ProductionVariantList`` maximum), ``shadow_variants=[...]`` (a copy of live traffic, responses discarded),
    ``data_capture=DataCapture(...)``, and variants made with :meth:`ProductionVariant.for_inference_components`
    to which :meth:`add_inference_component` adds models. ``explainer=ClarifyExplainer(...)`` turns on online
    explainability with SageMaker Clarify (:class:`~cdk_sagemaker.constructs.model_options.ClarifyExplainer`).
    ``retain_on_update=["DesiredInstanceCount", ...]`` names the variant properties an update keeps from the running
    endpoint instead of taking them from the new config (``RetainAllVariantProperties`` and
    ``ExcludeRetainedVariantProperties``). Default: with auto scaling the instance counts, else none.
    ``enhanced_metrics=EnhancedMetrics(...)`` sets the config's ``MetricsConfig`` (per-instance, per-GPU and
    per-container metrics, publishing frequency).

    Default: ``ml.m5.large``, one instance, variant ``AllTraffic``, a new KMS key (rotation on) for the storage
    volumes unless the instance type has hardware-encrypted local storage, no auto-scaling, no deployment guardrail,
    no data capture, SageMaker's default metrics (no ``MetricsConfig``). An endpoint with inference components
    gets a new execution role (``execution_role``).

    Attributes (beyond :class:`EndpointBase`): ``inference_components``; ``execution_role`` (inference-component
    endpoints only; other endpoints run as each model's role, and reading it raises
    :class:`~cdk_sagemaker.errors.NotConfiguredError`).
    """

    _INVOKE_ACTIONS = ("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream")

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: Model | None = None,
        instance_type: str = "ml.m5.large",
        instance_count: int = 1,
        variant_name: str = "AllTraffic",
        variants: Sequence[ProductionVariant] | None = None,
        shadow_variants: Sequence[ProductionVariant] | None = None,
        data_capture: DataCapture | None = None,
        execution_role: iam.IRole | None = None,
        kms_key: kms.IKey | None = None,
        auto_scaling: AutoScaling | None = None,
        deployment: DeploymentStrategy | None = None,
        volume_size_gb: int | None = None,
        model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None,
        routing_strategy: str | Routing | None = None,
        inference_ami_version: str | None = None,
        capacity_reservation: CapacityReservation | None = None,
        enable_ssm_access: bool | None = None,
        explainer: ClarifyExplainer | None = None,
        retain_on_update: Sequence[RetainedProperty] | None = None,
        enhanced_metrics: EnhancedMetrics | None = None,
    ) -> None:
        """The one-model form also takes the variant fields of :class:`ProductionVariant` (``volume_size_gb``,
        the two timeouts, ``routing_strategy``, ``inference_ami_version``, ``capacity_reservation``,
        ``enable_ssm_access``); with ``variants=...`` set them on each variant. Default: as there."""
        super().__init__(scope, id)
        remember_path(self, scope, id)
        fields = InstanceVariantFields(
            volume_size_gb=volume_size_gb, model_data_download_timeout=model_data_download_timeout,
            container_startup_health_check_timeout=container_startup_health_check_timeout, routing=routing_strategy,
            inference_ami_version=inference_ami_version, capacity_reservation=capacity_reservation,
            enable_ssm_access=enable_ssm_access)
        problems = Problems(node_path(self))
        self._enhanced_metrics = enhanced_metrics
        problems.extend(_form_problems(model=model, instance_type=instance_type, instance_count=instance_count,
                                       variant_name=variant_name, variants=variants, auto_scaling=auto_scaling,
                                       shadow_variants=shadow_variants, fields=fields))
        if variants is None:
            problems.extend(fields.problems("", instance_type=instance_type, instance_count=instance_count))
        problems.raise_if_any()  # the variant specs below read the form (one model or variants, Durations)
        if variants is None:
            one = ProductionVariant(model=model, instance_type=instance_type, instance_count=instance_count,
                                    variant_name=variant_name, volume_size_gb=volume_size_gb,
                                    model_data_download_timeout=model_data_download_timeout,
                                    container_startup_health_check_timeout=container_startup_health_check_timeout,
                                    routing_strategy=routing_strategy, inference_ami_version=inference_ami_version,
                                    capacity_reservation=capacity_reservation, enable_ssm_access=enable_ssm_access,
                                    auto_scaling=auto_scaling)
            specs = [one._spec(variant_name, shadow=False)]
            self._variant_sources: tuple[ProductionVariant, ...] = (one,)
            if model is not None:
                problems.extend(llm_problems("", images=[(c.image, c.environment) for c in model.containers],
                                             instance_type=instance_type, accelerators=None, model_size_gb=None))
        else:
            specs = [v._spec(f"Variant{i + 1}", shadow=False) for i, v in enumerate(variants)]
            self._variant_sources = tuple(v if v.variant_name is not None else
                                          dataclasses.replace(v, variant_name=spec.variant_name)
                                          for v, spec in zip(variants, specs, strict=True))
        shadows = [v._spec(f"Shadow{i + 1}", shadow=True) for i, v in enumerate(shadow_variants or ())]
        problems.extend(_variants_problems(specs, shadows, variants=variants, shadow_variants=shadow_variants or (),
                                           data_capture=data_capture, execution_role=execution_role))
        problems.extend(self._security_problems((*specs, *shadows), kms_key))
        problems.extend(self._deployment_problems(specs, deployment))
        if explainer is not None:
            problems.extend(explainer.problems())
        problems.extend(retention_problems(retain_on_update, auto_scaled=any(s.auto_scaling for s in specs)))
        problems.extend(_enhanced_metrics_problems(enhanced_metrics, specs))
        problems.raise_if_any()
        self._explainer = explainer
        self._retain_on_update = tuple(retain_on_update) if retain_on_update is not None else None
        self.inference_components: list[InferenceComponent] = []
        self._component_models: list[Model] = []
        self._component_security_groups: list[str] = []
        self._hosts_components = any(s.model is None for s in specs)
        self._execution_role = self._create_execution_role(execution_role)
        self._execution_policy = _LazyPolicy(self, self._execution_role) if self._execution_role is not None else None
        self._build(specs, kms_key=kms_key, deployment=deployment, shadow_variants=shadows, data_capture=data_capture)
        if self._retain_on_update is not None:
            self._apply_retention(self._retain_on_update)

    @property
    def execution_role(self) -> iam.IRole:
        """The role SageMaker uses for an inference-component endpoint (given, or created)."""
        return configured(self._execution_role, self, "execution_role",
                          "only an endpoint that hosts inference components has one (variants made with "
                          "ProductionVariant.for_inference_components); the others run as each model's role")

    # -- building (override one part in a subclass) --------------------------------------------------------------
    def _create_execution_role(self, given: iam.IRole | None) -> iam.IRole | None:
        """The role SageMaker uses for an inference-component endpoint. Default: a new role that gets the managed
        policy of each component's model (exact artifacts and images) when the component is added."""
        if not self._hosts_components:
            return None
        if given is not None:
            return given
        return iam.Role(self, "ExecutionRole", assumed_by=service_principal("sagemaker.amazonaws.com"),
                        description=f"SageMaker execution role of inference-component endpoint {node_path(self)}")

    def _endpoint_config_props(self) -> dict[str, Any]:
        props = super()._endpoint_config_props()
        if self._execution_role is not None:
            props["execution_role_arn"] = self._execution_role.role_arn
        if self._explainer is not None:
            props["explainer_config"] = self._explainer.bind(self.execution_principals())
        if self._enhanced_metrics is not None:
            props["metrics_config"] = self._enhanced_metrics.render()
        return props

    def retain_scaled_capacity(self) -> None:
        """With ``retain_on_update``, keep exactly those properties (it must name ``DesiredInstanceCount`` once the
        endpoint auto-scales); else the base behaviour (keep counts, take weights from the new config)."""
        retain = getattr(self, "_retain_on_update", None)
        if retain is None:
            super().retain_scaled_capacity()
            return
        problems = Problems(node_path(self))
        problems.extend(retention_problems(retain, auto_scaled=True))
        problems.raise_if_any()
        self._apply_retention(retain)

    def _apply_retention(self, retain: Sequence[str]) -> None:
        keep, exclude = retention_properties(retain)
        self.cfn_endpoint.retain_all_variant_properties = keep or None
        self.cfn_endpoint.exclude_retained_variant_properties = exclude or None

    def execution_principals(self) -> list[PolicySink]:
        writers = super().execution_principals()
        if self._execution_policy is not None:
            writers.append(self._execution_policy)
        return writers

    def _create_endpoint_config(self) -> sagemaker.CfnEndpointConfig:
        config = super()._create_endpoint_config()
        if self._execution_policy is not None and self._execution_policy.policy is not None:
            config.node.add_dependency(self._execution_policy.policy)
        return config

    def _host_network_of(self, component: Construct, model: Model) -> None:
        """Carry the network settings of a component's model to the endpoint config, where SageMaker reads them for
        inference components: CreateEndpointConfig's ``EnableNetworkIsolation`` and ``VpcConfig`` apply to "all
        containers deployed to an endpoint that hosts inference components" (SageMaker API reference,
        CreateEndpointConfig), not the models' own settings. Every component of one endpoint must therefore agree
        on isolation and on the subnets; their security groups are all attached (at most botocore's
        ``VpcSecurityGroupIds`` maximum)."""
        problems = Problems(node_path(component))
        first = self._component_models[0] if self._component_models else None
        if first is not None and model.network_isolation != first.network_isolation:
            problems.add("model.network_isolation", "must match the other inference components of the endpoint "
                         f"(the endpoint config has one EnableNetworkIsolation; {first.node.path} has "
                         f"{first.network_isolation})", model.network_isolation)
        if (first is not None and (model.network is None) != (first.network is None)) or (
                first is not None and model.network is not None and first.network is not None
                and model.network.subnet_ids != first.network.subnet_ids):
            problems.add("model.network", "must be the network of the other inference components of the endpoint "
                         f"(the endpoint config has one VpcConfig; {first.node.path} uses "
                         f"{first.network.node.path if first.network is not None else None})",
                         model.network.node.path if model.network is not None else None)
        groups = [*self._component_security_groups]
        if model.network is not None and model.security_group.security_group_id not in groups:
            groups.append(model.security_group.security_group_id)
        _, most = _limits.list_bounds("VpcSecurityGroupIds")
        if most is not None and len(groups) > most:
            problems.add("model.security_group", f"would be security group number {len(groups)} of the endpoint "
                         f"config's VpcConfig, which takes at most {most} (botocore VpcSecurityGroupIds)",
                         model.node.path)
        problems.raise_if_any()
        self._component_models.append(model)
        self._component_security_groups = groups
        config = self.cfn_endpoint_config
        config.enable_network_isolation = model.network_isolation
        if model.network is not None:
            config.vpc_config = sagemaker.CfnEndpointConfig.VpcConfigProperty(
                subnets=list(model.network.subnet_ids), security_group_ids=list(groups))

    # -- public API ----------------------------------------------------------------------------------------------
    def add_inference_component(
        self, id: str, *, model: Model | None = None, memory_mb: int | None = None, cpu_cores: float | None = None,
        accelerators: float | None = None, max_memory_mb: int | None = None, copies: int = 1,
        variant_name: str | None = None, model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None,
        auto_scaling: ComponentScaling | None = None, deployment: ComponentDeployment | None = None,
        specifications: Sequence[ComponentSpecification] | None = None, data_cache: bool | None = None,
        scheduling: ComponentScheduling | None = None, model_size_gb: float | None = None,
        container_metrics: ComponentMetrics | None = None, inference_component_name: str | None = None,
    ) -> InferenceComponent:
        """Host ``model`` on this endpoint's instances as an :class:`InferenceComponent` (created under the
        endpoint). Default: one copy, on the only inference-component variant, no auto scaling."""
        return InferenceComponent(
            self, id, endpoint=self, model=model, memory_mb=memory_mb, cpu_cores=cpu_cores,
            accelerators=accelerators, max_memory_mb=max_memory_mb, copies=copies, variant_name=variant_name,
            model_data_download_timeout=model_data_download_timeout,
            container_startup_health_check_timeout=container_startup_health_check_timeout,
            auto_scaling=auto_scaling, deployment=deployment, specifications=specifications, data_cache=data_cache,
            scheduling=scheduling, model_size_gb=model_size_gb, container_metrics=container_metrics,
            inference_component_name=inference_component_name,
        )

    def add_adapter(self, id: str, *, base_component: InferenceComponent, adapter_uri: str | ModelData,
                    deployment: ComponentDeployment | None = None) -> InferenceComponent:
        """Host an adapter (for example LoRA weights at ``adapter_uri``: an ``s3://`` object or prefix, or a
        :class:`~cdk_sagemaker.ModelData` such as ``ModelData.from_bucket(bucket, "adapters/sql/")``) on the
        compute of ``base_component`` (``BaseInferenceComponentName``); the execution role may read exactly those
        artifacts. Invoke it by its own ``inference_component_name``."""
        return InferenceComponent(self, id, endpoint=self, base_component=base_component, adapter_uri=adapter_uri,
                                  deployment=deployment, variant_name=base_component.variant_name)

    def grant_invoke(self, grantee: iam.IGrantable, *, target_container_hostnames: Sequence[str] | None = None,
                     target_models: Sequence[str] | None = None) -> iam.Grant:
        """Let ``grantee`` invoke this endpoint (and nothing else).

        ``target_container_hostnames`` limits a direct-invocation multi-container endpoint to those containers
        (``sagemaker:TargetContainerHostname``), ``target_models`` a multi-model endpoint to those model paths
        (``sagemaker:TargetModel``); both take IAM ``StringLike`` patterns. Default: every container and model.
        """
        return _grant_invoke(grantee, self._INVOKE_ACTIONS, self.endpoint_arn, target_container_hostnames,
                             target_models)

    @staticmethod
    def from_endpoint_name(scope: Construct, id: str, endpoint_name: str) -> ImportedRealtimeEndpoint:
        """An endpoint that exists outside this app, by name: for grants and metrics (``variant_name=`` picks the
        variant; default ``AllTraffic``)."""
        return ImportedRealtimeEndpoint(scope, id, endpoint_name=endpoint_name)

    @staticmethod
    def from_endpoint_arn(scope: Construct, id: str, endpoint_arn: str) -> ImportedRealtimeEndpoint:
        """An endpoint that exists outside this app, by ARN (``arn:aws:sagemaker:<region>:<account>:endpoint/<name>``):
        for grants and metrics. The name is read from the ARN, where SageMaker writes it in lower case; for the
        metrics of an endpoint whose name has capitals, import it with :meth:`from_endpoint_attributes` and its exact
        name."""
        return ImportedRealtimeEndpoint(scope, id, endpoint_arn=endpoint_arn)

    @staticmethod
    def from_endpoint_attributes(scope: Construct, id: str, *, endpoint_name: str,
                                 variant_names: Sequence[str] | None = None,
                                 endpoint_arn: str | None = None) -> ImportedRealtimeEndpoint:
        """An endpoint that exists outside this app, by name and (optionally) its variants' names and its ARN.
        With ``variant_names``, ``variant(name)`` and ``variant_name=`` accept only those and default to the first.
        Default: any variant name, ``AllTraffic`` when none is given; the ARN of this stack's account and region."""
        return ImportedRealtimeEndpoint(scope, id, endpoint_name=endpoint_name, variant_names=variant_names,
                                        endpoint_arn=endpoint_arn)


class _ImportedVariant(VariantMetrics):
    def __init__(self, owner: Construct, endpoint_name: str, variant_name: str) -> None:
        self._owner = owner
        self._endpoint_name = endpoint_name
        self.variant_name = variant_name

    @property
    def metrics_owner(self) -> Construct:
        return self._owner

    @property
    def endpoint_name(self) -> str:
        return self._endpoint_name


class ImportedRealtimeEndpoint(EndpointMetrics, Construct):
    """A real-time endpoint made elsewhere (:meth:`RealtimeEndpoint.from_endpoint_name`, :meth:`~RealtimeEndpoint.
    from_endpoint_arn`, :meth:`~RealtimeEndpoint.from_endpoint_attributes`): ``endpoint_name``, ``endpoint_arn``,
    ``variant_names`` (as given; empty when not known), ``grant_invoke`` and the ``metric_*`` methods
    (``variant_name=``). An :class:`~cdk_sagemaker.constructs.interfaces.IEndpoint`.

    Give ``endpoint_name`` or ``endpoint_arn`` (or both). Default: the ARN of this stack's account and region; the
    name from the ARN; any variant name, ``AllTraffic`` when none is given.
    """

    DEFAULT_VARIANT = "AllTraffic"

    def __init__(self, scope: Construct, id: str, *, endpoint_name: str | None = None,
                 endpoint_arn: str | None = None, variant_names: Sequence[str] | None = None) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        self._validate(endpoint_name, endpoint_arn, variant_names)
        stack = stack_of(self)
        if endpoint_name is None and endpoint_arn is not None:
            endpoint_name = stack.split_arn(endpoint_arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        self.endpoint_name: str = endpoint_name or ""
        self.endpoint_arn: str = endpoint_arn if endpoint_arn is not None else stack.format_arn(
            service="sagemaker", resource="endpoint", arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            resource_name=self.endpoint_name.lower() if not is_unresolved(self.endpoint_name) else self.endpoint_name)
        self.variant_names: tuple[str, ...] = tuple(variant_names or ())

    def _validate(self, name: str | None, arn: str | None, variant_names: Sequence[str] | None) -> None:
        problems = Problems(node_path(self))
        problems.extend(import_problems("endpoint", name=name, arn=arn))
        if variant_names is not None:
            if isinstance(variant_names, str) or not variant_names:
                problems.add("variant_names", "must be a non-empty list of variant names", variant_names)
            else:
                for i, v in enumerate(variant_names):
                    if not is_unresolved(v) and not _limits.matches("VariantName", v):
                        problems.add(f"variant_names[{i}]", f"must match {_limits.pattern('VariantName')}", v)
                if len(set(variant_names)) != len(variant_names):
                    problems.add("variant_names", "must not repeat a name", list(variant_names))
        problems.raise_if_any()

    def variant(self, name: str) -> VariantMetrics:
        """The metrics of variant ``name`` (one of ``variant_names`` when they were given)."""
        if self.variant_names and name not in self.variant_names:
            raise ValidationError(node_path(self), [Problem.of(
                "variant_name", f"must name a variant of the endpoint, one of {list(self.variant_names)}", name)])
        return _ImportedVariant(self, self.endpoint_name, name)

    def _primary(self, variant_name: str | None) -> VariantMetrics:
        default = self.variant_names[0] if self.variant_names else self.DEFAULT_VARIANT
        return self.variant(variant_name if variant_name is not None else default)

    def grant_invoke(self, grantee: iam.IGrantable, *, target_container_hostnames: Sequence[str] | None = None,
                     target_models: Sequence[str] | None = None) -> iam.Grant:
        """Let ``grantee`` invoke this endpoint (see :meth:`RealtimeEndpoint.grant_invoke`)."""
        return _grant_invoke(grantee, RealtimeEndpoint._INVOKE_ACTIONS, self.endpoint_arn,
                             target_container_hostnames, target_models)


class InferenceComponent(Construct):
    """A model hosted on the shared instances of a :class:`RealtimeEndpoint` variant
    (``AWS::SageMaker::InferenceComponent``).

    Each component reserves ``memory_mb`` (and optionally ``cpu_cores`` / ``accelerators``) per copy and runs
    ``copies`` copies. The endpoint's execution role gets the model's managed policy (exact artifacts and image).

    More options:

    - ``auto_scaling``: a :class:`~cdk_sagemaker.constructs.hosting.ComponentScaling` that scales the copy count,
      down to zero with ``min_copies=0`` (then pair it with the variant's ``managed_instance_scaling``).
    - ``deployment``: a :class:`~cdk_sagemaker.constructs.hosting.ComponentDeployment` (rolling update with
      alarm rollback) for updates of the component.
    - ``specifications``: one :class:`~cdk_sagemaker.constructs.hosting.ComponentSpecification` per instance type
      (``Specifications``), instead of ``memory_mb`` and the other one-type fields.
    - ``base_component`` + ``adapter_uri``: an adapter (for example LoRA weights under an ``s3://`` prefix or object)
      on the compute of a base component (``BaseInferenceComponentName``, ``Container.ArtifactUrl``); takes no model
      and reserves nothing itself.
    - ``data_cache``: cache the model data on the instances (``DataCacheConfig``); ``scheduling``: placement.
    - ``model_size_gb``: the model's weights in GiB; checked against the accelerator memory the copy gets.
    - ``container_metrics``: publish the container's Prometheus metrics to CloudWatch (``ContainerMetricsConfig``).
    - ``inference_component_name``: a fixed name callers can use without reading outputs (updates of the component
      keep it; a change that replaces the component, such as another endpoint or variant, then fails, as for any
      custom-named resource).

    A component whose model runs an LLM container gets 900 s start-up timeouts unless given.

    Default: one copy, the endpoint's only inference-component variant, a CloudFormation-generated name, SageMaker's
    default startup timeouts, no auto scaling, SageMaker's default update.

    Attributes: ``cfn_inference_component`` (``node.default_child``), ``inference_component_name``, ``model``,
    ``scaling`` (:class:`~cdk_sagemaker.constructs.hosting.ComponentScalingResources`; only with ``auto_scaling``,
    otherwise reading it raises :class:`~cdk_sagemaker.errors.NotConfiguredError`).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        endpoint: RealtimeEndpoint,
        model: Model | None = None,
        memory_mb: int | None = None,
        cpu_cores: float | None = None,
        accelerators: float | None = None,
        max_memory_mb: int | None = None,
        copies: int = 1,
        variant_name: str | None = None,
        model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None,
        auto_scaling: ComponentScaling | None = None,
        deployment: ComponentDeployment | None = None,
        specifications: Sequence[ComponentSpecification] | None = None,
        base_component: InferenceComponent | None = None,
        adapter_uri: str | ModelData | None = None,
        data_cache: bool | None = None,
        scheduling: ComponentScheduling | None = None,
        model_size_gb: float | None = None,
        container_metrics: ComponentMetrics | None = None,
        inference_component_name: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        self._fixed_name = inference_component_name
        self.endpoint = endpoint
        self.model = model
        self.base_component = base_component
        self.specifications = tuple(specifications or ())
        self.variant_name = self._validate(
            endpoint=endpoint, model=model, memory_mb=memory_mb, cpu_cores=cpu_cores, accelerators=accelerators,
            max_memory_mb=max_memory_mb, copies=copies, variant_name=variant_name,
            timeouts={"model_data_download_timeout": model_data_download_timeout,
                      "container_startup_health_check_timeout": container_startup_health_check_timeout},
            auto_scaling=auto_scaling, deployment=deployment, base_component=base_component, adapter_uri=adapter_uri,
            scheduling=scheduling, model_size_gb=model_size_gb, container_metrics=container_metrics,
            data_cache=data_cache)
        self._container_metrics = container_metrics
        for m in self._models():
            endpoint._host_network_of(self, m)
        adapter_url = self._grant_endpoint_role(adapter_uri)
        if model is not None:
            model_data_download_timeout, container_startup_health_check_timeout = llm_startup_defaults(
                [c.image for c in model.containers], download=model_data_download_timeout,
                startup=container_startup_health_check_timeout)
        self.cfn_inference_component = self._create_component(
            memory_mb=memory_mb, cpu_cores=cpu_cores, accelerators=accelerators, max_memory_mb=max_memory_mb,
            copies=copies, download=model_data_download_timeout, startup=container_startup_health_check_timeout,
            adapter_uri=adapter_url, data_cache=data_cache, scheduling=scheduling, deployment=deployment)
        self._scaling = self._create_scaling(auto_scaling) if auto_scaling is not None else None
        endpoint.inference_components.append(self)

    @property
    def scaling(self) -> ComponentScalingResources:
        """The component's auto scaling resources (only with ``auto_scaling``)."""
        return configured(self._scaling, self, "scaling", "the component does not auto-scale (pass "
                          "auto_scaling=ComponentScaling(...))")

    def _models(self) -> list[Model]:
        """The models the component runs: its own and those of its per-instance-type specifications."""
        found: list[Model] = [self.model] if self.model is not None else []
        for spec in self.specifications:
            if isinstance(spec.model, Model) and spec.model not in found:
                found.append(spec.model)
        return found

    def _validate(self, *, endpoint: RealtimeEndpoint, model: Model | None, memory_mb: int | None,
                  cpu_cores: float | None, accelerators: float | None, max_memory_mb: int | None, copies: int,
                  variant_name: str | None, timeouts: dict[str, Duration | None],
                  auto_scaling: ComponentScaling | None, deployment: ComponentDeployment | None,
                  base_component: InferenceComponent | None, adapter_uri: str | ModelData | None,
                  scheduling: ComponentScheduling | None, model_size_gb: float | None,
                  container_metrics: ComponentMetrics | None = None, data_cache: bool | None = None) -> str:
        problems = Problems(node_path(self))
        problems.extend(timeout_problems("", model_data_download_timeout=timeouts["model_data_download_timeout"],
                                         container_startup_health_check_timeout=timeouts[
                                             "container_startup_health_check_timeout"]))
        hosting = [v.variant_name for v in endpoint.variants if v.model is None]
        chosen = variant_name
        if not hosting:
            problems.add("endpoint", "must have a variant that hosts inference components (ProductionVariant."
                         "for_inference_components); its variants serve models", endpoint.node.path)
        elif variant_name is None:
            if len(hosting) > 1:
                problems.add("variant_name", f"must name one of {hosting} (the endpoint has several)", None)
            chosen = hosting[0]
        elif variant_name not in hosting:
            problems.add("variant_name", f"must name a variant that hosts inference components, one of {hosting}",
                         variant_name)
        variant = next((v for v in endpoint.variants if v.variant_name == chosen), None)
        instance_type = variant.instance_type if variant is not None else None
        adapter = base_component is not None
        one_type = {"memory_mb": memory_mb, "cpu_cores": cpu_cores, "accelerators": accelerators,
                    "max_memory_mb": max_memory_mb}
        if base_component is not None:
            # An adapter "uses the compute resources that you assigned to the base inference component" and names
            # its artifacts in Container.ArtifactUrl (API reference, InferenceComponentSpecification,
            # BaseInferenceComponentName).
            if base_component.endpoint is not endpoint:
                problems.add("base_component", "must be a component of the same endpoint",
                             base_component.node.path)
            elif base_component.base_component is not None:
                problems.add("base_component", "must not itself be an adapter", base_component.node.path)
            if adapter_uri is None:
                problems.add("adapter_uri", "must be given with base_component (the adapter's s3:// artifacts)", None)
            # Nor does it have copies, start-up parameters or a data cache of its own (the base component's
            # RuntimeConfig, StartupParameters and DataCacheConfig apply); they would be dropped, so say so.
            for name, value in (*one_type.items(), ("model", model), ("specifications", self.specifications or None),
                                ("auto_scaling", auto_scaling), ("scheduling", scheduling),
                                ("copies", copies if copies != 1 else None), ("data_cache", data_cache),
                                ("model_size_gb", model_size_gb), *timeouts.items()):
                if value is not None:
                    problems.add(name, "does not apply to an adapter component (it runs on its base component's "
                                 "copies and compute)", value.node.path if isinstance(value, Construct)
                                 else value.to_human_string() if isinstance(value, Duration) else value)
        elif adapter_uri is not None:
            problems.add("adapter_uri", "applies only with base_component (an adapter component)", adapter_uri)
        if isinstance(adapter_uri, ModelData):
            problems.extend(adapter_uri.problems("adapter_uri"))
            # Container.ArtifactUrl is a bare URL: it has no ModelAccessConfig or HubAccessConfig (API reference,
            # InferenceComponentContainerSpecification), so they would be dropped without a word.
            for name in ("accept_eula", "hub_content_arn"):
                if getattr(adapter_uri, name, None):
                    problems.add(f"adapter_uri {name}", "does not apply to an adapter's artifacts (Container."
                                 "ArtifactUrl takes only the URL)", getattr(adapter_uri, name))
        elif adapter_uri is not None and not is_unresolved(adapter_uri):
            problems.extend(Problem.parse(m) for m in s3_uri_problems("adapter_uri", adapter_uri, shape="Url"))
        if self.specifications:
            problems.extend(self._specifications_problems(one_type, model, model_size_gb=model_size_gb))
            types = [spec.instance_type for spec in self.specifications]
            if instance_type is not None and not is_unresolved(instance_type) \
                    and not any(is_unresolved(x) for x in types) and instance_type not in types:
                # Each entry applies to instances of its InstanceType (API reference, InferenceComponentSpecification
                # InstanceType): without one for the variant's type, no copy has a specification to run with.
                problems.add("specifications", f"must include the variant's instance type {instance_type}", types)
        elif not adapter:
            if model is None:
                problems.add("model", "must be given (or specifications=[...], or base_component for an adapter)",
                             None)
            if memory_mb is None:
                problems.add("memory_mb", "must be given: the memory each copy reserves (botocore "
                             "MinMemoryRequiredInMb is required)", None)
            problems.extend(compute_problems("", memory_mb=memory_mb, max_memory_mb=max_memory_mb,
                                             cpu_cores=cpu_cores, accelerators=accelerators,
                                             instance_type=instance_type))
            if model is not None:
                problems.extend(self._image_problems("", model, instance_type))
                problems.extend(llm_problems("", images=[(c.image, c.environment) for c in model.containers],
                                             instance_type=instance_type, accelerators=accelerators,
                                             model_size_gb=model_size_gb))
        lo, _ = _limits.bounds("InferenceComponentCopyCount")
        if not is_unresolved(copies):
            if lo is not None and copies < lo:
                problems.add("copies", f"must be at least {lo:g} (botocore InferenceComponentCopyCount)", copies)
            elif copies < 1:
                # A component is created with at least one copy; it reaches zero only by scaling in once in service
                # ("Scale an endpoint to zero instances": the endpoint "is in service" and each component is then
                # registered with MinCapacity 0).
                problems.add("copies", "must be at least 1 when the component is created (scale it to zero with "
                             "auto_scaling=ComponentScaling(min_copies=0, ...))", copies)
        if auto_scaling is not None:
            problems.extend(auto_scaling.problems("", copies=copies))
        if deployment is not None:
            problems.extend(deployment.problems(""))
        if scheduling is not None:
            problems.extend(scheduling.problems(""))
        if self._fixed_name is not None and not is_unresolved(self._fixed_name) \
                and not _limits.matches("InferenceComponentName", self._fixed_name):
            problems.add("inference_component_name", f"must match {_limits.pattern('InferenceComponentName')} with "
                         f"at most {_limits.bounds('InferenceComponentName')[1]} characters (botocore "
                         "InferenceComponentName)", self._fixed_name)
        if container_metrics is not None:
            problems.extend(container_metrics.problems(""))
            if self.specifications:
                problems.add("container_metrics", "and specifications are exclusive: set it on each "
                             "ComponentSpecification(container_metrics=...)", container_metrics.path)
        if self.specifications and base_component is None:
            # With Specifications each entry carries its own DataCacheConfig, SchedulingConfig and StartupParameters
            # (there is no component-wide Specification to hold them): a component-level value would be dropped.
            for name, value in (("data_cache", data_cache), ("scheduling", scheduling), *timeouts.items()):
                if value is not None:
                    problems.add(name, f"and specifications are exclusive: set it on each ComponentSpecification("
                                 f"{name}=...)", value.to_human_string() if isinstance(value, Duration) else value)
        problems.raise_if_any()
        if auto_scaling is not None and auto_scaling.min_copies == 0 and variant is not None:
            self._warn_instances_stay(endpoint, variant.variant_name)
        return chosen if chosen is not None else hosting[0]

    def _specifications_problems(self, one_type: dict[str, float | None], model: Model | None, *,
                                 model_size_gb: float | None = None) -> list[Problem]:
        problems = Problems("")
        lo, hi = _limits.list_bounds("InferenceComponentSpecificationList")
        # CloudFormation's resource schema (AWS::SageMaker::InferenceComponent, Specifications) asks for at least 2
        # entries, more than botocore's 1: with one instance type, use the one-type fields (Specification).
        lo = max(lo or 0, 2)
        specs = self.specifications
        for name, value in one_type.items():
            if value is not None:
                problems.add(name, "and specifications are exclusive (botocore: Specification or Specifications, "
                             "not both): set it on each ComponentSpecification", value)
        if not _limits.check_range(len(specs), lo, hi):
            problems.add("specifications", f"must hold {_limits.range_text(lo, hi)} entries (CloudFormation's "
                         "schema and botocore InferenceComponentSpecificationList; for one instance type use "
                         "memory_mb=... instead)", len(specs))
        seen: set[str] = set()
        for i, spec in enumerate(specs):
            where = f"specifications[{i}]."
            if spec.instance_type in seen:
                problems.add(f"{where}instance_type", "must be unique among the specifications", spec.instance_type)
            seen.add(spec.instance_type)
            if not is_unresolved(spec.instance_type) and spec.instance_type not in _limits.enum(
                    "ProductionVariantInstanceType"):
                problems.add(f"{where}instance_type", "must be a SageMaker instance type from botocore's "
                             "ProductionVariantInstanceType", spec.instance_type)
            spec_model = spec.model if spec.model is not None else model
            if spec_model is None:
                problems.add(f"{where}model", "must be given here or as the component's model", None)
            elif not isinstance(spec_model, Model):
                problems.add(f"{where}model", "must be a cdk_sagemaker Model", spec_model)
            problems.extend(compute_problems(where, memory_mb=spec.memory_mb, max_memory_mb=spec.max_memory_mb,
                                             cpu_cores=spec.cpu_cores, accelerators=spec.accelerators,
                                             instance_type=spec.instance_type))
            problems.extend(timeout_problems(
                where, model_data_download_timeout=spec.model_data_download_timeout,
                container_startup_health_check_timeout=spec.container_startup_health_check_timeout))
            if spec.scheduling is not None:
                problems.extend(spec.scheduling.problems(where))
            if spec.container_metrics is not None:
                problems.extend(spec.container_metrics.problems(where))
            if isinstance(spec_model, Model):
                problems.extend(self._image_problems(where, spec_model, spec.instance_type))
                problems.extend(llm_problems(where, images=[(c.image, c.environment) for c in spec_model.containers],
                                             instance_type=spec.instance_type, accelerators=spec.accelerators,
                                             # model_size_gb is the component's model: checked where it runs.
                                             model_size_gb=model_size_gb if spec.model is None else None))
        return list(problems.items)

    @staticmethod
    def _image_problems(where: str, model: Model, instance_type: str | None) -> list[Problem]:
        """A GPU or Neuron image on instances without that accelerator (as the endpoints check their variants)."""
        out: list[Problem] = []
        for i, container in enumerate(model.containers):
            out += accelerator_problems(where, container.image, instance_type,
                                        where_image=f"{model.node.path} containers[{i}]")
        return out

    def _warn_instances_stay(self, endpoint: RealtimeEndpoint, variant_name: str) -> None:
        source = next((v for v in endpoint._variant_sources if v.variant_name == variant_name), None)
        mis = source.managed_instance_scaling if source is not None else None
        if mis is None or mis.min_instances != 0:
            Annotations.of(self).add_warning_v2(
                "cdk-sagemaker:component:instances-stay",
                f"auto_scaling scales this component to zero copies, but variant {variant_name!r} keeps its "
                "instances (give it managed_instance_scaling=ManagedInstanceScaling(min_instances=0, ...) so the "
                "endpoint releases them; 'Scale an endpoint to zero instances').")

    def _grant_endpoint_role(self, adapter_uri: str | ModelData | None = None) -> str | None:
        """Attach the models' least-privilege managed policies to the endpoint's execution role; for an adapter,
        let the role read exactly the adapter's artifacts and return their URL."""
        role = self.endpoint._execution_role
        # The Model's own customer-managed policy (None for a model that runs as a role you gave).
        policies = [m.attach_execution_policy(role) for m in self._models()] if role is not None else []
        self._model_policies = [p for p in policies if p is not None]
        self._model_policy = self._model_policies[0] if self._model_policies else None
        if adapter_uri is None or self.endpoint._execution_policy is None:
            return adapter_uri if isinstance(adapter_uri, str) else None
        data = ModelData.from_s3_uri(adapter_uri) if isinstance(adapter_uri, str) else adapter_uri
        sink = _AdapterGrants(self.endpoint._execution_policy)
        url = data.bind(self, sink)
        policy = self.endpoint._execution_policy.policy
        if data.is_prefix and policy is not None:
            from cdk_sagemaker.constructs._nag import acknowledge_resource

            for arn in sink.object_arns:
                acknowledge_resource(policy, arn, "An adapter's artifacts are the objects under its S3 prefix "
                                     "(Container.ArtifactUrl); the read grant covers exactly that prefix.")
        return url

    def _compute(self, memory_mb: int | None, cpu_cores: float | None, accelerators: float | None,
                 max_memory_mb: int | None) -> Any:
        return sagemaker.CfnInferenceComponent.InferenceComponentComputeResourceRequirementsProperty(
            min_memory_required_in_mb=memory_mb, max_memory_required_in_mb=max_memory_mb,
            number_of_cpu_cores_required=cpu_cores, number_of_accelerator_devices_required=accelerators)

    @staticmethod
    def _startup(download: Duration | None, startup: Duration | None) -> Any:
        if download is None and startup is None:
            return None
        return sagemaker.CfnInferenceComponent.InferenceComponentStartupParametersProperty(
            model_data_download_timeout_in_seconds=render_seconds(download),
            container_startup_health_check_timeout_in_seconds=render_seconds(startup))

    def _render_specifications(self) -> list[Any]:
        ic = sagemaker.CfnInferenceComponent
        out = []
        for spec in self.specifications:
            model = spec.model if spec.model is not None else self.model
            assert isinstance(model, Model)
            download, startup = llm_startup_defaults(
                [c.image for c in model.containers], download=spec.model_data_download_timeout,
                startup=spec.container_startup_health_check_timeout)
            out.append(ic.InferenceComponentSpecificationForInstanceTypeProperty(
                instance_type=spec.instance_type, model_name=model.model_name,
                compute_resource_requirements=self._compute(spec.memory_mb, spec.cpu_cores, spec.accelerators,
                                                            spec.max_memory_mb),
                startup_parameters=self._startup(download, startup),
                data_cache_config=(ic.InferenceComponentDataCacheConfigProperty(enable_caching=spec.data_cache)
                                   if spec.data_cache is not None else None),
                scheduling_config=spec.scheduling.render() if spec.scheduling is not None else None,
                container=(ic.InferenceComponentContainerSpecificationForInstanceTypeProperty(
                    container_metrics_config=spec.container_metrics.render())
                    if spec.container_metrics is not None else None)))
        return out

    def _create_component(self, *, memory_mb: int | None, cpu_cores: float | None, accelerators: float | None,
                          max_memory_mb: int | None, copies: int, download: Duration | None,
                          startup: Duration | None, adapter_uri: str | None = None, data_cache: bool | None = None,
                          scheduling: ComponentScheduling | None = None,
                          deployment: ComponentDeployment | None = None) -> sagemaker.CfnInferenceComponent:
        ic = sagemaker.CfnInferenceComponent
        if deployment is not None and deployment.alarms:
            self._grant_describe_alarms(deployment)
        specification = None
        if self.base_component is not None:
            specification = ic.InferenceComponentSpecificationProperty(
                base_inference_component_name=self.base_component.inference_component_name,
                container=ic.InferenceComponentContainerSpecificationProperty(
                    artifact_url=adapter_uri, container_metrics_config=(
                        self._container_metrics.render() if self._container_metrics is not None else None)))
        elif not self.specifications:
            assert self.model is not None
            metrics = self._container_metrics
            specification = ic.InferenceComponentSpecificationProperty(
                model_name=self.model.model_name,
                container=(ic.InferenceComponentContainerSpecificationProperty(container_metrics_config=metrics.render())
                           if metrics is not None else None),
                compute_resource_requirements=self._compute(memory_mb, cpu_cores, accelerators, max_memory_mb),
                startup_parameters=self._startup(download, startup),
                data_cache_config=(ic.InferenceComponentDataCacheConfigProperty(enable_caching=data_cache)
                                   if data_cache is not None else None),
                scheduling_config=scheduling.render() if scheduling is not None else None,
            )
        component = ic(
            self, "Resource",
            inference_component_name=self._fixed_name,
            endpoint_name=self.endpoint.endpoint_name,
            variant_name=self.variant_name,
            specification=specification,
            specifications=self._render_specifications() or None,
            # An adapter runs on its base component's copies: it has no RuntimeConfig of its own.
            runtime_config=(ic.InferenceComponentRuntimeConfigProperty(copy_count=copies)
                            if self.base_component is None else None),
            deployment_config=deployment.render() if deployment is not None else None,
        )
        for policy in self._model_policies:
            component.node.add_dependency(policy)  # the endpoint role must hold the model's grants first
        if self.endpoint._execution_policy is not None and self.endpoint._execution_policy.policy is not None:
            component.node.add_dependency(self.endpoint._execution_policy.policy)
        if self.base_component is not None and self.base_component._fixed_name is not None:
            # A literal base name does not reference the base component (with a generated name, GetAtt orders them).
            component.add_dependency(self.base_component.cfn_inference_component)
        return component

    def _grant_describe_alarms(self, deployment: ComponentDeployment) -> None:
        """SageMaker reads the rollback alarms as the endpoint's execution role (as for endpoint guardrails)."""
        stack = stack_of(self)
        arns = [stack.format_arn(service="cloudwatch", resource="alarm", arn_format=ArnFormat.COLON_RESOURCE_NAME,
                                 resource_name=a.alarm_name) for a in deployment.alarms]
        if self.endpoint._execution_policy is not None:
            self.endpoint._execution_policy.add_to_role_policy(iam.PolicyStatement(
                actions=["cloudwatch:DescribeAlarms"], resources=arns))

    def _create_scaling(self, scaling: ComponentScaling) -> ComponentScalingResources:
        """The component's scalable target and policies (``ComponentScalingResources``, id ``AutoScaling``)."""
        resources = ComponentScalingResources(self, "AutoScaling", component_name=self.inference_component_name,
                                              scaling=scaling)
        if self._fixed_name is not None:  # a literal name does not reference the component: order them explicitly
            resources.scalable_target.add_dependency(self.cfn_inference_component)
        return resources

    @property
    def inference_component_name(self) -> str:
        """The component's name (as given, or generated by CloudFormation and taken from its ARN
        ``arn:...:inference-component/<name>``): pass it as ``InferenceComponentName`` when invoking."""
        if self._fixed_name is not None:
            return self._fixed_name
        return Fn.select(1, Fn.split("/", self.inference_component_arn))

    @property
    def inference_component_arn(self) -> str:
        """The component's ARN."""
        return self.cfn_inference_component.attr_inference_component_arn

    def metric(
        self, metric_name: str, *, namespace: str = "AWS/SageMaker", statistic: str = "Sum",
        period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """A metric of this component (dimension ``InferenceComponentName``). Default: Sum over one minute."""
        return build_metric(self, metric_name, {"InferenceComponentName": self.inference_component_name},
                            namespace=namespace, statistic=statistic, period=period, label=label, unit=unit,
                            color=color, account=account, region=region)

    def metric_invocations(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests sent to this component. Default: Sum."""
        return self.metric("Invocations", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_model_latency(
        self, *, statistic: str = "p99", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Model latency of this component in microseconds. Default: p99."""
        return self.metric("ModelLatency", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_5xx_errors(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """5XX errors of this component. Default: Sum."""
        return self.metric("Invocation5XXErrors", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)
