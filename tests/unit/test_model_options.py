"""Private-registry images, multi-model caching, core dumps, instance pools and Clarify explainers: rendered
properties, least-privilege grants and the rules that reject bad input."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.model_options import ClarifyExplainer, CoreDump, InstancePool
from cdk_sagemaker.constructs.network import InferenceNetwork
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
PRIVATE = "registry.internal.example.com/models/churn:1"


def _provider(stack: cdk.Stack) -> lambda_.Function:
    return lambda_.Function(stack, "Credentials", runtime=lambda_.Runtime.PYTHON_3_13, handler="index.handler",
                            code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"))


def _statements(template: Template) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for policy in template.find_resources("AWS::IAM::ManagedPolicy").values():
        out.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return out


# -- private registries ---------------------------------------------------------------------------------------------
def test_private_registry_image_renders_vpc_access_and_grants_invoke_on_the_provider(stack: cdk.Stack) -> None:
    provider = _provider(stack)
    network = InferenceNetwork(stack, "Network")
    Model(stack, "Model", image=ContainerImage.from_private_registry(PRIVATE, credentials_provider=provider),
          network=network)
    t = Template.from_stack(stack)
    fn = stack.get_logical_id(provider.node.default_child)
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "Image": PRIVATE, "ImageConfig": {"RepositoryAccessMode": "Vpc", "RepositoryAuthConfig": {
            "RepositoryCredentialsProviderArn": {"Fn::GetAtt": [fn, "Arn"]}}}}})
    invoke = [s for s in _statements(t) if s["Action"] == "lambda:InvokeFunction"]
    assert invoke == [{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": {"Fn::GetAtt": [fn, "Arn"]}}]
    # No ECR pull grant for an image outside ECR.
    assert not [s for s in _statements(t) if "ecr:BatchGetImage" in s["Action"]]


def _lambda_endpoints(template: Template) -> list[dict[str, Any]]:
    return [e for e in template.find_resources("AWS::EC2::VPCEndpoint").values()
            if "lambda" in json.dumps(e["Properties"]["ServiceName"])]


def test_credentials_provider_gets_a_lambda_endpoint_in_the_models_network(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    model = Model(stack, "Model", network=network, image=ContainerImage.from_private_registry(
        PRIVATE, credentials_provider=_provider(stack)))
    t = Template.from_stack(stack)
    endpoints = _lambda_endpoints(t)
    assert len(endpoints) == 1
    assert endpoints[0]["Properties"]["PolicyDocument"]["Statement"][0]["Action"] == "lambda:InvokeFunction"
    endpoint_sg = network.interface_endpoints["lambda"].connections.security_groups[0]
    t.has_resource_properties("AWS::EC2::SecurityGroupIngress", {
        "GroupId": {"Fn::GetAtt": [stack.get_logical_id(endpoint_sg.node.default_child), "GroupId"]},
        "SourceSecurityGroupId": {"Fn::GetAtt": [stack.get_logical_id(model.security_group.node.default_child),
                                                 "GroupId"]},
        "FromPort": 443})


def test_anonymous_private_registry_has_no_auth_config(stack: cdk.Stack) -> None:
    Model(stack, "Model", image=ContainerImage.from_private_registry(PRIVATE), network=InferenceNetwork(stack, "N"))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "ImageConfig": {"RepositoryAccessMode": "Vpc", "RepositoryAuthConfig": Match.absent()}}})
    assert _lambda_endpoints(t) == []


@pytest.mark.parametrize(("uri", "network", "match"), [
    (PRIVATE, False, r"private Docker registry .* pass network=InferenceNetwork"),
    (IMAGE, True, r"is an Amazon ECR image: use ContainerImage.from_uri"),
    ("has space:1", True, r"image must be a non-empty image URI"),
])
def test_private_registry_rejections(stack: cdk.Stack, uri: str, network: bool, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Model(stack, "Model", image=ContainerImage.from_private_registry(uri),
              network=InferenceNetwork(stack, "N") if network else None)


# -- multi-model cache ------------------------------------------------------------------------------------------------
def test_model_cache_setting(stack: cdk.Stack) -> None:
    Model(stack, "Model", containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://my-bucket/models/"),
        multi_model=True, model_cache=False)])
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {
        "Mode": "MultiModel", "MultiModelConfig": {"ModelCacheSetting": "Disabled"}}})


def test_model_cache_needs_multi_model(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"model_cache applies only to a multi-model container"):
        Model(stack, "Model", containers=[ContainerDefinition(image=ContainerImage.from_uri(IMAGE),
                                                              model_cache=True)])


# -- core dumps and instance pools ------------------------------------------------------------------------------------
def test_core_dump_renders_and_grants_the_model_role(stack: cdk.Stack) -> None:
    bucket = s3.Bucket(stack, "Dumps")
    key = kms.Key(stack, "DumpKey", enable_key_rotation=True)
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(
        model=model, core_dump=CoreDump(bucket=bucket, prefix="dumps", kms_key=key))])
    t = Template.from_stack(stack)
    key_id = stack.get_logical_id(key.node.default_child)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [Match.object_like({
        "CoreDumpConfig": {"DestinationS3Uri": Match.any_value(), "KmsKeyId": {"Fn::GetAtt": [key_id, "Arn"]}}})]})
    puts = [s for s in _statements(t) if s["Action"] == "s3:PutObject"]
    assert len(puts) == 1 and "/dumps/*" in str(puts[0]["Resource"])
    assert [s for s in _statements(t) if s["Action"] == ["kms:Encrypt", "kms:GenerateDataKey"]]


def test_instance_pools_render(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(
        model=model, instance_pools=[InstancePool(instance_type="ml.m5.large", priority=1),
                                     InstancePool(instance_type="ml.c5.large", priority=2)],
        instance_provision_timeout=Duration.minutes(10))])
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::EndpointConfig", {"ProductionVariants": [
        Match.object_like({"InstancePools": [{"InstanceType": "ml.m5.large", "Priority": 1},
                                             {"InstanceType": "ml.c5.large", "Priority": 2}],
                           "InstanceType": Match.absent(),  # the pools replace it
                           "VariantInstanceProvisionTimeoutInSeconds": 600})]})


@pytest.mark.parametrize(("pools", "timeout", "match"), [
    ([], None, r"instance_pools must hold between 1 and 5 pools"),
    ([InstancePool(instance_type="ml.m5.large", priority=i % 5 + 1) for i in range(6)], None,
     r"instance_pools must hold between 1 and 5"),
    ([InstancePool(instance_type="ml.m5.large", priority=1), InstancePool(instance_type="ml.c5.large", priority=1)],
     None, r"priority must be unique"),
    ([InstancePool(instance_type="ml.m5.large", priority=6)], None, r"priority must be between 1 and 5"),
    ([InstancePool(instance_type="ml.m5.huge", priority=1)], None, r"instance_type must be a SageMaker instance"),
    ([InstancePool(instance_type="ml.m5.large", priority=1, model_name_override="bad_name")], None,
     r"model_name_override must match"),
    (None, Duration.minutes(1), r"instance_provision_timeout must be between 300 and 3600 seconds"),
    (None, 600, r"instance_provision_timeout must be an aws_cdk.Duration"),
    ([InstancePool(instance_type="ml.m5.large", priority=1), InstancePool(instance_type="ml.m5d.large", priority=2)],
     None, r"instance_pools must all have local NVMe instance storage or all not"),
])
def test_instance_pool_rejections(stack: cdk.Stack, pools: list[InstancePool] | None, timeout: Any,
                                  match: str) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    with pytest.raises(ValidationError, match=match):
        RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(
            model=model, instance_pools=pools, instance_provision_timeout=timeout)])


def test_instance_pools_replace_instance_type_and_check_accelerators(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_prebuilt("huggingface-llm", "2.0.0"))
    with pytest.raises(ValidationError) as caught:
        RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant(
            model=model, instance_type="ml.g5.2xlarge",
            instance_pools=[InstancePool(instance_type="ml.g6.2xlarge", priority=1),
                            InstancePool(instance_type="ml.m5.xlarge", priority=2),
                            InstancePool(instance_type="ml.c5.xlarge", priority=3, model_name_override="cpu-model")])])
    text = str(caught.value)
    assert "instance_type and instance_pools are exclusive" in text
    assert "instance_pools[1].instance_type must have an NVIDIA GPU" in text
    assert "instance_pools[2]" not in text  # its own model


# -- Clarify explainer ------------------------------------------------------------------------------------------------
def test_explainer_renders_and_grants_the_baseline(stack: cdk.Stack) -> None:
    bucket = s3.Bucket(stack, "Baselines")
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    RealtimeEndpoint(stack, "Endpoint", model=model, explainer=ClarifyExplainer(
        shap_baseline_bucket=bucket, shap_baseline_key="clarify/baseline.csv", number_of_samples=50,
        enable_explanations="`true`", label_headers=["no", "yes"], probability_index=1))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::EndpointConfig", {"ExplainerConfig": {"ClarifyExplainerConfig": {
        "EnableExplanations": "`true`",
        "InferenceConfig": {"LabelHeaders": ["no", "yes"], "ProbabilityIndex": 1},
        "ShapConfig": {"NumberOfSamples": 50, "ShapBaselineConfig": {"ShapBaselineUri": Match.any_value()}}}}})
    gets = [s for s in _statements(t) if s["Action"] == "s3:GetObject"]
    assert len(gets) == 1 and "clarify/baseline.csv" in str(gets[0]["Resource"])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({}, r"exclusive and one is required"),
    ({"shap_baseline": "1,2", "shap_baseline_key": "b.csv"}, r"exclusive and one is required"),
    ({"shap_baseline": "x" * 5000}, r"shap_baseline must be between 1 and 4096 bytes"),
    ({"shap_baseline": "1", "baseline_mime_type": "application/jsonlines"}, r"content_template is required"),
    ({"shap_baseline": "1", "text_language": "en"}, r"text_language and text_granularity must be given together"),
    ({"shap_baseline": "1", "text_language": "klingon", "text_granularity": "token"},
     r"text_language must be an ISO 639 code"),
    ({"shap_baseline": "1", "feature_types": ["numerical"]}, r"feature_types must include 'text'"),
    ({"shap_baseline": "1", "feature_types": ["text"]}, r"required for text features"),
    ({"shap_baseline": "1", "max_payload_mb": 26}, r"max_payload_mb must be between 1 and 25"),
    ({"shap_baseline": "1", "label_headers": [str(i) for i in range(17)]}, r"label_headers must hold between 1"),
    ({"shap_baseline": "1", "probability_index": 1, "probability_attribute": "p"},
     r"probability_index and probability_attribute are exclusive"),
    ({"shap_baseline": "1", "number_of_samples": 0}, r"number_of_samples must be at least 1"),
    ({"shap_baseline": "1", "enable_explanations": "[0] > "}, r"enable_explanations must be a valid JMESPath"),
    ({"shap_baseline": "1", "features_attribute": "a..b"}, r"features_attribute must be a valid JMESPath"),
])
def test_explainer_rejections(stack: cdk.Stack, kwargs: dict[str, Any], match: str) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    with pytest.raises(ValidationError, match=match):
        RealtimeEndpoint(stack, "Endpoint", model=model, explainer=ClarifyExplainer(**kwargs))


# -- retain_on_update -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("retain", "scaled", "expected"), [
    (["DesiredWeight"], False, {"RetainAllVariantProperties": True,
                                "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredInstanceCount"}]}),
    (["DesiredInstanceCount", "DesiredWeight"], True, {"RetainAllVariantProperties": True,
                                                       "ExcludeRetainedVariantProperties": Match.absent()}),
    (["DesiredInstanceCount"], True, {"RetainAllVariantProperties": True,
                                      "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredWeight"}]}),
    ([], False, {"RetainAllVariantProperties": Match.absent(), "ExcludeRetainedVariantProperties": Match.absent()}),
])
def test_retain_on_update(stack: cdk.Stack, retain: list[Any], scaled: bool, expected: dict[str, Any]) -> None:
    from cdk_sagemaker.constructs.autoscaling import AutoScaling

    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    scaling = AutoScaling(min_capacity=1, max_capacity=2, invocations_per_instance=100) if scaled else None
    RealtimeEndpoint(stack, "Endpoint", model=model, auto_scaling=scaling, retain_on_update=retain)
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Endpoint", expected)


def test_retain_on_update_rejections(stack: cdk.Stack) -> None:
    from cdk_sagemaker.constructs.autoscaling import AutoScaling

    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    scaling = AutoScaling(min_capacity=1, max_capacity=2, invocations_per_instance=100)
    with pytest.raises(ValidationError, match=r"retain_on_update must include 'DesiredInstanceCount' on an auto"):
        RealtimeEndpoint(stack, "Scaled", model=model, auto_scaling=scaling, retain_on_update=["DesiredWeight"])
    with pytest.raises(ValidationError, match=r"retain_on_update must hold only DesiredInstanceCount, DesiredWeight"):
        RealtimeEndpoint(stack, "Capture", model=model, retain_on_update=["DataCaptureConfig"])  # type: ignore[list-item]
    # Scaling added later is checked against the retention too.
    endpoint = RealtimeEndpoint(stack, "Later", model=model, retain_on_update=["DesiredWeight"])
    with pytest.raises(ValidationError, match=r"must include 'DesiredInstanceCount'"):
        endpoint.variants[0].auto_scale(scaling)


# -- compliance -----------------------------------------------------------------------------------------------------
def test_the_new_options_pass_the_nag_packs() -> None:
    """A private-registry model with a credentials provider, core dumps, instance pools, a Clarify explainer with an
    S3 baseline and a multi-model cache setting add no cdk-nag finding (AwsSolutions, NIST 800-53 r5, HIPAA): the
    core-dump prefix grant is acknowledged like data capture's."""
    from cdk_sagemaker import SecureBucket
    from cdk_sagemaker.testing import assert_compliant

    stack = cdk.Stack(cdk.App(), "Nag")
    provider = lambda_.Function.from_function_arn(stack, "Credentials",
                                                  "arn:aws:lambda:us-east-1:123456789012:function:creds")
    private = Model(stack, "Private", network=InferenceNetwork(stack, "Network"),
                    image=ContainerImage.from_private_registry(PRIVATE, credentials_provider=provider))
    RealtimeEndpoint(stack, "PrivateEndpoint", model=private, instance_count=2)
    bucket = SecureBucket(stack, "Bucket")
    plain = Model(stack, "Plain", image=ContainerImage.from_prebuilt("xgboost", "1.7-1"),
                  model_data=ModelData.from_bucket(bucket, "m/model.tar.gz"))
    RealtimeEndpoint(stack, "Explained", variants=[ProductionVariant(
        model=plain, core_dump=CoreDump(bucket=bucket),
        instance_pools=[InstancePool(instance_type="ml.m5.large", priority=1),
                        InstancePool(instance_type="ml.c5.large", priority=2)])],
        explainer=ClarifyExplainer(shap_baseline_bucket=bucket, shap_baseline_key="clarify/baseline.csv"))
    multi = Model(stack, "Multi", containers=[ContainerDefinition(
        image=ContainerImage.from_prebuilt("xgboost", "1.7-1"), model_data=ModelData.from_bucket(bucket, "models/"),
        multi_model=True, model_cache=False)])
    RealtimeEndpoint(stack, "MultiEndpoint", model=multi)
    assert_compliant(stack)


