"""RealtimeEndpoint (simple form) and the shared endpoint base: config, KMS, grants, metrics, rejected input."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.endpoint import has_instance_storage
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))


def test_endpoint_config_has_one_variant_and_kms_key(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.c5.xlarge", instance_count=3)
    t = Template.from_stack(stack)
    key_id = stack.get_logical_id(ep.kms_key.node.default_child)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "KmsKeyId": {"Fn::GetAtt": [key_id, "Arn"]},
        "ProductionVariants": [{
            "VariantName": "AllTraffic", "InstanceType": "ml.c5.xlarge", "InitialInstanceCount": 3,
            "InitialVariantWeight": 1,
            "ModelName": {"Fn::GetAtt": [stack.get_logical_id(model.cfn_model), "ModelName"]},
        }],
    })
    t.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    t.has_resource_properties("AWS::SageMaker::Endpoint", {
        "EndpointConfigName": {"Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint_config), "EndpointConfigName"]},
    })
    assert ep.node.default_child is ep.cfn_endpoint


def test_no_fixed_names(stack: cdk.Stack, model: Model) -> None:
    RealtimeEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"EndpointConfigName": Match.absent()})
    t.has_resource_properties("AWS::SageMaker::Endpoint", {"EndpointName": Match.absent()})


def test_user_key_is_used_and_none_created(stack: cdk.Stack, model: Model) -> None:
    key = kms.Key(stack, "MyKey", enable_key_rotation=True)
    RealtimeEndpoint(stack, "Endpoint", model=model, kms_key=key)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::KMS::Key", 1)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig",
                              {"KmsKeyId": {"Fn::GetAtt": [stack.get_logical_id(key.node.default_child), "Arn"]}})


@pytest.mark.parametrize(("instance_type", "local"), [
    ("ml.m5.large", False), ("ml.m5d.large", True), ("ml.g4dn.xlarge", True), ("ml.g5.2xlarge", True),
    ("ml.c5.xlarge", False), ("ml.p4d.24xlarge", True), ("ml.inf1.xlarge", False),
])
def test_instance_storage_types_get_no_kms_key(stack: cdk.Stack, model: Model, instance_type: str,
                                               local: bool) -> None:
    assert has_instance_storage(instance_type) is local
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_type=instance_type)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig",
                              {"KmsKeyId": Match.absent() if local else Match.any_value()})


def test_grant_invoke_is_scoped_to_the_endpoint(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model)
    role = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    ep.grant_invoke(role)
    Template.from_stack(stack).has_resource_properties("AWS::IAM::Policy", {
        "PolicyDocument": {"Statement": [{
            "Action": ["sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream"],
            "Effect": "Allow", "Resource": {"Ref": stack.get_logical_id(ep.cfn_endpoint)},
        }], "Version": "2012-10-17"},
    })


def test_metrics_carry_endpoint_and_variant_dimensions(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, variant_name="Blue")
    metric = ep.metric_model_latency()
    assert metric.metric_name == "ModelLatency" and metric.statistic == "p99"
    assert metric.namespace == "AWS/SageMaker"
    dims = metric.dimensions
    assert dims is not None and dims["VariantName"] == "Blue"
    assert stack.resolve(dims["EndpointName"]) == {
        "Fn::GetAtt": [stack.get_logical_id(ep.cfn_endpoint), "EndpointName"]}
    assert ep.metric_invocation_5xx_errors().metric_name == "Invocation5XXErrors"
    assert ep.variants[0].metric_cpu_utilization().namespace == "/aws/sagemaker/Endpoints"


def test_target_tracking_on_invocations_per_instance(stack: cdk.Stack, model: Model) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2,
                          auto_scaling=AutoScaling(min_capacity=2, max_capacity=6, max_rps_per_instance=10,
                                                   safety_factor=0.5))
    t = Template.from_stack(stack)
    ep_id = stack.get_logical_id(ep.cfn_endpoint)
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "MinCapacity": 2, "MaxCapacity": 6, "ServiceNamespace": "sagemaker",
        "ScalableDimension": "sagemaker:variant:DesiredInstanceCount", "RoleARN": Match.absent(),
        "ResourceId": {"Fn::Join": ["", ["endpoint/", {"Fn::GetAtt": [ep_id, "EndpointName"]},
                                         "/variant/AllTraffic"]]},
    })
    t.has_resource_properties("AWS::ApplicationAutoScaling::ScalingPolicy", {
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": Match.object_like({
            "TargetValue": 300,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"}}),
    })


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"instance_type": "ml.m5.huge"}, r"Endpoint: instance_type must be a SageMaker instance type from botocore's "
                                      r"ProductionVariantInstanceType .*the m5 family has ml.m5.12xlarge.*"
                                      r"got 'ml.m5.huge'"),
    ({"instance_type": "m5.large"}, r"instance_type must be a SageMaker instance type .*got 'm5.large'"),
    ({"instance_count": 0}, r"instance_count must be at least 1, got 0"),
    ({"variant_name": "has space"}, r"variant_name must match .*got 'has space'"),
    ({"auto_scaling": AutoScaling(min_capacity=3, max_capacity=2, invocations_per_instance=100)},
     r"auto_scaling.max_capacity must be at least min_capacity \(3\), got 2"),
    ({"auto_scaling": AutoScaling(min_capacity=0, max_capacity=2, invocations_per_instance=100)},
     r"auto_scaling.min_capacity must be at least 1 on an instance endpoint .*got 0"),
    ({"instance_count": 5, "auto_scaling": AutoScaling(max_capacity=4, invocations_per_instance=100)},
     r"must contain the variant's instance_count \(5\), got 1..4"),
    ({"auto_scaling": AutoScaling(max_capacity=4, invocations_per_instance=0)},
     r"auto_scaling.invocations_per_instance must be greater than 0, got 0"),
    ({"auto_scaling": AutoScaling(max_capacity=4, max_rps_per_instance=5, safety_factor=1.5)},
     r"auto_scaling.safety_factor must be in \(0, 1\], got 1.5"),
    ({"auto_scaling": AutoScaling(max_capacity=4)}, r"invocations_per_instance or max_rps_per_instance must be given"),
    ({"instance_type": "ml.t2.medium", "auto_scaling": AutoScaling(max_capacity=4, invocations_per_instance=9)},
     r"instance_type must not be a burstable \(ml.t\*\) type when auto_scaling is set .*got 'ml.t2.medium'"),
])
def test_bad_input_is_rejected(stack: cdk.Stack, model: Model, kwargs: dict, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        RealtimeEndpoint(stack, "Endpoint", model=model, **kwargs)


def test_base_and_kind_problems_are_reported_together(stack: cdk.Stack, model: Model) -> None:
    # The key without rotation (a check every endpoint kind shares) used to be raised on its own, after the
    # real-time problems were fixed.
    with pytest.raises(ValidationError) as err:
        RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=0, kms_key=kms.Key(stack, "NoRotation"))
    assert [p.param for p in err.value.details] == ["instance_count", "kms_key"]
    assert "2 problems" in str(err.value)
