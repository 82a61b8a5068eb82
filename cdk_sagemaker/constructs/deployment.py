"""Safe endpoint updates: SageMaker deployment guardrails (blue/green, rolling) with alarm-based automatic rollback.

A :class:`DeploymentStrategy` renders the endpoint's ``DeploymentConfig``. It applies when CloudFormation *updates*
the endpoint (a new model, image or instance type gives a new endpoint config, and the endpoint moves to it under the
guardrail); the first creation of an endpoint has nothing to roll back to.

Facts cited below (SageMaker developer guide, "Deployment guardrails for updating models in production"):

- [overview] https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html
  "Deployment guardrails only apply to Asynchronous inference and Real-time inference endpoint types."
- [exclusions] https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html
  The new endpoint config must keep the old config's variant names. Marketplace containers, Inf1 instances and
  Elastic Inference endpoints cannot use guardrails: the update falls back to blue/green, all at once, with no final
  baking period. Rolling deployments also exclude serverless and multi-variant endpoints.
- [rollback] https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html
  Alarms are the only rollback trigger (no alarms, no auto-rollback); the execution role needs
  ``cloudwatch:DescribeAlarms`` on the rollback alarms (every one of them: ours and the user's; see
  :meth:`DeploymentBinding._grant_describe_alarms`).
- botocore's SageMaker model (read through ``cdk_sagemaker._limits``): the wait, timeout and termination-wait ranges,
  at most 10 alarms (``AlarmList``), and the documented step sizes: a canary at most 50% of the variant's instances
  (``TrafficRoutingConfig.CanarySize``), a linear step 10-50% (``LinearStepSize``), a rolling batch 5-50%
  (``RollingUpdatePolicy.MaximumBatchSize``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import jsii
from aws_cdk import ArnFormat, Duration, IAnyProducer, IResolveContext, Lazy, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._checks import check_duration, render_seconds, to_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path
from cdk_sagemaker.constructs.metrics import build_metric
from cdk_sagemaker.constructs.registry import ModelPackage
from cdk_sagemaker.constructs.variant import IEndpointVariant, PolicySink
from cdk_sagemaker.errors import Problem, Problems, ValidationError

__all__ = ["BlueGreenPolicy", "DeploymentBinding", "DeploymentStrategy", "Rollback", "RollingPolicy", "TrafficShift"]

TrafficShift = Literal["ALL_AT_ONCE", "CANARY", "LINEAR"]

#: Baking period when none is given. Not a service default (WaitIntervalInSeconds is required); our choice.
_DEFAULT_WAIT_SECONDS = 300
#: Default step sizes of the factories, in percent of each variant's instances (our choice, within the service's
#: documented ranges above).
_DEFAULT_CANARY_PERCENT = 10
_DEFAULT_LINEAR_PERCENT = 20
_DEFAULT_ROLLING_PERCENT = 25
#: Step-size ranges in percent of a variant's instances. botocore states them only in member documentation, not as
#: min/max, so they are named here: TrafficRoutingConfig.CanarySize ("less than or equal to 50%"),
#: TrafficRoutingConfig.LinearStepSize ("10-50%"), RollingUpdatePolicy.MaximumBatchSize ("between 5% to 50%").
_STEP_RANGES: dict[str, tuple[int, int]] = {"CANARY": (1, 50), "LINEAR": (10, 50), "ROLLING": (5, 50)}
_STEP_DOCS: dict[str, tuple[str, str]] = {
    "CANARY": ("TrafficRoutingConfig", "CanarySize"),
    "LINEAR": ("TrafficRoutingConfig", "LinearStepSize"),
    "ROLLING": ("RollingUpdatePolicy", "MaximumBatchSize"),
}
#: Default rollback alarms: 5XX error rate above 1% or p99 model latency above 1 s, 2 of 3 one-minute periods.
_DEFAULT_MAX_ERROR_RATE = 0.01
_DEFAULT_LATENCY_SECONDS = 1
_LATENCY_STATISTIC = re.compile(r"^(?:p\d{1,2}(?:\.\d+)?|Average|Maximum|tm\d{1,2}|IQM)$")


@dataclass(frozen=True, kw_only=True, slots=True)
class BlueGreenPolicy:
    """A blue/green update: SageMaker builds a new (green) fleet beside the old (blue) one and shifts traffic.

    ``traffic``: ``"ALL_AT_ONCE"`` (one step), ``"CANARY"`` (a small step, then the rest) or ``"LINEAR"`` (equal
    steps). ``step_percent`` / ``step_instances`` size the canary or each linear step (exclusive). ``wait`` is the
    baking period after each step, during which the rollback alarms are watched. ``termination_wait`` keeps the blue
    fleet after the shift; ``maximum_execution_timeout`` bounds the whole update.
    Default: the wait is 5 minutes, no termination wait, the service's timeout.
    """

    traffic: TrafficShift = "ALL_AT_ONCE"
    step_percent: int | None = None
    step_instances: int | None = None
    wait: Duration | None = None
    termination_wait: Duration | None = None
    maximum_execution_timeout: Duration | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RollingPolicy:
    """A rolling update: SageMaker replaces the fleet in batches, so at most one batch of extra instances runs.

    ``batch_percent`` / ``batch_instances`` size each batch (exclusive); ``wait`` is the baking period per batch.
    ``rollback_batch_percent`` / ``rollback_batch_instances`` size the batches of a rollback.
    Default: batches of 25% of the instances, a 5-minute wait, the service's timeout, a rollback all at once.
    """

    batch_percent: int | None = None
    batch_instances: int | None = None
    wait: Duration | None = None
    maximum_execution_timeout: Duration | None = None
    rollback_batch_percent: int | None = None
    rollback_batch_instances: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Rollback:
    """Which CloudWatch alarms roll an update back: the options every :class:`DeploymentStrategy` factory shares.

    Unless ``default_alarms`` is False, the endpoint gets two alarms per production variant, on the 5XX error rate
    (``max_error_rate``, a fraction of requests) and on model latency (``latency_statistic`` above
    ``latency_threshold``). ``alarms`` adds alarms of your own (at most 10 in all). ``alarm_actions`` are added to the
    alarms the strategy creates (page someone when a rollout rolls back). Alarms are the only rollback trigger
    ([rollback]): with ``default_alarms=False`` and no ``alarms`` an update is not rolled back automatically.
    Default: the default alarms on, 1% errors, p99 latency above 1 second, no alarms of yours, no alarm actions.
    """

    default_alarms: bool = True
    alarms: Sequence[cloudwatch.IAlarm] = ()
    max_error_rate: float = _DEFAULT_MAX_ERROR_RATE
    latency_threshold: Duration | None = None
    latency_statistic: str = "p99"
    alarm_actions: Sequence[cloudwatch.IAlarmAction] = ()

    def __post_init__(self) -> None:
        # Tuples, so two equal groups compare equal (and hash) whatever sequence type was passed.
        for name in ("alarms", "alarm_actions"):
            value = getattr(self, name)
            if not isinstance(value, tuple | str) and isinstance(value, Sequence):
                object.__setattr__(self, name, tuple(value))

    def problems(self, variants: Sequence[IEndpointVariant], where: str = "rollback.") -> list[Problem]:
        """Problems of this group on an endpoint with ``variants`` (two default alarms each), params prefixed with
        ``where``."""
        out: list[Problem] = []
        duration = check_duration(f"{where}latency_threshold", self.latency_threshold)
        if duration is not None:
            out.append(duration)
        if self.default_alarms:
            if isinstance(self.max_error_rate, bool) or not isinstance(self.max_error_rate, int | float) \
                    or not 0 < self.max_error_rate < 1:
                out.append(Problem.of(f"{where}max_error_rate",
                                      "must be a fraction of requests between 0 and 1 (0.01 is 1%)",
                                      self.max_error_rate))
            latency = to_seconds(self.latency_threshold) if duration is None else None
            if latency is not None and not is_unresolved(latency) and latency <= 0:
                out.append(Problem.of(f"{where}latency_threshold", "must be longer than 0 s", f"{latency} s"))
            if not isinstance(self.latency_statistic, str) or not _LATENCY_STATISTIC.match(self.latency_statistic):
                out.append(Problem.of(f"{where}latency_statistic",
                                      "must be a CloudWatch statistic such as 'p99', 'p90' or 'Average'",
                                      self.latency_statistic))
        for name in ("alarms", "alarm_actions"):
            value = getattr(self, name)
            if isinstance(value, str) or not isinstance(value, Sequence):
                out.append(Problem.of(f"{where}{name}", "must be a list", value))
        if not isinstance(self.alarms, Sequence):
            return out
        _, hi = _limits.list_bounds("AlarmList")
        total = len(self.alarms) + (2 * len(variants) if self.default_alarms else 0)
        if hi is not None and total > hi:
            out.append(Problem.of(f"{where}alarms", f"must total at most {hi} rollback alarms (AlarmList; two per "
                                  "production variant by default plus yours): pass fewer alarms, or "
                                  f"Rollback(default_alarms=False, alarms=[...]) with a composite alarm", total))
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class DeploymentStrategy:
    """How SageMaker updates an endpoint, and which CloudWatch alarms roll the update back.

    Build one with a factory: :meth:`all_at_once`, :meth:`canary`, :meth:`linear` or :meth:`rolling`; pass it as
    ``RealtimeEndpoint(..., deployment=...)``. Exactly one of ``blue_green`` and ``rolling_update`` must be set.
    ``rollback`` (:class:`Rollback`, shared by every factory) says which alarms roll an update back.
    Default: the default rollback alarms (``Rollback()``).

    An endpoint with a strategy is named at synth time (stack name, path and a hash; see
    :attr:`DeploymentBinding.endpoint_name`): its rollback alarms must name the endpoint, and the endpoint must name
    the alarms, which CloudFormation cannot order when both names are generated.
    """

    blue_green: BlueGreenPolicy | None = None
    rolling_update: RollingPolicy | None = None
    rollback: Rollback = Rollback()

    # -- factories -------------------------------------------------------------------------------------------
    @classmethod
    def all_at_once(
        cls, *, wait: Duration | None = None, termination_wait: Duration | None = None,
        maximum_execution_timeout: Duration | None = None, rollback: Rollback = Rollback(),
    ) -> DeploymentStrategy:
        """Blue/green, all traffic to the new fleet in one step, then ``wait`` (baking) before the old fleet goes.

        Fastest guarded update; every request meets the new model at once, but the old fleet stays ready for a
        rollback until the baking period ends. Needs twice the instances during the update.
        Default: 5-minute baking period, the default rollback alarms.
        """
        return cls(blue_green=BlueGreenPolicy(traffic="ALL_AT_ONCE", wait=wait, termination_wait=termination_wait,
                                              maximum_execution_timeout=maximum_execution_timeout),
                   rollback=rollback)

    @classmethod
    def canary(
        cls, *, percent: int | None = None, instances: int | None = None, wait: Duration | None = None,
        termination_wait: Duration | None = None, maximum_execution_timeout: Duration | None = None,
        rollback: Rollback = Rollback(),
    ) -> DeploymentStrategy:
        """Blue/green in two steps: a canary (``percent`` of the instances, or ``instances``) bakes for ``wait``,
        then the rest of the traffic shifts. A bad model reaches only the canary's share of requests.
        Default: a 10% canary, 5-minute baking period, the default rollback alarms.
        """
        if percent is None and instances is None:
            percent = _DEFAULT_CANARY_PERCENT
        return cls(blue_green=BlueGreenPolicy(traffic="CANARY", step_percent=percent, step_instances=instances,
                                              wait=wait, termination_wait=termination_wait,
                                              maximum_execution_timeout=maximum_execution_timeout),
                   rollback=rollback)

    @classmethod
    def linear(
        cls, *, percent: int | None = None, instances: int | None = None, wait: Duration | None = None,
        termination_wait: Duration | None = None, maximum_execution_timeout: Duration | None = None,
        rollback: Rollback = Rollback(),
    ) -> DeploymentStrategy:
        """Blue/green in equal steps of ``percent`` of the instances (or ``instances``), each baking for ``wait``.
        The slowest blue/green shift, with the most chances to stop.
        Default: 20% steps, 5-minute baking periods, the default rollback alarms.
        """
        if percent is None and instances is None:
            percent = _DEFAULT_LINEAR_PERCENT
        return cls(blue_green=BlueGreenPolicy(traffic="LINEAR", step_percent=percent, step_instances=instances,
                                              wait=wait, termination_wait=termination_wait,
                                              maximum_execution_timeout=maximum_execution_timeout),
                   rollback=rollback)

    @classmethod
    def rolling(
        cls, *, batch_percent: int | None = None, batch_instances: int | None = None, wait: Duration | None = None,
        maximum_execution_timeout: Duration | None = None, rollback_batch_percent: int | None = None,
        rollback_batch_instances: int | None = None, rollback: Rollback = Rollback(),
    ) -> DeploymentStrategy:
        """Replace the fleet in batches (``batch_percent`` of the instances, or ``batch_instances``), baking each for
        ``wait``; only one batch of extra instances at a time, so the cheapest for large or scarce (GPU) fleets.
        Single-variant instance endpoints only. The API has no termination wait for rolling updates.
        ``rollback_batch_*`` size the batches of a rollback; ``rollback`` says which alarms trigger one.
        Default: batches of 25%, 5-minute baking periods, rollback of the whole fleet at once, the default rollback
        alarms.
        """
        if batch_percent is None and batch_instances is None:
            batch_percent = _DEFAULT_ROLLING_PERCENT
        return cls(rolling_update=RollingPolicy(batch_percent=batch_percent, batch_instances=batch_instances, wait=wait,
                                         maximum_execution_timeout=maximum_execution_timeout,
                                         rollback_batch_percent=rollback_batch_percent,
                                         rollback_batch_instances=rollback_batch_instances),
                   rollback=rollback)

    # -- building ---------------------------------------------------------------------------------------------
    def problems(self, variants: Sequence[IEndpointVariant]) -> list[Problem]:
        """Everything about this strategy that SageMaker would reject or silently downgrade on an endpoint with these
        production ``variants``: the endpoints report them with their own problems, in one ValidationError."""
        problems = Problems("deployment")
        _validate(self, problems, variants)
        return list(problems.items)

    def bind(self, endpoint: Construct, variants: Sequence[IEndpointVariant]) -> DeploymentBinding:
        """Validate against the production ``variants`` of ``endpoint`` (the construct the rollback alarms are
        created under, whose path names the endpoint), create the alarms, and return the rendered binding. The
        endpoints report :meth:`problems` before they build; this checks again (the rendered config may add an
        Elastic Inference accelerator through a subclass's ``_render_variant``)."""
        problems = Problems(node_path(endpoint))
        problems.extend(self.problems(variants))
        problems.raise_if_any()
        return DeploymentBinding(endpoint, self, variants)

    def _render_policy(self, binding: DeploymentBinding) -> dict[str, Any]:
        if self.rolling_update is not None:
            r = self.rolling_update
            return {"rolling_update_policy": sagemaker.CfnEndpoint.RollingUpdatePolicyProperty(
                maximum_batch_size=_capacity(r.batch_percent, r.batch_instances),
                wait_interval_in_seconds=_wait(r.wait),
                maximum_execution_timeout_in_seconds=render_seconds(r.maximum_execution_timeout),
                rollback_maximum_batch_size=(_capacity(r.rollback_batch_percent, r.rollback_batch_instances)
                                             if r.rollback_batch_percent is not None
                                             or r.rollback_batch_instances is not None else None),
            )}
        bg = self.blue_green if self.blue_green is not None else BlueGreenPolicy()  # validated: one is set
        step = _capacity(bg.step_percent, bg.step_instances) if bg.traffic != "ALL_AT_ONCE" else None
        return {"blue_green_update_policy": sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty(
            traffic_routing_configuration=sagemaker.CfnEndpoint.TrafficRoutingConfigProperty(
                type=bg.traffic,
                wait_interval_in_seconds=_wait(bg.wait),
                canary_size=step if bg.traffic == "CANARY" else None,
                linear_step_size=step if bg.traffic == "LINEAR" else None,
            ),
            termination_wait_in_seconds=render_seconds(bg.termination_wait),
            maximum_execution_timeout_in_seconds=render_seconds(bg.maximum_execution_timeout),
        )}


# -- validation of a strategy against an endpoint's variants ---------------------------------------------------
def _validate(s: DeploymentStrategy, p: Problems, variants: Sequence[IEndpointVariant]) -> None:
    """Record everything about this strategy that SageMaker would reject or silently downgrade on an endpoint
    with ``variants``."""
    if s.blue_green is not None and s.rolling_update is not None:
        p.add_message("deployment must set one of blue_green and rolling_update (SageMaker takes one update "
                      "policy), got both: use DeploymentStrategy.rolling(...) or one of all_at_once/canary/linear")
    elif s.blue_green is None and s.rolling_update is None:
        p.add_message("deployment must set blue_green or rolling_update, got neither: build it with "
                      "DeploymentStrategy.all_at_once/canary/linear/rolling")
    _check_types(s, p)
    _check_endpoint_kind(s, p, variants)
    if s.blue_green is not None:
        _check_blue_green(s, p, variants, s.blue_green)
    if s.rolling_update is not None:
        _check_rolling(s, p, variants, s.rolling_update)
    if isinstance(s.rollback, Rollback):
        p.extend(s.rollback.problems(variants))
    else:
        p.add("rollback", "must be a cdk_sagemaker.Rollback (e.g. Rollback(default_alarms=False, alarms=[...]))",
              s.rollback)


def _check_types(s: DeploymentStrategy, p: Problems) -> None:
    """Every Duration option must be a ``Duration`` (a bare number would be a guess at the unit)."""
    durations: list[tuple[str, object]] = []
    if s.blue_green is not None:
        bg = s.blue_green
        durations += [("wait", bg.wait), ("termination_wait", bg.termination_wait),
                      ("maximum_execution_timeout", bg.maximum_execution_timeout)]
    if s.rolling_update is not None:
        r = s.rolling_update
        durations += [("wait", r.wait), ("maximum_execution_timeout", r.maximum_execution_timeout)]
    for name, value in durations:
        msg = check_duration(name, value)
        if msg:
            p.add_message(msg)


def _strategy_name(s: DeploymentStrategy) -> str:
    if s.rolling_update is not None and s.blue_green is None:
        return "rolling"
    if s.blue_green is not None:
        return s.blue_green.traffic.lower()
    return "deployment"


def _check_endpoint_kind(s: DeploymentStrategy, p: Problems, variants: Sequence[IEndpointVariant]) -> None:
    name = _strategy_name(s)
    if any(v.kind == "serverless" for v in variants):
        # [exclusions]: rolling deployments exclude serverless endpoints; blue/green traffic shifting is not
        # excluded, but a serverless variant has no instances, so steps are given in percent.
        if s.rolling_update is not None:
            p.add("deployment", "must be a blue/green strategy for a serverless endpoint (SageMaker does not "
                  "support rolling deployments on serverless endpoints): use DeploymentStrategy.all_at_once(), "
                  "canary(percent=...) or linear(percent=...)", name)
        elif s.blue_green is not None and _uses_instance_steps(s.blue_green):
            p.add("deployment", "steps must be given in percent for a serverless endpoint (it has no "
                  "instances to count)", name)
    for v in variants:
        excluded = _guardrail_exclusion(v)
        if excluded:
            # [exclusions]: these endpoints fall back to blue/green all at once with no final baking period,
            # so any strategy here would be silently downgraded and its alarms never watched.
            p.add("deployment", f"must not be set on variant {v.variant_name!r}, which uses {excluded} "
                  "(SageMaker ignores deployment guardrails there and updates all at once with no baking "
                  "period or alarm-based rollback): remove deployment=", name)
    if s.rolling_update is not None and len(variants) > 1:
        # [exclusions]: rolling deployments exclude multi-variant endpoints.
        p.add("deployment", "rolling must not be used on a multi-variant endpoint (SageMaker supports rolling "
              "updates on single-variant endpoints only): use DeploymentStrategy.canary(...) or linear(...)",
              [v.variant_name for v in variants])


def _check_duration(p: Problems, param: str, value: Duration | None, shape: str) -> None:
    seconds = to_seconds(value)
    if seconds is None or is_unresolved(seconds):
        return
    lo, hi = _limits.bounds(shape)
    if not float(seconds).is_integer():
        p.add(param, "must be a whole number of seconds", f"{seconds} s")
    elif not _limits.check_range(seconds, lo, hi):
        p.add(param, f"must be {_limits.range_text(lo, hi)} seconds ({shape})", f"{int(seconds)} s")


def _check_timeout(s: DeploymentStrategy, p: Problems, param: str, timeout: Duration | None,
                   waits: Sequence[Duration | None]) -> None:
    total = to_seconds(timeout)
    parts = [to_seconds(w) for w in waits]
    if total is None or is_unresolved(total) or any(s is not None and is_unresolved(s) for s in parts):
        return
    # botocore BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds: "should be larger than the total waiting
    # time specified in TerminationWaitInSeconds and WaitIntervalInSeconds".
    waited = sum(s for s in parts if s is not None)
    if total <= waited:
        p.add(param, f"must be longer than the waits it covers ({int(waited)} s)", f"{int(total)} s")


def _check_step(s: DeploymentStrategy, p: Problems, variants: Sequence[IEndpointVariant], kind: str, param: str,
                percent: int | None, instances: int | None, *, required: bool = True) -> None:
    lo_pct, hi_pct = _STEP_RANGES[kind]
    struct, member = _STEP_DOCS[kind]
    what = {"CANARY": "the canary", "LINEAR": "a linear step", "ROLLING": "a rolling batch"}[kind]
    if percent is not None and instances is not None:
        p.add(f"{param}percent/{param}instances", "are exclusive: give one", (percent, instances))
        return
    if percent is None and instances is None:
        if required:
            p.add(f"{param}percent", f"or {param}instances must size {what}", None)
        return
    lo_val, _ = _limits.bounds("CapacitySizeValue")
    if percent is not None:
        if not _limits.check_range(percent, lo_pct, hi_pct):
            p.add(f"{param}percent", f"must be between {lo_pct} and {hi_pct} percent of the instances for "
                  f"{what} ({struct}.{member}); for a larger share use fewer, bigger steps or all_at_once",
                  percent)
            return
    elif instances is not None and not _limits.check_range(instances, lo_val, None):
        p.add(f"{param}instances", f"must be {_limits.range_text(lo_val, None)}", instances)
        return
    for v in variants:
        count = v.initial_instance_count
        if count is None or is_unresolved(count):
            continue
        if percent is not None:
            # How SageMaker turns a percentage into instances is not documented; we assume at least one
            # instance, rounded up, and require a step smaller than the fleet.
            size = max(1, math.ceil(percent * count / 100))
            if size >= count:
                p.add(f"{param}percent", f"must leave {what} smaller than the {count} instance(s) of variant "
                      f"{v.variant_name!r} ({percent}% rounds up to {size}): raise instance_count to at least "
                      f"2, or use DeploymentStrategy.all_at_once()", percent)
        elif instances is not None:
            share = 100 * instances / count
            if not lo_pct <= share <= hi_pct:
                allowed_lo = max(1, math.ceil(lo_pct * count / 100))
                allowed_hi = math.floor(hi_pct * count / 100)
                allowed = (f"between {allowed_lo} and {allowed_hi}" if allowed_lo <= allowed_hi
                           else "impossible (no whole number fits)")
                p.add(f"{param}instances", f"must be {lo_pct}-{hi_pct}% of the {count} instances of variant "
                      f"{v.variant_name!r} for {what} ({struct}.{member}), i.e. {allowed}", instances)


def _check_blue_green(s: DeploymentStrategy, p: Problems, variants: Sequence[IEndpointVariant],
                      bg: BlueGreenPolicy) -> None:
    allowed = _limits.enum("TrafficRoutingConfigType")
    if bg.traffic not in allowed:
        p.add("blue_green.traffic", f"must be one of {sorted(allowed)}", bg.traffic)
        return
    if bg.traffic == "ALL_AT_ONCE":
        if bg.step_percent is not None or bg.step_instances is not None:
            p.add("blue_green.step_percent/step_instances", "apply only to CANARY and LINEAR traffic, not "
                  "ALL_AT_ONCE: use DeploymentStrategy.canary(...) or linear(...)",
                  bg.step_percent if bg.step_percent is not None else bg.step_instances)
    else:
        _check_step(s, p, variants, bg.traffic, "", bg.step_percent, bg.step_instances)
    _check_duration(p, "wait", bg.wait, "WaitIntervalInSeconds")
    _check_duration(p, "termination_wait", bg.termination_wait, "TerminationWaitInSeconds")
    _check_duration(p, "maximum_execution_timeout", bg.maximum_execution_timeout,
                         "MaximumExecutionTimeoutInSeconds")
    _check_timeout(s, p, "maximum_execution_timeout", bg.maximum_execution_timeout,
                        [bg.wait or Duration.seconds(_DEFAULT_WAIT_SECONDS), bg.termination_wait])


def _check_rolling(s: DeploymentStrategy, p: Problems, variants: Sequence[IEndpointVariant], r: RollingPolicy) -> None:
    _check_step(s, p, variants, "ROLLING", "batch_", r.batch_percent, r.batch_instances)
    if r.rollback_batch_percent is not None and r.rollback_batch_instances is not None:
        p.add("rollback_batch_percent/rollback_batch_instances", "are exclusive: give one",
              (r.rollback_batch_percent, r.rollback_batch_instances))
    elif r.rollback_batch_percent is not None and not 1 <= r.rollback_batch_percent <= 100:
        p.add("rollback_batch_percent", "must be between 1 and 100 percent of the instances",
              r.rollback_batch_percent)
    elif r.rollback_batch_instances is not None:
        lo, _ = _limits.bounds("CapacitySizeValue")
        for v in variants:
            count = v.initial_instance_count
            if count is not None and not _limits.check_range(r.rollback_batch_instances, lo, count):
                p.add("rollback_batch_instances", f"must be between {int(lo or 1)} and the {count} instances "
                      f"of variant {v.variant_name!r}", r.rollback_batch_instances)
    _check_duration(p, "wait", r.wait, "WaitIntervalInSeconds")
    _check_duration(p, "maximum_execution_timeout", r.maximum_execution_timeout,
                         "MaximumExecutionTimeoutInSeconds")
    _check_timeout(s, p, "maximum_execution_timeout", r.maximum_execution_timeout,
                        [r.wait or Duration.seconds(_DEFAULT_WAIT_SECONDS)])


def _wait(value: Duration | None) -> float:
    """The baking period in whole seconds. Default: 5 minutes."""
    seconds = render_seconds(value)
    return _DEFAULT_WAIT_SECONDS if seconds is None else seconds


def _capacity(percent: int | None, instances: int | None) -> sagemaker.CfnEndpoint.CapacitySizeProperty:
    """A step or batch size (validated: exactly one of ``percent`` and ``instances`` is given)."""
    if percent is None and instances is not None:
        return sagemaker.CfnEndpoint.CapacitySizeProperty(type="INSTANCE_COUNT", value=instances)
    return sagemaker.CfnEndpoint.CapacitySizeProperty(type="CAPACITY_PERCENT", value=percent or 0)


def _uses_instance_steps(policy: BlueGreenPolicy) -> bool:
    """True when a blue/green policy sizes its canary or linear step in instances."""
    return policy.step_instances is not None


def _guardrail_exclusion(variant: IEndpointVariant) -> str | None:
    """The feature of ``variant`` that excludes it from deployment guardrails ([exclusions]), or None."""
    if variant.instance_type is not None and variant.instance_type.startswith("ml.inf1."):
        return f"Inf1 instances ({variant.instance_type})"
    if variant.accelerator_type:
        return f"Elastic Inference ({variant.accelerator_type})"
    if variant.model is not None:
        account = Stack.of(variant.scope).account
        stated = getattr(variant.model, "model_package", None)
        if isinstance(stated, ModelPackage):  # Model(model_package=...): what the user said, else what the ARN shows
            return f"an AWS Marketplace model package ({stated.arn})" if stated.is_marketplace(account) else None
        cfn_model = variant.model.cfn_model
        containers = [cfn_model.primary_container]
        if isinstance(cfn_model.containers, list):
            containers.extend(cfn_model.containers)
        for c in containers:
            if not isinstance(c, sagemaker.CfnModel.ContainerDefinitionProperty):
                continue
            package = c.model_package_name
            if not isinstance(package, str) or is_unresolved(package):
                continue
            # AWS Marketplace model packages are unversioned packages in the seller's account; a versioned package
            # (model-package/<group>/<version>) is a Model Registry version in any account and keeps its guardrails
            # (ModelPackage.is_marketplace).
            if ModelPackage.from_arn(package).is_marketplace(account):
                owner = ModelPackage.from_arn(package).account
                return f"a model package from account {owner}, i.e. an AWS Marketplace container ({package})"
    return None


def physical_endpoint_name(endpoint: Construct) -> str:
    """A stable endpoint name known at synth time: ``<stack name>-<path below the stack>-<hash>``, at most the
    63 characters ``EndpointName`` allows. The hash covers the stack name and the full path, so two endpoints never
    share a name even after truncation."""
    stack = Stack.of(endpoint)
    stack_name = stack.node.id if is_unresolved(stack.stack_name) else stack.stack_name
    below = node_path(endpoint)[len(node_path(stack)):].strip("/").split("/") if node_path(stack) else \
        node_path(endpoint).split("/")
    digest = hashlib.sha256(f"{stack_name}/{node_path(endpoint)}".encode()).hexdigest()[:8]
    parts = [re.sub(r"[^A-Za-z0-9]+", "-", s).strip("-") for s in (stack_name, *below)]
    base = "-".join(x for x in parts if x)
    _, hi = _limits.bounds("EndpointName")
    limit = int(hi or 63) - len(digest) - 1
    return f"{base[:limit].rstrip('-')}-{digest}"


@jsii.implements(IAnyProducer)
class _RollbackAlarms:
    """Produces ``AutoRollbackConfiguration.Alarms`` from a binding's alarms when the template is synthesized."""

    def __init__(self, binding: DeploymentBinding) -> None:
        self._binding = binding

    def produce(self, context: IResolveContext) -> Any:
        return [sagemaker.CfnEndpoint.AlarmProperty(alarm_name=a.alarm_name) for a in self._binding.alarms]


class DeploymentBinding:
    """What a :class:`DeploymentStrategy` made for one endpoint: the fixed endpoint name, the rollback alarms
    (for dashboards and paging), and the rendered ``DeploymentConfig``. Available as ``endpoint.deployment``.
    """

    def __init__(self, endpoint: Construct, strategy: DeploymentStrategy,
                 variants: Sequence[IEndpointVariant]) -> None:
        self.endpoint = endpoint
        self.strategy = strategy
        self.variants = tuple(variants)
        #: The endpoint's name, fixed at synth time so alarms can name it before it exists.
        self.endpoint_name: str = physical_endpoint_name(endpoint)
        self._extra: list[cloudwatch.IAlarm] = list(strategy.rollback.alarms)
        #: The alarms this strategy created, per variant name: ``{"AllTraffic": (errors, latency)}``.
        self.default_alarms: dict[str, tuple[cloudwatch.Alarm, cloudwatch.Alarm]] = {}
        if strategy.rollback.default_alarms:
            for v in self.variants:
                self.default_alarms[v.variant_name] = self._create_default_alarms(v.variant_name)
        self._describe_statements: list[iam.PolicyStatement] = []
        self._grant_describe_alarms(self.alarms)
        # The alarm list is produced at synth, so alarms added later with add_alarm are in it too.
        rollback = sagemaker.CfnEndpoint.AutoRollbackConfigProperty(alarms=Lazy.uncached_any(_RollbackAlarms(self)))
        #: The rendered ``DeploymentConfig`` (its rollback alarm list is a token: every alarm of :attr:`alarms`,
        #: those added with :meth:`add_alarm` included).
        self.config = sagemaker.CfnEndpoint.DeploymentConfigProperty(
            auto_rollback_configuration=rollback if (self._extra or self.default_alarms) else None,
            **strategy._render_policy(self),
        )

    # -- public API -------------------------------------------------------------------------------------------
    @property
    def alarms(self) -> tuple[cloudwatch.IAlarm, ...]:
        """Every alarm that rolls an update back: the default ones first, then yours."""
        defaults = tuple(a for pair in self.default_alarms.values() for a in pair)
        return (*defaults, *self._extra)

    def add_alarm(self, alarm: cloudwatch.IAlarm) -> None:
        """Roll back on ``alarm`` too. Build alarms on this endpoint's metrics with :meth:`metric` (the endpoint's
        own ``metric_*`` reference the endpoint, which would make a cycle with its rollback configuration)."""
        _, hi = _limits.list_bounds("AlarmList")
        if not self.default_alarms and not self._extra:
            raise ValidationError(node_path(self.endpoint), [
                "add_alarm needs a strategy that already has rollback alarms (the DeploymentConfig was rendered "
                "without AutoRollbackConfiguration), got none: pass rollback=Rollback(alarms=[...]) to the strategy "
                "instead"])
        if hi is not None and len(self.alarms) + 1 > hi:
            raise ValidationError(node_path(self.endpoint), [
                f"alarms must total at most {hi} rollback alarms (AlarmList), got {len(self.alarms) + 1}"])
        self._extra.append(alarm)
        self._grant_describe_alarms([alarm])

    def metric(
        self, metric_name: str, *, variant_name: str | None = None, statistic: str = "Sum",
        namespace: str = "AWS/SageMaker", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """A metric of one variant that names the endpoint by :attr:`endpoint_name` (no reference to the endpoint
        resource), for alarms that roll it back. Default: the first production variant, Sum over 1 minute."""
        variant = variant_name or self.variants[0].variant_name
        return build_metric(self.endpoint, metric_name, {"EndpointName": self.endpoint_name, "VariantName": variant},
                            namespace=namespace, statistic=statistic, period=period, label=label, unit=unit,
                            color=color, account=account, region=region)

    # -- building ---------------------------------------------------------------------------------------------
    def _create_default_alarms(self, variant: str) -> tuple[cloudwatch.Alarm, cloudwatch.Alarm]:
        s = self.strategy.rollback
        path = node_path(self.endpoint)
        # Each request adds 0 or 1 to Invocation5XXErrors, so its Average is the share of requests that failed
        # ([rollback] uses the same Average form for its error-rate example).
        errors = cloudwatch.Alarm(
            self.endpoint, f"RollbackErrors{variant}",
            metric=self.metric("Invocation5XXErrors", variant_name=variant, statistic="Average"),
            threshold=s.max_error_rate, evaluation_periods=3, datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"Rolls back an update of SageMaker endpoint {path} when more than "
                              f"{s.max_error_rate:.2%} of variant {variant}'s requests fail with a 5XX.",
        )
        latency_s = to_seconds(s.latency_threshold)
        latency_s = _DEFAULT_LATENCY_SECONDS if latency_s is None else latency_s
        latency = cloudwatch.Alarm(
            self.endpoint, f"RollbackLatency{variant}",
            # ModelLatency is reported in microseconds.
            metric=self.metric("ModelLatency", variant_name=variant, statistic=s.latency_statistic),
            threshold=latency_s * 1_000_000, evaluation_periods=3, datapoints_to_alarm=2,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"Rolls back an update of SageMaker endpoint {path} when variant {variant}'s "
                              f"{s.latency_statistic} model latency exceeds {latency_s:g} s.",
        )
        for alarm in (errors, latency):
            for action in s.alarm_actions:
                alarm.add_alarm_action(action)
            if not s.alarm_actions:
                from cdk_sagemaker.constructs._nag import acknowledge

                for pack in ("NIST.800.53.R5", "HIPAA.Security"):
                    acknowledge(alarm, f"{pack}-CloudWatchAlarmAction",
                                "SageMaker's deployment guardrail is this alarm's consumer: it reads the alarm "
                                "state during an endpoint update and rolls the update back. No notification was "
                                "asked for (pass alarm_actions=... to page someone as well).")
        return errors, latency

    def _grant_describe_alarms(self, alarms: Sequence[cloudwatch.IAlarm]) -> None:
        """Let every principal SageMaker acts as for this endpoint call ``cloudwatch:DescribeAlarms`` on exactly
        ``alarms``. The one place that grants it: the default alarms, ``alarms=[...]`` of the strategy and
        :meth:`add_alarm` all come through here, so no alarm reaches ``AutoRollbackConfiguration`` unreadable.

        [rollback]: "Ensure that your IAM execution role has permission to perform the cloudwatch:DescribeAlarms
        action on the auto-rollback alarms you specify." The guide does not say which role; an endpoint has no
        role of its own, so the roles SageMaker assumes for it are the execution role of each variant's model
        (CreateModel ``ExecutionRoleArn``) and, for an inference-component endpoint, the endpoint config's
        ``ExecutionRoleArn`` (CreateEndpointConfig: "an IAM role that SageMaker AI can assume to perform actions on
        your behalf"). Every one of them gets the grant: the variants' ``execution_principals()`` are exactly those
        principals (data capture writes as them too).
        """
        if not alarms:
            return
        # ARNs built from the alarm names rather than GetAtt Arn: the same ARN (AutoRollbackConfiguration names
        # alarms of the endpoint's own account and region), it works for imported alarms and composite alarms
        # alike, and deployers that skip alarms (moto's CloudFormation) can still resolve the policy.
        stack = Stack.of(self.endpoint)
        arns = [stack.format_arn(service="cloudwatch", resource="alarm", resource_name=a.alarm_name,
                                 arn_format=ArnFormat.COLON_RESOURCE_NAME) for a in alarms]
        if self._describe_statements:
            # Later alarms (add_alarm) widen the statements already added: one statement per principal.
            for statement in self._describe_statements:
                statement.add_resources(*arns)
            return
        principals: list[PolicySink] = []
        for v in self.variants:
            principals += [p for p in v.execution_principals() if all(p is not q for q in principals)]
        for principal in principals:
            statement = iam.PolicyStatement(actions=["cloudwatch:DescribeAlarms"], resources=arns)
            principal.add_to_role_policy(statement)
            self._describe_statements.append(statement)