# -- RegistryCredentialsProvider --------------------------------------------------------------------------------------
def test_registry_credentials_provider_least_privilege_and_compliance() -> None:
    from aws_cdk import aws_secretsmanager as secretsmanager

    from cdk_sagemaker import RegistryCredentialsProvider
    from cdk_sagemaker.testing import assert_compliant

    stack = cdk.Stack(cdk.App(), "Registry")
    network = InferenceNetwork(stack, "Network")
    secret = secretsmanager.Secret(stack, "Login", encryption_key=kms.Key(stack, "LoginKey", enable_key_rotation=True))
    provider = RegistryCredentialsProvider(stack, "Credentials", secret=secret, network=network)
    model = Model(stack, "Model", network=network, image=ContainerImage.from_private_registry(
        PRIVATE, credentials_provider=provider.function))
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2)
    # The user's secret (not the provider) is rotated in the registry, outside Secrets Manager.
    from cdk_sagemaker.constructs._nag import acknowledge_all
    acknowledge_all(secret, [(rule, "The registry's password is rotated in the registry, not by Secrets Manager.")
                             for rule in ("AwsSolutions-SMG4", "NIST.800.53.R5-SecretsManagerRotationEnabled",
                                          "HIPAA.Security-SecretsManagerRotationEnabled")])
    t = Template.from_stack(stack)
    fn = stack.get_logical_id(provider.function.node.default_child)
    t.has_resource_properties("AWS::Lambda::Function", {
        "ReservedConcurrentExecutions": 5, "VpcConfig": Match.object_like({"SubnetIds": Match.any_value()}),
        "Environment": {"Variables": Match.object_like({"SECRET_ARN": {"Ref": stack.get_logical_id(
            secret.node.default_child)}})}})
    statements = _statements(t)
    reads = [s for s in statements if s["Action"] == "secretsmanager:GetSecretValue"]
    assert reads == [{"Action": "secretsmanager:GetSecretValue", "Effect": "Allow",
                      "Resource": {"Ref": stack.get_logical_id(secret.node.default_child)}}]
    invokes = [s for s in statements if s["Action"] == "lambda:InvokeFunction"]
    assert invokes == [{"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": {"Fn::GetAtt": [fn, "Arn"]}}]
    assert set(network.interface_endpoints) >= {"lambda", "secretsmanager"}
    assert_compliant(stack)


