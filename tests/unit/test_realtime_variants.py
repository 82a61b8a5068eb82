"""RealtimeEndpoint full form: weighted and shadow variants, data capture, inference components, multi-model and
multi-container models, imported endpoints, metrics, and rejected input."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


def _model(stack: cdk.Stack, id: str, **kw: Any) -> Model:
    return Model(stack, id, image=ContainerImage.from_uri(IMAGE),
                 model_data=ModelData.from_s3_uri(f"s3://my-bucket/{id}/model.tar.gz"), **kw)


@pytest.fixture
def models(stack: cdk.Stack) -> tuple[Model, Model]:
    return _model(stack, "A"), _model(stack, "B")


def _model_name(stack: cdk.Stack, model: Model) -> dict[str, Any]:
    return {"Fn::GetAtt": [stack.get_logical_id(model.cfn_model), "ModelName"]}


def test_weighted_variants_with_their_own_settings(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    a, b = models
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant(model=a, variant_name="Blue", instance_type="ml.c5.xlarge", instance_count=3,
                          initial_weight=9, volume_size_gb=64, model_data_download_timeout=Duration.minutes(5),
                          container_startup_health_check_timeout=Duration.seconds(600),
                          routing_strategy="LEAST_OUTSTANDING_REQUESTS"),
        ProductionVariant(model=b, variant_name="Green", initial_weight=1),
    ])
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [
            {"VariantName": "Blue", "ModelName": _model_name(stack, a), "InstanceType": "ml.c5.xlarge",
             "InitialInstanceCount": 3, "InitialVariantWeight": 9, "VolumeSizeInGB": 64,
             "ModelDataDownloadTimeoutInSeconds": 300, "ContainerStartupHealthCheckTimeoutInSeconds": 600,
             "RoutingConfig": {"RoutingStrategy": "LEAST_OUTSTANDING_REQUESTS"}},
            {"VariantName": "Green", "ModelName": _model_name(stack, b), "InstanceType": "ml.m5.large",
             "InitialInstanceCount": 1, "InitialVariantWeight": 1},
        ],
        "ShadowProductionVariants": Match.absent(),
    })
    assert [v.variant_name for v in ep.variants] == ["Blue", "Green"]
    assert ep.variant("Green").model is b
    with pytest.raises(ValidationError, match=r"variant_name must name a variant of the endpoint, one of "
                                              r"\['Blue', 'Green'\], got 'Red'"):
        ep.variant("Red")


def test_default_variant_names_by_position(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(model=m) for m in models])
    assert [v.variant_name for v in ep.variants] == ["Variant1", "Variant2"]


def test_each_variant_gets_its_own_auto_scaling(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    a, b = models
    RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant(model=a, variant_name="Blue", auto_scaling=AutoScaling(max_capacity=4,
                                                                                 invocations_per_instance=100)),
        ProductionVariant(model=b, variant_name="Green", auto_scaling=AutoScaling(max_capacity=2,
                                                                                  invocations_per_instance=50)),
    ])
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::ApplicationAutoScaling::ScalableTarget", 2)
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "MaxCapacity": 2, "ResourceId": {"Fn::Join": ["", Match.array_with(["/variant/Green"])]}})


def test_shadow_variant_gets_a_copy_of_traffic(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    a, b = models
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(model=a, variant_name="Prod")],
                          shadow_variants=[ProductionVariant(model=b, variant_name="Candidate", initial_weight=0.5)])
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [Match.object_like({"VariantName": "Prod", "ModelName": _model_name(stack, a)})],
        "ShadowProductionVariants": [Match.object_like({"VariantName": "Candidate", "InitialVariantWeight": 0.5,
                                                        "ModelName": _model_name(stack, b)})],
    })
    assert ep.variant("Candidate").shadow and ep.shadow_variants[0].variant_name == "Candidate"


def test_data_capture_to_a_new_secure_bucket(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    a, b = models
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(model=a), ProductionVariant(model=b)],
                          data_capture=DataCapture(sampling_percentage=30, capture_output=False,
                                                   csv_content_types=["text/csv"],
                                                   json_content_types=["application/json"]))
    t = Template.from_stack(stack)
    assert ep.data_capture_bucket is not None and ep.data_capture_bucket.encryption_key is not None
    bucket_id = stack.get_logical_id(ep.data_capture_bucket.node.default_child)
    key_arn = {"Fn::GetAtt": [stack.get_logical_id(ep.data_capture_bucket.encryption_key.node.default_child),
                              "Arn"]}
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"DataCaptureConfig": {
        "EnableCapture": True, "InitialSamplingPercentage": 30, "CaptureOptions": [{"CaptureMode": "Input"}],
        "DestinationS3Uri": {"Fn::Join": ["", ["s3://", {"Ref": bucket_id}, "/data-capture"]]},
        "KmsKeyId": key_arn,
        "CaptureContentTypeHeader": {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]},
    }})
    bucket = t.to_json()["Resources"][bucket_id]
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
    for model in models:
        t.has_resource_properties("AWS::IAM::ManagedPolicy", {
            "Roles": [{"Ref": stack.get_logical_id(model.role.node.default_child)}],
            "PolicyDocument": {"Statement": Match.array_with([
                {"Action": "s3:PutObject", "Effect": "Allow",
                 "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [bucket_id, "Arn"]}, "/data-capture/*"]]}},
                {"Action": ["kms:Encrypt", "kms:GenerateDataKey"], "Effect": "Allow", "Resource": key_arn},
            ])},
        })


def test_data_capture_to_a_user_bucket_and_prefix(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    bucket = s3.Bucket.from_bucket_name(stack, "Mine", "my-capture-bucket")
    ep = RealtimeEndpoint(stack, "Endpoint", model=models[0],
                          data_capture=DataCapture(bucket=bucket, prefix="team/churn", enabled=False))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"DataCaptureConfig": Match.object_like({
        "DestinationS3Uri": "s3://my-capture-bucket/team/churn", "EnableCapture": False,
        "InitialSamplingPercentage": 100, "KmsKeyId": Match.absent(),
        "CaptureOptions": [{"CaptureMode": "Input"}, {"CaptureMode": "Output"}]})})
    t.resource_count_is("AWS::S3::Bucket", 0)
    assert ep.data_capture_bucket is bucket


def test_inference_components_share_a_model_less_variant(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    a, b = models
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.g5.12xlarge", instance_count=2, variant_name="Shared")])
    ca = ep.add_inference_component("A", model=a, memory_mb=4096, cpu_cores=2, accelerators=1, copies=3,
                                    max_memory_mb=8192, container_startup_health_check_timeout=Duration.minutes(10))
    ep.add_inference_component("B", model=b, memory_mb=1024)
    t = Template.from_stack(stack)
    assert ep.execution_role is not None
    role_id = stack.get_logical_id(ep.execution_role.node.default_child)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ExecutionRoleArn": {"Fn::GetAtt": [role_id, "Arn"]},
        "ProductionVariants": [{"VariantName": "Shared", "InstanceType": "ml.g5.12xlarge",
                                "InitialInstanceCount": 2, "InitialVariantWeight": 1}],
    })
    t.resource_count_is("AWS::SageMaker::InferenceComponent", 2)
    t.has_resource_properties("AWS::SageMaker::InferenceComponent", {
        "EndpointName": {"Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]},
        "VariantName": "Shared",
        "RuntimeConfig": {"CopyCount": 3},
        "Specification": {
            "ModelName": _model_name(stack, a),
            "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 4096, "MaxMemoryRequiredInMb": 8192,
                                            "NumberOfCpuCoresRequired": 2, "NumberOfAcceleratorDevicesRequired": 1},
            "StartupParameters": {"ContainerStartupHealthCheckTimeoutInSeconds": 600},
        },
    })
    # The endpoint role holds each component model's exact grants.
    for model in models:
        t.has_resource_properties("AWS::IAM::ManagedPolicy", {"Roles": Match.array_with([
            {"Ref": stack.get_logical_id(model.role.node.default_child)}, {"Ref": role_id}])})
    assert ep.inference_components[0] is ca and ca.node.default_child is ca.cfn_inference_component
    assert stack.resolve(ca.metric_invocations().dimensions["InferenceComponentName"])["Fn::Select"][0] == 1


def test_multi_model_endpoint_and_target_model_grant(stack: cdk.Stack) -> None:
    model = Model(stack, "Mme", containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://my-bucket/models/"),
        multi_model=True)])
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    ep.grant_invoke(caller, target_models=["churn-*.tar.gz"])
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": Match.object_like({
        "Mode": "MultiModel", "ModelDataUrl": "s3://my-bucket/models/"})})
    t.has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": [Match.object_like({
        "Condition": {"StringLike": {"sagemaker:TargetModel": ["churn-*.tar.gz"]}},
        "Resource": {"Ref": stack.get_logical_id(ep.cfn_endpoint)}})]}})


def test_direct_invocation_grant_limited_to_containers(stack: cdk.Stack) -> None:
    model = Model(stack, "Direct", inference_execution_mode="Direct", containers=[
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE), hostname="first"),
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE), hostname="second")])
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    ep.grant_invoke(caller, target_container_hostnames=["second"])
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {"InferenceExecutionConfig": {"Mode": "Direct"}})
    t.has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": [Match.object_like({
        "Condition": {"StringLike": {"sagemaker:TargetContainerHostname": ["second"]}}})]}})


def test_serial_pipeline_model_on_an_endpoint(stack: cdk.Stack) -> None:
    model = Model(stack, "Pipeline", containers=[ContainerDefinition(image=ContainerImage.from_uri(IMAGE))
                                                 for _ in range(3)])
    RealtimeEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    assert len(t.find_resources("AWS::SageMaker::Model")[stack.get_logical_id(model.cfn_model)]["Properties"][
        "Containers"]) == 3
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [
        Match.object_like({"ModelName": _model_name(stack, model)})]})


def test_imported_endpoint_grants_and_metrics(stack: cdk.Stack) -> None:
    imported = RealtimeEndpoint.from_endpoint_name(stack, "Imported", "churn-prod")
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    imported.grant_invoke(caller)
    assert imported.endpoint_name == "churn-prod"
    arn = stack.resolve(imported.endpoint_arn)
    assert "endpoint/churn-prod" in str(arn)
    metric = imported.metric_model_latency(variant_name="Blue")
    assert metric.dimensions == {"EndpointName": "churn-prod", "VariantName": "Blue"}
    assert imported.metric_invocations().dimensions["VariantName"] == "AllTraffic"
    Template.from_stack(stack).has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": [
        Match.object_like({"Action": ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"],
                           "Resource": arn})]}})


@pytest.mark.parametrize(("method", "name", "namespace", "statistic"), [
    ("metric_invocations", "Invocations", "AWS/SageMaker", "Sum"),
    ("metric_invocations_per_instance", "InvocationsPerInstance", "AWS/SageMaker", "Sum"),
    ("metric_model_latency", "ModelLatency", "AWS/SageMaker", "p99"),
    ("metric_overhead_latency", "OverheadLatency", "AWS/SageMaker", "p99"),
    ("metric_invocation_4xx_errors", "Invocation4XXErrors", "AWS/SageMaker", "Sum"),
    ("metric_invocation_5xx_errors", "Invocation5XXErrors", "AWS/SageMaker", "Sum"),
    ("metric_invocation_model_errors", "InvocationModelErrors", "AWS/SageMaker", "Sum"),
    ("metric_cpu_utilization", "CPUUtilization", "/aws/sagemaker/Endpoints", "Average"),
    ("metric_memory_utilization", "MemoryUtilization", "/aws/sagemaker/Endpoints", "Average"),
    ("metric_gpu_utilization", "GPUUtilization", "/aws/sagemaker/Endpoints", "Average"),
    ("metric_gpu_memory_utilization", "GPUMemoryUtilization", "/aws/sagemaker/Endpoints", "Average"),
    ("metric_disk_utilization", "DiskUtilization", "/aws/sagemaker/Endpoints", "Average"),
])
def test_endpoint_metric_shortcuts_pick_the_variant(stack: cdk.Stack, models: tuple[Model, Model], method: str,
                                                    name: str, namespace: str, statistic: str) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(model=m) for m in models])
    metric = getattr(ep, method)(variant_name="Variant2")
    assert (metric.metric_name, metric.namespace, metric.statistic) == (name, namespace, statistic)
    assert metric.dimensions["VariantName"] == "Variant2"
    # Every metric_* takes the typed options of cloudwatch.MetricOptions (not **kwargs).
    styled = getattr(ep, method)(variant_name="Variant2", statistic="Maximum", period=Duration.minutes(5),
                                 label="mine", unit=cloudwatch.Unit.COUNT, color="#ff0000", account="123456789012",
                                 region="eu-west-1")
    assert (styled.statistic, styled.period.to_minutes(), styled.label, styled.unit, styled.color, styled.account,
            styled.region) == ("Maximum", 5, "mine", cloudwatch.Unit.COUNT, "#ff0000", "123456789012", "eu-west-1")


@pytest.mark.parametrize(("method", "name"), [
    ("metric_model_cache_hit", "ModelCacheHit"), ("metric_model_loading_wait_time", "ModelLoadingWaitTime"),
    ("metric_model_downloading_time", "ModelDownloadingTime"), ("metric_loaded_model_count", "LoadedModelCount"),
    ("metric_invocations_per_copy", "InvocationsPerCopy"), ("metric_model_setup_time", "ModelSetupTime"),
])
def test_variant_metrics_for_multi_model_and_components(stack: cdk.Stack, models: tuple[Model, Model], method: str,
                                                        name: str) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=models[0])
    assert getattr(ep.variants[0], method)().metric_name == name


def _bad(stack: cdk.Stack, models: tuple[Model, Model], case: str) -> dict[str, Any]:
    a, b = models
    pv = ProductionVariant
    mme = Model(stack, "Mme", containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://my-bucket/models/"),
        multi_model=True)])
    pipe = Model(stack, "Pipe", containers=[ContainerDefinition(image=ContainerImage.from_uri(IMAGE))] * 2)
    ic = pv.for_inference_components(instance_type="ml.m5.xlarge")
    cases: dict[str, dict[str, Any]] = {
        "model+variants": {"model": a, "variants": [pv(model=b)]},
        "neither": {},
        "simple option with variants": {"variants": [pv(model=a)], "instance_count": 3},
        "empty": {"variants": []},
        "duplicate": {"variants": [pv(model=a, variant_name="X"), pv(model=b, variant_name="X")]},
        "malformed": {"variants": [pv(model=a, variant_name="bad_name")]},
        "zero weights": {"variants": [pv(model=a, initial_weight=0), pv(model=b, initial_weight=0)]},
        "negative weight": {"variants": [pv(model=a, initial_weight=-1), pv(model=b)]},
        "too many": {"variants": [pv(model=a, variant_name=f"V{i}") for i in range(11)]},
        "volume": {"variants": [pv(model=a, volume_size_gb=513)]},
        "volume local storage": {"variants": [pv(model=a, instance_type="ml.m5d.large", volume_size_gb=30)]},
        "download timeout": {"variants": [pv(model=a, model_data_download_timeout=Duration.seconds(30))]},
        "startup timeout": {"variants": [pv(model=a, container_startup_health_check_timeout=Duration.hours(2))]},
        "routing": {"variants": [pv(model=a, routing_strategy="ROUND_ROBIN")]},
        "two prod with shadow": {"variants": [pv(model=a), pv(model=b)], "shadow_variants": [pv(model=a)]},
        "shadow mme": {"variants": [pv(model=mme)], "shadow_variants": [pv(model=b)]},
        "shadow pipeline": {"variants": [pv(model=a)], "shadow_variants": [pv(model=pipe)]},
        "shadow inf1": {"variants": [pv(model=a)], "shadow_variants": [pv(model=b, instance_type="ml.inf1.xlarge")]},
        "ic mixed": {"variants": [ic, pv(model=a)]},
        "ic shadow": {"variants": [ic], "shadow_variants": [pv(model=a)]},
        "ic weight": {"variants": [pv(model=None, instance_type="ml.m5.xlarge", initial_weight=2)]},
        "ic autoscaling": {"variants": [pv(model=None, auto_scaling=AutoScaling(max_capacity=2,
                                                                                invocations_per_instance=1))]},
        "role without ic": {"model": a, "execution_role": iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())},
        "sampling": {"model": a, "data_capture": DataCapture(sampling_percentage=101)},
        "no capture mode": {"model": a, "data_capture": DataCapture(capture_input=False, capture_output=False)},
        "prefix": {"model": a, "data_capture": DataCapture(prefix="/leading/")},
        "content type": {"model": a, "data_capture": DataCapture(csv_content_types=["csv"])},
        "too many content types": {"model": a, "data_capture": DataCapture(
            json_content_types=[f"application/x{i}" for i in range(11)])},
    }
    return cases[case]


@pytest.mark.parametrize(("case", "match"), [
    ("model+variants", r"model and variants are exclusive"),
    ("neither", r"model must be given .*got None"),
    ("simple option with variants", r"instance_count applies only to the one-model form.*got 3"),
    ("empty", r"variants must hold at least one ProductionVariant, got \[\]"),
    ("duplicate", r"variants\[1\].variant_name must be unique .*got 'X'"),
    ("malformed", r"variants\[0\].variant_name must match .*got 'bad_name'"),
    ("zero weights", r"variants\[\*\].initial_weight must not all be 0 .*got \[0, 0\]"),
    ("negative weight", r"variants\[0\].initial_weight must be at least 0 .*got -1"),
    ("too many", r"variants must hold at most 10 variants \(botocore ProductionVariantList\), got 11"),
    ("volume", r"variants\[0\].volume_size_gb must be between 1 and 512 GB .*got 513"),
    ("volume local storage", r"volume_size_gb does not apply to ml.m5d.large.*got 30"),
    ("download timeout", r"model_data_download_timeout must be between 60 and 3600 seconds .*got '30 s'"),
    ("startup timeout", r"container_startup_health_check_timeout must be between 60 and 3600 .*got '7200 s'"),
    ("routing", r"routing_strategy must be one of .*LEAST_OUTSTANDING_REQUESTS.*RANDOM.*got 'ROUND_ROBIN'"),
    ("two prod with shadow", r"shadow_variants need exactly one production variant and one shadow .*got \(2, 1\)"),
    ("shadow mme", r"variants\[0\].model must not be multi-model on an endpoint with a shadow variant"),
    ("shadow pipeline", r"shadow_variants\[0\].model must have one container on an endpoint with a shadow"),
    ("shadow inf1", r"shadow_variants\[0\].instance_type must not be an Inf1 type .*got 'ml.inf1.xlarge'"),
    ("ic mixed", r"variants must either all have a model or all host inference components .*got \['Variant2'\]"),
    ("ic shadow", r"shadow_variants are not supported on an endpoint that hosts inference components"),
    ("ic weight", r"initial_weight does not apply to a variant that hosts inference components, got 2"),
    ("ic autoscaling", r"auto_scaling is not supported on a variant that hosts inference components"),
    ("role without ic", r"execution_role applies only to an endpoint that hosts inference components"),
    ("sampling", r"data_capture.sampling_percentage must be an integer between 0 and 100 .*got 101"),
    ("no capture mode", r"data_capture.capture_input/capture_output must capture at least one .*got neither"),
    ("prefix", r"data_capture.prefix must be an S3 key prefix .*got '/leading/'"),
    ("content type", r"data_capture.csv_content_types must hold MIME types like 'text/csv' .*got 'csv'"),
    ("too many content types", r"data_capture.json_content_types must hold at most 10 content types, got 11"),
])
def test_bad_input_is_rejected(stack: cdk.Stack, models: tuple[Model, Model], case: str, match: str) -> None:
    kwargs = _bad(stack, models, case)
    with pytest.raises(ValidationError, match=match):
        RealtimeEndpoint(stack, "Endpoint", **kwargs)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"memory_mb": 64}, r"memory_mb must be at least 128 \(botocore MemoryInMb\), got 64"),
    ({"memory_mb": 1024, "max_memory_mb": 512}, r"max_memory_mb must be at least memory_mb \(1024\), got 512"),
    ({"memory_mb": 1024, "cpu_cores": 0.1}, r"cpu_cores must be at least 0.25 .*got 0.1"),
    ({"memory_mb": 1024, "accelerators": 0}, r"accelerators must be at least 1 .*got 0"),
    ({"memory_mb": 1024, "copies": -1}, r"copies must be at least 0 .*got -1"),
    ({"memory_mb": 1024, "variant_name": "Nope"}, r"variant_name must name a variant that hosts inference "
                                                  r"components, one of \['Variant1'\], got 'Nope'"),
    ({"memory_mb": 1024, "model_data_download_timeout": Duration.hours(2)},
     r"model_data_download_timeout must be between 60 and 3600 seconds .*got '7200 s'"),
])
def test_bad_inference_component_is_rejected(stack: cdk.Stack, models: tuple[Model, Model], kwargs: dict[str, Any],
                                             match: str) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.m5.xlarge")])
    with pytest.raises(ValidationError, match=match):
        ep.add_inference_component("C", model=models[0], **kwargs)


def test_inference_component_needs_a_component_variant(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=models[0])
    with pytest.raises(ValidationError, match=r"endpoint must have a variant that hosts inference components"):
        ep.add_inference_component("C", model=models[1], memory_mb=1024)


def test_inference_component_problems_come_in_one_error(stack: cdk.Stack, models: tuple[Model, Model]) -> None:
    # A timeout that is not a Duration used to be raised alone, before the other checks ran.
    ep = RealtimeEndpoint(stack, "Endpoint", model=models[0])
    with pytest.raises(ValidationError) as err:
        ep.add_inference_component("C", model=models[1], memory_mb=1024,
                                   model_data_download_timeout=600)  # type: ignore[arg-type]
    assert [p.param for p in err.value.details] == ["model_data_download_timeout", "endpoint"]


def test_imported_endpoint_name_is_checked(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"endpoint_name must match .*got 'bad name'"):
        RealtimeEndpoint.from_endpoint_name(stack, "Imported", "bad name")
