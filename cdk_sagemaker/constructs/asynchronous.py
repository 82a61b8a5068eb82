"""Asynchronous endpoints: queued requests with payloads in S3, long processing, results in S3 and SNS."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from aws_cdk import Aws
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path
from cdk_sagemaker.constructs._keys import service_key
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs._s3uri import s3_uri_problems
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.deployment import DeploymentStrategy
from cdk_sagemaker.constructs.endpoint import EndpointBase, VariantSpec, instance_problems, variant_name_problems
from cdk_sagemaker.constructs.metrics import QueueMetrics
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.storage import SecureBucket
from cdk_sagemaker.errors import Problem, Problems

__all__ = ["AsyncEndpoint", "AsyncLocations", "AsyncTopics"]

_S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(?P<key>\S*))?$")

#: ``include_inference_response_in`` names -> botocore's ``AsyncNotificationTopicTypes`` values.
_RESPONSE_IN: dict[str, str] = {"success": "SUCCESS_NOTIFICATION_TOPIC", "error": "ERROR_NOTIFICATION_TOPIC"}

#: What the execution role needs on the output and failure locations: SageMaker uploads results (multipart for
#: large ones) with the model's execution role ("Asynchronous inference prerequisites",
#: https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint-prerequisites.html).
_WRITE_ACTIONS = ("s3:PutObject", "s3:AbortMultipartUpload")
#: SSE-KMS: writing needs a data key, multipart uploads also decrypt it; reading decrypts.
_KMS_WRITE_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt")
_KMS_READ_ACTIONS = ("kms:Decrypt",)
#: Publishing to an SSE-KMS topic needs a data key from the topic's key (Amazon SNS developer guide, "Key management").
_KMS_PUBLISH_ACTIONS = ("kms:GenerateDataKey", "kms:Decrypt")

_DEFAULT_PREFIXES: dict[str, str] = {"input_prefix": "inputs/", "output_prefix": "outputs/",
                                     "failure_prefix": "failures/"}


@dataclass(frozen=True, kw_only=True, slots=True)
class AsyncLocations:
    """Where an asynchronous endpoint reads requests and writes results: what :meth:`AsyncEndpoint._create_locations`
    computes. ``bucket`` is None with ``output_path`` URIs; ``output``, ``failure`` and ``input`` are the parsed
    locations (None for a token URI or one not given)."""

    bucket: s3.IBucket | None
    output_path: str
    failure_path: str | None
    input_path: str | None
    output: _Location | None
    failure: _Location | None
    input: _Location | None
    output_kms_key: kms.IKey | None

    def _bucket_key(self) -> kms.IKey | None:
        return self.bucket.encryption_key if self.bucket is not None else None

    def grant_execution_role(self, model: Model, *, reason: str) -> None:
        """Let ``model``'s execution role write results and failures and read inputs (exactly those prefixes, whose
        wildcard findings are acknowledged with ``reason``) and use the keys involved."""
        writes = [loc.objects_arn for loc in (self.output, self.failure) if loc is not None]
        if writes:
            model.add_to_role_policy(iam.PolicyStatement(actions=list(_WRITE_ACTIONS), resources=writes))
        reads = [self.input.objects_arn] if self.input is not None else []
        if reads:
            model.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=reads))
        for arn in (*writes, *reads):
            model.acknowledge_role_grant(arn, reason)
        if self.output_kms_key is not None:
            model.add_to_role_policy(iam.PolicyStatement(actions=list(_KMS_WRITE_ACTIONS),
                                                         resources=[self.output_kms_key.key_arn]))
        bucket_key = self._bucket_key()
        if bucket_key is not None and bucket_key is not self.output_kms_key:
            # Inputs in the bucket are encrypted with the bucket's key; results use output_kms_key.
            model.add_to_role_policy(iam.PolicyStatement(actions=list(_KMS_READ_ACTIONS),
                                                         resources=[bucket_key.key_arn]))

    def grant_caller(self, grant: iam.Grant, grantee: iam.IGrantable) -> iam.Grant:
        """``grant`` combined with ``grantee`` writing request payloads to the input location, reading results and
        failures, and using the keys involved."""
        if self.input is not None:
            grant = grant.combine(iam.Grant.add_to_principal(grantee=grantee, actions=["s3:PutObject"],
                                                             resource_arns=[self.input.objects_arn]))
        reads = [loc.objects_arn for loc in (self.output, self.failure) if loc is not None]
        if reads:
            grant = grant.combine(iam.Grant.add_to_principal(grantee=grantee, actions=["s3:GetObject"],
                                                             resource_arns=reads))
        keys: list[kms.IKey] = []
        for key in (self._bucket_key(), self.output_kms_key):
            if key is not None and all(key is not k for k in keys):
                keys.append(key)
        if keys:
            grant = grant.combine(iam.Grant.add_to_principal(
                grantee=grantee, actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resource_arns=[k.key_arn for k in keys]))
        return grant


@dataclass(frozen=True, kw_only=True, slots=True)
class AsyncTopics:
    """The notification topics of an asynchronous endpoint and the key of those it created: what
    :meth:`AsyncEndpoint._create_topics` computes."""

    success: sns.ITopic | None
    error: sns.ITopic | None
    key: kms.IKey | None

    def grant_publish(self, model: Model) -> None:
        """Let ``model``'s execution role publish to the topics and use their keys."""
        topics = [t for t in (self.success, self.error) if t is not None]
        if topics:
            model.add_to_role_policy(iam.PolicyStatement(actions=["sns:Publish"],
                                                         resources=[t.topic_arn for t in topics]))
        topic_keys: list[kms.IKey] = []
        for topic in topics:
            if topic.master_key is not None and all(topic.master_key is not k for k in topic_keys):
                topic_keys.append(topic.master_key)
        if topic_keys:
            model.add_to_role_policy(iam.PolicyStatement(actions=list(_KMS_PUBLISH_ACTIONS),
                                                         resources=[k.key_arn for k in topic_keys]))


