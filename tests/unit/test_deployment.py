"""DeploymentStrategy: the rendered DeploymentConfig of each factory, rollback alarms, and rejected input."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ServerlessEndpoint, ValidationError
from cdk_sagemaker.constructs.deployment import (
    BlueGreenPolicy,
    DeploymentStrategy,
    Rollback,
    RollingPolicy,
    physical_endpoint_name,
)
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))


def _endpoint(stack: cdk.Stack, model: Model, strategy: DeploymentStrategy, *, count: int = 4,
              instance_type: str = "ml.m5.large") -> RealtimeEndpoint:
    return RealtimeEndpoint(stack, "Endpoint", model=model, instance_type=instance_type, instance_count=count,
                            deployment=strategy)


def _deployment_config(stack: cdk.Stack) -> dict[str, Any]:
    endpoints = Template.from_stack(stack).find_resources("AWS::SageMaker::Endpoint")
    (endpoint,) = endpoints.values()
    config: dict[str, Any] = endpoint["Properties"]["DeploymentConfig"]
    return config


def _alarm_refs(stack: cdk.Stack, ep: RealtimeEndpoint) -> list[dict[str, Any]]:
    return [{"AlarmName": {"Ref": stack.get_logical_id(a.node.default_child)}}  # type: ignore[union-attr]
            for a in ep.deployment_alarms]


# -- rendered DeploymentConfig of each factory ------------------------------------------------------------------
def test_all_at_once_renders_blue_green_with_baking_and_termination_wait(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.all_at_once(
        wait=Duration.minutes(7), termination_wait=Duration.minutes(2), maximum_execution_timeout=Duration.hours(2)))
    assert _deployment_config(stack) == {
        "BlueGreenUpdatePolicy": {
            "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 420},
            "TerminationWaitInSeconds": 120,
            "MaximumExecutionTimeoutInSeconds": 7200,
        },
        "AutoRollbackConfiguration": {"Alarms": _alarm_refs(stack, ep)},
    }


def test_all_at_once_defaults_to_five_minute_baking_and_service_timeouts(stack: cdk.Stack, model: Model) -> None:
    _endpoint(stack, model, DeploymentStrategy.all_at_once())
    assert _deployment_config(stack)["BlueGreenUpdatePolicy"] == {
        "TrafficRoutingConfiguration": {"Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 300}}


@pytest.mark.parametrize(("kwargs", "size"), [
    ({}, {"Type": "CAPACITY_PERCENT", "Value": 10}),
    ({"percent": 25}, {"Type": "CAPACITY_PERCENT", "Value": 25}),
    ({"instances": 2}, {"Type": "INSTANCE_COUNT", "Value": 2}),
])
def test_canary_renders_canary_size(stack: cdk.Stack, model: Model, kwargs: dict[str, int],
                                    size: dict[str, Any]) -> None:
    _endpoint(stack, model, DeploymentStrategy.canary(wait=Duration.minutes(10), termination_wait=Duration.minutes(1),
                                                      maximum_execution_timeout=Duration.minutes(30), **kwargs))
    assert _deployment_config(stack)["BlueGreenUpdatePolicy"] == {
        "TrafficRoutingConfiguration": {"Type": "CANARY", "WaitIntervalInSeconds": 600, "CanarySize": size},
        "TerminationWaitInSeconds": 60,
        "MaximumExecutionTimeoutInSeconds": 1800,
    }


@pytest.mark.parametrize(("kwargs", "size"), [
    ({}, {"Type": "CAPACITY_PERCENT", "Value": 20}),
    ({"percent": 50}, {"Type": "CAPACITY_PERCENT", "Value": 50}),
    ({"instances": 1}, {"Type": "INSTANCE_COUNT", "Value": 1}),
])
def test_linear_renders_linear_step_size(stack: cdk.Stack, model: Model, kwargs: dict[str, int],
                                         size: dict[str, Any]) -> None:
    _endpoint(stack, model, DeploymentStrategy.linear(wait=Duration.minutes(3), termination_wait=Duration.seconds(30),
                                                      maximum_execution_timeout=Duration.minutes(40), **kwargs))
    assert _deployment_config(stack)["BlueGreenUpdatePolicy"] == {
        "TrafficRoutingConfiguration": {"Type": "LINEAR", "WaitIntervalInSeconds": 180, "LinearStepSize": size},
        "TerminationWaitInSeconds": 30,
        "MaximumExecutionTimeoutInSeconds": 2400,
    }


def test_rolling_renders_rolling_update_policy(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.rolling(
        batch_instances=2, wait=Duration.minutes(4), maximum_execution_timeout=Duration.hours(3),
        rollback_batch_percent=50), count=8)
    assert _deployment_config(stack) == {
        "RollingUpdatePolicy": {
            "MaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 2},
            "WaitIntervalInSeconds": 240,
            "MaximumExecutionTimeoutInSeconds": 10800,
            "RollbackMaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
        },
        "AutoRollbackConfiguration": {"Alarms": _alarm_refs(stack, ep)},
    }


def test_rolling_defaults(stack: cdk.Stack, model: Model) -> None:
    _endpoint(stack, model, DeploymentStrategy.rolling(rollback_batch_instances=2))
    assert _deployment_config(stack)["RollingUpdatePolicy"] == {
        "MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 25},
        "WaitIntervalInSeconds": 300,
        "RollbackMaximumBatchSize": {"Type": "INSTANCE_COUNT", "Value": 2},
    }


def test_direct_construction_equals_factory(stack: cdk.Stack, model: Model) -> None:
    strategy = DeploymentStrategy(blue_green=BlueGreenPolicy(traffic="CANARY", step_percent=10))
    assert strategy == DeploymentStrategy.canary()
    assert DeploymentStrategy(rolling_update=RollingPolicy(batch_percent=25)) == DeploymentStrategy.rolling()


def test_rollback_group_is_shared_by_every_factory_and_compares_by_value(stack: cdk.Stack) -> None:
    import inspect

    old = {"rollback_alarms", "alarms", "max_error_rate", "latency_threshold", "latency_statistic", "alarm_actions"}
    for factory in (DeploymentStrategy.all_at_once, DeploymentStrategy.canary, DeploymentStrategy.linear,
                    DeploymentStrategy.rolling):
        params = inspect.signature(factory).parameters
        assert params["rollback"].default == Rollback() and not old & set(params), factory.__name__
    mine = cloudwatch.Alarm.from_alarm_name(stack, "Mine", "checkout-errors")
    # A list and a tuple of the same alarms give equal (and hashable) groups, and equal strategies.
    assert Rollback(alarms=[mine]) == Rollback(alarms=(mine,))
    assert hash(Rollback(alarms=[mine])) == hash(Rollback(alarms=(mine,)))
    assert DeploymentStrategy.linear(rollback=Rollback(default_alarms=False, alarms=[mine])) == DeploymentStrategy(
        blue_green=BlueGreenPolicy(traffic="LINEAR", step_percent=20),
        rollback=Rollback(default_alarms=False, alarms=(mine,)))
    assert DeploymentStrategy.canary().rollback == Rollback(default_alarms=True, max_error_rate=0.01,
                                                           latency_statistic="p99")


def test_rollback_problems_are_raised_with_the_strategys_other_problems(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError) as err:
        _endpoint(stack, model, DeploymentStrategy.canary(percent=60, rollback=Rollback(
            max_error_rate=1.5, latency_statistic="median", latency_threshold=Duration.seconds(0))))
    assert err.value.path == "TestStack/Endpoint"
    assert [p.param for p in err.value.details] == [
        "percent", "rollback.max_error_rate", "rollback.latency_threshold", "rollback.latency_statistic"]
    assert [p.got for p in err.value.details] == ["60", "1.5", "'0 s'", "'median'"]


def test_rollback_validates_itself_with_a_prefix_of_the_callers_choice() -> None:
    assert Rollback().problems([]) == []
    problems = Rollback(max_error_rate=2, latency_threshold=5).problems([], where="")  # type: ignore[arg-type]
    assert [str(p) for p in problems] == [
        "latency_threshold must be an aws_cdk.Duration (e.g. Duration.seconds(5) or Duration.minutes(...)), got 5",
        "max_error_rate must be a fraction of requests between 0 and 1 (0.01 is 1%), got 2"]


def test_default_alarm_options_are_not_checked_when_the_default_alarms_are_off(stack: cdk.Stack,
                                                                                model: Model) -> None:
    mine = cloudwatch.Alarm.from_alarm_name(stack, "Mine", "checkout-errors")
    ep = _endpoint(stack, model, DeploymentStrategy.canary(rollback=Rollback(
        default_alarms=False, alarms=[mine], max_error_rate=5, latency_statistic="median")))
    assert ep.deployment_alarms == (mine,)


# -- rollback alarms --------------------------------------------------------------------------------------------
def test_default_alarms_watch_the_variant_by_its_fixed_name(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.canary(
        rollback=Rollback(max_error_rate=0.05, latency_threshold=Duration.millis(250), latency_statistic="p90")))
    assert ep.deployment is not None
    name = ep.deployment.endpoint_name
    dims = [{"Name": "EndpointName", "Value": name}, {"Name": "VariantName", "Value": "AllTraffic"}]
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::CloudWatch::Alarm", 2)
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "Invocation5XXErrors", "Namespace": "AWS/SageMaker", "Statistic": "Average",
        "Threshold": 0.05, "ComparisonOperator": "GreaterThanThreshold", "Dimensions": dims,
        "TreatMissingData": "notBreaching"})
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "ModelLatency", "ExtendedStatistic": "p90", "Threshold": 250_000, "Dimensions": dims})
    t.has_resource_properties("AWS::SageMaker::Endpoint", {"EndpointName": name})
    assert len(ep.deployment_alarms) == 2
    assert ep.deployment.default_alarms["AllTraffic"] == ep.deployment_alarms


def test_models_role_may_describe_the_rollback_alarms(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.all_at_once())
    arns = [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":cloudwatch:", {"Ref": "AWS::Region"}, ":",
                               {"Ref": "AWS::AccountId"}, ":alarm:",
                               {"Ref": stack.get_logical_id(a.node.default_child)}]]}  # type: ignore[arg-type]
            for a in ep.deployment_alarms]
    Template.from_stack(stack).has_resource_properties("AWS::IAM::ManagedPolicy", {
        "PolicyDocument": {"Statement": Match.array_with([
            {"Action": "cloudwatch:DescribeAlarms", "Effect": "Allow", "Resource": arns}])}})


def _alarm_arn(name: Any) -> dict[str, Any]:
    tail = [f":alarm:{name}"] if isinstance(name, str) else [":alarm:", name]
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":cloudwatch:", {"Ref": "AWS::Region"}, ":",
                              {"Ref": "AWS::AccountId"}, *tail]]}


def _describe_alarms_resources(stack: cdk.Stack) -> list[list[Any]]:
    """The Resource list of every cloudwatch:DescribeAlarms statement in the stack's policies."""
    found: list[list[Any]] = []
    t = Template.from_stack(stack)
    for kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
        for res in t.find_resources(kind).values():
            for st in res["Properties"]["PolicyDocument"]["Statement"]:
                if st["Action"] == "cloudwatch:DescribeAlarms":
                    r = st["Resource"]
                    found.append(r if isinstance(r, list) else [r])
    return found


