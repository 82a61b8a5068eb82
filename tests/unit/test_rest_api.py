"""EndpointApi: the REST API in front of an endpoint, asserted on synthesized templates (and the nag packs and
cfn-lint for the variants the example stack does not show)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
from constructs import IConstruct

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.rest_api import (
    ASYNC_MAX_PAYLOAD,
    ERROR_RESPONSES,
    SERVERLESS_MAX_PAYLOAD,
    ApiAuth,
    ApiThrottle,
    ApiWaf,
    EndpointApi,
    content_length_above,
    realtime_max_payload,
)
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"


def _model(stack: cdk.Stack, id: str = "Model", **kwargs: Any) -> Model:
    return Model(stack, id, image=ContainerImage.from_uri(IMAGE), network_isolation=False, **kwargs)


def _realtime(stack: cdk.Stack) -> RealtimeEndpoint:
    return RealtimeEndpoint(stack, "Endpoint", model=_model(stack), instance_type="ml.m5.large", instance_count=1)


def _lid(stack: cdk.Stack, construct: IConstruct) -> str:
    child = construct.node.default_child
    assert isinstance(child, cdk.CfnElement)
    return stack.get_logical_id(child)


def _methods(t: Template) -> Mapping[str, Mapping[str, Any]]:
    return t.find_resources("AWS::ApiGateway::Method")


def _post(t: Template) -> list[Mapping[str, Any]]:
    return [m["Properties"] for m in _methods(t).values() if m["Properties"]["HttpMethod"] == "POST"]


def _paths(t: Template) -> set[str]:
    return {r["Properties"]["PathPart"] for r in t.find_resources("AWS::ApiGateway::Resource").values()}


# -- the payload-limit expression ---------------------------------------------------------------------------------
@pytest.mark.parametrize("limit", [realtime_max_payload(), SERVERLESS_MAX_PAYLOAD, ASYNC_MAX_PAYLOAD, 1, 9, 10,
                                   99, 100, 1999, 8088, 6291456])
def test_content_length_expression_matches_exactly_the_values_above_the_limit(limit: int) -> None:
    rx = re.compile(content_length_above(limit))
    samples = {0, 1, limit - 1, limit, limit + 1, limit + 9, limit * 10, limit * 10 + 7, 10 ** len(str(limit)),
               10 ** len(str(limit)) - 1, *range(max(0, limit - 120), limit + 120, 7)}
    for n in sorted(s for s in samples if s >= 0):
        assert bool(rx.fullmatch(str(n))) == (n > limit), (limit, n)
        assert bool(rx.fullmatch("00" + str(n))) == (n > limit), (limit, n)
    assert not rx.fullmatch("") and not rx.fullmatch("abc") and not rx.fullmatch(f"{limit + 1} ")
    assert len(content_length_above(limit)) <= 512  # WAF's regex_string limit


def test_limits_come_from_botocore_and_the_docs() -> None:
    assert realtime_max_payload() == 6 * 1024 * 1024
    assert SERVERLESS_MAX_PAYLOAD == 4 * 1024 * 1024
    assert ASYNC_MAX_PAYLOAD < 256 * 1024


def test_error_selection_patterns_do_not_overlap_and_cover_every_error_status() -> None:
    for status in range(400, 600):
        hits = [p for p, _, _ in ERROR_RESPONSES if re.fullmatch(p, str(status))]
        assert len(hits) == 1, (status, hits)
    def client_status(backend: int) -> int:
        return next(s for p, s, _ in ERROR_RESPONSES if re.fullmatch(p, str(backend)))

    assert [client_status(b) for b in (400, 403, 404, 413, 424, 429, 500, 503, 530)] == \
        [400, 500, 400, 413, 502, 503, 502, 503, 502]
    # API Gateway keys an integration's responses by status code: one response per client status, or they collide.
    statuses = [s for _, s, _ in ERROR_RESPONSES]
    assert len(statuses) == len(set(statuses)) and 200 not in statuses


# -- real-time ----------------------------------------------------------------------------------------------------
def test_realtime_defaults(stack: cdk.Stack) -> None:
    ep = _realtime(stack)
    api = EndpointApi(stack, "Api", endpoint=ep)
    t = Template.from_stack(stack)
    assert api.node.default_child.node.path == api.rest_api.node.default_child.node.path  # type: ignore[union-attr]
    assert api.routes == ("/invocations",)
    t.has_resource_properties("AWS::ApiGateway::RestApi", {
        "EndpointConfiguration": {"Types": ["REGIONAL"]}, "Name": cdk.Names.unique_id(api),
        "BinaryMediaTypes": Match.array_with(["application/octet-stream", "application/x-npy", "image/*"]),
    })
    [post] = _post(t)
    assert post["AuthorizationType"] == "AWS_IAM"
    integ = post["Integration"]
    assert integ["Type"] == "AWS" and integ["IntegrationHttpMethod"] == "POST"
    assert integ["TimeoutInMillis"] == 29000
    uri = json.dumps(integ["Uri"])
    assert ":runtime.sagemaker:path/endpoints/" in uri and "/invocations" in uri
    assert stack.get_logical_id(ep.cfn_endpoint) in uri
    optional = ("X-Amzn-SageMaker-Custom-Attributes", "X-Amzn-SageMaker-Inference-Id",
                "X-Amzn-SageMaker-Enable-Explanations")
    assert integ["RequestParameters"] == {
        "integration.request.header.Content-Type": "method.request.header.Content-Type",
        "integration.request.header.Accept": "method.request.header.Accept",
        **{f"integration.request.header.{h}": f"method.request.header.{h}" for h in optional}}
    assert post["RequestParameters"] == {"method.request.header.Content-Type": True,
                                         "method.request.header.Accept": False,
                                         **{f"method.request.header.{h}": False for h in optional}}
    assert integ["PassthroughBehavior"] == "WHEN_NO_TEMPLATES" and "RequestTemplates" not in integ
    ok = integ["IntegrationResponses"][0]
    assert ok["StatusCode"] == "200" and "SelectionPattern" not in ok and "ResponseTemplates" not in ok
    errors = integ["IntegrationResponses"][1:]
    assert {e["SelectionPattern"] for e in errors} == {p for p, _, _ in ERROR_RESPONSES}
    for e in errors:  # every error answer is our own small JSON body, never SageMaker's message
        body = e["ResponseTemplates"]["application/json"]
        assert "$context.requestId" in body and "$input.body" not in body and "Message" not in body
    declared = {r["StatusCode"] for r in post["MethodResponses"]}
    assert {e["StatusCode"] for e in integ["IntegrationResponses"]} <= declared
    t.has_resource_properties("AWS::ApiGateway::Stage", {
        "TracingEnabled": True,
        "AccessLogSetting": Match.object_like({"DestinationArn": Match.any_value()}),
        "MethodSettings": [Match.object_like({"LoggingLevel": "ERROR", "DataTraceEnabled": False,
                                              "ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100})],
    })
    t.has_resource_properties("AWS::ApiGateway::RequestValidator", {
        "ValidateRequestBody": True, "ValidateRequestParameters": True})


def test_integration_role_has_a_managed_policy_for_exactly_the_endpoint(stack: cdk.Stack) -> None:
    ep = _realtime(stack)
    api = EndpointApi(stack, "Api", endpoint=ep)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::IAM::Policy", 0)
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {
        "PolicyDocument": {"Statement": [{"Action": "sagemaker:InvokeEndpoint", "Effect": "Allow",
                                          "Resource": {"Ref": stack.get_logical_id(ep.cfn_endpoint)}}],
                           "Version": "2012-10-17"},
        "Roles": [{"Ref": _lid(stack, api.role)}],
    })
    t.has_resource_properties("AWS::IAM::Role", {"AssumeRolePolicyDocument": {"Statement": [Match.object_like({
        "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"})]}})


def test_logs_are_encrypted_retained_and_the_execution_log_group_exists_before_the_stage(stack: cdk.Stack) -> None:
    api = EndpointApi(stack, "Api", endpoint=_realtime(stack))
    t = Template.from_stack(stack)
    key_id = _lid(stack, api.log_key)
    groups = t.find_resources("AWS::Logs::LogGroup")
    assert len(groups) == 3  # access, execution, WAF
    for g in groups.values():
        assert g["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
        assert g["Properties"]["RetentionInDays"] == 365 and g["DeletionPolicy"] == "Retain"
    exec_id = _lid(stack, api.execution_log_group)
    assert json.dumps(groups[exec_id]["Properties"]["LogGroupName"]).startswith('{"Fn::Join": ["", '
                                                                                 '["API-Gateway-Execution-Logs_"')
    stage = t.find_resources("AWS::ApiGateway::Stage")
    assert exec_id in next(iter(stage.values()))["DependsOn"]
    t.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_web_acl_blocks_oversized_payloads_with_413_and_counts_the_8kb_body_rule(stack: cdk.Stack) -> None:
    api = EndpointApi(stack, "Api", endpoint=_realtime(stack))
    t = Template.from_stack(stack)
    [acl] = t.find_resources("AWS::WAFv2::WebACL").values()
    rules = {r["Name"]: r for r in acl["Properties"]["Rules"]}
    limit = rules["PayloadLimit"]
    assert limit["Statement"]["RegexMatchStatement"]["RegexString"] == content_length_above(6291456)
    assert limit["Statement"]["RegexMatchStatement"]["FieldToMatch"] == {"SingleHeader": {"Name": "content-length"}}
    assert limit["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 413
    assert "6291456 bytes" in acl["Properties"]["CustomResponseBodies"]["PayloadTooLarge"]["Content"]
    common = rules["AWSManagedRulesCommonRuleSet"]["Statement"]["ManagedRuleGroupStatement"]
    assert common["RuleActionOverrides"] == [{"Name": "SizeRestrictions_BODY", "ActionToUse": {"Count": {}}}]
    assert {"AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "RatePerIp"} <= set(rules)
    t.has_resource_properties("AWS::WAFv2::WebACLAssociation", {
        "WebACLArn": {"Fn::GetAtt": [stack.get_logical_id(api.web_acl), "Arn"]}})
    t.has_resource_properties("AWS::WAFv2::LoggingConfiguration", {"RedactedFields": [
        {"SingleHeader": {"Name": "authorization"}}, {"SingleHeader": {"Name": "x-api-key"}},
        {"SingleHeader": {"Name": "x-amzn-sagemaker-custom-attributes"}}]})  # botocore: sensitive
    t.has_resource_properties("AWS::Logs::LogGroup", {"LogGroupName": {"Fn::Join": ["", [
        Match.string_like_regexp("^aws-waf-logs-"), Match.any_value()]]}})


def test_waf_none_has_no_web_acl(stack: cdk.Stack) -> None:
    api = EndpointApi(stack, "Api", endpoint=_realtime(stack), waf=None)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::WAFv2::WebACL", 0)
    assert getattr(api, "web_acl", None) is None


def test_gateway_responses_answer_json_413_429_504(stack: cdk.Stack) -> None:
    EndpointApi(stack, "Api", endpoint=_realtime(stack))
    t = Template.from_stack(stack)
    by_type = {g["Properties"]["ResponseType"]: g["Properties"]
               for g in t.find_resources("AWS::ApiGateway::GatewayResponse").values()}
    assert by_type["REQUEST_TOO_LARGE"]["StatusCode"] == "413"
    assert by_type["THROTTLED"]["StatusCode"] == "429"
    assert by_type["INTEGRATION_TIMEOUT"]["StatusCode"] == "504"
    for g in by_type.values():
        json.loads(g["ResponseTemplates"]["application/json"].replace("$context.error.messageString", '"m"'))


def test_variant_routes_use_static_target_variant_headers(stack: cdk.Stack) -> None:
    m1, m2 = _model(stack, "A"), _model(stack, "B")
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant(model=m1, variant_name="Champion", instance_type="ml.m5.large", initial_weight=9),
        ProductionVariant(model=m2, variant_name="Challenger", instance_type="ml.m5.large", initial_weight=1)])
    api = EndpointApi(stack, "Api", endpoint=ep)
    assert api.routes == ("/invocations", "/variants/Champion/invocations", "/variants/Challenger/invocations")
    headers = [p["Integration"]["RequestParameters"].get("integration.request.header.X-Amzn-SageMaker-Target-Variant")
               for p in _post(Template.from_stack(stack))]
    assert sorted(h for h in headers if h) == ["'Challenger'", "'Champion'"]


def test_multi_model_route_maps_the_path_to_target_model(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", network_isolation=False, containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://bucket/models/"),
        multi_model=True)])
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=1)
    api = EndpointApi(stack, "Api", endpoint=ep)
    assert "/models/{model}/invocations" in api.routes
    [mm] = [p for p in _post(Template.from_stack(stack))
            if "method.request.path.model" in p["RequestParameters"]]
    assert mm["Integration"]["RequestParameters"]["integration.request.header.X-Amzn-SageMaker-Target-Model"] == \
        "method.request.path.model"


def test_inference_component_routes_name_each_component(stack: cdk.Stack) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.m5.2xlarge", instance_count=1)])
    ep.add_inference_component("Churn", model=_model(stack, "ChurnModel"), memory_mb=1024)
    ep.add_inference_component("Fraud", model=_model(stack, "FraudModel"), memory_mb=1024)
    api = EndpointApi(stack, "Api", endpoint=ep)
    assert api.routes == ("/components/churn/invocations", "/components/fraud/invocations")
    for post in _post(Template.from_stack(stack)):
        value = post["Integration"]["RequestParameters"][
            "integration.request.header.X-Amzn-SageMaker-Inference-Component"]
        assert value["Fn::Join"][1][0] == "'" and "InferenceComponentArn" in json.dumps(value)


def test_serverless_limit_is_4_mb(stack: cdk.Stack) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=_model(stack))
    api = EndpointApi(stack, "Api", endpoint=ep)
    assert api.max_payload == SERVERLESS_MAX_PAYLOAD
    [acl] = Template.from_stack(stack).find_resources("AWS::WAFv2::WebACL").values()
    assert acl["Properties"]["Rules"][0]["Statement"]["RegexMatchStatement"]["RegexString"] == \
        content_length_above(SERVERLESS_MAX_PAYLOAD)


def test_cognito_auth_uses_a_user_pool_authorizer_with_scopes(stack: cdk.Stack) -> None:
    pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_abcdefghi")
    EndpointApi(stack, "Api", endpoint=_realtime(stack), auth=ApiAuth.cognito(pool, scopes=["inference/invoke"]))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::ApiGateway::Authorizer", {"Type": "COGNITO_USER_POOLS"})
    [post] = _post(t)
    assert post["AuthorizationType"] == "COGNITO_USER_POOLS"
    assert post["AuthorizationScopes"] == ["inference/invoke"]


def test_api_key_auth_makes_a_usage_plan_with_throttle_and_quota(stack: cdk.Stack) -> None:
    api = EndpointApi(stack, "Api", endpoint=_realtime(stack), auth=ApiAuth.api_key(quota_per_day=1000),
                      throttle=ApiThrottle(rate_limit=5, burst_limit=10))
    t = Template.from_stack(stack)
    [post] = _post(t)
    assert post["ApiKeyRequired"] is True
    t.has_resource_properties("AWS::ApiGateway::UsagePlan", {
        "Throttle": {"RateLimit": 5, "BurstLimit": 10}, "Quota": {"Limit": 1000, "Period": "DAY"}})
    t.resource_count_is("AWS::ApiGateway::ApiKey", 1)
    t.resource_count_is("AWS::ApiGateway::UsagePlanKey", 1)
    assert api.usage_plan is not None


def test_cors_adds_a_preflight_and_the_origin_on_every_answer(stack: cdk.Stack) -> None:
    EndpointApi(stack, "Api", endpoint=_realtime(stack), cors_allow_origin="https://app.example.com")
    t = Template.from_stack(stack)
    options = [m["Properties"] for m in _methods(t).values() if m["Properties"]["HttpMethod"] == "OPTIONS"]
    assert len(options) == 1
    [post] = _post(t)
    for response in post["Integration"]["IntegrationResponses"]:
        assert response["ResponseParameters"]["method.response.header.Access-Control-Allow-Origin"] == \
            "'https://app.example.com'"
    for g in t.find_resources("AWS::ApiGateway::GatewayResponse").values():
        assert g["Properties"]["ResponseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"] == \
            "'https://app.example.com'"


def test_grant_invoke_allows_execute_api_on_the_routes(stack: cdk.Stack) -> None:
    api = EndpointApi(stack, "Api", endpoint=_realtime(stack))
    role = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    api.grant_invoke(role)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::IAM::Policy", {"PolicyDocument": {"Statement": [Match.object_like({
        "Action": "execute-api:Invoke",
        "Resource": Match.object_like({"Fn::Join": ["", Match.array_with(["/POST/invocations"])]})})]}})


# -- asynchronous ---------------------------------------------------------------------------------------------------
def test_async_endpoint_is_fronted_by_an_express_workflow(stack: cdk.Stack) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=_model(stack))
    api = EndpointApi(stack, "Api", endpoint=ep)
    t = Template.from_stack(stack)
    assert api.routes == ("/async-invocations",) and api.max_payload == ASYNC_MAX_PAYLOAD
    machine_id = stack.get_logical_id(api.state_machine)
    t.has_resource_properties("AWS::StepFunctions::StateMachine", {
        "StateMachineType": "EXPRESS", "TracingConfiguration": {"Enabled": True},
        "LoggingConfiguration": Match.object_like({"Level": "ALL", "IncludeExecutionData": False})})
    definition = json.loads(t.find_resources("AWS::StepFunctions::StateMachine")[machine_id]["Properties"]
                            ["DefinitionString"]["Fn::Sub"][0])
    store, queue = definition["States"]["StorePayload"], definition["States"]["QueueInference"]
    assert store["Resource"].endswith(":states:::aws-sdk:s3:putObject") and store["Next"] == "QueueInference"
    assert store["Parameters"]["Key.$"] == "States.Format('inputs/{}', $.inferenceId)"
    assert queue["Resource"].endswith(":states:::aws-sdk:sagemakerruntime:invokeEndpointAsync")
    assert queue["Parameters"]["InputLocation.$"] == "States.Format('s3://${Bucket}/inputs/{}', $.inferenceId)"
    [post] = _post(t)
    integ = post["Integration"]
    assert ":states:action/StartSyncExecution" in json.dumps(integ["Uri"])
    assert integ["PassthroughBehavior"] == "NEVER"
    assert set(integ["RequestTemplates"]) == {"application/json", "text/csv", "text/plain"}
    assert integ["IntegrationResponses"][0]["StatusCode"] == "202"
    policies = [p["Properties"]["PolicyDocument"]["Statement"]
                for p in t.find_resources("AWS::IAM::ManagedPolicy").values()]
    actions = {json.dumps(s["Action"]) for statements in policies for s in statements}
    assert '"states:StartSyncExecution"' in actions and '"sagemaker:InvokeEndpointAsync"' in actions
    assert '"s3:PutObject"' in actions


def test_async_request_template_builds_valid_json_for_a_payload_with_quotes() -> None:
    """Render the request template the way API Gateway would (escapeJavaScript, then the replaceAll that turns
    \\' back into ') for a JSON body and check that the outer and inner documents parse."""
    stack = cdk.Stack(cdk.App(), "S")
    api = EndpointApi(stack, "Api", endpoint=AsyncEndpoint(stack, "Endpoint", model=_model(stack)))
    [post] = _post(Template.from_stack(stack))
    parts = post["Integration"]["RequestTemplates"]["application/json"]["Fn::Join"][1]
    template = "".join(p if isinstance(p, str) else "arn:machine" for p in parts)
    assert api.state_machine is not None

    def escape_js(s: str) -> str:  # what API Gateway's $util.escapeJavaScript does to these characters
        return s.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'").replace("\n", "\\n")

    body = '{"features": [1, 2.5, "it\'s"], "note": "a \\"quoted\\" word"}\n'
    rendered = template
    for name, value in (("$input.params('Content-Type')", "application/json"), ("$input.body", body)):
        inner = f"$util.escapeJavaScript({name}).replaceAll(\"\\\\'\", \"'\")"
        outer = f"$util.escapeJavaScript({inner}).replaceAll(\"\\\\'\", \"'\")"
        assert outer in rendered
        once = escape_js(value).replace("\\'", "'")
        rendered = rendered.replace(outer, escape_js(once).replace("\\'", "'"))
    rendered = rendered.replace("$context.requestId", "req-1")
    doc = json.loads(rendered)
    assert doc["stateMachineArn"] == "arn:machine"
    assert json.loads(doc["input"]) == {"inferenceId": "req-1", "contentType": "application/json", "body": body}


# -- validation -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("kwargs", "match"), [
    ({"throttle": ApiThrottle(rate_limit=0)}, "throttle.rate_limit must be greater than 0"),
    ({"throttle": ApiThrottle(burst_limit=0)}, "throttle.burst_limit must be at least 1"),
    ({"cors_allow_origin": "*"}, "cors_allow_origin must be one origin"),
    ({"cors_allow_origin": "https://a.example.com/path"}, "cors_allow_origin must be one origin"),
    ({"binary_media_types": ["jpeg"]}, "binary_media_types must hold media types"),
    ({"timeout": Duration.seconds(61)}, "timeout must be 50 ms to 60 s"),
    ({"timeout": Duration.millis(10)}, "timeout must be 50 ms to 60 s"),
    ({"stage_name": "prod.1"}, "stage_name must be 1-128 letters"),
    ({"max_payload": 7 * 1024 * 1024}, "max_payload must be 1 to 6291456 bytes"),
    ({"auth": ApiAuth.api_key(quota_per_day=0)}, "auth.quota_per_day must be at least 1"),
    ({"waf": ApiWaf(requests_per_5_minutes_per_ip=5)}, "waf.requests_per_5_minutes_per_ip must be"),
    ({"waf": ApiWaf(managed_rule_groups=("AWSManagedRulesCommonRuleSet",) * 2)},
     "waf.managed_rule_groups must not repeat"),
])
def test_invalid_options_are_rejected(stack: cdk.Stack, kwargs: dict[str, Any], match: str) -> None:
    ep = _realtime(stack)
    with pytest.raises(ValidationError, match=re.escape(match)):
        EndpointApi(stack, "Api", endpoint=ep, **kwargs)


def test_problems_are_reported_together(stack: cdk.Stack) -> None:
    ep = _realtime(stack)
    with pytest.raises(ValidationError) as info:
        EndpointApi(stack, "Api", endpoint=ep, throttle=ApiThrottle(rate_limit=0, burst_limit=0), stage_name="a b")
    assert len(info.value.problems) == 3 and "TestStack/Api" in str(info.value)


def test_async_endpoint_without_an_input_location_is_refused(stack: cdk.Stack) -> None:
    ep = AsyncEndpoint(stack, "Endpoint", model=_model(stack), output_path="s3://results/out/")
    with pytest.raises(ValidationError, match="endpoint must have an input location"):
        EndpointApi(stack, "Api", endpoint=ep)


def test_variant_routes_need_a_realtime_endpoint(stack: cdk.Stack) -> None:
    ep = ServerlessEndpoint(stack, "Endpoint", model=_model(stack))
    with pytest.raises(ValidationError, match="variant_routes applies only to a RealtimeEndpoint"):
        EndpointApi(stack, "Api", endpoint=ep, variant_routes=True)


def test_timeout_above_29_s_warns_about_the_quota(stack: cdk.Stack) -> None:
    EndpointApi(stack, "Api", endpoint=_realtime(stack), timeout=Duration.seconds(45))
    from aws_cdk.assertions import Annotations
    Annotations.from_stack(stack).has_warning("/TestStack/Api", Match.string_like_regexp("quota increase"))
    [post] = _post(Template.from_stack(stack))
    assert post["Integration"]["TimeoutInMillis"] == 45000


# -- the oracles over the options the example stack does not use ----------------------------------------------------
def _app_with(kind: str) -> cdk.App:
    app = cdk.App()
    stack = cdk.Stack(app, f"Api{kind.title().replace('_', '')}")
    if kind == "async":
        ep: Any = AsyncEndpoint(stack, "Endpoint", model=_model(stack))
        EndpointApi(stack, "Api", endpoint=ep, cors_allow_origin="https://app.example.com")
    elif kind == "cognito":
        pool = cognito.UserPool.from_user_pool_id(stack, "Pool", "us-east-1_abcdefghi")
        EndpointApi(stack, "Api", endpoint=_realtime(stack), auth=ApiAuth.cognito(pool))
    elif kind == "api_key":
        EndpointApi(stack, "Api", endpoint=_realtime(stack), auth=ApiAuth.api_key(quota_per_day=100),
                    waf=ApiWaf(requests_per_5_minutes_per_ip=None), account_logging_role=True)
    else:
        EndpointApi(stack, "Api", endpoint=ServerlessEndpoint(stack, "Endpoint", model=_model(stack)), waf=None)
    return app


@pytest.mark.parametrize("kind", ["async", "cognito", "api_key", "serverless_without_waf"])
def test_other_options_are_clean_under_the_nag_packs_and_cfn_lint(kind: str, cdk_compliance: Any,
                                                                   cdk_lint: Any) -> None:
    app = _app_with(kind)
    cdk_compliance(app)
    stack = next(c for c in app.node.children if isinstance(c, cdk.Stack))
    cdk_lint(Template.from_stack(stack).to_json())


def test_imported_endpoint_is_fronted_as_real_time(stack: cdk.Stack) -> None:
    imported = RealtimeEndpoint.from_endpoint_name(stack, "Imported", "my-endpoint")
    api = EndpointApi(stack, "Api", endpoint=imported)
    t = Template.from_stack(stack)
    assert api.routes == ("/invocations",) and api.max_payload == realtime_max_payload()
    [post] = _post(t)
    assert "runtime.sagemaker:path/endpoints/my-endpoint/invocations" in json.dumps(post["Integration"]["Uri"])
    [policy] = t.find_resources("AWS::IAM::ManagedPolicy").values()
    assert "endpoint/my-endpoint" in json.dumps(policy["Properties"]["PolicyDocument"]["Statement"][0]["Resource"])


def test_account_logging_role_sets_the_account_setting_before_the_stage(stack: cdk.Stack) -> None:
    api = EndpointApi(stack, "Api", endpoint=_realtime(stack), account_logging_role=True)
    t = Template.from_stack(stack)
    [(account_id, account)] = t.find_resources("AWS::ApiGateway::Account").items()
    assert account["Properties"]["CloudWatchRoleArn"]["Fn::GetAtt"][1] == "Arn"
    [stage] = t.find_resources("AWS::ApiGateway::Stage").values()
    assert account_id in stage["DependsOn"]
    t.resource_count_is("AWS::IAM::Policy", 0)
    policies = [p["Properties"] for p in t.find_resources("AWS::IAM::ManagedPolicy").values()]
    assert any("logs:PutLogEvents" in json.dumps(p["PolicyDocument"]) for p in policies)
    assert all("ManagedPolicyArns" not in r["Properties"] for r in t.find_resources("AWS::IAM::Role").values())
    assert api.rest_api is not None


def test_no_account_setting_by_default(stack: cdk.Stack) -> None:
    EndpointApi(stack, "Api", endpoint=_realtime(stack))
    Template.from_stack(stack).resource_count_is("AWS::ApiGateway::Account", 0)


# -- review of issue 21 ---------------------------------------------------------------------------------------------
_OPTIONAL = ("X-Amzn-SageMaker-Custom-Attributes", "X-Amzn-SageMaker-Inference-Id",
             "X-Amzn-SageMaker-Enable-Explanations")


@pytest.mark.parametrize("kind", ["realtime", "variants", "multi_model", "components"])
def test_every_route_passes_invoke_endpoints_optional_headers_through(stack: cdk.Stack, kind: str) -> None:
    """SageMaker drops every header InvokeEndpoint does not define, and API Gateway sends only mapped ones: custom
    attributes (JumpStart's accept_eula=true), the inference id (Model Monitor's ground-truth join) and Clarify's
    EnableExplanations must each be mapped, optional, on every route; the model's custom attributes come back."""
    if kind == "variants":
        ep = RealtimeEndpoint(stack, "Endpoint", variants=[
            ProductionVariant(model=_model(stack, "A"), variant_name="A", instance_type="ml.m5.large"),
            ProductionVariant(model=_model(stack, "B"), variant_name="B", instance_type="ml.m5.large")])
    elif kind == "multi_model":
        ep = RealtimeEndpoint(stack, "Endpoint", instance_type="ml.m5.large", instance_count=1, model=Model(
            stack, "Model", network_isolation=False, containers=[ContainerDefinition(
                image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://bucket/models/"),
                multi_model=True)]))
    elif kind == "components":
        ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
            instance_type="ml.m5.2xlarge", instance_count=1)])
        ep.add_inference_component("Churn", model=_model(stack, "ChurnModel"), memory_mb=1024)
    else:
        ep = _realtime(stack)
    EndpointApi(stack, "Api", endpoint=ep)
    posts = _post(Template.from_stack(stack))
    assert len(posts) >= 1
    for post in posts:
        for header in _OPTIONAL:
            assert post["Integration"]["RequestParameters"][f"integration.request.header.{header}"] == \
                f"method.request.header.{header}"
            assert post["RequestParameters"][f"method.request.header.{header}"] is False
        ok = post["Integration"]["IntegrationResponses"][0]
        assert ok["ResponseParameters"]["method.response.header.X-Amzn-SageMaker-Custom-Attributes"] == \
            "integration.response.header.X-Amzn-SageMaker-Custom-Attributes"
        [declared] = [r for r in post["MethodResponses"] if r["StatusCode"] == "200"]
        assert set(ok["ResponseParameters"]) <= set(declared["ResponseParameters"])