def test_registry_credentials_provider_template_is_lint_clean() -> None:
    """The provider's function references its role (``Role``); a ``DependsOn`` on the role as well is redundant and
    cfn-lint warns (W3005), which fails every user's ``assert_lint_clean``."""
    from aws_cdk import aws_secretsmanager as secretsmanager

    from cdk_sagemaker import RegistryCredentialsProvider
    from cdk_sagemaker.testing import lint

    stack = cdk.Stack(cdk.App(), "Registry")
    network = InferenceNetwork(stack, "Network")
    provider = RegistryCredentialsProvider(stack, "Credentials", secret=secretsmanager.Secret(stack, "Login"),
                                           network=network)
    assert [(f.rule, f.path) for f in lint(stack)] == []
    fn = Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(provider.function.node.default_child)]
    # Still created after its policy (Lambda checks the VPC permissions when it creates the function).
    assert stack.get_logical_id(provider.node.find_child("Policy").node.default_child) in fn["DependsOn"]


def test_serverless_endpoint_names_the_private_registry_it_cannot_pull_from(stack: cdk.Stack) -> None:
    """Serverless Inference does not support private Docker registries (developer guide, Serverless Inference,
    feature exclusions)."""
    from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

    model = Model(stack, "Model", network=InferenceNetwork(stack, "Network"), network_isolation=False,
                  image=ContainerImage.from_private_registry(PRIVATE))
    with pytest.raises(ValidationError, match=r"must not be in a private Docker registry for a serverless endpoint"):
        ServerlessEndpoint(stack, "Endpoint", model=model)
