"""Auto-scaling of endpoint variants through Application Auto Scaling."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import Duration, Token
from aws_cdk import aws_applicationautoscaling as appscaling

if TYPE_CHECKING:
    from cdk_sagemaker.constructs.endpoint import EndpointVariant, _VariantSpec

__all__ = ["AutoScaling"]

_INSTANCE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
_INVOCATIONS_METRIC = "SageMakerVariantInvocationsPerInstance"


@dataclass(frozen=True, kw_only=True, slots=True)
class AutoScaling:
    """Scale an instance variant between ``min_capacity`` and ``max_capacity`` instances.

    Target tracking on ``SageMakerVariantInvocationsPerInstance`` (invocations per instance per minute). Give the
    target directly (``invocations_per_instance``) or the load-tested maximum requests per second one instance
    sustains (``max_rps_per_instance``); the target is then ``max_rps_per_instance * safety_factor * 60``.
    Default: ``safety_factor`` 0.5, the service's default cooldowns, scale-in enabled.

    The scalable target uses the Application Auto Scaling service-linked role (no role is created).
    """

    max_capacity: int
    min_capacity: int = 1
    invocations_per_instance: float | None = None
    max_rps_per_instance: float | None = None
    safety_factor: float = 0.5
    scale_in_cooldown: Duration | None = None
    scale_out_cooldown: Duration | None = None
    disable_scale_in: bool = False

    @property
    def target_value(self) -> float:
        """The InvocationsPerInstance target this configuration tracks."""
        if self.invocations_per_instance is not None:
            return float(self.invocations_per_instance)
        if self.max_rps_per_instance is not None:
            return float(self.max_rps_per_instance) * self.safety_factor * 60
        raise ValueError("AutoScaling needs invocations_per_instance or max_rps_per_instance")

    def _problems(self, where: str, spec: _VariantSpec) -> list[str]:
        """Problems of this configuration applied to the variant ``spec`` (messages name ``where``)."""
        out: list[str] = []
        p = f"{where}auto_scaling."
        if self.min_capacity < 1:
            out.append(f"{p}min_capacity must be at least 1 on an instance endpoint (only async endpoints scale to "
                       f"zero), got {self.min_capacity!r}")
        if self.max_capacity < self.min_capacity:
            out.append(f"{p}max_capacity must be at least min_capacity ({self.min_capacity}), "
                       f"got {self.max_capacity!r}")
        count = spec.initial_instance_count
        if count is not None and not (self.min_capacity <= count <= self.max_capacity):
            out.append(f"{p}min_capacity..max_capacity must contain the variant's instance_count ({count}), "
                       f"got {self.min_capacity!r}..{self.max_capacity!r}")
        if spec.instance_type is not None and spec.instance_type.startswith("ml.t2."):
            out.append(f"{where}instance_type must not be a burstable ml.t2 type when auto_scaling is set "
                       f"(SageMaker cannot auto-scale them), got {spec.instance_type!r}")
        if self.invocations_per_instance is None and self.max_rps_per_instance is None:
            out.append(f"{p}invocations_per_instance or max_rps_per_instance must be given, got neither")
        if self.invocations_per_instance is not None and self.max_rps_per_instance is not None:
            out.append(f"{p}invocations_per_instance and max_rps_per_instance are exclusive, got both "
                       f"({self.invocations_per_instance!r}, {self.max_rps_per_instance!r})")
        for name in ("invocations_per_instance", "max_rps_per_instance"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                out.append(f"{p}{name} must be greater than 0, got {value!r}")
        if not 0 < self.safety_factor <= 1:
            out.append(f"{p}safety_factor must be in (0, 1], got {self.safety_factor!r}")
        for name in ("scale_in_cooldown", "scale_out_cooldown"):
            value = getattr(self, name)
            if value is not None and not Token.is_unresolved(value.to_seconds()) and value.to_seconds() < 0:
                out.append(f"{p}{name} must not be negative, got {value.to_seconds()!r} s")
        return out

    def _bind(self, variant: EndpointVariant) -> appscaling.CfnScalableTarget:
        """Create the scalable target and its policy under the variant's endpoint."""
        endpoint = variant.endpoint
        target = appscaling.CfnScalableTarget(
            endpoint, f"ScalableTarget{variant.variant_name}",
            service_namespace="sagemaker",
            resource_id=variant.resource_id,
            scalable_dimension=_INSTANCE_DIMENSION,
            min_capacity=self.min_capacity,
            max_capacity=self.max_capacity,
        )
        # The resource id references the endpoint's name, so the target is created after the endpoint and deleted
        # before it; no explicit DependsOn (cfn-lint W3005 flags a redundant one).
        appscaling.CfnScalingPolicy(
            endpoint, f"InvocationsScaling{variant.variant_name}",
            policy_name=f"{variant.variant_name}-invocations-per-instance",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.ref,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=self.target_value,
                predefined_metric_specification=appscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                    predefined_metric_type=_INVOCATIONS_METRIC),
                scale_in_cooldown=int(self.scale_in_cooldown.to_seconds()) if self.scale_in_cooldown else None,
                scale_out_cooldown=int(self.scale_out_cooldown.to_seconds()) if self.scale_out_cooldown else None,
                disable_scale_in=self.disable_scale_in or None,
            ),
        )
        return target