def test_cors_preflight_allows_the_optional_headers_and_exposes_the_answers_headers(stack: cdk.Stack) -> None:
    EndpointApi(stack, "Api", endpoint=_realtime(stack), cors_allow_origin="https://app.example.com")
    t = Template.from_stack(stack)
    [options] = [m["Properties"] for m in _methods(t).values() if m["Properties"]["HttpMethod"] == "OPTIONS"]
    allowed = options["Integration"]["IntegrationResponses"][0]["ResponseParameters"][
        "method.response.header.Access-Control-Allow-Headers"]
    assert all(h in allowed for h in _OPTIONAL)
    [post] = _post(t)
    ok = post["Integration"]["IntegrationResponses"][0]["ResponseParameters"]
    assert ok["method.response.header.Access-Control-Expose-Headers"] == \
        "'X-Invoked-Variant, X-Amzn-SageMaker-Custom-Attributes'"


def test_async_payload_limit_holds_after_the_request_templates_escaping() -> None:
    """The payload reaches Step Functions as a JSON string inside the execution input (256 KiB of UTF-8): a JSON body
    of ASYNC_MAX_PAYLOAD bytes whose every character needs escaping must still fit."""
    def escape_js(s: str) -> str:  # $util.escapeJavaScript for ASCII text: \ " ' / and line breaks take two characters
        return (s.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'").replace("/", "\\/")
                .replace("\n", "\\n"))

    body = '["' + '\\"' * ((ASYNC_MAX_PAYLOAD - 4) // 2) + '"]'
    assert len(body) <= ASYNC_MAX_PAYLOAD and json.loads(body)
    execution_input = ('{"inferenceId": "' + "f" * 36 + '", "contentType": "' + "application/json" * 60 +
                       '", "body": "' + escape_js(body).replace("\\'", "'") + '"}')
    assert json.loads(execution_input)["body"] == body
    assert len(execution_input.encode()) <= 256 * 1024


def test_async_integration_role_may_only_start_the_workflow(stack: cdk.Stack) -> None:
    """API Gateway itself only calls states:StartSyncExecution; the workflow's role stores the payload and calls
    InvokeEndpointAsync (least privilege)."""
    api = EndpointApi(stack, "Api", endpoint=AsyncEndpoint(stack, "Endpoint", model=_model(stack)))
    t = Template.from_stack(stack)
    role_id = _lid(stack, api.role)
    [policy] = [p["Properties"] for p in t.find_resources("AWS::IAM::ManagedPolicy").values()
                if p["Properties"].get("Roles") == [{"Ref": role_id}]]
    assert [s["Action"] for s in policy["PolicyDocument"]["Statement"]] == ["states:StartSyncExecution"]


def test_component_routes_come_from_any_construct_id_or_a_clear_error(stack: cdk.Stack) -> None:
    """A construct id may hold spaces or non-ASCII letters, which an API Gateway path part may not; two ids may differ
    only in case. The route part is sanitized, and a collision is a ValidationError, not a jsii RuntimeError."""
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.m5.2xlarge", instance_count=1)])
    ep.add_inference_component("Churn Model", model=_model(stack, "ChurnModel"), memory_mb=1024)
    ep.add_inference_component("Läufer", model=_model(stack, "RunnerModel"), memory_mb=1024)
    api = EndpointApi(stack, "Api", endpoint=ep)
    assert api.routes == ("/components/churn-model/invocations", "/components/l-ufer/invocations")


def test_component_ids_that_differ_only_in_case_are_refused(stack: cdk.Stack) -> None:
    ep = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.m5.2xlarge", instance_count=1)])
    ep.add_inference_component("Churn", model=_model(stack, "A"), memory_mb=1024)
    ep.add_inference_component("churn", model=_model(stack, "B"), memory_mb=1024)
    with pytest.raises(ValidationError, match=r"distinct, non-empty route path parts.*'Churn', 'churn'"):
        EndpointApi(stack, "Api", endpoint=ep)


def test_grant_invoke_covers_the_multi_model_route_for_any_model(stack: cdk.Stack) -> None:
    """IAM matches execute-api:Invoke against the request's actual path (/models/a.tar.gz/invocations): a literal
    {model} in the granted ARN would match no request, so IAM callers would get 403 on the multi-model route."""
    model = Model(stack, "Model", network_isolation=False, containers=[ContainerDefinition(
        image=ContainerImage.from_uri(IMAGE), model_data=ModelData.from_s3_uri("s3://bucket/models/"),
        multi_model=True)])
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=1)
    api = EndpointApi(stack, "Api", endpoint=ep)
    api.grant_invoke(iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal()))
    [policy] = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    [statement] = policy["Properties"]["PolicyDocument"]["Statement"]
    paths = sorted("".join(p for p in arn["Fn::Join"][1] if isinstance(p, str)).split("/POST", 1)[1]
                   for arn in statement["Resource"])
    assert paths == ["/invocations", "/models/*/invocations"]


