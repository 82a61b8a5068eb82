"""Options of instance variants and inference components for modern hosting: routing, AMI versions, capacity
reservations, managed instance scaling (instances follow component copies, down to zero), and for inference
components copy-count auto scaling (to and from zero), rolling updates, per-instance-type specifications, data cache
and scheduling. The validators return :class:`~cdk_sagemaker.errors.Problem` lists; the renderers return L1 property
objects. Limits and enums come from botocore (``_limits``).

Sources (SageMaker developer guide and API reference):
- "Scale an endpoint to zero instances",
  https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html: only an endpoint that
  hosts inference components scales to and from zero instances; its variant's ``ManagedInstanceScaling`` sets
  ``MinInstanceCount`` 0; each component is registered with ``MinCapacity`` 0 (resource id
  ``inference-component/<name>``, dimension ``sagemaker:inference-component:DesiredCopyCount``) and scales out from
  zero with a step-scaling policy on a CloudWatch alarm on ``NoCapacityInvocationFailures``.
- "Auto scaling policy overview", https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-policy.html
  (step scaling is required to scale out from zero).
- ProductionVariant, ProductionVariantManagedInstanceScaling, ProductionVariantRoutingConfig,
  ProductionVariantCapacityReservationConfig, InferenceComponentDeploymentConfig, InferenceComponentSpecification
  (API reference).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jsii
from aws_cdk import Duration, Fn
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits, _llm
from cdk_sagemaker._instances import accelerator_of, family, has_instance_storage, is_gpu, is_neuron
from cdk_sagemaker.constructs._checks import check_duration, render_seconds, to_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.metrics import build_metric
from cdk_sagemaker.errors import Problem, Problems

__all__ = ["ROUTING_NOT_IN_CLOUDFORMATION", "CapacityReservation", "ComponentDeployment", "ComponentMetrics",
           "ComponentScaling", "ComponentScheduling", "ComponentSpecification", "InstanceVariantFields",
           "ManagedInstanceScaling", "Routing", "ScaleInPolicy", "llm_container_of", "llm_startup_defaults",
           "timeout_problems"]

_AAS = "application-autoscaling"
COPY_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
_INVOCATIONS_PER_COPY = "SageMakerInferenceComponentInvocationsPerCopy"
_CONCURRENCY_PER_COPY = "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
_NO_CAPACITY = "NoCapacityInvocationFailures"
_FROM_ZERO_HOW = "the component does not scale to zero (ComponentScaling(min_copies=0, ...))"

_TIMEOUT_SHAPES = {"model_data_download_timeout": "ProductionVariantModelDataDownloadTimeoutInSeconds",
                   "container_startup_health_check_timeout":
                       "ProductionVariantContainerStartupHealthCheckTimeoutInSeconds"}


def _num(value: float | None) -> bool:
    return value is not None and not is_unresolved(value)


def _range(problems: Problems, param: str, value: float | None, shape: str, unit: str = "",
           *, service: str = "sagemaker") -> None:
    if not _num(value):
        return
    assert value is not None
    lo, hi = _limits.bounds(shape, service=service)
    if not _limits.check_range(value, lo, hi):
        problems.add(param, f"must be {_limits.range_text(lo, hi)}{unit} (botocore {shape})", value)


def _seconds_problems(problems: Problems, param: str, value: Duration | None, shape: str) -> None:
    msg = check_duration(param, value)
    if msg:
        problems.add_message(msg)
        return
    seconds = to_seconds(value)
    if seconds is not None and not is_unresolved(seconds):
        lo, hi = _limits.bounds(shape)
        if not _limits.check_range(seconds, lo, hi):
            problems.add(param, f"must be {_limits.range_text(lo, hi)} seconds (botocore {shape})", f"{seconds} s")
        elif not float(seconds).is_integer():
            problems.add(param, f"must be whole seconds (botocore {shape} is an integer)", f"{seconds} s")


def timeout_problems(where: str, *, model_data_download_timeout: Duration | None,
                     container_startup_health_check_timeout: Duration | None) -> list[Problem]:
    """Problems of the two start-up timeouts (a Duration of whole seconds in botocore's range), as a variant, an
    inference component or one of its specifications takes them (``StartupParameters`` uses the variant shapes)."""
    problems = Problems("")
    for name, value in (("model_data_download_timeout", model_data_download_timeout),
                        ("container_startup_health_check_timeout", container_startup_health_check_timeout)):
        _seconds_problems(problems, f"{where}{name}", value, _TIMEOUT_SHAPES[name])
    return list(problems.items)


# -- variant options ------------------------------------------------------------------------------------------------
#: botocore ``RoutingStrategy`` values that CloudFormation does not take yet: the resource schema of
#: ``AWS::SageMaker::EndpointConfig`` (a registry resource, whose input CloudFormation validates against the schema)
#: lists ``RoutingConfig.RoutingStrategy`` as LEAST_OUTSTANDING_REQUESTS, PREFIX_AWARE and RANDOM (cfn-lint's schema,
#: aws-cdk-lib's synth-time validator), so a template with one of these fails cfn-lint (E3030) and the deployment.
#: ``tests/unit/test_hosting.py`` keeps this set equal to botocore's values minus the schema's.
ROUTING_NOT_IN_CLOUDFORMATION = frozenset({"KV_AWARE"})


@dataclass(frozen=True, kw_only=True, slots=True)
class Routing:
    """How a variant routes requests among its instances (``RoutingConfig``). Use a factory; every
    ``RoutingStrategy`` botocore knows has one (:meth:`of` takes any by name)."""

    strategy: str
    prefix_length: int | None = None
    concurrency_threshold: int | None = None

    @classmethod
    def least_outstanding_requests(cls) -> Routing:
        """Send each request to the instance with the fewest requests in flight."""
        return cls(strategy="LEAST_OUTSTANDING_REQUESTS")

    @classmethod
    def random(cls) -> Routing:
        """Pick an instance at random (SageMaker's default)."""
        return cls(strategy="RANDOM")

    @classmethod
    def prefix_aware(cls, *, prefix_length: int, concurrency_threshold: int) -> Routing:
        """Send requests that share a prefix (a system prompt) to the same instance and copy, until it has
        ``concurrency_threshold`` requests in flight. Both values are required with ``PREFIX_AWARE`` (botocore
        ``PrefixAwareRoutingConfig``): ``prefix_length`` bytes (characters for the OpenAI-compatible API)."""
        return cls(strategy="PREFIX_AWARE", prefix_length=prefix_length, concurrency_threshold=concurrency_threshold)

    @classmethod
    def kv_aware(cls) -> Routing:
        """Route by the model server's KV-cache state (``KV_AWARE``, supported containers such as SageMaker's vLLM).
        Not accepted by CloudFormation yet (see ``ROUTING_NOT_IN_CLOUDFORMATION``): a variant rejects it until the
        ``AWS::SageMaker::EndpointConfig`` schema lists it."""
        return cls(strategy="KV_AWARE")

    @classmethod
    def of(cls, strategy: str) -> Routing:
        """Any botocore ``RoutingStrategy`` by name (validated when the variant is built)."""
        return cls(strategy=strategy)

    def problems(self, where: str) -> list[Problem]:
        problems = Problems("")
        if is_unresolved(self.strategy):
            return []
        allowed = _limits.enum("RoutingStrategy")
        usable = ", ".join(sorted(set(allowed) - ROUTING_NOT_IN_CLOUDFORMATION))
        if self.strategy not in allowed:
            problems.add(f"{where}routing_strategy", f"must be one of {usable} (botocore RoutingStrategy, as "
                         "CloudFormation takes it)", self.strategy)
        elif self.strategy in ROUTING_NOT_IN_CLOUDFORMATION:
            problems.add(f"{where}routing_strategy", f"is not accepted by CloudFormation yet (the AWS::SageMaker::"
                         f"EndpointConfig schema lists {usable}; the template would fail validation): choose one of "
                         "those", self.strategy)
        prefix = self.strategy == "PREFIX_AWARE"
        for name, shape in (("prefix_length", "PrefixAwareRoutingPrefixLength"),
                            ("concurrency_threshold", "PrefixAwareRoutingConcurrencyThreshold")):
            value = getattr(self, name)
            if prefix and value is None:
                problems.add(f"{where}routing.{name}", "is required with PREFIX_AWARE routing (botocore "
                             "PrefixAwareRoutingConfig)", None)
            elif not prefix and value is not None:
                problems.add(f"{where}routing.{name}", "applies only to PREFIX_AWARE routing", value)
            else:
                _range(problems, f"{where}routing.{name}", value, shape)
        return list(problems.items)

    def render(self) -> sagemaker.CfnEndpointConfig.RoutingConfigProperty:
        prefix = None
        if self.prefix_length is not None or self.concurrency_threshold is not None:
            prefix = sagemaker.CfnEndpointConfig.PrefixAwareRoutingConfigProperty(
                prefix_length=self.prefix_length, concurrency_threshold=self.concurrency_threshold)
        return sagemaker.CfnEndpointConfig.RoutingConfigProperty(routing_strategy=self.strategy,
                                                                 prefix_aware_routing_config=prefix)


@dataclass(frozen=True, kw_only=True, slots=True)
class CapacityReservation:
    """Run the variant's instances only on an ML capacity reservation (``CapacityReservationConfig``,
    preference ``capacity-reservations-only``, the one value botocore knows)."""

    ml_reservation_arn: str
    preference: str = "capacity-reservations-only"

    @classmethod
    def from_arn(cls, ml_reservation_arn: str) -> CapacityReservation:
        """The reservation by ARN (``arn:aws:sagemaker:<region>:<account>:<type>/<name>``)."""
        return cls(ml_reservation_arn=ml_reservation_arn)

    def problems(self, where: str) -> list[Problem]:
        problems = Problems("")
        if self.preference not in _limits.enum("CapacityReservationPreference"):
            problems.add(f"{where}capacity_reservation.preference", "must be one of "
                         f"{sorted(_limits.enum('CapacityReservationPreference'))}", self.preference)
        if not is_unresolved(self.ml_reservation_arn) and not _limits.matches("MlReservationArn",
                                                                              self.ml_reservation_arn):
            problems.add(f"{where}capacity_reservation.ml_reservation_arn", f"must match "
                         f"{_limits.pattern('MlReservationArn')} (botocore MlReservationArn)", self.ml_reservation_arn)
        return list(problems.items)

    def render(self) -> sagemaker.CfnEndpointConfig.CapacityReservationConfigProperty:
        return sagemaker.CfnEndpointConfig.CapacityReservationConfigProperty(
            capacity_reservation_preference=self.preference, ml_reservation_arn=self.ml_reservation_arn)


@dataclass(frozen=True, kw_only=True, slots=True)
class ScaleInPolicy:
    """How managed instance scaling releases instances: :meth:`idle_release` or :meth:`consolidation`."""

    strategy: str
    maximum_step_size: int | None = None
    cooldown: Duration | None = None

    @classmethod
    def idle_release(cls) -> ScaleInPolicy:
        """Release instances that host no component copy (``IDLE_RELEASE``)."""
        return cls(strategy="IDLE_RELEASE")

    @classmethod
    def consolidation(cls, *, maximum_step_size: int | None = None, cooldown: Duration | None = None) -> ScaleInPolicy:
        """Move copies onto fewer instances to release more (``CONSOLIDATION``), at most ``maximum_step_size``
        instances at a time, ``cooldown`` (whole minutes) after the last endpoint operation. Default: SageMaker's
        (1 instance, 20 minutes)."""
        return cls(strategy="CONSOLIDATION", maximum_step_size=maximum_step_size, cooldown=cooldown)

    def problems(self, where: str) -> list[Problem]:
        problems = Problems("")
        allowed = _limits.enum("ManagedInstanceScalingScaleInStrategy")
        if self.strategy not in allowed:
            problems.add(f"{where}scale_in_policy.strategy", f"must be one of {sorted(allowed)}", self.strategy)
        if self.strategy != "CONSOLIDATION" and (self.maximum_step_size is not None or self.cooldown is not None):
            # botocore: both apply to "a consolidation scale-in operation".
            problems.add(f"{where}scale_in_policy", "maximum_step_size and cooldown apply only to CONSOLIDATION",
                         self.strategy)
        _range(problems, f"{where}scale_in_policy.maximum_step_size", self.maximum_step_size,
               "ManagedInstanceScalingMaximumStepSize")
        msg = check_duration(f"{where}scale_in_policy.cooldown", self.cooldown)
        if msg:
            problems.add_message(msg)
        elif self.cooldown is not None:
            seconds = to_seconds(self.cooldown)
            if seconds is not None and not is_unresolved(seconds):
                lo, hi = _limits.bounds("ManagedInstanceScalingCooldownInMinutes")
                if seconds % 60 or not _limits.check_range(seconds / 60, lo, hi):
                    problems.add(f"{where}scale_in_policy.cooldown", f"must be whole minutes "
                                 f"{_limits.range_text(lo, hi)} (botocore ManagedInstanceScalingCooldownInMinutes)",
                                 f"{seconds} s")
        return list(problems.items)

    def render(self) -> sagemaker.CfnEndpointConfig.ScaleInPolicyProperty:
        seconds = to_seconds(self.cooldown)
        minutes = None if seconds is None else (seconds if is_unresolved(seconds) else int(seconds // 60))
        return sagemaker.CfnEndpointConfig.ScaleInPolicyProperty(
            strategy=self.strategy, maximum_step_size=self.maximum_step_size, cooldown_in_minutes=minutes)


@dataclass(frozen=True, kw_only=True, slots=True)
class ManagedInstanceScaling:
    """Let SageMaker add and remove a component-hosting variant's instances as its components' copies need them
    (``ManagedInstanceScaling``, status ``ENABLED``), between ``min_instances`` and ``max_instances``.
    ``min_instances=0`` lets the endpoint release every instance when every component has scaled to zero copies.

    Default: ``min_instances`` 1, SageMaker's scale-in (idle release).
    """

    max_instances: int
    min_instances: int = 1
    scale_in_policy: ScaleInPolicy | None = None
    enabled: bool = True

    def problems(self, where: str, *, instance_count: int | None, hosts_components: bool) -> list[Problem]:
        p = f"{where}managed_instance_scaling"
        problems = Problems("")
        if not hosts_components:
            problems.add(p, "applies only to a variant that hosts inference components (instances follow the "
                         "components' copies; see 'Scale an endpoint to zero instances')",
                         "ManagedInstanceScaling(...)")
        _range(problems, f"{p}.min_instances", self.min_instances, "ManagedInstanceScalingMinInstanceCount")
        _range(problems, f"{p}.max_instances", self.max_instances, "ManagedInstanceScalingMaxInstanceCount")
        if _num(self.min_instances) and _num(self.max_instances) and self.max_instances < self.min_instances:
            problems.add(f"{p}.max_instances", f"must be at least min_instances ({self.min_instances})",
                         self.max_instances)
        if instance_count is not None and _num(instance_count) and _num(self.min_instances) \
                and _num(self.max_instances) and not self.min_instances <= instance_count <= self.max_instances:
            problems.add(f"{p}", f"min_instances..max_instances must contain the variant's instance_count "
                         f"({instance_count})", f"{self.min_instances}..{self.max_instances}")
        if self.scale_in_policy is not None:
            problems.extend(self.scale_in_policy.problems(f"{p}."))
        return list(problems.items)

    def render(self) -> sagemaker.CfnEndpointConfig.ManagedInstanceScalingProperty:
        return sagemaker.CfnEndpointConfig.ManagedInstanceScalingProperty(
            status="ENABLED" if self.enabled else "DISABLED", min_instance_count=self.min_instances,
            max_instance_count=self.max_instances,
            scale_in_policy=self.scale_in_policy.render() if self.scale_in_policy is not None else None)


@dataclass(frozen=True, kw_only=True, slots=True)
class InstanceVariantFields:
    """The per-variant fields of an instance (real-time or async) variant, shared by :class:`ProductionVariant` and
    the one-model form of :class:`RealtimeEndpoint` and :class:`AsyncEndpoint`: validated by :meth:`problems`,
    rendered as keyword arguments of ``CfnEndpointConfig.ProductionVariantProperty`` by :meth:`render`."""

    volume_size_gb: int | None = None
    model_data_download_timeout: Duration | None = None
    container_startup_health_check_timeout: Duration | None = None
    routing: Routing | str | None = None
    inference_ami_version: str | None = None
    capacity_reservation: CapacityReservation | None = None
    enable_ssm_access: bool | None = None
    managed_instance_scaling: ManagedInstanceScaling | None = None

    @property
    def _routing(self) -> Routing | None:
        return Routing.of(self.routing) if isinstance(self.routing, str) else self.routing

    def problems(self, where: str, *, instance_type: str | None, instance_count: int | None,
                 hosts_components: bool = False) -> list[Problem]:
        problems = Problems("")
        if self.volume_size_gb is not None and not is_unresolved(self.volume_size_gb):
            lo, hi = _limits.bounds("ProductionVariantVolumeSizeInGB")
            if not _limits.check_range(self.volume_size_gb, lo, hi):
                problems.add(f"{where}volume_size_gb", f"must be {_limits.range_text(lo, hi)} GB (botocore "
                             "ProductionVariantVolumeSizeInGB)", self.volume_size_gb)
            elif instance_type is not None and not is_unresolved(instance_type) \
                    and has_instance_storage(instance_type):
                problems.add(f"{where}volume_size_gb", f"does not apply to {instance_type}, whose local NVMe "
                             "instance storage SageMaker uses instead of an EBS volume", self.volume_size_gb)
        for name, shape in _TIMEOUT_SHAPES.items():
            _seconds_problems(problems, f"{where}{name}", getattr(self, name), shape)
        routing = self._routing
        if routing is not None:
            problems.extend(routing.problems(where))
        ami = self.inference_ami_version
        if ami is not None and not is_unresolved(ami):
            allowed = _limits.enum("ProductionVariantInferenceAmiVersion")
            if ami not in allowed:
                problems.add(f"{where}inference_ami_version", f"must be one of {', '.join(sorted(allowed))} "
                             "(botocore ProductionVariantInferenceAmiVersion)", ami)
            elif instance_type is not None and not is_unresolved(instance_type):
                # Each AMI is built for one accelerator (API reference, ProductionVariant InferenceAmiVersion:
                # "Accelerator: GPU" / "Accelerator: Inferentia2 and Trainium").
                if "-gpu-" in ami and not is_gpu(instance_type):
                    problems.add(f"{where}inference_ami_version", f"is a GPU AMI; {instance_type} has no NVIDIA GPU",
                                 ami)
                if "-neuron-" in ami and not is_neuron(instance_type):
                    problems.add(f"{where}inference_ami_version", f"is a Neuron AMI; {instance_type} has no "
                                 "Inferentia or Trainium device", ami)
                elif "-neuron-" in ami and family(instance_type) == "inf1":
                    problems.add(f"{where}inference_ami_version", "is built for Inferentia2 and Trainium; "
                                 f"{instance_type} has first-generation Inferentia", ami)
        if self.capacity_reservation is not None:
            problems.extend(self.capacity_reservation.problems(where))
        if self.managed_instance_scaling is not None:
            problems.extend(self.managed_instance_scaling.problems(where, instance_count=instance_count,
                                                                   hosts_components=hosts_components))
        return list(problems.items)

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.volume_size_gb is not None:
            out["volume_size_in_gb"] = self.volume_size_gb
        if self.model_data_download_timeout is not None:
            out["model_data_download_timeout_in_seconds"] = render_seconds(self.model_data_download_timeout)
        if self.container_startup_health_check_timeout is not None:
            out["container_startup_health_check_timeout_in_seconds"] = render_seconds(
                self.container_startup_health_check_timeout)
        routing = self._routing
        if routing is not None:
            out["routing_config"] = routing.render()
        if self.inference_ami_version is not None:
            out["inference_ami_version"] = self.inference_ami_version
        if self.capacity_reservation is not None:
            out["capacity_reservation_config"] = self.capacity_reservation.render()
        if self.enable_ssm_access is not None:
            out["enable_ssm_access"] = self.enable_ssm_access
        if self.managed_instance_scaling is not None:
            out["managed_instance_scaling"] = self.managed_instance_scaling.render()
        return out


# -- LLM containers -------------------------------------------------------------------------------------------------
def llm_container_of(image: ContainerImage) -> _llm.LlmContainer | None:
    """The LLM serving container ``image`` is (TGI, LMI, vLLM, SGLang, TEI), from the prebuilt catalogue's framework
    or an ECR URI's repository; None otherwise."""
    found = _llm.container_of_framework(getattr(image, "framework", None))
    if found is not None:
        return found
    uri = getattr(image, "uri", None)
    return _llm.container_of_uri(uri) if isinstance(uri, str) and not is_unresolved(uri) else None


def llm_startup_defaults(images: Sequence[ContainerImage], *, download: Duration | None,
                         startup: Duration | None) -> tuple[Duration | None, Duration | None]:
    """``(download, startup)`` with the LLM defaults filled in where not given and an LLM container is among
    ``images`` (see ``cdk_sagemaker._llm``); the given values otherwise."""
    if not any(llm_container_of(i) is not None for i in images):
        return download, startup
    return (download if download is not None else Duration.seconds(_llm.DEFAULT_DOWNLOAD_TIMEOUT_S),
            startup if startup is not None else Duration.seconds(_llm.DEFAULT_STARTUP_TIMEOUT_S))


def llm_problems(where: str, *, images: Sequence[tuple[ContainerImage, Any]], instance_type: str | None,
                 accelerators: float | None, model_size_gb: float | None) -> list[Problem]:
    """LLM checks: an accelerator-built LLM image needs that accelerator; the tensor-parallel variable may not ask
    for more devices than the copy reserves (or the instance has); ``model_size_gb`` must fit the accelerator
    memory the copy gets. ``images`` pairs each image with its container environment."""
    problems = Problems("")
    if instance_type is None or is_unresolved(instance_type):
        return []
    memory = _llm.memory_of(instance_type)
    devices: float | None = accelerators if _num(accelerators) else (memory.devices if memory else None)
    for image, environment in images:
        container = llm_container_of(image)
        if container is None:
            continue
        # A prebuilt image whose accelerator is known is checked by the endpoints' accelerator_problems (one
        # message per mistake); this covers LLM images named by URI.
        if container.framework != "huggingface-tei-cpu" and image.accelerator is None \
                and accelerator_of(instance_type) is None:
            problems.add(f"{where}instance_type", f"must be a GPU or Neuron instance type for {container.label} "
                         "(it serves models on accelerators)", instance_type)
        tp_var = container.tensor_parallel
        value = (environment or {}).get(tp_var) if tp_var else None
        # Counted on NVIDIA GPU types only: on Inferentia/Trainium the degree counts NeuronCores, two per chip (the
        # developer guide's LMI example sets OPTION_TENSOR_PARALLEL_DEGREE 24 on the 12-chip ml.inf2.48xlarge,
        # "Create an inference optimization job", https://docs.aws.amazon.com/sagemaker/latest/dg/
        # model-optimize-create-job.html), while the table counts chips.
        if isinstance(value, str) and value.isdigit() and devices is not None and int(value) > devices \
                and is_gpu(instance_type):
            problems.add(f"{where}{tp_var}", f"asks {container.label} to shard the model over {value} devices; "
                         f"{'the copy reserves' if _num(accelerators) else instance_type + ' has'} {devices:g}",
                         value)
    if model_size_gb is not None and _num(model_size_gb) and memory is not None and devices is not None:
        available = devices * memory.gib_per_device
        if model_size_gb > available:
            problems.add(f"{where}model_size_gb", f"does not fit the accelerator memory: {devices:g} device(s) of "
                         f"{memory.gib_per_device:g} GiB on {instance_type} hold {available:g} GiB (source: "
                         f"{memory.source})", model_size_gb)
    return list(problems.items)


# -- inference components ----------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentScheduling:
    """Where an inference component's copies are placed (``SchedulingConfig``): spread over instances or packed
    onto few, optionally balanced across Availability Zones (at most ``max_az_imbalance`` copies apart)."""

    placement_strategy: Literal["SPREAD", "BINPACK"] | str
    balance_azs: bool = False
    max_az_imbalance: int | None = None

    @classmethod
    def spread(cls, *, balance_azs: bool = False, max_az_imbalance: int | None = None) -> ComponentScheduling:
        """Spread copies over as many instances as possible."""
        return cls(placement_strategy="SPREAD", balance_azs=balance_azs, max_az_imbalance=max_az_imbalance)

    @classmethod
    def binpack(cls, *, balance_azs: bool = False, max_az_imbalance: int | None = None) -> ComponentScheduling:
        """Pack copies onto as few instances as possible (frees instances for managed scale-in)."""
        return cls(placement_strategy="BINPACK", balance_azs=balance_azs, max_az_imbalance=max_az_imbalance)

    def problems(self, where: str) -> list[Problem]:
        problems = Problems("")
        allowed = _limits.enum("InferenceComponentPlacementStrategy")
        if self.placement_strategy not in allowed:
            problems.add(f"{where}scheduling.placement_strategy", f"must be one of {sorted(allowed)}",
                         self.placement_strategy)
        if self.max_az_imbalance is not None and not self.balance_azs:
            problems.add(f"{where}scheduling.max_az_imbalance", "applies only with balance_azs=True",
                         self.max_az_imbalance)
        _range(problems, f"{where}scheduling.max_az_imbalance", self.max_az_imbalance,
               "AvailabilityZoneBalanceMaxImbalance")
        return list(problems.items)

    def render(self) -> sagemaker.CfnInferenceComponent.InferenceComponentSchedulingConfigProperty:
        ic = sagemaker.CfnInferenceComponent
        # CloudFormation's schema marks AvailabilityZoneBalance required (botocore does not): always render it,
        # PERMISSIVE (the one botocore mode) with the imbalance the user allows, or the widest (botocore max) when
        # balancing is off.
        _, widest = _limits.bounds("AvailabilityZoneBalanceMaxImbalance")
        imbalance = self.max_az_imbalance if self.balance_azs else widest
        return ic.InferenceComponentSchedulingConfigProperty(
            placement_strategy=self.placement_strategy,
            availability_zone_balance=ic.InferenceComponentAvailabilityZoneBalanceProperty(
                enforcement_mode=sorted(_limits.enum("AvailabilityZoneBalanceEnforcementMode"))[0],
                max_imbalance=imbalance))


# MetricPublishFrequencyInSeconds: "Valid values: 10, 30, 60, 120, 180, 240, 300" (botocore MetricsEndpoint
# documentation; the shape itself is a bare integer).
_METRIC_FREQUENCIES = (10, 30, 60, 120, 180, 240, 300)


@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentMetrics:
    """Publish the Prometheus metrics a component's container exposes at ``path`` (``/metrics`` for vLLM and SGLang)
    to CloudWatch every ``frequency`` (``Container.ContainerMetricsConfig``, one endpoint as botocore allows).
    Default: SageMaker's frequency (60 s)."""

    path: str
    frequency: Duration | None = None

    def problems(self, where: str) -> list[Problem]:
        problems = Problems("")
        p = f"{where}container_metrics"
        if not is_unresolved(self.path) and not _limits.matches("MetricsEndpointPath", self.path):
            problems.add(f"{p}.path", f"must match {_limits.pattern('MetricsEndpointPath')} (a path starting with "
                         "'/', botocore MetricsEndpointPath)", self.path)
        msg = check_duration(f"{p}.frequency", self.frequency)
        if msg:
            problems.add_message(msg)
        else:
            seconds = to_seconds(self.frequency)
            if seconds is not None and not is_unresolved(seconds) and seconds not in _METRIC_FREQUENCIES:
                problems.add(f"{p}.frequency", f"must be one of {', '.join(map(str, _METRIC_FREQUENCIES))} seconds "
                             "(botocore MetricsEndpoint MetricPublishFrequencyInSeconds)", f"{seconds} s")
        return list(problems.items)

    def render(self) -> sagemaker.CfnInferenceComponent.ContainerMetricsConfigProperty:
        ic = sagemaker.CfnInferenceComponent
        return ic.ContainerMetricsConfigProperty(metrics_endpoints=[ic.MetricsEndpointProperty(
            metrics_endpoint_path=self.path, metric_publish_frequency_in_seconds=render_seconds(self.frequency))])


@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentSpecification:
    """What one inference component needs on one instance type (an entry of ``Specifications``): for a variant
    whose instances come in several types, each type gets its own resources (and optionally its own model).

    ``container_metrics``: publish the container's Prometheus metrics from this instance type's copies
    (``Container.ContainerMetricsConfig`` of the entry). Default: the component's model; no CPU/accelerator
    reservation; SageMaker's start-up timeouts; no container metrics.
    """

    instance_type: str
    memory_mb: int
    model: Any = None  #: a :class:`~cdk_sagemaker.Model` (``None``: the component's)
    cpu_cores: float | None = None
    accelerators: float | None = None
    max_memory_mb: int | None = None
    model_data_download_timeout: Duration | None = None
    container_startup_health_check_timeout: Duration | None = None
    data_cache: bool | None = None
    scheduling: ComponentScheduling | None = None
    container_metrics: ComponentMetrics | None = None  #: the container's metrics on this instance type


def compute_problems(where: str, *, memory_mb: int | None, max_memory_mb: int | None, cpu_cores: float | None,
                     accelerators: float | None, instance_type: str | None = None) -> list[Problem]:
    """Problems of a component's compute reservation (botocore limits; accelerators only on accelerated types)."""
    problems = Problems("")
    for name, value, shape in (("memory_mb", memory_mb, "MemoryInMb"), ("max_memory_mb", max_memory_mb, "MemoryInMb"),
                               ("cpu_cores", cpu_cores, "NumberOfCpuCores"),
                               ("accelerators", accelerators, "NumberOfAcceleratorDevices")):
        _range(problems, f"{where}{name}", value, shape)
    if _num(max_memory_mb) and _num(memory_mb) and max_memory_mb is not None and memory_mb is not None \
            and max_memory_mb < memory_mb:
        problems.add(f"{where}max_memory_mb", f"must be at least memory_mb ({memory_mb})", max_memory_mb)
    if _num(accelerators) and instance_type is not None and not is_unresolved(instance_type):
        memory = _llm.memory_of(instance_type)
        if accelerator_of(instance_type) is None:
            problems.add(f"{where}accelerators", f"need an accelerated instance type; {instance_type} has none",
                         accelerators)
        # Counted only on NVIDIA GPU types: on Inferentia/Trainium a "device" may be a chip or a NeuronCore.
        elif memory is not None and accelerators is not None and is_gpu(instance_type) \
                and accelerators > memory.devices:
            problems.add(f"{where}accelerators", f"must be at most the {memory.devices} device(s) of "
                         f"{instance_type}", accelerators)
    return list(problems.items)


#: A rolling batch of an inference component, in percent of its copies: "The value must be between 5% to 50% of the
#: copy count of the inference component" (API reference, InferenceComponentRollingUpdatePolicy MaximumBatchSize,
#: https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_InferenceComponentRollingUpdatePolicy.html; botocore
#: states it only in the member's documentation).
_BATCH_PERCENT = (5, 50)


@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentDeployment:
    """How CloudFormation updates an inference component (``DeploymentConfig``): a rolling update in batches of
    copies (or a percentage of capacity), waiting ``wait`` between batches, rolled back when an alarm fires. Use
    :meth:`rolling`."""

    batch_type: str
    batch_size: int
    wait: Duration
    timeout: Duration | None = None
    rollback_batch_type: str | None = None
    rollback_batch_size: int | None = None
    alarms: Sequence[cloudwatch.IAlarm] = ()

    @classmethod
    def rolling(cls, *, batch_copies: int | None = None, batch_percent: int | None = None,
                wait: Duration | None = None, timeout: Duration | None = None,
                rollback_copies: int | None = None, rollback_percent: int | None = None,
                alarms: Sequence[cloudwatch.IAlarm] = ()) -> ComponentDeployment:
        """Replace ``batch_copies`` copies (or ``batch_percent`` % of capacity, 5-50) at a time; roll back
        ``rollback_copies`` / ``rollback_percent`` at a time when one of ``alarms`` fires.

        Default: one copy per batch, 2 minutes between batches, SageMaker's maximum execution time, a blue/green
        rollback (all at once), no alarms."""
        batch_type, size = ("CAPACITY_PERCENT", batch_percent) if batch_percent is not None else (
            "COPY_COUNT", batch_copies if batch_copies is not None else 1)
        rb_type, rb_size = (None, None)
        if rollback_percent is not None:
            rb_type, rb_size = "CAPACITY_PERCENT", rollback_percent
        elif rollback_copies is not None:
            rb_type, rb_size = "COPY_COUNT", rollback_copies
        bad_pair = batch_copies is not None and batch_percent is not None
        rb_pair = rollback_copies is not None and rollback_percent is not None
        return cls(batch_type="BOTH" if bad_pair else batch_type, batch_size=size,
                   wait=wait if wait is not None else Duration.minutes(2), timeout=timeout,
                   rollback_batch_type="BOTH" if rb_pair else rb_type, rollback_batch_size=rb_size,
                   alarms=tuple(alarms))

    def problems(self, where: str) -> list[Problem]:
        p = f"{where}deployment."
        problems = Problems("")
        allowed = _limits.enum("InferenceComponentCapacitySizeType")
        for label, kind, size in (("batch", self.batch_type, self.batch_size),
                                  ("rollback", self.rollback_batch_type, self.rollback_batch_size)):
            if kind is None:
                continue
            if kind == "BOTH":
                problems.add_message(f"{p}{label}_copies and {label}_percent are exclusive, got both")
                continue
            if kind not in allowed:
                problems.add(f"{p}{label}", f"must be one of {sorted(allowed)}", kind)
            _range(problems, f"{p}{label}_size", size, "CapacitySizeValue")
            # MaximumBatchSize: "The value must be between 5% to 50% of the copy count of the inference component"
            # (API reference, InferenceComponentRollingUpdatePolicy); RollbackMaximumBatchSize has no such bound
            # (its default is 100%).
            if kind != "CAPACITY_PERCENT" or size is None or not _num(size):
                continue
            if label == "batch" and not _BATCH_PERCENT[0] <= size <= _BATCH_PERCENT[1]:
                problems.add(f"{p}batch_percent", f"must be between {_BATCH_PERCENT[0]} and {_BATCH_PERCENT[1]} "
                             "(InferenceComponentRollingUpdatePolicy MaximumBatchSize: 5% to 50% of the component's "
                             "copies)", size)
            elif size > 100:
                problems.add(f"{p}{label}_percent", "must be at most 100", size)
        _seconds_problems(problems, f"{p}wait", self.wait, "WaitIntervalInSeconds")
        if self.timeout is not None:
            _seconds_problems(problems, f"{p}timeout", self.timeout, "MaximumExecutionTimeoutInSeconds")
        _, most = _limits.list_bounds("AlarmList")
        if most is not None and len(self.alarms) > most:
            problems.add(f"{p}alarms", f"must hold at most {most} alarms (botocore AlarmList)", len(self.alarms))
        return list(problems.items)

    def render(self) -> sagemaker.CfnInferenceComponent.InferenceComponentDeploymentConfigProperty:
        ic = sagemaker.CfnInferenceComponent
        rollback = None
        if self.rollback_batch_type is not None and self.rollback_batch_size is not None:
            rollback = ic.InferenceComponentCapacitySizeProperty(type=self.rollback_batch_type,
                                                                 value=self.rollback_batch_size)
        alarms = None
        if self.alarms:
            alarms = ic.AutoRollbackConfigurationProperty(
                alarms=[ic.AlarmProperty(alarm_name=a.alarm_name) for a in self.alarms])
        return ic.InferenceComponentDeploymentConfigProperty(
            rolling_update_policy=ic.InferenceComponentRollingUpdatePolicyProperty(
                maximum_batch_size=ic.InferenceComponentCapacitySizeProperty(type=self.batch_type,
                                                                             value=self.batch_size),
                wait_interval_in_seconds=render_seconds(self.wait),
                maximum_execution_timeout_in_seconds=render_seconds(self.timeout),
                rollback_maximum_batch_size=rollback),
            auto_rollback_configuration=alarms)


@dataclass(frozen=True, kw_only=True, slots=True)
class ComponentScaling:
    """Auto-scale an inference component's copy count (``sagemaker:inference-component:DesiredCopyCount``) between
    ``min_copies`` and ``max_copies``, with target tracking on the predefined per-copy metrics: requests per copy
    per minute (``invocations_per_copy``, ``SageMakerInferenceComponentInvocationsPerCopy``) and/or requests in
    flight per copy (``concurrent_requests_per_copy``, ``...ConcurrentRequestsPerCopyHighResolution``).

    ``min_copies=0`` scales the component to zero copies when idle and adds the scale-out-from-zero step policy AWS
    documents ("Scale an endpoint to zero instances"): an alarm on ``NoCapacityInvocationFailures`` (Maximum over
    30 s, at least 1: the first failed request) adds ``copies_from_zero`` copies. Pair it with
    :class:`ManagedInstanceScaling` ``min_instances=0`` on the variant so the instances go too.

    Default: ``min_copies`` 1, the service's cooldowns (300 s), one copy added from zero.
    """

    max_copies: int
    min_copies: int = 1
    invocations_per_copy: float | None = None
    concurrent_requests_per_copy: float | None = None
    scale_in_cooldown: Duration | None = None
    scale_out_cooldown: Duration | None = None
    copies_from_zero: int = 1

    def problems(self, where: str, *, copies: int | None) -> list[Problem]:
        p = f"{where}auto_scaling."
        problems = Problems("")
        lo, _ = _limits.bounds("InferenceComponentCopyCount")
        if _num(self.min_copies) and lo is not None and self.min_copies < lo:
            problems.add(f"{p}min_copies", f"must be at least {lo:g} (botocore InferenceComponentCopyCount)",
                         self.min_copies)
        if _num(self.max_copies) and self.max_copies < 1:
            problems.add(f"{p}max_copies", "must be at least 1", self.max_copies)
        if _num(self.min_copies) and _num(self.max_copies) and self.max_copies < self.min_copies:
            problems.add(f"{p}max_copies", f"must be at least min_copies ({self.min_copies})", self.max_copies)
        if _num(copies) and _num(self.min_copies) and _num(self.max_copies) and copies is not None \
                and not self.min_copies <= copies <= self.max_copies:
            problems.add(f"{p}min_copies..max_copies", f"must contain the component's copies ({copies})",
                         f"{self.min_copies}..{self.max_copies}")
        if self.invocations_per_copy is None and self.concurrent_requests_per_copy is None:
            problems.add(p.rstrip("."), "needs invocations_per_copy or concurrent_requests_per_copy (the target "
                         "tracking metric)", None)
        for name in ("invocations_per_copy", "concurrent_requests_per_copy"):
            value = getattr(self, name)
            if _num(value) and value <= 0:
                problems.add(f"{p}{name}", "must be greater than 0", value)
        if _num(self.copies_from_zero) and self.copies_from_zero < 1:
            problems.add(f"{p}copies_from_zero", "must be at least 1", self.copies_from_zero)
        for name in ("scale_in_cooldown", "scale_out_cooldown"):
            value = getattr(self, name)
            msg = check_duration(f"{p}{name}", value)
            if msg:
                problems.add_message(msg)
            elif value is not None:
                seconds = to_seconds(value)
                if seconds is not None and not is_unresolved(seconds) and (seconds < 0 or seconds % 1):
                    problems.add(f"{p}{name}", "must be a whole, non-negative number of seconds", f"{seconds} s")
        return list(problems.items)


@jsii.implements(cloudwatch.IAlarmAction)
class _PolicyAction:
    def __init__(self, policy: appscaling.CfnScalingPolicy) -> None:
        self._policy = policy

    def bind(self, scope: Construct, alarm: cloudwatch.IAlarm) -> cloudwatch.AlarmActionConfig:
        return cloudwatch.AlarmActionConfig(alarm_action_arn=self._policy.ref)


class ComponentScalingResources(Construct):
    """The Application Auto Scaling resources of one inference component: scalable target
    (``node.default_child``), target-tracking policies, and with ``min_copies=0`` the scale-from-zero step policy and
    its alarm. Attributes: ``scalable_target``, ``target_tracking_policies`` (by metric), ``scale_from_zero_policy``
    and ``scale_from_zero_alarm`` (only with ``min_copies=0``; otherwise reading them raises
    :class:`~cdk_sagemaker.errors.NotConfiguredError`)."""

    def __init__(self, scope: Construct, id: str, *, component_name: str, scaling: ComponentScaling) -> None:
        super().__init__(scope, id)
        self.scaling = scaling
        self._component_name = component_name
        # No RoleARN: Application Auto Scaling's service-linked role. The resource id references the component's
        # ARN, so the target is created after the component and deleted before it.
        self.scalable_target = appscaling.CfnScalableTarget(
            self, "Resource", service_namespace="sagemaker",
            resource_id=Fn.join("", ["inference-component/", component_name]),
            scalable_dimension=COPY_DIMENSION, min_capacity=scaling.min_copies, max_capacity=scaling.max_copies)
        self.target_tracking_policies: dict[str, appscaling.CfnScalingPolicy] = {}
        for metric, target in ((_INVOCATIONS_PER_COPY, scaling.invocations_per_copy),
                               (_CONCURRENCY_PER_COPY, scaling.concurrent_requests_per_copy)):
            if target is not None:
                self.target_tracking_policies[metric] = self._target_tracking(metric, target)
        self._scale_from_zero_policy: appscaling.CfnScalingPolicy | None = None
        self._scale_from_zero_alarm: cloudwatch.Alarm | None = None
        if scaling.min_copies == 0:
            self._scale_from_zero()

    @property
    def scale_from_zero_policy(self) -> appscaling.CfnScalingPolicy:
        """The step policy that adds copies from zero (only with ``min_copies=0``)."""
        return configured(self._scale_from_zero_policy, self, "scale_from_zero_policy", _FROM_ZERO_HOW)

    @property
    def scale_from_zero_alarm(self) -> cloudwatch.Alarm:
        """The ``NoCapacityInvocationFailures`` alarm that triggers it (only with ``min_copies=0``)."""
        return configured(self._scale_from_zero_alarm, self, "scale_from_zero_alarm", _FROM_ZERO_HOW)

    def _target_tracking(self, metric: str, target: float) -> appscaling.CfnScalingPolicy:
        s = self.scaling
        short = "InvocationsPerCopy" if metric == _INVOCATIONS_PER_COPY else "ConcurrentRequestsPerCopy"
        return appscaling.CfnScalingPolicy(
            self, short, policy_name=short, policy_type="TargetTrackingScaling",
            scaling_target_id=self.scalable_target.ref,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=target,
                predefined_metric_specification=appscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                    predefined_metric_type=metric),
                scale_in_cooldown=render_seconds(s.scale_in_cooldown),
                scale_out_cooldown=render_seconds(s.scale_out_cooldown)))

    def _scale_from_zero(self) -> None:
        """The step policy of "Scale an endpoint to zero instances" (ChangeInCapacity, Maximum aggregation, 60 s
        cooldown, one step from 0 up) and its alarm on NoCapacityInvocationFailures: Maximum, 30 s period, 1 of 1,
        >= 1, missing data treated as missing. The guide's example alarm (Sum over 60 s, GreaterThanThreshold 1)
        needs two failed requests within a minute, so one request to an idle endpoint would not wake it; this one
        fires on the first, as AWS's scale-to-zero launch post ("Unlock cost savings with the new scale down to zero
        feature in SageMaker Inference", AWS Machine Learning Blog, 2024-12) sets it."""
        policy = appscaling.CfnScalingPolicy(
            self, "ScaleFromZero", policy_name="ScaleFromZero", policy_type="StepScaling",
            scaling_target_id=self.scalable_target.ref,
            step_scaling_policy_configuration=appscaling.CfnScalingPolicy.StepScalingPolicyConfigurationProperty(
                adjustment_type="ChangeInCapacity", metric_aggregation_type="Maximum", cooldown=60,
                step_adjustments=[appscaling.CfnScalingPolicy.StepAdjustmentProperty(
                    metric_interval_lower_bound=0, scaling_adjustment=self.scaling.copies_from_zero)]))
        owner = self.node.scope.node.path if self.node.scope is not None else self.node.path
        alarm = cloudwatch.Alarm(
            self, "ScaleFromZeroAlarm",
            metric=build_metric(self, _NO_CAPACITY, {"InferenceComponentName": self._component_name},
                                namespace="AWS/SageMaker", statistic="Maximum", period=Duration.seconds(30)),
            threshold=1, evaluation_periods=1, datapoints_to_alarm=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.MISSING,
            alarm_description=f"Adds copies of inference component {owner} when a request finds none (scale "
                              "out from zero)")
        alarm.add_alarm_action(_PolicyAction(policy))
        self._scale_from_zero_policy = policy
        self._scale_from_zero_alarm = alarm