@pytest.mark.parametrize("factory", [DeploymentStrategy.canary, DeploymentStrategy.linear,
                                     DeploymentStrategy.all_at_once, DeploymentStrategy.rolling])
def test_users_own_rollback_alarms_are_readable_by_the_execution_role(stack: cdk.Stack, model: Model,
                                                                       factory: Any) -> None:
    # Item 7: alarms=[...] without the default alarms used to reach AutoRollbackConfiguration with no grant at all.
    mine = cloudwatch.Alarm.from_alarm_name(stack, "Mine", "checkout-errors")
    _endpoint(stack, model, factory(rollback=Rollback(default_alarms=False, alarms=[mine])))
    assert _describe_alarms_resources(stack) == [[_alarm_arn("checkout-errors")]]


def test_user_alarms_beside_the_defaults_are_granted_with_them(stack: cdk.Stack, model: Model) -> None:
    own = cloudwatch.Alarm(stack, "Own", threshold=1, evaluation_periods=1,
                           metric=cloudwatch.Metric(namespace="Shop", metric_name="Failures"))
    ep = _endpoint(stack, model, DeploymentStrategy.canary(rollback=Rollback(alarms=[own])))
    refs = [{"Ref": stack.get_logical_id(a.node.default_child)} for a in ep.deployment_alarms]  # type: ignore
    assert _describe_alarms_resources(stack) == [[_alarm_arn(r) for r in refs]]


