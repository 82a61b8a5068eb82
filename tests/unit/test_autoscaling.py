"""Auto-scaling: scalable target, target tracking, step scaling + alarms, schedules, per-variant ids, bad input."""

from __future__ import annotations

import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration, TimeZone
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.autoscaling import (
    AutoScaling,
    ScalingStep,
    ScheduledScaling,
    StepScaling,
    TargetTracking,
)
from cdk_sagemaker.constructs.endpoint import VariantSpec
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
POLICY = "AWS::ApplicationAutoScaling::ScalingPolicy"
TARGET = "AWS::ApplicationAutoScaling::ScalableTarget"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))


def _endpoint(stack: cdk.Stack, model: Model, scaling: AutoScaling | None, **kw: Any) -> RealtimeEndpoint:
    kw.setdefault("instance_count", 2)
    return RealtimeEndpoint(stack, "Endpoint", model=model, auto_scaling=scaling, **kw)


def _variant_dims(stack: cdk.Stack, ep: RealtimeEndpoint, variant: str = "AllTraffic") -> list[dict[str, Any]]:
    return [{"Name": "EndpointName", "Value": {"Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]}},
            {"Name": "VariantName", "Value": variant}]


def _policy(t: Template, name: str) -> dict[str, Any]:
    found = t.find_resources(POLICY, {"Properties": {"PolicyName": name}})
    assert len(found) == 1, sorted(r["Properties"]["PolicyName"] for r in t.find_resources(POLICY).values())
    props: dict[str, Any] = next(iter(found.values()))["Properties"]
    return props


# -- scalable target -------------------------------------------------------------------------------------------
def test_scalable_target_uses_service_linked_role_and_depends_on_endpoint_by_reference(stack: cdk.Stack,
                                                                                        model: Model) -> None:
    ep = _endpoint(stack, model, AutoScaling(min_capacity=2, max_capacity=8, invocations_per_instance=600))
    t = Template.from_stack(stack)
    target = ep.variants[0].scalable_target
    assert target is not None and ep.variants[0].scaling is not None
    assert ep.variants[0].scaling.node.default_child is target
    resource = t.to_json()["Resources"][stack.get_logical_id(target)]
    assert "DependsOn" not in resource
    assert resource["Properties"]["ResourceId"]["Fn::Join"][1][1] == {
        "Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]}
    t.has_resource_properties(TARGET, {"RoleARN": Match.absent(), "MinCapacity": 2, "MaxCapacity": 8,
                                       "ScalableDimension": "sagemaker:variant:DesiredInstanceCount"})
    t.resource_count_is("AWS::IAM::Role", 1)  # the model's execution role only


# -- target tracking -------------------------------------------------------------------------------------------
def test_invocations_target_cooldowns_and_disabled_scale_in(stack: cdk.Stack, model: Model) -> None:
    _endpoint(stack, model, AutoScaling(max_capacity=4, invocations_per_instance=600,
                                        scale_in_cooldown=Duration.minutes(10), scale_out_cooldown=Duration.seconds(60),
                                        disable_scale_in=True))
    t = Template.from_stack(stack)
    assert _policy(t, "AllTraffic-InvocationsPerInstance")["TargetTrackingScalingPolicyConfiguration"] == {
        "TargetValue": 600, "ScaleInCooldown": 600, "ScaleOutCooldown": 60, "DisableScaleIn": True,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}}


def test_load_test_factory_computes_per_minute_target() -> None:
    assert TargetTracking.from_load_test(12, safety_factor=0.5).target_value == 360
    assert AutoScaling(max_capacity=2, max_rps_per_instance=12, safety_factor=0.25).target_value == 180


@pytest.mark.parametrize(("factory", "metric", "namespace", "target"), [
    (TargetTracking.cpu_utilization(70), "CPUUtilization", "/aws/sagemaker/Endpoints", 70),
    (TargetTracking.gpu_utilization(60), "GPUUtilization", "/aws/sagemaker/Endpoints", 60),
    (TargetTracking.memory_utilization(80), "MemoryUtilization", "/aws/sagemaker/Endpoints", 80),
    (TargetTracking.model_latency(Duration.millis(200)), "ModelLatency", "AWS/SageMaker", 200_000),
    (TargetTracking.custom("OverheadLatency", 5000, statistic="Maximum"), "OverheadLatency", "AWS/SageMaker", 5000),
])
def test_customized_metric_policies(stack: cdk.Stack, model: Model, factory: TargetTracking, metric: str,
                                    namespace: str, target: float) -> None:
    ep = _endpoint(stack, model, AutoScaling(max_capacity=4, target_tracking=[factory]))
    t = Template.from_stack(stack)
    config = _policy(t, f"AllTraffic-{metric}")["TargetTrackingScalingPolicyConfiguration"]
    assert config["TargetValue"] == target
    assert config["CustomizedMetricSpecification"] == {
        "MetricName": metric, "Namespace": namespace, "Statistic": factory.statistic,
        "Dimensions": _variant_dims(stack, ep)}
    t.resource_count_is(POLICY, 1)  # no implicit InvocationsPerInstance policy next to an explicit list


def test_several_policies_on_one_variant_with_own_cooldowns(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, AutoScaling(
        max_capacity=6, invocations_per_instance=600, scale_in_cooldown=Duration.minutes(5),
        target_tracking=[TargetTracking.cpu_utilization(70, scale_in_cooldown=Duration.minutes(15),
                                                        disable_scale_in=True),
                         TargetTracking.model_latency(Duration.millis(300))]))
    t = Template.from_stack(stack)
    t.resource_count_is(POLICY, 3)
    target_id = stack.get_logical_id(ep.variants[0].scalable_target)  # type: ignore[arg-type]
    for props in (p["Properties"] for p in t.find_resources(POLICY).values()):
        assert props["ScalingTargetId"] == {"Ref": target_id}
    assert _policy(t, "AllTraffic-CPUUtilization")["TargetTrackingScalingPolicyConfiguration"]["ScaleInCooldown"] == 900
    assert _policy(t, "AllTraffic-CPUUtilization")["TargetTrackingScalingPolicyConfiguration"]["DisableScaleIn"]
    latency = _policy(t, "AllTraffic-ModelLatency")["TargetTrackingScalingPolicyConfiguration"]
    assert latency["ScaleInCooldown"] == 300 and "DisableScaleIn" not in latency
    scaling = ep.variants[0].scaling
    assert scaling is not None
    assert sorted(scaling.target_tracking_policies) == ["CPUUtilization", "InvocationsPerInstance", "ModelLatency"]


# -- step scaling ----------------------------------------------------------------------------------------------
def test_step_scale_out_creates_alarm_that_triggers_the_policy(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, AutoScaling(max_capacity=8, step_scaling=[StepScaling.scale_out(
        "Invocations", statistic="Sum", evaluation_periods=3, datapoints_to_alarm=2, cooldown=Duration.minutes(2),
        steps=[ScalingStep(at=1000, change=1), ScalingStep(at=3000, change=3)])]))
    t = Template.from_stack(stack)
    scaling = ep.variants[0].scaling
    assert scaling is not None
    policy = scaling.step_policies["Step1"]
    assert _policy(t, "AllTraffic-Step1")["StepScalingPolicyConfiguration"] == {
        "AdjustmentType": "ChangeInCapacity", "Cooldown": 120,
        "StepAdjustments": [{"MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 2000, "ScalingAdjustment": 1},
                            {"MetricIntervalLowerBound": 2000, "ScalingAdjustment": 3}]}
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "AlarmActions": [{"Ref": stack.get_logical_id(policy)}], "Threshold": 1000,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold", "MetricName": "Invocations", "Statistic": "Sum",
        "Namespace": "AWS/SageMaker", "EvaluationPeriods": 3, "DatapointsToAlarm": 2, "Period": 60,
        "Dimensions": _variant_dims(stack, ep)})


def test_step_scale_in_intervals_below_threshold(stack: cdk.Stack, model: Model) -> None:
    _endpoint(stack, model, AutoScaling(max_capacity=8, invocations_per_instance=600, step_scaling=[
        StepScaling.scale_in("CPUUtilization", namespace="/aws/sagemaker/Endpoints", name="IdleCpu",
                             steps=[ScalingStep(at=20, change=-1), ScalingStep(at=5, change=-2)])]))
    t = Template.from_stack(stack)
    assert _policy(t, "AllTraffic-IdleCpu")["StepScalingPolicyConfiguration"]["StepAdjustments"] == [
        {"MetricIntervalLowerBound": -15, "MetricIntervalUpperBound": 0, "ScalingAdjustment": -1},
        {"MetricIntervalUpperBound": -15, "ScalingAdjustment": -2}]
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "ComparisonOperator": "LessThanOrEqualToThreshold", "Threshold": 20, "Namespace": "/aws/sagemaker/Endpoints"})


