"""Model Registry: Model(model_package=...), its least-privilege grants, version tags, the cached latest-Approved
lookup, ModelPackageGroup's resource policy, Marketplace vs registry packages, and a version change as a guarded
update."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk.assertions import Annotations, Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.deployment import DeploymentStrategy
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.registry import (
    MODEL_PACKAGE_GROUP_TAG,
    MODEL_PACKAGE_SOURCE_TAG,
    MODEL_VERSION_TAG,
    ModelPackage,
    ModelPackageGroup,
    latest_approved_context_key,
)

HERE = "111111111111"
REGISTRY = "222222222222"
ARN = f"arn:aws:sagemaker:us-east-1:{REGISTRY}:model-package/churn/3"
IMAGE = f"{REGISTRY}.dkr.ecr.us-east-1.amazonaws.com/churn-serving:1.4"
KEY = f"arn:aws:kms:us-east-1:{REGISTRY}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _stack(app: cdk.App | None = None, name: str = "Consumer") -> cdk.Stack:
    return cdk.Stack(app or cdk.App(), name, env=cdk.Environment(account=HERE, region="us-east-1"))


def _statements(template: Template) -> list[dict[str, Any]]:
    (policy,) = template.find_resources("AWS::IAM::ManagedPolicy").values()
    return list(policy["Properties"]["PolicyDocument"]["Statement"])


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in resource["Properties"].get("Tags", [])}


def test_cross_account_package_gets_exact_grants_and_version_tags() -> None:
    stack = _stack()
    package = ModelPackage.from_arn(ARN, artifacts=["s3://registry-models/churn/3/model.tar.gz"],
                                    artifact_key_arn=KEY, images=[IMAGE])
    model = Model(stack, "Model", model_package=package)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {
        "PrimaryContainer": {"ModelPackageName": ARN}, "EnableNetworkIsolation": True})
    assert "Image" not in t.to_json()["Resources"][stack.get_logical_id(model.cfn_model)]["Properties"][
        "PrimaryContainer"]
    statements = json.dumps(_statements(t))
    assert '"sagemaker:DescribeModelPackage"' in statements and f'"{ARN}"' in statements
    assert "registry-models/churn/3/model.tar.gz" in statements and '"s3:GetObject"' in statements
    assert f'"{KEY}"' in statements and '"kms:Decrypt"' in statements
    assert f":ecr:us-east-1:{REGISTRY}:repository/churn-serving" in statements
    tags = _tags(t.to_json()["Resources"][stack.get_logical_id(model.cfn_model)])
    assert tags == {MODEL_VERSION_TAG: "churn/3", MODEL_PACKAGE_GROUP_TAG: "churn",
                    MODEL_PACKAGE_SOURCE_TAG: "registry"}
    assert model.version == "churn/3"


def test_inference_specification_name_is_rendered() -> None:
    stack = _stack()
    Model(stack, "Model", model_package=ModelPackage.from_arn(ARN, images=[IMAGE],
                                                              inference_specification_name="gpu-spec"))
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Model", {
        "PrimaryContainer": {"ModelPackageName": ARN, "InferenceSpecificationName": "gpu-spec"}})


def test_package_without_named_artifacts_warns() -> None:
    stack = _stack()
    Model(stack, "Model", model_package=ModelPackage.from_arn(ARN))
    Annotations.from_stack(stack).has_warning("/Consumer/Model", Match.string_like_regexp("names no artifacts="))


def test_explicit_version_of_an_s3_model_is_tagged_on_model_and_config() -> None:
    stack = _stack()
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE),
                  model_data=ModelData.from_s3_uri("s3://churn-models/churn/model.tar.gz"), version="2026-11-29.1")
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2)
    resources = Template.from_stack(stack).to_json()["Resources"]
    assert _tags(resources[stack.get_logical_id(model.cfn_model)]) == {MODEL_VERSION_TAG: "2026-11-29.1"}
    assert _tags(resources[stack.get_logical_id(ep.cfn_endpoint_config)]) == {MODEL_VERSION_TAG: "2026-11-29.1"}


def test_config_of_two_versions_tags_each_variant() -> None:
    from cdk_sagemaker.constructs.realtime import ProductionVariant

    stack = _stack()
    champion = Model(stack, "Champion", model_package=ModelPackage.from_arn(ARN, images=[IMAGE]))
    challenger = Model(stack, "Challenger", model_package=ModelPackage.from_arn(ARN.replace("/3", "/4"),
                                                                                images=[IMAGE]))
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant(variant_name="Champion", model=champion, instance_count=2, initial_weight=90),
        ProductionVariant(variant_name="Challenger", model=challenger, instance_count=1, initial_weight=10)])
    tags = _tags(Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(ep.cfn_endpoint_config)])
    assert tags == {MODEL_VERSION_TAG: "Champion=churn/3 Challenger=churn/4", MODEL_PACKAGE_GROUP_TAG: "churn"}


@pytest.mark.parametrize(("arn", "match"), [
    ("churn/3", r"model_package must be a model package ARN"),
    ("arn:aws:sagemaker:eu-west-1:222222222222:model-package/churn/3",
     r"model_package region must be the stack's region 'us-east-1' .*got 'eu-west-1'"),
    ("arn:aws-cn:sagemaker:us-east-1:222222222222:model-package/churn/3",
     r"model_package partition must be the stack's partition 'aws', got 'aws-cn'"),
    ("arn:aws:sagemaker:us-east-1:2222:model-package/churn/3", r"model_package must be a model package ARN"),
    ("arn:aws:sagemaker:us-east-1:222222222222:model-package/churn_/3", r"model_package group must match"),
    ("arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/0",
     r"model_package version must be a whole number of at least 1, got '0'"),
    ("arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/latest",
     r"model_package version must be a whole number"),
])
def test_bad_package_arn_is_rejected(arn: str, match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        Model(_stack(), "Model", model_package=ModelPackage.from_arn(arn, images=[IMAGE]))


def test_all_problems_of_a_package_model_are_reported_together() -> None:
    with pytest.raises(ValidationError) as caught:
        Model(_stack(), "Model", image=ContainerImage.from_uri(IMAGE), version="bad\u0000version", model_name="bad_",
              model_package=ModelPackage.from_arn("arn:aws:sagemaker:eu-west-1:222222222222:model-package/churn/0",
                                                  artifacts=["s3://"], artifact_key_arn="alias/registry"))
    text = str(caught.value)
    for part in ("region must be", "version must be a whole number", "are exclusive", "artifacts[0]",
                 "artifact_key_arn must be a KMS key ARN", "version must be 1-256", "model_name must match"):
        assert part in text, text


def test_unversioned_package_in_an_unknown_account_needs_a_statement() -> None:
    stack = cdk.Stack(cdk.App(), "Agnostic")
    arn = "arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc"
    with pytest.raises(ValidationError, match=r"say whether it is an AWS Marketplace package"):
        Model(stack, "Model", model_package=ModelPackage.from_arn(arn))
    Model(stack, "Stated", model_package=ModelPackage.from_arn(arn, marketplace=True))


@pytest.mark.parametrize(("arn", "marketplace", "refused"), [
    (ARN, None, False),  # a central registry in another account: a registry version, guardrails apply
    ("arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc", None, True),
    ("arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc", False, False),
    (f"arn:aws:sagemaker:us-east-1:{HERE}:model-package/standalone", None, False),
    (ARN, True, True),
])
def test_only_marketplace_packages_are_refused_for_guardrails(arn: str, marketplace: bool | None,
                                                              refused: bool) -> None:
    stack = _stack()
    model = Model(stack, "Model", model_package=ModelPackage.from_arn(arn, marketplace=marketplace, images=[IMAGE]))
    build = lambda: RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=4,  # noqa: E731
                                     deployment=DeploymentStrategy.canary())
    if refused:
        with pytest.raises(ValidationError, match=r"AWS Marketplace"):
            build()
    else:
        assert build().deployment is not None
        tags = _tags(Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(model.cfn_model)])
        assert tags[MODEL_PACKAGE_SOURCE_TAG] == "registry"


@pytest.mark.parametrize(("arn", "marketplace", "refused"), [
    (ARN, None, False),  # a central registry's version may be shadow-tested
    ("arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc", None, True),
    ("arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc", False, False),
])
@pytest.mark.parametrize("on", ["production", "shadow"])
def test_only_marketplace_packages_are_refused_for_shadow_variants(arn: str, marketplace: bool | None,
                                                                   refused: bool, on: str) -> None:
    # Shadow tests exclude AWS Marketplace containers (developer guide, "Shadow tests > Exclusions"); readiness
    # rule E9805 reports it on the template, so the construct must refuse it first.
    from cdk_sagemaker.constructs.realtime import ProductionVariant

    stack = _stack()
    package = Model(stack, "Package", model_package=ModelPackage.from_arn(arn, marketplace=marketplace,
                                                                          images=[IMAGE]))
    plain = Model(stack, "Plain", image=ContainerImage.from_uri(IMAGE),
                  model_data=ModelData.from_s3_uri("s3://registry-models/churn/3/model.tar.gz"))
    production, shadow = (package, plain) if on == "production" else (plain, package)
    build = lambda: RealtimeEndpoint(  # noqa: E731
        stack, "Endpoint", model=production, shadow_variants=[ProductionVariant(model=shadow)])
    if refused:
        with pytest.raises(ValidationError, match=r"AWS Marketplace model package.*shadow"):
            build()
    else:
        build()


def test_marketplace_package_needs_network_isolation() -> None:
    arn = "arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc"
    with pytest.raises(ValidationError, match=r"network_isolation must be True for an AWS Marketplace model package"):
        Model(_stack(), "Model", model_package=ModelPackage.from_arn(arn), network_isolation=False)


def test_from_version_is_environment_agnostic() -> None:
    stack = cdk.Stack(cdk.App(), "Agnostic")
    Model(stack, "Model", model_package=ModelPackage.from_version("churn", 7, images=[IMAGE]))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {"ModelPackageName": {"Fn::Join": [
        "", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":",
             {"Ref": "AWS::AccountId"}, ":model-package/churn/7"]]}}})
    t.has_resource_properties("AWS::SageMaker::Model", {"Tags": Match.array_with([
        {"Key": MODEL_VERSION_TAG, "Value": "churn/7"}])})


# -- latest Approved: a cached context lookup ------------------------------------------------------------------------
def test_latest_approved_reads_the_cached_lookup_and_grants_what_it_names() -> None:
    key = latest_approved_context_key(account=REGISTRY, region="us-east-1", group_name="churn")
    app = cdk.App(context={key: {"ModelPackageArn": ARN, "ModelApprovalStatus": "Approved", "Containers": [
        {"Image": IMAGE, "ModelDataUrl": "s3://registry-models/churn/3/model.tar.gz"}]}})
    stack = _stack(app)
    package = ModelPackage.latest_approved(stack, "churn", account=REGISTRY, artifact_key_arn=KEY)
    assert (package.arn, package.version, package.group_name) == (ARN, "3", "churn")
    Model(stack, "Model", model_package=package)
    t = Template.from_stack(stack)
    statements = json.dumps(_statements(t))
    assert "registry-models/churn/3/model.tar.gz" in statements
    assert f":ecr:us-east-1:{REGISTRY}:repository/churn-serving" in statements
    t.has_resource_properties("AWS::SageMaker::Model", {"PrimaryContainer": {"ModelPackageName": ARN}})


def test_latest_approved_without_cache_says_how_to_fill_it() -> None:
    stack = _stack()
    with pytest.raises(ValidationError, match=r"has no cached lookup for group 'churn' .*python -m "
                                              r"cdk_sagemaker.registry_lookup --group churn --account 111111111111 "
                                              r"--region us-east-1"):
        ModelPackage.latest_approved(stack, "churn")


def test_latest_approved_needs_a_concrete_environment() -> None:
    with pytest.raises(ValidationError, match=r"needs a concrete account and region"):
        ModelPackage.latest_approved(cdk.Stack(cdk.App(), "Agnostic"), "churn")


# -- ModelPackageGroup ------------------------------------------------------------------------------------------------
def test_group_resource_policy_lets_consumer_accounts_deploy_versions() -> None:
    app = cdk.App()
    registry = cdk.Stack(app, "Registry", env=cdk.Environment(account=REGISTRY, region="us-east-1"))
    group = ModelPackageGroup(registry, "Group", model_package_group_name="churn", consumer_accounts=[HERE])
    consumer = _stack(app)
    Model(consumer, "Model", model_package=group.package(2, images=[IMAGE]))
    t = Template.from_stack(registry)
    (resource,) = t.find_resources("AWS::SageMaker::ModelPackageGroup").values()
    policy = resource["Properties"]["ModelPackageGroupPolicy"]
    deploy, describe = policy["Statement"]
    assert deploy["Action"] == ["sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages"]
    assert json.dumps(deploy["Resource"]).endswith(f':sagemaker:us-east-1:{REGISTRY}:model-package/churn/*"]]}}')
    assert describe["Action"] == "sagemaker:DescribeModelPackageGroup"
    assert json.dumps(describe["Resource"]).endswith(f':sagemaker:us-east-1:{REGISTRY}:model-package-group/churn"]]}}')
    assert json.dumps(deploy["Principal"]).count(HERE) == 1
    (used,) = Template.from_stack(consumer).find_resources("AWS::SageMaker::Model").values()
    assert json.dumps(used["Properties"]["PrimaryContainer"]["ModelPackageName"]).endswith(
        f':sagemaker:us-east-1:{REGISTRY}:model-package/churn/2"]]}}')


def test_group_without_consumers_has_no_policy() -> None:
    stack = _stack()
    ModelPackageGroup(stack, "Group", model_package_group_name="churn")
    (resource,) = Template.from_stack(stack).find_resources("AWS::SageMaker::ModelPackageGroup").values()
    assert "ModelPackageGroupPolicy" not in resource["Properties"]


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"model_package_group_name": "churn_model"}, r"model_package_group_name must match"),
    ({"model_package_group_name": "churn", "consumer_accounts": ["12"]}, r"consumer_accounts\[0\] must be a 12-digit"),
    ({"model_package_group_name": "churn", "description": "x" * 1025}, r"description must be at most 1024"),
])
def test_bad_group_input_is_rejected(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValidationError, match=match):
        ModelPackageGroup(_stack(), "Group", **kwargs)


# -- a new version is a guarded update --------------------------------------------------------------------------------
def _synth(arn: str) -> tuple[dict[str, Any], str, str, str]:
    stack = _stack()
    model = Model(stack, "Model", model_package=ModelPackage.from_arn(arn, images=[IMAGE]))
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=4,
                          deployment=DeploymentStrategy.canary(percent=25, wait=Duration.minutes(10)))
    return (Template.from_stack(stack).to_json(), stack.get_logical_id(ep.cfn_endpoint),
            stack.get_logical_id(ep.cfn_endpoint_config), stack.get_logical_id(model.cfn_model))


def test_new_package_version_replaces_config_and_updates_endpoint_in_place() -> None:
    old, ep_id, cfg_id, model_id = _synth(ARN)
    new, new_ep, new_cfg, new_model = _synth(ARN.replace("/3", "/4"))
    assert (ep_id, cfg_id, model_id) == (new_ep, new_cfg, new_model)
    # Only the package and the version tags differ on the model: every AWS::SageMaker::Model property needs
    # replacement, so CloudFormation creates a new model ...
    old_model, new_model_props = old["Resources"][model_id]["Properties"], new["Resources"][model_id]["Properties"]
    assert old_model["PrimaryContainer"]["ModelPackageName"] != new_model_props["PrimaryContainer"]["ModelPackageName"]
    assert {k: v for k, v in old_model.items() if k not in ("PrimaryContainer", "Tags")} == \
        {k: v for k, v in new_model_props.items() if k not in ("PrimaryContainer", "Tags")}
    # ... the config (no fixed name, ModelName of the new model) is replaced too ...
    for template in (old, new):
        config = template["Resources"][cfg_id]["Properties"]
        assert "EndpointConfigName" not in config and "ModelName" not in template["Resources"][model_id]["Properties"]
        assert config["ProductionVariants"][0]["ModelName"] == {"Fn::GetAtt": [model_id, "ModelName"]}
    assert _tags(old["Resources"][cfg_id])[MODEL_VERSION_TAG] == "churn/3"
    assert _tags(new["Resources"][cfg_id])[MODEL_VERSION_TAG] == "churn/4"
    # ... and the endpoint, unchanged but for the config it points to, is updated in place under the canary.
    assert old["Resources"][ep_id] == new["Resources"][ep_id]
    endpoint = new["Resources"][ep_id]["Properties"]
    assert endpoint["EndpointConfigName"] == {"Fn::GetAtt": [cfg_id, "EndpointConfigName"]}
    assert endpoint["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == "CANARY"


def test_package_artifacts_of_another_account_are_readable_through_the_models_s3_endpoint() -> None:
    """In VPC mode SageMaker downloads the artifacts through the model's network interfaces, so through the network's
    S3 gateway endpoint, whose policy admits only this account's buckets: the registry's bucket (another account)
    must be admitted too, for exactly the package's artifacts."""
    from cdk_sagemaker.constructs.network import InferenceNetwork

    stack = cdk.Stack(cdk.App(), "Consumer", env=cdk.Environment(account=HERE, region="us-east-1"))
    network = InferenceNetwork(stack, "Network")
    artifacts = ["s3://registry-models/churn/3/model.tar.gz", "s3://registry-models/churn/shared/"]
    Model(stack, "Model", network=network,
          model_package=ModelPackage.from_arn(ARN, artifacts=artifacts, artifact_key_arn=KEY, images=[IMAGE]))
    endpoint = Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(
        network.s3_endpoint.node.default_child)]
    statements = endpoint["Properties"]["PolicyDocument"]["Statement"]
    reads = [s for s in statements if s.get("Sid", "").startswith("ModelArtifacts")]
    assert len(reads) == 1 and reads[0]["Action"] == "s3:GetObject" and reads[0]["Principal"] == {"AWS": "*"}
    rendered = json.dumps(reads[0]["Resource"])
    assert "registry-models/churn/3/model.tar.gz" in rendered and "registry-models/churn/shared/*" in rendered
    assert "Condition" not in reads[0] or "aws:PrincipalAccount" in json.dumps(reads[0]["Condition"])