def test_add_alarm_grants_describe_alarms_on_the_added_alarm(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.canary())
    assert ep.deployment is not None
    overhead = cloudwatch.Alarm(stack, "Overhead", threshold=50_000, evaluation_periods=2,
                                metric=ep.deployment.metric("OverheadLatency", statistic="p99"))
    ep.deployment.add_alarm(overhead)
    imported = cloudwatch.Alarm.from_alarm_arn(
        stack, "Imported", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:pager-duty")
    ep.deployment.add_alarm(imported)
    refs = [{"Ref": stack.get_logical_id(a.node.default_child)}  # type: ignore[arg-type]
            for a in ep.deployment_alarms[:3]]
    # One statement per principal, widened by add_alarm: every alarm in AutoRollbackConfiguration, nothing else.
    assert _describe_alarms_resources(stack) == [[*(_alarm_arn(r) for r in refs), _alarm_arn("pager-duty")]]


def test_inference_component_endpoint_execution_role_may_describe_the_alarms(stack: cdk.Stack) -> None:
    from cdk_sagemaker.constructs.realtime import ProductionVariant

    mine = cloudwatch.Alarm.from_alarm_name(stack, "Mine", "ic-errors")
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.m5.2xlarge", instance_count=4)],
        deployment=DeploymentStrategy.canary(rollback=Rollback(default_alarms=False, alarms=[mine])))
    assert ep.execution_role is not None
    role_ref = stack.get_logical_id(ep.execution_role.node.default_child)  # type: ignore[arg-type]
    Template.from_stack(stack).has_resource_properties("AWS::IAM::ManagedPolicy", {
        "Roles": [{"Ref": role_ref}],
        "PolicyDocument": {"Statement": Match.array_with([
            {"Action": "cloudwatch:DescribeAlarms", "Effect": "Allow", "Resource": _alarm_arn("ic-errors")}])}})


