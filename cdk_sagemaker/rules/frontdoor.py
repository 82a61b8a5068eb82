"""Readiness rules 9180-9199: an API Gateway REST API in front of a SageMaker endpoint (the "front door").

They read ``AWS::ApiGateway::Method`` resources whose integration is an AWS service integration (``Type: AWS``)
that calls SageMaker, and the REST API, stage and roles around them. Sources:

- SageMaker runtime API reference, InvokeEndpoint (``POST /endpoints/EndpointName/invocations``) and
  InvokeEndpointAsync (``POST /endpoints/EndpointName/async-invocations``, ``X-Amzn-SageMaker-InputLocation``
  required): https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
- API Gateway developer guide, "Set up an API integration request": the URI of an AWS integration is
  ``arn:aws:apigateway:{region}:{subdomain.service|service}:path|action/{service_api}``, and REST-style services
  (SageMaker's runtime among them) are called by ``path``:
  https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html
- API Gateway quotas (integration timeout 50 ms - 29 s by default; above only for Regional and private APIs after
  a quota increase; payload 10 MB): https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
- Binary media types: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import (
    Template,
    all_variants,
    as_list,
    config_of_endpoint,
    find_string,
    get,
    inference_components,
    number,
    policy_statements,
    props,
    refs_in,
    resource,
    resources,
    role_allows,
    role_visible,
    target,
    type_of,
    variants,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "api-gateway"]
_RUNTIME_URL = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html"
_INTEGRATION_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html"
_QUOTAS_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
_BINARY_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html"

#: ``arn:<partition>:apigateway:<region>:<service>:<path|action>/<rest>``
_URI = re.compile(r"^arn:[^:]*:apigateway:[^:]*:(?P<service>[^:]+):(?P<kind>path|action)/(?P<rest>.*)$")
_RUNTIME_PATH = re.compile(r"^/?endpoints/[^/]+/(?P<op>invocations|async-invocations)$")
_RUNTIME_ACTIONS = {"invokeendpoint", "invokeendpointasync", "invokeendpointwithresponsestream"}
_HEADER = "integration.request.header."
#: API Gateway's default maximum integration timeout (REST APIs), and SageMaker's 60 s for a container to answer.
_DEFAULT_TIMEOUT_MS = 29000
_SAGEMAKER_TIMEOUT_MS = 60000


class _Integration(NamedTuple):
    """A SageMaker integration of an API Gateway method (a NamedTuple: cfn-lint loads plugin files outside
    ``sys.modules``)."""

    method_id: str
    method: Mapping[str, Any]        #: the method's Properties
    integration: Mapping[str, Any]
    service: str
    kind: str                        #: "path" or "action"
    rest: str                        #: what follows path/ or action/
    endpoint_id: str | None          #: the AWS::SageMaker::Endpoint of this template the URI names

    @property
    def path(self) -> list[Any]:
        return ["Resources", self.method_id, "Properties", "Integration"]

    @property
    def operation(self) -> str | None:
        """"invocations" or "async-invocations" for a well-formed runtime path; None otherwise."""
        m = _RUNTIME_PATH.match(self.rest) if self.kind == "path" else None
        return m["op"] if m else None

    @property
    def api_id(self) -> str | None:
        return target(self.method.get("RestApiId"))

    def finding(self, what: str, *keys: str) -> RuleMatch:
        return RuleMatch([*self.path, *keys], f"Method {self.method_id}: {what}")


def _integrations(t: Template) -> Iterator[_Integration]:
    for method_id, method in resources(t, "AWS::ApiGateway::Method"):
        p = props(method)
        integration = p.get("Integration")
        if not isinstance(integration, Mapping) or integration.get("Type") not in ("AWS", "AWS_PROXY"):
            continue
        m = _URI.match(find_string(t, integration.get("Uri")))
        if m is None:
            continue
        service, kind, rest = m["service"], m["kind"], m["rest"]
        is_runtime = service == "runtime.sagemaker"
        is_misrouted = service == "sagemaker" and kind == "action" and rest.lower() in _RUNTIME_ACTIONS
        if not (is_runtime or is_misrouted):
            continue
        endpoint = next((r for r in sorted(refs_in(integration.get("Uri")))
                         if type_of(t, r) == "AWS::SageMaker::Endpoint"), None)
        yield _Integration(method_id, p, integration, service, kind, rest, endpoint)


class _FrontDoorRule(TemplateRule):
    tags: list[str] = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for integration in _integrations(t):
            yield from self.check(t, integration)

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        raise NotImplementedError


class IntegrationTargetsWrongApi(_FrontDoorRule, CloudFormationLintRule):
    """An API Gateway integration must call the SageMaker *runtime* by path:
    ``runtime.sagemaker:path/endpoints/<name>/invocations`` (or ``async-invocations``).
    ``sagemaker:action/InvokeEndpoint`` calls the control-plane service, which has no such action, and
    ``runtime.sagemaker:action/...`` is not how a REST-style service is called; any other path is not a runtime
    operation. Every request then fails. Sources: SageMaker API reference, InvokeEndpoint request syntax,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html; API Gateway developer
    guide, "Set up an API integration request",
    https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html."""

    id = "E9180"
    shortdesc = "API integration does not call the SageMaker runtime's invocations path"
    description = "An AWS integration to SageMaker must use runtime.sagemaker:path/endpoints/<name>/invocations"
    source_url = _RUNTIME_URL

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        if i.service == "sagemaker":
            yield i.finding(f"the integration URI calls sagemaker:action/{i.rest}, the control-plane API, which has "
                            "no invoke action: use runtime.sagemaker:path/endpoints/<name>/invocations", "Uri")
        elif i.kind == "action":
            yield i.finding(f"the integration URI calls runtime.sagemaker:action/{i.rest}; the SageMaker runtime is "
                            "called by path: runtime.sagemaker:path/endpoints/<name>/invocations", "Uri")
        elif i.operation is None:
            yield i.finding(f"the integration path {i.rest!r} is not a SageMaker runtime operation: use "
                            "endpoints/<name>/invocations or endpoints/<name>/async-invocations", "Uri")


class IntegrationHttpMethodNotPost(_FrontDoorRule, CloudFormationLintRule):
    """InvokeEndpoint and InvokeEndpointAsync are ``POST`` operations: an integration that calls the runtime with
    another ``IntegrationHttpMethod`` (GET, as the AWS Solutions Constructs pattern did) is refused. Source:
    SageMaker API reference, InvokeEndpoint request syntax,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html."""

    id = "E9181"
    shortdesc = "SageMaker runtime integration not called with POST"
    description = "IntegrationHttpMethod of a SageMaker runtime integration must be POST"
    source_url = _RUNTIME_URL

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        method = i.integration.get("IntegrationHttpMethod")
        if i.service == "runtime.sagemaker" and isinstance(method, str) and method.upper() != "POST":
            yield i.finding(f"IntegrationHttpMethod is {method}; the SageMaker runtime's invoke operations are POST",
                            "IntegrationHttpMethod")


class IntegrationWithoutCredentials(_FrontDoorRule, CloudFormationLintRule):
    """An AWS service integration signs its request with the role in ``Credentials`` (or, with
    ``arn:aws:iam::*:user/*``, the caller's own IAM credentials). Without it API Gateway has nothing to sign the
    call to SageMaker with and every request fails with 500. Source: API Gateway developer guide, "Set up an API
    integration request" (credentials of an AWS integration),
    https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-request-basic-setup.html."""

    id = "E9182"
    shortdesc = "SageMaker runtime integration without credentials"
    description = "An AWS integration to SageMaker needs Credentials (an IAM role API Gateway assumes)"
    source_url = _INTEGRATION_URL

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        if i.service == "runtime.sagemaker" and i.integration.get("Credentials") in (None, ""):
            yield i.finding("the integration has no Credentials: give it a role that API Gateway assumes and that "
                            "may invoke the endpoint")


class IntegrationRoleCannotInvoke(_FrontDoorRule, CloudFormationLintRule):
    """The integration role must be allowed ``sagemaker:InvokeEndpoint`` (``InvokeEndpointAsync`` for
    ``async-invocations``) on the endpoint it calls, or SageMaker answers 403 (AccessDenied) to every request.
    Checked when the role and all its policies are in the template. Sources: SageMaker runtime API reference,
    InvokeEndpoint, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html;
    Service Authorization Reference, Amazon SageMaker AI (InvokeEndpoint on the endpoint resource),
    https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html."""

    id = "E9183"
    shortdesc = "Integration role may not invoke the endpoint"
    description = "The integration's Credentials role lacks sagemaker:InvokeEndpoint(Async) on the endpoint"
    source_url = _RUNTIME_URL

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        op = i.operation
        role = target(i.integration.get("Credentials"))
        if op is None or role is None or not role_visible(t, role):
            return
        action = "sagemaker:InvokeEndpointAsync" if op == "async-invocations" else "sagemaker:InvokeEndpoint"
        ids = (i.endpoint_id,) if i.endpoint_id is not None else ()
        if not role_allows(t, role, action, resource_ids=ids):
            what = f"endpoint {i.endpoint_id}" if i.endpoint_id else "the endpoint"
            yield i.finding(f"integration role {role} is not allowed {action} on {what}: every request would be "
                            "denied (403)", "Credentials")


class AsyncIntegrationWithoutInputLocation(_FrontDoorRule, CloudFormationLintRule):
    """InvokeEndpointAsync takes no body: the payload must already be in S3 and its URI is the required
    ``X-Amzn-SageMaker-InputLocation`` header. An ``async-invocations`` integration that does not set that header
    fails every request with a ValidationError (store the payload first, e.g. in a Step Functions express workflow).
    Source: SageMaker API reference, InvokeEndpointAsync,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html."""

    id = "E9184"
    shortdesc = "Async invocation integration without InputLocation"
    description = "An async-invocations integration must set the X-Amzn-SageMaker-InputLocation header"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointAsync.html"

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        if i.operation != "async-invocations":
            return
        params = i.integration.get("RequestParameters")
        keys = {k.lower() for k in params} if isinstance(params, Mapping) else set()
        if f"{_HEADER}x-amzn-sagemaker-inputlocation" not in keys:
            yield i.finding("the async-invocations integration does not set integration.request.header."
                            "X-Amzn-SageMaker-InputLocation: InvokeEndpointAsync reads the payload from S3 and "
                            "rejects a request without its location")


class TargetVariantNotOnEndpoint(_FrontDoorRule, CloudFormationLintRule):
    """A route that pins ``X-Amzn-SageMaker-Target-Variant`` to a fixed value must name a production variant of the
    endpoint's config; SageMaker rejects any other name (ValidationError) on every request. Checked when the
    endpoint and its config are in the template. Source: SageMaker API reference, InvokeEndpoint, TargetVariant,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html."""

    id = "E9185"
    shortdesc = "Route targets a variant the endpoint does not have"
    description = "A static X-Amzn-SageMaker-Target-Variant must name a production variant of the endpoint"
    source_url = _RUNTIME_URL

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        params = i.integration.get("RequestParameters")
        if not isinstance(params, Mapping) or i.endpoint_id is None:
            return
        value = next((v for k, v in params.items() if k.lower() == f"{_HEADER}x-amzn-sagemaker-target-variant"),
                     None)
        if not (isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'"):
            return
        config = config_of_endpoint(t, resource(t, i.endpoint_id) or {})
        if config is None:
            return
        names = [v.get("VariantName") for v in variants(resource(t, config))]
        if any(not isinstance(n, str) for n in names):
            return
        if value[1:-1] not in names:
            yield i.finding(f"the route pins X-Amzn-SageMaker-Target-Variant to {value[1:-1]!r}, which is not a "
                            f"production variant of endpoint {i.endpoint_id} ({', '.join(map(str, names))})",
                            "RequestParameters")


class _TimeoutRule(_FrontDoorRule):
    source_url = _QUOTAS_URL

    @staticmethod
    def timeout(i: _Integration) -> float | None:
        return number(i.integration.get("TimeoutInMillis"))


class IntegrationTimeoutOnEdgeApi(_TimeoutRule, CloudFormationLintRule):
    """An integration timeout above 29 seconds is only possible for Regional and private REST APIs (after a quota
    increase); an edge-optimized API, the default when ``EndpointConfiguration`` is absent, cannot have one and the
    deployment fails. Source: API Gateway quotas, "Integration timeout",
    https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html."""

    id = "E9186"
    shortdesc = "Integration timeout above 29 s on an edge-optimized API"
    description = "TimeoutInMillis above 29000 needs a Regional or private REST API"

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        ms = self.timeout(i)
        if ms is None or ms <= _DEFAULT_TIMEOUT_MS or i.api_id is None:
            return
        types = as_list(get(props(resource(t, i.api_id)), "EndpointConfiguration", "Types"))
        if not types or "EDGE" in types:
            yield i.finding(f"TimeoutInMillis is {ms:.0f} on an edge-optimized API ({i.api_id}); only Regional and "
                            "private APIs may exceed 29000 ms", "TimeoutInMillis")


class IntegrationTimeoutNeedsQuota(_TimeoutRule, CloudFormationLintRule):
    """An integration timeout above API Gateway's default 29 seconds needs the "Maximum integration timeout" quota
    raised for the Region first (and may lower the account's throttle quota); without it the deployment fails.
    Above 60 seconds it is also longer than a SageMaker container may take to answer InvokeEndpoint. Sources: API
    Gateway quotas, https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html; SageMaker developer
    guide, "How containers serve requests" (answer within 60 s),
    https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html."""

    id = "W9187"
    shortdesc = "Integration timeout above API Gateway's 29 s default"
    description = "TimeoutInMillis above 29000 needs a quota increase; above 60000 outlasts SageMaker's limit"

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        ms = self.timeout(i)
        if ms is None or ms <= _DEFAULT_TIMEOUT_MS or i.service != "runtime.sagemaker":
            return
        extra = (" and is longer than the 60 s a SageMaker container may take to answer" if ms > _SAGEMAKER_TIMEOUT_MS
                 else "")
        yield i.finding(f"TimeoutInMillis is {ms:.0f}, above the default 29000 ms limit: request the 'Maximum "
                        f"integration timeout' quota increase for the Region before deploying{extra}",
                        "TimeoutInMillis")


class ApiWithoutBinaryMediaTypes(_FrontDoorRule, CloudFormationLintRule):
    """Without ``BinaryMediaTypes`` API Gateway treats every body as UTF-8 text: images, NumPy arrays and protobuf
    payloads reach the model corrupted, and binary answers come back corrupted too. A REST API with a real-time
    SageMaker integration should list the binary types its clients send. Source: API Gateway developer guide,
    "Binary media types for REST APIs",
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html."""

    id = "W9188"
    shortdesc = "SageMaker API without binary media types"
    description = "A REST API in front of a real-time endpoint should set BinaryMediaTypes"
    source_url = _BINARY_URL
    unique = True

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        if i.operation != "invocations" or i.api_id is None:
            return
        api = resource(t, i.api_id)
        if api is not None and api.get("Type") == "AWS::ApiGateway::RestApi" and \
                not props(api).get("BinaryMediaTypes") and not props(api).get("Body"):
            yield RuleMatch(["Resources", i.api_id, "Properties"],
                            f"RestApi {i.api_id}: no BinaryMediaTypes, but method {i.method_id} passes bodies to "
                            "SageMaker; binary payloads (images, application/x-npy, ...) would be read as UTF-8 text "
                            "and corrupted")


class StageWithoutThrottling(TemplateRule, CloudFormationLintRule):
    """A stage whose methods call SageMaker should set a throttle (``MethodSettings`` with ``ThrottlingRateLimit``
    for ``/*/*``); otherwise only the account-level limit (10,000 requests per second per Region) stands between
    clients and the endpoint's instances, and a burst queues at SageMaker instead of getting 429 from API Gateway.
    Source: API Gateway developer guide, "Throttle requests to your REST APIs",
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html."""

    id = "W9189"
    shortdesc = "SageMaker API stage without throttling"
    description = "A stage of a REST API in front of SageMaker should throttle requests"
    source_url = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        apis = {i.api_id for i in _integrations(t) if i.api_id is not None}
        planned = {target(get(stage, "ApiId")) for _, plan in resources(t, "AWS::ApiGateway::UsagePlan")
                   for stage in as_list(props(plan).get("ApiStages")) if get(props(plan), "Throttle") is not None}
        stages: list[tuple[str, Any, Any, list[Any]]] = []
        for stage_id, stage in resources(t, "AWS::ApiGateway::Stage"):
            p = props(stage)
            stages.append((stage_id, p.get("RestApiId"), p.get("MethodSettings"), ["Properties"]))
        for dep_id, deployment in resources(t, "AWS::ApiGateway::Deployment"):
            p = props(deployment)
            if p.get("StageName"):  # a deployment with StageName creates that stage, set up by StageDescription
                description = get(p, "StageDescription")
                settings = as_list(get(description, "MethodSettings"))
                if isinstance(description, Mapping) and description.get("ThrottlingRateLimit") is not None:
                    settings.append({"HttpMethod": "*", "ResourcePath": "/*/*",
                                     "ThrottlingRateLimit": description["ThrottlingRateLimit"]})
                stages.append((dep_id, p.get("RestApiId"), settings, ["Properties"]))
        for stage_id, api_value, method_settings, path in stages:
            api = target(api_value)
            if api not in apis or api in planned:
                continue
            settings = [s for s in as_list(method_settings) if isinstance(s, Mapping)]
            if not any(s.get("ThrottlingRateLimit") is not None and s.get("HttpMethod") == "*" and
                       s.get("ResourcePath") in ("/*", "/*/*") for s in settings):
                yield RuleMatch(["Resources", stage_id, *path],
                                f"Stage of {stage_id}: no throttle for all methods (MethodSettings ResourcePath "
                                f"'/*/*' with ThrottlingRateLimit) on API {api}, whose methods call SageMaker")

class IntegrationResponsesShareStatus(_FrontDoorRule, CloudFormationLintRule):
    """API Gateway keys a method's integration responses by their ``StatusCode`` (PutIntegrationResponse takes the
    status code as its key), so two integration responses with the same ``StatusCode`` but different selection
    patterns overwrite each other: only one survives, and the backend statuses the other selected fall through to
    the default response (a SageMaker error answered as 200, or with the wrong message). Give each distinct client
    status one integration response and join the patterns with ``|``. Found by deploying to the local AWS, whose API
    Gateway keeps the same map. Source: API Gateway API reference, PutIntegrationResponse (``statusCode`` is part of
    the request URI), https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegrationResponse.html."""

    id = "W9190"
    shortdesc = "Integration responses share a status code"
    description = "Two IntegrationResponses of one SageMaker integration have the same StatusCode"
    source_url = "https://docs.aws.amazon.com/apigateway/latest/api/API_PutIntegrationResponse.html"

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        seen: dict[str, int] = {}
        for n, response in enumerate(as_list(i.integration.get("IntegrationResponses"))):
            code = get(response, "StatusCode")
            if not isinstance(code, str | int):
                continue
            if str(code) in seen:
                yield i.finding(f"IntegrationResponses {seen[str(code)]} and {n} both have StatusCode {code}; API "
                                "Gateway keeps only one of them: join their SelectionPatterns with '|'",
                                "IntegrationResponses", str(n))
            else:
                seen[str(code)] = n


class IntegrationPassesNothing(_FrontDoorRule, CloudFormationLintRule):
    """With ``PassthroughBehavior: NEVER`` API Gateway passes a request body through only when a mapping template
    matches its ``Content-Type``, and answers ``415 Unsupported Media Type`` otherwise; an integration to the
    SageMaker runtime with ``NEVER`` and no ``RequestTemplates`` therefore refuses every request. (Use
    ``WHEN_NO_TEMPLATES`` to pass bodies through untouched.) Source: API Gateway developer guide, "Method request
    behavior for payloads without mapping templates",
    https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html."""

    id = "E9191"
    shortdesc = "SageMaker integration that refuses every body"
    description = "PassthroughBehavior NEVER without RequestTemplates answers 415 to every request"
    source_url = "https://docs.aws.amazon.com/apigateway/latest/developerguide/integration-passthrough-behaviors.html"

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        behavior = i.integration.get("PassthroughBehavior")
        if i.operation is None or not isinstance(behavior, str) or behavior.upper() != "NEVER":
            return
        if not i.integration.get("RequestTemplates"):
            yield i.finding("PassthroughBehavior is NEVER and there are no RequestTemplates: API Gateway answers 415 "
                            "to every request instead of passing the body to SageMaker (use WHEN_NO_TEMPLATES)",
                            "PassthroughBehavior")


class IntegrationWithoutRequiredTarget(_FrontDoorRule, CloudFormationLintRule):
    """Some endpoints refuse a plain InvokeEndpoint: one that hosts inference components needs
    ``X-Amzn-SageMaker-Inference-Component`` on every request, and one whose models are multi-container models with
    direct invocation (``InferenceExecutionConfig.Mode: Direct``) needs ``X-Amzn-SageMaker-Target-Container-Hostname``.
    An integration to such an endpoint of this template that does not set the header gets a ValidationError on every
    request. Sources: SageMaker API reference, InvokeEndpoint (InferenceComponentName),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html; SageMaker developer
    guide, "Invoke a multi-container endpoint with direct invocation" (a request without TargetContainerHostname is a
    validation error), https://docs.aws.amazon.com/sagemaker/latest/dg/multi-container-direct.html."""

    id = "E9193"
    shortdesc = "Integration without the target header its endpoint requires"
    description = ("An integration to an inference-component or direct-invocation endpoint must set "
                   "X-Amzn-SageMaker-Inference-Component or -Target-Container-Hostname")
    source_url = _RUNTIME_URL

    def check(self, t: Template, i: _Integration) -> Iterator[RuleMatch]:
        if i.operation != "invocations" or i.endpoint_id is None:
            return
        params = i.integration.get("RequestParameters")
        keys = {k.lower() for k in params} if isinstance(params, Mapping) else set()
        if inference_components(t, i.endpoint_id) and f"{_HEADER}x-amzn-sagemaker-inference-component" not in keys:
            yield i.finding(f"endpoint {i.endpoint_id} hosts inference components, and the integration does not set "
                            "integration.request.header.X-Amzn-SageMaker-Inference-Component: SageMaker refuses every "
                            "request without it")
            return
        config = config_of_endpoint(t, resource(t, i.endpoint_id) or {})
        if config is None or f"{_HEADER}x-amzn-sagemaker-target-container-hostname" in keys:
            return
        models = [target(v.get("ModelName")) for key, _, v in all_variants(resource(t, config))
                  if key == "ProductionVariants"]
        modes = [get(props(resource(t, m)), "InferenceExecutionConfig", "Mode")
                 if type_of(t, m) == "AWS::SageMaker::Model" else None for m in models]
        if modes and all(mode == "Direct" for mode in modes):
            yield i.finding(f"the models of endpoint {i.endpoint_id} use direct invocation, and the integration does "
                            "not set integration.request.header.X-Amzn-SageMaker-Target-Container-Hostname: SageMaker "
                            "refuses every request without it")


