"""Imports of endpoints and models made outside the app, and the typed protocols they share with ours."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from cdk_sagemaker import (
    AsyncEndpoint,
    ContainerImage,
    IEndpoint,
    IModel,
    Model,
    RealtimeEndpoint,
    ServerlessEndpoint,
    ValidationError,
)

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
ARN = "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/my-endpoint"


def _invoke_resources(stack: cdk.Stack) -> object:
    [policy] = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    return policy["Properties"]["PolicyDocument"]["Statement"][0]["Resource"]


def test_from_endpoint_arn_takes_the_name_from_the_arn(stack: cdk.Stack) -> None:
    endpoint = RealtimeEndpoint.from_endpoint_arn(stack, "Imported", ARN)
    assert (endpoint.endpoint_name, endpoint.endpoint_arn) == ("my-endpoint", ARN)
    assert endpoint.metric_invocations().dimensions == {"EndpointName": "my-endpoint", "VariantName": "AllTraffic"}
    endpoint.grant_invoke(iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal()))
    assert _invoke_resources(stack) == ARN


def test_from_endpoint_attributes_knows_the_variants(stack: cdk.Stack) -> None:
    endpoint = RealtimeEndpoint.from_endpoint_attributes(stack, "Imported", endpoint_name="Prod",
                                                         variant_names=["Blue", "Green"])
    assert endpoint.variant_names == ("Blue", "Green")
    assert endpoint.metric_model_latency().dimensions["VariantName"] == "Blue"
    assert endpoint.metric_model_latency(variant_name="Green").dimensions["VariantName"] == "Green"
    with pytest.raises(ValidationError, match=r"variant_name must name a variant of the endpoint, one of "
                                              r"\['Blue', 'Green'\], got 'Red'"):
        endpoint.metric_invocations(variant_name="Red")
    # The ARN of this stack's account and region, with the name in lower case as SageMaker writes it.
    endpoint.grant_invoke(iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal()))
    assert _invoke_resources(stack) == {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"},
        ":endpoint/prod"]]}


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"endpoint_arn": "arn:aws:sagemaker:eu-west-1:123456789012:model/m"},
     r"endpoint_arn must be an endpoint ARN matching .*got 'arn:aws:sagemaker:eu-west-1:123456789012:model/m'"),
    ({"endpoint_name": "Prod", "variant_names": []}, r"variant_names must be a non-empty list of variant names"),
    ({"endpoint_name": "Prod", "variant_names": ["a b"]}, r"variant_names\[0\] must match .*got 'a b'"),
    ({"endpoint_name": "Prod", "variant_names": ["A", "A"]}, r"variant_names must not repeat a name"),
    ({"endpoint_name": "bad_name"}, r"endpoint_name must match .*got 'bad_name'"),
    ({}, r"endpoint_name or endpoint_arn must be given, got None"),
])
def test_imported_endpoint_input_is_checked(stack: cdk.Stack, kwargs: dict[str, object], match: str) -> None:
    from cdk_sagemaker.constructs.realtime import ImportedRealtimeEndpoint

    with pytest.raises(ValidationError, match=match):
        ImportedRealtimeEndpoint(stack, "Imported", **kwargs)  # type: ignore[arg-type]


def test_model_imports(stack: cdk.Stack) -> None:
    by_arn = Model.from_model_arn(stack, "ByArn", "arn:aws:sagemaker:eu-west-1:123456789012:model/my-model")
    assert (by_arn.model_name, by_arn.model_arn) == ("my-model",
                                                     "arn:aws:sagemaker:eu-west-1:123456789012:model/my-model")
    by_name = Model.from_model_name(stack, "ByName", "MyModel")
    assert by_name.model_name == "MyModel" and ":model/mymodel" in str(stack.resolve(by_name.model_arn))
    with pytest.raises(ValidationError, match=r"model_arn must be a model ARN matching .*got 'nope'"):
        Model.from_model_arn(stack, "Bad", "nope")
    with pytest.raises(ValidationError, match=r"model_name must match .*got 'bad name'"):
        Model.from_model_name(stack, "BadName", "bad name")


def test_ours_and_imports_meet_the_protocols(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    plain = Model(stack, "Plain", image=ContainerImage.from_uri(IMAGE), network_isolation=False)
    endpoints = [RealtimeEndpoint(stack, "Realtime", model=model), AsyncEndpoint(stack, "Async", model=model),
                 ServerlessEndpoint(stack, "Serverless", model=plain),
                 RealtimeEndpoint.from_endpoint_name(stack, "Imported", "other")]
    assert all(isinstance(e, IEndpoint) for e in endpoints)
    assert all(isinstance(m, IModel) for m in (model, Model.from_model_name(stack, "ImportedModel", "m")))
    assert stack.resolve(model.model_arn) == {"Ref": stack.get_logical_id(model.cfn_model)}
