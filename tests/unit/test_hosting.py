"""Modern hosting: inference components that scale (to and from zero), managed instance scaling, rolling updates of
components, per-instance-type specifications, adapters, data cache and scheduling; the newer variant fields in every
form; uncompressed and gated model data; LLM container defaults and checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import cfnlint
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk.assertions import Annotations, Match, Template

from cdk_sagemaker import NotConfiguredError, ValidationError, _limits
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.hosting import (
    ROUTING_NOT_IN_CLOUDFORMATION,
    CapacityReservation,
    ComponentDeployment,
    ComponentMetrics,
    ComponentScaling,
    ComponentScheduling,
    ComponentSpecification,
    ManagedInstanceScaling,
    Routing,
    ScaleInPolicy,
)
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.model_options import InstancePool
from cdk_sagemaker.constructs.realtime import InferenceComponent, ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.testing import lint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
RESERVATION = "arn:aws:sagemaker:us-east-1:123456789012:training-plan/my-plan"
HUB_CONTENT = "arn:aws:sagemaker:us-east-1:123456789012:hub-content/my-hub/ModelReference/llama-3-8b/1.0.0"


def _model(stack: cdk.Stack, id: str, image: ContainerImage | None = None, **kw: Any) -> Model:
    return Model(stack, id, image=image or ContainerImage.from_uri(IMAGE),
                 model_data=ModelData.from_s3_uri(f"s3://my-bucket/{id}/model.tar.gz"), **kw)


def _tgi(stack: cdk.Stack, id: str = "Llm", **env: str) -> Model:
    return Model(stack, id, image=ContainerImage.from_prebuilt("huggingface-llm", "3.3"),
                 model_data=ModelData.from_s3_prefix(f"s3://my-bucket/{id}/"),
                 environment={"HF_MODEL_ID": "/opt/ml/model", **env})


def _endpoint(stack: cdk.Stack, *, instance_type: str = "ml.g5.12xlarge",
              managed: ManagedInstanceScaling | None = None, count: int = 1) -> RealtimeEndpoint:
    return RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type=instance_type, instance_count=count, variant_name="Shared", managed_instance_scaling=managed)])


# -- inference components that scale ----------------------------------------------------------------------------------
def test_component_scales_copies_to_and_from_zero(stack: cdk.Stack) -> None:
    ep = _endpoint(stack, managed=ManagedInstanceScaling(min_instances=0, max_instances=3,
                                                         scale_in_policy=ScaleInPolicy.idle_release()))
    ic = ep.add_inference_component("Chat", model=_model(stack, "A"), memory_mb=4096, accelerators=1,
                                    auto_scaling=ComponentScaling(min_copies=0, max_copies=4,
                                                                  invocations_per_copy=100,
                                                                  concurrent_requests_per_copy=5,
                                                                  copies_from_zero=2))
    t = Template.from_stack(stack)
    ic_id = stack.get_logical_id(ic.cfn_inference_component)
    name = {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::GetAtt": [ic_id, "InferenceComponentArn"]}]}]}
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ServiceNamespace": "sagemaker", "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
        "ResourceId": {"Fn::Join": ["", ["inference-component/", name]]}, "MinCapacity": 0, "MaxCapacity": 4})
    for metric, target in (("SageMakerInferenceComponentInvocationsPerCopy", 100),
                           ("SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution", 5)):
        t.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
            "PolicyType": "TargetTrackingScaling",
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": target, "PredefinedMetricSpecification": {"PredefinedMetricType": metric}}})
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "PolicyType": "StepScaling", "StepScalingPolicyConfiguration": {
            "AdjustmentType": "ChangeInCapacity", "MetricAggregationType": "Maximum", "Cooldown": 60,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 2}]}})
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "MetricName": "NoCapacityInvocationFailures", "Namespace": "AWS/SageMaker", "Statistic": "Maximum",
        "Period": 30, "Threshold": 1, "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "Dimensions": [{"Name": "InferenceComponentName", "Value": name}],
        "AlarmActions": [{"Ref": stack.get_logical_id(ic.scaling.scale_from_zero_policy)}]})
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [Match.object_like({
        "ManagedInstanceScaling": {"Status": "ENABLED", "MinInstanceCount": 0, "MaxInstanceCount": 3,
                                   "ScaleInPolicy": {"Strategy": "IDLE_RELEASE"}}})]})
    assert ic.scaling.scalable_target is ic.scaling.node.default_child
    Annotations.from_stack(stack).has_no_warning("*", Match.string_like_regexp("keeps its instances"))


def test_fixed_component_name_is_used_by_scaling(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    ic = ep.add_inference_component("A", model=_model(stack, "A"), memory_mb=1024, inference_component_name="churn-v1",
                                    auto_scaling=ComponentScaling(max_copies=2, invocations_per_copy=10))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::InferenceComponent", {"InferenceComponentName": "churn-v1"})
    t.has_resource("AWS::ApplicationAutoScaling::ScalableTarget", {
        "Properties": Match.object_like({"ResourceId": "inference-component/churn-v1"}),
        "DependsOn": [stack.get_logical_id(ic.cfn_inference_component)]})
    assert ic.inference_component_name == "churn-v1"
    with pytest.raises(ValidationError, match=r"inference_component_name must match"):
        ep.add_inference_component("B", model=_model(stack, "B"), memory_mb=1024, inference_component_name="no_way")


def test_copies_to_zero_without_managed_instance_scaling_warns(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    ep.add_inference_component("A", model=_model(stack, "A"), memory_mb=1024,
                               auto_scaling=ComponentScaling(min_copies=0, max_copies=2, invocations_per_copy=10))
    Annotations.from_stack(stack).has_warning("/TestStack/Endpoint/A", Match.string_like_regexp(
        "keeps its instances"))


def test_scaling_with_min_copies_has_no_scale_from_zero(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    ic = ep.add_inference_component("A", model=_model(stack, "A"), memory_mb=1024, copies=2,
                                    auto_scaling=ComponentScaling(min_copies=1, max_copies=3,
                                                                  invocations_per_copy=10))
    Template.from_stack(stack).resource_count_is("AWS::CloudWatch::Alarm", 0)
    with pytest.raises(NotConfiguredError, match="does not scale to zero"):
        ic.scaling.scale_from_zero_policy  # noqa: B018
    plain = ep.add_inference_component("B", model=_model(stack, "B"), memory_mb=1024)
    assert getattr(plain, "scaling", None) is None


def test_rolling_update_specifications_data_cache_scheduling(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    alarm = cloudwatch.Alarm(stack, "Errors", metric=cloudwatch.Metric(namespace="N", metric_name="M"),
                             threshold=1, evaluation_periods=1)
    a, b = _model(stack, "A"), _model(stack, "B")
    ep.add_inference_component(
        "A", model=a, deployment=ComponentDeployment.rolling(batch_percent=50, wait=Duration.minutes(1),
                                                             timeout=Duration.minutes(30), rollback_copies=2,
                                                             alarms=[alarm]),
        specifications=[ComponentSpecification(instance_type="ml.g5.12xlarge", memory_mb=2048, accelerators=1,
                                               data_cache=True,
                                               scheduling=ComponentScheduling.spread(balance_azs=True,
                                                                                     max_az_imbalance=1)),
                        ComponentSpecification(instance_type="ml.g6.12xlarge", model=b, memory_mb=4096)])
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::InferenceComponent", {
        "Specification": Match.absent(),
        "Specifications": [
            {"InstanceType": "ml.g5.12xlarge", "ModelName": {"Fn::GetAtt": [stack.get_logical_id(a.cfn_model),
                                                                             "ModelName"]},
             "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 2048, "NumberOfAcceleratorDevicesRequired": 1},
             "DataCacheConfig": {"EnableCaching": True},
             "SchedulingConfig": {"PlacementStrategy": "SPREAD", "AvailabilityZoneBalance": {
                 "EnforcementMode": "PERMISSIVE", "MaxImbalance": 1}}},
            {"InstanceType": "ml.g6.12xlarge", "ModelName": {"Fn::GetAtt": [stack.get_logical_id(b.cfn_model),
                                                                             "ModelName"]},
             "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 4096}}],
        "DeploymentConfig": {
            "RollingUpdatePolicy": {"MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
                                    "WaitIntervalInSeconds": 60, "MaximumExecutionTimeoutInSeconds": 1800,
                                    "RollbackMaximumBatchSize": {"Type": "COPY_COUNT", "Value": 2}},
            "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": {"Ref": stack.get_logical_id(
                alarm.node.default_child)}}]}}})
    # The endpoint role reads the rollback alarm and holds both models' policies.
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Action": "cloudwatch:DescribeAlarms"})])}})
    role = stack.get_logical_id(ep.execution_role.node.default_child)  # type: ignore[arg-type]
    for model in (a, b):
        t.has_resource_properties("AWS::IAM::ManagedPolicy", {
            "PolicyDocument": Match.any_value(), "Roles": Match.array_with([{"Ref": role}]),
            "Description": Match.string_like_regexp(model.node.path)})


def test_adapter_runs_on_its_base_component(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    base = ep.add_inference_component("Base", model=_tgi(stack), memory_mb=16384, accelerators=2)
    adapter = ep.add_adapter("Lora", base_component=base, adapter_uri="s3://my-bucket/adapters/sql/")
    t = Template.from_stack(stack)
    base_id = stack.get_logical_id(base.cfn_inference_component)
    t.has_resource("AWS::SageMaker::InferenceComponent", {
        "Properties": {"Specification": {
            "BaseInferenceComponentName": {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::GetAtt": [
                base_id, "InferenceComponentArn"]}]}]},
            "Container": {"ArtifactUrl": "s3://my-bucket/adapters/sql/"}},
            "RuntimeConfig": Match.absent(), "VariantName": "Shared"}})
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        {"Action": "s3:GetObject", "Effect": "Allow",
         "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::my-bucket/adapters/sql/*"]]}}])}})
    assert adapter.base_component is base


def test_adapter_in_a_bucket_of_this_app(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    bucket = cdk.aws_s3.Bucket(stack, "Adapters")
    base = ep.add_inference_component("Base", model=_tgi(stack), memory_mb=16384, accelerators=2)
    ep.add_adapter("Lora", base_component=base, adapter_uri=ModelData.from_bucket(bucket, "sql/"))
    t = Template.from_stack(stack)
    bucket_id = stack.get_logical_id(bucket.node.default_child)  # type: ignore[arg-type]
    t.has_resource_properties("AWS::SageMaker::InferenceComponent", {"Specification": {
        "BaseInferenceComponentName": Match.any_value(),
        "Container": {"ArtifactUrl": {"Fn::Join": ["", ["s3://", {"Ref": bucket_id}, "/sql/"]]}}}})
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        {"Action": "s3:GetObject", "Effect": "Allow",
         "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/sql/*"]]}}])}})


def test_llm_component_gets_startup_defaults_and_fits(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    ep.add_inference_component("Llm", model=_tgi(stack, SM_NUM_GPUS="2"), memory_mb=16384, accelerators=2,
                               model_size_gb=40, container_metrics=ComponentMetrics(path="/metrics",
                                                                                    frequency=Duration.seconds(30)))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::InferenceComponent", {"Specification": {
        "StartupParameters": {"ContainerStartupHealthCheckTimeoutInSeconds": 900,
                              "ModelDataDownloadTimeoutInSeconds": 900},
        "Container": {"ContainerMetricsConfig": {"MetricsEndpoints": [
            {"MetricsEndpointPath": "/metrics", "MetricPublishFrequencyInSeconds": 30}]}}}})


@pytest.mark.parametrize("data", [ModelData.from_s3_prefix("s3://w/adapters/sql/", accept_eula=True),
                                  ModelData.from_s3_uri("s3://w/adapters/sql.tar.gz", hub_content_arn=HUB_CONTENT)])
def test_adapter_artifacts_take_no_access_configs(stack: cdk.Stack, data: ModelData) -> None:
    ep = _endpoint(stack)
    base = ep.add_inference_component("Base", model=_tgi(stack), memory_mb=4096, accelerators=1)
    with pytest.raises(ValidationError, match=r"adapter_uri (accept_eula|hub_content_arn) does not apply to an "
                                              r"adapter's artifacts"):
        ep.add_adapter("Sql", base_component=base, adapter_uri=data)


def test_container_metrics_per_instance_type(stack: cdk.Stack) -> None:
    """Each Specifications entry takes its own Container.ContainerMetricsConfig (CloudFormation resource schema,
    InferenceComponentContainerSpecificationForInstanceType)."""
    ep = _endpoint(stack)
    ep.add_inference_component("Llm", model=_tgi(stack), specifications=[
        ComponentSpecification(instance_type="ml.g5.12xlarge", memory_mb=4096, accelerators=1,
                               container_metrics=ComponentMetrics(path="/metrics", frequency=Duration.seconds(10))),
        ComponentSpecification(instance_type="ml.g6.12xlarge", memory_mb=4096, accelerators=1)])
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::InferenceComponent", {
        "Specification": Match.absent(),
        "Specifications": [
            Match.object_like({"InstanceType": "ml.g5.12xlarge", "Container": {"ContainerMetricsConfig": {
                "MetricsEndpoints": [{"MetricsEndpointPath": "/metrics", "MetricPublishFrequencyInSeconds": 10}]}}}),
            Match.object_like({"InstanceType": "ml.g6.12xlarge", "Container": Match.absent()})]})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"copies": 0}, r"copies must be at least 1 when the component is created"),
    ({"auto_scaling": ComponentScaling(min_copies=0, max_copies=2)},
     r"auto_scaling needs invocations_per_copy or concurrent_requests_per_copy"),
    ({"auto_scaling": ComponentScaling(min_copies=3, max_copies=2, invocations_per_copy=1)},
     r"auto_scaling.max_copies must be at least min_copies \(3\)"),
    ({"auto_scaling": ComponentScaling(min_copies=2, max_copies=4, invocations_per_copy=1)},
     r"min_copies..max_copies must contain the component's copies \(1\)"),
    ({"auto_scaling": ComponentScaling(min_copies=-1, max_copies=2, invocations_per_copy=1)},
     r"auto_scaling.min_copies must be at least 0 \(botocore InferenceComponentCopyCount\)"),
    ({"deployment": ComponentDeployment.rolling(wait=Duration.hours(2))},
     r"deployment.wait must be between 0 and 3600 seconds \(botocore WaitIntervalInSeconds\)"),
    ({"deployment": ComponentDeployment.rolling(timeout=Duration.minutes(5))},
     r"deployment.timeout must be between 600 and 28800 seconds"),
    # MaximumBatchSize is 5-50 % of the copies (API reference, InferenceComponentRollingUpdatePolicy).
    ({"deployment": ComponentDeployment.rolling(batch_percent=150)},
     r"deployment.batch_percent must be between 5 and 50 \(InferenceComponentRollingUpdatePolicy MaximumBatchSize"),
    ({"deployment": ComponentDeployment.rolling(batch_percent=60)}, r"deployment.batch_percent must be between 5 and"),
    ({"deployment": ComponentDeployment.rolling(batch_percent=4)}, r"deployment.batch_percent must be between 5 and"),
    ({"deployment": ComponentDeployment.rolling(rollback_percent=150)},
     r"deployment.rollback_percent must be at most 100"),
    ({"container_startup_health_check_timeout": Duration.millis(600_500)},
     r"container_startup_health_check_timeout must be whole seconds"),
    ({"model_data_download_timeout": Duration.hours(2)},
     r"model_data_download_timeout must be between 60 and 3600 seconds"),
    ({"memory_mb": None, "accelerators": None, "specifications": [
        ComponentSpecification(instance_type="ml.g5.12xlarge", memory_mb=1024,
                               container_startup_health_check_timeout=Duration.hours(2)),
        ComponentSpecification(instance_type="ml.g6.12xlarge", memory_mb=1024,
                               model_data_download_timeout=Duration.seconds(10))]},
     r"specifications\[0\].container_startup_health_check_timeout must be between 60 and 3600 seconds.*\n.*"
     r"specifications\[1\].model_data_download_timeout must be between 60 and 3600 seconds"),
    ({"deployment": ComponentDeployment.rolling(batch_copies=1, batch_percent=5)},
     r"batch_copies and batch_percent are exclusive"),
    ({"accelerators": 8}, r"accelerators must be at most the 4 device\(s\) of ml.g5.12xlarge"),
    ({"model_size_gb": 200}, r"model_size_gb does not fit the accelerator memory: 1 device\(s\) of 24 GiB"),
    ({"scheduling": ComponentScheduling.binpack(max_az_imbalance=2)},
     r"scheduling.max_az_imbalance applies only with balance_azs=True"),
    ({"scheduling": ComponentScheduling(placement_strategy="PACK")}, r"scheduling.placement_strategy must be one of"),
    ({"specifications": [ComponentSpecification(instance_type="ml.g5.12xlarge", memory_mb=1024)]},
     r"memory_mb and specifications are exclusive"),
    ({"memory_mb": None}, r"memory_mb must be given"),
    ({"memory_mb": None, "accelerators": None, "specifications": [
        ComponentSpecification(instance_type=t, memory_mb=1024) for t in ("ml.g6.12xlarge", "ml.g6e.12xlarge")]},
     r"specifications must include the variant's instance type ml.g5.12xlarge"),
    ({"memory_mb": None, "accelerators": None, "specifications": [
        ComponentSpecification(instance_type="ml.g5.12xlarge", memory_mb=1024)]},
     r"specifications must hold between 2 and 5 entries"),
    ({"container_metrics": ComponentMetrics(path="metrics")}, r"container_metrics.path must match"),
    ({"container_metrics": ComponentMetrics(path="/metrics", frequency=Duration.seconds(45))},
     r"container_metrics.frequency must be one of 10, 30, 60, 120, 180, 240, 300 seconds"),
    ({"memory_mb": None, "accelerators": None, "specifications": [
        ComponentSpecification(instance_type=t, memory_mb=1024, container_metrics=ComponentMetrics(path="metrics"))
        for t in ("ml.g5.12xlarge", "ml.g6.12xlarge")]},
     r"specifications\[1\].container_metrics.path must match"),
    # With Specifications, component-level cache, scheduling and timeouts have nowhere to go (they were dropped).
    *[({"memory_mb": None, "accelerators": None, name: value, "specifications": [
        ComponentSpecification(instance_type=t, memory_mb=1024) for t in ("ml.g5.12xlarge", "ml.g6.12xlarge")]},
       rf"{name} and specifications are exclusive: set it on each ComponentSpecification\({name}=...\)")
      for name, value in (("data_cache", True), ("scheduling", ComponentScheduling.binpack()),
                          ("container_startup_health_check_timeout", Duration.minutes(40)),
                          ("model_data_download_timeout", Duration.minutes(40)))],
    ({"memory_mb": None, "accelerators": None, "model_size_gb": 200, "specifications": [
        ComponentSpecification(instance_type=t, memory_mb=1024, accelerators=1)
        for t in ("ml.g5.12xlarge", "ml.g6.12xlarge")]},
     r"specifications\[0\].model_size_gb does not fit the accelerator memory: 1 device\(s\) of 24 GiB"),
    ({"memory_mb": None, "accelerators": None, "container_metrics": ComponentMetrics(path="/metrics"),
      "specifications": [ComponentSpecification(instance_type=t, memory_mb=1024)
                         for t in ("ml.g5.12xlarge", "ml.g6.12xlarge")]},
     r"container_metrics and specifications are exclusive: set it on each ComponentSpecification"),
])
def test_bad_component_input_is_rejected(stack: cdk.Stack, kwargs: dict[str, Any], match: str) -> None:
    ep = _endpoint(stack)
    args: dict[str, Any] = {"model": _tgi(stack), "memory_mb": 4096, "accelerators": 1, **kwargs}
    with pytest.raises(ValidationError, match=match):
        InferenceComponent(stack, "Ic", endpoint=ep, **args)


def test_tensor_parallel_degree_beyond_reserved_accelerators_is_rejected(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    with pytest.raises(ValidationError, match=r"SM_NUM_GPUS asks Hugging Face TGI to shard the model over 4 "
                                              r"devices; the copy reserves 2"):
        ep.add_inference_component("Llm", model=_tgi(stack, SM_NUM_GPUS="4"), memory_mb=1024, accelerators=2)


def test_rolling_update_at_the_documented_batch_bounds_is_accepted(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    ep.add_inference_component("Llm", model=_tgi(stack), memory_mb=1024, accelerators=1, copies=4,
                               deployment=ComponentDeployment.rolling(batch_percent=50, rollback_percent=100))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::InferenceComponent", {
        "DeploymentConfig": {"RollingUpdatePolicy": Match.object_like({
            "MaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 50},
            "RollbackMaximumBatchSize": {"Type": "CAPACITY_PERCENT", "Value": 100}})}})


def test_neuron_tensor_parallel_degree_counts_neuron_cores(stack: cdk.Stack) -> None:
    # LMI on Inferentia2 shards over NeuronCores, two per chip: the developer guide's example sets
    # OPTION_TENSOR_PARALLEL_DEGREE 24 on the 12-chip ml.inf2.48xlarge ("Create an inference optimization job").
    model = Model(stack, "Lmi", image=ContainerImage.from_uri(
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/djl-inference:0.29.0-neuronx-sdk2.19.1"),
        model_data=ModelData.from_s3_prefix("s3://my-bucket/llama-70b/"),
        environment={"OPTION_TENSOR_PARALLEL_DEGREE": "24"})
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.inf2.48xlarge")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [Match.object_like({"InstanceType": "ml.inf2.48xlarge",
                                                  "ContainerStartupHealthCheckTimeoutInSeconds": 900})]})


def test_gpu_image_component_on_cpu_instances_is_rejected(stack: cdk.Stack) -> None:
    ep = _endpoint(stack, instance_type="ml.m5.2xlarge")
    with pytest.raises(ValidationError, match=r"instance_type must have an NVIDIA GPU .* for TestStack/Llm "
                                              r"containers\[0\], which is prebuilt huggingface-llm 3.3") as err:
        ep.add_inference_component("Llm", model=_tgi(stack), memory_mb=1024)
    assert len(err.value.problems) == 1, err.value.problems  # one message for one mistake


def test_adapter_rejects_its_own_compute(stack: cdk.Stack) -> None:
    ep = _endpoint(stack)
    base = ep.add_inference_component("Base", model=_tgi(stack), memory_mb=1024, accelerators=1)
    with pytest.raises(ValidationError, match=r"memory_mb does not apply to an adapter component"):
        InferenceComponent(stack, "Lora", endpoint=ep, base_component=base, adapter_uri="s3://b/a/", memory_mb=1)
    with pytest.raises(ValidationError, match=r"adapter_uri must be given with base_component"):
        InferenceComponent(stack, "Lora2", endpoint=ep, base_component=base)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"copies": 3}, r"copies does not apply to an adapter component"),
    ({"data_cache": True}, r"data_cache does not apply to an adapter component"),
    ({"model_size_gb": 2}, r"model_size_gb does not apply to an adapter component"),
    ({"container_startup_health_check_timeout": Duration.minutes(20)},
     r"container_startup_health_check_timeout does not apply to an adapter component .*, got '20 minutes'"),
    ({"model_data_download_timeout": Duration.minutes(20)}, r"model_data_download_timeout does not apply"),
])
def test_adapter_rejects_what_its_base_component_decides(stack: cdk.Stack, kwargs: dict[str, Any],
                                                          match: str) -> None:
    # An adapter has no RuntimeConfig, StartupParameters or DataCacheConfig of its own: these were dropped silently.
    ep = _endpoint(stack)
    base = ep.add_inference_component("Base", model=_tgi(stack), memory_mb=1024, accelerators=1)
    with pytest.raises(ValidationError, match=match):
        InferenceComponent(stack, "Lora", endpoint=ep, base_component=base, adapter_uri="s3://my-bucket/a/", **kwargs)


# -- managed instance scaling and variant fields ---------------------------------------------------------------------
@pytest.mark.parametrize(("managed", "match"), [
    (ManagedInstanceScaling(min_instances=3, max_instances=2), r"max_instances must be at least min_instances"),
    (ManagedInstanceScaling(min_instances=0, max_instances=0),
     r"max_instances must be at least 1 \(botocore ManagedInstanceScalingMaxInstanceCount\)"),
    (ManagedInstanceScaling(min_instances=2, max_instances=4),
     r"min_instances..max_instances must contain the variant's instance_count \(1\)"),
    (ManagedInstanceScaling(max_instances=2, scale_in_policy=ScaleInPolicy.consolidation(cooldown=Duration.minutes(
        2))), r"cooldown must be whole minutes between 5 and 1440"),
    (ManagedInstanceScaling(max_instances=2, scale_in_policy=ScaleInPolicy(strategy="IDLE_RELEASE",
                                                                           maximum_step_size=2)),
     r"maximum_step_size and cooldown apply only to CONSOLIDATION"),
])
def test_bad_managed_instance_scaling_is_rejected(stack: cdk.Stack, managed: ManagedInstanceScaling,
                                                  match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        _endpoint(stack, managed=managed)


def test_managed_instance_scaling_needs_components(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"managed_instance_scaling applies only to a variant that hosts "
                                              r"inference components"):
        RealtimeEndpoint(stack, "E", variants=[ProductionVariant(
            model=_model(stack, "A"), managed_instance_scaling=ManagedInstanceScaling(max_instances=2))])


def test_one_model_form_takes_every_variant_field(stack: cdk.Stack) -> None:
    RealtimeEndpoint(stack, "E", model=_model(stack, "A"), instance_type="ml.g5.xlarge",
                     container_startup_health_check_timeout=Duration.minutes(20),
                     model_data_download_timeout=Duration.minutes(30),
                     routing_strategy=Routing.prefix_aware(prefix_length=2048, concurrency_threshold=8),
                     inference_ami_version="al2-ami-sagemaker-inference-gpu-3-1",
                     capacity_reservation=CapacityReservation.from_arn(RESERVATION), enable_ssm_access=True)
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [{
        "VariantName": "AllTraffic", "ModelName": Match.any_value(), "InstanceType": "ml.g5.xlarge",
        "InitialInstanceCount": 1, "InitialVariantWeight": 1,
        "ContainerStartupHealthCheckTimeoutInSeconds": 1200, "ModelDataDownloadTimeoutInSeconds": 1800,
        "RoutingConfig": {"RoutingStrategy": "PREFIX_AWARE",
                          "PrefixAwareRoutingConfig": {"PrefixLength": 2048, "ConcurrencyThreshold": 8}},
        "InferenceAmiVersion": "al2-ami-sagemaker-inference-gpu-3-1",
        "CapacityReservationConfig": {"CapacityReservationPreference": "capacity-reservations-only",
                                      "MlReservationArn": RESERVATION},
        "EnableSSMAccess": True}]})


def test_one_model_llm_gets_startup_defaults(stack: cdk.Stack) -> None:
    RealtimeEndpoint(stack, "E", model=_tgi(stack), instance_type="ml.g5.2xlarge")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [
        Match.object_like({"ContainerStartupHealthCheckTimeoutInSeconds": 900,
                           "ModelDataDownloadTimeoutInSeconds": 900})]})


def test_async_one_model_form_takes_variant_fields(stack: cdk.Stack) -> None:
    AsyncEndpoint(stack, "E", model=_model(stack, "A"), instance_type="ml.g5.xlarge", volume_size_gb=None,
                  container_startup_health_check_timeout=Duration.minutes(15), enable_ssm_access=False,
                  inference_ami_version="al2-ami-sagemaker-inference-gpu-2", routing_strategy="RANDOM")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [
        Match.object_like({"ContainerStartupHealthCheckTimeoutInSeconds": 900, "EnableSSMAccess": False,
                           "InferenceAmiVersion": "al2-ami-sagemaker-inference-gpu-2",
                           "RoutingConfig": {"RoutingStrategy": "RANDOM"}})]})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"inference_ami_version": "al2-ami-sagemaker-inference-neuron-2"},
     r"inference_ami_version is a Neuron AMI; ml.g5.xlarge has no Inferentia"),
    ({"inference_ami_version": "al2-ami-nope"}, r"inference_ami_version must be one of"),
    ({"routing_strategy": "FASTEST"}, r"routing_strategy must be one of LEAST_OUTSTANDING_REQUESTS, PREFIX_AWARE, "
                                      r"RANDOM \(botocore RoutingStrategy"),
    # botocore knows KV_AWARE; the AWS::SageMaker::EndpointConfig schema does not list it yet (cfn-lint E3030).
    ({"routing_strategy": Routing.kv_aware()}, r"routing_strategy is not accepted by CloudFormation yet"),
    ({"routing_strategy": "KV_AWARE"}, r"routing_strategy is not accepted by CloudFormation yet"),
    ({"routing_strategy": Routing(strategy="PREFIX_AWARE")}, r"routing.prefix_length is required with PREFIX_AWARE"),
    ({"routing_strategy": Routing.prefix_aware(prefix_length=10, concurrency_threshold=1)},
     r"routing.prefix_length must be between 1024 and 65536"),
    ({"capacity_reservation": CapacityReservation.from_arn("arn:aws:s3:::bucket")},
     r"capacity_reservation.ml_reservation_arn must match"),
    ({"container_startup_health_check_timeout": Duration.hours(2)},
     r"container_startup_health_check_timeout must be between 60 and 3600 seconds"),
    ({"volume_size_gb": 10}, r"volume_size_gb does not apply to ml.g5.xlarge"),
])
def test_bad_variant_fields_are_rejected_in_every_form(stack: cdk.Stack, kwargs: dict[str, Any], match: str) -> None:
    model = _model(stack, "A")
    with pytest.raises(ValidationError, match=match):
        RealtimeEndpoint(stack, "R", model=model, instance_type="ml.g5.xlarge", **kwargs)
    with pytest.raises(ValidationError, match=match):
        RealtimeEndpoint(stack, "V", variants=[ProductionVariant(model=model, instance_type="ml.g5.xlarge",
                                                                  **kwargs)])
    with pytest.raises(ValidationError, match=match):
        AsyncEndpoint(stack, "Async", model=model, instance_type="ml.g5.xlarge", **kwargs)


def test_neuron_ami_is_for_inferentia2_and_trainium_not_inf1(stack: cdk.Stack) -> None:
    # API reference, ProductionVariant InferenceAmiVersion: al2-ami-sagemaker-inference-neuron-2 is for
    # "Accelerator: Inferentia2 and Trainium".
    model = _model(stack, "A")
    with pytest.raises(ValidationError, match=r"inference_ami_version is built for Inferentia2 and Trainium; "
                                              r"ml.inf1.xlarge has first-generation Inferentia"):
        RealtimeEndpoint(stack, "Inf1", model=model, instance_type="ml.inf1.xlarge",
                         inference_ami_version="al2-ami-sagemaker-inference-neuron-2")
    RealtimeEndpoint(stack, "Inf2", model=model, instance_type="ml.inf2.xlarge",
                     inference_ami_version="al2-ami-sagemaker-inference-neuron-2")
    template = json.loads((Path(__file__).parents[1] / "rules" / "fixtures" / "E9457" / "bad.json").read_text())
    variant = template["Resources"]["Config"]["Properties"]["ProductionVariants"][0]
    variant.update(InstanceType="ml.inf1.xlarge", InferenceAmiVersion="al2-ami-sagemaker-inference-neuron-2")
    assert [f for f in lint(template) if "E9457" in str(f)], "readiness rule E9457 must see the Neuron AMI on inf1"
    variant.update(InstanceType="ml.inf2.xlarge")
    assert not [f for f in lint(template) if "E9457" in str(f)]
    # With instance pools, each pool's type counts.
    del variant["InstanceType"]
    variant["InstancePools"] = [{"InstanceType": "ml.inf2.xlarge", "Priority": 1},
                                {"InstanceType": "ml.inf1.xlarge", "Priority": 2}]
    assert [f for f in lint(template) if "E9457" in str(f) and "ml.inf1.xlarge" in str(f)]


def test_variant_fields_are_checked_against_the_instance_pools(stack: cdk.Stack) -> None:
    # Pools replace instance_type ("Deploy to multiple instance types with instance pools"): the AMI, the volume
    # size and an LLM's accelerator need are checked on the pools' types, not on instance_type's default.
    tgi = Model(stack, "Tgi", image=ContainerImage.from_uri(
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu-py311"),
        model_data=ModelData.from_s3_prefix("s3://my-bucket/llm/"))
    gpus = [InstancePool(instance_type="ml.g5.12xlarge", priority=1),
            InstancePool(instance_type="ml.g6.12xlarge", priority=2)]
    RealtimeEndpoint(stack, "Gpu", variants=[ProductionVariant(
        model=tgi, instance_pools=gpus, inference_ami_version="al2-ami-sagemaker-inference-gpu-3-1")])
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [Match.object_like({"InferenceAmiVersion": "al2-ami-sagemaker-inference-gpu-3-1",
                                                  "ContainerStartupHealthCheckTimeoutInSeconds": 900})]})
    with pytest.raises(ValidationError, match=r"variants\[0\].volume_size_gb does not apply to ml.g5.12xlarge.*\n.*"
                                              r"volume_size_gb does not apply to ml.g6.12xlarge"):
        RealtimeEndpoint(stack, "Volume", variants=[ProductionVariant(model=tgi, instance_pools=gpus,
                                                                      volume_size_gb=100)])
    with pytest.raises(ValidationError, match=r"instance_type must be a GPU or Neuron instance type for Hugging Face "
                                              r"TGI .*, got 'ml.c5.xlarge'"):
        RealtimeEndpoint(stack, "Cpu", variants=[ProductionVariant(model=tgi, instance_pools=[
            gpus[0], InstancePool(instance_type="ml.c5.xlarge", priority=2)])])


def test_one_capacity_reservation_per_endpoint(stack: cdk.Stack) -> None:
    # "You can use exactly one plan per inference endpoint" (developer guide, "Deploy an inference endpoint using the
    # API, AWS CLI"): variants may share a training plan, not name two.
    model = _model(stack, "A")
    other = RESERVATION.replace("my-plan", "other-plan")

    def on(arn: str) -> ProductionVariant:
        return ProductionVariant(model=model, instance_type="ml.p4d.24xlarge",
                                 capacity_reservation=CapacityReservation.from_arn(arn))

    RealtimeEndpoint(stack, "Shared", variants=[on(RESERVATION), on(RESERVATION)])
    with pytest.raises(ValidationError, match=r"variants\[\*\].capacity_reservation must name one ML capacity "
                                              r"reservation for the whole endpoint"):
        RealtimeEndpoint(stack, "Two", variants=[on(RESERVATION), on(other)])
    with pytest.raises(ValidationError, match=r"must name one ML capacity reservation"):
        RealtimeEndpoint(stack, "Shadow", variants=[on(RESERVATION)], shadow_variants=[on(other)])


def test_routing_strategies_cloudformation_lacks_are_botocore_minus_its_schema() -> None:
    # The hand-kept set follows CloudFormation: once the resource schema (as cfn-lint ships it) lists a strategy,
    # this fails and the strategy is let through.
    schemas = Path(cfnlint.__file__).parent / "data" / "schemas"
    digest = json.loads((schemas / "providers" / "us-east-1.json").read_text())["AWS::SageMaker::EndpointConfig"]
    schema = json.loads((schemas / "resources" / f"{digest}.json").read_text())
    in_schema = set(schema["definitions"]["RoutingConfig"]["properties"]["RoutingStrategy"]["enum"])
    assert set(_limits.enum("RoutingStrategy")) - in_schema == ROUTING_NOT_IN_CLOUDFORMATION


def test_one_model_fields_with_variants_are_rejected(stack: cdk.Stack) -> None:
    model = _model(stack, "A")
    with pytest.raises(ValidationError, match=r"enable_ssm_access applies only to the one-model form"):
        RealtimeEndpoint(stack, "R", variants=[ProductionVariant(model=model)], enable_ssm_access=True)


def test_llm_container_needs_an_accelerator(stack: cdk.Stack) -> None:
    model = Model(stack, "M", image=ContainerImage.from_uri(
        "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.7.0-tgi3.3.6-gpu"),
        model_data=ModelData.from_s3_prefix("s3://my-bucket/llm/"), environment={"HF_MODEL_ID": "/opt/ml/model"})
    with pytest.raises(ValidationError, match=r"instance_type must be a GPU or Neuron instance type for Hugging "
                                              r"Face TGI"):
        RealtimeEndpoint(stack, "R", model=model, instance_type="ml.m5.xlarge")


# -- model data for large models --------------------------------------------------------------------------------------
def test_uncompressed_gated_model_data(stack: cdk.Stack) -> None:
    model = Model(stack, "M", image=ContainerImage.from_uri(IMAGE),
                  model_data=ModelData.from_s3_prefix("s3://weights/llama/", accept_eula=True))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "Image": IMAGE, "ModelDataUrl": Match.absent(),
        "ModelDataSource": {"S3DataSource": {"S3Uri": "s3://weights/llama/", "S3DataType": "S3Prefix",
                                             "CompressionType": "None",
                                             "ModelAccessConfig": {"AcceptEula": True}}}}})
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        {"Action": "s3:GetObject", "Effect": "Allow",
         "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::weights/llama/*"]]}},
        {"Action": "s3:ListBucket", "Effect": "Allow",
         "Condition": {"StringLike": {"s3:prefix": ["llama/*"]}},
         "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::weights"]]}}])}})
    assert model.containers[0].model_data is not None


def test_gated_model_archive(stack: cdk.Stack) -> None:
    Model(stack, "M", image=ContainerImage.from_uri(IMAGE),
          model_data=ModelData.from_s3_uri("s3://weights/llama/model.tar.gz", accept_eula=True))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "Image": IMAGE, "ModelDataUrl": Match.absent(),
        "ModelDataSource": {"S3DataSource": {"S3Uri": "s3://weights/llama/model.tar.gz", "S3DataType": "S3Object",
                                             "CompressionType": "Gzip", "ModelAccessConfig": {"AcceptEula": True}}}}})


def test_model_data_through_a_private_hub_model_reference(stack: cdk.Stack) -> None:
    """A public JumpStart model read through a model reference of a private curated hub (HubAccessConfig), as
    uncompressed files and as an archive (the archive gets a ModelDataSource without a EULA too)."""
    Model(stack, "Prefix", image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_prefix(
        "s3://jumpstart-cache/llama/", accept_eula=True, hub_content_arn=HUB_CONTENT))
    Model(stack, "Archive", image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri(
        "s3://jumpstart-cache/bert/model.tar.gz", hub_content_arn=HUB_CONTENT))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "ModelDataUrl": Match.absent(),
        "ModelDataSource": {"S3DataSource": {"S3Uri": "s3://jumpstart-cache/llama/", "S3DataType": "S3Prefix",
                                             "CompressionType": "None", "ModelAccessConfig": {"AcceptEula": True},
                                             "HubAccessConfig": {"HubContentArn": HUB_CONTENT}}}}})
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "ModelDataUrl": Match.absent(),
        "ModelDataSource": {"S3DataSource": {"S3Uri": "s3://jumpstart-cache/bert/model.tar.gz",
                                             "S3DataType": "S3Object", "CompressionType": "Gzip",
                                             "ModelAccessConfig": Match.absent(),
                                             "HubAccessConfig": {"HubContentArn": HUB_CONTENT}}}}})


@pytest.mark.parametrize(("data", "match"), [
    (lambda s: ModelData.from_s3_uri("s3://weights/models/", accept_eula=True),
     r"model_data accept_eula applies to one model archive, not a multi-model prefix"),
    (lambda s: ModelData.from_s3_prefix("s3://weights/llama/model.safetensors"), r"model_data .*'/'"),
    (lambda s: ModelData.from_bucket_prefix(cdk.aws_s3.Bucket(s, "B"), "llama"),
     r"model_data prefix must be a key prefix ending in '/'"),
    (lambda s: ModelData.from_s3_prefix("s3://weights/llama/", hub_content_arn="arn:aws:sagemaker:us-east-1:"
                                        "123456789012:hub-content/my-hub/Model/llama-3-8b/1.0.0"),
     r"model_data hub_content_arn must be the ARN of a ModelReference hub content"),
    (lambda s: ModelData.from_s3_uri("s3://weights/llama.tar.gz", hub_content_arn="my-hub/llama"),
     r"model_data hub_content_arn must be the ARN of a ModelReference hub content"),
    (lambda s: ModelData.from_s3_uri("s3://weights/models/", hub_content_arn=HUB_CONTENT),
     r"model_data hub_content_arn applies to one model archive, not a multi-model prefix"),
    (lambda s: ModelData.from_s3_prefix("s3://weights/llama/", hub_content_arn=HUB_CONTENT.replace(
        "llama-3-8b", "x" * 250)), r"model_data hub_content_arn .* between 0 and 255 characters"),
])
def test_bad_uncompressed_model_data_is_rejected(stack: cdk.Stack, data: Any, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Model(stack, "M", image=ContainerImage.from_uri(IMAGE), model_data=data(stack))


def test_gated_llm_with_adapters_is_compliant_and_lint_clean(stack: cdk.Stack) -> None:
    """cdk-nag (AwsSolutions, NIST 800-53 r5, HIPAA) and cfn-lint with the readiness rules accept an LMI model from
    an uncompressed gated prefix, a component scaled to zero and two adapters (prefix grants acknowledged on the
    endpoint's execution policy; no redundant DependsOn)."""
    from cdk_sagemaker.constructs.storage import SecureBucket
    from cdk_sagemaker.testing import assert_compliant, assert_lint_clean

    bucket = SecureBucket(stack, "Models")
    base_model = Model(stack, "Base", image=ContainerImage.from_prebuilt("djl-lmi", "0.33.0"),
                       model_data=ModelData.from_bucket_prefix(bucket, "models/base/", accept_eula=True),
                       environment={"HF_MODEL_ID": "/opt/ml/model", "OPTION_TENSOR_PARALLEL_DEGREE": "1"})
    ep = _endpoint(stack, instance_type="ml.g5.2xlarge",
                   managed=ManagedInstanceScaling(min_instances=0, max_instances=2))
    base = ep.add_inference_component("Base", model=base_model, memory_mb=8192, accelerators=1, model_size_gb=16,
                                      auto_scaling=ComponentScaling(min_copies=0, max_copies=1,
                                                                    invocations_per_copy=100))
    ep.add_adapter("Sql", base_component=base, adapter_uri=ModelData.from_bucket(bucket, "adapters/sql/"))
    ep.add_adapter("Chat", base_component=base, adapter_uri="s3://other-bucket/adapters/chat/")
    assert_compliant(stack)
    assert_lint_clean(stack)


def test_accelerator_memory_rows_name_instance_types_sagemaker_knows_and_agree_with_the_family_facts() -> None:
    """Every hand-entered row of the accelerator-memory table names a hosting instance type of botocore's model, and
    its family is one our instance facts call GPU or Neuron (a typo or a CPU type in the table fails here)."""
    from cdk_sagemaker import _instances, _limits
    from cdk_sagemaker._llm import ACCELERATOR_MEMORY

    known = _limits.enum("ProductionVariantInstanceType")
    unknown = sorted(t for t in ACCELERATOR_MEMORY if t not in known)
    assert unknown == []
    assert all(_instances.accelerator_of(t) in {"gpu", "neuron"} for t in ACCELERATOR_MEMORY)