#: A path parameter (``{model}``, ``{proxy+}``) in an execute-api ARN; ``${...}`` is an IAM policy variable.
_PATH_PARAMETER = re.compile(r"(?<!\$)\{[^}/]*\}")
_IAM_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html"


class InvokeGrantWithPathParameter(TemplateRule, CloudFormationLintRule):
    """An IAM statement that allows ``execute-api:Invoke`` on an ARN whose resource path holds a path parameter as
    written in the API (``.../POST/models/{model}/invocations``) matches no request: IAM compares the ARN with the
    request's actual path (``/models/churn.tar.gz/invocations``), so the caller gets 403 on that route. Write the
    parameter as ``*`` (CDK's ``Method.method_arn`` does; ``RestApi.arn_for_execute_api`` with a resource path does
    not). Source: API Gateway developer guide, "Control access to a REST API with IAM permissions", resource format
    ``arn:aws:execute-api:region:account-id:api-id/stage-name/HTTP-VERB/resource-path-specifier``,
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html."""

    id = "E9192"
    shortdesc = "execute-api:Invoke granted on a path with a {parameter}"
    description = "An execute-api ARN with a literal {path parameter} matches no request; use * for the parameter"
    source_url = _IAM_URL
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        documents: list[tuple[Any, list[Any]]] = []
        for name, pol in resources(t, "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            documents.append((props(pol).get("PolicyDocument"), ["Resources", name, "Properties", "PolicyDocument"]))
        for name, holder in resources(t, "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"):
            for i, pol in enumerate(as_list(props(holder).get("Policies"))):
                documents.append((get(pol, "PolicyDocument"),
                                  ["Resources", name, "Properties", "Policies", i, "PolicyDocument"]))
        for document, path in documents:
            for statement in policy_statements(document, path):
                if statement.effect != "Allow" or not any(
                        fnmatch.fnmatchcase("execute-api:invoke", a.lower()) for a in statement.actions):
                    continue
                for n, value in enumerate(statement.resources):
                    arn = find_string(t, value)
                    _, sep, rest = arn.partition(":execute-api:")
                    found = _PATH_PARAMETER.search(rest) if sep else None
                    if found:
                        yield RuleMatch([*statement.path, "Resource", n],
                                        f"{path[1]}: execute-api:Invoke on {arn!r}, whose path holds "
                                        f"{found.group(0)}: IAM matches the request's actual path, so this grants "
                                        "nothing on that route (write the parameter as *)")
