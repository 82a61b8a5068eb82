"""The front door: an API Gateway REST API in front of a SageMaker endpoint, with no Lambda function in the path.

:class:`EndpointApi` answers ``POST /invocations`` with a direct AWS service integration to the SageMaker runtime
(``runtime.sagemaker``, path ``endpoints/<name>/invocations``; SageMaker API reference, InvokeEndpoint). Where the
endpoint has them it adds one route per production variant (``/variants/<name>/invocations``: header
``X-Amzn-SageMaker-Target-Variant``), per inference component (``/components/<id>/invocations``:
``X-Amzn-SageMaker-Inference-Component``) and, on a multi-model endpoint, ``/models/{model}/invocations``
(``X-Amzn-SageMaker-Target-Model``). ``Content-Type`` and ``Accept`` pass through; the body passes through untouched
(binary media types, so images and NumPy arrays are not read as UTF-8 text).

For an asynchronous endpoint the API answers ``POST /async-invocations`` through a Step Functions *express* workflow
that API Gateway runs synchronously (``StartSyncExecution``): it writes the payload under the endpoint's input prefix
(``s3:PutObject``) and calls ``InvokeEndpointAsync`` with the request id as inference id, and the API answers ``202``
with the inference id and the output location. API Gateway cannot chain two integrations, and a synchronous express
execution is the only way without a Lambda function to do both in one request and still return the output location
that SageMaker picks. Its price is Step Functions' payload quota: the execution input is at most 256 KiB of UTF-8
text (Step Functions developer guide, "Service quotas", "Maximum input or output size"), and the payload travels in
it as an escaped JSON string (up to twice its size), so this route takes text payloads (JSON, CSV) up to
:data:`ASYNC_MAX_PAYLOAD` bytes; larger or binary payloads go to S3 directly (see docs/rest-api.md).

Payload limits (413). SageMaker takes at most 6 MB per real-time request (botocore ``BodyBlob`` max, 6291456 bytes;
SageMaker API reference, InvokeEndpoint, Body) and 4 MB on a serverless endpoint (developer guide, "Deploy models
with Amazon SageMaker Serverless Inference": "the maximum request payload size is 4 MB"); API Gateway stops at
10 MB (API Gateway developer guide, "Amazon API Gateway quotas": "Payload size 10 MB", not increasable). API Gateway
has no way to check a body size itself: a request validator checks only parameters and a JSON schema, and a mapping
template cannot answer early. What is enforced, and where:

1. the web ACL (on by default) blocks a request whose ``Content-Length`` header states more than the limit, with
   ``413`` and a JSON body (a regular expression over the header's digits: WAF cannot inspect more than the first
   8-64 KB of a body, but it sees every header);
2. a request above 10 MB gets API Gateway's own ``REQUEST_TOO_LARGE`` gateway response (``413``), rewritten here to
   the same JSON shape;
3. a body that reaches SageMaker anyway (no web ACL, or no ``Content-Length``, e.g. an HTTP/2 stream) is refused by
   the runtime, and its ``413`` is mapped to the same answer.

Errors. SageMaker's error statuses (botocore: ``ValidationError`` 400, ``ModelError`` 424, ``ModelNotReadyException``
429, ``InternalFailure`` 500, ``ServiceUnavailable`` 503, ``InternalDependencyException`` 530) are mapped by
integration responses with selection patterns to small JSON bodies ``{"message": ..., "requestId": ...}``; no
SageMaker message (they name the account, the endpoint, the container's log stream) reaches the client.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from aws_cdk import Annotations, Aws, Duration, Fn, Names, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._checks import to_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path
from cdk_sagemaker.constructs._keys import service_key
from cdk_sagemaker.constructs._nag import acknowledge_all, acknowledge_resource
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.endpoint import EndpointBase
from cdk_sagemaker.constructs.interfaces import IEndpoint
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint
from cdk_sagemaker.errors import Problems

__all__ = ["ASYNC_MAX_PAYLOAD", "ERROR_RESPONSES", "SERVERLESS_MAX_PAYLOAD", "ApiAuth", "ApiThrottle", "ApiWaf",
           "EndpointApi", "content_length_above", "realtime_max_payload"]

#: Serverless Inference's request payload limit: "4 MB" (SageMaker developer guide, "Deploy models with Amazon
#: SageMaker Serverless Inference", feature exclusions and limits). Not in botocore; MB as in the real-time limit,
#: whose botocore value (6291456) is 6 MiB.
SERVERLESS_MAX_PAYLOAD = 4 * 1024 * 1024
#: The Step Functions execution input quota, 256 KiB of UTF-8 text (Step Functions developer guide, "Step Functions
#: service quotas", "Maximum input or output size for a task, state, or execution"), less 8 KiB for the envelope the
#: request template wraps the payload in (inference id, content type), halved because the payload travels as a JSON
#: string: ``$util.escapeJavaScript`` writes every ``"``, ``\``, ``'``, ``/`` and line break as two characters, so a
#: JSON body (all its keys and strings quoted) grows by up to twice its size. Non-ASCII characters become ``\uXXXX``
#: (up to three times their UTF-8 size), which this limit does not cover.
ASYNC_MAX_PAYLOAD = (256 * 1024 - 8 * 1024) // 2
#: API Gateway's hard payload limit (developer guide, "Amazon API Gateway quotas", REST APIs: 10 MB, not increasable).
API_GATEWAY_MAX_PAYLOAD = 10 * 1024 * 1024
#: API Gateway's default maximum integration timeout for REST APIs; regional and private APIs may go higher only
#: after a quota increase (developer guide, "Amazon API Gateway quotas": "Integration timeout ... 50 milliseconds -
#: 29 seconds ... can be raised for Regional and private APIs").
DEFAULT_MAX_INTEGRATION_TIMEOUT_S = 29
#: A real-time endpoint's container must answer InvokeEndpoint within 60 seconds (developer guide, "Host models
#: ... Custom inference code with hosting services": "respond to requests within 60 seconds"); waiting longer is
#: useless.
MAX_INVOCATION_TIMEOUT_S = 60

_JSON = "application/json"
#: Body types that pass through as bytes (everything else is read as UTF-8 text). Common SageMaker input types of
#: the built-in algorithms and framework containers (developer guide, "Common data formats for inference").
_DEFAULT_BINARY_TYPES = ("application/octet-stream", "application/x-npy", "application/x-npz",
                         "application/x-image", "application/x-recordio-protobuf", "application/x-protobuf",
                         "image/*", "audio/*", "video/*")

#: InvokeEndpoint's optional request headers a client may send through the API (SageMaker API reference,
#: InvokeEndpoint, request syntax; botocore ``sagemaker-runtime``): custom attributes for the container (e.g.
#: ``accept_eula=true`` of JumpStart models), the inference id that Model Monitor joins ground truth on (data capture
#: records it), and the SageMaker Clarify online-explanations expression. SageMaker drops every header it does not
#: define, so each one must be mapped explicitly.
_CUSTOM_ATTRIBUTES = "X-Amzn-SageMaker-Custom-Attributes"
_OPTIONAL_HEADERS = (_CUSTOM_ATTRIBUTES, "X-Amzn-SageMaker-Inference-Id", "X-Amzn-SageMaker-Enable-Explanations")

_MEDIA_TYPE = re.compile(r"^[a-z*][a-z0-9!#$&^_.+-]*/[a-z0-9*!#$&^_.+-]+$")


def realtime_max_payload() -> int:
    """InvokeEndpoint's body limit, from botocore (``BodyBlob`` max of ``sagemaker-runtime``)."""
    hi = _limits.bounds("BodyBlob", service="sagemaker-runtime")[1]
    assert hi is not None
    return int(hi)