def test_auto_scale_after_construction_on_any_cloudwatch_metric(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, None)
    scaling = ep.variants[0].auto_scale(AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out(
        ep.metric_model_latency(period=Duration.minutes(5)), steps=[ScalingStep(at=500_000, change=2)])]))
    t = Template.from_stack(stack)
    assert ep.variants[0].scalable_target is scaling.scalable_target
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "ExtendedStatistic": "p99", "Period": 300, "MetricName": "ModelLatency", "Threshold": 500_000,
        "AlarmActions": [{"Ref": stack.get_logical_id(scaling.step_policies["Step1"])}]})
    t.resource_count_is(POLICY, 1)


def test_two_scalable_targets_on_one_variant_are_rejected(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, AutoScaling(max_capacity=4, invocations_per_instance=600))
    with pytest.raises(ValidationError, match=r"Endpoint: auto_scaling must be given once per variant .*got a second "
                                              r"AutoScaling for variant 'AllTraffic'"):
        ep.variants[0].auto_scale(AutoScaling(max_capacity=6, invocations_per_instance=100))


def test_auto_scale_validates_like_the_constructor(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, None)
    with pytest.raises(ValidationError, match=r"auto_scaling.max_capacity must be at least min_capacity \(3\), got 2"):
        ep.variants[0].auto_scale(AutoScaling(min_capacity=3, max_capacity=2, invocations_per_instance=1))


