"""Batch transform: inference over an S3 dataset without an endpoint, run by a Step Functions state machine.

CloudFormation has no transform-job resource. ``BatchTransform`` builds a state machine that names the job, runs
``CreateTransformJob`` and waits for it (``.sync``), retries throttling, stops the job when it runs too long, and
raises an alarm (to an SNS topic) when a run fails. An EventBridge rule starts it on a schedule, or callers start it
on demand (``grant_start_execution``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from aws_cdk import Aws, CfnResource, Duration, RemovalPolicy, Size
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._checks import duration_problem, schedule_problems
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path
from cdk_sagemaker.constructs._keys import CLOUDWATCH_TOPIC_ACTIONS, cloudwatch_alarm_publisher, service_key
from cdk_sagemaker.constructs._nag import acknowledge, acknowledge_resource
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs._s3uri import s3_uri_problems
from cdk_sagemaker.constructs.endpoint import check_accelerator
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.errors import Problems

__all__ = ["BatchTransform", "DataProcessing", "schedule_problems"]

S3DataType = Literal["S3Prefix", "ManifestFile"]
SplitType = Literal["None", "Line", "RecordIO", "TFRecord"]
CompressionType = Literal["None", "Gzip"]
BatchStrategy = Literal["SingleRecord", "MultiRecord"]
AssemblyType = Literal["None", "Line"]

# Not in botocore's model (MaxPayloadInMB has only min=0). From the CreateTransformJob API reference, MaxPayloadInMB:
# "The value of MaxPayloadInMB cannot be greater than 100 MB. If you specify the MaxConcurrentTransforms parameter,
# the value of (MaxConcurrentTransforms * MaxPayloadInMB) also cannot exceed 100 MB."
MAX_PAYLOAD_MB = 100
# CreateTransformJob API reference, BatchStrategy: "To enable the batch strategy, you must set the SplitType property
# to Line, RecordIO, or TFRecord."
_SPLITTING_TYPES = ("Line", "RecordIO", "TFRecord")
# Associate Prediction Results with Input Records (batch-transform-data-processing): "You can use input files in JSON
# and CSV format only." Content types are matched by these markers (text/csv, application/json, .../jsonlines).
_DATA_PROCESSING_FORMATS = ("csv", "json")
# Step Functions quotas: a Standard workflow execution runs for at most one year.
MAX_TIMEOUT_SECONDS = 365 * 24 * 3600
DEFAULT_TIMEOUT_HOURS = 12
# Our policy, not a service limit: retries are for throttling and transient API errors only, never unbounded.
MAX_RETRY_ATTEMPTS = 10
# The job name is "<prefix>-<UUID>"; a UUID has 36 characters, TransformJobName at most 63 (botocore).
_UUID_LENGTH = 36
# Lower case only: SageMaker reports job ARNs in lower case, and the IAM grant matches the ARN.
_PREFIX = re.compile(r"^[a-z0-9](-*[a-z0-9])*$")
_S3_URI = re.compile(r"^s3://(?P<bucket>[^/\s]+)/(?P<key>\S*)$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
# The rule Step Functions manages to learn that a .sync SageMaker transform job finished (Step Functions developer
# guide, "IAM policies for Amazon SageMaker AI", CreateTransformJob .sync).
_SYNC_RULE = "StepFunctionsGetEventsForSageMakerTransformJobsRule"
_EXECUTION_TAG = "cdk-sagemaker:execution-arn"
# How often the recovery path (a job created by an attempt whose response was lost) describes the job. Our choice.
_POLL_SECONDS = 60


@dataclass(frozen=True, kw_only=True, slots=True)
class DataProcessing:
    """Filter what the model sees and join each input record with its prediction (``DataProcessing``).

    ``input_filter``: JSONPath selecting the part of each record sent to the model (``"$[1:]"`` drops a leading ID
    column). ``output_filter``: JSONPath selecting what is written from the joined record (``"$[0,-1]"`` keeps the
    ID and the prediction). ``join_input``: write each input record together with its prediction
    (``JoinSource=Input``). Input must be CSV or JSON.

    Default: join on, no filters (the whole record goes to the model, the whole joined record to the output).
    """

    input_filter: str | None = None
    output_filter: str | None = None
    join_input: bool = True

    def _render(self) -> dict[str, str]:
        out: dict[str, str] = {"JoinSource": "Input" if self.join_input else "None"}
        if self.input_filter is not None:
            out["InputFilter"] = self.input_filter
        if self.output_filter is not None:
            out["OutputFilter"] = self.output_filter
        return out

    def _problems(self, problems: Problems) -> None:
        lo, hi = _limits.bounds("JsonPath")
        for name, value in (("input_filter", self.input_filter), ("output_filter", self.output_filter)):
            if value is None or is_unresolved(value):
                continue
            if not value.startswith("$") or not _limits.check_range(len(value), lo, hi):
                problems.add(f"data_processing.{name}", f"must be a JSONPath starting with '$' of at most {hi:g} "
                             "characters", value)


_BATCH_STRATEGY = {"SingleRecord": "SINGLE_RECORD", "MultiRecord": "MULTI_RECORD"}


class _TransformJobTask(tasks.SageMakerCreateTransformJob):
    """``SageMakerCreateTransformJob`` plus the ``DataProcessing`` request field, which the CDK task lacks."""

    #: Rendered ``DataProcessing`` (``None``: not sent). Set before the state machine renders the task.
    data_processing: dict[str, str] | None = None

    def to_state_json(self, query_language: sfn.QueryLanguage | None = None) -> Mapping[str, object]:
        state = dict(super().to_state_json(query_language))
        if self.data_processing is not None:
            parameters = dict(state["Parameters"])
            parameters["DataProcessing"] = self.data_processing
            state["Parameters"] = parameters
        return state


def _s3_parts(uri: str) -> tuple[str, str] | None:
    match = _S3_URI.match(uri)
    return (match["bucket"], match["key"]) if match else None


def _object_arn(bucket: str, key: str) -> str:
    return f"arn:{Aws.PARTITION}:s3:::{bucket}/{key}*"


class BatchTransform(Construct):
    """Run a SageMaker batch transform job over an S3 dataset, on a schedule or on demand, without an endpoint.

    A Standard Step Functions state machine names each run's job ``<job_name_prefix>-<UUID>``, runs
    ``CreateTransformJob`` and waits for it to finish, retries throttling and transient SageMaker API errors
    (``retry_attempts`` times with back-off; a failed job is never retried), stops the job and fails the run after
    ``timeout``. An alarm on failed or timed-out executions (and on failed scheduled starts) notifies an SNS topic.
    Execution history goes to a KMS-encrypted log group; X-Ray tracing is on.

    IAM is least privilege: the state machine may create, describe, stop and tag only jobs named with its prefix,
    pass only the model's role, and manage only the Step Functions rule for ``.sync``. The model's role gets read on
    the input prefix (or the manifest and its folder), write on the output prefix, and the ``data_keys``.

    Default: ``ml.m5.xlarge``, one instance, input as an S3 prefix, no splitting/batching/compression options (the
    service defaults), no join, 12 hour timeout, 3 retries, logging level ALL without execution data (inputs and
    outputs can hold personal data), logs kept one year, a new KMS key (rotation on) for the logs and a new topic,
    no schedule (start on demand).

    Attributes: ``state_machine`` (also ``node.default_child``), ``state_machine_arn``, ``role``, ``policy``,
    ``task``, ``log_group``, ``kms_key``, ``topic``, ``alarm``, ``job_name_prefix``, and ``rule`` (with a
    ``schedule``; without one it raises :class:`~cdk_sagemaker.errors.NotConfiguredError`, an ``AttributeError``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: Model,
        input_s3_uri: str,
        output_s3_uri: str,
        instance_type: str = "ml.m5.xlarge",
        instance_count: int = 1,
        input_type: S3DataType = "S3Prefix",
        content_type: str | None = None,
        split_type: SplitType | None = None,
        compression: CompressionType | None = None,
        batch_strategy: BatchStrategy | None = None,
        max_payload_mb: int | None = None,
        max_concurrent_transforms: int | None = None,
        invocation_timeout: Duration | None = None,
        invocation_max_retries: int | None = None,
        environment: Mapping[str, str] | None = None,
        accept: str | None = None,
        assemble_with: AssemblyType | None = None,
        output_kms_key: kms.IKey | None = None,
        data_keys: Sequence[kms.IKey] = (),
        data_processing: DataProcessing | None = None,
        schedule: events.Schedule | None = None,
        job_name_prefix: str | None = None,
        timeout: Duration | None = None,
        retry_attempts: int = 3,
        log_level: sfn.LogLevel = sfn.LogLevel.ALL,
        include_execution_data: bool = False,
        log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR,
        kms_key: kms.IKey | None = None,
        topic: sns.ITopic | None = None,
    ) -> None:
        super().__init__(scope, id)
        timeout = timeout if timeout is not None else Duration.hours(DEFAULT_TIMEOUT_HOURS)
        self.model = model
        self.job_name_prefix = job_name_prefix if job_name_prefix is not None else self._default_prefix()
        self._validate(
            model=model, input_s3_uri=input_s3_uri, output_s3_uri=output_s3_uri, instance_type=instance_type,
            instance_count=instance_count, input_type=input_type, content_type=content_type, split_type=split_type,
            compression=compression, batch_strategy=batch_strategy, max_payload_mb=max_payload_mb,
            max_concurrent_transforms=max_concurrent_transforms, invocation_timeout=invocation_timeout,
            invocation_max_retries=invocation_max_retries, environment=environment, accept=accept,
            assemble_with=assemble_with, data_processing=data_processing, schedule=schedule, timeout=timeout,
            retry_attempts=retry_attempts, log_level=log_level,
        )
        self._grant_model(input_s3_uri=input_s3_uri, output_s3_uri=output_s3_uri, input_type=input_type,
                          output_kms_key=output_kms_key, data_keys=data_keys)
        self.kms_key: kms.IKey = kms_key if kms_key is not None else self._create_key()
        self.log_group = self._create_log_group(log_retention)
        self.role, self.policy = self._create_role()
        self.task = self._create_task(
            input_s3_uri=input_s3_uri, output_s3_uri=output_s3_uri, instance_type=instance_type,
            instance_count=instance_count, input_type=input_type, content_type=content_type, split_type=split_type,
            compression=compression, batch_strategy=batch_strategy, max_payload_mb=max_payload_mb,
            max_concurrent_transforms=max_concurrent_transforms, invocation_timeout=invocation_timeout,
            invocation_max_retries=invocation_max_retries, environment=environment, accept=accept,
            assemble_with=assemble_with, output_kms_key=output_kms_key, data_processing=data_processing,
            timeout=timeout, retry_attempts=retry_attempts,
        )
        self.state_machine = self._create_state_machine(timeout=timeout, log_level=log_level,
                                                        include_execution_data=include_execution_data)
        self.state_machine_arn: str = self.state_machine.state_machine_arn
        self._rule: events.Rule | None = self._create_schedule(schedule) if schedule is not None else None
        self.topic: sns.ITopic = topic if topic is not None else self._create_topic()
        self.alarm = self._create_alarm()

    # -- validation ---------------------------------------------------------------------------------------------
    def _default_prefix(self) -> str:
        """``<id>-<hash>`` in lower case, short enough that ``<prefix>-<UUID>`` fits TransformJobName."""
        _, max_name = _limits.bounds("TransformJobName")
        assert max_name is not None
        room = int(max_name) - _UUID_LENGTH - 1
        raw = re.sub(r"[^a-z0-9]+", "-", self.node.id.lower()).strip("-") or "transform"
        suffix = self.node.addr[:6]
        return f"{raw[:room - len(suffix) - 1].strip('-')}-{suffix}"

    def _validate(
        self, *, model: Model, input_s3_uri: str, output_s3_uri: str, instance_type: str, instance_count: int,
        input_type: str, content_type: str | None, split_type: str | None, compression: str | None,
        batch_strategy: str | None, max_payload_mb: int | None, max_concurrent_transforms: int | None,
        invocation_timeout: Duration | None, invocation_max_retries: int | None,
        environment: Mapping[str, str] | None, accept: str | None, assemble_with: str | None,
        data_processing: DataProcessing | None, schedule: events.Schedule | None, timeout: Duration,
        retry_attempts: int, log_level: sfn.LogLevel,
    ) -> None:
        problems = Problems(node_path(self))
        for param, given in (("timeout", timeout), ("invocation_timeout", invocation_timeout)):
            msg = duration_problem(param, given)
            if msg:
                problems.add_message(msg)
        if not isinstance(model, Model):
            problems.add("model", "must be a cdk_sagemaker Model", model)
        if not is_unresolved(instance_type) and instance_type not in _limits.enum("TransformInstanceType"):
            problems.add("instance_type", "must be a SageMaker batch transform instance type (botocore "
                         "TransformInstanceType, e.g. 'ml.m5.xlarge')", instance_type)
        elif isinstance(model, Model):
            for i, container in enumerate(model.containers):
                check_accelerator(problems, "", container.image, instance_type,
                                  where_image=f"{model.node.path} containers[{i}]")
        lo, hi = _limits.bounds("TransformInstanceCount")
        if not is_unresolved(instance_count) and not _limits.check_range(instance_count, lo, hi):
            problems.add("instance_count", f"must be {_limits.range_text(lo, hi)}", instance_count)
        self._validate_locations(problems, input_s3_uri, output_s3_uri, input_type)
        self._validate_choices(problems, input_type=input_type, split_type=split_type, compression=compression,
                               batch_strategy=batch_strategy, assemble_with=assemble_with)
        self._validate_sizes(problems, max_payload_mb=max_payload_mb,
                             max_concurrent_transforms=max_concurrent_transforms, batch_strategy=batch_strategy)
        if batch_strategy is not None and split_type not in _SPLITTING_TYPES:
            problems.add_message(f"batch_strategy {batch_strategy!r} needs split_type 'Line', 'RecordIO' or "
                                 f"'TFRecord' (the records to batch), got split_type {split_type!r}")
        for name, value in (("content_type", content_type), ("accept", accept)):
            shape = "ContentType" if name == "content_type" else "Accept"
            if value is not None and not is_unresolved(value) and not _limits.matches(shape, value):
                problems.add(name, f"must be a MIME type of at most {_limits.bounds(shape)[1]:g} characters", value)
        if data_processing is not None:
            data_processing._problems(problems)
            if content_type is not None and not is_unresolved(content_type) and not any(
                    f in content_type.lower() for f in _DATA_PROCESSING_FORMATS):
                problems.add("content_type", "must be CSV or JSON (text/csv, application/json, "
                             "application/jsonlines) with data_processing", content_type)
        self._validate_invocations(problems, invocation_timeout, invocation_max_retries)
        self._validate_environment(problems, environment)
        if not is_unresolved(self.job_name_prefix):
            _, max_name = _limits.bounds("TransformJobName")
            assert max_name is not None
            room = int(max_name) - _UUID_LENGTH - 1
            if not _PREFIX.match(self.job_name_prefix) or len(self.job_name_prefix) > room:
                problems.add("job_name_prefix", f"must be lower-case letters, digits and '-' (starting and ending "
                             f"with a letter or digit), at most {room} characters", self.job_name_prefix)
        if isinstance(timeout, Duration) and not timeout.is_unresolved():
            seconds = timeout.to_seconds()
            if seconds < 60 or seconds > MAX_TIMEOUT_SECONDS:
                problems.add("timeout", "must be between 1 minute and 365 days (Standard workflow limit)",
                             timeout.to_human_string())
        if not is_unresolved(retry_attempts) and not 0 <= retry_attempts <= MAX_RETRY_ATTEMPTS:
            problems.add("retry_attempts", f"must be between 0 and {MAX_RETRY_ATTEMPTS}", retry_attempts)
        if log_level == sfn.LogLevel.OFF:
            problems.add("log_level", "must be ALL, ERROR or FATAL (execution history must be logged)", "OFF")
        if schedule is not None:
            expression = getattr(schedule, "expression_string", None)
            if not isinstance(expression, str):
                problems.add("schedule", "must be an aws_events.Schedule (Schedule.cron(...), Schedule.rate(...))",
                             schedule)
            else:
                for msg in schedule_problems(expression, param="schedule"):
                    problems.add_message(msg)
        problems.raise_if_any()

    @staticmethod
    def _validate_locations(problems: Problems, input_s3_uri: str, output_s3_uri: str, input_type: str) -> None:
        parts: dict[str, tuple[str, str]] = {}
        for name, uri in (("input_s3_uri", input_s3_uri), ("output_s3_uri", output_s3_uri)):
            if not is_unresolved(uri):
                messages = s3_uri_problems(name, uri, shape="S3Uri", key="optional")
                if messages:
                    for msg in messages:
                        problems.add_message(msg)
                    continue
            found = _s3_parts(uri)
            bucket_ok = found is not None and (is_unresolved(found[0]) or _BUCKET.match(found[0]))
            if found is None or not bucket_ok or (not is_unresolved(uri) and not _limits.matches("S3Uri", uri)):
                problems.add(name, f"must be an s3://bucket/key URI of at most {_limits.bounds('S3Uri')[1]:g} "
                             "characters", uri)
                continue
            parts[name] = found
        manifest_key = parts["input_s3_uri"][1] if "input_s3_uri" in parts else None
        if input_type == "ManifestFile" and manifest_key is not None and (manifest_key == ""
                                                                          or manifest_key.endswith("/")):
            problems.add("input_s3_uri", "must name a manifest object (not a prefix ending in '/') with "
                         "input_type='ManifestFile'", input_s3_uri)
        if len(parts) == 2:
            (in_bucket, in_key), (out_bucket, out_key) = parts["input_s3_uri"], parts["output_s3_uri"]
            if input_type == "ManifestFile":
                in_key = in_key.rsplit("/", 1)[0] + "/" if "/" in in_key else ""
            if in_bucket == out_bucket and out_key.startswith(in_key):
                problems.add("output_s3_uri", f"must not be inside the input prefix {input_s3_uri!r} (the next run "
                             "would read this run's output)", output_s3_uri)

    @staticmethod
    def _validate_choices(problems: Problems, **choices: str | None) -> None:
        shapes = {"input_type": "S3DataType", "split_type": "SplitType", "compression": "CompressionType",
                  "batch_strategy": "BatchStrategy", "assemble_with": "AssemblyType"}
        for name, value in choices.items():
            if value is None or is_unresolved(value):
                continue
            allowed = _limits.enum(shapes[name])
            if name == "input_type":  # batch transform accepts only these two (botocore S3DataType documentation)
                allowed = frozenset({"S3Prefix", "ManifestFile"})
            if value not in allowed:
                problems.add(name, f"must be one of {', '.join(sorted(allowed))}", value)

    @staticmethod
    def _validate_sizes(problems: Problems, *, max_payload_mb: int | None, max_concurrent_transforms: int | None,
                        batch_strategy: str | None) -> None:
        lo, _ = _limits.bounds("MaxPayloadInMB")
        if max_payload_mb is not None and not _limits.check_range(max_payload_mb, lo, MAX_PAYLOAD_MB):
            problems.add("max_payload_mb", f"must be {_limits.range_text(lo, MAX_PAYLOAD_MB)} (0: HTTP chunked "
                         "encoding, for containers that support it)", max_payload_mb)
        clo, chi = _limits.bounds("MaxConcurrentTransforms")
        if max_concurrent_transforms is not None and not _limits.check_range(max_concurrent_transforms, clo, chi):
            problems.add("max_concurrent_transforms", f"must be {_limits.range_text(clo, chi)} (0: let SageMaker "
                         "decide)", max_concurrent_transforms)
        elif max_concurrent_transforms and max_payload_mb and max_concurrent_transforms * max_payload_mb > \
                MAX_PAYLOAD_MB:
            problems.add_message(f"max_concurrent_transforms * max_payload_mb must be at most {MAX_PAYLOAD_MB} MB, "
                                 f"got {max_concurrent_transforms} * {max_payload_mb} = "
                                 f"{max_concurrent_transforms * max_payload_mb}")
        if max_payload_mb == 0 and batch_strategy == "MultiRecord":
            problems.add_message("batch_strategy 'MultiRecord' fills each request up to max_payload_mb and needs a "
                                 "limit of at least 1 MB, got max_payload_mb 0 (chunked encoding)")

    @staticmethod
    def _validate_invocations(problems: Problems, timeout: Duration | None, retries: int | None) -> None:
        if isinstance(timeout, Duration) and not timeout.is_unresolved():
            lo, hi = _limits.bounds("InvocationsTimeoutInSeconds")
            if not _limits.check_range(timeout.to_seconds(), lo, hi):
                problems.add("invocation_timeout", f"must be {_limits.range_text(lo, hi)} seconds",
                             timeout.to_human_string())
        if retries is not None and not is_unresolved(retries):
            lo, hi = _limits.bounds("InvocationsMaxRetries")
            if not _limits.check_range(retries, lo, hi):
                problems.add("invocation_max_retries", f"must be {_limits.range_text(lo, hi)}", retries)

    @staticmethod
    def _validate_environment(problems: Problems, environment: Mapping[str, str] | None) -> None:
        if not environment:
            return
        _, max_entries = _limits.bounds("TransformEnvironmentMap")
        if max_entries is not None and len(environment) > max_entries:
            problems.add("environment", f"may hold at most {max_entries:g} variables", len(environment))
        for key, value in environment.items():
            if not is_unresolved(key) and not _limits.matches("TransformEnvironmentKey", key):
                problems.add("environment key", f"must match {_limits.pattern('TransformEnvironmentKey')}", key)
            if not is_unresolved(value) and not _limits.matches("TransformEnvironmentValue", value):
                problems.add(f"environment[{key!r}]", f"must be at most "
                             f"{_limits.bounds('TransformEnvironmentValue')[1]:g} characters", value)

    # -- building (override one part in a subclass) --------------------------------------------------------------
    def _job_arn(self) -> str:
        return (f"arn:{Aws.PARTITION}:sagemaker:{Aws.REGION}:{Aws.ACCOUNT_ID}:transform-job/"
                f"{self.job_name_prefix.lower()}-*")

    def _grant_model(self, *, input_s3_uri: str, output_s3_uri: str, input_type: str,
                     output_kms_key: kms.IKey | None, data_keys: Sequence[kms.IKey]) -> None:
        """What the model's role needs for the job: read the input, write the output, use the data keys."""
        in_bucket, in_key = _s3_parts(input_s3_uri) or ("", "")
        out_bucket, out_key = _s3_parts(output_s3_uri) or ("", "")
        read = [_object_arn(in_bucket, in_key)] if input_type == "S3Prefix" else [
            f"arn:{Aws.PARTITION}:s3:::{in_bucket}/{in_key}",
            _object_arn(in_bucket, in_key.rsplit("/", 1)[0] + "/" if "/" in in_key else ""),
        ]
        list_prefix = in_key if input_type == "S3Prefix" else (in_key.rsplit("/", 1)[0] + "/" if "/" in in_key
                                                                 else "")
        self.model.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=read))
        for arn, what in ((read[-1], "input"), (_object_arn(out_bucket, out_key), "output")):
            acknowledge_resource(self.model, arn,
                                 f"Batch transform {node_path(self)} reads every object under its {what} prefix or "
                                 "writes one result object per input object there; the names are known only when the "
                                 "job runs. The grant is limited to that prefix.")
        self.model.add_to_role_policy(iam.PolicyStatement(
            actions=["s3:ListBucket"], resources=[f"arn:{Aws.PARTITION}:s3:::{in_bucket}"],
            conditions={"StringLike": {"s3:prefix": [f"{list_prefix}*"]}}))
        self.model.add_to_role_policy(iam.PolicyStatement(
            actions=["s3:PutObject", "s3:AbortMultipartUpload"], resources=[_object_arn(out_bucket, out_key)]))
        keys = [*data_keys, *([output_kms_key] if output_kms_key is not None else [])]
        if keys:
            self.model.add_to_role_policy(iam.PolicyStatement(
                actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[k.key_arn for k in keys]))

    def _create_key(self) -> kms.Key:
        """The key for the execution log group and the failure topic; rotation on, retained, and the least key
        policy of ``service_key`` (no ``kms:*``): CloudWatch Logs may use it for this account's log groups only
        (encryption context), CloudWatch alarms of this account may publish to the topic (``aws:SourceAccount``;
        SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted topics"),
        and principals of the account only through SNS."""
        logs_condition = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                      f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"}}
        return service_key(
            self, "Key", via_services=("sns",),
            description=f"Encrypts the execution logs and failure notifications of {node_path(self)}",
            service_principals={"logs.amazonaws.com": logs_condition, **cloudwatch_alarm_publisher()},
            service_actions={"cloudwatch.amazonaws.com": CLOUDWATCH_TOPIC_ACTIONS},
        )

    def _create_log_group(self, retention: logs.RetentionDays) -> logs.LogGroup:
        return logs.LogGroup(self, "Logs", encryption_key=self.kms_key, retention=retention,
                             removal_policy=RemovalPolicy.RETAIN)

    def _create_role(self) -> tuple[iam.Role, iam.ManagedPolicy]:
        """The state machine's role with one customer-managed policy of exact statements (replacing the wildcard
        grants ``SageMakerCreateTransformJob`` and ``StateMachine`` would add)."""
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
                        description=f"Step Functions role of batch transform {node_path(self)}")
        policy = iam.ManagedPolicy(self, "Policy", roles=[role],
                                   description=f"Least-privilege policy of batch transform {node_path(self)}")
        policy.add_statements(
            iam.PolicyStatement(
                actions=["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob",
                         "sagemaker:StopTransformJob", "sagemaker:AddTags", "sagemaker:ListTags"],
                resources=[self._job_arn()]),
            iam.PolicyStatement(
                actions=["iam:PassRole"], resources=[self.model.role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}),
            iam.PolicyStatement(
                actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                resources=[f"arn:{Aws.PARTITION}:events:{Aws.REGION}:{Aws.ACCOUNT_ID}:rule/{_SYNC_RULE}"]),
            iam.PolicyStatement(
                actions=["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                         "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                         "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"],
                resources=["*"]),
            iam.PolicyStatement(
                actions=["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                         "xray:GetSamplingTargets"],
                resources=["*"]),
        )
        acknowledge_resource(policy, self._job_arn(),
                             "Each run creates a new transform job named <prefix>-<UUID>; the grant covers only the "
                             "jobs this state machine names, in this account and region.")
        acknowledge(policy, "AwsSolutions-IAM5[Resource::*]",
                    "CloudWatch Logs log-delivery actions (used by Step Functions to deliver execution logs) and "
                    "the X-Ray trace actions support no resource-level permissions (Step Functions developer "
                    "guide, IAM for logging and X-Ray).")
        return role, policy

    def _create_task(
        self, *, input_s3_uri: str, output_s3_uri: str, instance_type: str, instance_count: int, input_type: str,
        content_type: str | None, split_type: str | None, compression: str | None, batch_strategy: str | None,
        max_payload_mb: int | None, max_concurrent_transforms: int | None, invocation_timeout: Duration | None,
        invocation_max_retries: int | None, environment: Mapping[str, str] | None, accept: str | None,
        assemble_with: str | None, output_kms_key: kms.IKey | None, data_processing: DataProcessing | None,
        timeout: Duration, retry_attempts: int,
    ) -> tasks.SageMakerCreateTransformJob:
        """The ``CreateTransformJob.sync`` task. ``role=model.role`` keeps the task from creating its own
        (AmazonSageMakerFullAccess) role; its policy statements are replaced by ``_create_role``'s."""
        model_client = None
        if invocation_timeout is not None or invocation_max_retries is not None:
            # The CDK fills an unset half with 60 s / 0 retries; keep the service defaults (600 s, 3) instead.
            model_client = tasks.ModelClientOptions(
                invocations_timeout=invocation_timeout or Duration.seconds(600),
                invocations_max_retries=3 if invocation_max_retries is None else invocation_max_retries)
        task = _TransformJobTask(
            self, "RunTransformJob",
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
            transform_job_name=sfn.JsonPath.string_at("$.TransformJob.TransformJobName"),
            model_name=self.model.model_name,
            role=self.model.role,
            transform_input=tasks.TransformInput(
                transform_data_source=tasks.TransformDataSource(s3_data_source=tasks.TransformS3DataSource(
                    s3_uri=input_s3_uri,
                    s3_data_type=tasks.S3DataType.MANIFEST_FILE if input_type == "ManifestFile"
                    else tasks.S3DataType.S3_PREFIX)),
                content_type=content_type,
                split_type=tasks.SplitType(split_type.upper()) if split_type is not None else None,
                compression_type=tasks.CompressionType(compression.upper()) if compression is not None else None,
            ),
            transform_output=tasks.TransformOutput(
                s3_output_path=output_s3_uri, accept=accept, encryption_key=output_kms_key,
                assemble_with=tasks.AssembleWith(assemble_with.upper()) if assemble_with is not None else None),
            transform_resources=tasks.TransformResources(
                instance_count=instance_count, instance_type=ec2.InstanceType(instance_type.removeprefix("ml."))),
            batch_strategy=tasks.BatchStrategy(_BATCH_STRATEGY[batch_strategy]) if batch_strategy else None,
            max_payload=Size.mebibytes(max_payload_mb) if max_payload_mb is not None else None,
            max_concurrent_transforms=max_concurrent_transforms,
            model_client_options=model_client,
            environment=dict(environment) if environment else None,
            tags={_EXECUTION_TAG: sfn.JsonPath.string_at("$$.Execution.Id")},
            task_timeout=sfn.Timeout.duration(timeout),
            result_path="$.TransformJob.Result",
        )
        task.data_processing = data_processing._render() if data_processing is not None else None
        if retry_attempts > 0:
            # SageMaker API throttling and internal errors surface as SageMaker.AmazonSageMakerException. A job that
            # ran and failed is States.TaskFailed and a run that took too long States.Timeout: neither is retried.
            task.add_retry(errors=["SageMaker.AmazonSageMakerException"], interval=Duration.seconds(15),
                           max_attempts=retry_attempts, backoff_rate=2, max_delay=Duration.minutes(5),
                           jitter_strategy=sfn.JitterType.FULL)
        return task

    def _create_state_machine(self, *, timeout: Duration, log_level: sfn.LogLevel,
                              include_execution_data: bool) -> sfn.StateMachine:
        """The run: name the job, create it and wait (``.sync``), recover a retried create idempotently, stop the
        job on timeout.

        Why the recovery path exists. A Step Functions ``Retry`` runs the task again with the same input (Step
        Functions developer guide, "Handling errors in Step Functions workflows"), so a retried
        ``CreateTransformJob`` sends the same ``TransformJobName``. The name must be unique in the account and region
        (CreateTransformJob API reference, ``TransformJobName``), so when the failed attempt had in fact created the
        job (a lost response, or a failure while ``.sync`` polled the job) every retry fails with ``ResourceInUse``
        (botocore: CreateTransformJob errors ResourceInUse, ResourceLimitExceeded, ResourceNotFound) and the run
        would fail while its job runs on, unwatched. A new name per attempt is no fix: it would start a second job
        that writes the same outputs.

        Instead the name stays ``<prefix>-<UUID>``, unique per execution, so a job of that name can only be this
        run's own. When the task still fails after its retries (any error but the timeout), ``FindJob`` describes
        the job by name: none exists -> the run fails with the create call's own error (``CreateFailed``); it exists
        -> the run waits for it (``Describe`` every ``_POLL_SECONDS``) and ends as the job ends (``Completed``
        succeeds, ``Failed``/``Stopped`` fails), and the same ``timeout`` (counted in polls from the recovery) stops
        it. A job that failed on its own is found as ``Failed`` and fails the run without being retried.
        """
        prefix = self.job_name_prefix
        name_job = sfn.Pass(
            self, "NameJob",
            comment="A unique transform job name for this run: <prefix>-<UUID>",
            parameters={"TransformJobName": sfn.JsonPath.format(f"{prefix}-{{}}", sfn.JsonPath.uuid()),
                        "Count": {"Polls": 0}},
            result_path="$.TransformJob",
        )
        stop = tasks.CallAwsService(
            self, "StopTransformJob",
            comment="The job ran longer than the timeout: stop it so it stops billing",
            service="sagemaker", action="stopTransformJob",
            parameters={"TransformJobName": sfn.JsonPath.string_at("$.TransformJob.TransformJobName")},
            iam_resources=[self._job_arn()], result_path=sfn.JsonPath.DISCARD,
        )
        timed_out = sfn.Fail(self, "TimedOut", error="TransformJobTimedOut",
                             cause="The transform job ran longer than the timeout and was stopped")
        stop.add_retry(errors=[sfn.Errors.ALL], max_attempts=3, interval=Duration.seconds(5), backoff_rate=2)
        stop.add_catch(timed_out, errors=[sfn.Errors.ALL], result_path="$.TransformJob.StopError")
        stop.next(timed_out)
        self.task.add_catch(stop, errors=[sfn.Errors.TIMEOUT], result_path="$.TransformJob.Error")
        self.task.add_catch(self._recover_job(stop, timeout), errors=[sfn.Errors.ALL],
                            result_path="$.TransformJob.Error")
        machine = sfn.StateMachine(
            self, "Resource",
            definition_body=sfn.DefinitionBody.from_chainable(name_job.next(self.task)),
            state_machine_type=sfn.StateMachineType.STANDARD,
            role=self.role.without_policy_updates(),
            timeout=timeout.plus(Duration.minutes(15)),
            tracing_enabled=True,
            logs=sfn.LogOptions(destination=self.log_group, level=log_level,
                                include_execution_data=include_execution_data),
            comment=f"Batch transform {node_path(self)}: name the job, run it to completion, stop it on timeout",
        )
        cfn = machine.node.default_child
        assert isinstance(cfn, sfn.CfnStateMachine)
        # Step Functions checks the log-delivery permissions when it creates the state machine: wait for the policy.
        # The CDK also makes it depend on the role, which its RoleArn already does (cfn-lint W3005): replace both.
        policy_cfn = self.policy.node.default_child
        assert isinstance(policy_cfn, CfnResource)
        cfn.add_override("DependsOn", [policy_cfn.logical_id])
        return machine

    def _recover_job(self, stop: sfn.IChainable, timeout: Duration) -> sfn.IChainable:
        """After a failed create/wait: find this run's job by name and wait for it (see _create_state_machine)."""
        find = tasks.CallAwsService(
            self, "FindJob",
            comment="The create call failed after its retries: did an earlier attempt create this run's job?",
            service="sagemaker", action="describeTransformJob",
            parameters={"TransformJobName": sfn.JsonPath.string_at("$.TransformJob.TransformJobName")},
            iam_resources=[self._job_arn()],
            result_selector={"Status": sfn.JsonPath.string_at("$.TransformJobStatus")},
            result_path="$.TransformJob.Found",
        )
        find.add_retry(errors=[sfn.Errors.ALL], max_attempts=3, interval=Duration.seconds(5), backoff_rate=2)
        not_created = sfn.Fail(self, "CreateFailed", error_path="$.TransformJob.Error.Error",
                               cause_path="$.TransformJob.Error.Cause",
                               comment="No job of this run exists: the create call's own error")
        find.add_catch(not_created, errors=[sfn.Errors.ALL], result_path="$.TransformJob.FindError")
        failed = sfn.Fail(self, "JobFailed", error="TransformJobFailed",
                          cause="The transform job ended as Failed or Stopped (see DescribeTransformJob)")
        done = sfn.Succeed(self, "JobCompleted")
        max_polls = max(1, math.ceil(timeout.to_seconds() / _POLL_SECONDS))
        count = sfn.Pass(self, "CountPoll", parameters={
            "Polls": sfn.JsonPath.math_add(sfn.JsonPath.number_at("$.TransformJob.Count.Polls"), 1)},
            result_path="$.TransformJob.Count")
        wait = sfn.Wait(self, "WaitForJob", time=sfn.WaitTime.duration(Duration.seconds(_POLL_SECONDS)))
        too_long = sfn.Choice(self, "WithinTimeout").when(
            sfn.Condition.number_greater_than_equals("$.TransformJob.Count.Polls", max_polls), stop).otherwise(wait)
        status = sfn.Choice(self, "JobStatus") \
            .when(sfn.Condition.string_equals("$.TransformJob.Found.Status", "Completed"), done) \
            .when(sfn.Condition.or_(sfn.Condition.string_equals("$.TransformJob.Found.Status", "Failed"),
                                    sfn.Condition.string_equals("$.TransformJob.Found.Status", "Stopped")), failed) \
            .otherwise(count)
        count.next(too_long)
        wait.next(find)
        return find.next(status)

    @property
    def rule(self) -> events.Rule:
        """The EventBridge rule that starts a run on the ``schedule``."""
        return configured(self._rule, self, "rule", "no schedule was given: runs start on demand (pass "
                          "schedule=events.Schedule...)")

    def _create_schedule(self, schedule: events.Schedule) -> events.Rule:
        """An EventBridge rule that starts the state machine, with a role limited to ``states:StartExecution``."""
        role = iam.Role(self, "ScheduleRole", assumed_by=iam.ServicePrincipal("events.amazonaws.com"),
                        description=f"Starts batch transform {node_path(self)} on its schedule")
        policy = iam.ManagedPolicy(self, "SchedulePolicy", roles=[role],
                                   description=f"Start executions of batch transform {node_path(self)}")
        policy.add_statements(iam.PolicyStatement(actions=["states:StartExecution"],
                                                  resources=[self.state_machine.state_machine_arn]))
        rule = events.Rule(self, "Schedule", schedule=schedule,
                           description=f"Starts batch transform {node_path(self)}")
        rule.add_target(targets.SfnStateMachine(self.state_machine, role=role.without_policy_updates()))
        cfn_rule = rule.node.default_child
        assert cfn_rule is not None
        cfn_rule.node.add_dependency(policy)
        return rule

    def _create_topic(self) -> sns.Topic:
        return sns.Topic(self, "FailureTopic", master_key=self.kms_key, enforce_ssl=True,
                         display_name="Batch transform failures")

    def _create_alarm(self) -> cloudwatch.Alarm:
        """One alarm when any run fails, times out or (scheduled) cannot be started; it notifies the topic."""
        period = Duration.minutes(5)
        metrics: dict[str, cloudwatch.IMetric] = {
            "failed": self.state_machine.metric_failed(period=period, statistic="Sum"),
            "timedout": self.state_machine.metric_timed_out(period=period, statistic="Sum"),
            "aborted": self.state_machine.metric_aborted(period=period, statistic="Sum"),
        }
        if self._rule is not None:
            metrics["startfailed"] = cloudwatch.Metric(
                namespace="AWS/Events", metric_name="FailedInvocations", period=period, statistic="Sum",
                dimensions_map={"RuleName": self._rule.rule_name})
        expression = " + ".join(f"FILL({k}, 0)" for k in metrics)
        alarm = cloudwatch.Alarm(
            self, "FailureAlarm",
            alarm_description=f"A run of batch transform {node_path(self)} failed, timed out, was aborted or could "
                              "not be started",
            metric=cloudwatch.MathExpression(expression=expression, using_metrics=metrics, period=period,
                                             label="Failed runs"),
            threshold=1, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(cw_actions.SnsAction(self.topic))
        return alarm

    # -- public API ----------------------------------------------------------------------------------------------
    def grant_start_execution(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` start runs on demand (``states:StartExecution`` on this state machine only)."""
        return self.state_machine.grant_start_execution(grantee)

