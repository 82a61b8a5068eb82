"""Model, ModelData and ContainerImage: rendered properties, least-privilege role, and rejected input."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


def _policy_statements(template: Template) -> list[dict]:
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    assert len(policies) == 1
    return next(iter(policies.values()))["Properties"]["PolicyDocument"]["Statement"]


def test_single_container_model_with_network_isolation(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE),
                  model_data=ModelData.from_s3_uri("s3://my-bucket/a/model.tar.gz"), environment={"A": "1"})
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {
        "EnableNetworkIsolation": True,
        "PrimaryContainer": {"Image": IMAGE, "ModelDataUrl": "s3://my-bucket/a/model.tar.gz",
                             "Environment": {"A": "1"}},
        "ExecutionRoleArn": {"Fn::GetAtt": [stack.get_logical_id(model.role.node.default_child), "Arn"]},
    })
    assert model.node.default_child is model.cfn_model


def test_default_role_is_least_privilege(stack: cdk.Stack) -> None:
    Model(stack, "Model", image=ContainerImage.from_uri(IMAGE),
          model_data=ModelData.from_s3_uri("s3://my-bucket/a/model.tar.gz"))
    t = Template.from_stack(stack)
    statements = _policy_statements(t)
    text = json.dumps(statements)
    assert "AmazonSageMakerFullAccess" not in json.dumps(t.to_json())
    assert "s3:*" not in text and '"ecr:*"' not in text
    by_action = {json.dumps(s["Action"]): s for s in statements}
    s3_read = by_action['"s3:GetObject"']
    assert s3_read["Resource"]["Fn::Join"][1][-1] == ":s3:::my-bucket/a/model.tar.gz"
    pull = next(s for s in statements if "ecr:BatchGetImage" in s["Action"])
    assert pull["Resource"]["Fn::Join"][1][-1] == ":ecr:us-east-1:123456789012:repository/my-model"
    t.has_resource_properties("AWS::IAM::Role", {
        "AssumeRolePolicyDocument": Match.object_like({"Statement": [Match.object_like({
            "Principal": {"Service": "sagemaker.amazonaws.com"}})]}),
    })
    t.resource_count_is("AWS::IAM::Policy", 0)  # no inline policies


def test_from_bucket_grants_exact_key_and_bucket_key(stack: cdk.Stack) -> None:
    bucket = s3.Bucket(stack, "Bucket", encryption=s3.BucketEncryption.KMS)
    Model(stack, "Model", image=ContainerImage.from_uri(IMAGE),
          model_data=ModelData.from_bucket(bucket, "m/model.tar.gz"))
    statements = _policy_statements(Template.from_stack(stack))
    assert any(s["Action"] == "kms:Decrypt" for s in statements)
    read = next(s for s in statements if s["Action"] == "s3:GetObject")
    assert read["Resource"]["Fn::Join"][1][-1] == "/m/model.tar.gz"


def test_from_ecr_repository_pulls_that_repository(stack: cdk.Stack) -> None:
    repo = ecr.Repository(stack, "Repo")
    Model(stack, "Model", image=ContainerImage.from_ecr_repository(repo, "v3"))
    t = Template.from_stack(stack)
    pull = next(s for s in _policy_statements(t) if "ecr:BatchGetImage" in s["Action"])
    assert pull["Resource"] == {"Fn::GetAtt": [stack.get_logical_id(repo.node.default_child), "Arn"]}
    image = t.find_resources("AWS::SageMaker::Model")
    assert ":v3" in json.dumps(next(iter(image.values()))["Properties"]["PrimaryContainer"]["Image"])


def test_from_asset_model_data_uploads_tar_gz(stack: cdk.Stack, tmp_path: Path) -> None:
    archive = tmp_path / "model.tar.gz"
    archive.write_bytes(b"\x1f\x8b")
    Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_asset(str(archive)))
    t = Template.from_stack(stack)
    url = json.dumps(next(iter(t.find_resources("AWS::SageMaker::Model").values())))
    assert "s3://" in url and url.endswith('.gz"}}}, "DependsOn": ["ModelPolicy4EDEB0D0"]}')


def test_serial_pipeline_renders_containers_in_order(stack: cdk.Stack) -> None:
    Model(stack, "Pipeline", containers=[
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE + f"-{i}"), hostname=f"step{i}") for i in range(3)
    ], inference_execution_mode="Serial")
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {
        "Containers": [Match.object_like({"Image": IMAGE + f"-{i}", "ContainerHostname": f"step{i}"})
                       for i in range(3)],
        "InferenceExecutionConfig": {"Mode": "Serial"},
        "PrimaryContainer": Match.absent(),
    })


def test_multi_model_container_reads_a_prefix(stack: cdk.Stack) -> None:
    Model(stack, "Mme", containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://bkt/models/"),
        multi_model=True)])
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::SageMaker::Model", {
        "PrimaryContainer": Match.object_like({"Mode": "MultiModel", "ModelDataUrl": "s3://bkt/models/"})})
    read = next(s for s in _policy_statements(t) if s["Action"] == "s3:GetObject")
    assert read["Resource"]["Fn::Join"][1][-1] == ":s3:::bkt/models/*"


def test_network_isolation_can_be_turned_off(stack: cdk.Stack) -> None:
    Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), network_isolation=False)
    Template.from_stack(stack).has_resource_properties("AWS::SageMaker::Model", {"EnableNetworkIsolation": False})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"model_data": ModelData.from_s3_uri("https://example.com/model.tar.gz")},
     r"Model: model_data must be an S3 URI starting with 's3://'.*it uses the scheme 'https://', "
     r"got 'https://example.com/model.tar.gz'"),
    ({"model_data": ModelData.from_s3_uri("s3://bucket-only")},
     r"model_data must name a key or prefix after the bucket \(s3://bucket-only/<key>\), got 's3://bucket-only'"),
    ({"model_data": ModelData.from_s3_uri("s3://My_Bucket/m.tar.gz")},
     r"model_data has a bucket name with characters S3 does not allow \('My_Bucket'\); bucket names use "
     r"lowercase letters, digits, dots and hyphens, got 's3://My_Bucket/m.tar.gz'"),
    ({"model_data": ModelData.from_s3_uri("s3://ab/m.tar.gz")},
     r"model_data has a bucket name of 2 characters \('ab'\); S3 bucket names have 3 to 63, got 's3://ab/m"),
    ({"model_data": ModelData.from_s3_uri("s3://-bucket/m.tar.gz")},
     r"model_data has a bucket name that does not begin and end with a letter or digit"),
    ({"model_data": ModelData.from_s3_uri("models/m.tar.gz")},
     r"model_data must be an S3 URI starting with 's3://'.*it has no scheme, got 'models/m.tar.gz'"),
    ({"model_data": ModelData.from_asset("model.zip")}, r"model_data asset must be a \.tar\.gz file, got 'model.zip'"),
    ({"model_data": ModelData.from_asset("missing.tar.gz")}, r"model_data asset must be an existing file"),
    ({"environment": {"1BAD": "x"}}, r"environment key must match .*got '1BAD'"),
    ({"model_name": "bad_name!"}, r"model_name must match .*got 'bad_name!'"),
    ({"inference_execution_mode": "Serial"}, r"inference_execution_mode applies only to models with two or more"),
])
def test_bad_single_container_input_is_rejected(stack: cdk.Stack, kwargs: dict, match: str) -> None:
    with pytest.raises(ValidationError, match=match) as err:
        Model(stack, "Model", image=ContainerImage.from_uri(IMAGE), **kwargs)
    assert err.value.path == "TestStack/Model"


def test_too_many_containers_is_rejected(stack: cdk.Stack) -> None:
    containers = [ContainerDefinition(image=ContainerImage.from_uri(IMAGE), hostname=f"c{i}") for i in range(16)]
    with pytest.raises(ValidationError, match=r"containers must hold at most 15 containers, got 16"):
        Model(stack, "Model", containers=containers)


def test_direct_mode_needs_hostnames_and_duplicates_are_rejected(stack: cdk.Stack) -> None:
    img = ContainerImage.from_uri(IMAGE)
    with pytest.raises(ValidationError, match=r"containers\[1\].hostname is required with inference_execution_mode"):
        Model(stack, "A", containers=[ContainerDefinition(image=img, hostname="a"), ContainerDefinition(image=img)],
              inference_execution_mode="Direct")
    with pytest.raises(ValidationError, match=r"containers\[1\].hostname must be unique within the model, got 'a'"):
        Model(stack, "B", containers=[ContainerDefinition(image=img, hostname="a"),
                                      ContainerDefinition(image=img, hostname="a")])


def test_multi_model_needs_a_prefix(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"model_data must be an S3 prefix ending in '/' for a multi-model "
                                              r"container, got 's3://b/one/model.tar.gz'"):
        Model(stack, "M", containers=[ContainerDefinition(
            image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://b/one/model.tar.gz"),
            multi_model=True)])


def test_no_container_is_rejected(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"containers must name at least one container"):
        Model(stack, "M")


def test_several_problems_are_reported_together(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError) as err:
        Model(stack, "M", image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("nope"),
              model_name="bad name")
    assert len(err.value.problems) == 2
    assert "2 problems" in str(err.value)


def test_image_problems_are_reported_with_the_models(stack: cdk.Stack) -> None:
    # The image's own check used to raise on its own, after (and only without) the model's problems.
    with pytest.raises(ValidationError) as err:
        Model(stack, "M", image=ContainerImage.from_uri("has space"), model_data=ModelData.from_s3_uri("nope"))
    assert [p.param for p in err.value.details] == ["model_data", "image"]
    assert err.value.details[1].got == "'has space'"
    assert err.value.problems[1].startswith("image must be a non-empty image URI with no white space")


def test_bad_image_uri_is_rejected(stack: cdk.Stack) -> None:
    with pytest.raises(ValidationError, match=r"image must be a non-empty image URI .*got 'has space'"):
        Model(stack, "M", image=ContainerImage.from_uri("has space"))


def test_two_containers_with_file_assets_get_distinct_assets(stack: cdk.Stack, tmp_path: Path) -> None:
    first, second = tmp_path / "pre.tar.gz", tmp_path / "model.tar.gz"
    first.write_bytes(b"\x1f\x8bpre")
    second.write_bytes(b"\x1f\x8bmodel")
    Model(stack, "Pipeline", containers=[
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_asset(str(first)),
                            hostname="pre"),
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_asset(str(second)),
                            hostname="model"),
    ])
    containers = next(iter(Template.from_stack(stack).find_resources("AWS::SageMaker::Model").values()))[
        "Properties"]["Containers"]
    urls = [json.dumps(c["ModelDataUrl"]) for c in containers]
    assert len(urls) == 2 and urls[0] != urls[1]