# -- scheduled scaling -----------------------------------------------------------------------------------------
def test_scheduled_actions_on_the_scalable_target(stack: cdk.Stack, model: Model) -> None:
    _endpoint(stack, model, AutoScaling(max_capacity=4, invocations_per_instance=600, schedules=[
        ScheduledScaling.cron("peak", hour="8", minute="30", week_day="MON-FRI", min_capacity=4, max_capacity=12,
                              time_zone=TimeZone.EUROPE_BERLIN),
        ScheduledScaling(name="night", schedule=appscaling.Schedule.expression("cron(0 22 * * ? *)"),
                         min_capacity=2, max_capacity=4),
    ]))
    Template.from_stack(stack).has_resource_properties(TARGET, {"ScheduledActions": [
        {"ScheduledActionName": "peak", "Schedule": "cron(30 8 ? * MON-FRI *)", "Timezone": "Europe/Berlin",
         "ScalableTargetAction": {"MinCapacity": 4, "MaxCapacity": 12}},
        {"ScheduledActionName": "night", "Schedule": "cron(0 22 * * ? *)",
         "ScalableTargetAction": {"MinCapacity": 2, "MaxCapacity": 4}},
    ]})


# -- per-variant ids -------------------------------------------------------------------------------------------
def test_ids_and_policy_names_carry_the_variant_name(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, AutoScaling(max_capacity=4, invocations_per_instance=600, step_scaling=[
        StepScaling.scale_out("Invocations", statistic="Sum", steps=[ScalingStep(at=10, change=1)])]),
        variant_name="Blue")
    scaling = ep.variants[0].scaling
    assert scaling is not None and scaling.node.id == "AutoScalingBlue"
    t = Template.from_stack(stack)
    _policy(t, "Blue-InvocationsPerInstance")
    _policy(t, "Blue-Step1")
    t.has_resource_properties(TARGET, {"ResourceId": {"Fn::Join": ["", Match.array_with(["/variant/Blue"])]}})


# -- async / serverless rules (validated on real variant specs; rendering is tested with the real endpoints) ---------
def _spec(kind: str, **kw: Any) -> VariantSpec:
    return VariantSpec(variant_name="AllTraffic", model=None, kind=kind, **kw)  # type: ignore[arg-type]