def _error_status(shape: str) -> int:
    """The HTTP status botocore gives a SageMaker runtime error shape."""
    return int(_limits.shape(shape, service="sagemaker-runtime")["error"]["httpStatusCode"])


def content_length_above(limit: int) -> str:
    """A regular expression (RE2 and Python) that matches a decimal ``Content-Length`` value greater than ``limit``:
    more digits than ``limit``, or as many digits and greater at the first digit that differs. Leading zeros are
    allowed and ignored."""
    digits = str(limit)
    n = len(digits)
    alternatives = [f"[1-9][0-9]{{{n},}}"]
    for i, d in enumerate(digits):
        if d == "9":
            continue
        rest = n - i - 1
        higher = str(int(d) + 1) if d == "8" else f"[{int(d) + 1}-9]"
        alternatives.append(f"{digits[:i]}{higher}" + (f"[0-9]{{{rest}}}" if rest else ""))
    return "^0*(" + "|".join(alternatives) + ")$"


# -- options ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True, slots=True)
class ApiAuth:
    """Who may call the API: choose with :meth:`iam`, :meth:`cognito` or :meth:`api_key`."""

    kind: Literal["iam", "cognito", "api_key"]
    user_pool: cognito.IUserPool | None = None
    scopes: tuple[str, ...] = ()
    quota_per_day: int | None = None

    @classmethod
    def iam(cls) -> ApiAuth:
        """SigV4-signed requests of IAM principals allowed ``execute-api:Invoke`` (:meth:`EndpointApi.grant_invoke`).
        The recommended choice for service-to-service calls."""
        return cls(kind="iam")

    @classmethod
    def cognito(cls, user_pool: cognito.IUserPool, *, scopes: Sequence[str] = ()) -> ApiAuth:
        """An ID token (or, with ``scopes``, an access token with one of those OAuth scopes) of ``user_pool`` in the
        ``Authorization`` header."""
        return cls(kind="cognito", user_pool=user_pool, scopes=tuple(scopes))

    @classmethod
    def api_key(cls, *, quota_per_day: int | None = None) -> ApiAuth:
        """An API key (``x-api-key``) of a usage plan that carries the API's throttle and, optionally, a daily
        quota. API keys identify callers for metering; they are not a strong credential (API Gateway developer
        guide, "Usage plans and API keys": "Don't use API keys for authentication"), so prefer :meth:`iam` or
        :meth:`cognito` for anything sensitive."""
        return cls(kind="api_key", quota_per_day=quota_per_day)


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiThrottle:
    """Steady-state requests per second and burst of the stage (all methods). Default: 50 rps, burst 100: size them
    to what the endpoint's instances sustain, so that excess requests get ``429`` from API Gateway instead of
    queueing at SageMaker."""

    rate_limit: float = 50
    burst_limit: int = 100


@dataclass(frozen=True, kw_only=True, slots=True)
class ApiWaf:
    """A regional WAF web ACL on the stage: the payload-limit rule (``413``), a per-IP rate limit, and the AWS managed
    rule groups ``AWSManagedRulesCommonRuleSet``, ``AWSManagedRulesKnownBadInputsRuleSet`` and
    ``AWSManagedRulesAmazonIpReputationList``. The common rule set's ``SizeRestrictions_BODY`` (which blocks every
    body above 8 KB) is set to count: inference payloads are routinely larger, and the payload rule enforces the
    real limit. Requests are logged to a KMS-encrypted log group, ``Authorization``, ``x-api-key`` and
    ``X-Amzn-SageMaker-Custom-Attributes`` redacted.

    ``requests_per_5_minutes_per_ip``: the rate-based rule's limit (WAF counts over 5 minutes). ``None``: no such rule.
    """

    requests_per_5_minutes_per_ip: int | None = 3000
    managed_rule_groups: tuple[str, ...] = field(default=(
        "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet",
        "AWSManagedRulesAmazonIpReputationList"))


# -- error mapping ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _ErrorResponse:
    pattern: str          #: selection pattern over the backend's HTTP status (Java regex, whole status)
    status: int           #: what the client gets
    message: str


def _error_responses() -> tuple[_ErrorResponse, ...]:
    """SageMaker runtime status -> client status and message, one entry per client status: API Gateway keys an
    integration's responses by their status code, so two responses with the same code would overwrite each other
    (found by deploying to the local AWS). Statuses come from botocore's error shapes."""
    validation, model, not_ready = (_error_status(s) for s in ("ValidationError", "ModelError",
                                                               "ModelNotReadyException"))
    unavailable = _error_status("ServiceUnavailable")
    other_4xx = "40[1-2]|40[4-9]|41[0-24-9]|42[0-35-8]|4[3-9][0-9]"
    other_5xx = "50[0-24-9]|5[1-9][0-9]"
    return (
        _ErrorResponse(f"{validation}|{other_4xx}", 400, "The request was not accepted: check the route, the "
                       "payload and its Content-Type."),
        _ErrorResponse("403", 500, "The API is not allowed to invoke the model."),
        _ErrorResponse("413", 413, "The payload is larger than the model endpoint accepts."),
        _ErrorResponse(f"{model}|{other_5xx}", 502, "The model could not process the request."),
        _ErrorResponse(f"{not_ready}|{unavailable}", 503, "The model endpoint is not ready or unavailable; retry "
                       "shortly."),
    )


#: (selection pattern, client status, message) of every error integration response, in order.
ERROR_RESPONSES: tuple[tuple[str, int, str], ...] = tuple((e.pattern, e.status, e.message)
                                                          for e in _error_responses())

#: A ModelError whose container answered 4xx is the caller's fault (wrong content type, bad input): 400, else 502.
_MODEL_ERROR_TEMPLATE = (
    "#set($code = $input.path('$.OriginalStatusCode'))\n"
    "#if(\"$code\" != \"\" && $code >= 400 && $code < 500)\n"
    "#set($context.responseOverride.status = 400)\n"
    "{\"message\": \"The model rejected the input (status $code): check the payload and its Content-Type.\", "
    "\"requestId\": \"$context.requestId\"}\n"
    "#else\n"
    "{\"message\": \"The model could not process the request.\", \"requestId\": \"$context.requestId\"}\n"
    "#end"
)