@pytest.mark.parametrize(("strategy", "match"), [
    (DeploymentStrategy.canary(wait=600), r"wait must be an aws_cdk.Duration \(e.g. Duration.seconds\(600\)"),
    (DeploymentStrategy.all_at_once(termination_wait=60), r"termination_wait must be an aws_cdk.Duration"),
    (DeploymentStrategy.linear(maximum_execution_timeout=3600), r"maximum_execution_timeout must be an aws_cdk"),
    (DeploymentStrategy.rolling(wait=300.0), r"wait must be an aws_cdk.Duration .*got 300.0"),
    (DeploymentStrategy.canary(rollback=Rollback(latency_threshold=1)),  # type: ignore[arg-type]
     r"rollback\.latency_threshold must be an aws_cdk.Duration .*got 1"),
])
def test_a_number_where_a_duration_belongs_is_a_validation_error(stack: cdk.Stack, model: Model,
                                                                 strategy: DeploymentStrategy, match: str) -> None:
    # Item 12: these raised AttributeError ('int' object has no attribute 'to_seconds').
    with pytest.raises(ValidationError, match=match) as err:
        _endpoint(stack, model, strategy)
    assert err.value.path == "TestStack/Endpoint"


def test_deployment_metric_period_must_be_a_duration(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.canary())
    assert ep.deployment is not None
    with pytest.raises(ValidationError, match=r"period must be an aws_cdk.Duration .*got 60"):
        ep.deployment.metric("OverheadLatency", period=60)  # type: ignore[arg-type]