def test_async_defaults_to_backlog_tracking_and_scale_from_zero() -> None:
    scaling = AutoScaling(min_capacity=0, max_capacity=4)
    assert scaling.problems(_spec("async", instance_type="ml.m5.xlarge", initial_instance_count=1)) == []
    [policy] = scaling.policies_for("async")
    assert (policy.metric_name, policy.target_value, policy.per_endpoint) == ("ApproximateBacklogSizePerInstance",
                                                                              5, True)
    [step] = scaling.steps_for("async")
    assert step.metric == "HasBacklogWithoutCapacity" and step.steps[0] == ScalingStep(at=1, change=1)
    assert AutoScaling(min_capacity=1, max_capacity=4).steps_for("async") == []


def test_serverless_defaults_to_provisioned_concurrency_utilization() -> None:
    scaling = AutoScaling(min_capacity=1, max_capacity=10)
    spec = _spec("serverless", serverless={"memory_size_in_mb": 2048, "max_concurrency": 20,
                                           "provisioned_concurrency": 2})
    assert scaling.problems(spec) == []
    [policy] = scaling.policies_for("serverless")
    assert policy.predefined_metric == "SageMakerVariantProvisionedConcurrencyUtilization"


ASYNC = {"instance_type": "ml.m5.xlarge", "initial_instance_count": 1}
SLS = {"serverless": {"memory_size_in_mb": 2048, "max_concurrency": 20, "provisioned_concurrency": 2}}


@pytest.mark.parametrize(("kind", "spec", "scaling", "match"), [
    ("async", ASYNC, AutoScaling(min_capacity=0, max_capacity=4, invocations_per_instance=600),
     r"auto_scaling.invocations_per_instance must not be set on a async variant \(async endpoints do not emit "
     r"InvocationsPerInstance.*got 600"),
    ("async", ASYNC, AutoScaling(max_capacity=4, target_tracking=[TargetTracking.invocations_per_instance(10)]),
     r"target_tracking\[0\].metric must be one a async variant can scale on \(async endpoints do not emit it.*"
     r"got 'InvocationsPerInstance'"),
    ("instance", {"instance_type": "ml.m5.large", "initial_instance_count": 1},
     AutoScaling(max_capacity=4, target_tracking=[TargetTracking.backlog_per_instance(3)]),
     r"metric must be one a instance variant can scale on, got 'ApproximateBacklogSizePerInstance'"),
    ("serverless", {"serverless": {"memory_size_in_mb": 2048, "max_concurrency": 20}},
     AutoScaling(max_capacity=4), r"provisioned_concurrency must be set when auto_scaling is set on a serverless "
                                  r"variant .*got None"),
    ("serverless", SLS, AutoScaling(min_capacity=1, max_capacity=30),
     r"auto_scaling.max_capacity must be between 1 and 20 \(provisioned concurrency.*got 30"),
    ("serverless", SLS, AutoScaling(min_capacity=3, max_capacity=10),
     r"must contain the variant's provisioned_concurrency \(2\), got 3..10"),
    ("serverless", SLS, AutoScaling(max_capacity=4, target_tracking=[
        TargetTracking.provisioned_concurrency_utilization(1.5)]),
     r"target_value must be a fraction in \(0, 1\] for provisioned concurrency utilization, got 1.5"),
    ("serverless", SLS, AutoScaling(max_capacity=4, target_tracking=[TargetTracking.cpu_utilization(50)]),
     r"metric must be one a serverless variant can scale on .*got 'CPUUtilization'"),
])
def test_kind_rules(kind: str, spec: dict[str, Any], scaling: AutoScaling, match: str) -> None:
    problems = scaling.problems(_spec(kind, **spec))
    assert any(re.search(match, str(p)) for p in problems), problems


# -- rejected input --------------------------------------------------------------------------------------------
STEP = [ScalingStep(at=10, change=1)]


