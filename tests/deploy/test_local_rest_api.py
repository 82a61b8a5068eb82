"""CdkSagemakerRestApi on the local AWS (moto): what moto's CloudFormation makes, what the engine makes through the
service APIs, what stays unemulated; and requests routed through the deployed API definition to the local
SageMaker runtime (:func:`cdk_sagemaker.local.api.invoke_route`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker.app import build_app
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.rest_api import ERROR_RESPONSES, EndpointApi, realtime_max_payload
from cdk_sagemaker.local import LocalAws, local_aws
from cdk_sagemaker.local.api import UnsupportedRouteError, invoke_route
from cdk_sagemaker.local.server import Clients, in_process_moto
from cdk_sagemaker.local.workarounds.api_gateway import EMULATORS

pytestmark = pytest.mark.deploy

STACK = "CdkSagemakerRestApi"
#: What moto's own CloudFormation creates of the example stack (besides IAM, KMS and SageMaker).
MOTO_MAKES = {"AWS::ApiGateway::RestApi", "AWS::ApiGateway::Resource", "AWS::Logs::LogGroup"}
#: What the engine makes through the API Gateway and WAFv2 APIs after moto skipped it.
#: Types moto's CloudFormation runs but lists without a physical id, making only part of them.
PARTLY_MADE_BY_MOTO = {"AWS::ApiGateway::Method", "AWS::ApiGateway::Deployment"}
ENGINE_MAKES = {"AWS::ApiGateway::Method", "AWS::ApiGateway::RequestValidator", "AWS::ApiGateway::Deployment",
                "AWS::ApiGateway::Stage", "AWS::ApiGateway::GatewayResponse", "AWS::WAFv2::WebACL",
                "AWS::WAFv2::WebACLAssociation", "AWS::WAFv2::LoggingConfiguration"}


class _TwoVariants(cdk.Stack):
    def __init__(self, scope: cdk.App, id: str) -> None:
        super().__init__(scope, id)
        image = ContainerImage.from_uri("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1")
        a = Model(self, "A", image=image, network_isolation=False)
        b = Model(self, "B", image=image, network_isolation=False)
        ep = RealtimeEndpoint(self, "Endpoint", variants=[
            ProductionVariant(model=a, variant_name="Champion", instance_type="ml.m5.large", initial_weight=9),
            ProductionVariant(model=b, variant_name="Challenger", instance_type="ml.m5.large", initial_weight=1)])
        EndpointApi(self, "Api", endpoint=ep, waf=None)


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = build_app(cdk.App(outdir=str(outdir), context={"stacks": STACK}))
    _TwoVariants(app, "TwoVariants")
    app.synth()
    return outdir


@pytest.fixture(scope="module")
def aws(assembly: Path) -> Iterator[LocalAws]:
    with local_aws(assembly_dir=assembly, progress=None) as deployed:
        yield deployed


def _api_id(aws: LocalAws, stack: str = STACK) -> str:
    assert aws.report is not None
    return next(r.physical_id for r in aws.report.stack(stack).resources if r.type == "AWS::ApiGateway::RestApi")


def test_report_says_what_moto_and_the_engine_make(aws: LocalAws, assembly: Path) -> None:
    assert aws.report is not None
    report = aws.report.stack(STACK)
    assert report.ok, report.error
    template = json.loads((assembly / f"{STACK}.template.json").read_text())
    api_types = {r["Type"] for r in template["Resources"].values()
                 if r["Type"].startswith(("AWS::ApiGateway::", "AWS::WAFv2::", "AWS::Logs::"))}
    made_by_moto = {r.type for r in report.resources if r.physical_id} & api_types
    made_by_engine = {e.type for e in report.emulated}
    assert made_by_moto == MOTO_MAKES
    assert made_by_engine == ENGINE_MAKES
    assert made_by_moto | made_by_engine == api_types
    assert [u.logical_id.split(".")[-1] for u in report.unemulated] == ["EnableNetworkIsolation"]


def test_deployed_definition_matches_the_template(aws: LocalAws) -> None:
    apigw = aws.client("apigateway")
    api = _api_id(aws)
    resource = next(r for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/invocations")
    method = apigw.get_method(restApiId=api, resourceId=resource["id"], httpMethod="POST")
    assert method["authorizationType"] == "AWS_IAM"
    integration = method["methodIntegration"]
    assert integration["uri"].endswith("/invocations") and ":runtime.sagemaker:path/endpoints/" in integration["uri"]
    patterns = {r.get("selectionPattern") for r in integration["integrationResponses"].values()}
    assert patterns == {None, *(p for p, _, _ in ERROR_RESPONSES)}
    stage = apigw.get_stage(restApiId=api, stageName="prod")
    assert stage["tracingEnabled"] is True and stage["webAclArn"].startswith("arn:aws:wafv2:")
    acl_name, acl_id = stage["webAclArn"].split("/")[-2:]
    acl = aws.client("wafv2").get_web_acl(Name=acl_name, Scope="REGIONAL", Id=acl_id)["WebACL"]
    assert [r["Name"] for r in acl["Rules"]][:2] == ["PayloadLimit", "RatePerIp"]
    responses = {g["responseType"] for g in apigw.get_gateway_responses(restApiId=api)["items"]}
    assert {"REQUEST_TOO_LARGE", "THROTTLED", "INTEGRATION_TIMEOUT"} <= responses


def test_invocation_reaches_the_local_endpoint(aws: LocalAws) -> None:
    answer = invoke_route(aws.client, rest_api_id=_api_id(aws), path="/invocations", body=b"1,2,3",
                          headers={"Content-Type": "text/csv", "Accept": "application/json"})
    assert answer.source == "integration" and answer.status == 200 and answer.body
    assert set(answer.not_evaluated) == {"RatePerIp", "AWSManagedRulesCommonRuleSet",
                                         "AWSManagedRulesKnownBadInputsRuleSet",
                                         "AWSManagedRulesAmazonIpReputationList"}


def test_oversized_payload_gets_413_from_the_web_acl(aws: LocalAws) -> None:
    limit = realtime_max_payload()
    for size, status in ((limit, 200), (limit + 1, 413)):
        answer = invoke_route(aws.client, rest_api_id=_api_id(aws), path="/invocations", body=b"x" * size,
                              headers={"Content-Type": "application/octet-stream"})
        assert answer.status == status, size
    assert answer.source == "waf"
    assert json.loads(answer.body) == {"message": f"The payload is larger than the model endpoint accepts ({limit} "
                                                  "bytes at most)."}


def test_missing_content_type_is_refused_by_the_validator(aws: LocalAws) -> None:
    answer = invoke_route(aws.client, rest_api_id=_api_id(aws), path="/invocations", body=b"1", headers={})
    assert (answer.status, answer.source) == (400, "validator")


def test_variant_routes_pin_the_target_variant(aws: LocalAws) -> None:
    api = _api_id(aws, "TwoVariants")
    for variant in ("Champion", "Challenger"):
        answer = invoke_route(aws.client, rest_api_id=api, path=f"/variants/{variant}/invocations", body=b"1,2",
                              headers={"Content-Type": "text/csv"})
        assert answer.status == 200
    unknown = invoke_route(aws.client, rest_api_id=api, path="/variants/Other/invocations", body=b"1",
                           headers={"Content-Type": "text/csv"})
    assert unknown.status == 403  # no such route: API Gateway's "Missing Authentication Token"


class _FailingRuntime:
    """Stands in for the SageMaker runtime service (moto's answers every InvokeEndpoint, even for unknown endpoints):
    fails with a botocore ClientError as the real service does, message and all."""

    def __init__(self, status: int, code: str) -> None:
        self.status, self.code = status, code

    def invoke_endpoint(self, **_: Any) -> Any:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": self.code, "Message": "Endpoint secret-endpoint of account 123456789012 "
                                                                    "not found. LogStreamArn: arn:aws:logs:..."},
                           "ResponseMetadata": {"HTTPStatusCode": self.status}}, "InvokeEndpoint")


@pytest.mark.parametrize(("status", "code", "expected"), [
    (400, "ValidationError", 400), (413, "RequestEntityTooLarge", 413), (429, "ModelNotReadyException", 503),
    (503, "ServiceUnavailable", 503), (530, "InternalDependencyException", 502), (403, "AccessDeniedException", 500),
    (424, "ModelError", 502)])
def test_runtime_errors_are_mapped_without_sagemaker_internals(aws: LocalAws, status: int, code: str,
                                                               expected: int) -> None:
    def client_for(service: str) -> Any:
        return _FailingRuntime(status, code) if service == "sagemaker-runtime" else aws.client(service)

    answer = invoke_route(client_for, rest_api_id=_api_id(aws), path="/invocations", body=b"1",
                          headers={"Content-Type": "text/csv"})
    assert (answer.status, answer.source) == (expected, "integration-response")
    text = answer.body.decode()
    assert "secret-endpoint" not in text and "123456789012" not in text and "LogStream" not in text
    if expected != 502:  # the ModelError template has VTL (#set/#if), which the local router does not render
        body: dict[str, Any] = json.loads(text)
        assert set(body) == {"message", "requestId"}


class _RecordingRuntime:
    """Stands in for the SageMaker runtime and records what InvokeEndpoint was called with (moto ignores the optional
    headers); answers with custom attributes of its own, as a container may."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def invoke_endpoint(self, **kwargs: Any) -> Any:
        import io

        self.calls.append(kwargs)
        return {"Body": io.BytesIO(b"0.5"), "ContentType": "text/csv", "CustomAttributes": "model_version=3"}


def test_optional_invoke_endpoint_headers_reach_sagemaker_and_custom_attributes_come_back(aws: LocalAws) -> None:
    runtime = _RecordingRuntime()

    def client_for(service: str) -> Any:
        return runtime if service == "sagemaker-runtime" else aws.client(service)

    answer = invoke_route(client_for, rest_api_id=_api_id(aws), path="/invocations", body=b"1,2", headers={
        "Content-Type": "text/csv", "X-Amzn-SageMaker-Custom-Attributes": "accept_eula=true",
        "X-Amzn-SageMaker-Inference-Id": "order-42", "X-Amzn-SageMaker-Enable-Explanations": "`true`",
        "X-Other": "dropped"})
    assert answer.status == 200 and answer.headers["X-Amzn-SageMaker-Custom-Attributes"] == "model_version=3"
    [call] = runtime.calls
    assert {k: v for k, v in call.items() if k != "Body"} == {
        "EndpointName": call["EndpointName"], "ContentType": "text/csv", "CustomAttributes": "accept_eula=true",
        "InferenceId": "order-42", "EnableExplanations": "`true`"}


def test_async_routes_are_reported_as_not_emulated(aws: LocalAws) -> None:
    """A route whose integration is not the SageMaker runtime (here: made up on the deployed API) is refused."""
    apigw = aws.client("apigateway")
    api = _api_id(aws)
    root = next(r for r in apigw.get_resources(restApiId=api)["items"] if r["path"] == "/")
    res = apigw.create_resource(restApiId=api, parentId=root["id"], pathPart="async-invocations")
    apigw.put_method(restApiId=api, resourceId=res["id"], httpMethod="POST", authorizationType="AWS_IAM")
    apigw.put_integration(restApiId=api, resourceId=res["id"], httpMethod="POST", type="AWS",
                          integrationHttpMethod="POST",
                          uri="arn:aws:apigateway:us-east-1:states:action/StartSyncExecution")
    with pytest.raises(UnsupportedRouteError, match="only AWS integrations to the SageMaker runtime"):
        invoke_route(aws.client, rest_api_id=api, path="/async-invocations", body=b"{}",
                     headers={"Content-Type": "application/json"})


@pytest.mark.parametrize("resource_type", sorted(set(EMULATORS) - PARTLY_MADE_BY_MOTO))
def test_moto_skips_the_api_gateway_types(resource_type: str) -> None:
    """moto 5.2.5's CloudFormation skips these types (no physical id): when one fails, moto makes it itself; drop it
    from workarounds/api_gateway.EMULATORS."""
    with in_process_moto():
        cfn = Clients(None).client("cloudformation")
        resources = {"Skipped": {"Type": resource_type, "Properties": {}}}
        cfn.create_stack(StackName="Probe", TemplateBody=json.dumps({"Resources": resources}))
        listed = cfn.describe_stack_resources(StackName="Probe")["StackResources"]
        ids = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in listed if r.get("LogicalResourceId")}
        assert not ids.get("Skipped")


