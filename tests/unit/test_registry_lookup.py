"""The cached latest-Approved lookup: filled from a (local, moto) Model Registry, then read by the constructs."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.registry import ModelPackage, latest_approved_context_key
from cdk_sagemaker.registry_lookup import context_key, main

moto = pytest.importorskip("moto")
boto3 = pytest.importorskip("boto3")

ACCOUNT = "123456789012"  # moto's default account
IMAGE = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/churn-serving:"


def _register(client: object, status: str, tag: str) -> str:
    spec = {"Containers": [{"Image": IMAGE + tag, "ModelDataUrl": f"s3://churn-models/{tag}/model.tar.gz"}],
            "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]}
    return str(client.create_model_package(  # type: ignore[attr-defined]
        ModelPackageGroupName="churn", InferenceSpecification=spec, ModelApprovalStatus=status)["ModelPackageArn"])


def test_lookup_caches_the_newest_approved_version_and_the_constructs_read_it(tmp_path: Path) -> None:
    assert context_key(account="1", region="r", group_name="g") == latest_approved_context_key(
        account="1", region="r", group_name="g")
    context_file = tmp_path / "cdk.context.json"
    context_file.write_text(json.dumps({"other": 1}))
    with moto.mock_aws():
        client = boto3.client("sagemaker", region_name="us-east-1")
        client.create_model_package_group(ModelPackageGroupName="churn")
        _register(client, "Approved", "1")
        approved = _register(client, "Approved", "2")
        _register(client, "PendingManualApproval", "3")
        argv = ["--group", "churn", "--account", ACCOUNT, "--region", "us-east-1", "--context-file", str(context_file)]
        assert main(argv, client=client) == 0
        assert main(argv, client=client) == 0  # a second run changes nothing
    cached = json.loads(context_file.read_text())
    key = context_key(account=ACCOUNT, region="us-east-1", group_name="churn")
    assert cached["other"] == 1
    assert cached[key]["ModelPackageArn"] == approved and cached[key]["ModelPackageArn"].endswith("churn/2")
    assert cached[key]["Containers"] == [{"Image": IMAGE + "2", "ModelDataUrl": "s3://churn-models/2/model.tar.gz"}]

    app = cdk.App(context=cached)
    stack = cdk.Stack(app, "Consumer", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    model = Model(stack, "Model", model_package=ModelPackage.latest_approved(stack, "churn"))
    text = json.dumps(Template.from_stack(stack).to_json())
    assert approved in text and "churn-models/2/model.tar.gz" in text and model.version == "churn/2"


def test_lookup_of_a_group_without_approved_versions_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with moto.mock_aws():
        client = boto3.client("sagemaker", region_name="us-east-1")
        client.create_model_package_group(ModelPackageGroupName="churn")
        _register(client, "PendingManualApproval", "1")
        code = main(["--group", "churn", "--account", ACCOUNT, "--region", "us-east-1",
                     "--context-file", str(tmp_path / "c.json")], client=client)
    assert code == 1 and "has no Approved version" in capsys.readouterr().err
    assert not (tmp_path / "c.json").exists()


class _Registry:
    """A SageMaker client answering ListModelPackages/DescribeModelPackage for a package whose artifacts are an
    uncompressed S3 prefix (``ModelDataSource``) plus an additional data source, as LLM packages register them."""

    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/llm/4"

    def list_model_packages(self, **kwargs: object) -> dict[str, object]:
        return {"ModelPackageSummaryList": [{"ModelPackageArn": self.arn}]}

    def describe_model_package(self, **kwargs: object) -> dict[str, object]:
        source = {"S3Uri": "s3://llm-models/llm/4/", "S3DataType": "S3Prefix", "CompressionType": "None"}
        draft = {"S3Uri": "s3://llm-models/draft/weights.tar.gz", "S3DataType": "S3Object", "CompressionType": "Gzip"}
        return {"ModelPackageArn": self.arn, "ModelPackageVersion": 4, "ModelApprovalStatus": "Approved",
                "InferenceSpecification": {"Containers": [{
                    "Image": IMAGE + "4", "ModelDataSource": {"S3DataSource": source},
                    "AdditionalModelDataSources": [{"ChannelName": "draft", "S3DataSource": draft}]}]}}


def test_lookup_keeps_artifacts_named_by_model_data_sources(tmp_path: Path) -> None:
    """A package container names its artifacts by ``ModelDataUrl`` or by ``ModelDataSource`` (and
    ``AdditionalModelDataSources``; botocore ModelPackageContainerDefinition): the role must read those too."""
    context_file = tmp_path / "cdk.context.json"
    argv = ["--group", "llm", "--account", ACCOUNT, "--region", "us-east-1", "--context-file", str(context_file)]
    assert main(argv, client=_Registry()) == 0
    app = cdk.App(context=json.loads(context_file.read_text()))
    stack = cdk.Stack(app, "Consumer", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    model = Model(stack, "Model", model_package=ModelPackage.latest_approved(stack, "llm"))
    assert model.model_package is not None
    assert set(model.model_package.artifacts) == {"s3://llm-models/llm/4/", "s3://llm-models/draft/weights.tar.gz"}
    text = json.dumps(Template.from_stack(stack).to_json())
    assert "llm-models/llm/4/*" in text and "llm-models/draft/weights.tar.gz" in text


class _TwoSpecs(_Registry):
    """A version with an additional inference specification ``gpu`` (other image, other artifacts)."""

    def describe_model_package(self, **kwargs: object) -> dict[str, object]:
        described = super().describe_model_package(**kwargs)
        described["AdditionalInferenceSpecifications"] = [{"Name": "gpu", "Containers": [
            {"Image": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/llm-gpu:4",
             "ModelDataUrl": "s3://llm-models/llm/4-gpu/model.tar.gz"}]}]
        return described


def test_latest_approved_grants_what_the_chosen_inference_specification_runs(tmp_path: Path) -> None:
    """``inference_specification_name`` makes SageMaker run that specification's containers (ContainerDefinition
    ``InferenceSpecificationName``), so the role must read its artifacts and pull its images, not the main one's."""
    from cdk_sagemaker import ValidationError

    context_file = tmp_path / "cdk.context.json"
    argv = ["--group", "llm", "--account", ACCOUNT, "--region", "us-east-1", "--context-file", str(context_file)]
    assert main(argv, client=_TwoSpecs()) == 0
    app = cdk.App(context=json.loads(context_file.read_text()))
    stack = cdk.Stack(app, "Consumer", env=cdk.Environment(account=ACCOUNT, region="us-east-1"))
    package = ModelPackage.latest_approved(stack, "llm", inference_specification_name="gpu")
    assert package.artifacts == ("s3://llm-models/llm/4-gpu/model.tar.gz",)
    assert [i.uri for i in package.images] == [f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/llm-gpu:4"]
    with pytest.raises(ValidationError, match=r"must name an additional inference specification.*\(gpu;.*got 'tpu'"):
        ModelPackage.latest_approved(stack, "llm", inference_specification_name="tpu")