@pytest.mark.parametrize(("scaling", "match"), [
    (AutoScaling(max_capacity=4, invocations_per_instance=600, scale_in_cooldown=Duration.millis(1500)),
     r"auto_scaling.scale_in_cooldown must be a whole number of seconds at least 0, got 1.5 s"),
    (AutoScaling(max_capacity=4, invocations_per_instance=600, scale_out_cooldown=Duration.millis(100)),
     r"auto_scaling.scale_out_cooldown must be a whole number of seconds at least 0, got 0.1 s"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.cpu_utilization(0)]),
     r"auto_scaling.target_tracking\[0\].target_value must be greater than 0, got 0"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.model_latency(Duration.millis(0))]),
     r"target_tracking\[0\].target_value must be greater than 0, got 0"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.from_load_test(10, safety_factor=0)]),
     r"target_tracking\[0\].safety_factor must be in \(0, 1\], got 0"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.memory_utilization(120)]),
     r"target_value must be a percentage in \(0, 100\] for MemoryUtilization, got 120"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.custom("X", 1, statistic="p99")]),
     r"target_tracking\[0\].statistic must be one of Average, Maximum, Minimum, SampleCount, Sum .*got 'p99'"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.cpu_utilization(70, scale_out_cooldown=
                                                                                 Duration.millis(2500))]),
     r"target_tracking\[0\].scale_out_cooldown must be a whole number of seconds at least 0, got 2.5 s"),
    (AutoScaling(max_capacity=4, invocations_per_instance=600,
                 target_tracking=[TargetTracking.invocations_per_instance(100)]),
     r"target_tracking must track each metric once .*got SageMakerVariantInvocationsPerInstance twice"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=[])]),
     r"step_scaling\[0\].steps must have at least one ScalingStep, got \[\]"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out(
        "X", steps=[ScalingStep(at=10, change=1), ScalingStep(at=5, change=2)])]),
     r"step_scaling\[0\].steps must be in strictly ascending order of 'at' for scale_out, got \[10, 5\]"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_in("X", steps=[ScalingStep(at=10, change=1)])]),
     r"step_scaling\[0\].steps\[0\].change must be less than 0 for scale_in, got 1"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=[ScalingStep(at=1, change=-1)])]),
     r"step_scaling\[0\].steps\[0\].change must be greater than 0 for scale_out, got -1"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, adjustment_type="Bogus")]),
     r"step_scaling\[0\].adjustment_type must be one of ChangeInCapacity, ExactCapacity, PercentChangeInCapacity, "
     r"got 'Bogus'"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, evaluation_periods=0)]),
     r"step_scaling\[0\].evaluation_periods must be at least 1, got 0"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, evaluation_periods=2,
                                                                     datapoints_to_alarm=3)]),
     r"step_scaling\[0\].datapoints_to_alarm must be between 1 and evaluation_periods \(2\), got 3"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, statistic="median")]),
     r"step_scaling\[0\].statistic must be a CloudWatch statistic .*or a percentile like p99, got 'median'"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, period=Duration.seconds(45))]),
     r"step_scaling\[0\].period must be 10, 20, 30 s or a multiple of 60 s .*got 45 s"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, cooldown=Duration.millis(10))]),
     r"step_scaling\[0\].cooldown must be a whole number of seconds at least 0, got 0.01 s"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP, name="A"),
                                               StepScaling.scale_out("Y", steps=STEP, name="A")]),
     r"step_scaling names must be unique .*got \['A', 'A'\]"),
    (AutoScaling(max_capacity=4, step_scaling=[StepScaling.scale_out("X", steps=STEP),
                                               StepScaling.scale_out("Y", steps=STEP, name="Step1")]),
     r"step_scaling names must be unique .*got \['Step1', 'Step1'\]"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("peak", hour="8", min_capacity=5, max_capacity=3)]),
     r"schedules\[0\].max_capacity must be at least min_capacity \(5\), got 3"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("a/b", hour="8", min_capacity=2)]),
     r"schedules\[0\].name must be 1-256 characters .*got 'a/b'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("peak", hour="8")]),
     r"schedules\[0\].min_capacity or max_capacity must be given, got neither"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("peak", hour="8", min_capacity=0)]),
     r"schedules\[0\].min_capacity must be at least 1 on an instance variant, got 0"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling(
        name="x", schedule=appscaling.Schedule.expression("cron(0 8 * * ?)"), min_capacity=2)]),
     r"schedules\[0\].schedule cron expression must have 6 fields .*got 'cron\(0 8 \* \* \?\)'"),
    # Item 12: the shared schedule validator (the same one BatchTransform uses).
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("peak", hour="25", min_capacity=2)]),
     r"schedules\[0\].schedule cron hours field must use .* values 0-23, got '25' in 'cron\(0 25 \* \* \? \*\)'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("peak", hour="8", minute="60", min_capacity=2)]),
     r"schedules\[0\].schedule cron minutes field must use .* values 0-59, got '60'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("peak", hour="8", month="13", min_capacity=2)]),
     r"schedules\[0\].schedule cron month field .* values 1-12 or JAN-DEC, got '13'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling(
        name="x", schedule=appscaling.Schedule.expression("rate(1 days)"), min_capacity=2)]),
     r"schedules\[0\].schedule rate unit must be singular for 1 .*\(rate\(1 day\)\), got 'rate\(1 days\)'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling(
        name="x", schedule=appscaling.Schedule.expression("rate(2 weeks)"), min_capacity=2)]),
     r"schedules\[0\].schedule must be rate\(<positive integer> <unit>\) .*got 'rate\(2 weeks\)'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling(
        name="x", schedule=appscaling.Schedule.expression("at(2030-13-01T00:00:00)"), min_capacity=2)]),
     r"schedules\[0\].schedule must be at\(yyyy-mm-ddThh:mm:ss\) with a real date and time"),
    # Item 12: an int where a Duration is expected.
    (AutoScaling(max_capacity=4, invocations_per_instance=600, scale_in_cooldown=300),  # type: ignore[arg-type]
     r"auto_scaling.scale_in_cooldown must be an aws_cdk.Duration \(e.g. Duration.seconds\(300\).*got 300"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.cpu_utilization(
        70, scale_out_cooldown=60)]),  # type: ignore[arg-type]
     r"target_tracking\[0\].scale_out_cooldown must be an aws_cdk.Duration .*got 60"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.model_latency(200)]),  # type: ignore[arg-type]
     r"target_tracking\[0\].latency must be an aws_cdk.Duration .*got 200"),
    (AutoScaling(max_capacity=4, invocations_per_instance=600, step_scaling=[StepScaling.scale_out(
        "ModelLatency", steps=[ScalingStep(at=1, change=1)], period=60, cooldown=30)]),  # type: ignore[arg-type]
     r"step_scaling\[0\].period must be an aws_cdk.Duration .*got 60.*\n.*step_scaling\[0\].cooldown must be"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling(
        name="x", schedule=appscaling.Schedule.rate(Duration.hours(1)), min_capacity=2,
        time_zone=TimeZone.EUROPE_BERLIN)]),
     r"schedules\[0\].time_zone applies only to cron and at schedules, got 'Europe/Berlin'"),
    (AutoScaling(max_capacity=4, schedules=[ScheduledScaling.cron("a", hour="8", min_capacity=2),
                                            ScheduledScaling.cron("a", hour="9", min_capacity=3)]),
     r"schedules\[1\].name must be unique on the variant, got 'a' twice"),
])
def test_bad_scaling_is_rejected(stack: cdk.Stack, model: Model, scaling: AutoScaling, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        _endpoint(stack, model, scaling, instance_count=1)


def test_step_metric_object_takes_no_namespace(stack: cdk.Stack, model: Model) -> None:
    metric = cloudwatch.Metric(namespace="My/App", metric_name="QueueDepth")
    with pytest.raises(ValidationError, match=r"namespace/statistic/per_endpoint apply only to a metric given by "
                                              r"name, got a cloudwatch metric with namespace='AWS/SageMaker'"):
        _endpoint(stack, model, AutoScaling(max_capacity=4, step_scaling=[
            StepScaling.scale_out(metric, namespace="AWS/SageMaker", steps=STEP)]))


# -- async and serverless endpoints (the real constructs) -----------------------------------------------------------
def test_async_scales_to_zero_on_backlog_and_from_zero_on_has_backlog_without_capacity(stack: cdk.Stack,
                                                                                      model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model, auto_scaling=AutoScaling(min_capacity=0, max_capacity=4))
    t = Template.from_stack(stack)
    endpoint_dim = [{"Name": "EndpointName",
                     "Value": {"Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]}}]
    t.has_resource_properties(TARGET, {"MinCapacity": 0, "MaxCapacity": 4,
                                       "ScalableDimension": "sagemaker:variant:DesiredInstanceCount"})
    assert _policy(t, "AllTraffic-ApproximateBacklogSizePerInstance")["TargetTrackingScalingPolicyConfiguration"] == {
        "TargetValue": 5, "CustomizedMetricSpecification": {
            "MetricName": "ApproximateBacklogSizePerInstance", "Namespace": "AWS/SageMaker", "Statistic": "Average",
            "Dimensions": endpoint_dim}}
    assert _policy(t, "AllTraffic-ScaleFromZero")["StepScalingPolicyConfiguration"] == {
        "AdjustmentType": "ChangeInCapacity", "Cooldown": 300,
        "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}]}
    scaling = ep.variants[0].scaling
    assert scaling is not None
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "HasBacklogWithoutCapacity", "Namespace": "AWS/SageMaker", "Statistic": "Average",
        "Dimensions": endpoint_dim, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "EvaluationPeriods": 2, "DatapointsToAlarm": 2, "TreatMissingData": "missing",
        "AlarmActions": [{"Ref": stack.get_logical_id(scaling.step_policies["ScaleFromZero"])}]})
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [
        Match.object_like({"InitialInstanceCount": 1})]})


def test_async_keeps_at_least_one_instance_without_scale_from_zero(stack: cdk.Stack, model: Model) -> None:
    AsyncEndpoint(stack, "Endpoint", model=model, auto_scaling=AutoScaling(
        min_capacity=1, max_capacity=4, target_tracking=[TargetTracking.backlog_per_instance(2),
                                                         TargetTracking.cpu_utilization(80)]))
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::CloudWatch::Alarm", 0)
    t.resource_count_is(POLICY, 2)
    assert _policy(t, "AllTraffic-ApproximateBacklogSizePerInstance")[
        "TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 2


@pytest.mark.parametrize(("scaling", "match"), [
    (AutoScaling(min_capacity=0, max_capacity=4, invocations_per_instance=600),
     r"Endpoint: auto_scaling.invocations_per_instance must not be set on a async variant \(async endpoints do not "
     r"emit InvocationsPerInstance.*got 600"),
    (AutoScaling(max_capacity=4, max_rps_per_instance=10),
     r"auto_scaling.max_rps_per_instance must not be set on a async variant .*got 10"),
    (AutoScaling(max_capacity=4, target_tracking=[TargetTracking.invocations_per_instance(100)]),
     r"auto_scaling.target_tracking\[0\].metric must be one a async variant can scale on .*"
     r"got 'InvocationsPerInstance'"),
    (AutoScaling(min_capacity=0, max_capacity=0),
     r"auto_scaling.max_capacity must be at least 1, got 0"),
])
def test_async_rejects(stack: cdk.Stack, model: Model, scaling: AutoScaling, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        AsyncEndpoint(stack, "Endpoint", model=model, auto_scaling=scaling)


def test_async_burstable_instance_cannot_scale(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"instance_type must not be a burstable \(ml.t\*\) type when "
                                              r"auto_scaling is set .*got 'ml.t2.medium'"):
        AsyncEndpoint(stack, "Endpoint", model=model, instance_type="ml.t2.medium",
                      auto_scaling=AutoScaling(min_capacity=0, max_capacity=2))


@pytest.fixture
def sls_model(stack: cdk.Stack) -> Model:
    return Model(stack, "SlsModel", image=ContainerImage.from_uri(IMAGE), network_isolation=False)


def test_serverless_scales_provisioned_concurrency(stack: cdk.Stack, sls_model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=sls_model, max_concurrency=10, provisioned_concurrency=2,
                            auto_scaling=AutoScaling(min_capacity=1, max_capacity=10, scale_in_cooldown=
                                                     Duration.minutes(5)))
    t = Template.from_stack(stack)
    t.has_resource_properties(TARGET, {
        "MinCapacity": 1, "MaxCapacity": 10, "ServiceNamespace": "sagemaker", "RoleARN": Match.absent(),
        "ScalableDimension": "sagemaker:variant:DesiredProvisionedConcurrency",
        "ResourceId": {"Fn::Join": ["", ["endpoint/", {"Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint),
                                                                      "EndpointName"]}, "/variant/AllTraffic"]]}})
    assert _policy(t, "AllTraffic-ProvisionedConcurrencyUtilization")["TargetTrackingScalingPolicyConfiguration"] == {
        "TargetValue": 0.5, "ScaleInCooldown": 300, "PredefinedMetricSpecification": {
            "PredefinedMetricType": "SageMakerVariantProvisionedConcurrencyUtilization"}}


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"auto_scaling": AutoScaling(max_capacity=4)},
     r"Endpoint: provisioned_concurrency must be set when auto_scaling is set on a serverless variant .*got None"),
    ({"provisioned_concurrency": 2, "max_concurrency": 5, "auto_scaling": AutoScaling(max_capacity=8)},
     r"auto_scaling.max_capacity must be between 1 and 5 \(provisioned concurrency, at most the variant's "
     r"max_concurrency\), got 8"),
    ({"provisioned_concurrency": 2, "auto_scaling": AutoScaling(min_capacity=0, max_capacity=8)},
     r"auto_scaling.min_capacity must be at least 1 on a serverless variant, got 0"),
    ({"provisioned_concurrency": 2, "auto_scaling": AutoScaling(max_capacity=8, invocations_per_instance=100)},
     r"auto_scaling.invocations_per_instance must not be set on a serverless variant .*got 100"),
    ({"provisioned_concurrency": 2, "auto_scaling": AutoScaling(max_capacity=8, target_tracking=[
        TargetTracking.provisioned_concurrency_utilization(0)])},
     r"target_tracking\[0\].target_value must be greater than 0, got 0"),
])
def test_serverless_rejects(stack: cdk.Stack, sls_model: Model, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        ServerlessEndpoint(stack, "Endpoint", model=sls_model, **kwargs)


def test_each_variant_of_a_multi_variant_endpoint_scales_on_its_own(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant(model=model, variant_name="Blue", instance_count=2,
                          auto_scaling=AutoScaling(min_capacity=2, max_capacity=6, invocations_per_instance=600)),
        ProductionVariant(model=model, variant_name="Green", instance_count=1,
                          auto_scaling=AutoScaling(max_capacity=3, target_tracking=[TargetTracking.cpu_utilization(60)],
                                                   step_scaling=[StepScaling.scale_out(
                                                       "Invocations", statistic="Sum",
                                                       steps=[ScalingStep(at=500, change=1)])])),
        ProductionVariant(model=model, variant_name="Gray"),
    ])
    t = Template.from_stack(stack)
    t.resource_count_is(TARGET, 2)
    blue, green, gray = ep.variants
    assert getattr(gray, "scaling", None) is None and getattr(gray, "scalable_target", None) is None
    assert blue.scaling is not None and green.scaling is not None
    for variant, lo, hi in ((blue, 2, 6), (green, 1, 3)):
        t.has_resource_properties(TARGET, {"MinCapacity": lo, "MaxCapacity": hi, "ResourceId": {"Fn::Join": [
            "", Match.array_with([f"/variant/{variant.variant_name}"])]}})
    assert set(blue.scaling.target_tracking_policies) == {"InvocationsPerInstance"}
    assert set(green.scaling.target_tracking_policies) == {"CPUUtilization"}
    assert _policy(t, "Green-CPUUtilization")["ScalingTargetId"] == {"Ref": stack.get_logical_id(
        green.scaling.scalable_target)}
    assert _policy(t, "Green-CPUUtilization")["TargetTrackingScalingPolicyConfiguration"][
        "CustomizedMetricSpecification"]["Dimensions"] == _variant_dims(stack, ep, "Green")
    t.has_resource_properties("AWS::CloudWatch::Alarm", {"Dimensions": _variant_dims(stack, ep, "Green")})
    _policy(t, "Blue-InvocationsPerInstance")


def test_multi_variant_rules_name_the_variant(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"Endpoint: variants\[1\]\.auto_scaling\.min_capacity must be at "
                                              r"least 1 on an instance endpoint .*got 0"):
        RealtimeEndpoint(stack, "Endpoint", variants=[
            ProductionVariant(model=model, variant_name="A"),
            ProductionVariant(model=model, variant_name="B",
                              auto_scaling=AutoScaling(min_capacity=0, max_capacity=2, invocations_per_instance=1))])
