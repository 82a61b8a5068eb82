"""Real-time endpoints: persistent instances, low latency.

One model on one variant, several weighted production variants (A/B tests), a shadow variant, multi-model and
multi-container models, inference components sharing a variant's instances, and data capture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import ArnFormat, Duration, Fn, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._instances import accelerator_of
from cdk_sagemaker.constructs._checks import check_duration, import_problems, render_seconds, to_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.deployment import DeploymentStrategy
from cdk_sagemaker.constructs.endpoint import (
    EndpointBase,
    VariantSpec,
    accelerator_problems,
    has_instance_storage,
    instance_problems,
    variant_name_problems,
)
from cdk_sagemaker.constructs.metrics import EndpointMetrics, VariantMetrics, build_metric
from cdk_sagemaker.constructs.model import Model
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
    - ``routing_strategy``: ``LEAST_OUTSTANDING_REQUESTS``, ``RANDOM`` (or another botocore ``RoutingStrategy``).
      Default: SageMaker's default (random).
    - ``auto_scaling``: target tracking for this variant's instance count. Default: none.
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
    routing_strategy: str | None = None
    auto_scaling: AutoScaling | None = None
    core_dump: CoreDump | None = None
    instance_pools: Sequence[InstancePool] | None = None
    instance_provision_timeout: Duration | None = None

    @classmethod
    def for_inference_components(
        cls, *, instance_type: str, instance_count: int = 1, variant_name: str | None = None,
        volume_size_gb: int | None = None, model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None, routing_strategy: str | None = None,
    ) -> ProductionVariant:
        """A variant without a model whose instances host inference components (each with its own model, CPU,
        accelerator and memory needs and copy count). Default: one instance."""
        return cls(model=None, instance_type=instance_type, instance_count=instance_count, variant_name=variant_name,
                   volume_size_gb=volume_size_gb, model_data_download_timeout=model_data_download_timeout,
                   container_startup_health_check_timeout=container_startup_health_check_timeout,
                   routing_strategy=routing_strategy)

    def _spec(self, default_name: str, *, shadow: bool) -> VariantSpec:
        extra: dict[str, Any] = {}
        if self.volume_size_gb is not None:
            extra["volume_size_in_gb"] = self.volume_size_gb
        if self.model_data_download_timeout is not None:
            extra["model_data_download_timeout_in_seconds"] = render_seconds(self.model_data_download_timeout)
        if self.container_startup_health_check_timeout is not None:
            extra["container_startup_health_check_timeout_in_seconds"] = render_seconds(
                self.container_startup_health_check_timeout)
        if self.routing_strategy is not None:
            extra["routing_config"] = sagemaker.CfnEndpointConfig.RoutingConfigProperty(
                routing_strategy=self.routing_strategy)
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
                   shadow_variants: Sequence[ProductionVariant] | None = None) -> list[Problem]:
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
    if source.volume_size_gb is not None and not is_unresolved(source.volume_size_gb):
        lo, hi = _limits.bounds("ProductionVariantVolumeSizeInGB")
        if not _limits.check_range(source.volume_size_gb, lo, hi):
            problems.add(f"{where}volume_size_gb", f"must be {_limits.range_text(lo, hi)} GB (botocore "
                         "ProductionVariantVolumeSizeInGB)", source.volume_size_gb)
        elif has_instance_storage(source.instance_type):
            problems.add(f"{where}volume_size_gb", f"does not apply to {source.instance_type}, whose local NVMe "
                         "instance storage SageMaker uses instead of an EBS volume", source.volume_size_gb)
    for name, shape in (("model_data_download_timeout", "ProductionVariantModelDataDownloadTimeoutInSeconds"),
                        ("container_startup_health_check_timeout",
                         "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds")):
        seconds = to_seconds(getattr(source, name))
        if seconds is not None and not is_unresolved(seconds):
            lo, hi = _limits.bounds(shape)
            if not _limits.check_range(seconds, lo, hi):
                problems.add(f"{where}{name}", f"must be {_limits.range_text(lo, hi)} seconds (botocore {shape})",
                             f"{seconds} s")
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
                        where_image=f"{spec.model.node.path} containers[{k}]"))
    if source.routing_strategy is not None and not is_unresolved(source.routing_strategy):
        allowed = _limits.enum("RoutingStrategy")
        if source.routing_strategy not in allowed:
            problems.add(f"{where}routing_strategy", f"must be one of {', '.join(sorted(allowed))}",
                         source.routing_strategy)
    return list(problems.items)


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
    return list(problems.items)


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

    Default: ``ml.m5.large``, one instance, variant ``AllTraffic``, a new KMS key (rotation on) for the storage
    volumes unless the instance type has hardware-encrypted local storage, no auto-scaling, no deployment guardrail,
    no data capture. An endpoint with inference components gets a new execution role (``execution_role``).

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
        explainer: ClarifyExplainer | None = None,
        retain_on_update: Sequence[RetainedProperty] | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        problems = Problems(node_path(self))
        problems.extend(_form_problems(model=model, instance_type=instance_type, instance_count=instance_count,
                                       variant_name=variant_name, variants=variants, auto_scaling=auto_scaling,
                                       shadow_variants=shadow_variants))
        problems.raise_if_any()  # the variant specs below read the form (one model or variants, Durations)
        if variants is None:
            specs = [VariantSpec(variant_name=variant_name, model=model, kind="instance",
                                  instance_type=instance_type, initial_instance_count=instance_count,
                                  auto_scaling=auto_scaling)]
        else:
            specs = [v._spec(f"Variant{i + 1}", shadow=False) for i, v in enumerate(variants)]
        shadows = [v._spec(f"Shadow{i + 1}", shadow=True) for i, v in enumerate(shadow_variants or ())]
        problems.extend(_variants_problems(specs, shadows, variants=variants, shadow_variants=shadow_variants or (),
                                           data_capture=data_capture, execution_role=execution_role))
        problems.extend(self._security_problems((*specs, *shadows), kms_key))
        problems.extend(self._deployment_problems(specs, deployment))
        if explainer is not None:
            problems.extend(explainer.problems())
        problems.extend(retention_problems(retain_on_update, auto_scaled=any(s.auto_scaling for s in specs)))
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
        return iam.Role(self, "ExecutionRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
                        description=f"SageMaker execution role of inference-component endpoint {node_path(self)}")

    def _endpoint_config_props(self) -> dict[str, Any]:
        props = super()._endpoint_config_props()
        if self._execution_role is not None:
            props["execution_role_arn"] = self._execution_role.role_arn
        if self._explainer is not None:
            props["explainer_config"] = self._explainer.bind(self.execution_principals())
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
        self, id: str, *, model: Model, memory_mb: int, cpu_cores: float | None = None,
        accelerators: float | None = None, max_memory_mb: int | None = None, copies: int = 1,
        variant_name: str | None = None, model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None,
    ) -> InferenceComponent:
        """Host ``model`` on this endpoint's instances as an :class:`InferenceComponent` (created under the
        endpoint). Default: one copy, on the only inference-component variant."""
        return InferenceComponent(
            self, id, endpoint=self, model=model, memory_mb=memory_mb, cpu_cores=cpu_cores,
            accelerators=accelerators, max_memory_mb=max_memory_mb, copies=copies, variant_name=variant_name,
            model_data_download_timeout=model_data_download_timeout,
            container_startup_health_check_timeout=container_startup_health_check_timeout,
        )

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
        stack = Stack.of(self)
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

    Default: one copy, the endpoint's only inference-component variant, a CloudFormation-generated name, SageMaker's
    default startup timeouts.

    Attributes: ``cfn_inference_component`` (``node.default_child``), ``inference_component_name``, ``model``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        endpoint: RealtimeEndpoint,
        model: Model,
        memory_mb: int,
        cpu_cores: float | None = None,
        accelerators: float | None = None,
        max_memory_mb: int | None = None,
        copies: int = 1,
        variant_name: str | None = None,
        model_data_download_timeout: Duration | None = None,
        container_startup_health_check_timeout: Duration | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        self.endpoint = endpoint
        self.model = model
        self.variant_name = self._validate(endpoint=endpoint, memory_mb=memory_mb, cpu_cores=cpu_cores,
                                           accelerators=accelerators, max_memory_mb=max_memory_mb, copies=copies,
                                           variant_name=variant_name,
                                           timeouts={"model_data_download_timeout": model_data_download_timeout,
                                                     "container_startup_health_check_timeout":
                                                         container_startup_health_check_timeout})
        endpoint._host_network_of(self, model)
        self._grant_endpoint_role()
        self.cfn_inference_component = self._create_component(
            memory_mb=memory_mb, cpu_cores=cpu_cores, accelerators=accelerators, max_memory_mb=max_memory_mb,
            copies=copies, download=model_data_download_timeout, startup=container_startup_health_check_timeout)
        endpoint.inference_components.append(self)

    def _validate(self, *, endpoint: RealtimeEndpoint, memory_mb: int, cpu_cores: float | None,
                  accelerators: float | None, max_memory_mb: int | None, copies: int, variant_name: str | None,
                  timeouts: dict[str, Duration | None]) -> str:
        problems = Problems(node_path(self))
        problems.extend(check_duration(name, timeout) for name, timeout in timeouts.items())
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
        checks: list[tuple[str, float | None, str]] = [
            ("memory_mb", memory_mb, "MemoryInMb"), ("max_memory_mb", max_memory_mb, "MemoryInMb"),
            ("cpu_cores", cpu_cores, "NumberOfCpuCores"), ("accelerators", accelerators, "NumberOfAcceleratorDevices"),
            ("copies", copies, "InferenceComponentCopyCount"),
        ]
        for name, value, shape in checks:
            if value is not None and not is_unresolved(value):
                lo, hi = _limits.bounds(shape)
                if not _limits.check_range(value, lo, hi):
                    problems.add(name, f"must be {_limits.range_text(lo, hi)} (botocore {shape})", value)
        if max_memory_mb is not None and not is_unresolved(max_memory_mb) and max_memory_mb < memory_mb:
            problems.add("max_memory_mb", f"must be at least memory_mb ({memory_mb})", max_memory_mb)
        for name, timeout in timeouts.items():
            seconds = to_seconds(timeout)
            shape = ("ProductionVariantModelDataDownloadTimeoutInSeconds" if name.startswith("model")
                     else "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds")
            if seconds is not None and not is_unresolved(seconds):
                lo, hi = _limits.bounds(shape)
                if not _limits.check_range(seconds, lo, hi):
                    problems.add(name, f"must be {_limits.range_text(lo, hi)} seconds (botocore {shape})",
                                 f"{seconds} s")
        problems.raise_if_any()
        return chosen if chosen is not None else hosting[0]

    def _grant_endpoint_role(self) -> None:
        """Attach the model's least-privilege managed policy to the endpoint's execution role."""
        role = self.endpoint._execution_role
        # The Model's own customer-managed policy (None for a model that runs as a role you gave).
        self._model_policy = self.model.attach_execution_policy(role) if role is not None else None

    def _create_component(self, *, memory_mb: int, cpu_cores: float | None, accelerators: float | None,
                          max_memory_mb: int | None, copies: int, download: Duration | None,
                          startup: Duration | None) -> sagemaker.CfnInferenceComponent:
        ic = sagemaker.CfnInferenceComponent
        startup_params = None
        if download is not None or startup is not None:
            startup_params = ic.InferenceComponentStartupParametersProperty(
                model_data_download_timeout_in_seconds=render_seconds(download),
                container_startup_health_check_timeout_in_seconds=render_seconds(startup))
        component = ic(
            self, "Resource",
            endpoint_name=self.endpoint.endpoint_name,
            variant_name=self.variant_name,
            specification=ic.InferenceComponentSpecificationProperty(
                model_name=self.model.model_name,
                compute_resource_requirements=ic.InferenceComponentComputeResourceRequirementsProperty(
                    min_memory_required_in_mb=memory_mb, max_memory_required_in_mb=max_memory_mb,
                    number_of_cpu_cores_required=cpu_cores, number_of_accelerator_devices_required=accelerators),
                startup_parameters=startup_params,
            ),
            runtime_config=ic.InferenceComponentRuntimeConfigProperty(copy_count=copies),
        )
        if self._model_policy is not None:
            component.node.add_dependency(self._model_policy)  # the endpoint role must hold the model's grants first
        return component

    @property
    def inference_component_name(self) -> str:
        """The component's name (generated by CloudFormation, taken from its ARN
        ``arn:...:inference-component/<name>``): pass it as ``InferenceComponentName`` when invoking."""
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
