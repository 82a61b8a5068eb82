"""Private-registry images and Clarify explainers deployed to moto (local AWS), and what moto cannot emulate.

moto stores a model's ``ImageConfig`` (registry access mode and the credentials provider's ARN) and returns it from
DescribeModel, so the private-registry wiring is checked end to end (the ARN is the deployed Lambda function's, made by
``RegistryCredentialsProvider`` in the VPC with its secret, log group and key). It
pulls no image and calls no credentials provider: whether SageMaker can reach the registry through the VPC and
authenticate is what readiness rules E9380/E9383 and the construct's validation check, not this test. moto's
CloudFormation drops ``ExplainerConfig`` from the endpoint config (the deploy report names it as not emulated): the
endpoint deploys and serves, but explanations cannot be exercised locally.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

from cdk_sagemaker import (
    ClarifyExplainer,
    ContainerImage,
    InferenceNetwork,
    Model,
    RealtimeEndpoint,
    RegistryCredentialsProvider,
)
from cdk_sagemaker.local import local_aws

pytestmark = [pytest.mark.deploy, pytest.mark.filterwarnings("ignore:Tried to parse")]

XGBOOST = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def _stack(outdir: str) -> tuple[cdk.Stack, dict[str, str]]:
    app = cdk.App(outdir=outdir)
    stack = cdk.Stack(app, "LocalHostingOptions")
    network = InferenceNetwork(stack, "Network")
    # moto's CloudFormation has no AWS::SecretsManager::Secret: the login secret is imported by ARN.
    login = secretsmanager.Secret.from_secret_complete_arn(
        stack, "RegistryLogin", "arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-login-AbCdEf")
    provider = RegistryCredentialsProvider(stack, "RegistryCredentials", secret=login, network=network).function
    private = Model(stack, "Private", network=network,
                    image=ContainerImage.from_private_registry("registry.internal.example.com/churn:1",
                                                               credentials_provider=provider))
    plain = Model(stack, "Plain", image=ContainerImage.from_uri(XGBOOST))
    baselines = s3.Bucket(stack, "Baselines")
    endpoint = RealtimeEndpoint(stack, "Explained", model=plain, explainer=ClarifyExplainer(
        shap_baseline_bucket=baselines, shap_baseline_key="clarify/baseline.csv", number_of_samples=50))
    cdk.CfnOutput(stack, "PrivateModelName", value=private.model_name)
    cdk.CfnOutput(stack, "ProviderArn", value=provider.function_arn)
    cdk.CfnOutput(stack, "ConfigName", value=endpoint.cfn_endpoint_config.attr_endpoint_config_name)
    cdk.CfnOutput(stack, "EndpointName", value=endpoint.endpoint_name)
    ids = {"config": stack.get_logical_id(endpoint.cfn_endpoint_config)}
    return stack, ids


def test_private_registry_model_and_explained_endpoint_deploy(tmp_path: Path) -> None:
    stack, ids = _stack(str(tmp_path))
    with local_aws(stack, server=False) as aws:
        report = aws.report
        assert report is not None and report.ok, report.format() if report is not None else None
        outputs = report.stacks[0].outputs
        sagemaker = aws.client("sagemaker")
        container = sagemaker.describe_model(ModelName=outputs["PrivateModelName"])["PrimaryContainer"]
        assert container["ImageConfig"] == {
            "RepositoryAccessMode": "Vpc",
            "RepositoryAuthConfig": {"RepositoryCredentialsProviderArn": outputs["ProviderArn"]}}
        assert aws.client("lambda").get_function(FunctionName=outputs["ProviderArn"])["Configuration"]["FunctionArn"] \
            == outputs["ProviderArn"]
        assert sagemaker.describe_endpoint(EndpointName=outputs["EndpointName"])["EndpointStatus"] == "InService"
        gaps = [(g.logical_id, g.reason) for g in report.stacks[0].unemulated]
    # What moto cannot emulate: the explainer is dropped, and the report says so.
    assert (f"{ids['config']}.ExplainerConfig", "property ignored by moto's CloudFormation") in gaps