@dataclass(frozen=True, slots=True)
class _Location:
    """An S3 location: a bucket name (may be a token) and a key prefix without a trailing ``/``."""

    bucket_name: str
    prefix: str

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket_name}/{self.prefix}/" if self.prefix else f"s3://{self.bucket_name}/"

    @property
    def objects_arn(self) -> str:
        key = f"{self.prefix}/*" if self.prefix else "*"
        return f"arn:{Aws.PARTITION}:s3:::{self.bucket_name}/{key}"


def _parse(uri: str | None) -> _Location | None:
    if uri is None or is_unresolved(uri):
        return None
    match = _S3_URI.match(uri)
    if match is None:
        return None
    return _Location(match["bucket"], (match["key"] or "").strip("/"))


# -- validators of the async options (each returns its problems) ----------------------------------------------------
def _client_problems(value: int | None) -> list[Problem]:
    problems = Problems("")
    if value is None or is_unresolved(value):
        return []
    lo, hi = _limits.member_bounds("AsyncInferenceClientConfig", "MaxConcurrentInvocationsPerInstance")
    if not _limits.check_range(value, lo, hi):
        problems.add("max_concurrent_invocations_per_instance", f"must be {_limits.range_text(lo, hi)}", value)
    return list(problems.items)


def _location_problems(output_bucket: s3.IBucket | None, prefixes: dict[str, str | None],
                       paths: dict[str, str | None]) -> list[Problem]:
    problems = Problems("")
    given_prefixes = [name for name, value in prefixes.items() if value is not None]
    if paths["output_path"] is not None:
        if output_bucket is not None:
            problems.add_message("output_bucket and output_path are exclusive: pass a bucket (with prefixes) "
                                 "or s3:// URIs, got both")
        for name in given_prefixes:
            problems.add(name, "applies only to a bucket (output_bucket or the created one), not with "
                         "output_path", prefixes[name])
    else:
        for name in ("failure_path", "input_path"):
            if paths[name] is not None:
                problems.add(name, "requires output_path (pass all locations as s3:// URIs, or use "
                             "output_bucket with prefixes)", paths[name])
    _, max_len = _limits.bounds("DestinationS3Uri")
    for name, uri in paths.items():
        if uri is None or is_unresolved(uri):
            continue
        messages = s3_uri_problems(name, uri, shape="DestinationS3Uri", key="optional")
        for msg in messages:
            problems.add_message(msg)
        if not messages and (not _S3_URI.match(uri) or not _limits.matches("DestinationS3Uri", uri)):
            problems.add(name, f"must be an s3://bucket/prefix URI of at most {max_len} characters", uri)
    parsed = {name: _parse(uri) for name, uri in paths.items()}
    out, fail, inp = parsed["output_path"], parsed["failure_path"], parsed["input_path"]
    if out is not None and fail is not None and out == fail:
        problems.add("failure_path", f"must differ from output_path ({paths['output_path']!r}) so that failures "
                     "and results can be told apart", paths["failure_path"])
    if inp is not None and inp in (out, fail):
        problems.add("input_path", "must differ from output_path and failure_path", paths["input_path"])
    seen: dict[str, str] = {}
    for name, default in _DEFAULT_PREFIXES.items():
        value = prefixes[name]
        if value is None:
            value = default
        elif is_unresolved(value):
            continue
        elif not value.strip("/") or value.startswith("/") or any(c.isspace() for c in value):
            problems.add(name, "must be a non-empty S3 key prefix without a leading '/' or white space", value)
            continue
        key = value.strip("/")
        if key in seen:
            problems.add(name, f"must differ from {seen[key]} ({key + '/'!r})", value)
        seen.setdefault(key, name)
    return list(problems.items)