def test_user_alarms_are_added_and_defaults_can_be_turned_off(stack: cdk.Stack, model: Model) -> None:
    mine = cloudwatch.Alarm.from_alarm_name(stack, "Mine", "checkout-errors")
    ep = _endpoint(stack, model, DeploymentStrategy.linear(rollback=Rollback(default_alarms=False, alarms=[mine])))
    assert _deployment_config(stack)["AutoRollbackConfiguration"] == {"Alarms": [{"AlarmName": "checkout-errors"}]}
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 0)
    assert ep.deployment_alarms == (mine,)


def test_no_alarms_renders_no_rollback_configuration(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.all_at_once(rollback=Rollback(default_alarms=False)))
    assert "AutoRollbackConfiguration" not in _deployment_config(stack)
    assert ep.deployment_alarms == ()


def test_add_alarm_on_a_metric_of_the_endpoint_without_a_cycle(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.canary())
    assert ep.deployment is not None
    overhead = cloudwatch.Alarm(stack, "Overhead", threshold=50_000, evaluation_periods=2,
                                metric=ep.deployment.metric("OverheadLatency", statistic="p99"))
    ep.deployment.add_alarm(overhead)
    alarms = _deployment_config(stack)["AutoRollbackConfiguration"]["Alarms"]
    assert alarms[-1] == {"AlarmName": {"Ref": stack.get_logical_id(overhead.node.default_child)}}
    assert len(alarms) == 3 and ep.deployment_alarms[-1] is overhead


def test_alarm_actions_go_on_the_default_alarms(stack: cdk.Stack, model: Model) -> None:
    topic = sns.Topic(stack, "Topic")
    _endpoint(stack, model, DeploymentStrategy.canary(rollback=Rollback(alarm_actions=[cw_actions.SnsAction(topic)])))
    t = Template.from_stack(stack)
    for alarm in t.find_resources("AWS::CloudWatch::Alarm").values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": stack.get_logical_id(topic.node.default_child)}]


def test_no_deployment_means_no_config_no_name_no_alarms(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Endpoint", {"DeploymentConfig": Match.absent(),
                                                           "EndpointName": Match.absent()})
    t.resource_count_is("AWS::CloudWatch::Alarm", 0)
    assert getattr(ep, "deployment", None) is None and ep.deployment_alarms == ()


def test_physical_name_fits_the_endpoint_name_pattern(model: Model) -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "A" * 60)
    deep = cdk.Stack(app, "Short")
    long_ep = RealtimeEndpoint(stack, "Endpoint" * 5, model=Model(stack, "M", image=ContainerImage.from_uri(IMAGE)),
                               instance_count=2, deployment=DeploymentStrategy.all_at_once())
    short_ep = RealtimeEndpoint(deep, "My_Endpoint", model=Model(deep, "M", image=ContainerImage.from_uri(IMAGE)),
                                instance_count=2, deployment=DeploymentStrategy.all_at_once())
    import re

    for ep in (long_ep, short_ep):
        name = physical_endpoint_name(ep)
        assert len(name) <= 63 and re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", name), name
    assert physical_endpoint_name(short_ep).startswith("Short-My-Endpoint-")


# -- a model change replaces the config, updates the endpoint in place under the guardrail -------------------------
def _synth_with_image(tag: str) -> tuple[dict[str, Any], str, str, str]:
    app = cdk.App()
    stack = cdk.Stack(app, "Rollout")
    image = ContainerImage.from_uri(f"123456789012.dkr.ecr.us-east-1.amazonaws.com/m:{tag}")
    model = Model(stack, "Model", image=image)
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=4,
                          deployment=DeploymentStrategy.canary(percent=25, wait=Duration.minutes(10)))
    return (Template.from_stack(stack).to_json(), stack.get_logical_id(ep.cfn_endpoint),
            stack.get_logical_id(ep.cfn_endpoint_config), stack.get_logical_id(model.cfn_model))


