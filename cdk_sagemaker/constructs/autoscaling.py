"""Auto-scaling of endpoint variants through Application Auto Scaling.

One :class:`AutoScaling` per variant gives the capacity range and its policies: target tracking
(:class:`TargetTracking`), step scaling on a CloudWatch alarm (:class:`StepScaling`) and scheduled changes of the
range (:class:`ScheduledScaling`). What is scaled depends on the variant's kind: the instance count of real-time and
async variants (``sagemaker:variant:DesiredInstanceCount``), the provisioned concurrency of serverless variants
(``sagemaker:variant:DesiredProvisionedConcurrency``). Scaling uses Application Auto Scaling's service-linked role:
no IAM role is created.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeGuard

import jsii
from aws_cdk import Duration, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._instances import is_burstable
from cdk_sagemaker.constructs._checks import (
    check_duration,
    render_seconds,
    schedule_expression_problems,
    to_seconds,
)
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path
from cdk_sagemaker.constructs.metrics import build_metric
from cdk_sagemaker.constructs.variant import IEndpointVariant, VariantFacts, VariantKind
from cdk_sagemaker.errors import NotConfiguredError, Problem

_p = Problem.parse  # validators below write each problem as its message

__all__ = ["AutoScaling", "ScalingStep", "ScheduledScaling", "StepScaling", "TargetTracking", "VariantScaling"]

_AAS = "application-autoscaling"
_CW = "cloudwatch"

_INSTANCE_DIMENSION = "sagemaker:variant:DesiredInstanceCount"
_CONCURRENCY_DIMENSION = "sagemaker:variant:DesiredProvisionedConcurrency"
_INVOCATIONS_METRIC = "SageMakerVariantInvocationsPerInstance"
_CONCURRENCY_METRIC = "SageMakerVariantProvisionedConcurrencyUtilization"
_ENDPOINT_METRICS_NAMESPACE = "/aws/sagemaker/Endpoints"
_SAGEMAKER_NAMESPACE = "AWS/SageMaker"
_BACKLOG_METRIC = "ApproximateBacklogSizePerInstance"
_NO_CAPACITY_METRIC = "HasBacklogWithoutCapacity"

# Default backlog target of an async variant: the value AWS uses in "Autoscale an asynchronous endpoint"
# (SageMaker developer guide, async-inference-autoscale): five queued requests per instance.
_DEFAULT_BACKLOG_PER_INSTANCE = 5.0
# Default provisioned-concurrency utilization target of a serverless variant (our choice: keep half the provisioned
# concurrency free for bursts). The metric is a fraction: concurrent executions / provisioned concurrency.
_DEFAULT_CONCURRENCY_UTILIZATION = 0.5
# Application Auto Scaling cooldowns are integer seconds (botocore shape ``Cooldown``: integer, no bounds given);
# a negative cooldown has no meaning (AWS API reference, TargetTrackingScalingPolicyConfiguration).
_MIN_COOLDOWN_SECONDS = 0
# Target-tracking metrics and the variant kinds that emit them; a metric not listed is a custom one (any kind).
_METRIC_KINDS: dict[str, frozenset[str]] = {
    _INVOCATIONS_METRIC: frozenset({"instance"}),
    "CPUUtilization": frozenset({"instance", "async"}),
    "GPUUtilization": frozenset({"instance", "async"}),
    "MemoryUtilization": frozenset({"instance", "async"}),
    "GPUMemoryUtilization": frozenset({"instance", "async"}),
    "DiskUtilization": frozenset({"instance", "async"}),
    "ModelLatency": frozenset({"instance", "async"}),
    _BACKLOG_METRIC: frozenset({"async"}),
    _CONCURRENCY_METRIC: frozenset({"serverless"}),
}
_PERCENTILE = re.compile(r"^p\d{1,2}(\.\d+)?$")


def _num(value: float | None) -> TypeGuard[float]:
    """True when ``value`` is a concrete number (not ``None``, not an unresolved token)."""
    return value is not None and not is_unresolved(value)


def _cooldown_problems(param: str, value: Duration | None) -> list[Problem]:
    if value is None:
        return []
    msg = check_duration(param, value)
    if msg is not None:
        return [msg]
    seconds = to_seconds(value)
    if seconds is None:
        return []
    lo, hi = _limits.bounds("Cooldown", service=_AAS)
    lo = _MIN_COOLDOWN_SECONDS if lo is None else lo
    if not float(seconds).is_integer() or not _limits.check_range(seconds, lo, hi):
        return [Problem(param, f"must be a whole number of seconds {_limits.range_text(lo, hi)}", f"{seconds!r} s")]
    return []


@dataclass(frozen=True, kw_only=True, slots=True)
class TargetTracking:
    """One target-tracking policy: keep a metric of the variant at ``target_value``. Build it with a factory.

    ``invocations_per_instance`` / ``from_load_test`` (real-time), ``cpu_utilization``, ``gpu_utilization``,
    ``memory_utilization``, ``model_latency`` (real-time and async), ``backlog_per_instance`` (async),
    ``provisioned_concurrency_utilization`` (serverless) and ``custom`` (any metric of the variant).
    Default: the cooldowns and ``disable_scale_in`` of the enclosing :class:`AutoScaling`.
    """

    metric_name: str
    target_value: float
    predefined_metric: str | None = None
    namespace: str = _SAGEMAKER_NAMESPACE
    statistic: str = "Average"
    per_endpoint: bool = False
    max_rps_per_instance: float | None = None
    safety_factor: float | None = None
    scale_in_cooldown: Duration | None = None
    scale_out_cooldown: Duration | None = None
    disable_scale_in: bool | None = None
    #: The latency ``model_latency`` was given (``target_value`` is derived from it).
    latency: Duration | None = None

    # -- factories ---------------------------------------------------------------------------------------------
    @classmethod
    def invocations_per_instance(cls, target: float, *, scale_in_cooldown: Duration | None = None,
                                 scale_out_cooldown: Duration | None = None,
                                 disable_scale_in: bool | None = None) -> TargetTracking:
        """Track ``SageMakerVariantInvocationsPerInstance``: requests per instance **per minute** (real-time only)."""
        return cls(metric_name="InvocationsPerInstance", predefined_metric=_INVOCATIONS_METRIC, target_value=target,
                   scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def from_load_test(cls, max_rps_per_instance: float, *, safety_factor: float = 0.5,
                       scale_in_cooldown: Duration | None = None, scale_out_cooldown: Duration | None = None,
                       disable_scale_in: bool | None = None) -> TargetTracking:
        """InvocationsPerInstance target from a load test: ``max_rps_per_instance * safety_factor * 60``.

        Default: ``safety_factor`` 0.5 (scale out at half the load one instance was measured to sustain).
        """
        return cls(metric_name="InvocationsPerInstance", predefined_metric=_INVOCATIONS_METRIC,
                   target_value=max_rps_per_instance * safety_factor * 60,
                   max_rps_per_instance=max_rps_per_instance, safety_factor=safety_factor,
                   scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def cpu_utilization(cls, percent: float, *, scale_in_cooldown: Duration | None = None,
                        scale_out_cooldown: Duration | None = None,
                        disable_scale_in: bool | None = None) -> TargetTracking:
        """Track the instances' average ``CPUUtilization`` (percent, summed over vCPUs: 4 vCPUs reach 400)."""
        return cls(metric_name="CPUUtilization", namespace=_ENDPOINT_METRICS_NAMESPACE, target_value=percent,
                   scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def gpu_utilization(cls, percent: float, *, scale_in_cooldown: Duration | None = None,
                        scale_out_cooldown: Duration | None = None,
                        disable_scale_in: bool | None = None) -> TargetTracking:
        """Track the instances' average ``GPUUtilization`` (percent, summed over GPUs)."""
        return cls(metric_name="GPUUtilization", namespace=_ENDPOINT_METRICS_NAMESPACE, target_value=percent,
                   scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def memory_utilization(cls, percent: float, *, scale_in_cooldown: Duration | None = None,
                           scale_out_cooldown: Duration | None = None,
                           disable_scale_in: bool | None = None) -> TargetTracking:
        """Track the instances' average ``MemoryUtilization`` (percent, 0-100)."""
        return cls(metric_name="MemoryUtilization", namespace=_ENDPOINT_METRICS_NAMESPACE, target_value=percent,
                   scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def model_latency(cls, latency: Duration, *, statistic: str = "Average",
                      scale_in_cooldown: Duration | None = None, scale_out_cooldown: Duration | None = None,
                      disable_scale_in: bool | None = None) -> TargetTracking:
        """Track ``ModelLatency`` (the metric is in microseconds; give a ``Duration``). Default: the Average."""
        # A non-Duration is kept and reported by problems() with the variant's path (no AttributeError here).
        target = latency.to_milliseconds(integral=False) * 1000 if isinstance(latency, Duration) else 0.0
        return cls(metric_name="ModelLatency", target_value=target, latency=latency,
                   statistic=statistic, scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def backlog_per_instance(cls, target: float = _DEFAULT_BACKLOG_PER_INSTANCE, *,
                             scale_in_cooldown: Duration | None = None, scale_out_cooldown: Duration | None = None,
                             disable_scale_in: bool | None = None) -> TargetTracking:
        """Track ``ApproximateBacklogSizePerInstance`` of an async endpoint (queued requests per instance).

        Default: 5 queued requests per instance.
        """
        return cls(metric_name=_BACKLOG_METRIC, target_value=target, per_endpoint=True,
                   scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def provisioned_concurrency_utilization(cls, target: float = _DEFAULT_CONCURRENCY_UTILIZATION, *,
                                            scale_in_cooldown: Duration | None = None,
                                            scale_out_cooldown: Duration | None = None,
                                            disable_scale_in: bool | None = None) -> TargetTracking:
        """Track ``SageMakerVariantProvisionedConcurrencyUtilization`` (a fraction in (0, 1]; serverless only).

        Default: 0.5.
        """
        return cls(metric_name="ProvisionedConcurrencyUtilization", predefined_metric=_CONCURRENCY_METRIC,
                   target_value=target, scale_in_cooldown=scale_in_cooldown, scale_out_cooldown=scale_out_cooldown,
                   disable_scale_in=disable_scale_in)

    @classmethod
    def custom(cls, metric_name: str, target_value: float, *, namespace: str = _SAGEMAKER_NAMESPACE,
               statistic: str = "Average", per_endpoint: bool = False,
               scale_in_cooldown: Duration | None = None, scale_out_cooldown: Duration | None = None,
               disable_scale_in: bool | None = None) -> TargetTracking:
        """Track any metric published with the variant's dimensions (``EndpointName``, ``VariantName``).

        ``per_endpoint=True`` uses the ``EndpointName`` dimension only. Default: namespace ``AWS/SageMaker``, Average.
        """
        return cls(metric_name=metric_name, target_value=target_value, namespace=namespace, statistic=statistic,
                   per_endpoint=per_endpoint, scale_in_cooldown=scale_in_cooldown,
                   scale_out_cooldown=scale_out_cooldown, disable_scale_in=disable_scale_in)

    # -- internals ---------------------------------------------------------------------------------------------
    @property
    def _metric_key(self) -> str:
        return self.predefined_metric or self.metric_name

    @property
    def _id(self) -> str:
        return re.sub(r"[^A-Za-z0-9]", "", self.metric_name) or "Custom"

    def problems(self, p: str, kind: VariantKind) -> list[Problem]:
        out: list[Problem] = []
        kinds = _METRIC_KINDS.get(self._metric_key)
        if kinds is not None and kind not in kinds:
            hint = {"async": " (async endpoints do not emit it: track backlog_per_instance)",
                    "serverless": " (serverless variants scale provisioned concurrency: track "
                                  "provisioned_concurrency_utilization)"}.get(kind, "")
            out.append(_p(f"{p}metric must be one a {kind} variant can scale on{hint}, got {self.metric_name!r}"))
        latency = check_duration(f"{p}latency", self.latency)
        if latency:
            out.append(latency)
        elif _num(self.target_value) and self.target_value <= 0:
            out.append(_p(f"{p}target_value must be greater than 0, got {self.target_value!r}"))
        if self.predefined_metric == _CONCURRENCY_METRIC and _num(self.target_value) and self.target_value > 1:
            out.append(_p(f"{p}target_value must be a fraction in (0, 1] for provisioned concurrency utilization, "
                       f"got {self.target_value!r}"))
        if self.metric_name == "MemoryUtilization" and _num(self.target_value) and self.target_value > 100:
            out.append(_p(f"{p}target_value must be a percentage in (0, 100] for MemoryUtilization, "
                       f"got {self.target_value!r}"))
        if self.max_rps_per_instance is not None and _num(self.max_rps_per_instance) and self.max_rps_per_instance <= 0:
            out.append(_p(f"{p}max_rps_per_instance must be greater than 0, got {self.max_rps_per_instance!r}"))
        if self.safety_factor is not None and _num(self.safety_factor) and not 0 < self.safety_factor <= 1:
            out.append(_p(f"{p}safety_factor must be in (0, 1], got {self.safety_factor!r}"))
        if self.predefined_metric is not None:
            allowed = _limits.enum("MetricType", service=_AAS)
            if self.predefined_metric not in allowed:
                out.append(_p(f"{p}predefined_metric must be one of botocore's application-autoscaling MetricType, "
                           f"got {self.predefined_metric!r}"))
        else:
            allowed = _limits.enum("MetricStatistic", service=_AAS)
            if self.statistic not in allowed:
                out.append(_p(f"{p}statistic must be one of {', '.join(sorted(allowed))} (botocore's "
                           f"application-autoscaling MetricStatistic), got {self.statistic!r}"))
        out += _cooldown_problems(f"{p}scale_in_cooldown", self.scale_in_cooldown)
        out += _cooldown_problems(f"{p}scale_out_cooldown", self.scale_out_cooldown)
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class ScalingStep:
    """One step of a :class:`StepScaling` policy: from metric value ``at`` on, change capacity by ``change``."""

    at: float
    change: int


@dataclass(frozen=True, kw_only=True, slots=True)
class StepScaling:
    """A step-scaling policy driven by a CloudWatch alarm on ``metric``. Build it with ``scale_out``/``scale_in``.

    ``metric`` is any ``cloudwatch.IMetric``, or the name of a metric of the variant (then ``namespace``,
    ``statistic`` and ``per_endpoint`` say which one). The alarm's threshold is the first step's ``at``; ``scale_out``
    steps ascend (alarm when the metric is ``>=`` the threshold), ``scale_in`` steps descend (``<=``).
    Default: namespace ``AWS/SageMaker``, statistic Average, 1-minute period, 1 evaluation period,
    ``ChangeInCapacity``, the service's default cooldown (300 s), missing data treated as missing.
    """

    metric: cloudwatch.IMetric | str
    steps: Sequence[ScalingStep]
    direction: Literal["out", "in"]
    name: str | None = None
    namespace: str | None = None
    statistic: str | None = None
    per_endpoint: bool = False
    period: Duration | None = None
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None
    adjustment_type: str = "ChangeInCapacity"
    metric_aggregation_type: str | None = None
    cooldown: Duration | None = None
    treat_missing_data: cloudwatch.TreatMissingData | None = None

    @classmethod
    def scale_out(cls, metric: cloudwatch.IMetric | str, *, steps: Sequence[ScalingStep], name: str | None = None,
                  namespace: str | None = None, statistic: str | None = None, per_endpoint: bool = False,
                  period: Duration | None = None, evaluation_periods: int = 1, datapoints_to_alarm: int | None = None,
                  adjustment_type: str = "ChangeInCapacity", cooldown: Duration | None = None,
                  treat_missing_data: cloudwatch.TreatMissingData | None = None) -> StepScaling:
        """Add capacity when ``metric`` rises to each step's ``at`` (steps in ascending order)."""
        return cls(metric=metric, steps=tuple(steps), direction="out", name=name, namespace=namespace,
                   statistic=statistic, per_endpoint=per_endpoint, period=period,
                   evaluation_periods=evaluation_periods, datapoints_to_alarm=datapoints_to_alarm,
                   adjustment_type=adjustment_type, cooldown=cooldown, treat_missing_data=treat_missing_data)

    @classmethod
    def scale_in(cls, metric: cloudwatch.IMetric | str, *, steps: Sequence[ScalingStep], name: str | None = None,
                 namespace: str | None = None, statistic: str | None = None, per_endpoint: bool = False,
                 period: Duration | None = None, evaluation_periods: int = 1, datapoints_to_alarm: int | None = None,
                 adjustment_type: str = "ChangeInCapacity", cooldown: Duration | None = None,
                 treat_missing_data: cloudwatch.TreatMissingData | None = None) -> StepScaling:
        """Remove capacity when ``metric`` falls to each step's ``at`` (steps in descending order)."""
        return cls(metric=metric, steps=tuple(steps), direction="in", name=name, namespace=namespace,
                   statistic=statistic, per_endpoint=per_endpoint, period=period,
                   evaluation_periods=evaluation_periods, datapoints_to_alarm=datapoints_to_alarm,
                   adjustment_type=adjustment_type, cooldown=cooldown, treat_missing_data=treat_missing_data)

    @classmethod
    def scale_from_zero(cls) -> StepScaling:
        """Async: add one instance when requests wait and no instance runs (``HasBacklogWithoutCapacity >= 1``).

        The alarm and policy follow AWS's "Autoscale an asynchronous endpoint" guide: Average over 1 minute,
        2 of 2 periods, 300 s cooldown. Added automatically to an async variant whose ``min_capacity`` is 0.
        """
        return cls.scale_out(_NO_CAPACITY_METRIC, steps=[ScalingStep(at=1, change=1)], name="ScaleFromZero",
                             per_endpoint=True, statistic="Average", evaluation_periods=2, datapoints_to_alarm=2,
                             cooldown=Duration.minutes(5), treat_missing_data=cloudwatch.TreatMissingData.MISSING)

    # -- internals ---------------------------------------------------------------------------------------------
    @property
    def _metric_name(self) -> str | None:
        return self.metric if isinstance(self.metric, str) else None

    def problems(self, p: str) -> list[Problem]:
        out: list[Problem] = []
        if not isinstance(self.metric, str) and (self.namespace is not None or self.statistic is not None
                                                 or self.per_endpoint):
            out.append(_p(f"{p}namespace/statistic/per_endpoint apply only to a metric given by name, got a "
                       f"cloudwatch metric with namespace={self.namespace!r}, statistic={self.statistic!r}"))
        if self.statistic is not None and self.statistic not in _limits.enum("Statistic", service=_CW) \
                and not _PERCENTILE.match(self.statistic):
            stats = ", ".join(sorted(_limits.enum("Statistic", service=_CW)))
            out.append(_p(f"{p}statistic must be a CloudWatch statistic ({stats}) or a percentile like p99, "
                       f"got {self.statistic!r}"))
        if self.name is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", self.name):
            out.append(_p(f"{p}name must be letters and digits, starting with a letter, got {self.name!r}"))
        if not self.steps:
            out.append(_p(f"{p}steps must have at least one ScalingStep, got []"))
        ats = [s.at for s in self.steps]
        ordered = all((b > a) if self.direction == "out" else (b < a) for a, b in itertools.pairwise(ats))
        if not ordered:
            order = "ascending" if self.direction == "out" else "descending"
            out.append(_p(f"{p}steps must be in strictly {order} order of 'at' for scale_{self.direction}, "
                          f"got {ats!r}"))
        allowed = _limits.enum("AdjustmentType", service=_AAS)
        if self.adjustment_type not in allowed:
            out.append(_p(f"{p}adjustment_type must be one of {', '.join(sorted(allowed))}, "
                          f"got {self.adjustment_type!r}"))
        for i, step in enumerate(self.steps):
            if self.adjustment_type == "ExactCapacity":
                if step.change < 0:
                    out.append(_p(f"{p}steps[{i}].change must be at least 0 for ExactCapacity, got {step.change!r}"))
            elif self.direction == "out" and step.change <= 0:
                out.append(_p(f"{p}steps[{i}].change must be greater than 0 for scale_out, got {step.change!r}"))
            elif self.direction == "in" and step.change >= 0:
                out.append(_p(f"{p}steps[{i}].change must be less than 0 for scale_in, got {step.change!r}"))
        if self.metric_aggregation_type is not None:
            aggs = _limits.enum("MetricAggregationType", service=_AAS)
            if self.metric_aggregation_type not in aggs:
                out.append(_p(f"{p}metric_aggregation_type must be one of {', '.join(sorted(aggs))}, "
                           f"got {self.metric_aggregation_type!r}"))
        lo, hi = _limits.bounds("EvaluationPeriods", service=_CW)
        if _num(self.evaluation_periods) and not _limits.check_range(self.evaluation_periods, lo, hi):
            out.append(_p(f"{p}evaluation_periods must be {_limits.range_text(lo, hi)}, "
                          f"got {self.evaluation_periods!r}"))
        if self.datapoints_to_alarm is not None and _num(self.datapoints_to_alarm) and _num(self.evaluation_periods) \
                and not 1 <= self.datapoints_to_alarm <= self.evaluation_periods:
            out.append(_p(f"{p}datapoints_to_alarm must be between 1 and evaluation_periods "
                          f"({self.evaluation_periods}), "
                       f"got {self.datapoints_to_alarm!r}"))
        period = check_duration(f"{p}period", self.period)
        if period:
            out.append(period)
        elif self.period is not None:
            seconds = to_seconds(self.period)
            if seconds is not None and (seconds not in (10, 20, 30) and (seconds <= 0 or seconds % 60)):
                out.append(_p(f"{p}period must be 10, 20, 30 s or a multiple of 60 s (CloudWatch alarm periods), "
                           f"got {seconds!r} s"))
        out += _cooldown_problems(f"{p}cooldown", self.cooldown)
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class ScheduledScaling:
    """A scheduled change of the capacity range, for known peaks (``ScheduledActions`` of the scalable target).

    ``schedule`` is an Application Auto Scaling schedule (``appscaling.Schedule.cron(...)``, ``.at(...)``,
    ``.rate(...)``); cron runs in ``time_zone``. Default: UTC, no start or end time.
    """

    name: str
    schedule: appscaling.Schedule
    min_capacity: int | None = None
    max_capacity: int | None = None
    time_zone: TimeZone | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None

    @classmethod
    def cron(cls, name: str, *, hour: str, minute: str = "0", week_day: str | None = None, day: str | None = None,
             month: str | None = None, min_capacity: int | None = None, max_capacity: int | None = None,
             time_zone: TimeZone | None = None) -> ScheduledScaling:
        """Set the range every day (or ``week_day``, ``day``, ``month``) at ``hour``:``minute``.

        Default: every day, minute 0, UTC.
        """
        return cls(name=name, schedule=appscaling.Schedule.cron(hour=hour, minute=minute, week_day=week_day, day=day,
                                                                 month=month),
                   min_capacity=min_capacity, max_capacity=max_capacity, time_zone=time_zone)

    def problems(self, p: str, kind: VariantKind) -> list[Problem]:
        out: list[Problem] = []
        if not _limits.matches("ScheduledActionName", self.name, service=_AAS):
            out.append(_p(f"{p}name must be 1-256 characters without ':', '/', '|', control characters or leading/"
                       f"trailing spaces (botocore ScheduledActionName), got {self.name!r}"))
        expr = getattr(self.schedule, "expression_string", None)
        if not isinstance(expr, str):
            out.append(_p(f"{p}schedule must be an aws_applicationautoscaling.Schedule (Schedule.cron(...), "
                       f".rate(...), .at(...)), got {self.schedule!r}"))
        elif not is_unresolved(expr):
            # One validator for every schedule of the library (see cdk_sagemaker.constructs._checks).
            out += schedule_expression_problems(expr, param=f"{p}schedule", allow_at=True)
            if self.time_zone is not None and expr.startswith("rate("):
                out.append(_p(f"{p}time_zone applies only to cron and at schedules, "
                              f"got {self.time_zone.timezone_name!r}"))
        if self.min_capacity is None and self.max_capacity is None:
            out.append(_p(f"{p}min_capacity or max_capacity must be given, got neither"))
        lowest = 0 if kind == "async" else 1
        for field in ("min_capacity", "max_capacity"):
            value = getattr(self, field)
            if _num(value) and value < lowest:
                out.append(_p(f"{p}{field} must be at least {lowest} on a{'n' if kind != 'serverless' else ''} {kind} "
                           f"variant, got {value!r}"))
        if _num(self.min_capacity) and _num(self.max_capacity) and self.max_capacity < self.min_capacity:
            out.append(_p(f"{p}max_capacity must be at least min_capacity ({self.min_capacity}), "
                       f"got {self.max_capacity!r}"))
        if self.start_time is not None and self.end_time is not None and self.end_time <= self.start_time:
            out.append(_p(f"{p}end_time must be after start_time ({self.start_time.isoformat()}), "
                       f"got {self.end_time.isoformat()!r}"))
        return out

    def render(self) -> appscaling.CfnScalableTarget.ScheduledActionProperty:
        return appscaling.CfnScalableTarget.ScheduledActionProperty(
            scheduled_action_name=self.name,
            schedule=self.schedule.expression_string,
            scalable_target_action=appscaling.CfnScalableTarget.ScalableTargetActionProperty(
                min_capacity=self.min_capacity, max_capacity=self.max_capacity),
            timezone=self.time_zone.timezone_name if self.time_zone is not None else None,
            start_time=self.start_time,
            end_time=self.end_time,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class AutoScaling:
    """Scale one endpoint variant between ``min_capacity`` and ``max_capacity``.

    Real-time variants scale their instance count on ``SageMakerVariantInvocationsPerInstance`` (requests per
    instance per minute): give the target directly (``invocations_per_instance``) or the maximum requests per second
    one instance sustained in a load test (``max_rps_per_instance``); the target is then
    ``max_rps_per_instance * safety_factor * 60``. More policies go in ``target_tracking``, ``step_scaling`` and
    ``schedules``; the keyword cooldowns and ``disable_scale_in`` apply to every target-tracking policy that does
    not set its own.

    Async variants scale on their backlog (Default: ``TargetTracking.backlog_per_instance(5)``) and may scale to
    zero (``min_capacity=0``, which adds :meth:`StepScaling.scale_from_zero`). Serverless variants with provisioned
    concurrency scale it (Default: ``TargetTracking.provisioned_concurrency_utilization(0.5)``).

    Default: ``min_capacity`` 1, ``safety_factor`` 0.5, the service's cooldowns (300 s for SageMaker variants),
    scale-in enabled. The scalable target uses the Application Auto Scaling service-linked role.
    """

    max_capacity: int
    min_capacity: int = 1
    invocations_per_instance: float | None = None
    max_rps_per_instance: float | None = None
    safety_factor: float = 0.5
    target_tracking: Sequence[TargetTracking] = ()
    step_scaling: Sequence[StepScaling] = ()
    schedules: Sequence[ScheduledScaling] = ()
    scale_in_cooldown: Duration | None = None
    scale_out_cooldown: Duration | None = None
    disable_scale_in: bool = False

    @property
    def target_value(self) -> float:
        """The InvocationsPerInstance target of the keyword form."""
        if self.invocations_per_instance is not None:
            return float(self.invocations_per_instance)
        if self.max_rps_per_instance is not None:
            return float(self.max_rps_per_instance) * self.safety_factor * 60
        raise NotConfiguredError("AutoScaling", "target_value",
                                 "pass invocations_per_instance or max_rps_per_instance")

    # -- what gets built ---------------------------------------------------------------------------------------
    def _keyword_policy(self) -> TargetTracking | None:
        if self.invocations_per_instance is not None:
            return TargetTracking.invocations_per_instance(self.invocations_per_instance)
        if self.max_rps_per_instance is not None:
            return TargetTracking.from_load_test(self.max_rps_per_instance, safety_factor=self.safety_factor)
        return None

    def policies_for(self, kind: VariantKind) -> list[TargetTracking]:
        """The target-tracking policies this configuration creates on a variant of ``kind``."""
        policies = [p for p in (self._keyword_policy(),) if p is not None] + list(self.target_tracking)
        if not policies and kind == "async":
            policies.append(TargetTracking.backlog_per_instance())
        if not policies and kind == "serverless":
            policies.append(TargetTracking.provisioned_concurrency_utilization())
        return policies

    def steps_for(self, kind: VariantKind) -> list[StepScaling]:
        steps = list(self.step_scaling)
        if kind == "async" and self.min_capacity == 0 and not any(s._metric_name == _NO_CAPACITY_METRIC for s in steps):
            steps.append(StepScaling.scale_from_zero())
        return steps

    # -- validation --------------------------------------------------------------------------------------------
    def problems(self, variant: VariantFacts, where: str = "") -> list[Problem]:
        """Problems of this configuration applied to ``variant`` (messages name ``where``, e.g. ``variants[0].``)."""
        facts = variant
        kind = facts.kind
        p = f"{where}auto_scaling."
        out: list[Problem] = []
        lowest = 0 if kind == "async" else 1
        if _num(self.min_capacity) and self.min_capacity < lowest:
            if kind == "instance":
                out.append(_p(f"{p}min_capacity must be at least 1 on an instance endpoint (only async endpoints scale "
                           f"to zero), got {self.min_capacity!r}"))
            else:
                out.append(_p(f"{p}min_capacity must be at least {lowest} on a {kind} variant, "
                              f"got {self.min_capacity!r}"))
        if _num(self.min_capacity) and _num(self.max_capacity) and self.max_capacity < self.min_capacity:
            out.append(_p(f"{p}max_capacity must be at least min_capacity ({self.min_capacity}), "
                       f"got {self.max_capacity!r}"))
        if _num(self.max_capacity) and self.max_capacity < 1:
            out.append(_p(f"{p}max_capacity must be at least 1, got {self.max_capacity!r}"))
        if kind == "serverless":
            out += self._serverless_problems(p, where, facts)
        else:
            count = facts.initial_instance_count
            if _num(count) and _num(self.min_capacity) and _num(self.max_capacity) \
                    and not (self.min_capacity <= count <= self.max_capacity):
                out.append(_p(f"{p}min_capacity..max_capacity must contain the variant's instance_count ({count}), "
                           f"got {self.min_capacity!r}..{self.max_capacity!r}"))
            # Burstable instances cannot be auto-scaled (SageMaker developer guide, "Auto scaling prerequisites").
            if facts.instance_type is not None and is_burstable(facts.instance_type):
                out.append(_p(f"{where}instance_type must not be a burstable (ml.t*) type when auto_scaling is set "
                           f"(SageMaker cannot auto-scale them), got {facts.instance_type!r}"))
        out += self._keyword_problems(p, kind)
        policies = self.policies_for(kind)
        for i, policy in enumerate(self.target_tracking):
            out += policy.problems(f"{p}target_tracking[{i}].", kind)
        keys = [t._metric_key + "/" + t.statistic for t in policies]
        dupes = sorted({k.split("/")[0] for k in keys if keys.count(k) > 1})
        if dupes:
            out.append(_p(f"{p}target_tracking must track each metric once (invocations_per_instance/"
                       f"max_rps_per_instance count as InvocationsPerInstance), got {', '.join(dupes)} twice"))
        steps = self.step_scaling
        for i, step in enumerate(steps):
            out += step.problems(f"{p}step_scaling[{i}].")
        names = [s.name or f"Step{i}" for i, s in enumerate(self.steps_for(kind), start=1)]
        if len(set(names)) != len(names):
            out.append(_p(f"{p}step_scaling names must be unique (unnamed steps are Step<n>, the async scale-from-zero "
                       f"policy is ScaleFromZero), got {names!r}"))
        if kind == "instance" and not policies and not steps and not self.schedules:
            out.append(_p(f"{p}invocations_per_instance or max_rps_per_instance must be given (or target_tracking, "
                       f"step_scaling or schedules), got neither"))
        seen: set[str] = set()
        for i, schedule in enumerate(self.schedules):
            out += schedule.problems(f"{p}schedules[{i}].", kind)
            if schedule.name in seen:
                out.append(_p(f"{p}schedules[{i}].name must be unique on the variant, got {schedule.name!r} twice"))
            seen.add(schedule.name)
        out += _cooldown_problems(f"{p}scale_in_cooldown", self.scale_in_cooldown)
        out += _cooldown_problems(f"{p}scale_out_cooldown", self.scale_out_cooldown)
        return out

    def _keyword_problems(self, p: str, kind: VariantKind) -> list[Problem]:
        out: list[Problem] = []
        if self.invocations_per_instance is not None and self.max_rps_per_instance is not None:
            out.append(_p(f"{p}invocations_per_instance and max_rps_per_instance are exclusive, got both "
                       f"({self.invocations_per_instance!r}, {self.max_rps_per_instance!r})"))
        for name in ("invocations_per_instance", "max_rps_per_instance"):
            value = getattr(self, name)
            if _num(value) and value <= 0:
                out.append(_p(f"{p}{name} must be greater than 0, got {value!r}"))
            if value is not None and kind != "instance":
                hint = ("async endpoints do not emit InvocationsPerInstance: scale on the backlog "
                        "(TargetTracking.backlog_per_instance)") if kind == "async" else \
                    "serverless variants scale provisioned concurrency"
                out.append(_p(f"{p}{name} must not be set on a {kind} variant ({hint}), got {value!r}"))
        if _num(self.safety_factor) and not 0 < self.safety_factor <= 1:
            out.append(_p(f"{p}safety_factor must be in (0, 1], got {self.safety_factor!r}"))
        return out

    def _serverless_problems(self, p: str, where: str, facts: VariantFacts) -> list[Problem]:
        out: list[Problem] = []
        pc = facts.provisioned_concurrency
        if pc is None:
            out.append(_p(f"{where}provisioned_concurrency must be set when auto_scaling is set on a serverless "
                          f"variant "
                       f"(only provisioned concurrency scales), got None"))
            return out
        lo, hi = _limits.member_bounds("ProductionVariantServerlessConfig", "ProvisionedConcurrency")
        mc = facts.max_concurrency
        if _num(mc):
            hi = min(hi, mc) if hi is not None else mc
        for field in ("min_capacity", "max_capacity"):
            value = getattr(self, field)
            if _num(value) and not _limits.check_range(value, lo, hi):
                out.append(_p(f"{p}{field} must be {_limits.range_text(lo, hi)} (provisioned concurrency, at most the "
                           f"variant's max_concurrency), got {value!r}"))
        if _num(pc) and _num(self.min_capacity) and _num(self.max_capacity) \
                and not (self.min_capacity <= pc <= self.max_capacity):
            out.append(_p(f"{p}min_capacity..max_capacity must contain the variant's provisioned_concurrency ({pc}), "
                       f"got {self.min_capacity!r}..{self.max_capacity!r}"))
        return out


@jsii.implements(cloudwatch.IAlarmAction)
class _ScalingPolicyAction:
    """Alarm action that triggers a (L1) step-scaling policy."""

    def __init__(self, policy: appscaling.CfnScalingPolicy) -> None:
        self._policy = policy

    def bind(self, scope: Construct, alarm: cloudwatch.IAlarm) -> cloudwatch.AlarmActionConfig:
        return cloudwatch.AlarmActionConfig(alarm_action_arn=self._policy.ref)


class VariantScaling(Construct):
    """The Application Auto Scaling resources of one variant: scalable target, policies, alarms.

    Created by :meth:`EndpointVariant.auto_scale` (and by the endpoints' ``auto_scaling=`` props) under the variant's
    ``scope`` (the endpoint), with id ``AutoScaling<VariantName>``, so every variant of a multi-variant endpoint scales
    on its own. It registers its scalable target with the variant (:meth:`IEndpointVariant.register_scalable_target`).
    Attributes: ``scalable_target`` (``node.default_child``), ``target_tracking_policies`` and ``step_policies``
    (by construct id), ``alarms`` (by step policy id).
    """

    def __init__(self, scope: Construct, id: str, *, variant: IEndpointVariant, scaling: AutoScaling) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        self.variant = variant
        self.scaling = scaling
        self.scalable_target = self._create_scalable_target()
        self.target_tracking_policies: dict[str, appscaling.CfnScalingPolicy] = {
            policy._id: self._create_target_tracking(policy) for policy in scaling.policies_for(variant.kind)}
        self.step_policies: dict[str, appscaling.CfnScalingPolicy] = {}
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        for i, step in enumerate(scaling.steps_for(variant.kind), start=1):
            self._create_step_scaling(step.name or f"Step{i}", step)
        variant.register_scalable_target(self.scalable_target)

    @property
    def scalable_dimension(self) -> str:
        return _CONCURRENCY_DIMENSION if self.variant.kind == "serverless" else _INSTANCE_DIMENSION

    def _create_scalable_target(self) -> appscaling.CfnScalableTarget:
        # No RoleARN: Application Auto Scaling uses its service-linked role. The resource id references the
        # endpoint's name (GetAtt), so the target is created after the endpoint and deleted before it; no explicit
        # DependsOn (cfn-lint W3005 flags a redundant one).
        return appscaling.CfnScalableTarget(
            self, "Resource",
            service_namespace="sagemaker",
            resource_id=self.variant.resource_id,
            scalable_dimension=self.scalable_dimension,
            min_capacity=self.scaling.min_capacity,
            max_capacity=self.scaling.max_capacity,
            scheduled_actions=[s.render() for s in self.scaling.schedules] or None,
        )

    def _dimensions(self, per_endpoint: bool) -> dict[str, str]:
        dims = {"EndpointName": self.variant.endpoint_name}
        if not per_endpoint:
            dims["VariantName"] = self.variant.variant_name
        return dims

    def _policy_name(self, suffix: str) -> str:
        return f"{self.variant.variant_name}-{suffix}"

    def _create_target_tracking(self, policy: TargetTracking) -> appscaling.CfnScalingPolicy:
        s = self.scaling
        predefined = customized = None
        if policy.predefined_metric is not None:
            predefined = appscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                predefined_metric_type=policy.predefined_metric)
        else:
            customized = appscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                metric_name=policy.metric_name, namespace=policy.namespace, statistic=policy.statistic,
                dimensions=[appscaling.CfnScalingPolicy.MetricDimensionProperty(name=k, value=v)
                            for k, v in self._dimensions(policy.per_endpoint).items()])
        disable = policy.disable_scale_in if policy.disable_scale_in is not None else s.disable_scale_in
        return appscaling.CfnScalingPolicy(
            self, policy._id,
            policy_name=self._policy_name(policy._id),
            policy_type="TargetTrackingScaling",
            scaling_target_id=self.scalable_target.ref,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=policy.target_value,
                predefined_metric_specification=predefined,
                customized_metric_specification=customized,
                scale_in_cooldown=render_seconds(policy.scale_in_cooldown or s.scale_in_cooldown),
                scale_out_cooldown=render_seconds(policy.scale_out_cooldown or s.scale_out_cooldown),
                disable_scale_in=disable or None,
            ),
        )

    def _alarm_metric(self, step: StepScaling) -> cloudwatch.IMetric:
        if not isinstance(step.metric, str):
            return step.metric
        return build_metric(self.variant.scope, step.metric, self._dimensions(step.per_endpoint),
                            namespace=step.namespace or _SAGEMAKER_NAMESPACE, statistic=step.statistic or "Average",
                            period=step.period)

    def _create_step_scaling(self, id: str, step: StepScaling) -> None:
        threshold = step.steps[0].at
        adjustments: list[Any] = []
        for i, current in enumerate(step.steps):
            following = step.steps[i + 1].at - threshold if i + 1 < len(step.steps) else None
            here = current.at - threshold
            lower, upper = (here, following) if step.direction == "out" else (following, here)
            adjustments.append(appscaling.CfnScalingPolicy.StepAdjustmentProperty(
                scaling_adjustment=current.change, metric_interval_lower_bound=lower,
                metric_interval_upper_bound=upper))
        policy = appscaling.CfnScalingPolicy(
            self, id,
            policy_name=self._policy_name(id),
            policy_type="StepScaling",
            scaling_target_id=self.scalable_target.ref,
            step_scaling_policy_configuration=appscaling.CfnScalingPolicy.StepScalingPolicyConfigurationProperty(
                adjustment_type=step.adjustment_type,
                metric_aggregation_type=step.metric_aggregation_type,
                cooldown=render_seconds(step.cooldown),
                step_adjustments=adjustments,
            ),
        )
        operator = (cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD if step.direction == "out"
                    else cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD)
        alarm = cloudwatch.Alarm(
            self, f"{id}Alarm",
            metric=self._alarm_metric(step),
            threshold=threshold,
            comparison_operator=operator,
            evaluation_periods=step.evaluation_periods,
            datapoints_to_alarm=step.datapoints_to_alarm,
            treat_missing_data=step.treat_missing_data or cloudwatch.TreatMissingData.MISSING,
            alarm_description=f"Scales {self.variant.variant_name} of {node_path(self.variant.scope)} "
                              f"{step.direction} (step policy {id})",
        )
        alarm.add_alarm_action(_ScalingPolicyAction(policy))
        self.step_policies[id] = policy
        self.alarms[id] = alarm
