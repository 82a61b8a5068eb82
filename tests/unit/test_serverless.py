"""ServerlessEndpoint: serverless config, no endpoint-config key, model exclusions, scaling/deployment hand-off."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import AutoScaling, DeploymentStrategy, ServerlessEndpoint, ValidationError
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), network_isolation=False)


def test_defaults_render_a_serverless_variant_without_instances_or_key(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "KmsKeyId": Match.absent(),
        "ProductionVariants": [{
            "VariantName": "AllTraffic", "InitialVariantWeight": 1,
            "ModelName": {"Fn::GetAtt": [stack.get_logical_id(model.cfn_model), "ModelName"]},
            "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 20},
            "InstanceType": Match.absent(), "InitialInstanceCount": Match.absent(),
        }],
    })
    t.resource_count_is("AWS::KMS::Key", 0)
    assert getattr(ep, "kms_key", None) is None
    assert ep.node.default_child is ep.cfn_endpoint
    assert [v.kind for v in ep.variants] == ["serverless"]


def test_memory_concurrency_provisioned_and_variant_name_are_rendered(stack: cdk.Stack, model: Model) -> None:
    ServerlessEndpoint(stack, "Endpoint", model=model, memory_size_mb=6144, max_concurrency=200,
                       provisioned_concurrency=7, variant_name="Blue")
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {
        "ProductionVariants": [Match.object_like({
            "VariantName": "Blue",
            "ServerlessConfig": {"MemorySizeInMB": 6144, "MaxConcurrency": 200, "ProvisionedConcurrency": 7}}),
        ],
    })


def test_missing_key_is_acknowledged_exactly_on_the_endpoint_config(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model)
    acknowledged = {key for entry in ep.cfn_endpoint_config.node.metadata
                    if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY for key in entry.data}
    assert acknowledged == {
        "NIST.800.53.R5::NIST.800.53.R5-SageMakerEndpointConfigurationKMSKeyConfigured",
        "HIPAA.Security::HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured",
    }
    assert not [e for e in ep.node.metadata if e.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY]


def test_grant_invoke_is_scoped_to_the_endpoint(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model)
    ep.grant_invoke(iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal()))
    Template.from_stack(stack).has_resource_properties("AWS::IAM::Policy", {
        "PolicyDocument": {"Statement": [{
            "Action": "sagemaker:InvokeEndpoint", "Effect": "Allow",
            "Resource": {"Ref": stack.get_logical_id(ep.cfn_endpoint)}}], "Version": "2012-10-17"},
    })


def test_model_setup_time_metric(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model, variant_name="Blue")
    metric = ep.metric_model_setup_time()
    assert (metric.metric_name, metric.statistic, metric.namespace) == ("ModelSetupTime", "Average", "AWS/SageMaker")
    assert metric.dimensions is not None and metric.dimensions["VariantName"] == "Blue"


def test_auto_scaling_scales_the_serverless_variants_provisioned_concurrency(stack: cdk.Stack, model: Model) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=model, max_concurrency=20, provisioned_concurrency=2,
                            auto_scaling=AutoScaling(min_capacity=1, max_capacity=10))
    assert ep.variants[0].kind == "serverless" and ep.variants[0].scalable_target is not None
    Template.from_stack(stack).has_resource_properties("AWS::ApplicationAutoScaling::ScalableTarget", {
        "ScalableDimension": "sagemaker:variant:DesiredProvisionedConcurrency", "MinCapacity": 1, "MaxCapacity": 10,
    })


def test_auto_scaling_problems_are_raised(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"Endpoint: .*provisioned"):
        ServerlessEndpoint(stack, "Endpoint", model=model, auto_scaling=AutoScaling(max_capacity=4))


def test_blue_green_deployment_is_rendered(stack: cdk.Stack, model: Model) -> None:
    ServerlessEndpoint(stack, "Endpoint", model=model, deployment=DeploymentStrategy.all_at_once())
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Endpoint", {
        "DeploymentConfig": Match.object_like({"BlueGreenUpdatePolicy": Match.object_like({
            "TrafficRoutingConfiguration": Match.object_like({"Type": "ALL_AT_ONCE"})})}),
    })


def test_rolling_deployment_is_rejected(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"deployment must be a blue/green strategy for a serverless endpoint "
                                              r".*got 'rolling'"):
        ServerlessEndpoint(stack, "Endpoint", model=model, deployment=DeploymentStrategy.rolling())


def test_instance_sized_canary_is_rejected(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"deployment steps must be given in percent for a serverless endpoint"):
        ServerlessEndpoint(stack, "Endpoint", model=model, deployment=DeploymentStrategy.canary(instances=1))


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"memory_size_mb": 1536}, r"memory_size_mb must be between 1024 and 6144 in steps of 1024 MB \(1024, 2048, "
                               r"3072, 4096, 5120, 6144\), got 1536"),
    ({"memory_size_mb": 512}, r"memory_size_mb must be between 1024 and 6144 .*got 512"),
    ({"memory_size_mb": 7168}, r"memory_size_mb must be between 1024 and 6144 .*got 7168"),
    ({"max_concurrency": 0}, r"max_concurrency must be between 1 and 200, got 0"),
    ({"max_concurrency": 201}, r"max_concurrency must be between 1 and 200, got 201"),
    ({"provisioned_concurrency": 0}, r"provisioned_concurrency must be between 1 and 200, got 0"),
    ({"max_concurrency": 10, "provisioned_concurrency": 11},
     r"provisioned_concurrency must be at most max_concurrency \(10\), got 11"),
    ({"variant_name": "has space"}, r"variant_name must match .*got 'has space'"),
])
def test_bad_input_is_rejected(stack: cdk.Stack, model: Model, kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        ServerlessEndpoint(stack, "Endpoint", model=model, **kwargs)


def _isolated(stack: cdk.Stack) -> Model:
    return Model(stack, "Isolated", image=ContainerImage.from_uri(IMAGE))


def _pipeline(stack: cdk.Stack) -> Model:
    return Model(stack, "Pipeline", network_isolation=False, containers=[
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE)),
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE))])


def _multi_model(stack: cdk.Stack) -> Model:
    return Model(stack, "Multi", network_isolation=False, containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://bucket/models/"),
        multi_model=True)])


def _in_vpc(stack: cdk.Stack) -> Model:
    model = Model(stack, "InVpc", image=ContainerImage.from_uri(IMAGE), network_isolation=False)
    model.cfn_model.vpc_config = sagemaker.CfnModel.VpcConfigProperty(security_group_ids=["sg-1"],
                                                                     subnets=["subnet-1"])
    return model


@pytest.mark.parametrize(("make", "match"), [
    (_isolated, r"model.network_isolation must be False for a serverless endpoint .*got True"),
    (_pipeline, r"model.containers must hold exactly one container for a serverless endpoint .*got 2"),
    (_multi_model, r"model.containers\[0\].multi_model must be False for a serverless endpoint .*got True"),
    (_in_vpc, r"model.vpc_config must not be set for a serverless endpoint .*got a VPC configuration"),
])
def test_models_with_excluded_features_are_rejected(stack: cdk.Stack, make: Any, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        ServerlessEndpoint(stack, "Endpoint", model=make(stack))
