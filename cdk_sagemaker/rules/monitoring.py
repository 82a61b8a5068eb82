"""Readiness rules 9850-9879: Model Monitor schedules and job definitions, enhanced metrics, and where monitoring
notifications go.

Sources: "The cron expression for monitoring schedule",
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html; "Data and model quality
monitoring with Amazon SageMaker Model Monitor", https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html;
"Model quality", https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html; "Amazon SageMaker
AI enhanced metrics for inference endpoints",
https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch-enhanced-metrics.html; Serverless Inference
feature exclusions, https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html; "Encrypting messages
published to Amazon SNS with AWS KMS", https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker._metrics_config import publish_frequencies
from cdk_sagemaker._monitor_schedule import max_runtime_seconds, monitor_schedule_problems
from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import (
    Template,
    as_list,
    config_of_endpoint,
    get,
    is_async,
    is_conditional,
    is_serverless,
    key_policy_statements,
    props,
    refs_in,
    resource,
    resources,
    target,
    type_of,
    variants,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "monitoring"]
_MONITOR = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html"
_ENHANCED = "https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch-enhanced-metrics.html"

#: Job definition type -> (the property holding the job input, the capture modes the job reads).
_JOB_DEFINITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "AWS::SageMaker::DataQualityJobDefinition": ("DataQualityJobInput", ("Input",)),
    "AWS::SageMaker::ModelQualityJobDefinition": ("ModelQualityJobInput", ("Output",)),
    "AWS::SageMaker::ModelBiasJobDefinition": ("ModelBiasJobInput", ("Input", "Output")),
    "AWS::SageMaker::ModelExplainabilityJobDefinition": ("ModelExplainabilityJobInput", ("Input",)),
}


def _monitored(t: Template) -> Iterator[tuple[str, list[str | int], str, tuple[str, ...]]]:
    """``(resource id, path of its EndpointName, endpoint id, capture modes read)`` for every job definition (and
    inline schedule job definition) that monitors an endpoint of this template."""
    for name, job in resources(t, *_JOB_DEFINITIONS):
        input_prop, needs = _JOB_DEFINITIONS[str(job.get("Type"))]
        value = get(props(job), input_prop, "EndpointInput", "EndpointName")
        endpoint = target(value)
        if type_of(t, endpoint) == "AWS::SageMaker::Endpoint" and endpoint is not None:
            yield name, ["Resources", name, "Properties", input_prop, "EndpointInput", "EndpointName"], endpoint, needs
    for name, schedule in resources(t, "AWS::SageMaker::MonitoringSchedule"):
        inputs = get(props(schedule), "MonitoringScheduleConfig", "MonitoringJobDefinition", "MonitoringInputs")
        for i, item in enumerate(as_list(inputs)):
            endpoint = target(get(item, "EndpointInput", "EndpointName"))
            if type_of(t, endpoint) == "AWS::SageMaker::Endpoint" and endpoint is not None:
                yield name, ["Resources", name, "Properties", "MonitoringScheduleConfig", "MonitoringJobDefinition",
                             "MonitoringInputs", i, "EndpointInput", "EndpointName"], endpoint, ("Input",)


def _config(t: Template, endpoint_id: str) -> tuple[str, Mapping[str, Any]] | None:
    config_id = config_of_endpoint(t, resource(t, endpoint_id) or {})
    cfg = resource(t, config_id)
    return (config_id, props(cfg)) if config_id is not None and cfg is not None else None


class MonitoringScheduleExpression(TemplateRule, CloudFormationLintRule):
    """Model Monitor accepts only ``cron(0 * ? * * *)`` (hourly), ``cron(0 H ? * * *)`` (daily), ``cron(0 H/N ? * *
    *)`` (every N hours) and ``NOW`` (one run, which needs ``DataAnalysisStartTime`` and ``DataAnalysisEndTime``);
    analysis window offsets are negative ISO 8601 durations at most 24 hours apart. Any other expression (EventBridge
    ``rate(...)``, minutes other than 0, day-of-week fields) fails CreateMonitoringSchedule. Source: "The cron
    expression for monitoring schedule",
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html, and botocore
    ``ScheduleConfig``."""

    id = "E9850"
    shortdesc = "Monitoring schedule expression Model Monitor does not accept"
    description = "MonitoringSchedule ScheduleExpression must be one of the cron forms Model Monitor accepts"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, schedule in resources(t, "AWS::SageMaker::MonitoringSchedule"):
            config = get(props(schedule), "MonitoringScheduleConfig", "ScheduleConfig")
            if not isinstance(config, Mapping) or is_conditional(config):
                continue
            expression = config.get("ScheduleExpression")
            start, end = config.get("DataAnalysisStartTime"), config.get("DataAnalysisEndTime")
            if not isinstance(expression, str) or not all(v is None or isinstance(v, str) for v in (start, end)):
                continue
            for problem in monitor_schedule_problems(expression, param="ScheduleExpression", start=start, end=end,
                                                     start_param="DataAnalysisStartTime",
                                                     end_param="DataAnalysisEndTime"):
                yield RuleMatch(["Resources", name, "Properties", "MonitoringScheduleConfig", "ScheduleConfig"],
                                f"MonitoringSchedule {name}: {problem}")


class MonitoredEndpointWithoutCapture(TemplateRule, CloudFormationLintRule):
    """Model Monitor analyses what data capture writes: a monitoring job on an endpoint whose config captures
    nothing (no ``DataCaptureConfig``, or ``EnableCapture: false``), or not what the job reads (data quality and
    explainability read requests, ``Input``; model quality reads predictions, ``Output``; bias both), has no data:
    every run fails or finds nothing. Source: "Data and model quality monitoring with Amazon SageMaker Model
    Monitor", https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html ("Capture data")."""

    id = "E9851"
    shortdesc = "Monitored endpoint does not capture what the monitor reads"
    description = "The endpoint a monitoring job reads must capture its requests (and responses where needed)"
    source_url = _MONITOR
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, path, endpoint, needs in _monitored(t):
            found = _config(t, endpoint)
            if found is None:
                continue
            config_id, cfg = found
            capture = cfg.get("DataCaptureConfig")
            if is_conditional(capture):
                continue
            if not isinstance(capture, Mapping) or capture.get("EnableCapture", True) in (False, "false"):
                yield RuleMatch(path, f"{name}: monitors endpoint {endpoint}, whose config {config_id} captures no "
                                "data; Model Monitor reads captured data: add DataCaptureConfig with EnableCapture")
                continue
            modes = {get(o, "CaptureMode") for o in as_list(capture.get("CaptureOptions"))}
            missing = [m for m in needs if m not in modes]
            if missing and all(isinstance(m, str) for m in modes):
                yield RuleMatch(path, f"{name}: monitors endpoint {endpoint}, whose config {config_id} does not "
                                f"capture {' and '.join(missing)}, which this monitor reads: add CaptureMode "
                                f"{', '.join(missing)} to DataCaptureConfig.CaptureOptions")