def test_new_image_replaces_config_and_updates_endpoint_in_place() -> None:
    old, old_ep, old_cfg, model_id = _synth_with_image("1")
    new, new_ep, new_cfg, _ = _synth_with_image("2")
    assert (old_ep, old_cfg) == (new_ep, new_cfg)
    old_endpoint, new_endpoint = old["Resources"][old_ep], new["Resources"][new_ep]
    # The endpoint keeps its logical id, name and guardrail: CloudFormation updates it in place (UpdateEndpoint).
    assert old_endpoint == new_endpoint
    assert new_endpoint["Properties"]["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"][
        "Type"] == "CANARY"
    # The model changes, and with it the config's ModelName; the config has no fixed name, so CloudFormation
    # creates a new config (its properties replace it) and the endpoint moves to it under the canary policy.
    assert old["Resources"][model_id] != new["Resources"][model_id]
    for template in (old, new):
        assert "EndpointConfigName" not in template["Resources"][old_cfg]["Properties"]
        assert "ModelName" not in template["Resources"][model_id]["Properties"]
    assert old["Resources"][old_cfg]["Properties"]["ProductionVariants"][0]["ModelName"] == {
        "Fn::GetAtt": [model_id, "ModelName"]}
    assert new_endpoint["Properties"]["EndpointConfigName"] == {"Fn::GetAtt": [new_cfg, "EndpointConfigName"]}


