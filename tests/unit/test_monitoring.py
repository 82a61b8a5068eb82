"""EndpointMonitoring / BatchTransformMonitoring: dashboard widgets per endpoint kind, recommended alarms (tunable,
off with None), descriptions, the encrypted topic; EnhancedMetrics (MetricsConfig)."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.enhanced_metrics import EnhancedMetrics, publish_frequencies
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.monitoring import EndpointAlarms, EndpointMonitoring
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), network_isolation=False)


def _dashboard(stack: cdk.Stack) -> dict[str, Any]:
    """The dashboard body with every token replaced by a placeholder, as JSON."""
    template = Template.from_stack(stack).to_json()
    body = next(r for r in template["Resources"].values()
                if r["Type"] == "AWS::CloudWatch::Dashboard")["Properties"]["DashboardBody"]
    parts = body["Fn::Join"][1] if isinstance(body, dict) else [body]
    return json.loads("".join(p if isinstance(p, str) else "TOKEN" for p in parts))


def _titles(stack: cdk.Stack) -> list[str]:
    return [w["properties"].get("title", "") for w in _dashboard(stack)["widgets"] if w["type"] == "metric"]


def _alarms(stack: cdk.Stack) -> dict[str, dict[str, Any]]:
    return {k: r["Properties"] for k, r in Template.from_stack(stack).find_resources("AWS::CloudWatch::Alarm").items()}


def test_realtime_dashboard_has_rates_latency_utilization_and_capacity(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2,
                          auto_scaling=AutoScaling(min_capacity=2, max_capacity=6, invocations_per_instance=600))
    EndpointMonitoring(stack, "Monitoring", endpoint=ep, latency_p99=Duration.millis(250))
    titles = _titles(stack)
    assert titles == ["AllTraffic: invocations", "AllTraffic: error rates (%)", "AllTraffic: model latency (µs)",
                      "AllTraffic: overhead latency (µs)", "AllTraffic: CPU (sum over cores), memory, disk (%)",
                      "AllTraffic: instances vs scaling limits"]
    widgets = {w["properties"].get("title"): w["properties"] for w in _dashboard(stack)["widgets"]}
    rates = widgets["AllTraffic: error rates (%)"]["metrics"]
    expressions = [m[0]["expression"] for m in rates if isinstance(m[0], dict) and "expression" in m[0]]
    assert expressions == ["IF(inv > 0, 100 * FILL(err4xx, 0) / inv, 0)", "IF(inv > 0, 100 * FILL(err5xx, 0) / inv, 0)",
                           "IF(inv > 0, 100 * FILL(errmodel, 0) / inv, 0)"]
    limits = widgets["AllTraffic: instances vs scaling limits"]["annotations"]["horizontal"]
    assert [(a["label"], a["value"]) for a in limits] == [("min_capacity", 2), ("max_capacity", 6)]
    latency = widgets["AllTraffic: model latency (µs)"]
    assert [m[-1]["stat"] for m in latency["metrics"]] == ["p50", "p90", "p99"]
    assert latency["annotations"]["horizontal"][0]["value"] == 250_000


def test_recommended_alarms_have_on_call_descriptions_and_notify_the_encrypted_topic(stack: cdk.Stack,
                                                                                    model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep, latency_p99=Duration.seconds(2))
    assert sorted(mon.alarms) == ["AllTraffic4XXRate", "AllTraffic5XXRate", "AllTrafficDisk",
                                  "AllTrafficLatencyP99", "AllTrafficMemory", "AllTrafficModelErrorRate"]
    topic = stack.get_logical_id(mon.topic.node.default_child)  # type: ignore[arg-type]
    for props in _alarms(stack).values():
        assert props["AlarmActions"] == [{"Ref": topic}] and props["OKActions"] == [{"Ref": topic}]
        assert len(props["AlarmDescription"]) > 120
        assert (props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (5, 3)
    latency = next(p for p in _alarms(stack).values() if p.get("ExtendedStatistic") == "p99")
    assert latency["Threshold"] == 2_000_000 and latency["MetricName"] == "ModelLatency"
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    key = next(r for k, r in t.find_resources("AWS::KMS::Key").items()
               if k.startswith("MonitoringAlarmTopicKey"))["Properties"]
    assert key["EnableKeyRotation"] is True
    principals = [s["Principal"] for s in key["KeyPolicy"]["Statement"] if "Service" in s["Principal"]]
    assert {"Service": "cloudwatch.amazonaws.com"} in principals and {"Service": "events.amazonaws.com"} in principals


def test_no_latency_threshold_means_no_latency_alarm_and_a_warning(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep)
    assert not any("Latency" in a for a in mon.alarms)
    assert all(p.get("MetricName") != "ModelLatency" for p in _alarms(stack).values())
    warnings = [m for m in mon.node.metadata if m.type == "aws:cdk:warning"]
    assert any("latency_p99" in str(m.data) for m in warnings)


def test_alarms_are_tunable_and_each_can_be_turned_off(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    topic = sns.Topic(stack, "Given")
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep, topic=topic, alarms=EndpointAlarms(
        error_5xx_rate_percent=0.5, error_4xx_rate_percent=None, model_error_rate_percent=None,
        memory_utilization_percent=None, disk_utilization_percent=None, evaluation_periods=3,
        datapoints_to_alarm=2, period=Duration.minutes(5)))
    assert list(mon.alarms) == ["AllTraffic5XXRate"] and mon.topic is topic
    (props,) = _alarms(stack).values()
    assert (props["Threshold"], props["EvaluationPeriods"], props["DatapointsToAlarm"]) == (0.5, 3, 2)
    assert all(m.get("MetricStat", {}).get("Period", 300) == 300 for m in props["Metrics"])
    Template.from_stack(stack).resource_count_is("AWS::KMS::Key", 1)  # the endpoint's; no topic key


@pytest.mark.parametrize(("alarms", "match"), [
    (EndpointAlarms(error_5xx_rate_percent=0), r"error_5xx_rate_percent must be a percentage"),
    (EndpointAlarms(memory_utilization_percent=150), r"memory_utilization_percent must be a percentage"),
    (EndpointAlarms(period=Duration.seconds(45)), r"period must be 10, 20 or 30 seconds or a multiple of 60"),
    (EndpointAlarms(evaluation_periods=2, datapoints_to_alarm=3), r"datapoints_to_alarm must be at most"),
    (EndpointAlarms(evaluation_periods=0), r"evaluation_periods must be a whole number of periods"),
    # PutMetricAlarm: Period x EvaluationPeriods at most one day below one-hour periods, seven days above.
    (EndpointAlarms(evaluation_periods=1441, datapoints_to_alarm=1),
     r"evaluation_periods times period \(60 s\) must be at most 86400 s"),
    (EndpointAlarms(period=Duration.hours(2), evaluation_periods=85, datapoints_to_alarm=1),
     r"evaluation_periods times period \(7200 s\) must be at most 604800 s"),
])
def test_bad_alarm_settings_are_rejected(stack: cdk.Stack, model: Model, alarms: EndpointAlarms, match: str) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    with pytest.raises(ValidationError, match=match):
        EndpointMonitoring(stack, "Monitoring", endpoint=ep, alarms=alarms)


def test_longest_alarm_evaluation_ranges_are_accepted(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    EndpointMonitoring(stack, "Day", endpoint=ep, alarms=EndpointAlarms(evaluation_periods=1440, datapoints_to_alarm=1))
    week = EndpointAlarms(period=Duration.hours(2), evaluation_periods=84, datapoints_to_alarm=1)
    EndpointMonitoring(stack, "Week", endpoint=ep, alarms=week)


def test_latency_must_be_a_positive_duration(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    with pytest.raises(ValidationError, match=r"latency_p99 must be an aws_cdk.Duration"):
        EndpointMonitoring(stack, "Monitoring", endpoint=ep, latency_p99=1000)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"latency_p99 must be longer than 0 seconds"):
        EndpointMonitoring(stack, "Monitoring2", endpoint=ep, latency_p99=Duration.seconds(0))


def test_gpu_variant_gets_gpu_widgets(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.g5.xlarge")
    EndpointMonitoring(stack, "Monitoring", endpoint=ep,
                       alarms=EndpointAlarms(gpu_memory_utilization_percent=95))
    assert "AllTraffic: GPU and GPU memory (% summed over GPUs)" in _titles(stack)
    assert any(p.get("MetricName") == "GPUMemoryUtilization" for p in _alarms(stack).values())


def test_serverless_dashboard_shows_cold_starts_and_provisioned_concurrency(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model, provisioned_concurrency=5)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep)
    titles = _titles(stack)
    assert "AllTraffic: cold starts (ModelSetupTime, µs)" in titles
    assert "AllTraffic: provisioned concurrency" in titles
    assert not any("instances" in t or "CPU" in t for t in titles)
    assert {"AllTrafficSpillover", "AllTrafficConcurrency"} <= set(mon.alarms) and "AllTrafficDisk" not in mon.alarms
    concurrency = next(p for p in _alarms(stack).values()
                       if p.get("MetricName") == "ServerlessConcurrentExecutionsUtilization")
    assert concurrency["Threshold"] == 0.9 and concurrency["Statistic"] == "Maximum"
    memory = next(p for p in _alarms(stack).values() if p.get("MetricName") == "MemoryUtilization")
    assert memory["Namespace"] == "AWS/SageMaker"


def test_async_dashboard_and_alarms_watch_the_queue(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep,
                             alarms=EndpointAlarms(oldest_request_age=Duration.minutes(30)))
    assert {"Backlog", "Age of the oldest request (s)", "Backlog without capacity", "Failures"} <= set(_titles(stack))
    assert {"BacklogWithoutCapacity", "QueueFailures", "OldestRequestAge"} <= set(mon.alarms)
    age = next(p for p in _alarms(stack).values() if p.get("MetricName") == "ApproximateAgeOfOldestRequest")
    assert age["Threshold"] == 1800 and age["Dimensions"] == [
        {"Name": "EndpointName", "Value": {"Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]}}]


def test_inference_components_get_per_copy_widgets(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant.for_inference_components(instance_type="ml.m5.xlarge")])
    ep.add_inference_component("Fraud", model=model, memory_mb=1024)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep)
    titles = _titles(stack)
    assert {"Fraud: invocations", "Fraud: utilization per copy (%)"} <= set(titles)
    assert "Fraud5XXRate" in mon.alarms
    per_copy = next(w["properties"] for w in _dashboard(stack)["widgets"]
                    if w["properties"].get("title") == "Fraud: utilization per copy (%)")
    assert {m[0] for m in per_copy["metrics"]} == {"/aws/sagemaker/InferenceComponents"}


def test_monitoring_needs_an_endpoint_of_the_library(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"endpoint must be an endpoint of this library"):
        EndpointMonitoring(stack, "Monitoring", endpoint="my-endpoint")  # type: ignore[arg-type]


# -- enhanced metrics ------------------------------------------------------------------------------------------------
def test_enhanced_metrics_render_metrics_config(stack: cdk.Stack, model: Model) -> None:
    RealtimeEndpoint(stack, "Endpoint", model=model,
                     enhanced_metrics=EnhancedMetrics(publish_frequency_seconds=10, detailed_observability=False))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"MetricsConfig": {
        "EnableEnhancedMetrics": True, "MetricPublishFrequencyInSeconds": 10, "EnableDetailedObservability": False}})


def test_publish_frequencies_come_from_botocore() -> None:
    assert publish_frequencies() == (10, 30, 60, 120, 180, 240, 300)


@pytest.mark.parametrize("frequency", [15, 0, True])
def test_bad_publish_frequency_is_rejected(stack: cdk.Stack, model: Model, frequency: int) -> None:
    with pytest.raises(ValidationError, match=r"enhanced_metrics.publish_frequency_seconds must be one of"):
        RealtimeEndpoint(stack, "Endpoint", model=model,
                         enhanced_metrics=EnhancedMetrics(publish_frequency_seconds=frequency))


def test_enhanced_metrics_are_refused_on_multi_model_endpoints(stack: cdk.Stack) -> None:
    mme = Model(stack, "Mme", containers=[ContainerDefinition(
        image=ContainerImage.from_prebuilt("xgboost", "1.7-1"), multi_model=True,
        model_data=ModelData.from_s3_uri("s3://my-bucket/models/"))])
    with pytest.raises(ValidationError, match=r"enhanced_metrics must not be enabled on a multi-model endpoint"):
        RealtimeEndpoint(stack, "Endpoint", model=mme, enhanced_metrics=EnhancedMetrics())


# -- batch transform ---------------------------------------------------------------------------------------------------
def test_batch_transform_dashboard_and_duration_alarm(stack: cdk.Stack, model: Model) -> None:
    from cdk_sagemaker.constructs.batch_transform import BatchTransform
    from cdk_sagemaker.constructs.monitoring import BatchTransformMonitoring

    transform = BatchTransform(stack, "Nightly", model=model, input_s3_uri="s3://data/in/",
                               output_s3_uri="s3://data/out/")
    mon = BatchTransformMonitoring(stack, "Monitoring", transform=transform, max_duration=Duration.hours(2))
    assert mon.topic is transform.topic
    assert _titles(stack) == ["Runs", "Failed runs", "Run duration (ms)"]
    widgets = _dashboard(stack)["widgets"]
    assert widgets[-1]["type"] == "alarm"
    (long_run,) = [p for p in _alarms(stack).values() if p.get("MetricName") == "ExecutionTime"]
    assert long_run["Threshold"] == 7_200_000 and long_run["Statistic"] == "Maximum"
    assert long_run["AlarmActions"] == [{"Ref": stack.get_logical_id(transform.topic.node.default_child)}]  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"max_duration must be an aws_cdk.Duration"):
        BatchTransformMonitoring(stack, "Bad", transform=transform, max_duration=60)  # type: ignore[arg-type]


def test_async_error_rates_use_metrics_async_endpoints_publish(stack: cdk.Stack, model: Model) -> None:
    # Asynchronous endpoints publish no Invocations, OverheadLatency or InvocationModelErrors (developer guide,
    # async-inference-monitor): a rate over Invocations would stay 0 and its alarm could never fire.
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep)
    assert "AllTrafficModelErrorRate" not in mon.alarms
    names: set[str] = set()
    for props in _alarms(stack).values():
        for query in props.get("Metrics", []):
            if "MetricStat" in query:
                names.add(query["MetricStat"]["Metric"]["MetricName"])
                if query["MetricStat"]["Metric"]["MetricName"].startswith("Invocation5"):
                    assert query["MetricStat"]["Stat"] == "Average"
        names.add(props.get("MetricName", ""))
    assert not names & {"Invocations", "OverheadLatency", "InvocationModelErrors"}
    five = _alarms(stack)[stack.get_logical_id(mon.alarms["AllTraffic5XXRate"].node.default_child)]  # type: ignore
    assert [q["Expression"] for q in five["Metrics"] if "Expression" in q] == ["100 * FILL(err5xx, 0)"]
    dashboard = json.dumps(_dashboard(stack))
    assert '"Invocations"' not in dashboard and "OverheadLatency" not in dashboard
    assert "InvocationModelErrors" not in dashboard and "TimeInBacklog" in dashboard


def test_serverless_has_no_model_error_rate(stack: cdk.Stack, model: Model) -> None:
    # Serverless endpoints publish no InvocationModelErrors (developer guide, serverless-endpoints-monitoring).
    ep = ServerlessEndpoint(stack, "Endpoint", model=model)
    mon = EndpointMonitoring(stack, "Monitoring", endpoint=ep)
    assert "AllTrafficModelErrorRate" not in mon.alarms and "AllTraffic5XXRate" in mon.alarms
    assert "InvocationModelErrors" not in json.dumps(_dashboard(stack))
