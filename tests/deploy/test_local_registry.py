"""A model that runs a Model Registry version deploys locally: the engine registers the version the local AWS lacks
and reports it, the report shows the version each endpoint runs, and promoting a new version moves the endpoint."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.local import local_aws
from cdk_sagemaker.local.workarounds.api_made import without_api_made
from cdk_sagemaker.local.workarounds.base import ClientFor
from cdk_sagemaker.local.workarounds.model_packages import register_missing_packages
from cdk_sagemaker.stacks.registry_promotion import PACKAGE_CONTEXT, RegistryPromotionStack

pytestmark = pytest.mark.deploy

NAME = "CdkSagemakerRegistryPromotion"
ACCOUNT = "123456789012"


def _stack(context: Mapping[str, Any] | None = None) -> RegistryPromotionStack:
    return RegistryPromotionStack(cdk.App(context=dict(context or {})), NAME)


def test_registry_stack_deploys_registers_the_version_and_promotes_the_next() -> None:
    first = _stack()
    project_cfn = first.project.node.default_child
    assert isinstance(project_cfn, cdk.CfnElement)
    project_id = first.get_logical_id(project_cfn)
    with local_aws(first, server=False) as aws:
        assert aws.report is not None
        stack = aws.report.stack(NAME)
        registered = [e for e in stack.emulated if e.type == "AWS::SageMaker::ModelPackage"]
        assert [e.physical_id for e in registered] == [f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/churn/1"]
        assert any(e.type == "AWS::CodeBuild::Project" and e.api == "codebuild:CreateProject" for e in stack.emulated)
        (endpoint,) = aws.report.endpoints
        assert endpoint.status == "InService" and endpoint.model_version == "churn/1"
        assert "churn/1" in aws.report.format() and "VERSION" in aws.report.format()
        assert stack.outputs["ModelVersion"] == "churn/1"
        project = aws.client("codebuild").batch_get_projects(names=[stack.physical_id(project_id)])
        assert project["projects"][0]["environment"]["environmentVariables"][0]["value"].endswith("churn/1")
        rule = next(r for r in aws.client("events").list_rules()["Rules"] if "ApprovalRule" in r["Name"])
        assert json.loads(rule["EventPattern"])["detail"] == {"ModelPackageGroupName": ["churn"],
                                                              "ModelApprovalStatus": ["Approved"]}
        targets = aws.client("events").list_targets_by_rule(Rule=rule["Name"])["Targets"]
        assert targets[0]["Arn"] == project["projects"][0]["arn"]

        # What the promotion build does after an approval of version 2: deploy with that version's ARN.
        arn2 = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package/churn/2"
        report = aws.deploy(_stack({PACKAGE_CONTEXT: arn2}))
        stack2 = report.stack(NAME)
        assert stack2.status == "UPDATE_COMPLETE"
        assert [e.physical_id for e in stack2.emulated if e.type == "AWS::SageMaker::ModelPackage"] == [arn2]
        (endpoint2,) = report.endpoints
        assert endpoint2.model_version == "churn/2" and endpoint2.config_name != endpoint.config_name
        sagemaker = aws.client("sagemaker")
        assert sagemaker.describe_endpoint(EndpointName=endpoint2.name)["EndpointConfigName"] == endpoint2.config_name
        listed = sagemaker.list_model_packages(ModelPackageGroupName="churn")["ModelPackageSummaryList"]
        assert sorted(p["ModelPackageVersion"] for p in listed) == [1, 2]


def test_package_of_another_account_is_reported_not_made() -> None:
    template = {"Resources": {"Model": {"Type": "AWS::SageMaker::Model", "Properties": {"PrimaryContainer": {
        "ModelPackageName": "arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/3"}}}}}
    from cdk_sagemaker.local.server import Clients, in_process_moto

    with in_process_moto():
        clients = Clients(None)
        client_for: ClientFor = clients.client
        made, missing = register_missing_packages(template, client_for, account=ACCOUNT, region="us-east-1",
                                                  pseudo={"AWS::AccountId": ACCOUNT, "AWS::Region": "us-east-1"})
    assert made == [] and len(missing) == 1
    assert "account 222222222222" in missing[0].reason and missing[0].logical_id == "Model.ModelPackageName"


def test_codebuild_references_become_the_name_and_arn_the_engine_gives() -> None:
    template = {"Resources": {
        "Project": {"Type": "AWS::CodeBuild::Project", "Properties": {}},
        "Rule": {"Type": "AWS::Events::Rule", "DependsOn": ["Project"], "Properties": {"Targets": [
            {"Arn": {"Fn::GetAtt": ["Project", "Arn"]}, "Id": {"Ref": "Project"}}]}}},
        "Outputs": {"Project": {"Value": {"Ref": "Project"}}}}
    body, notes = without_api_made(template)
    assert notes == [] and list(body["Resources"]) == ["Rule"] and "DependsOn" not in body["Resources"]["Rule"]
    name = {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, "-Project"]]}
    target = body["Resources"]["Rule"]["Properties"]["Targets"][0]
    assert target["Id"] == name and body["Outputs"]["Project"]["Value"] == name
    assert target["Arn"]["Fn::Join"][1][-2:] == [":project/", name]


def test_model_package_group_deploys_locally_with_its_arn() -> None:
    from cdk_sagemaker import ModelPackageGroup

    stack = cdk.Stack(cdk.App(), "Registry")
    group = ModelPackageGroup(stack, "Group", model_package_group_name="churn", consumer_accounts=["111111111111"])
    cdk.CfnOutput(stack, "GroupArn", value=group.model_package_group_arn)
    with local_aws(stack, server=False) as aws:
        assert aws.report is not None
        report = aws.report.stack("Registry")
        arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:model-package-group/churn"
        assert report.outputs["GroupArn"] == arn
        (made,) = [e for e in report.emulated if e.type == "AWS::SageMaker::ModelPackageGroup"]
        assert made.physical_id == arn and "resource policy not applied" in made.api
        groups = aws.client("sagemaker").list_model_package_groups()["ModelPackageGroupSummaryList"]
        assert [g["ModelPackageGroupName"] for g in groups] == ["churn"]