class MonitoredServerlessEndpoint(TemplateRule, CloudFormationLintRule):
    """Serverless Inference does not support Model Monitor (nor the data capture it reads): a monitoring job on a
    serverless endpoint cannot run. Source: Serverless Inference feature exclusions,
    https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9852"
    shortdesc = "Model Monitor on a serverless endpoint"
    description = "Serverless endpoints do not support Model Monitor"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html"
    tags = _TAGS
    unique = True

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, path, endpoint, _ in _monitored(t):
            found = _config(t, endpoint)
            if found is not None and any(is_serverless(v) for v in variants(resource(t, found[0]))):
                yield RuleMatch(path, f"{name}: monitors endpoint {endpoint}, which is serverless (config "
                                f"{found[0]}); Serverless Inference does not support Model Monitor: monitor an "
                                "instance-based endpoint")


class MetricPublishFrequency(TemplateRule, CloudFormationLintRule):
    """``MetricsConfig.MetricPublishFrequencyInSeconds`` takes only the documented values (10, 30, 60, 120, 180, 240,
    300 seconds; read from botocore's documentation of the member); CreateEndpointConfig rejects any other. Source:
    SageMaker API reference, MetricsConfig,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MetricsConfig.html."""

    id = "E9853"
    shortdesc = "Metric publish frequency SageMaker does not accept"
    description = "MetricsConfig MetricPublishFrequencyInSeconds must be one of the documented values"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MetricsConfig.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        allowed = publish_frequencies()
        for name, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
            value = get(props(cfg), "MetricsConfig", "MetricPublishFrequencyInSeconds")
            number = int(value) if isinstance(value, int | str) and not isinstance(value, bool) \
                and str(value).isdigit() else None
            if number is not None and allowed and number not in allowed:
                yield RuleMatch(["Resources", name, "Properties", "MetricsConfig", "MetricPublishFrequencyInSeconds"],
                                f"EndpointConfig {name}: MetricPublishFrequencyInSeconds must be one of "
                                f"{list(allowed)}, got {value!r}")


class EnhancedMetricsOnServerlessOrAsync(TemplateRule, CloudFormationLintRule):
    """Enhanced metrics (``MetricsConfig``) are documented for real-time endpoints (single-model, multi-container and
    inference-component endpoints); serverless and asynchronous endpoint configs are not among them, so the setting
    is at best ignored. Source: "Amazon SageMaker AI enhanced metrics for inference endpoints",
    https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch-enhanced-metrics.html."""

    id = "W9854"
    shortdesc = "Enhanced metrics on a serverless or asynchronous endpoint"
    description = "MetricsConfig applies to real-time endpoints"
    source_url = _ENHANCED
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
            metrics = props(cfg).get("MetricsConfig")
            if not isinstance(metrics, Mapping) or is_conditional(metrics):
                continue
            kind = "asynchronous" if is_async(cfg) else \
                "serverless" if any(is_serverless(v) for v in variants(cfg)) else None
            if kind is not None:
                yield RuleMatch(["Resources", name, "Properties", "MetricsConfig"],
                                f"EndpointConfig {name}: MetricsConfig is set on a {kind} endpoint config; enhanced "
                                "metrics are documented for real-time endpoints only: remove it")


class ModelQualityWithoutPrediction(TemplateRule, CloudFormationLintRule):
    """A model quality job must know where the prediction is in the captured output: ``InferenceAttribute`` for
    regression and multiclass classification; for binary classification ``InferenceAttribute``, or
    ``ProbabilityAttribute`` with ``ProbabilityThresholdAttribute``. Without it the job cannot compute any metric and
    every run fails. Source: "Model quality",
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html."""

    id = "E9855"
    shortdesc = "Model quality job without the prediction's attribute"
    description = "ModelQualityJobDefinition EndpointInput must name the prediction for its problem type"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, job in resources(t, "AWS::SageMaker::ModelQualityJobDefinition"):
            p = props(job)
            problem = get(p, "ModelQualityAppSpecification", "ProblemType")
            job_input = get(p, "ModelQualityJobInput")
            source = get(job_input, "EndpointInput") or get(job_input, "BatchTransformInput")
            if not isinstance(problem, str) or not isinstance(source, Mapping) or is_conditional(source):
                continue
            has_inference = source.get("InferenceAttribute") is not None
            has_probability = source.get("ProbabilityAttribute") is not None \
                and source.get("ProbabilityThresholdAttribute") is not None
            ok = has_inference or (problem == "BinaryClassification" and has_probability)
            if not ok:
                need = "InferenceAttribute (or ProbabilityAttribute and ProbabilityThresholdAttribute)" \
                    if problem == "BinaryClassification" else "InferenceAttribute"
                yield RuleMatch(["Resources", name, "Properties", "ModelQualityJobInput"],
                                f"ModelQualityJobDefinition {name}: a {problem} monitor must name the prediction in "
                                f"the captured output: set {need}")


def _allows_events(statements: list[Any], action: str) -> bool:
    for s in statements:
        principal = s.principals
        services = as_list(get(principal, "Service")) if isinstance(principal, Mapping) else []
        if s.effect == "Allow" and "events.amazonaws.com" in services and any(
                fnmatch.fnmatchcase(action.lower(), a.lower()) for a in s.actions):
            return True
    return False


class RuleTopicKeyDeniesEventBridge(TemplateRule, CloudFormationLintRule):
    """An EventBridge rule (for example on Model Monitor violations) that targets an SNS topic encrypted with a KMS
    key delivers only if the key policy allows ``events.amazonaws.com`` ``kms:Decrypt`` and
    ``kms:GenerateDataKey*``; with the AWS managed key ``alias/aws/sns`` it never can. The event matches, the target
    invocation fails, and nobody is told. Source: "Encrypting messages published to Amazon SNS with AWS KMS",
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html."""

    id = "W9856"
    shortdesc = "EventBridge rule targets an encrypted topic EventBridge cannot use"
    description = "The key of an SNS topic that EventBridge rules target must allow events.amazonaws.com"
    source_url = "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, rule in resources(t, "AWS::Events::Rule"):
            for i, tgt in enumerate(as_list(props(rule).get("Targets"))):
                topic_id = target(get(tgt, "Arn"))
                if type_of(t, topic_id) != "AWS::SNS::Topic":
                    continue
                key_value = props(resource(t, topic_id)).get("KmsMasterKeyId")
                path: list[str | int] = ["Resources", name, "Properties", "Targets", i, "Arn"]
                if isinstance(key_value, str) and key_value.endswith("alias/aws/sns"):
                    yield RuleMatch(path, f"Rule {name}: targets topic {topic_id}, encrypted with the AWS managed key "
                                    "alias/aws/sns, which EventBridge cannot use; use a customer managed key that "
                                    "allows events.amazonaws.com kms:Decrypt and kms:GenerateDataKey*")
                    continue
                found = key_policy_statements(t, key_value)
                if found is None:
                    continue
                key_id, statements = found
                missing = [a for a in ("kms:Decrypt", "kms:GenerateDataKey") if not _allows_events(statements, a)]
                if missing:
                    yield RuleMatch(path, f"Rule {name}: targets topic {topic_id}, whose key {key_id} does not allow "
                                    f"events.amazonaws.com {', '.join(missing)}, so deliveries fail; add a key policy "
                                    "statement for Principal Service events.amazonaws.com with kms:Decrypt and "
                                    "kms:GenerateDataKey* (condition aws:SourceAccount)")


#: MonitoringType of a schedule -> the job definition type it runs.
_TYPES = {"DataQuality": "AWS::SageMaker::DataQualityJobDefinition",
          "ModelQuality": "AWS::SageMaker::ModelQualityJobDefinition",
          "ModelBias": "AWS::SageMaker::ModelBiasJobDefinition",
          "ModelExplainability": "AWS::SageMaker::ModelExplainabilityJobDefinition"}


class ScheduleTypeMismatch(TemplateRule, CloudFormationLintRule):
    """A monitoring schedule runs the job definition named in ``MonitoringJobDefinitionName`` as the
    ``MonitoringType`` it states; SageMaker looks the definition up by that type, so a data quality definition
    scheduled as ``ModelQuality`` (or the reverse) is not found and CreateMonitoringSchedule fails. Source: SageMaker
    API reference, MonitoringScheduleConfig,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringScheduleConfig.html."""

    id = "E9857"
    shortdesc = "Monitoring schedule type does not match its job definition"
    description = "MonitoringType must be the type of the job definition the schedule names"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringScheduleConfig.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, schedule in resources(t, "AWS::SageMaker::MonitoringSchedule"):
            config = get(props(schedule), "MonitoringScheduleConfig")
            if not isinstance(config, Mapping) or is_conditional(config):
                continue
            kind = config.get("MonitoringType", "DataQuality")
            jobs = [j for j in refs_in(config.get("MonitoringJobDefinitionName")) if type_of(t, j) in _TYPES.values()]
            if not isinstance(kind, str) or kind not in _TYPES or len(jobs) != 1:
                continue
            actual = type_of(t, jobs[0])
            if actual != _TYPES[kind]:
                yield RuleMatch(["Resources", name, "Properties", "MonitoringScheduleConfig"],
                                f"MonitoringSchedule {name}: MonitoringType {kind} names job definition {jobs[0]}, "
                                f"which is a {actual}; set MonitoringType to "
                                f"{next(k for k, v in _TYPES.items() if v == actual)}")


class MonitoringRuntimeOutlastsSchedule(TemplateRule, CloudFormationLintRule):
    """A monitoring run may not last longer than its schedule's frequency: ``MaxRuntimeInSeconds`` "cannot exceed
    the frequency of the job. For data quality and model explainability, this can be up to 3600 seconds for an hourly
    schedule. For model bias and model quality hourly schedules, this can be up to 1800 seconds" (SageMaker API
    reference, MonitoringStoppingCondition,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringStoppingCondition.html). Checked for a
    schedule that names a job definition of this template, or holds its own job definition (data quality)."""

    id = "E9858"
    shortdesc = "Monitoring job may run longer than its schedule allows"
    description = "MaxRuntimeInSeconds must not exceed the schedule's frequency (1800 s for hourly model quality/bias)"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringStoppingCondition.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, schedule in resources(t, "AWS::SageMaker::MonitoringSchedule"):
            config = get(props(schedule), "MonitoringScheduleConfig")
            if not isinstance(config, Mapping) or is_conditional(config):
                continue
            expression = get(config, "ScheduleConfig", "ScheduleExpression")
            kind = config.get("MonitoringType", "DataQuality")
            if not isinstance(expression, str) or not isinstance(kind, str):
                continue
            limit = max_runtime_seconds(expression, kind)
            if limit is None:
                continue
            checked: list[tuple[list[str | int], object, str]] = []
            inline = get(config, "MonitoringJobDefinition", "StoppingCondition", "MaxRuntimeInSeconds")
            if inline is not None:
                checked.append((["Resources", name, "Properties", "MonitoringScheduleConfig",
                                 "MonitoringJobDefinition", "StoppingCondition", "MaxRuntimeInSeconds"], inline,
                                f"MonitoringSchedule {name}"))
            for job in refs_in(config.get("MonitoringJobDefinitionName")):
                if type_of(t, job) in _TYPES.values():
                    checked.append((["Resources", job, "Properties", "StoppingCondition", "MaxRuntimeInSeconds"],
                                    get(props(resource(t, job) or {}), "StoppingCondition", "MaxRuntimeInSeconds"),
                                    f"{type_of(t, job)} {job} (run by MonitoringSchedule {name})"))
            for path, value, what in checked:
                if isinstance(value, int) and not isinstance(value, bool) and value > limit:
                    yield RuleMatch(path, f"{what}: MaxRuntimeInSeconds {value} exceeds {limit}, the most a {kind} "
                                          f"run may last on the schedule {expression}")