def _json_body(message: str, *, request_id: str = "$context.requestId") -> str:
    return json.dumps({"message": message, "requestId": request_id})


def _direct_invocation(model: Model) -> bool:
    """Whether ``model`` is a multi-container model with direct invocation (``InferenceExecutionConfig.Mode``)."""
    config = model.cfn_model.inference_execution_config
    return isinstance(config, sagemaker.CfnModel.InferenceExecutionConfigProperty) and config.mode == "Direct"


def _component_part(construct_id: str) -> str:
    """The route path part of an inference component: its construct id in lower case, every run of characters an
    API Gateway path part may not hold (anything but letters, digits, ``.``, ``_``, ``-``) turned into ``-``."""
    return re.sub(r"[^a-z0-9._-]+", "-", construct_id.lower()).strip("-")


@dataclass(frozen=True, slots=True)
class _Route:
    path: tuple[str, ...]                       #: resource path parts
    headers: Mapping[str, str]                  #: integration header -> method value (static 'x' or method.*)
    path_params: tuple[str, ...] = ()


class EndpointApi(Construct):
    """An HTTPS REST API in front of ``endpoint``: direct SageMaker runtime integration, auth, throttling, access
    logs, tracing, a WAF web ACL, payload limits and clean error answers (see the module docstring).

    Default: IAM (SigV4) auth; 50 rps, burst 100; a web ACL with the AWS managed rules; access and execution
    (errors only, never bodies) logs in KMS-encrypted log groups kept for a year; X-Ray tracing; stage ``prod``;
    integration timeout 29 s; no CORS.

    Attributes: ``rest_api`` (``apigw.RestApi``, ``node.default_child``), ``role`` (the integration role),
    ``policy`` (its managed policy), ``access_log_group``, ``execution_log_group``, ``log_key``, ``url``,
    ``invoke_url``, ``max_payload``; where the options create them ``web_acl``, ``usage_plan`` and ``api_key``
    (``ApiAuth.api_key``), ``state_machine`` (asynchronous endpoints).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        endpoint: EndpointBase | IEndpoint,
        auth: ApiAuth | None = None,
        throttle: ApiThrottle | None = None,
        waf: ApiWaf | None = ApiWaf(),
        cors_allow_origin: str | None = None,
        binary_media_types: Sequence[str] = _DEFAULT_BINARY_TYPES,
        timeout: Duration | None = None,
        stage_name: str = "prod",
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        log_key: kms.IKey | None = None,
        variant_routes: bool | None = None,
        max_payload: int | None = None,
        account_logging_role: bool = False,
    ) -> None:
        """``endpoint``: a RealtimeEndpoint, ServerlessEndpoint or AsyncEndpoint of this app, or an imported one
        (treated as real-time). ``auth``: default ``ApiAuth.iam()``. ``throttle``: default ``ApiThrottle()``.
        ``waf``: ``None`` for no web ACL (then only API Gateway's 10 MB limit and SageMaker's own refusal enforce
        the payload limit). ``cors_allow_origin``: one origin (``https://app.example.com``) allowed to call from a
        browser. ``binary_media_types``: request/response types passed as bytes. ``timeout``: the integration
        timeout, 50 ms to 60 s (above 29 s needs an API Gateway quota increase). ``variant_routes``: one route per
        production variant (default: when the endpoint has two or more). ``max_payload``: bytes per request, at
        most the service limit (default: that limit). ``account_logging_role``: also set the account's API Gateway
        CloudWatch Logs role (``AWS::ApiGateway::Account``), without which API Gateway refuses a stage with logging
        ("CloudWatch Logs role ARN must be set in account settings"). It is one setting per account and Region: let
        one stack own it. Default: off (the setting usually exists already; ``aws apigateway get-account``).
        """
        super().__init__(scope, id)
        self.endpoint = endpoint
        self.auth = auth or ApiAuth.iam()
        self.throttle = throttle or ApiThrottle()
        self._async = isinstance(endpoint, AsyncEndpoint)
        service_limit = (ASYNC_MAX_PAYLOAD if self._async else SERVERLESS_MAX_PAYLOAD
                         if isinstance(endpoint, ServerlessEndpoint) else realtime_max_payload())
        self._validate(service_limit=service_limit, waf=waf, cors_allow_origin=cors_allow_origin,
                       binary_media_types=binary_media_types, timeout=timeout, stage_name=stage_name,
                       max_payload=max_payload, variant_routes=variant_routes)
        #: The largest body (bytes) the API lets through to the endpoint.
        self.max_payload = max_payload if max_payload is not None else service_limit
        self._cors_origin = cors_allow_origin
        self._timeout = timeout or Duration.seconds(DEFAULT_MAX_INTEGRATION_TIMEOUT_S)
        self.log_key = log_key or self._create_log_key()
        self.access_log_group = logs.LogGroup(self, "AccessLogs", retention=log_retention, encryption_key=self.log_key,
                                              removal_policy=RemovalPolicy.RETAIN)
        self.rest_api = self._create_rest_api(stage_name, binary_media_types)
        self.node.default_child = self.rest_api.node.default_child
        self.execution_log_group = self._create_execution_log_group(stage_name, log_retention)
        self._account = self._create_account_logging_role() if account_logging_role else None
        self.role, self.policy = self._create_integration_role()
        self._authorizer = self._create_authorizer()
        self._validator = self.rest_api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True)
        self._gateway_responses()
        self._methods: list[apigw.Method] = []
        self._preflights: list[apigw.Method] = []
        self._state_machine: sfn.CfnStateMachine | None = None
        if self._async:
            assert isinstance(endpoint, AsyncEndpoint)
            self._state_machine = self._create_async_workflow(endpoint)
            self._add_async_route()
        else:
            for route in self._routes(variant_routes):
                self._add_sync_route(route)
        self._usage_plan, self._api_key = self._create_usage_plan()
        self._web_acl = self._create_web_acl(waf) if waf is not None else None
        self._acknowledge()

    # -- validation --------------------------------------------------------------------------------------------------
    def _validate(self, *, service_limit: int, waf: ApiWaf | None, cors_allow_origin: str | None,
                  binary_media_types: Sequence[str],
                  timeout: Duration | None, stage_name: str, max_payload: int | None,
                  variant_routes: bool | None) -> None:
        problems = Problems(node_path(self))
        a = self.auth
        if a.kind == "cognito" and a.user_pool is None:
            problems.add("auth.user_pool", "must be given for Cognito auth (ApiAuth.cognito(user_pool))", None)
        if a.quota_per_day is not None and a.quota_per_day < 1:
            problems.add("auth.quota_per_day", "must be at least 1 request per day", a.quota_per_day)
        t = self.throttle
        if not t.rate_limit > 0:
            problems.add("throttle.rate_limit", "must be greater than 0 requests per second (throttling is always "
                         "on: an unthrottled stage passes up to the account's 10,000 rps to the endpoint)",
                         t.rate_limit)
        if t.burst_limit < 1:
            problems.add("throttle.burst_limit", "must be at least 1", t.burst_limit)
        rate = waf.requests_per_5_minutes_per_ip if waf is not None else None
        lo, hi = _limits.bounds("RateLimit", service="wafv2")
        if rate is not None and not _limits.check_range(rate, lo, hi):
            problems.add("waf.requests_per_5_minutes_per_ip", f"must be {_limits.range_text(lo, hi)} (botocore "
                         "wafv2 RateLimit)", rate)
        if waf is not None and len(set(waf.managed_rule_groups)) != len(waf.managed_rule_groups):
            problems.add("waf.managed_rule_groups", "must not repeat a rule group", list(waf.managed_rule_groups))
        if cors_allow_origin is not None and not is_unresolved(cors_allow_origin) and not re.fullmatch(
                r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", cors_allow_origin):
            problems.add("cors_allow_origin", "must be one origin, scheme://host[:port] without a path (not '*': "
                         "the API takes credentials)", cors_allow_origin)
        for media in binary_media_types:
            if not _MEDIA_TYPE.fullmatch(media):
                problems.add("binary_media_types", "must hold media types such as 'image/*' or "
                             "'application/x-npy'", media)
        if timeout is not None:
            seconds = to_seconds(timeout)
            if seconds is not None and not 0.05 <= seconds <= MAX_INVOCATION_TIMEOUT_S:
                problems.add("timeout", f"must be 50 ms to {MAX_INVOCATION_TIMEOUT_S} s (a SageMaker container "
                             "answers within 60 s)", f"{seconds} s")
            elif seconds is not None and seconds > DEFAULT_MAX_INTEGRATION_TIMEOUT_S:
                Annotations.of(self).add_warning_v2(
                    "cdk-sagemaker:ApiTimeout",
                    f"timeout {seconds} s is above API Gateway's default 29 s integration limit: request the "
                    "'Maximum integration timeout' quota increase for this Region first, or the deployment fails")
        # API Gateway API reference, Stage: "Stage names can only contain alphanumeric characters, hyphens, and
        # underscores. Maximum length is 128 characters."
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,128}", stage_name):
            problems.add("stage_name", "must be 1-128 letters, digits, hyphens or underscores", stage_name)
        if max_payload is not None and not 1 <= max_payload <= service_limit:
            problems.add("max_payload", f"must be 1 to {service_limit} bytes (the endpoint kind's limit)",
                         max_payload)
        if isinstance(self.endpoint, AsyncEndpoint) and self.endpoint.locations.input is None:
            problems.add("endpoint", "must have an input location for the payloads (an AsyncEndpoint with a bucket, "
                         "or input_path=...)", self.endpoint.node.path)
        if isinstance(self.endpoint, RealtimeEndpoint):
            parts: dict[str, list[str]] = {}
            for component in self.endpoint.inference_components:
                parts.setdefault(_component_part(component.node.id), []).append(component.node.id)
            for part, ids in parts.items():
                if len(ids) > 1 or not part:
                    problems.add("endpoint", "inference components need construct ids that make distinct, non-empty "
                                 f"route path parts (/components/<id in lower case>/invocations; {ids} make "
                                 f"{part!r})", ids)
        if variant_routes and not isinstance(self.endpoint, RealtimeEndpoint):
            problems.add("variant_routes", "applies only to a RealtimeEndpoint of this app (its variants are "
                         "known)", variant_routes)
        problems.raise_if_any()

    # -- parts -------------------------------------------------------------------------------------------------------
    def _create_log_key(self) -> kms.Key:
        logs_condition = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                      f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"}}
        return service_key(self, "LogKey", description=f"Encrypts the logs of API {node_path(self)}",
                           service_principals={"logs.amazonaws.com": logs_condition})

    def _create_rest_api(self, stage_name: str, binary_media_types: Sequence[str]) -> apigw.RestApi:
        t = self.throttle
        return apigw.RestApi(
            self, "Resource", rest_api_name=Names.unique_id(self),
            description=f"HTTPS front door of SageMaker endpoint {self.endpoint.node.path}",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            binary_media_types=list(binary_media_types),
            cloud_watch_role=False,
            deploy=True,
            deploy_options=apigw.StageOptions(
                stage_name=stage_name,
                tracing_enabled=True,
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,   # never log request or response bodies (inference payloads)
                metrics_enabled=True,
                throttling_rate_limit=t.rate_limit,
                throttling_burst_limit=t.burst_limit,
                access_log_destination=apigw.LogGroupLogDestination(self.access_log_group),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=True, http_method=True, ip=True, protocol=True, request_time=True,
                    resource_path=True, response_length=True, status=True, user=True),
            ),
        )

    def _create_execution_log_group(self, stage_name: str,
                                    retention: logs.RetentionDays) -> logs.LogGroup:
        """API Gateway writes execution logs to ``API-Gateway-Execution-Logs_<api id>/<stage>``, creating the group
        (unencrypted, kept forever) on first use. Made here first, with the key and retention, and before the stage."""
        group = logs.LogGroup(
            self, "ExecutionLogs", retention=retention, encryption_key=self.log_key,
            removal_policy=RemovalPolicy.RETAIN,
            log_group_name=Fn.join("", ["API-Gateway-Execution-Logs_", self.rest_api.rest_api_id, f"/{stage_name}"]))
        self.rest_api.deployment_stage.node.add_dependency(group)
        return group

    def _create_account_logging_role(self) -> apigw.CfnAccount:
        """The account's API Gateway logging role, with a customer-managed policy instead of the AWS-managed
        AmazonAPIGatewayPushToCloudWatchLogs (same actions): it serves every REST API of the account and Region, whose
        log groups API Gateway names and creates, so it cannot be narrowed to this API's groups."""
        role = iam.Role(self, "AccountLoggingRole", description="API Gateway writes the account's API logs",
                        assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"))
        policy = iam.ManagedPolicy(self, "AccountLoggingPolicy", roles=[role],
                                   description="API Gateway writes the logs of this account's APIs")
        resource = f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"
        policy.add_statements(iam.PolicyStatement(
            actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups",
                     "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"],
            resources=[resource]))
        acknowledge_resource(policy, resource, "The account's API Gateway logging role writes the log groups of "
                             "every REST API of this account and Region, which API Gateway names and creates itself "
                             "(API-Gateway-Execution-Logs_<api id>/<stage>, access log groups): limited to log groups "
                             "of this account and Region.")
        account = apigw.CfnAccount(self, "Account", cloud_watch_role_arn=role.role_arn)
        account.node.add_dependency(policy)
        self.rest_api.deployment_stage.node.add_dependency(account)
        return account

    def _create_integration_role(self) -> tuple[iam.Role, iam.ManagedPolicy]:
        # No aws:SourceAccount/SourceArn condition in the trust policy: API Gateway's documentation for credentials
        # roles shows none, and a condition the service does not send would make every call fail. The role can
        # only be used by an API of this account that names it (iam:PassRole).
        role = iam.Role(self, "IntegrationRole", description=f"API Gateway invokes the endpoint for {node_path(self)}",
                        assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"))
        policy = iam.ManagedPolicy(self, "IntegrationPolicy", roles=[role],
                                   description=f"Invoke exactly the endpoint behind API {node_path(self)}")
        if not self._async:  # for an async endpoint, only the workflow calls SageMaker (states:StartSyncExecution
            # is added with the workflow)
            policy.add_statements(iam.PolicyStatement(actions=["sagemaker:InvokeEndpoint"],
                                                      resources=[self.endpoint.endpoint_arn]))
        return role, policy

    def _create_authorizer(self) -> apigw.IAuthorizer | None:
        if self.auth.kind != "cognito":
            return None
        assert self.auth.user_pool is not None
        return apigw.CognitoUserPoolsAuthorizer(self, "Authorizer", cognito_user_pools=[self.auth.user_pool])

    def _method_options(self) -> dict[str, object]:
        a = self.auth
        if a.kind == "iam":
            return {"authorization_type": apigw.AuthorizationType.IAM}
        if a.kind == "cognito":
            return {"authorization_type": apigw.AuthorizationType.COGNITO, "authorizer": self._authorizer,
                    "authorization_scopes": list(a.scopes) or None}
        return {"authorization_type": apigw.AuthorizationType.NONE, "api_key_required": True}

    def _cors_headers(self) -> dict[str, str]:
        if self._cors_origin is None:
            return {}
        return {"method.response.header.Access-Control-Allow-Origin": f"'{self._cors_origin}'",
                "method.response.header.Vary": "'Origin'"}

    def _gateway_responses(self) -> None:
        """API Gateway's own answers (auth failures, throttling, too large, timeouts) in the same JSON shape."""
        headers = {k.removeprefix("method.response.header."): v for k, v in self._cors_headers().items()}
        answers = {
            "DEFAULT_4XX": (None, "$context.error.message"),
            "DEFAULT_5XX": (None, "Internal server error"),
            "REQUEST_TOO_LARGE": ("413", f"The payload is larger than the API accepts ({self.max_payload} bytes "
                                         "at most)."),
            "THROTTLED": ("429", "Too many requests; retry with backoff."),
            "INTEGRATION_TIMEOUT": ("504", "The model did not answer in time."),
            "UNSUPPORTED_MEDIA_TYPE": ("415", "Unsupported Content-Type for this route."),
        }
        for name, (status, message) in answers.items():
            response_type = getattr(apigw.ResponseType, name.replace("_4XX", "_4_XX").replace("_5XX", "_5_XX"))
            template = ('{"message": $context.error.messageString, "requestId": "$context.requestId"}'
                        if message.startswith("$") else _json_body(message))
            self.rest_api.add_gateway_response(
                name.title().replace("_", ""), type=response_type, status_code=status,
                response_headers=headers or None, templates={_JSON: template})

    def _routes(self, variant_routes: bool | None) -> list[_Route]:
        ep = self.endpoint
        header = "integration.request.header."
        routes: list[_Route] = []
        if isinstance(ep, RealtimeEndpoint) and ep.inference_components:
            # An endpoint with inference components needs InferenceComponentName on every request.
            for component in ep.inference_components:
                routes.append(_Route(("components", _component_part(component.node.id), "invocations"), {
                    f"{header}X-Amzn-SageMaker-Inference-Component":
                        Fn.join("", ["'", component.inference_component_name, "'"])}))
            return routes
        # A multi-container model with direct invocation refuses a request without TargetContainerHostname (developer
        # guide, "Invoke a multi-container endpoint with direct invocation": a validation error): one route per
        # container instead, and no plain route when every variant's model is such a model.
        models = [v.model for v in ep.variants if v.model is not None] if isinstance(ep, RealtimeEndpoint) else []
        direct = [m for m in models if _direct_invocation(m)]
        if not direct or len(direct) < len(models):
            routes.append(_Route(("invocations",), {}))
        for hostname in dict.fromkeys(c.hostname for m in direct for c in m.containers if c.hostname):
            routes.append(_Route(("containers", hostname, "invocations"), {
                f"{header}X-Amzn-SageMaker-Target-Container-Hostname": f"'{hostname}'"}))
        if isinstance(ep, RealtimeEndpoint):
            want = variant_routes if variant_routes is not None else len(ep.variants) > 1
            if want:
                for v in ep.variants:
                    routes.append(_Route(("variants", v.variant_name, "invocations"), {
                        f"{header}X-Amzn-SageMaker-Target-Variant": f"'{v.variant_name}'"}))
            multi = any(c.multi_model for v in ep.variants if v.model is not None for c in v.model.containers)
            if multi:
                routes.append(_Route(("models", "{model}", "invocations"), {
                    f"{header}X-Amzn-SageMaker-Target-Model": "method.request.path.model"}, ("model",)))
        return routes

    def _resource(self, parts: Sequence[str]) -> apigw.IResource:
        res: apigw.IResource = self.rest_api.root
        for part in parts:
            res = res.get_resource(part) or res.add_resource(part)
        return res

    def _add_sync_route(self, route: _Route) -> None:
        name = self.endpoint.endpoint_name
        cors = self._cors_headers()
        passthrough = {"integration.request.header.Content-Type": "method.request.header.Content-Type",
                       "integration.request.header.Accept": "method.request.header.Accept",
                       **{f"integration.request.header.{h}": f"method.request.header.{h}" for h in _OPTIONAL_HEADERS},
                       **route.headers}
        ok_headers = {"method.response.header.Content-Type": "integration.response.header.Content-Type",
                      "method.response.header.X-Invoked-Variant":
                          "integration.response.header.X-Amzn-Invoked-Production-Variant",
                      f"method.response.header.{_CUSTOM_ATTRIBUTES}":
                          f"integration.response.header.{_CUSTOM_ATTRIBUTES}",
                      **cors}
        if cors:  # a browser script reads only the response headers it is told it may (Fetch standard)
            ok_headers["method.response.header.Access-Control-Expose-Headers"] = \
                f"'X-Invoked-Variant, {_CUSTOM_ATTRIBUTES}'"
        error_headers = {"method.response.header.Content-Type": f"'{_JSON}'", **cors}
        responses = [apigw.IntegrationResponse(status_code="200", response_parameters=ok_headers)]
        model_status = str(_error_status("ModelError"))
        for e in _error_responses():
            model_error = model_status in e.pattern.split("|")
            template = _MODEL_ERROR_TEMPLATE if model_error else _json_body(e.message)
            params = dict(error_headers)
            if e.status == 503:
                params["method.response.header.Retry-After"] = "'5'"
            responses.append(apigw.IntegrationResponse(
                selection_pattern=e.pattern, status_code=str(e.status), response_parameters=params,
                response_templates={_JSON: template}, content_handling=apigw.ContentHandling.CONVERT_TO_TEXT))
        integration = apigw.AwsIntegration(
            service="runtime.sagemaker", path=f"endpoints/{name}/invocations", integration_http_method="POST",
            options=apigw.IntegrationOptions(
                credentials_role=self.role, request_parameters=passthrough, integration_responses=responses,
                passthrough_behavior=apigw.PassthroughBehavior.WHEN_NO_TEMPLATES, timeout=self._timeout))
        retry = "method.response.header.Retry-After"
        method_responses = [apigw.MethodResponse(status_code="200", response_parameters={k: True for k in ok_headers})]
        for status in sorted({e.status for e in _error_responses()}):
            declared = [*error_headers, *([retry] if status == 503 else [])]
            method_responses.append(apigw.MethodResponse(status_code=str(status),
                                                         response_parameters={k: True for k in declared}))
        request_parameters = {"method.request.header.Content-Type": True, "method.request.header.Accept": False,
                              **{f"method.request.header.{h}": False for h in _OPTIONAL_HEADERS},
                              **{f"method.request.path.{p}": True for p in route.path_params}}
        resource = self._resource(route.path)
        self._add_method(resource, integration, method_responses, request_parameters)

    def _add_method(self, resource: apigw.IResource, integration: apigw.Integration,
                    method_responses: list[apigw.MethodResponse], request_parameters: dict[str, bool]) -> None:
        options = self._method_options()
        method = resource.add_method(
            "POST", integration, method_responses=method_responses, request_parameters=request_parameters,
            request_validator=self._validator, **options)  # type: ignore[arg-type]
        self._methods.append(method)
        if self._cors_origin is not None and resource.node.try_find_child("OPTIONS") is None:
            preflight = resource.add_cors_preflight(
                allow_origins=[self._cors_origin], allow_methods=["POST", "OPTIONS"],
                allow_headers=["Content-Type", "Accept", "Authorization", "X-Amz-Date", "X-Amz-Security-Token",
                               "X-Api-Key", *(_OPTIONAL_HEADERS if not self._async else ())],
                max_age=Duration.minutes(10))
            self._preflights.append(preflight)

    # -- asynchronous endpoints --------------------------------------------------------------------------------------
    def _create_async_workflow(self, endpoint: AsyncEndpoint) -> sfn.CfnStateMachine:
        loc = endpoint.locations.input
        assert loc is not None  # checked by _validate
        prefix = f"{loc.prefix}/" if loc.prefix else ""
        machine_role = iam.Role(self, "WorkflowRole", description=f"Queues requests of API {node_path(self)}",
                                assumed_by=iam.ServicePrincipal("states.amazonaws.com", conditions={
                                    "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
        machine_policy = iam.ManagedPolicy(self, "WorkflowPolicy", roles=[machine_role],
                                           description=f"Store payloads and queue requests for API {node_path(self)}")
        machine_policy.add_statements(
            iam.PolicyStatement(actions=["s3:PutObject"], resources=[loc.objects_arn]),
            iam.PolicyStatement(actions=["sagemaker:InvokeEndpointAsync"], resources=[endpoint.endpoint_arn]),
            iam.PolicyStatement(actions=["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                                         "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
                                         "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                                         "logs:DescribeLogGroups"], resources=["*"]),
            iam.PolicyStatement(actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords",
                                         "xray:GetSamplingRules", "xray:GetSamplingTargets"], resources=["*"]),
        )
        key = endpoint.bucket.encryption_key if endpoint.locations.bucket is not None else None
        if key is not None:
            machine_policy.add_statements(iam.PolicyStatement(actions=["kms:GenerateDataKey"],
                                                              resources=[key.key_arn]))
        reason_objects = (f"API {node_path(self)} stores each request under the endpoint's input prefix with a key "
                          "made from the request id, known only per request; the grant is limited to that prefix.")
        acknowledge_resource(machine_policy, loc.objects_arn, reason_objects)
        acknowledge_resource(machine_policy, "*", "CloudWatch Logs log delivery (logs:*LogDelivery, "
                             "PutResourcePolicy, Describe*) and X-Ray (PutTraceSegments, ...) support no resource-level"
                             " permissions (Service Authorization Reference); Step Functions needs them to log and "
                             "trace executions.")
        group = logs.LogGroup(self, "WorkflowLogs", retention=logs.RetentionDays.ONE_YEAR,
                              encryption_key=self.log_key, removal_policy=RemovalPolicy.RETAIN)
        definition = {
            "Comment": f"Store the payload and queue an asynchronous inference ({node_path(self)})",
            "StartAt": "StorePayload",
            "States": {
                "StorePayload": {
                    "Type": "Task", "Resource": "arn:${AWS::Partition}:states:::aws-sdk:s3:putObject",
                    "Parameters": {"Bucket": "${Bucket}", "Key.$": f"States.Format('{prefix}{{}}', $.inferenceId)",
                                   "Body.$": "$.body", "ContentType.$": "$.contentType"},
                    "ResultPath": None, "Next": "QueueInference"},
                "QueueInference": {
                    "Type": "Task",
                    "Resource": "arn:${AWS::Partition}:states:::aws-sdk:sagemakerruntime:invokeEndpointAsync",
                    "Parameters": {
                        "EndpointName": "${EndpointName}",
                        "InputLocation.$": f"States.Format('s3://${{Bucket}}/{prefix}{{}}', $.inferenceId)",
                        "ContentType.$": "$.contentType", "InferenceId.$": "$.inferenceId"},
                    "End": True},
            },
        }
        machine = sfn.CfnStateMachine(
            self, "Workflow", state_machine_type="EXPRESS", role_arn=machine_role.role_arn,
            definition_string=Fn.sub(json.dumps(definition),
                                     {"Bucket": loc.bucket_name, "EndpointName": endpoint.endpoint_name}),
            logging_configuration=sfn.CfnStateMachine.LoggingConfigurationProperty(
                level="ALL", include_execution_data=False,    # never log payloads
                destinations=[sfn.CfnStateMachine.LogDestinationProperty(
                    cloud_watch_logs_log_group=sfn.CfnStateMachine.CloudWatchLogsLogGroupProperty(
                        log_group_arn=group.log_group_arn))]),
            tracing_configuration=sfn.CfnStateMachine.TracingConfigurationProperty(enabled=True))
        machine.node.add_dependency(machine_policy)
        self.policy.add_statements(iam.PolicyStatement(actions=["states:StartSyncExecution"],
                                                       resources=[machine.attr_arn]))
        return machine

    def _add_async_route(self) -> None:
        assert self._state_machine is not None
        cors = self._cors_headers()
        esc = "$util.escapeJavaScript({}).replaceAll(\"\\\\'\", \"'\")"
        inner = ('{\\"inferenceId\\": \\"$context.requestId\\", '
                 '\\"contentType\\": \\"' + esc.format(esc.format("$input.params('Content-Type')")) + '\\", '
                 '\\"body\\": \\"' + esc.format(esc.format("$input.body")) + '\\"}')
        request_template = Fn.join("", ['{"stateMachineArn": "', self._state_machine.attr_arn,
                                        '", "input": "', inner, '"}'])
        ok_template = (
            "#set($r = $input.path('$'))\n"
            "#if($r.status == \"SUCCEEDED\")\n"
            "#set($out = $util.parseJson($r.output))\n"
            "{\"inferenceId\": \"$out.InferenceId\", \"outputLocation\": \"$out.OutputLocation\""
            "#if(\"$!out.FailureLocation\" != \"\"), \"failureLocation\": \"$out.FailureLocation\"#end}\n"
            "#else\n"
            "#set($context.responseOverride.status = 502)\n"
            + _json_body("The request could not be queued.") + "\n#end")
        error_headers = {"method.response.header.Content-Type": f"'{_JSON}'", **cors}
        responses = [
            apigw.IntegrationResponse(status_code="202", response_templates={_JSON: ok_template},
                                      response_parameters=error_headers),
            apigw.IntegrationResponse(selection_pattern="40[0-24-9]|4[1-9][0-9]", status_code="400",
                                      response_parameters=error_headers, response_templates={_JSON: _json_body(
                                          f"The request was not accepted: send a text payload (JSON, CSV) of at most "
                                          f"{self.max_payload} bytes.")}),
            # the integration role denied (like the real-time routes): our configuration, not the caller's request
            apigw.IntegrationResponse(selection_pattern="403", status_code="500", response_parameters=error_headers,
                                      response_templates={_JSON: _json_body(
                                          "The API is not allowed to queue the request.")}),
            apigw.IntegrationResponse(selection_pattern="5[0-9][0-9]", status_code="502",
                                      response_parameters=error_headers,
                                      response_templates={_JSON: _json_body("The request could not be queued.")}),
        ]
        integration = apigw.AwsIntegration(
            service="states", action="StartSyncExecution", integration_http_method="POST",
            options=apigw.IntegrationOptions(
                credentials_role=self.role, integration_responses=responses,
                request_templates={t: request_template for t in (_JSON, "text/csv", "text/plain")},
                passthrough_behavior=apigw.PassthroughBehavior.NEVER, timeout=self._timeout))
        method_responses = [apigw.MethodResponse(status_code=s, response_parameters={k: True for k in error_headers})
                            for s in ("202", "400", "500", "502")]
        self._add_method(self._resource(("async-invocations",)), integration, method_responses,
                         {"method.request.header.Content-Type": True})

    # -- usage plan, WAF, acknowledgements ---------------------------------------------------------------------------
    def _create_usage_plan(self) -> tuple[apigw.UsagePlan | None, apigw.IApiKey | None]:
        if self.auth.kind != "api_key":
            return None, None
        quota = (apigw.QuotaSettings(limit=self.auth.quota_per_day, period=apigw.Period.DAY)
                 if self.auth.quota_per_day is not None else None)
        plan = self.rest_api.add_usage_plan(
            "UsagePlan", description=f"Callers of API {node_path(self)}",
            throttle=apigw.ThrottleSettings(rate_limit=self.throttle.rate_limit,
                                            burst_limit=self.throttle.burst_limit), quota=quota)
        plan.add_api_stage(stage=self.rest_api.deployment_stage)
        key = self.rest_api.add_api_key("ApiKey", description=f"Key of API {node_path(self)} (read its value with "
                                        "aws apigateway get-api-key --include-value)")
        plan.add_api_key(key)
        return plan, key

    def _create_web_acl(self, waf: ApiWaf) -> wafv2.CfnWebACL:
        uid = Names.unique_id(self)
        # A Block action's custom response replaces anything API Gateway would answer (WAF developer guide, "Custom
        # responses for Block actions"), so the CORS headers of the gateway responses must be repeated here, or a
        # browser shows a CORS failure instead of the 413/429. Any header name but content-type may be sent.
        cors = [wafv2.CfnWebACL.CustomHTTPHeaderProperty(name=k.removeprefix("method.response.header."),
                                                          value=v.strip("'"))
                for k, v in self._cors_headers().items()] or None
        visibility = wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=f"{uid}")
        rules: list[wafv2.CfnWebACL.RuleProperty] = [wafv2.CfnWebACL.RuleProperty(
            name="PayloadLimit", priority=0,
            statement=wafv2.CfnWebACL.StatementProperty(regex_match_statement=wafv2.CfnWebACL.RegexMatchStatementProperty(
                regex_string=content_length_above(self.max_payload),
                field_to_match=wafv2.CfnWebACL.FieldToMatchProperty(
                    single_header={"Name": "content-length"}),
                text_transformations=[wafv2.CfnWebACL.TextTransformationProperty(priority=0, type="NONE")])),
            action=wafv2.CfnWebACL.RuleActionProperty(block=wafv2.CfnWebACL.BlockActionProperty(
                custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                    response_code=413, custom_response_body_key="PayloadTooLarge", response_headers=cors))),
            visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                cloud_watch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=f"{uid}PayloadLimit"))]
        if waf.requests_per_5_minutes_per_ip is not None:
            rules.append(wafv2.CfnWebACL.RuleProperty(
                name="RatePerIp", priority=1,
                statement=wafv2.CfnWebACL.StatementProperty(rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                    limit=waf.requests_per_5_minutes_per_ip, aggregate_key_type="IP")),
                action=wafv2.CfnWebACL.RuleActionProperty(block=wafv2.CfnWebACL.BlockActionProperty(
                    custom_response=wafv2.CfnWebACL.CustomResponseProperty(
                        response_code=429, custom_response_body_key="TooManyRequests", response_headers=cors))),
                visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                    cloud_watch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=f"{uid}RatePerIp")))
        for i, rule_group in enumerate(waf.managed_rule_groups):
            overrides = ([wafv2.CfnWebACL.RuleActionOverrideProperty(
                name="SizeRestrictions_BODY", action_to_use=wafv2.CfnWebACL.RuleActionProperty(count={}))]
                if rule_group == "AWSManagedRulesCommonRuleSet" else None)
            rules.append(wafv2.CfnWebACL.RuleProperty(
                name=rule_group, priority=10 + i, override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                        vendor_name="AWS", name=rule_group, rule_action_overrides=overrides)),
                visibility_config=wafv2.CfnWebACL.VisibilityConfigProperty(
                    cloud_watch_metrics_enabled=True, sampled_requests_enabled=True, metric_name=f"{uid}{rule_group}")))
        acl = wafv2.CfnWebACL(
            self, "WebAcl", scope="REGIONAL", default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
            description=f"Protects API {node_path(self)}", visibility_config=visibility, rules=rules,
            custom_response_bodies={
                "PayloadTooLarge": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=json.dumps({"message": f"The payload is larger than the model endpoint accepts "
                                                   f"({self.max_payload} bytes at most)."})),
                "TooManyRequests": wafv2.CfnWebACL.CustomResponseBodyProperty(
                    content_type="APPLICATION_JSON",
                    content=json.dumps({"message": "Too many requests from this address; retry later."})),
            })
        wafv2.CfnWebACLAssociation(self, "WebAclAssociation", web_acl_arn=acl.attr_arn,
                                   resource_arn=self.rest_api.deployment_stage.stage_arn)
        # WAF logs to CloudWatch Logs only into groups named aws-waf-logs-* (WAF developer guide, "Sending web ACL
        # traffic logs to an Amazon CloudWatch Logs log group"). Retained, so the name must not repeat when the stack
        # is created again: the stack id's UUID is new each time.
        stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
        name = Fn.join("", [f"aws-waf-logs-{uid[-40:]}-", stack_uuid])
        group = logs.LogGroup(self, "WafLogs", log_group_name=name, retention=logs.RetentionDays.ONE_YEAR,
                              encryption_key=self.log_key, removal_policy=RemovalPolicy.RETAIN)
        logging = wafv2.CfnLoggingConfiguration(
            self, "WafLogging", resource_arn=acl.attr_arn,
            log_destination_configs=[f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{name}"],
            # credentials, and the custom attributes botocore marks sensitive (they may carry tokens) now that the
            # API passes them through
            redacted_fields=[wafv2.CfnLoggingConfiguration.FieldToMatchProperty(
                single_header={"Name": h}) for h in ("authorization", "x-api-key", _CUSTOM_ATTRIBUTES.lower())])
        logging.node.add_dependency(group)
        return acl

    def _acknowledge(self) -> None:
        stage = self.rest_api.deployment_stage
        acknowledge_all(stage, [
            ("NIST.800.53.R5-APIGWCacheEnabledAndEncrypted",
             "Inference answers depend on the request body, which API Gateway's cache key cannot include: a cache "
             "would serve one caller's prediction to another. No cache, so nothing cached to encrypt."),
            ("HIPAA.Security-APIGWCacheEnabledAndEncrypted",
             "Inference answers depend on the request body, which API Gateway's cache key cannot include: a cache "
             "would serve one caller's prediction (possibly PHI) to another. No cache, so nothing cached to encrypt."),
            ("NIST.800.53.R5-APIGWSSLEnabled",
             "A stage client certificate authenticates API Gateway to HTTP backends; this API's only integrations are "
             "AWS service integrations, signed with SigV4 over TLS by the integration role."),
            ("HIPAA.Security-APIGWSSLEnabled",
             "A stage client certificate authenticates API Gateway to HTTP backends; this API's only integrations are "
             "AWS service integrations, signed with SigV4 over TLS by the integration role."),
        ])
        if self._web_acl is None:
            acknowledge_all(stage, [
                ("AwsSolutions-APIG3", "Created with waf=None on purpose; the stage has no web ACL."),
                ("NIST.800.53.R5-APIGWAssociatedWithWAF", "Created with waf=None on purpose; the stage has no web "
                 "ACL."),
            ])
        reasons: list[tuple[str, str]] = []
        if self.auth.kind == "iam":
            reasons.append(("AwsSolutions-COG4", "The method uses IAM (SigV4) authorization: callers are IAM "
                            "principals granted execute-api:Invoke, not Cognito users."))
        elif self.auth.kind == "api_key":
            reasons.extend([
                ("AwsSolutions-APIG4", "ApiAuth.api_key was chosen: callers present an API key of the usage plan "
                 "(metering and throttling per key) instead of an authorizer."),
                ("AwsSolutions-COG4", "ApiAuth.api_key was chosen: callers present an API key, not a Cognito token."),
            ])
        for method in self._methods:
            acknowledge_all(method, reasons)
        for preflight in self._preflights:
            acknowledge_all(preflight, [
                ("AwsSolutions-APIG4", "CORS preflight (OPTIONS) requests carry no credentials (Fetch standard); the "
                 "method is a MOCK integration that returns only the CORS headers."),
                ("AwsSolutions-COG4", "CORS preflight (OPTIONS) requests carry no credentials (Fetch standard); the "
                 "method is a MOCK integration that returns only the CORS headers."),
            ])

    # -- public API --------------------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The stage's base URL (``https://<id>.execute-api.<region>.amazonaws.com/<stage>/``)."""
        return self.rest_api.url

    @property
    def invoke_url(self) -> str:
        """The URL of the main route: ``.../invocations`` (``.../async-invocations`` for an asynchronous endpoint;
        the first component's route on an inference-component endpoint)."""
        first = self._methods[0].resource.path
        return self.rest_api.url_for_path(first)

    @property
    def web_acl(self) -> wafv2.CfnWebACL:
        return configured(self._web_acl, self, "web_acl", "the API was created with waf=None")

    @property
    def usage_plan(self) -> apigw.UsagePlan:
        return configured(self._usage_plan, self, "usage_plan", "only ApiAuth.api_key() creates a usage plan")

    @property
    def api_key(self) -> apigw.IApiKey:
        return configured(self._api_key, self, "api_key", "only ApiAuth.api_key() creates an API key")

    @property
    def state_machine(self) -> sfn.CfnStateMachine:
        return configured(self._state_machine, self, "state_machine",
                          "only an API in front of an AsyncEndpoint has a workflow")

    @property
    def routes(self) -> tuple[str, ...]:
        """The resource paths of the invocation routes, e.g. ``('/invocations', '/variants/A/invocations')``."""
        return tuple(m.resource.path for m in self._methods)

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` call the invocation routes of the stage (``execute-api:Invoke``; with ``ApiAuth.iam``)."""
        # method_arn writes a path parameter ({model}) as *: the ARN IAM matches holds the request's actual path
        # (API Gateway developer guide, "Control access to a REST API with IAM permissions", resource ARN format).
        arns = [m.method_arn for m in self._methods]
        return iam.Grant.add_to_principal(grantee=grantee, actions=["execute-api:Invoke"], resource_arns=arns)

    @property
    def stack(self) -> Stack:
        return Stack.of(self)
