"""Readiness rules for auto-scaled SageMaker variants (94xx).

Each rule reads an ``AWS::ApplicationAutoScaling::ScalableTarget`` on a SageMaker variant
(``sagemaker:variant:DesiredInstanceCount`` or ``...:DesiredProvisionedConcurrency``, ``ResourceId``
``endpoint/<name>/variant/<variant>``) together with the endpoint, endpoint config and scaling policies of the same
template.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker._schedules import schedule_problems
from cdk_sagemaker.rules._facts import is_burstable
from cdk_sagemaker.rules._rule import EachRule, TemplateRule
from cdk_sagemaker.rules._template import (
    INSTANCE_COUNT,
    PROVISIONED_CONCURRENCY,
    SCALABLE_TARGET,
    ScaledVariant,
    Template,
    alarm_metric_names,
    alarms_triggering,
    as_list,
    config_of_endpoint,
    get,
    is_async,
    is_serverless,
    number,
    policies_of_target,
    props,
    refs_in,
    resolve_str,
    resource,
    resources,
    scaled_variants,
    target,
    truthy,
    type_of,
    variant_named,
)

COPY_COUNT = "sagemaker:inference-component:DesiredCopyCount"

_TAGS = ["sagemaker", "cdk-sagemaker", "scaling"]



def _where(sv: ScaledVariant) -> str:
    v = f" variant {sv.variant_name}" if sv.variant_name else ""
    e = f" of endpoint {sv.endpoint_id}" if sv.endpoint_id else ""
    return f"scalable target {sv.target_id} ({sv.dimension}{v}{e})"


class _VariantRule(EachRule):
    """A rule over the scalable targets of SageMaker variants (and inference components)."""

    tags: list[str] = _TAGS

    def each(self, t: Template) -> Iterator[tuple[ScaledVariant]]:
        return ((sv,) for sv in scaled_variants(t))


class RetainScaledVariantProperties(TemplateRule, CloudFormationLintRule):
    """An endpoint update that deploys a new endpoint config (a new model version, any config change) sets every
    variant back to the config's ``InitialInstanceCount`` / provisioned concurrency unless ``UpdateEndpoint`` is
    called with ``RetainAllVariantProperties``; CloudFormation passes the endpoint's ``RetainAllVariantProperties``.
    An auto-scaled variant therefore drops to its initial capacity on every deploy, at peak too.
    Source: Amazon SageMaker developer guide, "Update endpoints that use auto scaling",
    https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html (step 6), and the UpdateEndpoint API
    reference, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html.
    """

    id = "W9401"
    shortdesc = "Auto-scaled endpoint without RetainAllVariantProperties"
    description = ("An endpoint whose variant is an Application Auto Scaling target must set "
                   "RetainAllVariantProperties, or every update resets the scaled capacity to the initial value")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        seen: set[str] = set()
        for sv in scaled_variants(t):
            if sv.endpoint_id is None or sv.endpoint_id in seen:
                continue
            endpoint = resource(t, sv.endpoint_id)
            if truthy(props(endpoint).get("RetainAllVariantProperties")):
                continue
            seen.add(sv.endpoint_id)
            if sv.dimension == PROVISIONED_CONCURRENCY:
                # VariantProperty documents DesiredInstanceCount, DesiredWeight and DataCaptureConfig only: retention
                # of provisioned concurrency is not documented, so the fix names both ways.
                fix = ("Set RetainAllVariantProperties: true (the retained variant properties are documented for "
                       "instance counts and weights, not provisioned concurrency), and keep ProvisionedConcurrency "
                       "in the config in step with the capacity the scaling policy holds.")
                what = "provisioned concurrency"
            else:
                fix = ("Set RetainAllVariantProperties: true (list in ExcludeRetainedVariantProperties what an "
                       "update must change, e.g. DesiredWeight).")
                what = "instance count"
            yield RuleMatch(
                ["Resources", sv.endpoint_id, "Properties"],
                f"Endpoint {sv.endpoint_id} is auto-scaled by {sv.target_id} but does not set "
                f"RetainAllVariantProperties: every update that deploys a new endpoint config resets the scaled "
                f"{what} to the config's initial value. {fix}",
            )


class ScaleToZeroUnsupported(_VariantRule, CloudFormationLintRule):
    """Only asynchronous endpoints scale a variant's instance count down to zero; a real-time endpoint scales to zero
    instances only when it hosts inference components (their copy counts scale, with ``ManagedInstanceScaling``
    ``MinInstanceCount`` 0 on the config). A real-time variant registered with ``MinCapacity`` 0 cannot go to zero
    and the console requires at least one instance.
    Source: Amazon SageMaker developer guide, "Autoscale an asynchronous endpoint",
    https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html ("Unlike other hosted models ...
    with Asynchronous Inference you can also scale down your asynchronous endpoints instances to zero") and
    "Scale an endpoint to zero instances",
    https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html; Application Auto
    Scaling API reference, "RegisterScalableTarget" (MinCapacity: 0 only for the resources listed there, at least 1
    for all others), https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html.
    """

    id = "E9402"
    shortdesc = "MinCapacity 0 on a variant that cannot scale to zero"
    description = "Only asynchronous endpoint variants (and inference components) can scale to zero instances"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html"

    def check(self, t: Template, sv: ScaledVariant) -> Iterator[RuleMatch]:
        p = props(resource(t, sv.target_id))
        if number(p.get("MinCapacity")) != 0 or sv.config_id is None:
            return
        config = sv.config(t)
        if sv.dimension == INSTANCE_COUNT and is_async(config):
            return
        kind = "a serverless variant's provisioned concurrency" if sv.dimension == PROVISIONED_CONCURRENCY \
            else "a real-time variant"
        yield RuleMatch(
            ["Resources", sv.target_id, "Properties", "MinCapacity"],
            f"{_where(sv)} has MinCapacity 0, but {kind} cannot scale to zero (only asynchronous endpoints, "
            f"and inference components, can). Set MinCapacity to at least 1, or use an asynchronous endpoint "
            f"(AsyncInferenceConfig on {sv.config_id}) to scale to zero.",
        )


class AsyncScaleFromZero(_VariantRule, CloudFormationLintRule):
    """An asynchronous variant that scales in to zero instances only scales out again when the target-tracking
    backlog per instance exceeds its target, which at zero instances may take long or never happen; SageMaker's
    guide adds a step scaling policy triggered by a CloudWatch alarm on ``HasBacklogWithoutCapacity`` to start an
    instance as soon as a request waits.
    Source: Amazon SageMaker developer guide, "Autoscale an asynchronous endpoint", section "Optional: Define a
    scaling policy that scales up from zero for new requests",
    https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html.
    """

    id = "W9403"
    shortdesc = "Async scale-to-zero without a HasBacklogWithoutCapacity scale-out"
    description = ("An asynchronous variant with MinCapacity 0 needs a step scaling policy on a "
                   "HasBacklogWithoutCapacity alarm to scale out from zero")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html"

    def check(self, t: Template, sv: ScaledVariant) -> Iterator[RuleMatch]:
        p = props(resource(t, sv.target_id))
        if number(p.get("MinCapacity")) != 0 or sv.dimension != INSTANCE_COUNT:
            return
        if not is_async(sv.config(t)):
            return
        found = False
        for pol_id, pol in policies_of_target(t, sv.target_id):
            if props(pol).get("PolicyType") != "StepScaling":
                continue
            if any("HasBacklogWithoutCapacity" in alarm_metric_names(a)
                   for _, a in alarms_triggering(t, pol_id)):
                found = True
        if not found:
            yield RuleMatch(
                ["Resources", sv.target_id, "Properties", "MinCapacity"],
                f"{_where(sv)} lets the asynchronous endpoint scale in to zero instances, but no step scaling "
                f"policy on it is triggered by a HasBacklogWithoutCapacity alarm: from zero the endpoint only "
                f"scales out once the backlog exceeds the target-tracking value. Add an "
                f"AWS::ApplicationAutoScaling::ScalingPolicy (StepScaling, ChangeInCapacity +1) on this target and "
                f"an AWS::CloudWatch::Alarm on AWS/SageMaker HasBacklogWithoutCapacity >= 1 whose AlarmActions "
                f"name it.",
            )


class BurstableAutoScaling(_VariantRule, CloudFormationLintRule):
    """Application Auto Scaling refuses to register a SageMaker variant that runs on a burstable performance
    instance such as T2: those already burst under load.
    Source: Amazon SageMaker developer guide, "Configure model auto scaling with the console" (validation checks on
    registration), https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-console.html.
    """

    id = "E9404"
    shortdesc = "Auto scaling a burstable (ml.t2) instance"
    description = "SageMaker does not auto-scale variants on burstable performance instances (ml.t2)"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-console.html"

    def check(self, t: Template, sv: ScaledVariant) -> Iterator[RuleMatch]:
        if sv.variant is None or sv.dimension != INSTANCE_COUNT:
            return
        itype = sv.variant.get("InstanceType")
        if isinstance(itype, str) and is_burstable(itype):
            yield RuleMatch(
                ["Resources", sv.target_id, "Properties", "ResourceId"],
                f"{_where(sv)} targets a variant on {itype}, a burstable instance that SageMaker cannot "
                f"auto-scale (registration fails). Use a non-burstable InstanceType (e.g. ml.m5.large) in "
                f"{sv.config_id}, or remove the scalable target.",
            )


# Metrics the variant kinds do not publish (AWS/SageMaker namespace) and predefined metric types per kind.
_ASYNC_SILENT = frozenset({"InvocationsPerInstance", "Invocations", "OverheadLatency"})


class MetricNotEmitted(_VariantRule, CloudFormationLintRule):
    """A target-tracking policy on a metric the variant never publishes never scales: asynchronous endpoints do not
    publish ``Invocations``, ``InvocationsPerInstance`` or ``OverheadLatency`` (scale them on
    ``ApproximateBacklogSizePerInstance``); ``SageMakerVariantProvisionedConcurrencyUtilization`` exists only for
    serverless provisioned concurrency, and ``SageMakerVariantInvocationsPerInstance`` only for instance-based
    variants.
    Source: Amazon SageMaker developer guide, "Alarms and logs for tracking metrics from asynchronous endpoints",
    https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html ("Any metric not listed below is
    not published if the endpoint is enabled for asynchronous inference"), and "Auto scaling policy overview",
    https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-policy.html.
    """

    id = "W9405"
    shortdesc = "Target tracking on a metric the variant does not emit"
    description = "A scaling policy tracks a metric that this kind of variant does not publish"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html"

    def check(self, t: Template, sv: ScaledVariant) -> Iterator[RuleMatch]:
        config = sv.config(t)
        if config is None:
            return
        asynchronous = is_async(config)
        serverless = is_serverless(sv.variant)
        for pol_id, pol in policies_of_target(t, sv.target_id):
            ttc = props(pol).get("TargetTrackingScalingPolicyConfiguration")
            predefined = get(ttc, "PredefinedMetricSpecification", "PredefinedMetricType")
            custom = get(ttc, "CustomizedMetricSpecification")
            path = ["Resources", pol_id, "Properties", "TargetTrackingScalingPolicyConfiguration"]
            problem = None
            if predefined == "SageMakerVariantInvocationsPerInstance" and asynchronous:
                problem = ("tracks SageMakerVariantInvocationsPerInstance, which an asynchronous endpoint does not "
                           "publish; track a CustomizedMetricSpecification on AWS/SageMaker "
                           "ApproximateBacklogSizePerInstance (dimension EndpointName) instead")
            elif predefined == "SageMakerVariantInvocationsPerInstance" and (
                    serverless or sv.dimension == PROVISIONED_CONCURRENCY):
                problem = ("tracks SageMakerVariantInvocationsPerInstance on serverless provisioned concurrency; "
                           "track SageMakerVariantProvisionedConcurrencyUtilization instead")
            elif predefined == "SageMakerVariantProvisionedConcurrencyUtilization" and not serverless:
                problem = ("tracks SageMakerVariantProvisionedConcurrencyUtilization, which only serverless "
                           "variants with provisioned concurrency publish; track "
                           "SageMakerVariantInvocationsPerInstance or a utilization metric instead")
            elif asynchronous and isinstance(custom, Mapping):
                name = custom.get("MetricName")
                ns = custom.get("Namespace")
                if isinstance(name, str) and name in _ASYNC_SILENT and ns in ("AWS/SageMaker", None):
                    problem = (f"tracks AWS/SageMaker {name}, which an asynchronous endpoint does not publish; "
                               f"track ApproximateBacklogSizePerInstance instead")
            if problem:
                yield RuleMatch(path, f"Scaling policy {pol_id} on {_where(sv)} {problem}.")


class CapacityBounds(_VariantRule, CloudFormationLintRule):
    """``RegisterScalableTarget`` rejects a minimum capacity above the maximum capacity.
    Source: Application Auto Scaling API reference, "RegisterScalableTarget",
    https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html.
    """

    id = "E9406"
    shortdesc = "Scalable target MinCapacity above MaxCapacity"
    description = "A SageMaker variant's scalable target has MinCapacity above MaxCapacity"
    source_url = "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html"

    def check(self, t: Template, sv: ScaledVariant) -> Iterator[RuleMatch]:
        p = props(resource(t, sv.target_id))
        lo, hi = number(p.get("MinCapacity")), number(p.get("MaxCapacity"))
        if lo is not None and hi is not None and lo > hi:
            yield RuleMatch(["Resources", sv.target_id, "Properties", "MinCapacity"],
                                 f"{_where(sv)} has MinCapacity {lo:g} above MaxCapacity {hi:g}; registration "
                                 f"fails. Make MinCapacity <= MaxCapacity.")


class InitialCapacityOutsideRange(_VariantRule, CloudFormationLintRule):
    """A variant whose initial capacity (``InitialInstanceCount``, or serverless ``ProvisionedConcurrency``) lies
    outside the scalable target's [MinCapacity, MaxCapacity] starts at a capacity that auto scaling must correct at
    once, and (without RetainAllVariantProperties) returns to it on every update.
    Source: Amazon SageMaker developer guide, "Register a model" (the minimum and maximum the policy maintains),
    https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-policy.html, and "Update endpoints that
    use auto scaling", https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html.
    """

    id = "W9407"
    shortdesc = "Initial variant capacity outside the scaling range"
    description = "The endpoint config's initial capacity is outside the scalable target's [MinCapacity, MaxCapacity]"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-policy.html"

    def check(self, t: Template, sv: ScaledVariant) -> Iterator[RuleMatch]:
        if sv.variant is None:
            return
        p = props(resource(t, sv.target_id))
        lo, hi = number(p.get("MinCapacity")), number(p.get("MaxCapacity"))
        if lo is None or hi is None or lo > hi:
            return
        if sv.dimension == INSTANCE_COUNT:
            initial, field = number(sv.variant.get("InitialInstanceCount")), "InitialInstanceCount"
        else:
            initial = number(get(sv.variant, "ServerlessConfig", "ProvisionedConcurrency"))
            field = "ServerlessConfig.ProvisionedConcurrency"
        if initial is None or lo <= initial <= hi:
            return
        yield RuleMatch(
            ["Resources", sv.target_id, "Properties", "MinCapacity" if initial < lo else "MaxCapacity"],
            f"{_where(sv)} scales within [{lo:g}, {hi:g}] but the variant's {field} in {sv.config_id} is "
            f"{initial:g}: the endpoint starts (and restarts on updates) outside the scaling range. Set {field} "
            f"within [MinCapacity, MaxCapacity].",
        )


class InferenceComponentScaleToZero(TemplateRule, CloudFormationLintRule):
    """An endpoint scales to zero instances only through its inference components: each component's copy count is
    registered with ``MinCapacity`` 0, the variant's ``ManagedInstanceScaling`` has ``MinInstanceCount`` 0 (or the
    instances stay, and are paid for, when no copy runs), and a step scaling policy triggered by a CloudWatch alarm
    brings a copy back when a request arrives (without it the endpoint keeps failing requests at zero).
    Source: Amazon SageMaker developer guide, "Scale an endpoint to zero instances",
    https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html.
    """

    id = "W9408"
    shortdesc = "Inference component scaled to zero without the rest of the setup"
    description = ("An inference component's copy count may scale to 0, but the variant keeps a minimum of instances "
                   "or no alarm-driven step policy scales it out from zero")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for target_id, st in resources(t, SCALABLE_TARGET):
            p = props(st)
            if p.get("ScalableDimension") != COPY_COUNT or number(p.get("MinCapacity")) != 0:
                continue
            ic_id = next((r for r in sorted(refs_in(p.get("ResourceId")))
                          if type_of(t, r) == "AWS::SageMaker::InferenceComponent"), None)
            if ic_id is None:  # a literal inference-component/<name>
                literal = p.get("ResourceId")
                ic_id = next((i for i, ic in resources(t, "AWS::SageMaker::InferenceComponent")
                              if isinstance(literal, str)
                              and literal == f"inference-component/{props(ic).get('InferenceComponentName')}"), None)
            problems = []
            if ic_id is not None:
                ic = props(resource(t, ic_id))
                ep_id = target(ic.get("EndpointName"))
                cfg_id = config_of_endpoint(t, resource(t, ep_id) or {}) if ep_id else None
                v = variant_named(resource(t, cfg_id), ic.get("VariantName")) if cfg_id else None
                if v is not None:
                    mis = v.get("ManagedInstanceScaling")
                    if number(get(mis, "MinInstanceCount")) != 0:
                        problems.append(f"variant {v.get('VariantName')} of {cfg_id} does not set "
                                        f"ManagedInstanceScaling.MinInstanceCount 0, so its instances stay")
            steps = [pol_id for pol_id, pol in policies_of_target(t, target_id)
                     if props(pol).get("PolicyType") == "StepScaling" and alarms_triggering(t, pol_id)]
            if not steps:
                problems.append("no step scaling policy on this target is triggered by a CloudWatch alarm, so nothing "
                                "scales it out from zero copies when requests arrive")
            if problems:
                yield RuleMatch(
                    ["Resources", target_id, "Properties", "MinCapacity"],
                    f"Scalable target {target_id} lets inference component {ic_id or '?'} scale to zero copies, but "
                    f"{'; and '.join(problems)}. Set MinInstanceCount 0 (ManagedInstanceScaling, Status ENABLED) and "
                    f"add a StepScaling policy on this target with an alarm (e.g. on NoCapacityInvocationFailures) "
                    f"whose AlarmActions name it.",
                )


class ScheduledActionExpression(TemplateRule, CloudFormationLintRule):
    """Application Auto Scaling accepts a scheduled action's ``Schedule`` only as ``at(yyyy-mm-ddThh:mm:ss)``,
    ``rate(<positive integer> <unit>)`` with unit minute(s), hour(s) or day(s), or ``cron(...)`` with six fields
    (minutes hours day-of-month month day-of-week year, ``?`` in one of the two day fields, each field in its range);
    anything else fails ``PutScheduledAction``, and with it the scalable target's create or update. The library's
    ``ScheduledScaling`` validates with the same function (:mod:`cdk_sagemaker._schedules`), which also holds
    ``rate(1 day)`` / ``rate(2 days)`` to EventBridge's singular-for-1 rule. Not for
    ``AWS::AutoScaling::ScheduledAction`` (EC2 Auto Scaling uses five-field Unix cron). Source: Application Auto
    Scaling user guide, "Schedule recurring scaling actions using Application Auto Scaling",
    https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html, and
    the PutScheduledAction API reference (``Schedule``),
    https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html.
    """

    id = "E9409"
    shortdesc = "Scheduled scaling action with an invalid schedule expression"
    description = "ScheduledActions[].Schedule must be a valid at(...), rate(...) or six-field cron(...) expression"
    source_url = ("https://docs.aws.amazon.com/autoscaling/application/userguide/"
                  "scheduled-scaling-using-cron-expressions.html")
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for target_id, st in resources(t, SCALABLE_TARGET):
            for i, action in enumerate(as_list(props(st).get("ScheduledActions"))):
                expression = resolve_str(t, get(action, "Schedule"))
                if expression is None:
                    continue
                name = get(action, "ScheduledActionName")
                label = f"ScheduledActions[{i}]" + (f" ({name})" if isinstance(name, str) else "")
                for problem in schedule_problems(expression, param="Schedule", allow_at=True):
                    yield RuleMatch(
                        ["Resources", target_id, "Properties", "ScheduledActions", i, "Schedule"],
                        f"ScalableTarget {target_id}: {label}: {problem}; PutScheduledAction rejects it. Write "
                        "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) with each field in "
                        "range, rate(1 day) / rate(N days), or at(yyyy-mm-ddThh:mm:ss)")
