"""Route a request through a REST API deployed to the local AWS, to the local SageMaker runtime.

moto holds an API Gateway API's definition but executes no AWS integration except DynamoDB's, so
``https://<id>.execute-api...`` cannot reach a SageMaker endpoint. :func:`invoke_route` plays API Gateway's part for
the pieces an :class:`~cdk_sagemaker.EndpointApi` uses, reading everything from what was deployed (not from the
template):

- the stage's web ACL: rules with a ``RegexMatchStatement`` on one header and a ``Block`` action with a custom response
  (the payload-limit rule) are evaluated; other rules (managed rule groups, rate limits) are not, and are listed in
  :attr:`RouteAnswer.not_evaluated`;
- the method request's required headers and path parameters (the request validator's parameter check);
- the integration's request parameters (static ``'value'``, ``method.request.header.*``, ``method.request.path.*``)
  turned into InvokeEndpoint's headers, and its URI's endpoint name;
- the integration response whose selection pattern matches the runtime's HTTP status, with its JSON template
  (``$context.requestId`` filled in; templates with VTL directives are returned unrendered).

Authorization, throttling, mapping templates of requests, and Step Functions integrations (asynchronous endpoints) are
not emulated: :class:`UnsupportedRouteError` says so.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["RouteAnswer", "UnsupportedRouteError", "invoke_route"]

_RUNTIME_URI = re.compile(r"^arn:[^:]*:apigateway:[^:]*:runtime\.sagemaker:path/endpoints/(?P<name>[^/]+)/invocations$")
#: InvokeEndpoint parameter for each integration request header.
_HEADERS = {"content-type": "ContentType", "accept": "Accept",
            "x-amzn-sagemaker-target-variant": "TargetVariant", "x-amzn-sagemaker-target-model": "TargetModel",
            "x-amzn-sagemaker-inference-component": "InferenceComponentName",
            "x-amzn-sagemaker-target-container-hostname": "TargetContainerHostname",
            "x-amzn-sagemaker-custom-attributes": "CustomAttributes",
            "x-amzn-sagemaker-inference-id": "InferenceId",
            "x-amzn-sagemaker-enable-explanations": "EnableExplanations"}


class UnsupportedRouteError(Exception):
    """The route uses something :func:`invoke_route` does not emulate."""


@dataclass(frozen=True, slots=True)
class RouteAnswer:
    """What the client would get: status, headers, body; and what the router did not evaluate."""

    status: int
    headers: dict[str, str]
    body: bytes
    #: where the answer came from: "waf", "validator", "integration" or "integration-response"
    source: str
    not_evaluated: tuple[str, ...] = field(default=())


def _match_path(template: str, path: str) -> dict[str, str] | None:
    t, p = template.strip("/").split("/"), path.strip("/").split("/")
    if len(t) != len(p):
        return None
    params: dict[str, str] = {}
    for a, b in zip(t, p, strict=True):
        if a.startswith("{") and a.endswith("}"):
            params[a[1:-1].rstrip("+")] = b
        elif a != b:
            return None
    return params


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((v for k, v in headers.items() if k.lower() == name.lower()), None)


def _waf(client_for: Callable[[str], Any], web_acl_arn: str | None, headers: Mapping[str, str]) \
        -> tuple[RouteAnswer | None, tuple[str, ...]]:
    if not web_acl_arn:
        return None, ()
    waf = client_for("wafv2")
    parts = web_acl_arn.split("/")
    scope = "CLOUDFRONT" if parts[0].endswith(":global") else "REGIONAL"
    acl = waf.get_web_acl(Name=parts[-2], Scope=scope, Id=parts[-1])["WebACL"]
    skipped: list[str] = []
    for rule in sorted(acl.get("Rules", []), key=lambda r: r.get("Priority", 0)):
        regex = rule.get("Statement", {}).get("RegexMatchStatement")
        block = rule.get("Action", {}).get("Block")
        header = (regex or {}).get("FieldToMatch", {}).get("SingleHeader", {}).get("Name")
        if regex is None or block is None or header is None:
            skipped.append(rule["Name"])
            continue
        value = _header(headers, header)
        if value is not None and re.search(regex["RegexString"], value):
            custom = block.get("CustomResponse", {})
            body_key = custom.get("CustomResponseBodyKey")
            body = acl.get("CustomResponseBodies", {}).get(body_key, {}).get("Content", "") if body_key else ""
            out = {h["Name"]: h["Value"] for h in custom.get("ResponseHeaders", [])}
            return RouteAnswer(int(custom.get("ResponseCode", 403)), {"Content-Type": "application/json", **out},
                               body.encode(), "waf", tuple(skipped)), tuple(skipped)
    return None, tuple(skipped)


def invoke_route(client_for: Callable[[str], Any], *, rest_api_id: str, path: str, body: bytes,
                 headers: Mapping[str, str], stage: str = "prod", http_method: str = "POST") -> RouteAnswer:
    """Send ``body`` with ``headers`` to ``path`` (``/invocations``, ``/variants/A/invocations``) of the deployed
    API ``rest_api_id``; ``client_for(service)`` gives boto3 clients of the local AWS (``LocalAws.client``)."""
    apigw = client_for("apigateway")
    request_id = str(uuid.uuid4())
    web_acl = apigw.get_stage(restApiId=rest_api_id, stageName=stage).get("webAclArn")
    blocked, not_evaluated = _waf(client_for, web_acl, {**headers, "content-length": str(len(body))})
    if blocked is not None:
        return blocked
    resources = apigw.get_resources(restApiId=rest_api_id, limit=500)["items"]
    found = next(((r, p) for r in resources if (p := _match_path(r["path"], path)) is not None
                  and http_method in r.get("resourceMethods", {})), None)
    if found is None:
        return RouteAnswer(403, {"Content-Type": "application/json"}, b'{"message": "Missing Authentication Token"}',
                           "validator", not_evaluated)
    resource, path_params = found
    method = apigw.get_method(restApiId=rest_api_id, resourceId=resource["id"], httpMethod=http_method)
    for name, required in (method.get("requestParameters") or {}).items():
        kind, _, key = name.removeprefix("method.request.").partition(".")
        present = _header(headers, key) if kind == "header" else path_params.get(key)
        if required and present is None:
            return RouteAnswer(400, {"Content-Type": "application/json"},
                               f'{{"message": "Missing required request parameters: [{key}]"}}'.encode(),
                               "validator", not_evaluated)
    integration = method["methodIntegration"]
    m = _RUNTIME_URI.match(integration.get("uri", ""))
    if integration.get("type") != "AWS" or m is None:
        raise UnsupportedRouteError(f"{path}: only AWS integrations to the SageMaker runtime's invocations path are "
                               f"routed locally, not {integration.get('type')} {integration.get('uri')}")
    call: dict[str, Any] = {"EndpointName": m["name"], "Body": body}
    for target, source in (integration.get("requestParameters") or {}).items():
        if not target.startswith("integration.request.header."):
            continue
        header = target.removeprefix("integration.request.header.").lower()
        if source.startswith("'") and source.endswith("'"):
            value: str | None = source[1:-1]
        elif source.startswith("method.request.header."):
            value = _header(headers, source.removeprefix("method.request.header."))
        elif source.startswith("method.request.path."):
            value = path_params.get(source.removeprefix("method.request.path."))
        else:
            raise UnsupportedRouteError(f"{path}: request parameter source {source!r} is not emulated")
        if value is not None and header in _HEADERS:
            call[_HEADERS[header]] = value
    from botocore.exceptions import ClientError

    try:
        answer = client_for("sagemaker-runtime").invoke_endpoint(**call)
        status, out = 200, answer["Body"].read()
        out_headers = {"Content-Type": answer.get("ContentType", "application/octet-stream")}
        if answer.get("InvokedProductionVariant"):
            out_headers["X-Invoked-Variant"] = answer["InvokedProductionVariant"]
        if answer.get("CustomAttributes"):
            out_headers["X-Amzn-SageMaker-Custom-Attributes"] = answer["CustomAttributes"]
    except ClientError as error:
        status = int(error.response["ResponseMetadata"]["HTTPStatusCode"])
        out, out_headers = b"", {}
    responses = integration.get("integrationResponses") or {}
    chosen = next((r for r in responses.values() if r.get("selectionPattern")
                   and re.fullmatch(r["selectionPattern"], str(status))), None)
    if chosen is None:
        chosen = next((r for r in responses.values() if not r.get("selectionPattern")), None)
    if chosen is None:
        raise UnsupportedRouteError(f"{path}: no integration response for status {status}")
    if not chosen.get("selectionPattern"):
        return RouteAnswer(int(chosen["statusCode"]), out_headers, out, "integration", not_evaluated)
    template = (chosen.get("responseTemplates") or {}).get("application/json", "")
    if not template.lstrip().startswith("#"):
        template = template.replace("$context.requestId", request_id)
    return RouteAnswer(int(chosen["statusCode"]), {"Content-Type": "application/json"}, template.encode(),
                       "integration-response", not_evaluated)
