"""AsyncEndpoint: output/failure/input locations, notifications, client config, execution-role grants, invoke grants,
async metrics, scaling/deployment hand-off and rejected input."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import AsyncEndpoint, AutoScaling, DeploymentStrategy, ValidationError
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
TOPIC = "arn:aws:sns:us-east-1:123456789012:mine"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))


def _id(stack: cdk.Stack, construct: Any) -> str:
    return stack.get_logical_id(construct.node.default_child)


def _objects(bucket_ref: dict[str, Any] | str, prefix: str) -> dict[str, Any]:
    if isinstance(bucket_ref, str):
        return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{bucket_ref}/{prefix}/*"]]}
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", bucket_ref, f"/{prefix}/*"]]}


def _s3_url(stack: cdk.Stack, bucket: Any, prefix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", ["s3://", {"Ref": _id(stack, bucket)}, f"/{prefix}/"]]}


def _output_config(t: Template) -> dict[str, Any]:
    (config,) = t.find_resources("AWS::SageMaker::EndpointConfig").values()
    result: dict[str, Any] = config["Properties"]["AsyncInferenceConfig"]
    return result


def _statements(t: Template, policy_type: str = "AWS::IAM::ManagedPolicy") -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for policy in t.find_resources(policy_type).values():
        out.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return out


# -- defaults -------------------------------------------------------------------------------------------------------
def test_defaults_create_a_secure_bucket_with_prefixes(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    assert ep.bucket is not None and ep.bucket.encryption_key is not None
    t.has_resource("AWS::S3::Bucket", {"DeletionPolicy": "Retain", "Properties": Match.object_like({
        "VersioningConfiguration": {"Status": "Enabled"}})})
    assert _output_config(t) == {"OutputConfig": {
        "S3OutputPath": _s3_url(stack, ep.bucket, "outputs"),
        "S3FailurePath": _s3_url(stack, ep.bucket, "failures"),
        "KmsKeyId": {"Fn::GetAtt": [_id(stack, ep.bucket.encryption_key), "Arn"]},
        "NotificationConfig": {"SuccessTopic": {"Ref": _id(stack, ep.success_topic)},
                               "ErrorTopic": {"Ref": _id(stack, ep.error_topic)}},
    }}
    assert stack.resolve(ep.input_path) == _s3_url(stack, ep.bucket, "inputs")
    assert stack.resolve(ep.output_path) == _s3_url(stack, ep.bucket, "outputs")
    assert stack.resolve(ep.failure_path) == _s3_url(stack, ep.bucket, "failures")


def test_defaults_instance_variant_and_storage_key(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    assert ep.kms_key is not None
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "KmsKeyId": {"Fn::GetAtt": [_id(stack, ep.kms_key), "Arn"]},
        "ProductionVariants": [{"VariantName": "AllTraffic", "InstanceType": "ml.m5.xlarge",
                                "InitialInstanceCount": 1, "InitialVariantWeight": 1,
                                "ModelName": {"Fn::GetAtt": [stack.get_logical_id(model.cfn_model), "ModelName"]}}],
    })
    assert ep.variants[0].kind == "async" and ep.variants[0] is ep.variant("AllTraffic")


def test_instance_type_count_variant_and_storage_key_options(stack: cdk.Stack, model: Model) -> None:
    key = kms.Key(stack, "Storage", enable_key_rotation=True)
    AsyncEndpoint(stack, "Endpoint", model=model, instance_type="ml.c5.2xlarge", instance_count=3,
                  variant_name="Blue", kms_key=key)
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "KmsKeyId": {"Fn::GetAtt": [_id(stack, key), "Arn"]},
        "ProductionVariants": [Match.object_like({"VariantName": "Blue", "InstanceType": "ml.c5.2xlarge",
                                                  "InitialInstanceCount": 3})],
    })


def test_topics_are_kms_encrypted_and_tls_only(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    assert ep.topic_key is not None
    key_arn = {"Fn::GetAtt": [_id(stack, ep.topic_key), "Arn"]}
    topics = t.find_resources("AWS::SNS::Topic")
    assert sorted(topics) == sorted([_id(stack, ep.success_topic), _id(stack, ep.error_topic)])
    assert all(topic["Properties"]["KmsMasterKeyId"] == key_arn for topic in topics.values())
    t.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True,
                                                "Description": Match.string_like_regexp("notification topics")})
    for topic in (ep.success_topic, ep.error_topic):
        t.has_resource_properties("AWS::SNS::TopicPolicy", {
            "Topics": [{"Ref": _id(stack, topic)}],
            "PolicyDocument": {"Statement": [Match.object_like({
                "Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})],
                "Version": "2012-10-17"},
        })


def test_execution_role_gets_exactly_the_locations_topics_and_keys(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    assert ep.bucket is not None and ep.bucket.encryption_key is not None and ep.topic_key is not None
    bucket = {"Ref": _id(stack, ep.bucket)}
    added = _statements(t)[-5:]
    assert added == [
        {"Action": ["s3:PutObject", "s3:AbortMultipartUpload"], "Effect": "Allow",
         "Resource": [_objects(bucket, "outputs"), _objects(bucket, "failures")]},
        {"Action": "s3:GetObject", "Effect": "Allow", "Resource": _objects(bucket, "inputs")},
        {"Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow",
         "Resource": {"Fn::GetAtt": [_id(stack, ep.bucket.encryption_key), "Arn"]}},
        {"Action": "sns:Publish", "Effect": "Allow",
         "Resource": [{"Ref": _id(stack, ep.success_topic)}, {"Ref": _id(stack, ep.error_topic)}]},
        {"Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow",
         "Resource": {"Fn::GetAtt": [_id(stack, ep.topic_key), "Arn"]}},
    ]


def test_prefix_grants_are_acknowledged_exactly_on_the_model_policy(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    policy = model.node.find_child("Policy")
    acknowledged = {key for entry in policy.node.metadata
                    if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY for key in entry.data}
    bucket = _id(stack, ep.bucket)
    for prefix in ("outputs", "failures", "inputs"):
        assert (f"AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<{bucket}>/{prefix}/*]"
                in acknowledged)


# -- locations ------------------------------------------------------------------------------------------------------
def test_given_bucket_with_custom_prefixes(stack: cdk.Stack, model: Model) -> None:
    mine = s3.Bucket(stack, "Mine", enforce_ssl=True)
    ep = AsyncEndpoint(stack, "Endpoint", model=model, output_bucket=mine, input_prefix="in/",
                       output_prefix="results", failure_prefix="errors/")
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::S3::Bucket", 1)
    assert ep.bucket is mine
    config = _output_config(t)["OutputConfig"]
    assert config["S3OutputPath"] == _s3_url(stack, mine, "results")
    assert config["S3FailurePath"] == _s3_url(stack, mine, "errors")
    assert "KmsKeyId" not in config  # an S3-managed bucket has no key to name
    bucket = {"Ref": _id(stack, mine)}
    statements = _statements(t)
    assert {"Action": ["s3:PutObject", "s3:AbortMultipartUpload"], "Effect": "Allow",
            "Resource": [_objects(bucket, "results"), _objects(bucket, "errors")]} in statements
    assert {"Action": "s3:GetObject", "Effect": "Allow", "Resource": _objects(bucket, "in")} in statements


def test_s3_uris_instead_of_a_bucket(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model, output_path="s3://results-bucket/async/out/",
                       failure_path="s3://results-bucket/async/failed", input_path="s3://inputs-bucket/requests/")
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::S3::Bucket", 0)
    assert getattr(ep, "bucket", None) is None and getattr(ep, "output_kms_key", None) is None
    config = _output_config(t)["OutputConfig"]
    assert (config["S3OutputPath"], config["S3FailurePath"]) == ("s3://results-bucket/async/out/",
                                                                 "s3://results-bucket/async/failed")
    assert "KmsKeyId" not in config
    statements = _statements(t)
    assert {"Action": ["s3:PutObject", "s3:AbortMultipartUpload"], "Effect": "Allow",
            "Resource": [_objects("results-bucket", "async/out"), _objects("results-bucket", "async/failed")]
            } in statements
    assert {"Action": "s3:GetObject", "Effect": "Allow",
            "Resource": _objects("inputs-bucket", "requests")} in statements


def test_output_uri_alone_has_no_failure_path_or_input_grant(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model, output_path="s3://results-bucket/out/")
    t = Template.from_stack(stack)
    assert "S3FailurePath" not in _output_config(t)["OutputConfig"]
    assert getattr(ep, "failure_path", None) is None and getattr(ep, "input_path", None) is None
    assert not [s for s in _statements(t) if s["Action"] == "s3:GetObject"]


def test_output_kms_key(stack: cdk.Stack, model: Model) -> None:
    key = kms.Key(stack, "Results", enable_key_rotation=True)
    AsyncEndpoint(stack, "Endpoint", model=model, output_path="s3://results-bucket/out/", output_kms_key=key)
    t = Template.from_stack(stack)
    key_arn = {"Fn::GetAtt": [_id(stack, key), "Arn"]}
    assert _output_config(t)["OutputConfig"]["KmsKeyId"] == key_arn
    assert {"Action": ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow",
            "Resource": key_arn} in _statements(t)


def test_output_kms_key_with_the_created_bucket_leaves_the_bucket_key_for_reading(stack: cdk.Stack,
                                                                                   model: Model) -> None:
    key = kms.Key(stack, "Results", enable_key_rotation=True)
    ep = AsyncEndpoint(stack, "Endpoint", model=model, output_kms_key=key)
    t = Template.from_stack(stack)
    assert ep.bucket is not None and ep.bucket.encryption_key is not None
    assert _output_config(t)["OutputConfig"]["KmsKeyId"] == {"Fn::GetAtt": [_id(stack, key), "Arn"]}
    assert {"Action": "kms:Decrypt", "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [_id(stack, ep.bucket.encryption_key), "Arn"]}} in _statements(t)


# -- notifications and client config -------------------------------------------------------------------------------
def test_notifications_off(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model, notifications=False)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SNS::Topic", 0)
    assert all(getattr(ep, name, None) is None for name in ("success_topic", "error_topic", "topic_key"))
    assert "NotificationConfig" not in _output_config(t)["OutputConfig"]
    assert not [s for s in _statements(t) if s["Action"] == "sns:Publish"]


def test_given_topics_are_used_and_none_created(stack: cdk.Stack, model: Model) -> None:
    key = kms.Key(stack, "TopicKeyOfMine", enable_key_rotation=True)
    success = sns.Topic(stack, "Done", master_key=key, enforce_ssl=True)
    error = sns.Topic.from_topic_arn(stack, "Failed", TOPIC)
    ep = AsyncEndpoint(stack, "Endpoint", model=model, success_topic=success, error_topic=error)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SNS::Topic", 1)
    assert getattr(ep, "topic_key", None) is None
    assert _output_config(t)["OutputConfig"]["NotificationConfig"] == {
        "SuccessTopic": {"Ref": _id(stack, success)}, "ErrorTopic": TOPIC}
    statements = _statements(t)
    assert {"Action": "sns:Publish", "Effect": "Allow", "Resource": [{"Ref": _id(stack, success)}, TOPIC]} \
        in statements
    assert {"Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [_id(stack, key), "Arn"]}} in statements


def test_one_given_topic_and_one_created(stack: cdk.Stack, model: Model) -> None:
    error = sns.Topic.from_topic_arn(stack, "Failed", TOPIC)
    ep = AsyncEndpoint(stack, "Endpoint", model=model, error_topic=error)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::SNS::Topic", 1)
    assert ep.error_topic is error and ep.success_topic is not None and ep.topic_key is not None
    assert _output_config(t)["OutputConfig"]["NotificationConfig"] == {
        "SuccessTopic": {"Ref": _id(stack, ep.success_topic)}, "ErrorTopic": TOPIC}


def test_include_inference_response_in(stack: cdk.Stack, model: Model) -> None:
    AsyncEndpoint(stack, "Endpoint", model=model, include_inference_response_in=["success", "error"])
    notification = _output_config(Template.from_stack(stack))["OutputConfig"]["NotificationConfig"]
    assert notification["IncludeInferenceResponseIn"] == ["SUCCESS_NOTIFICATION_TOPIC", "ERROR_NOTIFICATION_TOPIC"]


def test_max_concurrent_invocations_per_instance(stack: cdk.Stack, model: Model) -> None:
    AsyncEndpoint(stack, "Endpoint", model=model, max_concurrent_invocations_per_instance=4)
    t = Template.from_stack(stack)
    assert _output_config(t)["ClientConfig"] == {"MaxConcurrentInvocationsPerInstance": 4}


def test_no_client_config_by_default(stack: cdk.Stack, model: Model) -> None:
    AsyncEndpoint(stack, "Endpoint", model=model)
    assert "ClientConfig" not in _output_config(Template.from_stack(stack))


# -- grants, metrics, scaling, deployment --------------------------------------------------------------------------
def test_grant_invoke_covers_invoke_inputs_and_results(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    ep.grant_invoke(iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal()))
    t = Template.from_stack(stack)
    assert ep.bucket is not None and ep.bucket.encryption_key is not None
    bucket = {"Ref": _id(stack, ep.bucket)}
    assert _statements(t, "AWS::IAM::Policy") == [
        {"Action": "sagemaker:InvokeEndpointAsync", "Effect": "Allow",
         "Resource": {"Ref": stack.get_logical_id(ep.cfn_endpoint)}},
        {"Action": "s3:PutObject", "Effect": "Allow", "Resource": _objects(bucket, "inputs")},
        {"Action": "s3:GetObject", "Effect": "Allow",
         "Resource": [_objects(bucket, "outputs"), _objects(bucket, "failures")]},
        {"Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Effect": "Allow",
         "Resource": {"Fn::GetAtt": [_id(stack, ep.bucket.encryption_key), "Arn"]}},
    ]


@pytest.mark.parametrize(("method", "name", "statistic"), [
    ("metric_approximate_backlog_size", "ApproximateBacklogSize", "Average"),
    ("metric_approximate_backlog_size_per_instance", "ApproximateBacklogSizePerInstance", "Average"),
    ("metric_approximate_age_of_oldest_request", "ApproximateAgeOfOldestRequest", "Maximum"),
    ("metric_has_backlog_without_capacity", "HasBacklogWithoutCapacity", "Average"),
])
def test_async_metrics_have_only_the_endpoint_name_dimension(stack: cdk.Stack, model: Model, method: str,
                                                             name: str, statistic: str) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    metric = getattr(ep, method)()
    assert (metric.namespace, metric.metric_name, metric.statistic) == ("AWS/SageMaker", name, statistic)
    assert metric.dimensions is not None and list(metric.dimensions) == ["EndpointName"]
    assert stack.resolve(metric.dimensions["EndpointName"]) == {
        "Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]}


def test_auto_scaling_scales_the_async_variant_to_zero(stack: cdk.Stack, model: Model) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=model, auto_scaling=AutoScaling(min_capacity=0, max_capacity=3))
    assert ep.variants[0].kind == "async" and ep.variants[0].scalable_target is not None
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "MinCapacity": 0, "MaxCapacity": 3})
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {"PolicyType": "StepScaling"})


def test_deployment_is_rendered(stack: cdk.Stack, model: Model) -> None:
    AsyncEndpoint(stack, "Endpoint", model=model, instance_count=2, deployment=DeploymentStrategy.canary(instances=1))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Endpoint", {
        "DeploymentConfig": Match.object_like({"BlueGreenUpdatePolicy": Match.object_like({
            "TrafficRoutingConfiguration": Match.object_like({
                "Type": "CANARY", "CanarySize": {"Type": "INSTANCE_COUNT", "Value": 1}})})}),
    })


# -- rejected input -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"instance_type": "ml.m5.huge"}, r"instance_type must be a SageMaker instance type .*got 'ml.m5.huge'"),
    ({"instance_count": 0}, r"instance_count must be at least 1, got 0"),
    ({"variant_name": "has space"}, r"variant_name must match .*got 'has space'"),
    ({"max_concurrent_invocations_per_instance": 0},
     r"max_concurrent_invocations_per_instance must be between 1 and 1000, got 0"),
    ({"max_concurrent_invocations_per_instance": 1001},
     r"max_concurrent_invocations_per_instance must be between 1 and 1000, got 1001"),
    ({"output_path": "https://bucket.s3.amazonaws.com/out/"},
     r"output_path must be an S3 URI starting with 's3://' .*it uses the scheme 'https://', got 'https://bucket"),
    ({"output_path": "results/out"},
     r"output_path must be an S3 URI starting with 's3://' .*it has no scheme, got 'results/out'"),
    ({"output_path": "s3://bucket/out/", "failure_path": "bucket/failed"},
     r"failure_path must be an S3 URI starting with 's3://' .*it has no scheme, got 'bucket/failed'"),
    ({"output_path": "s3://bucket/" + "k" * 600},
     r"output_path must be at most 512 characters \(botocore DestinationS3Uri\), got 612 characters"),
    ({"output_path": "s3://bucket/out/", "failure_path": "s3://bucket/out"},
     r"failure_path must differ from output_path \('s3://bucket/out/'\) .*got 's3://bucket/out'"),
    ({"output_path": "s3://bucket/out/", "input_path": "s3://bucket/out/"},
     r"input_path must differ from output_path and failure_path, got 's3://bucket/out/'"),
    ({"failure_path": "s3://bucket/failed/"}, r"failure_path requires output_path .*got 's3://bucket/failed/'"),
    ({"input_path": "s3://bucket/in/"}, r"input_path requires output_path .*got 's3://bucket/in/'"),
    ({"output_path": "s3://bucket/out/", "output_prefix": "results/"},
     r"output_prefix applies only to a bucket .*not with output_path, got 'results/'"),
    ({"output_prefix": "failures/"}, r"output_prefix must differ from failure_prefix \('failures/'\), "
                                     r"got 'failures/'|failure_prefix must differ from output_prefix"),
    ({"failure_prefix": "/failed"}, r"failure_prefix must be a non-empty S3 key prefix without a leading '/' "
                                    r"or white space, got '/failed'"),
    ({"input_prefix": "/"}, r"input_prefix must be a non-empty S3 key prefix .*got '/'"),
    ({"notifications": False, "error_topic": "topic"},
     r"error_topic requires notifications=True, got notifications=False and a topic"),
    ({"include_inference_response_in": ["sucess"]},
     r"include_inference_response_in must list 'success' and/or 'error', got 'sucess'"),
    ({"notifications": False, "include_inference_response_in": ["error"]},
     r"include_inference_response_in requires notifications=True, got 'error'"),
    ({"include_inference_response_in": ["error", "error"]},
     r"include_inference_response_in must not repeat a topic, got \['error', 'error'\]"),
])
def test_bad_input_is_rejected(stack: cdk.Stack, model: Model, kwargs: dict[str, Any], match: str) -> None:
    if kwargs.get("error_topic") == "topic":
        kwargs["error_topic"] = sns.Topic.from_topic_arn(stack, "Mine", TOPIC)
    with pytest.raises(ValidationError, match=match):
        AsyncEndpoint(stack, "Endpoint", model=model, **kwargs)


def test_output_bucket_and_output_path_are_exclusive(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"output_bucket and output_path are exclusive"):
        AsyncEndpoint(stack, "Endpoint", model=model, output_bucket=s3.Bucket(stack, "Mine"),
                      output_path="s3://bucket/out/")


def test_async_metric_period_must_be_a_duration() -> None:
    # Item 12: a number where a Duration belongs is a ValidationError naming the endpoint.
    stack = cdk.Stack(cdk.App(), "PeriodStack")
    model = Model(stack, "Model", image=ContainerImage.from_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/m:1"))
    ep = AsyncEndpoint(stack, "Endpoint", model=model)
    with pytest.raises(ValidationError, match=r"PeriodStack/Endpoint: period must be an aws_cdk.Duration .*got 60"):
        ep.metric_approximate_backlog_size(period=60)  # type: ignore[arg-type]