def test_serverless_endpoint_names_the_marketplace_package_it_cannot_serve() -> None:
    """Serverless Inference does not support AWS Marketplace model packages (developer guide, Serverless Inference,
    feature exclusions): the error says so, rather than only asking for the network isolation the package needs."""
    from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

    stack = _stack()
    model = Model(stack, "Model", model_package=ModelPackage.from_arn(
        "arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc"))
    with pytest.raises(ValidationError, match=r"model\.model_package must not be an AWS Marketplace model package "
                                              r"for a serverless endpoint"):
        ServerlessEndpoint(stack, "Endpoint", model=model)
    registry = Model(stack, "Registry", network_isolation=False,
                     model_package=ModelPackage.from_arn(ARN, images=[IMAGE]))
    ServerlessEndpoint(stack, "Serverless", model=registry)  # a registry version is fine


def test_config_version_tag_stays_a_valid_tag_value_with_many_long_versions() -> None:
    """SageMaker tag values are at most 256 characters (botocore TagValue): when the ``<variant>=<version>`` pairs
    do not fit, each variant's version goes in its own tag and the shared tag says so."""
    from cdk_sagemaker.constructs.realtime import ProductionVariant

    stack = _stack()
    variants = [ProductionVariant(variant_name=f"Variant{i}", instance_count=1, model=Model(
        stack, f"Model{i}", image=ContainerImage.from_uri(IMAGE), version=f"release-{i}-" + "x" * 90,
        model_data=ModelData.from_s3_uri(f"s3://registry-models/{i}/model.tar.gz"))) for i in range(3)]
    ep = RealtimeEndpoint(stack, "Endpoint", variants=variants)
    tags = _tags(Template.from_stack(stack).to_json()["Resources"][stack.get_logical_id(ep.cfn_endpoint_config)])
    assert all(len(v) <= 256 for v in tags.values())
    for i in range(3):
        assert tags[f"{MODEL_VERSION_TAG}:Variant{i}"] == f"release-{i}-" + "x" * 90
    assert tags[MODEL_VERSION_TAG] == "per-variant tags"


def test_marketplace_model_is_lint_clean_without_image_grants() -> None:
    """An AWS Marketplace package's images and artifacts live in AWS Marketplace's accounts, out of the buyer's reach
    (AWS Marketplace seller guide, "Creating model package images"): the construct grants the role none, and readiness
    rule W9955 (which asks for ECR grants on registry packages) must not ask for them either."""
    from cdk_sagemaker.testing import lint

    stack = _stack()
    model = Model(stack, "Model", model_package=ModelPackage.from_arn(
        "arn:aws:sagemaker:us-east-1:865070037744:model-package/vendor-model-abc"))
    RealtimeEndpoint(stack, "Endpoint", model=model, instance_count=2)
    assert [f.rule for f in lint(stack)] == []