def _notification_problems(notifications: bool, success_topic: sns.ITopic | None, error_topic: sns.ITopic | None,
                           include_response_in: Sequence[str]) -> list[Problem]:
    problems = Problems("")
    if not notifications:
        for name, topic in (("success_topic", success_topic), ("error_topic", error_topic)):
            if topic is not None:
                problems.add_message(f"{name} requires notifications=True, got notifications=False and a topic")
    allowed = _limits.enum("AsyncNotificationTopicTypes")
    for value in include_response_in:
        if value not in _RESPONSE_IN or _RESPONSE_IN[value] not in allowed:
            problems.add("include_inference_response_in", "must list 'success' and/or 'error'", value)
        elif not notifications:
            problems.add("include_inference_response_in", "requires notifications=True", value)
    if len(set(include_response_in)) != len(include_response_in):
        problems.add("include_inference_response_in", "must not repeat a topic", list(include_response_in))
    return list(problems.items)


class AsyncEndpoint(EndpointBase, QueueMetrics):
    """An asynchronous SageMaker endpoint: callers put the payload (up to 1 GB) in S3 and call
    ``InvokeEndpointAsync``; SageMaker queues the request, processes it (up to an hour), writes the result to the
    output location (or the error to the failure location) and notifies SNS. It can scale to zero instances while
    the queue is empty (``auto_scaling`` with ``min_capacity=0``)::

        AsyncEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.xlarge")

    Where results go, one of:

    - nothing given: a new :class:`SecureBucket` (retained, versioned, TLS-only, KMS) with ``inputs/``,
      ``outputs/`` and ``failures/`` prefixes;
    - ``output_bucket``: your bucket, with the same prefixes (``input_prefix``, ``output_prefix``,
      ``failure_prefix`` rename them);
    - ``output_path`` (and optionally ``failure_path``, ``input_path``): ``s3://`` URIs anywhere.

    The model's execution role may write exactly the output and failure prefixes, read exactly the input prefix,
    publish to exactly the two topics and use exactly the KMS keys involved.

    Default: ``ml.m5.xlarge``, one instance, variant ``AllTraffic``, a new bucket, new KMS-encrypted TLS-only
    success and error topics, SageMaker's own choice of concurrent invocations per instance, a new KMS key for the
    storage volumes (as :class:`RealtimeEndpoint`), no auto-scaling, no deployment guardrail.

    Attributes (besides the base's): ``output_path``; and, where the options create them, ``bucket`` (not with
    ``output_path``), ``failure_path`` and ``input_path`` (with a bucket, or when given as URIs), ``output_kms_key``
    (given, or the bucket's key), ``success_topic`` and ``error_topic`` (with notifications), ``topic_key`` (when a
    topic was created). Reading one that the options did not create raises
    :class:`~cdk_sagemaker.errors.NotConfiguredError` (an ``AttributeError``: ``getattr(endpoint, name, None)``
    tests for it).
    """

    _INVOKE_ACTIONS = ("sagemaker:InvokeEndpointAsync",)


    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: Model,
        instance_type: str = "ml.m5.xlarge",
        instance_count: int = 1,
        variant_name: str = "AllTraffic",
        output_bucket: s3.IBucket | None = None,
        input_prefix: str | None = None,
        output_prefix: str | None = None,
        failure_prefix: str | None = None,
        output_path: str | None = None,
        failure_path: str | None = None,
        input_path: str | None = None,
        output_kms_key: kms.IKey | None = None,
        notifications: bool = True,
        success_topic: sns.ITopic | None = None,
        error_topic: sns.ITopic | None = None,
        include_inference_response_in: Sequence[Literal["success", "error"]] = (),
        max_concurrent_invocations_per_instance: int | None = None,
        kms_key: kms.IKey | None = None,
        auto_scaling: AutoScaling | None = None,
        deployment: DeploymentStrategy | None = None,
    ) -> None:
        """``input_prefix`` / ``output_prefix`` / ``failure_prefix``: key prefixes in the created or given bucket.
        Default: ``inputs/``, ``outputs/``, ``failures/``.

        ``output_path`` / ``failure_path`` / ``input_path``: ``s3://`` URIs instead of a bucket (exclusive with
        ``output_bucket`` and the prefixes). Default: no failure path (failures are reported by the error topic
        only) and no input location (grant the execution role read on your inputs yourself).

        ``output_kms_key``: the key SageMaker encrypts results with. Default: the bucket's key, if any.

        ``notifications``: create the success and error topics that are not given. Default: True.
        ``include_inference_response_in``: topics whose messages carry the response itself (when at most 128 KB).

        ``max_concurrent_invocations_per_instance``: requests SageMaker's client sends one container at once.
        Default: SageMaker chooses.

        ``kms_key``: the storage volumes' key, as for :class:`RealtimeEndpoint`.
        ``auto_scaling``: scales the instance count, down to zero when ``min_capacity=0``.
        """
        super().__init__(scope, id)
        remember_path(self, scope, id)
        spec = VariantSpec(variant_name=variant_name, model=model, kind="async", instance_type=instance_type,
                            initial_instance_count=instance_count, auto_scaling=auto_scaling)
        self.max_concurrent_invocations_per_instance = max_concurrent_invocations_per_instance
        self._include_response_in = tuple(include_inference_response_in)
        self._validate(spec, output_bucket=output_bucket, prefixes={"input_prefix": input_prefix,
                       "output_prefix": output_prefix, "failure_prefix": failure_prefix},
                       paths={"output_path": output_path, "failure_path": failure_path, "input_path": input_path},
                       notifications=notifications, success_topic=success_topic, error_topic=error_topic,
                       kms_key=kms_key, deployment=deployment)
        self._locations = self._create_locations(output_bucket=output_bucket,
                               input_prefix=input_prefix or _DEFAULT_PREFIXES["input_prefix"],
                               output_prefix=output_prefix or _DEFAULT_PREFIXES["output_prefix"],
                               failure_prefix=failure_prefix or _DEFAULT_PREFIXES["failure_prefix"],
                               output_path=output_path,
                               failure_path=failure_path, input_path=input_path, output_kms_key=output_kms_key)
        self._topics = self._create_topics(notifications=notifications, success_topic=success_topic,
                                           error_topic=error_topic)
        self._grant_execution_role(model)
        self._build([spec], kms_key=kms_key, deployment=deployment)

    # -- attributes that exist when an option created them -----------------------------------------------------
    @property
    def output_path(self) -> str:
        """The ``s3://`` location results are written to."""
        return self._locations.output_path

    @property
    def bucket(self) -> s3.IBucket:
        """The bucket for inputs, results and failures (created, or ``output_bucket``); not with ``output_path``."""
        return configured(self._locations.bucket, self, "bucket",
                          "the endpoint writes to output_path URIs, not a bucket (omit output_path to get one)")

    @property
    def failure_path(self) -> str:
        """The ``s3://`` location of failed requests' errors."""
        return configured(self._locations.failure_path, self, "failure_path",
                          "output_path was given without failure_path (pass failure_path=...)")

    @property
    def input_path(self) -> str:
        """The ``s3://`` location for request payloads that the execution role may read."""
        return configured(self._locations.input_path, self, "input_path",
                          "output_path was given without input_path (pass input_path=...)")

    @property
    def output_kms_key(self) -> kms.IKey:
        """The key SageMaker encrypts results with (``output_kms_key``, or the bucket's key)."""
        return configured(self._locations.output_kms_key, self, "output_kms_key",
                          "no output_kms_key was given and the output bucket has no KMS key")

    @property
    def success_topic(self) -> sns.ITopic:
        """The topic notified of each succeeded request (created, or ``success_topic``)."""
        return configured(self._topics.success, self, "success_topic",
                          "notifications=False (pass notifications=True or success_topic=...)")

    @property
    def error_topic(self) -> sns.ITopic:
        """The topic notified of each failed request (created, or ``error_topic``)."""
        return configured(self._topics.error, self, "error_topic",
                          "notifications=False (pass notifications=True or error_topic=...)")

    @property
    def topic_key(self) -> kms.IKey:
        """The key of the topics this construct created."""
        return configured(self._topics.key, self, "topic_key",
                          "no topic was created (both topics were given, or notifications=False)")

    # -- validation ---------------------------------------------------------------------------------------------
    def _validate(self, spec: VariantSpec, *, output_bucket: s3.IBucket | None, prefixes: dict[str, str | None],
                  paths: dict[str, str | None], notifications: bool, success_topic: sns.ITopic | None,
                  error_topic: sns.ITopic | None, kms_key: kms.IKey | None,
                  deployment: DeploymentStrategy | None = None) -> None:
        problems = Problems(node_path(self))
        problems.extend(variant_name_problems("", spec.variant_name))
        if spec.instance_type is not None:  # an async variant always has one
            problems.extend(instance_problems("", spec.instance_type, spec.initial_instance_count))
        problems.extend(_client_problems(self.max_concurrent_invocations_per_instance))
        problems.extend(_location_problems(output_bucket, prefixes, paths))
        problems.extend(_notification_problems(notifications, success_topic, error_topic, self._include_response_in))
        if spec.auto_scaling is not None:
            problems.extend(spec.auto_scaling.problems(spec))
        problems.extend(self._security_problems([spec], kms_key))
        problems.extend(self._deployment_problems([spec], deployment))
        problems.raise_if_any()

    # -- building (override one part in a subclass) ---------------------------------------------------------------
    def _create_locations(self, *, output_bucket: s3.IBucket | None, input_prefix: str, output_prefix: str,
                          failure_prefix: str, output_path: str | None, failure_path: str | None,
                          input_path: str | None, output_kms_key: kms.IKey | None) -> AsyncLocations:
        """The bucket (given, created, or none with ``output_path``) and the input, output and failure locations."""
        if output_path is not None:
            return AsyncLocations(bucket=None, output_path=output_path, failure_path=failure_path,
                                  input_path=input_path, output=_parse(output_path), failure=_parse(failure_path),
                                  input=_parse(input_path), output_kms_key=output_kms_key)
        bucket = output_bucket if output_bucket is not None else self._create_bucket()
        locs = {name: _Location(bucket.bucket_name, prefix.strip("/"))
                for name, prefix in (("input", input_prefix), ("output", output_prefix), ("failure", failure_prefix))}
        return AsyncLocations(bucket=bucket, output_path=locs["output"].uri, failure_path=locs["failure"].uri,
                              input_path=locs["input"].uri, output=locs["output"], failure=locs["failure"],
                              input=locs["input"],
                              output_kms_key=output_kms_key if output_kms_key is not None else bucket.encryption_key)

    def _create_bucket(self) -> s3.IBucket:
        """The bucket for inputs, results and failures. Default: a :class:`SecureBucket` with its own key."""
        bucket = SecureBucket(self, "Bucket")
        return bucket

    def _create_topics(self, *, notifications: bool, success_topic: sns.ITopic | None,
                       error_topic: sns.ITopic | None) -> AsyncTopics:
        """The given topics, and the missing ones created (KMS-encrypted, TLS-only) when notifications are on."""
        if not notifications:
            return AsyncTopics(success=success_topic, error=error_topic, key=None)
        key = self._create_topic_key() if success_topic is None or error_topic is None else None
        return AsyncTopics(
            success=(success_topic if success_topic is not None
                     else self._create_topic("SuccessTopic", "succeeded", key)),
            error=error_topic if error_topic is not None else self._create_topic("ErrorTopic", "failed", key),
            key=key)

    def _create_topic_key(self) -> kms.IKey:
        """The topics' key: the least key policy of ``service_key`` (no ``kms:*``); principals of this account may
        use it only through SNS (the execution role publishes; SNS encrypts and decrypts on its behalf)."""
        return service_key(self, "TopicKey", via_services=("sns",),
                           description=f"Encrypts the notification topics of SageMaker endpoint {node_path(self)}")

    def _create_topic(self, id: str, outcome: str, key: kms.IKey | None) -> sns.ITopic:
        return sns.Topic(self, id, master_key=key, enforce_ssl=True,
                         display_name=f"Asynchronous inference requests that {outcome}")

    def _grant_execution_role(self, model: Model) -> None:
        """Let the execution role write results and failures, read inputs, publish and use the keys involved."""
        self._locations.grant_execution_role(model, reason=(
            "SageMaker names each asynchronous request and result object after its inference id, which exists only "
            f"at run time; the grant is limited to one prefix of endpoint {node_path(self)}."))
        self._topics.grant_publish(model)

    def _async_inference_config(self) -> sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty:
        notification = None
        if self._topics.success is not None or self._topics.error is not None:
            notification = sagemaker.CfnEndpointConfig.AsyncInferenceNotificationConfigProperty(
                success_topic=self._topics.success.topic_arn if self._topics.success is not None else None,
                error_topic=self._topics.error.topic_arn if self._topics.error is not None else None,
                include_inference_response_in=[_RESPONSE_IN[v] for v in self._include_response_in] or None,
            )
        client = None
        if self.max_concurrent_invocations_per_instance is not None:
            client = sagemaker.CfnEndpointConfig.AsyncInferenceClientConfigProperty(
                max_concurrent_invocations_per_instance=self.max_concurrent_invocations_per_instance)
        return sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty(
            output_config=sagemaker.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                s3_output_path=self._locations.output_path,
                s3_failure_path=self._locations.failure_path,
                kms_key_id=(self._locations.output_kms_key.key_arn if self._locations.output_kms_key is not None
                            else None),
                notification_config=notification,
            ),
            client_config=client,
        )

    def _endpoint_config_props(self) -> dict[str, Any]:
        props = super()._endpoint_config_props()
        props["async_inference_config"] = self._async_inference_config()
        return props

    # -- public API ---------------------------------------------------------------------------------------------
    @property
    def metrics_owner(self) -> Construct:
        return self

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` call ``InvokeEndpointAsync`` on this endpoint, write request payloads to the input
        location and read results and failures (and use the keys involved); nothing else."""
        return self._locations.grant_caller(super().grant_invoke(grantee), grantee)