def test_web_acl_answers_carry_the_cors_headers(stack: cdk.Stack) -> None:
    """WAF's custom response for a Block replaces API Gateway's answer (gateway responses included): without the CORS
    headers a browser reports a CORS failure instead of the 413 or 429."""
    EndpointApi(stack, "Api", endpoint=_realtime(stack), cors_allow_origin="https://app.example.com")
    [acl] = Template.from_stack(stack).find_resources("AWS::WAFv2::WebACL").values()
    blocks = [r["Action"]["Block"]["CustomResponse"] for r in acl["Properties"]["Rules"] if "Action" in r]
    assert [b["ResponseCode"] for b in blocks] == [413, 429]
    for block in blocks:
        assert block["ResponseHeaders"] == [{"Name": "Access-Control-Allow-Origin", "Value": "https://app.example.com"},
                                            {"Name": "Vary", "Value": "Origin"}]


def test_web_acl_answers_have_no_cors_headers_without_cors(stack: cdk.Stack) -> None:
    EndpointApi(stack, "Api", endpoint=_realtime(stack))
    [acl] = Template.from_stack(stack).find_resources("AWS::WAFv2::WebACL").values()
    assert all("ResponseHeaders" not in r["Action"]["Block"]["CustomResponse"]
               for r in acl["Properties"]["Rules"] if "Action" in r)


