"""Operational monitoring in one call: a CloudWatch dashboard and the recommended alarms of an endpoint (real-time,
serverless, asynchronous, with inference components) or of a batch transform, sent to an encrypted SNS topic.

Which alarms and why: CloudWatch's "Recommended alarms" for Amazon SageMaker
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html)
and the endpoint metrics of the SageMaker developer guide, "Amazon SageMaker AI metrics in Amazon CloudWatch"
(https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html). Error counts are alarmed as *rates*
(errors per invocation, a metric math expression), so that a busy endpoint and a quiet one share one threshold.

A latency threshold depends on the model (1 s at p99 is slow for a tabular model and fast for an LLM): the library
never picks one. Give ``latency_p99=`` and the latency alarm exists; without it there is none, and the construct says
so in a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import Annotations, Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from cdk_sagemaker._instances import accelerator_of
from cdk_sagemaker.constructs._checks import check_duration, to_seconds
from cdk_sagemaker.constructs._jsii import account_id, is_unresolved, node_path
from cdk_sagemaker.constructs._keys import CLOUDWATCH_TOPIC_ACTIONS, cloudwatch_alarm_publisher, service_key
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.endpoint import EndpointBase, EndpointVariant
from cdk_sagemaker.errors import Problem, Problems

if TYPE_CHECKING:
    from cdk_sagemaker.constructs.batch_transform import BatchTransform
    from cdk_sagemaker.constructs.realtime import InferenceComponent

__all__ = ["BatchTransformMonitoring", "EndpointAlarms", "EndpointMonitoring", "alarm_topic"]

#: Width of a dashboard row (CloudWatch dashboards are 24 units wide).
_ROW = 24


@dataclass(frozen=True, kw_only=True, slots=True)
class EndpointAlarms:
    """The recommended alarms of an endpoint: each threshold can be tuned, ``None`` turns that alarm off.

    - ``error_5xx_rate_percent``: share of invocations the model answered with a 5XX (the model or SageMaker failed).
      Default: 1 %.
    - ``error_4xx_rate_percent``: share of invocations answered with a 4XX (bad requests, throttling, a model that
      rejects its input). Default: 5 %.
    - ``model_error_rate_percent``: share of invocations that failed inside the container
      (``InvocationModelErrors``; instance variants of real-time endpoints: serverless and asynchronous endpoints do
      not publish it, the queue alarm covers asynchronous invocation failures). Default: 1 %.
    - ``memory_utilization_percent`` / ``disk_utilization_percent``: average utilization of a variant's instances
      (instance variants; memory also on serverless). Default: 90 %.
    - ``gpu_memory_utilization_percent``: GPU memory of GPU variants. SageMaker sums ``GPUMemoryUtilization`` over an
      instance's GPUs (0 to 100 x GPUs), so the threshold's scale depends on the instance type: for 90 % of each of
      4 GPUs give 360. Default: off (``None``).
    - ``backlog_without_capacity``: asynchronous endpoints: requests wait while no instance runs. Default: on.
    - ``oldest_request_age``: asynchronous endpoints: the oldest queued request waited longer than this. Default:
      none (depends on the workload, like latency).
    - ``serverless_concurrency_percent``: serverless endpoints: share of ``max_concurrency`` in use
      (``ServerlessConcurrentExecutionsUtilization``); at 100 % requests are throttled. Default: 90 %.
    - ``provisioned_concurrency_spillover``: serverless endpoints with provisioned concurrency: requests that found
      no provisioned instance and were served on demand (with a cold start). Default: on.
    - ``period``, ``evaluation_periods``, ``datapoints_to_alarm``: every alarm is in ALARM when
      ``datapoints_to_alarm`` of the last ``evaluation_periods`` periods breach. Default: 3 of 5 one-minute periods.
    """

    error_5xx_rate_percent: float | None = 1.0
    error_4xx_rate_percent: float | None = 5.0
    model_error_rate_percent: float | None = 1.0
    memory_utilization_percent: float | None = 90.0
    disk_utilization_percent: float | None = 90.0
    gpu_memory_utilization_percent: float | None = None
    backlog_without_capacity: bool = True
    oldest_request_age: Duration | None = None
    serverless_concurrency_percent: float | None = 90.0
    provisioned_concurrency_spillover: bool = True
    period: Duration | None = None
    evaluation_periods: int = 5
    datapoints_to_alarm: int = 3

    @property
    def alarm_period(self) -> Duration:
        """``period``, or its default: one minute."""
        return self.period if self.period is not None else Duration.minutes(1)

    def problems(self, where: str = "alarms.") -> list[Problem]:
        out: list[Problem] = []
        for name in ("error_5xx_rate_percent", "error_4xx_rate_percent", "model_error_rate_percent",
                     "memory_utilization_percent", "disk_utilization_percent", "gpu_memory_utilization_percent",
                     "serverless_concurrency_percent"):
            value = getattr(self, name)
            if value is None or is_unresolved(value):
                continue
            limit = 100 * 64 if name == "gpu_memory_utilization_percent" else 100  # summed over up to 64 GPUs
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= limit:
                out.append(Problem.of(f"{where}{name}", f"must be a percentage above 0 and at most {limit} (or None "
                                      "to turn the alarm off)", value))
        for name in ("period", "oldest_request_age"):
            problem = check_duration(f"{where}{name}", getattr(self, name))
            if problem is not None:
                out.append(problem)
        seconds = to_seconds(self.alarm_period)
        # CloudWatch alarm periods: 10, 20, 30 s (high resolution) or a multiple of 60 s (PutMetricAlarm, Period).
        if seconds is not None and seconds not in (10, 20, 30) and (seconds < 60 or seconds % 60):
            out.append(Problem.of(f"{where}period", "must be 10, 20 or 30 seconds or a multiple of 60 seconds "
                                  "(CloudWatch alarm periods)", f"{seconds} s"))
        for name in ("evaluation_periods", "datapoints_to_alarm"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                out.append(Problem.of(f"{where}{name}", "must be a whole number of periods, at least 1", value))
        if seconds is not None and isinstance(self.evaluation_periods, int) \
                and not isinstance(self.evaluation_periods, bool):
            # PutMetricAlarm, Period: "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds.
            # For alarms with a period of less than one hour (3,600 seconds), the total evaluation period can't be
            # longer than one day (86,400 seconds)."
            longest = 86_400 if seconds < 3600 else 604_800
            if seconds * self.evaluation_periods > longest:
                out.append(Problem.of(f"{where}evaluation_periods", f"times period ({seconds} s) must be at most "
                                      f"{longest} s (CloudWatch alarm evaluation range)", self.evaluation_periods))
        if isinstance(self.evaluation_periods, int) and isinstance(self.datapoints_to_alarm, int) \
                and self.datapoints_to_alarm > self.evaluation_periods:
            out.append(Problem.of(f"{where}datapoints_to_alarm",
                                  f"must be at most evaluation_periods ({self.evaluation_periods})",
                                  self.datapoints_to_alarm))
        return out


def alarm_topic(scope: Construct, id: str, *, display_name: str) -> sns.Topic:
    """A TLS-only SNS topic encrypted with a new key (rotation on) that CloudWatch alarms and EventBridge rules of
    this account may publish to (the key policy names both services, limited by ``aws:SourceAccount``; SNS
    developer guide, "Enable compatibility between event sources from AWS services and encrypted topics")."""
    source = {"StringEquals": {"aws:SourceAccount": account_id()}}
    key = service_key(scope, f"{id}Key", via_services=("sns",),
                      service_principals={**cloudwatch_alarm_publisher(), "events.amazonaws.com": source},
                      service_actions={"cloudwatch.amazonaws.com": CLOUDWATCH_TOPIC_ACTIONS,
                                       "events.amazonaws.com": CLOUDWATCH_TOPIC_ACTIONS},
                      description=f"Encrypts the alarm topic {node_path(scope)}/{id}")
    return sns.Topic(scope, id, master_key=key, enforce_ssl=True, display_name=display_name)


def _rate(errors: cloudwatch.IMetric, invocations: cloudwatch.IMetric, label: str, key: str,
          period: Duration | None = None) -> cloudwatch.MathExpression:
    """``errors`` per ``invocations`` in percent; 0 when nothing was invoked. ``key`` names the error metric in the
    expression (``err<key>``): graphs that show several rates need distinct ids."""
    err = f"err{key.lower()}"
    return cloudwatch.MathExpression(expression=f"IF(inv > 0, 100 * FILL({err}, 0) / inv, 0)",
                                     using_metrics={err: errors, "inv": invocations}, label=label,
                                     period=period or Duration.minutes(1))


def _share(errors: cloudwatch.IMetric, label: str, key: str,
           period: Duration | None = None) -> cloudwatch.MathExpression:
    """``errors`` (a metric that sends 1 per failed request and 0 per other request, read as its Average) in percent;
    0 when nothing was invoked. ``key`` as in :func:`_rate`."""
    err = f"err{key.lower()}"
    return cloudwatch.MathExpression(expression=f"100 * FILL({err}, 0)", using_metrics={err: errors}, label=label,
                                     period=period or Duration.minutes(1))


class _MonitoringBase(Construct):
    """The topic, the dashboard and the alarm helper shared by the endpoint and batch transform monitors."""

    topic: sns.ITopic
    dashboard: cloudwatch.Dashboard

    def _init_common(self, *, topic: sns.ITopic | None, dashboard_name: str | None, title: str) -> None:
        self.topic = topic if topic is not None else self._create_topic()
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        self.dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=dashboard_name,
                                              default_interval=Duration.hours(3))
        self.dashboard.add_widgets(cloudwatch.TextWidget(markdown=f"# {title}", width=_ROW, height=1))

    def _create_topic(self) -> sns.ITopic:
        """Default: a new encrypted topic (:func:`alarm_topic`)."""
        return alarm_topic(self, "AlarmTopic", display_name=f"Alarms of {node_path(self)}")

    def _alarm(self, id: str, *, metric: cloudwatch.IMetric, threshold: float, description: str,
               periods: tuple[int, int],
               comparison: cloudwatch.ComparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
               missing: cloudwatch.TreatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(self, id, metric=metric, threshold=threshold, alarm_description=description,
                                 evaluation_periods=periods[0], datapoints_to_alarm=periods[1],
                                 comparison_operator=comparison, treat_missing_data=missing)
        action = cw_actions.SnsAction(self.topic)
        alarm.add_alarm_action(action)
        alarm.add_ok_action(action)
        self.alarms[id] = alarm
        return alarm


class EndpointMonitoring(_MonitoringBase):
    """A dashboard and the recommended alarms of one endpoint, for every endpoint kind of this library.

    The dashboard shows, per production variant: invocations; 4XX, 5XX and model errors as rates; model and overhead
    latency at p50/p90/p99 (asynchronous endpoints publish neither ``Invocations`` nor ``OverheadLatency`` nor
    ``InvocationModelErrors``: their panels show ``InvocationsProcesssed``, the 4XX/5XX metrics' averages as rates,
    and ``TimeInBacklog``; serverless endpoints publish no ``InvocationModelErrors``); and by kind:

    - instance variants (real-time, asynchronous): CPU, memory and disk utilization, GPU and GPU memory on GPU
      instance types, and the instance count (``Invocations / InvocationsPerInstance``) against the auto scaling
      limits as horizontal lines;
    - serverless variants: cold starts (``ModelSetupTime``), concurrency used
      (``ServerlessConcurrentExecutionsUtilization``), memory utilization, and with provisioned concurrency its
      utilization and spillover invocations;
    - asynchronous endpoints: ``ApproximateBacklogSize``, ``ApproximateAgeOfOldestRequest``,
      ``HasBacklogWithoutCapacity`` and the failures to download requests, invoke the model, upload responses or
      notify;
    - inference components (those added before the monitoring is created): invocations per component and per copy,
      latency, 5XX, and utilization per copy (``/aws/sagemaker/InferenceComponents``).

    Alarms (:class:`EndpointAlarms`) go to ``topic`` on ALARM and OK; each says what it means and what to do. The
    dashboard ends with their status.

    - ``latency_p99``: alarm when the p99 of ``ModelLatency`` of any variant exceeds it. Default: no latency alarm
      (the right threshold depends on the model; see the module docstring).
    - ``topic``: Default: a new topic (:func:`alarm_topic`).
    - ``alarms``: Default: :class:`EndpointAlarms` ().
    - ``dashboard_name``: Default: generated by CloudFormation.

    Attributes: ``dashboard``, ``topic``, ``alarms`` (id -> alarm), ``endpoint``.
    """

    def __init__(self, scope: Construct, id: str, *, endpoint: EndpointBase, latency_p99: Duration | None = None,
                 topic: sns.ITopic | None = None, alarms: EndpointAlarms | None = None,
                 dashboard_name: str | None = None) -> None:
        super().__init__(scope, id)
        settings = alarms if alarms is not None else EndpointAlarms()
        problems = Problems(node_path(self))
        if not isinstance(endpoint, EndpointBase):
            problems.add("endpoint", "must be an endpoint of this library (RealtimeEndpoint, ServerlessEndpoint, "
                         "AsyncEndpoint)", type(endpoint).__name__)
        msg = check_duration("latency_p99", latency_p99)
        if msg is not None:
            problems.add_message(msg)
        elif to_seconds(latency_p99) == 0:
            problems.add("latency_p99", "must be longer than 0 seconds", latency_p99.to_human_string()
                         if latency_p99 is not None else None)
        problems.extend(settings.problems())
        problems.raise_if_any()
        self.endpoint = endpoint
        self.settings = settings
        self.latency_p99 = latency_p99
        self._init_common(topic=topic, dashboard_name=dashboard_name,
                          title=f"SageMaker endpoint {node_path(endpoint)}")
        for variant in endpoint.variants:
            self._variant_section(variant)
        if isinstance(endpoint, AsyncEndpoint):
            self._async_section(endpoint)
        for component in getattr(endpoint, "inference_components", ()):
            self._component_section(component)
        if self.alarms:
            self.dashboard.add_widgets(cloudwatch.AlarmStatusWidget(
                title="Alarms", alarms=list(self.alarms.values()), width=_ROW, height=2))
        if latency_p99 is None:
            Annotations.of(self).add_warning_v2(
                "cdk-sagemaker:monitoring:no-latency-alarm",
                "No latency alarm: pass latency_p99=Duration... (the p99 model latency your users can accept); the "
                "library does not guess one, since it depends on the model.")

    # -- one section per variant -----------------------------------------------------------------------------------
    def _variant_section(self, variant: EndpointVariant) -> None:
        name = variant.variant_name
        dash = self.dashboard
        latency = [variant.metric_model_latency(statistic=s, label=f"ModelLatency {s}")
                   for s in ("p50", "p90", "p99")]
        if variant.kind == "async":
            # Asynchronous endpoints publish neither Invocations nor OverheadLatency nor InvocationModelErrors
            # (developer guide, "Alarms and logs for tracking metrics from asynchronous endpoints": an exhaustive
            # list, https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-monitor.html). Their 4XX/5XX
            # metrics send 1 per failed request and 0 otherwise, so the Average is the share of failed requests;
            # failed invocations are InvocationFailures (the queue alarm). The metric name "InvocationsProcesssed"
            # is spelled as that page spells it.
            invocations = variant.metric("InvocationsProcesssed", label="InvocationsProcesssed")
            rates = {
                "4XX": _share(variant.metric_invocation_4xx_errors(statistic="Average"), "4XX errors %", "4xx"),
                "5XX": _share(variant.metric_invocation_5xx_errors(statistic="Average"), "5XX errors %", "5xx"),
            }
            overhead_title = f"{name}: time in backlog (µs)"
            overhead = [variant.metric("TimeInBacklog", statistic=s, label=f"TimeInBacklog {s}")
                        for s in ("p50", "p90", "p99")]
        else:
            invocations = variant.metric_invocations(label="Invocations")
            rates = {
                "4XX": _rate(variant.metric_invocation_4xx_errors(), variant.metric_invocations(), "4XX errors %",
                             "4xx"),
                "5XX": _rate(variant.metric_invocation_5xx_errors(), variant.metric_invocations(), "5XX errors %",
                             "5xx"),
            }
            if variant.kind != "serverless":
                # Serverless endpoints do not publish InvocationModelErrors (developer guide, "Alarms and logs for
                # tracking metrics from serverless endpoints": an exhaustive list,
                # https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-monitoring.html).
                rates["Model"] = _rate(variant.metric_invocation_model_errors(), variant.metric_invocations(),
                                       "Model errors %", "model")
            overhead_title = f"{name}: overhead latency (µs)"
            overhead = [variant.metric_overhead_latency(statistic=s, label=f"OverheadLatency {s}")
                        for s in ("p50", "p90", "p99")]
        dash.add_widgets(cloudwatch.TextWidget(markdown=f"## Variant {name} ({variant.kind})", width=_ROW, height=1))
        dash.add_widgets(
            cloudwatch.GraphWidget(title=f"{name}: invocations", left=[invocations], width=6),
            cloudwatch.GraphWidget(title=f"{name}: error rates (%)", left=list(rates.values()), width=6,
                                   left_y_axis=cloudwatch.YAxisProps(min=0, label="%", show_units=False)),
            cloudwatch.GraphWidget(title=f"{name}: model latency (µs)", left=latency, width=6,
                                   left_annotations=self._latency_line()),
            cloudwatch.GraphWidget(title=overhead_title, left=overhead, width=6),
        )
        if variant.kind in ("instance", "async"):
            self._instance_widgets(variant)
        if variant.kind == "serverless":
            self._serverless_widgets(variant)
        self._variant_alarms(variant, rates)

    def _latency_line(self) -> list[cloudwatch.HorizontalAnnotation]:
        if self.latency_p99 is None:
            return []
        micros = self.latency_p99.to_seconds(integral=False) * 1_000_000
        return [cloudwatch.HorizontalAnnotation(value=micros, label="latency_p99 alarm", color="#d62728")]

    def _instance_widgets(self, variant: EndpointVariant) -> None:
        name = variant.variant_name
        utilization = [variant.metric_cpu_utilization(label="CPU"), variant.metric_memory_utilization(label="Memory"),
                       variant.metric_disk_utilization(label="Disk")]
        widgets: list[cloudwatch.IWidget] = [
            cloudwatch.GraphWidget(title=f"{name}: CPU (sum over cores), memory, disk (%)", left=utilization,
                                   width=8, left_y_axis=cloudwatch.YAxisProps(min=0, show_units=False)),
        ]
        gpu = variant.instance_type is not None and not is_unresolved(variant.instance_type) \
            and accelerator_of(variant.instance_type) == "gpu"
        if gpu:
            widgets.append(cloudwatch.GraphWidget(
                title=f"{name}: GPU and GPU memory (% summed over GPUs)", width=8,
                left=[variant.metric_gpu_utilization(label="GPU"),
                      variant.metric_gpu_memory_utilization(label="GPU memory")],
                left_y_axis=cloudwatch.YAxisProps(min=0, show_units=False)))
        if variant.kind == "instance":
            count = cloudwatch.MathExpression(
                expression="IF(per > 0, inv / per, 0)", label="Instances (Invocations / InvocationsPerInstance)",
                using_metrics={"inv": variant.metric_invocations(), "per": variant.metric_invocations_per_instance()},
                period=Duration.minutes(1))
            widgets.append(cloudwatch.GraphWidget(title=f"{name}: instances vs scaling limits", left=[count],
                                                  width=8, left_annotations=self._capacity_lines(variant),
                                                  left_y_axis=cloudwatch.YAxisProps(min=0, show_units=False)))
        self.dashboard.add_widgets(*widgets)

    @staticmethod
    def _capacity_lines(variant: EndpointVariant) -> list[cloudwatch.HorizontalAnnotation]:
        scaling = getattr(variant, "scaling", None)  # NotConfiguredError is an AttributeError: no auto scaling
        if scaling is None:
            count = variant.initial_instance_count
            return [cloudwatch.HorizontalAnnotation(value=count, label="Instance count (no auto scaling)")] \
                if isinstance(count, int) else []
        lines = []
        for label, value in (("min_capacity", scaling.scaling.min_capacity),
                             ("max_capacity", scaling.scaling.max_capacity)):
            if isinstance(value, int):
                lines.append(cloudwatch.HorizontalAnnotation(value=value, label=label,
                                                             color="#d62728" if label == "max_capacity" else None))
        return lines

    def _serverless_widgets(self, variant: EndpointVariant) -> None:
        name = variant.variant_name
        widgets: list[cloudwatch.IWidget] = [
            cloudwatch.GraphWidget(title=f"{name}: cold starts (ModelSetupTime, µs)", width=8, left=[
                variant.metric_model_setup_time(statistic="Average", label="Average"),
                variant.metric_model_setup_time(statistic="Maximum", label="Maximum"),
                variant.metric_model_setup_time(statistic="SampleCount", label="Cold starts")]),
            cloudwatch.GraphWidget(title=f"{name}: concurrency used (share of max_concurrency) and memory (%)",
                                   width=8,
                                   left=[variant.metric("ServerlessConcurrentExecutionsUtilization",
                                                        statistic="Maximum", label="Concurrency used (0-1)")],
                                   right=[variant.metric("MemoryUtilization", statistic="Average",
                                                         label="Memory %")]),
        ]
        if variant.provisioned_concurrency:
            widgets.append(cloudwatch.GraphWidget(
                title=f"{name}: provisioned concurrency", width=8,
                left=[variant.metric("ServerlessProvisionedConcurrencyUtilization", statistic="Average",
                                     label="Utilization")],
                right=[variant.metric("ServerlessProvisionedConcurrencySpilloverInvocations",
                                      label="Spillover invocations"),
                       variant.metric("ServerlessProvisionedConcurrencyInvocations",
                                      label="Provisioned invocations")]))
        self.dashboard.add_widgets(*widgets)

    def _variant_alarms(self, variant: EndpointVariant, rates: Mapping[str, cloudwatch.MathExpression]) -> None:
        s = self.settings
        name = variant.variant_name
        where = f"variant {name} of endpoint {node_path(self.endpoint)}"
        periods = (s.evaluation_periods, s.datapoints_to_alarm)

        def rate(errors: str) -> cloudwatch.MathExpression:
            expr = rates[errors]
            return cloudwatch.MathExpression(expression=expr.expression, using_metrics=expr.using_metrics,
                                             label=expr.label, period=s.alarm_period)

        if s.error_5xx_rate_percent is not None:
            self._alarm(f"{name}5XXRate", metric=rate("5XX"),
                        threshold=s.error_5xx_rate_percent, periods=periods, description=(
                f"More than {s.error_5xx_rate_percent}% of requests to {where} fail with a 5XX. Users see errors. "
                "Check the endpoint's CloudWatch logs (/aws/sagemaker/Endpoints/<endpoint>) for container errors "
                "and the CPU/memory panels for overload; roll back the last model change if it started then."))
        if s.model_error_rate_percent is not None and "Model" in rates:
            self._alarm(f"{name}ModelErrorRate", metric=rate("Model"),
                        threshold=s.model_error_rate_percent, periods=periods, description=(
                f"More than {s.model_error_rate_percent}% of requests to {where} fail inside the model container "
                "(InvocationModelErrors). Read the container's log stream for the stack trace; a new model version "
                "or a changed request format is the usual cause."))
        if s.error_4xx_rate_percent is not None:
            self._alarm(f"{name}4XXRate", metric=rate("4XX"),
                        threshold=s.error_4xx_rate_percent, periods=periods, description=(
                f"More than {s.error_4xx_rate_percent}% of requests to {where} are rejected with a 4XX: malformed "
                "or oversized payloads, a wrong content type, throttling (ThrottlingException) or a model that "
                "rejects its input. Check which client changed; if it is throttling, raise capacity."))
        if self.latency_p99 is not None:
            micros = self.latency_p99.to_seconds(integral=False) * 1_000_000
            self._alarm(f"{name}LatencyP99", threshold=micros,
                        metric=variant.metric_model_latency(statistic="p99", period=s.alarm_period), periods=periods,
                        description=(
                f"The p99 model latency of {where} is above {self.latency_p99.to_human_string()} (the limit you "
                "set). Check the instance count against its maximum, CPU/GPU utilization and the request sizes; "
                "scale out or raise max_capacity if the endpoint is saturated."))
        if variant.kind in ("instance", "async", "serverless") and s.memory_utilization_percent is not None:
            namespace = "/aws/sagemaker/Endpoints" if variant.kind != "serverless" else "AWS/SageMaker"
            self._alarm(f"{name}Memory", threshold=s.memory_utilization_percent, periods=periods,
                        metric=variant.metric("MemoryUtilization", namespace=namespace, statistic="Average",
                                              period=s.alarm_period),
                        description=(
                f"Memory of {where} is above {s.memory_utilization_percent}%. The container may be killed (5XX "
                "errors follow). Look for a leak after the last deployment, or move to an instance type (or "
                "serverless memory size) with more memory."))
        if variant.kind in ("instance", "async") and s.disk_utilization_percent is not None:
            self._alarm(f"{name}Disk", threshold=s.disk_utilization_percent, periods=periods,
                        metric=variant.metric_disk_utilization(period=s.alarm_period), description=(
                f"Disk of {where} is above {s.disk_utilization_percent}%. Logs or downloaded models fill the "
                "volume; when it is full the container fails. Raise volume_size_gb or clean up what the container "
                "writes."))
        gpu = variant.instance_type is not None and not is_unresolved(variant.instance_type) \
            and accelerator_of(variant.instance_type) == "gpu"
        if gpu and s.gpu_memory_utilization_percent is not None:
            self._alarm(f"{name}GpuMemory", threshold=s.gpu_memory_utilization_percent, periods=periods,
                        metric=variant.metric_gpu_memory_utilization(period=s.alarm_period), description=(
                f"GPU memory of {where} is above {s.gpu_memory_utilization_percent}% (summed over the instance's "
                "GPUs). Out-of-memory errors follow; lower the batch size or the model's memory needs, or use an "
                "instance type with more GPU memory."))
        if variant.kind == "serverless" and s.serverless_concurrency_percent is not None:
            self._alarm(f"{name}Concurrency", threshold=s.serverless_concurrency_percent / 100, periods=periods,
                        metric=variant.metric("ServerlessConcurrentExecutionsUtilization", statistic="Maximum",
                                              period=s.alarm_period), description=(
                f"{where} uses more than {s.serverless_concurrency_percent}% of its max_concurrency; at 100% "
                "requests are throttled (ThrottlingException, 4XX). Raise max_concurrency (and the account's "
                "serverless concurrency quota if needed) or move to instances."))
        if variant.kind == "serverless" and variant.provisioned_concurrency and s.provisioned_concurrency_spillover:
            self._alarm(f"{name}Spillover", threshold=0, periods=periods,
                        metric=variant.metric("ServerlessProvisionedConcurrencySpilloverInvocations",
                                              period=s.alarm_period), description=(
                f"Requests to {where} found no free provisioned concurrency and ran on demand, with cold starts. "
                "Raise provisioned_concurrency (or scale it with auto scaling) if this persists."))

    # -- asynchronous endpoints --------------------------------------------------------------------------------------
    def _async_section(self, endpoint: AsyncEndpoint) -> None:
        s = self.settings
        failures = [endpoint.metric(n, label=n) for n in
                    ("RequestDownloadFailures", "InvocationFailures", "ResponseUploadFailures", "NotificationFailures")]
        self.dashboard.add_widgets(cloudwatch.TextWidget(markdown="## Queue", width=_ROW, height=1))
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Backlog", width=6, left=[
                endpoint.metric_approximate_backlog_size(label="ApproximateBacklogSize"),
                endpoint.metric_approximate_backlog_size_per_instance(label="per instance")]),
            cloudwatch.GraphWidget(title="Age of the oldest request (s)", width=6, left=[
                endpoint.metric_approximate_age_of_oldest_request(label="ApproximateAgeOfOldestRequest")]),
            cloudwatch.GraphWidget(title="Backlog without capacity", width=6, left=[
                endpoint.metric_has_backlog_without_capacity(label="HasBacklogWithoutCapacity")],
                left_y_axis=cloudwatch.YAxisProps(min=0, max=1, show_units=False)),
            cloudwatch.GraphWidget(title="Failures", width=6, left=failures),
        )
        where = f"asynchronous endpoint {node_path(endpoint)}"
        periods = (s.evaluation_periods, s.datapoints_to_alarm)
        if s.backlog_without_capacity:
            self._alarm("BacklogWithoutCapacity", threshold=1, periods=periods,
                        comparison=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                        metric=endpoint.metric_has_backlog_without_capacity(statistic="Maximum", period=s.alarm_period),
                        description=(
                f"Requests wait in the queue of {where} while it has no instance. Scaling from zero should start "
                "one within minutes; if this persists, check the auto scaling activity (describe-scaling-"
                "activities) and the instance quota of the account."))
        failures_sum = cloudwatch.MathExpression(
            expression=" + ".join(f"FILL(f{i}, 0)" for i in range(len(failures))), label="Failures",
            using_metrics={f"f{i}": endpoint.metric(m.metric_name, period=s.alarm_period)
                           for i, m in enumerate(failures)}, period=s.alarm_period)
        self._alarm("QueueFailures", threshold=0, metric=failures_sum, periods=periods, description=(
            f"{where} failed to download a request from S3, invoke the model, upload a response or send a "
            "notification. Check the execution role's access to the input and output buckets and their keys, the "
            "topics, and the container logs for invocation errors."))
        if s.oldest_request_age is not None:
            self._alarm("OldestRequestAge", threshold=s.oldest_request_age.to_seconds(integral=False), periods=periods,
                        metric=endpoint.metric_approximate_age_of_oldest_request(statistic="Maximum",
                                                                                 period=s.alarm_period),
                        description=(
                f"The oldest request in the queue of {where} has waited longer than "
                f"{s.oldest_request_age.to_human_string()}. The endpoint cannot keep up: raise max_capacity or the "
                "scaling target, or look for slow requests."))

    # -- inference components ----------------------------------------------------------------------------------------
    def _component_section(self, component: InferenceComponent) -> None:
        label = component.node.id
        per_copy = [component.metric(n, namespace="/aws/sagemaker/InferenceComponents", statistic="Average",
                                     label=n.removesuffix("Normalized"))
                    for n in ("CPUUtilizationNormalized", "MemoryUtilizationNormalized", "GPUUtilizationNormalized",
                              "GPUMemoryUtilizationNormalized")]
        self.dashboard.add_widgets(cloudwatch.TextWidget(markdown=f"## Inference component {label}", width=_ROW,
                                                         height=1))
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title=f"{label}: invocations", width=6,
                                   left=[component.metric_invocations(label="Invocations")],
                                   right=[component.metric("InvocationsPerCopy", label="per copy")]),
            cloudwatch.GraphWidget(title=f"{label}: model latency (µs)", width=6, left=[
                component.metric_model_latency(statistic=s, label=s) for s in ("p50", "p90", "p99")]),
            cloudwatch.GraphWidget(title=f"{label}: 5XX error rate (%)", width=6, left=[
                _rate(component.metric_invocation_5xx_errors(), component.metric_invocations(), "5XX %", "5xx")]),
            cloudwatch.GraphWidget(title=f"{label}: utilization per copy (%)", width=6, left=per_copy),
        )
        s = self.settings
        if s.error_5xx_rate_percent is not None:
            rate = _rate(component.metric_invocation_5xx_errors(), component.metric_invocations(), "5XX %", "5xx",
                         period=s.alarm_period)
            self._alarm(f"{label}5XXRate", metric=rate, threshold=s.error_5xx_rate_percent,
                        periods=(s.evaluation_periods, s.datapoints_to_alarm),
                        description=(
                f"More than {s.error_5xx_rate_percent}% of requests to inference component "
                f"{node_path(component)} fail with a 5XX. Check its container logs and copy count; roll back its "
                "model if the errors started with a new version."))


class BatchTransformMonitoring(_MonitoringBase):
    """A dashboard for a :class:`~cdk_sagemaker.BatchTransform`: runs started, succeeded, failed, timed out and
    aborted, and run duration; optionally an alarm when a run takes longer than ``max_duration``.

    The transform's own failure alarm (``transform.alarm``) already notifies its topic; this adds it to the
    dashboard. ``topic``: for the duration alarm. Default: the transform's topic.
    """

    def __init__(self, scope: Construct, id: str, *, transform: BatchTransform, max_duration: Duration | None = None,
                 topic: sns.ITopic | None = None, dashboard_name: str | None = None) -> None:
        super().__init__(scope, id)
        problems = Problems(node_path(self))
        msg = check_duration("max_duration", max_duration)
        if msg is not None:
            problems.add_message(msg)
        problems.raise_if_any()
        self.transform = transform
        self._init_common(topic=topic if topic is not None else transform.topic, dashboard_name=dashboard_name,
                          title=f"SageMaker batch transform {node_path(transform)}")
        machine = transform.state_machine
        period = Duration.minutes(5)
        self.dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Runs", width=8, left=[
                machine.metric_started(period=period, label="Started"),
                machine.metric_succeeded(period=period, label="Succeeded")]),
            cloudwatch.GraphWidget(title="Failed runs", width=8, left=[
                machine.metric_failed(period=period, label="Failed"),
                machine.metric_timed_out(period=period, label="Timed out"),
                machine.metric_aborted(period=period, label="Aborted")]),
            cloudwatch.GraphWidget(title="Run duration (ms)", width=8, left=[
                machine.metric_time(period=period, statistic="Maximum", label="Maximum"),
                machine.metric_time(period=period, statistic="Average", label="Average")]),
        )
        self.dashboard.add_widgets(cloudwatch.AlarmStatusWidget(alarms=[transform.alarm], title="Failure alarm",
                                                                width=_ROW, height=2))
        if max_duration is not None:
            self._alarm("LongRun", threshold=max_duration.to_milliseconds(), periods=(1, 1),
                        metric=machine.metric_time(period=period, statistic="Maximum"),
                        description=(
                f"A run of batch transform {node_path(transform)} took longer than "
                f"{max_duration.to_human_string()}. The input grew or the job slowed down: check the transform job's "
                "logs and instance metrics, and raise the instance count or the timeout."))
