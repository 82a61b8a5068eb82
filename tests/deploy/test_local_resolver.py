"""The intrinsic-function resolver, without moto."""

from __future__ import annotations

import pytest

from cdk_sagemaker.local.resolver import Resolver, UnresolvableError
from cdk_sagemaker.local.workarounds.undefined_references import undefined_references

pytestmark = pytest.mark.deploy

TEMPLATE = {
    "Parameters": {
        "Env": {"Type": "String", "Default": "dev"},
        "Subnets": {"Type": "CommaDelimitedList"},
    },
    "Mappings": {"Registry": {"us-east-1": {"Account": "683313688378"}, "eu-west-1": {"Account": "141502667606"}}},
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "IsDev": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Or": [{"Fn::Equals": ["a", "b"]}, {"Condition": "IsDev"}]}]},
    },
    "Resources": {
        "Endpoint": {"Type": "AWS::SageMaker::Endpoint", "Properties": {}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {}},
        "OnlyProd": {"Type": "AWS::SNS::Topic", "Condition": "IsProd"},
    },
}


@pytest.fixture
def resolver() -> Resolver:
    physical = {"Endpoint": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep-1", "Role": "role-1"}
    attributes = {("Endpoint", "EndpointName"): "ep-1", ("Role", "Arn"): "arn:aws:iam::123456789012:role/role-1"}

    def get_att(logical_id: str, attribute: str) -> str:
        try:
            return attributes[(logical_id, attribute)]
        except KeyError:
            raise UnresolvableError(f"no {logical_id}.{attribute}") from None

    return Resolver(
        TEMPLATE,
        parameters={"Subnets": "subnet-1, subnet-2"},
        pseudo={"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"},
        ref=physical.__getitem__,
        get_att=get_att,
        import_value={"Shared-Topic": "arn:aws:sns:us-east-1:123456789012:t"}.__getitem__,
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ({"Ref": "Env"}, "dev"),
        ({"Ref": "Subnets"}, ["subnet-1", "subnet-2"]),
        ({"Ref": "AWS::Region"}, "us-east-1"),
        ({"Ref": "Role"}, "role-1"),
        ({"Fn::GetAtt": ["Endpoint", "EndpointName"]}, "ep-1"),
        ({"Fn::GetAtt": "Role.Arn"}, "arn:aws:iam::123456789012:role/role-1"),
        (
            {"Fn::Join": ["", ["endpoint/", {"Fn::GetAtt": ["Endpoint", "EndpointName"]}, "/variant/AllTraffic"]]},
            "endpoint/ep-1/variant/AllTraffic",
        ),
        ({"Fn::Sub": "arn:${AWS::Partition}:s3:::b-${AWS::AccountId}/${Role}"}, "arn:aws:s3:::b-123456789012/role-1"),
        ({"Fn::Sub": "${Endpoint.EndpointName}-${!Literal}"}, "ep-1-${Literal}"),
        ({"Fn::Sub": ["${Name}:${AWS::Region}", {"Name": {"Ref": "Env"}}]}, "dev:us-east-1"),
        ({"Fn::Select": [1, {"Fn::Split": ["/", "a/b/c"]}]}, "b"),
        (
            {
                "Fn::Join": [
                    "",
                    [
                        {"Fn::FindInMap": ["Registry", {"Ref": "AWS::Region"}, "Account"]},
                        ".dkr.ecr.",
                        {"Ref": "AWS::Region"},
                        ".amazonaws.com/xgboost:1.7-1",
                    ],
                ]
            },
            "683313688378.dkr.ecr.us-east-1.amazonaws.com/xgboost:1.7-1",
        ),
        ({"Fn::FindInMap": ["Registry", "ap-south-9", "Account", {"DefaultValue": "none"}]}, "none"),
        ({"Fn::If": ["IsProd", "big", "small"]}, "small"),
        ({"Fn::If": ["Both", "yes", "no"]}, "yes"),
        ({"Fn::ImportValue": "Shared-Topic"}, "arn:aws:sns:us-east-1:123456789012:t"),
        ({"Fn::Base64": "hi"}, "aGk="),
        ({"Fn::GetAZs": ""}, ["us-east-1a", "us-east-1b", "us-east-1c"]),
        (
            {"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Fn::If": ["IsProd", 2, {"Ref": "AWS::NoValue"}]}]},
            {"B": [1]},
        ),
        ({"Threshold": 600, "Enabled": True}, {"Threshold": 600, "Enabled": True}),
    ],
)
def test_resolves(resolver: Resolver, expression: object, expected: object) -> None:
    assert resolver.resolve(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ({"Ref": "Nope"}, "Ref to undefined 'Nope'"),
        ({"Fn::GetAtt": ["Nope", "Arn"]}, "undefined resource 'Nope'"),
        ({"Fn::GetAtt": ["Role", "RoleId"]}, "no Role.RoleId"),
        ({"Fn::FindInMap": ["Registry", "ap-south-9", "Account"]}, "no Registry/ap-south-9/Account"),
        ({"Fn::If": ["NoSuchCondition", 1, 2]}, "condition 'NoSuchCondition' is not defined"),
        ({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}, "Fn::Cidr is not supported"),
        ({"Fn::Select": [5, ["a"]]}, "out of range"),
    ],
)
def test_unresolvable(resolver: Resolver, expression: object, message: str) -> None:
    with pytest.raises(UnresolvableError, match=message):
        resolver.resolve(expression)


def test_conditions_disable_resources(resolver: Resolver) -> None:
    assert resolver.resource_enabled("Role")
    assert not resolver.resource_enabled("OnlyProd")


def test_undefined_references_name_the_resource() -> None:
    template = {
        "Parameters": {"P": {"Type": "String"}},
        "Resources": {
            "Good": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${P}-${AWS::Region}"}}},
            "Bad": {
                "Type": "AWS::SageMaker::Endpoint",
                "DependsOn": ["Good", "Gone"],
                "Properties": {"EndpointConfigName": {"Ref": "NoSuchConfig"}, "X": {"Fn::Sub": "${Missing.Arn}"}},
            },
        },
        "Outputs": {"O": {"Value": {"Fn::GetAtt": ["Ghost", "Arn"]}}},
    }
    assert undefined_references(template) == [
        "resource Bad (AWS::SageMaker::Endpoint): Ref to undefined 'NoSuchConfig'",
        "resource Bad (AWS::SageMaker::Endpoint): Fn::Sub to undefined 'Missing'",
        "resource Bad (AWS::SageMaker::Endpoint): DependsOn undefined resource 'Gone'",
        "output O: Fn::GetAtt to undefined 'Ghost'",
    ]
