"""Model Monitor: job definitions and schedules from the catalogue's images, least-privilege roles, encryption,
network of the endpoint's model, schedule validation, model-quality rules, violation rules and retraining targets."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker._monitor_schedule import daily, every_hours, monitor_schedule_problems, offset_seconds
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.model_monitor import (
    DataQualityMonitor,
    ModelBiasMonitor,
    ModelExplainabilityMonitor,
    ModelQualityMonitor,
    MonitoringBaseline,
    MonitoringResources,
    RetrainingTarget,
)
from cdk_sagemaker.constructs.network import InferenceNetwork
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
PIPELINE = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/retrain"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), network_isolation=False)


@pytest.fixture
def endpoint(stack: cdk.Stack, model: Model) -> RealtimeEndpoint:
    return RealtimeEndpoint(stack, "Endpoint", model=model, data_capture=DataCapture())


def _policy(stack: cdk.Stack, monitor: Any) -> list[dict[str, Any]]:
    props = Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(monitor.policy.node.default_child)]
    return props["Properties"]["PolicyDocument"]["Statement"]  # type: ignore[no-any-return]


def test_data_quality_monitor_renders_job_definition_and_schedule(stack: cdk.Stack,
                                                                  endpoint: RealtimeEndpoint) -> None:
    mon = DataQualityMonitor(stack, "DataQuality", endpoint=endpoint, baseline=MonitoringBaseline.from_s3(
        constraints_s3_uri="s3://baselines/dq/constraints.json", statistics_s3_uri="s3://baselines/dq/statistics.json"))
    t = Template.from_stack(stack)
    key = {"Fn::GetAtt": [stack.get_logical_id(mon.kms_key.node.default_child), "Arn"]}  # type: ignore[arg-type]
    t.has_resource_properties("AWS::SageMaker::DataQualityJobDefinition", {
        "DataQualityAppSpecification": {"ImageUri": Match.any_value(),
                                        "Environment": {"publish_cloudwatch_metrics": "Enabled"}},
        "DataQualityBaselineConfig": {"ConstraintsResource": {"S3Uri": "s3://baselines/dq/constraints.json"},
                                      "StatisticsResource": {"S3Uri": "s3://baselines/dq/statistics.json"}},
        "DataQualityJobInput": {"EndpointInput": {"EndpointName": {"Fn::GetAtt": [
            stack.get_logical_id(endpoint.cfn_endpoint), "EndpointName"]},
            "LocalPath": "/opt/ml/processing/input/endpoint"}},
        "DataQualityJobOutputConfig": {"KmsKeyId": key, "MonitoringOutputs": [Match.any_value()]},
        "JobResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge",
                                           "VolumeSizeInGB": 20, "VolumeKmsKeyId": key}},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
        "NetworkConfig": {"EnableInterContainerTrafficEncryption": True},
    })
    t.has_resource_properties("AWS::SageMaker::MonitoringSchedule", {"MonitoringScheduleConfig": {
        "MonitoringType": "DataQuality", "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
        "MonitoringJobDefinitionName": {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::GetAtt": [
            stack.get_logical_id(mon.job_definition), "JobDefinitionArn"]}]}]}}})
    assert mon.node.default_child is mon.schedule


def test_images_come_from_the_catalogue_per_region() -> None:
    app = cdk.App()
    stack = cdk.Stack(app, "S", env=cdk.Environment(account="123456789012", region="eu-west-1"))
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), network_isolation=False)
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, data_capture=DataCapture())
    dq = DataQualityMonitor(stack, "DQ", endpoint=ep)
    bias = ModelBiasMonitor(stack, "Bias", endpoint=ep, analysis_config_s3_uri="s3://cfg/bias.json",
                            ground_truth_s3_uri="s3://labels/gt")
    assert dq.image_uri == "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"
    assert bias.image_uri == "131013547314.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-clarify-processing:1.0"
    pulls = [s for s in _policy(stack, dq) if "ecr:BatchGetImage" in s["Action"]]
    assert pulls[0]["Resource"] == {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                                      ":ecr:eu-west-1:468650794304:repository/"
                                                      "sagemaker-model-monitor-analyzer"]]}


def test_role_reads_capture_and_baseline_and_writes_only_its_prefix(stack: cdk.Stack,
                                                                    endpoint: RealtimeEndpoint) -> None:
    mon = DataQualityMonitor(stack, "DataQuality", endpoint=endpoint, baseline=MonitoringBaseline.from_s3(
        constraints_s3_uri="s3://baselines/dq/constraints.json"))
    statements = _policy(stack, mon)
    by_action = {(a if isinstance(a, str) else tuple(a)): s for s in statements for a in [s["Action"]]}
    assert by_action["s3:PutObject"]["Resource"] == {"Fn::Join": ["", [{"Fn::GetAtt": [
        stack.get_logical_id(mon.output_bucket.node.default_child), "Arn"]}, "/model-monitor/DataQuality/*"]]}  # type: ignore[arg-type]
    gets = [s["Resource"] for s in statements if s["Action"] == "s3:GetObject"]
    assert {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::baselines/dq/constraints.json"]]} in gets
    assert by_action["cloudwatch:PutMetricData"]["Condition"] == {
        "StringEquals": {"cloudwatch:namespace": "aws/sagemaker/Endpoints/data-metrics"}}
    assert not any(s["Action"] in ("s3:*", "*") or (s["Resource"] == "*" and s["Action"] not in (
        "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData")) for s in statements)
    Template.from_stack(stack).has_resource_properties("AWS::IAM::Role", {"AssumeRolePolicyDocument": {
        "Statement": [Match.object_like({"Principal": {"Service": "sagemaker.amazonaws.com"}})]},
        "Description": Match.string_like_regexp("DataQuality monitoring")})


def test_data_keys_may_decrypt_baselines_and_ground_truth(stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    from cdk_sagemaker.constructs.storage import SecureBucket

    labels = SecureBucket(stack, "Labels")
    mon = ModelQualityMonitor(stack, "MQ", endpoint=endpoint, problem_type="Regression", inference_attribute="0",
                              ground_truth_s3_uri=labels.s3_url_for_object("gt"), data_keys=[labels.encryption_key])
    decrypt = [s["Resource"] for s in _policy(stack, mon) if s["Action"] == "kms:Decrypt"]
    key = {"Fn::GetAtt": [stack.get_logical_id(labels.encryption_key.node.default_child), "Arn"]}  # type: ignore[arg-type]
    assert key in decrypt


def test_monitor_runs_in_the_network_of_the_endpoint_model(stack: cdk.Stack) -> None:
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    network = InferenceNetwork(stack, "Network", vpc=vpc)
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), network=network)
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, data_capture=DataCapture())
    mon = DataQualityMonitor(stack, "DataQuality", endpoint=ep)
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::DataQualityJobDefinition", {
        "NetworkConfig": {"EnableInterContainerTrafficEncryption": True, "VpcConfig": {
            "SecurityGroupIds": [{"Fn::GetAtt": [stack.get_logical_id(
                model.security_group.node.default_child), "GroupId"]}],  # type: ignore[arg-type]
            "Subnets": Match.any_value()}}})
    assert any("ec2:CreateNetworkInterface" in s["Action"] for s in _policy(stack, mon))


def test_model_quality_renders_problem_type_ground_truth_and_attributes(stack: cdk.Stack,
                                                                        endpoint: RealtimeEndpoint) -> None:
    mon = ModelQualityMonitor(stack, "ModelQuality", endpoint=endpoint, problem_type="BinaryClassification",
                              ground_truth_s3_uri="s3://labels/gt", probability_attribute="0",
                              probability_threshold=0.5, schedule=daily(3),
                              data_analysis_start="-PT3H", data_analysis_end="-PT1H",
                              start_time_offset="-P8D", end_time_offset="-P1D")
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::ModelQualityJobDefinition", {
        "ModelQualityAppSpecification": Match.object_like({"ProblemType": "BinaryClassification"}),
        "ModelQualityJobInput": {"GroundTruthS3Input": {"S3Uri": "s3://labels/gt"},
                                 "EndpointInput": Match.object_like({
                                     "ProbabilityAttribute": "0", "ProbabilityThresholdAttribute": 0.5,
                                     "StartTimeOffset": "-P8D", "EndTimeOffset": "-P1D"})}})
    t.has_resource_properties("AWS::SageMaker::MonitoringSchedule", {"MonitoringScheduleConfig": Match.object_like({
        "ScheduleConfig": {"ScheduleExpression": "cron(0 3 ? * * *)", "DataAnalysisStartTime": "-PT3H",
                           "DataAnalysisEndTime": "-PT1H"}})})
    gets = [s["Resource"] for s in _policy(stack, mon) if s["Action"] == "s3:GetObject"]
    assert {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::labels/gt/*"]]} in gets


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"problem_type": "Clustering"}, r"problem_type must be one of \['BinaryClassification', "),
    ({"problem_type": "Regression"}, r"inference_attribute must be given for Regression"),
    ({"problem_type": "BinaryClassification", "probability_attribute": "0"},
     r"inference_attribute must be given for BinaryClassification unless probability_attribute and"),
    ({"problem_type": "Regression", "inference_attribute": "0", "probability_threshold": 0.5},
     r"probability_threshold applies only to BinaryClassification"),
    ({"problem_type": "BinaryClassification", "inference_attribute": "0", "probability_threshold": 2},
     r"probability_threshold must be a number between 0 and 1"),
    ({"problem_type": "Regression", "inference_attribute": "0", "ground_truth_s3_uri": "labels/gt"},
     r"ground_truth_s3_uri must be an S3 URI"),
])
def test_model_quality_rules(stack: cdk.Stack, endpoint: RealtimeEndpoint, kwargs: dict[str, Any],
                             match: str) -> None:
    args: dict[str, Any] = {"ground_truth_s3_uri": "s3://labels/gt", **kwargs}
    with pytest.raises(ValidationError, match=match):
        ModelQualityMonitor(stack, "ModelQuality", endpoint=endpoint, **args)


@pytest.mark.parametrize(("expression", "ok"), [
    ("cron(0 * ? * * *)", True), ("cron(0 12 ? * * *)", True), ("cron(0 0 ? * * *)", True),
    ("cron(0 17/12 ? * * *)", True), ("cron(0 0/2 ? * * *)", True),
    ("cron(30 * ? * * *)", False), ("cron(0 24 ? * * *)", False), ("cron(0 0/25 ? * * *)", False),
    ("rate(1 hour)", False), ("cron(0 12 * * ? *)", False), ("cron(0 12 ? * MON *)", False), ("NOW", False),
])
def test_schedule_forms_model_monitor_accepts(expression: str, ok: bool) -> None:
    assert (monitor_schedule_problems(expression) == []) is ok


def test_schedule_helpers_and_offsets() -> None:
    assert daily(5) == "cron(0 5 ? * * *)" and every_hours(6, starting_hour=1) == "cron(0 1/6 ? * * *)"
    assert offset_seconds("-PT5H") == 18000 and offset_seconds("-P1DT1M") == 86460 and offset_seconds("PT1H") is None
    assert monitor_schedule_problems("NOW", start="-PT5H", end="-PT1H") == []
    assert monitor_schedule_problems("cron(0 * ? * * *)", start="-P2D", end="-PT1H") == [
        "data_analysis_start must not precede data_analysis_end ('-PT1H') by more than 24 hours, got '-P2D'"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"schedule": "rate(1 hour)"}, r"schedule must be one of cron\(0 \* \? \* \* \*\)"),
    ({"schedule": "NOW"}, r"data_analysis_start/data_analysis_end must both be given"),
    ({"baseline": MonitoringBaseline()}, r"baseline.constraints_s3_uri or baselining_job_name must be given"),
    ({"baseline": MonitoringBaseline.from_s3(constraints_s3_uri="http://x/c.json")},
     r"baseline.constraints_s3_uri must be an S3 URI"),
    ({"resources": MonitoringResources(instance_type="ml.m5.huge")},
     r"resources.instance_type must be a processing instance type"),
    ({"resources": MonitoringResources(volume_size_gb=0)}, r"resources.volume_size_gb must be a whole number"),
    ({"resources": MonitoringResources(max_runtime=Duration.days(2))}, r"resources.max_runtime must be whole"),
    ({"output_prefix": "/reports/"}, r"output_prefix must be an S3 key prefix"),
    ({"retraining": RetrainingTarget.sagemaker_pipeline("arn:aws:states:x")}, r"retraining.pipeline_arn must be"),
])
def test_common_rules_are_reported_together(stack: cdk.Stack, endpoint: RealtimeEndpoint, kwargs: dict[str, Any],
                                            match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        DataQualityMonitor(stack, "DataQuality", endpoint=endpoint, **kwargs)


def test_endpoint_must_capture_what_the_monitor_reads(stack: cdk.Stack, model: Model) -> None:
    plain = RealtimeEndpoint(stack, "Plain", model=model)
    with pytest.raises(ValidationError, match=r"endpoint must capture data"):
        DataQualityMonitor(stack, "DQ", endpoint=plain)
    inputs_only = RealtimeEndpoint(stack, "InputsOnly", model=model, data_capture=DataCapture(capture_output=False))
    with pytest.raises(ValidationError, match=r"endpoint must capture output .*the ModelQuality monitor reads"):
        ModelQualityMonitor(stack, "MQ", endpoint=inputs_only, problem_type="Regression", inference_attribute="0",
                            ground_truth_s3_uri="s3://labels/gt")


def test_an_imported_endpoint_is_refused_naming_what_is_needed(stack: cdk.Stack) -> None:
    imported = RealtimeEndpoint.from_endpoint_name(stack, "Imported", "churn-prod")
    with pytest.raises(ValidationError, match=r"endpoint must be a RealtimeEndpoint of this library \(with "
                                              r"data_capture=DataCapture\(\.\.\.\)\), got '?ImportedRealtimeEndpoint"):
        DataQualityMonitor(stack, "DQ", endpoint=imported)  # type: ignore[arg-type]


def test_serverless_endpoints_cannot_be_monitored(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model)
    with pytest.raises(ValidationError, match=r"endpoint must capture data.*\n.*endpoint must not be serverless"):
        DataQualityMonitor(stack, "DQ", endpoint=ep)


def test_violations_and_failures_notify_the_topic_and_start_retraining(stack: cdk.Stack,
                                                                      endpoint: RealtimeEndpoint) -> None:
    mon = DataQualityMonitor(stack, "DQ", endpoint=endpoint,
                             retraining=RetrainingTarget.sagemaker_pipeline(PIPELINE, parameters={"Reason": "drift"}))
    t = Template.from_stack(stack)
    schedule_arn = {"Fn::GetAtt": [stack.get_logical_id(mon.schedule), "MonitoringScheduleArn"]}
    rule = t.to_json()["Resources"][stack.get_logical_id(mon.violations_rule.node.default_child)]["Properties"]  # type: ignore[arg-type]
    assert rule["EventPattern"] == {
        "source": ["aws.sagemaker"], "detail-type": ["SageMaker Processing Job State Change"],
        "detail": {"MonitoringScheduleArn": [schedule_arn], "ProcessingJobStatus": ["Completed"],
                   "ExitMessage": [{"prefix": "CompletedWithViolations"}]}}
    topic, pipeline = rule["Targets"]
    assert topic["Arn"] == {"Ref": stack.get_logical_id(mon.topic.node.default_child)}  # type: ignore[arg-type]
    assert pipeline["Arn"] == PIPELINE
    assert pipeline["SageMakerPipelineParameters"] == {"PipelineParameterList": [{"Name": "Reason",
                                                                                  "Value": "drift"}]}
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": [
        {"Action": "sagemaker:StartPipelineExecution", "Effect": "Allow", "Resource": PIPELINE}]}})
    rule_arn = {"Fn::GetAtt": [stack.get_logical_id(mon.violations_rule.node.default_child), "Arn"]}  # type: ignore[arg-type]
    t.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([{
        "Action": "sns:Publish", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Resource": Match.any_value(), "Sid": Match.any_value(),
        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arn}}}])}})
    key = t.to_json()["Resources"][stack.get_logical_id(mon.topic.node.default_child)]["Properties"]["KmsMasterKeyId"]
    key_id = key["Fn::GetAtt"][0]
    statements = t.to_json()["Resources"][key_id]["Properties"]["KeyPolicy"]["Statement"]
    assert all(s.get("Condition") for s in statements if "Service" in s["Principal"])
    failed = t.to_json()["Resources"][stack.get_logical_id(mon.failures_rule.node.default_child)]["Properties"]  # type: ignore[arg-type]
    assert failed["EventPattern"]["detail"] == {"MonitoringScheduleArn": [schedule_arn],
                                                "ProcessingJobStatus": ["Failed"]}


def test_state_machine_retraining_gets_start_execution_only(stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    machine = sfn.StateMachine(stack, "Retrain", definition_body=sfn.DefinitionBody.from_chainable(sfn.Pass(
        stack, "Noop")))
    DataQualityMonitor(stack, "DQ", endpoint=endpoint, retraining=RetrainingTarget.state_machine(machine))
    Template.from_stack(stack).has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {
        "Statement": [{"Action": "states:StartExecution", "Effect": "Allow",
                       "Resource": {"Ref": stack.get_logical_id(machine.node.default_child)}}]}})  # type: ignore[arg-type]


def test_explainability_may_invoke_exactly_the_monitored_endpoint(stack: cdk.Stack,
                                                                  endpoint: RealtimeEndpoint) -> None:
    mon = ModelExplainabilityMonitor(stack, "Explain", endpoint=endpoint,
                                     analysis_config_s3_uri="s3://cfg/explain.json")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::ModelExplainabilityJobDefinition", {
        "ModelExplainabilityAppSpecification": {"ImageUri": Match.any_value(),
                                                "ConfigUri": "s3://cfg/explain.json"}})
    invoke = [s for s in _policy(stack, mon) if s["Action"] == "sagemaker:InvokeEndpoint"]
    assert invoke and invoke[0]["Resource"] == {"Ref": stack.get_logical_id(endpoint.cfn_endpoint)}


def test_bias_monitor_reads_config_and_ground_truth(stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    mon = ModelBiasMonitor(stack, "Bias", endpoint=endpoint, analysis_config_s3_uri="s3://cfg/bias.json",
                           ground_truth_s3_uri="s3://labels/gt/", inference_attribute="0")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::ModelBiasJobDefinition", {
        "ModelBiasJobInput": {"GroundTruthS3Input": {"S3Uri": "s3://labels/gt/"},
                              "EndpointInput": Match.object_like({"InferenceAttribute": "0"})}})
    gets = [s["Resource"] for s in _policy(stack, mon) if s["Action"] == "s3:GetObject"]
    partition = {"Ref": "AWS::Partition"}
    assert {"Fn::Join": ["", ["arn:", partition, ":s3:::cfg/bias.json"]]} in gets
    assert {"Fn::Join": ["", ["arn:", partition, ":s3:::labels/gt/*"]]} in gets


def _runtime(stack: cdk.Stack, kind: str) -> Any:
    jobs = Template.from_stack(stack).find_resources(f"AWS::SageMaker::{kind}JobDefinition")
    (job,) = jobs.values()
    return job["Properties"]["StoppingCondition"]["MaxRuntimeInSeconds"]


def test_hourly_model_quality_and_bias_runs_default_to_the_1800_s_the_service_allows(
        stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    # API reference, MonitoringStoppingCondition: at most 3600 s hourly for data quality and explainability,
    # at most 1800 s for model quality and model bias (their runs also merge ground truth).
    ModelQualityMonitor(stack, "ModelQuality", endpoint=endpoint, problem_type="Regression", inference_attribute="0",
                        ground_truth_s3_uri="s3://labels/gt")
    ModelBiasMonitor(stack, "Bias", endpoint=endpoint, analysis_config_s3_uri="s3://cfg/analysis.json",
                     ground_truth_s3_uri="s3://labels/gt")
    DataQualityMonitor(stack, "DataQuality", endpoint=endpoint)
    assert _runtime(stack, "ModelQuality") == 1800
    assert _runtime(stack, "ModelBias") == 1800
    assert _runtime(stack, "DataQuality") == 3600


def test_daily_model_quality_keeps_the_one_hour_default(stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    ModelQualityMonitor(stack, "ModelQuality", endpoint=endpoint, problem_type="Regression", inference_attribute="0",
                        ground_truth_s3_uri="s3://labels/gt", schedule=daily(3))
    assert _runtime(stack, "ModelQuality") == 3600


@pytest.mark.parametrize(("cls", "kwargs", "schedule", "runtime", "limit"), [
    (ModelQualityMonitor, {"problem_type": "Regression", "inference_attribute": "0",
                           "ground_truth_s3_uri": "s3://labels/gt"}, "cron(0 * ? * * *)", Duration.hours(1), 1800),
    (ModelBiasMonitor, {"analysis_config_s3_uri": "s3://cfg/a.json", "ground_truth_s3_uri": "s3://labels/gt"},
     "cron(0 0/1 ? * * *)", Duration.minutes(45), 1800),
    (DataQualityMonitor, {}, "cron(0 0/2 ? * * *)", Duration.hours(3), 7200),
    (DataQualityMonitor, {}, "cron(0 * ? * * *)", Duration.minutes(61), 3600),
])
def test_max_runtime_may_not_outlast_the_schedule(stack: cdk.Stack, endpoint: RealtimeEndpoint, cls: Any,
                                                  kwargs: dict[str, Any], schedule: str, runtime: Duration,
                                                  limit: int) -> None:
    with pytest.raises(ValidationError, match=rf"resources.max_runtime must be at most {limit} s on the schedule"):
        cls(stack, "Monitor", endpoint=endpoint, schedule=schedule,
            resources=MonitoringResources(max_runtime=runtime), **kwargs)


def test_ground_truth_offsets_may_reach_back_days_and_are_not_the_schedule_window(
        stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    # "Schedule model quality monitoring jobs": labels complete after a week -> StartTimeOffset -P8D, EndTimeOffset
    # -P1D on the job input; the schedule's DataAnalysisStartTime/EndTime window is a different field (<= 24 h).
    ModelBiasMonitor(stack, "Bias", endpoint=endpoint, analysis_config_s3_uri="s3://cfg/a.json",
                     ground_truth_s3_uri="s3://labels/gt", schedule=daily(3),
                     start_time_offset="-P8D", end_time_offset="-P1D")
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::ModelBiasJobDefinition", {"ModelBiasJobInput": Match.object_like({
        "EndpointInput": Match.object_like({"StartTimeOffset": "-P8D", "EndTimeOffset": "-P1D"})})})
    t.has_resource_properties("AWS::SageMaker::MonitoringSchedule", {"MonitoringScheduleConfig": Match.object_like({
        "ScheduleConfig": {"ScheduleExpression": "cron(0 3 ? * * *)"}})})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"start_time_offset": "P8D"}, r"start_time_offset must be a negative ISO 8601 duration"),
    ({"start_time_offset": "-P1D", "end_time_offset": "-P2D"}, r"start_time_offset must be earlier than end_time"),
])
def test_ground_truth_offsets_are_checked(stack: cdk.Stack, endpoint: RealtimeEndpoint, kwargs: dict[str, Any],
                                          match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        ModelQualityMonitor(stack, "ModelQuality", endpoint=endpoint, problem_type="Regression",
                            inference_attribute="0", ground_truth_s3_uri="s3://labels/gt", **kwargs)


def test_one_time_explainability_run_takes_its_window(stack: cdk.Stack, endpoint: RealtimeEndpoint) -> None:
    ModelExplainabilityMonitor(stack, "Explain", endpoint=endpoint, analysis_config_s3_uri="s3://cfg/a.json",
                               schedule="NOW", data_analysis_start="-PT5H", data_analysis_end="-PT1H")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::MonitoringSchedule", {
        "MonitoringScheduleConfig": Match.object_like({"ScheduleConfig": {
            "ScheduleExpression": "NOW", "DataAnalysisStartTime": "-PT5H", "DataAnalysisEndTime": "-PT1H"}})})


@pytest.mark.parametrize("threshold", [2, -0.1, True, "0.5"])
def test_bias_probability_threshold_is_a_probability(stack: cdk.Stack, endpoint: RealtimeEndpoint,
                                                     threshold: Any) -> None:
    with pytest.raises(ValidationError, match=r"probability_threshold must be a number between 0 and 1"):
        ModelBiasMonitor(stack, "Bias", endpoint=endpoint, analysis_config_s3_uri="s3://cfg/a.json",
                         ground_truth_s3_uri="s3://labels/gt", probability_attribute="0",
                         probability_threshold=threshold)