def test_async_route_maps_a_denied_integration_role_to_500_not_a_payload_error(stack: cdk.Stack) -> None:
    """StartSyncExecution's 403 (the integration role may not start the workflow) is the API's misconfiguration: 500
    as on the real-time routes, not 400 'send a text payload'. Every 4xx/5xx status is selected exactly once."""
    EndpointApi(stack, "Api", endpoint=AsyncEndpoint(stack, "Endpoint", model=_model(stack)))
    [post] = _post(Template.from_stack(stack))
    responses = post["Integration"]["IntegrationResponses"]
    for status in range(400, 600):
        chosen = [r["StatusCode"] for r in responses if r.get("SelectionPattern")
                  and re.fullmatch(r["SelectionPattern"], str(status))]
        assert len(chosen) == 1, status
        if status == 403:
            assert chosen == ["500"]
            [denied] = [r for r in responses if r.get("SelectionPattern") == "403"]
            assert "payload" not in denied["ResponseTemplates"]["application/json"]
    assert {r["StatusCode"] for r in responses} <= {r["StatusCode"] for r in post["MethodResponses"]}


def test_direct_invocation_multi_container_endpoint_gets_one_route_per_container(stack: cdk.Stack) -> None:
    """SageMaker refuses a request to a direct-invocation multi-container endpoint without TargetContainerHostname
    (developer guide, "Invoke a multi-container endpoint with direct invocation"): a plain /invocations route would
    fail every time, so each container gets its own route that names it."""
    model = Model(stack, "Model", network_isolation=False, inference_execution_mode="Direct", containers=[
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE), hostname="churn"),
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE), hostname="fraud")])
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=1)
    api = EndpointApi(stack, "Api", endpoint=ep)
    assert api.routes == ("/containers/churn/invocations", "/containers/fraud/invocations")
    hosts = sorted(p["Integration"]["RequestParameters"]["integration.request.header.X-Amzn-SageMaker-Target-Container-"
                                                          "Hostname"] for p in _post(Template.from_stack(stack)))
    assert hosts == ["'churn'", "'fraud'"]


def test_serial_inference_pipeline_keeps_the_plain_route(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", network_isolation=False, inference_execution_mode="Serial", containers=[
        ContainerDefinition(image=ContainerImage.from_uri(IMAGE)), ContainerDefinition(image=ContainerImage.from_uri(
            IMAGE))])
    ep = RealtimeEndpoint(stack, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=1)
    assert EndpointApi(stack, "Api", endpoint=ep).routes == ("/invocations",)


def test_stage_names_may_hold_hyphens(stack: cdk.Stack) -> None:
    """API Gateway API reference, Stage: stage names hold letters, digits, hyphens and underscores."""
    EndpointApi(stack, "Api", endpoint=_realtime(stack), stage_name="prod-eu-1")
    Template.from_stack(stack).has_resource_properties("AWS::ApiGateway::Stage", {"StageName": "prod-eu-1"})