def test_moto_makes_methods_and_deployments_only_in_part() -> None:
    """moto's CloudFormation does run ``AWS::ApiGateway::Method`` and ``Deployment``, but lists them without a physical
    id, and its method keeps only the integration's type, URI and HTTP method: no credentials, request parameters,
    method or integration responses. The engine puts the whole method again (and makes the deployment)."""
    api = {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "probe"}}
    res = {"Type": "AWS::ApiGateway::Resource", "Properties": {
        "RestApiId": {"Ref": "Api"}, "ParentId": {"Fn::GetAtt": ["Api", "RootResourceId"]}, "PathPart": "x"}}
    method = {"Type": "AWS::ApiGateway::Method", "Properties": {
        "RestApiId": {"Ref": "Api"}, "ResourceId": {"Ref": "Res"}, "HttpMethod": "POST", "AuthorizationType": "NONE",
        "RequestParameters": {"method.request.header.Content-Type": True},
        "Integration": {"Type": "AWS", "IntegrationHttpMethod": "POST",
                        "Credentials": "arn:aws:iam::123456789012:role/r",
                        "Uri": "arn:aws:apigateway:us-east-1:runtime.sagemaker:path/endpoints/e/invocations",
                        "IntegrationResponses": [{"StatusCode": "200"}]},
        "MethodResponses": [{"StatusCode": "200"}]}}
    deployment = {"Type": "AWS::ApiGateway::Deployment", "DependsOn": ["Method"],
                  "Properties": {"RestApiId": {"Ref": "Api"}}}
    with in_process_moto():
        clients = Clients(None)
        cfn = clients.client("cloudformation")
        cfn.create_stack(StackName="Probe", TemplateBody=json.dumps({"Resources": {
            "Api": api, "Res": res, "Method": method, "Deployment": deployment}}))
        listed = cfn.describe_stack_resources(StackName="Probe")["StackResources"]
        ids = {r["LogicalResourceId"]: r.get("PhysicalResourceId", "") for r in listed if r.get("LogicalResourceId")}
        assert not ids.get("Method") and not ids.get("Deployment")
        apigw = clients.client("apigateway")
        resource = next(r for r in apigw.get_resources(restApiId=ids["Api"])["items"] if r["path"] == "/x")
        made = apigw.get_method(restApiId=ids["Api"], resourceId=resource["id"], httpMethod="POST")
        integration = made["methodIntegration"]
        assert integration["uri"].endswith("/endpoints/e/invocations")
        assert not integration.get("credentials") and not integration.get("integrationResponses")
        assert not made.get("requestParameters") and not made.get("methodResponses")