# -- rejected input ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("strategy", "count", "match"), [
    (DeploymentStrategy.canary(percent=0), 4, r"percent must be between 1 and 50 .*CanarySize.*got 0"),
    (DeploymentStrategy.canary(percent=101), 4, r"percent must be between 1 and 50 .*got 101"),
    (DeploymentStrategy.canary(percent=60), 4, r"percent must be between 1 and 50 .*got 60"),
    (DeploymentStrategy.linear(percent=5), 4, r"percent must be between 10 and 50 .*LinearStepSize.*got 5"),
    (DeploymentStrategy.canary(instances=3), 4,
     r"instances must be 1-50% of the 4 instances of variant 'AllTraffic' .*between 1 and 2, got 3"),
    (DeploymentStrategy.linear(instances=4), 4, r"instances must be 10-50% .*got 4"),
    (DeploymentStrategy.canary(percent=50), 1,
     r"percent must leave the canary smaller than the 1 instance\(s\) .*got 50"),
    (DeploymentStrategy.linear(), 1, r"percent must leave a linear step smaller .*got 20"),
    (DeploymentStrategy.canary(percent=10, instances=1), 4, r"percent/instances are exclusive: give one"),
    (DeploymentStrategy.canary(instances=0), 4, r"instances must be at least 1, got 0"),
    (DeploymentStrategy.canary(wait=Duration.seconds(3601)), 4,
     r"wait must be between 0 and 3600 seconds \(WaitIntervalInSeconds\), got '3601 s'"),
    (DeploymentStrategy.canary(wait=Duration.millis(1500)), 4, r"wait must be a whole number of seconds, got '1.5 s'"),
    (DeploymentStrategy.all_at_once(termination_wait=Duration.hours(2)), 4,
     r"termination_wait must be between 0 and 3600 seconds \(TerminationWaitInSeconds\), got '7200 s'"),
    (DeploymentStrategy.all_at_once(maximum_execution_timeout=Duration.minutes(5)), 4,
     r"maximum_execution_timeout must be between 600 and 28800 seconds .*got '300 s'"),
    (DeploymentStrategy.all_at_once(maximum_execution_timeout=Duration.hours(9)), 4,
     r"maximum_execution_timeout must be between 600 and 28800 .*got '32400 s'"),
    (DeploymentStrategy.all_at_once(wait=Duration.minutes(50), termination_wait=Duration.minutes(20),
                                    maximum_execution_timeout=Duration.minutes(60)), 4,
     r"maximum_execution_timeout must be longer than the waits it covers \(4200 s\), got '3600 s'"),
    (DeploymentStrategy.rolling(batch_percent=60), 4, r"batch_percent must be between 5 and 50 .*MaximumBatchSize"),
    (DeploymentStrategy.rolling(batch_instances=5), 4, r"batch_instances must be 5-50% of the 4 instances .*got 5"),
    (DeploymentStrategy.rolling(rollback_batch_instances=9), 4,
     r"rollback_batch_instances must be between 1 and the 4 instances of variant 'AllTraffic', got 9"),
    (DeploymentStrategy.rolling(rollback_batch_percent=0), 4, r"rollback_batch_percent must be between 1 and 100"),
    (DeploymentStrategy(blue_green=BlueGreenPolicy(), rolling_update=RollingPolicy(batch_percent=25)), 4,
     r"one of blue_green and rolling_update .*got both"),
    (DeploymentStrategy(), 4, r"must set blue_green or rolling_update, got neither"),
    (DeploymentStrategy(blue_green=BlueGreenPolicy(step_percent=10)), 4,
     r"step_percent/step_instances apply only to CANARY and LINEAR .*got 10"),
    (DeploymentStrategy(blue_green=BlueGreenPolicy(traffic="BOLD")), 4,  # type: ignore[arg-type]
     r"blue_green.traffic must be one of \['ALL_AT_ONCE', 'CANARY', 'LINEAR'\], got 'BOLD'"),
    (DeploymentStrategy.canary(rollback=Rollback(max_error_rate=5)), 4,
     r"rollback\.max_error_rate must be a fraction .*got 5"),
    (DeploymentStrategy.rolling(rollback=Rollback(max_error_rate=0)), 4, r"rollback\.max_error_rate must be .*got 0"),
    (DeploymentStrategy.canary(rollback=Rollback(latency_statistic="p999x")), 4,
     r"rollback\.latency_statistic must be a CloudWatch statistic .*got 'p999x'"),
    (DeploymentStrategy.linear(rollback=Rollback(latency_threshold=Duration.seconds(0))), 4,
     r"rollback\.latency_threshold must be longer than 0 s, got '0 s'"),
    (DeploymentStrategy.canary(rollback=Rollback(alarms=None)), 4,  # type: ignore[arg-type]
     r"rollback\.alarms must be a list, got None"),
    (DeploymentStrategy.all_at_once(rollback={"default_alarms": False}), 4,  # type: ignore[arg-type]
     r"rollback must be a cdk_sagemaker.Rollback .*got \{'default_alarms': False\}"),
])
def test_rejected(stack: cdk.Stack, model: Model, strategy: DeploymentStrategy, count: int, match: str) -> None:
    with pytest.raises(ValidationError, match=match) as err:
        _endpoint(stack, model, strategy, count=count)
    assert err.value.path == "TestStack/Endpoint"


@pytest.mark.parametrize("strategy", [DeploymentStrategy.canary(), DeploymentStrategy.linear(),
                                      DeploymentStrategy.rolling(), DeploymentStrategy.all_at_once()])
def test_rejected_on_inf1(stack: cdk.Stack, model: Model, strategy: DeploymentStrategy) -> None:
    with pytest.raises(ValidationError, match=r"uses Inf1 instances \(ml.inf1.xlarge\) .*remove deployment="):
        _endpoint(stack, model, strategy, instance_type="ml.inf1.xlarge")


def test_more_than_ten_alarms_are_rejected(stack: cdk.Stack, model: Model) -> None:
    mine = [cloudwatch.Alarm.from_alarm_name(stack, f"A{i}", f"a{i}") for i in range(9)]
    with pytest.raises(ValidationError,
                       match=r"rollback\.alarms must total at most 10 rollback alarms \(AlarmList.*got 11"):
        _endpoint(stack, model, DeploymentStrategy.canary(rollback=Rollback(alarms=mine)))


def _two_variants(stack: cdk.Stack, model: Model, deployment: DeploymentStrategy) -> RealtimeEndpoint:
    """A multi-variant endpoint (two variants of four instances), for the kind checks."""
    from cdk_sagemaker.constructs.realtime import ProductionVariant

    return RealtimeEndpoint(stack, "Endpoint", deployment=deployment, variants=[
        ProductionVariant(model=model, instance_count=4, variant_name=n) for n in ("Blue", "Green")])


def test_rolling_rejected_on_multi_variant_endpoint(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"rolling must not be used on a multi-variant endpoint .*canary"):
        _two_variants(stack, model, DeploymentStrategy.rolling())


def test_canary_on_multi_variant_endpoint_alarms_each_variant(stack: cdk.Stack, model: Model) -> None:
    ep = _two_variants(stack, model, DeploymentStrategy.canary(percent=25))
    assert ep.deployment is not None and sorted(ep.deployment.default_alarms) == ["Blue", "Green"]
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 4)


def test_rolling_rejected_on_serverless_endpoint(stack: cdk.Stack) -> None:
    # The guardrails exclusions page excludes serverless endpoints from rolling deployments only.
    model = Model(stack, "Serverless", image=ContainerImage.from_uri(IMAGE), network_isolation=False)
    with pytest.raises(ValidationError, match=r"deployment must be a blue/green strategy for a serverless endpoint"):
        ServerlessEndpoint(stack, "Endpoint", model=model, deployment=DeploymentStrategy.rolling())


def test_blue_green_accepted_on_serverless_endpoint(stack: cdk.Stack) -> None:
    model = Model(stack, "Serverless", image=ContainerImage.from_uri(IMAGE), network_isolation=False)
    ep = ServerlessEndpoint(stack, "Endpoint", model=model, deployment=DeploymentStrategy.linear(percent=20))
    assert ep.deployment is not None and sorted(ep.deployment.default_alarms) == ["AllTraffic"]


@pytest.mark.parametrize(("owner", "rejected"), [("999999999999", True), ("111111111111", False)])
def test_marketplace_model_package_is_rejected_own_registry_package_is_not(owner: str, rejected: bool) -> None:
    stack = cdk.Stack(cdk.App(), "Market", env=cdk.Environment(account="111111111111", region="us-east-1"))
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    model.cfn_model.primary_container = sagemaker.CfnModel.ContainerDefinitionProperty(
        model_package_name=f"arn:aws:sagemaker:us-east-1:{owner}:model-package/vendor-model")
    if rejected:
        with pytest.raises(ValidationError, match=r"model package from account 999999999999, i.e. an AWS Marketplace "
                                                  r"container .*remove deployment="):
            _endpoint(stack, model, DeploymentStrategy.canary())
    else:
        assert _endpoint(stack, model, DeploymentStrategy.canary()).deployment is not None


def test_add_alarm_beyond_ten_is_rejected(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.canary())
    assert ep.deployment is not None
    for i in range(8):
        ep.deployment.add_alarm(cloudwatch.Alarm.from_alarm_name(stack, f"A{i}", f"a{i}"))
    with pytest.raises(ValidationError, match=r"alarms must total at most 10 rollback alarms \(AlarmList\), got 11"):
        ep.deployment.add_alarm(cloudwatch.Alarm.from_alarm_name(stack, "A9", "a9"))


def test_add_alarm_without_rollback_configuration_is_rejected(stack: cdk.Stack, model: Model) -> None:
    ep = _endpoint(stack, model, DeploymentStrategy.canary(rollback=Rollback(default_alarms=False)))
    assert ep.deployment is not None
    with pytest.raises(ValidationError, match=r"add_alarm needs a strategy that already has rollback alarms"):
        ep.deployment.add_alarm(cloudwatch.Alarm.from_alarm_name(stack, "A", "a"))


def test_default_alarms_without_actions_pass_the_nag_packs() -> None:
    from cdk_sagemaker.testing import DEFAULT_PACKS, assert_compliant

    app = cdk.App()
    stack = cdk.Stack(app, "NagRollout")
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=4, deployment=DeploymentStrategy.canary())
    assert_compliant(app, packs=DEFAULT_PACKS)
