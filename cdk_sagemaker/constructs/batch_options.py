"""The option groups of :class:`~cdk_sagemaker.constructs.batch_transform.BatchTransform`, one per concept of a
transform job: where the data comes from (:class:`BatchInput`), where the results go (:class:`BatchOutput`), what runs
it (:class:`BatchResources`), how each run is started and watched (:class:`BatchRunPolicy`), and how records are
joined with their predictions (:class:`DataProcessing`).

Each group checks itself: ``problems()`` returns messages of the library's one form,
``"<param> <constraint>, got <value!r>"``, naming the field as the user wrote it (``input.split_type``, or the flat
keyword a value came from, ``input_s3_uri``). Rules between groups (the output inside the input prefix, a batch
strategy without a split type) are :func:`relation_problems`. ``BatchTransform`` collects all of them and raises
one :class:`~cdk_sagemaker.errors.ValidationError`.

Limits come from botocore's SageMaker model (``_limits``) unless a comment cites the page that states them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Literal, ParamSpec, TypeVar

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn

from cdk_sagemaker import _limits
from cdk_sagemaker._schedules import schedule_problems
from cdk_sagemaker.constructs._checks import check_duration
from cdk_sagemaker.constructs._jsii import is_unresolved
from cdk_sagemaker.constructs._s3uri import parse_s3_uri, s3_uri_problems
from cdk_sagemaker.errors import Problem

__all__ = [
    "DEFAULT_INSTANCE_TYPE", "DEFAULT_TIMEOUT_HOURS", "MAX_PAYLOAD_MB", "MAX_RETRY_ATTEMPTS", "MAX_TIMEOUT_SECONDS",
    "AssemblyType", "BatchInput", "BatchOutput", "BatchResources", "BatchRunPolicy", "BatchStrategy",
    "CompressionType", "DataProcessing", "ResolvedOptions", "S3DataType", "SplitType", "job_prefix_room",
    "relation_problems",
    "shortcut", "split_location",
]

S3DataType = Literal["S3Prefix", "ManifestFile"]
SplitType = Literal["None", "Line", "RecordIO", "TFRecord"]
CompressionType = Literal["None", "Gzip"]
BatchStrategy = Literal["SingleRecord", "MultiRecord"]
AssemblyType = Literal["None", "Line"]

DEFAULT_INSTANCE_TYPE = "ml.m5.xlarge"
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
# Batch transform reads only these two (botocore S3DataType documentation; AugmentedManifestFile is for training).
_INPUT_DATA_TYPES = frozenset({"S3Prefix", "ManifestFile"})

T = TypeVar("T")
Namer = Callable[[str], str]


def _namer(group: str, given_as: Mapping[str, str] | None) -> Namer:
    """``field -> "group.field"``, or the flat keyword the field's value was given as."""
    renamed = dict(given_as or {})
    return lambda field: renamed.get(field, f"{group}.{field}")


_P = ParamSpec("_P")


def _message(problem: Problem | None) -> str | None:
    return None if problem is None else str(problem)


def _as_problems(validator: Callable[_P, list[str]]) -> Callable[_P, list[Problem]]:
    """The public validators of the option groups return :class:`~cdk_sagemaker.errors.Problem` values (the
    library's one error type); their bodies build the messages."""

    @functools.wraps(validator)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> list[Problem]:
        return [Problem.parse(m) for m in validator(*args, **kwargs)]

    return wrapper


def _choice(param: str, value: str | None, allowed: frozenset[str]) -> list[str]:
    if value is None or is_unresolved(value) or value in allowed:
        return []
    return [f"{param} must be one of {', '.join(sorted(allowed))}, got {value!r}"]


def _mime(param: str, value: str | None, shape: str) -> list[str]:
    if value is None or is_unresolved(value) or _limits.matches(shape, value):
        return []
    return [f"{param} must be a MIME type of at most {_limits.bounds(shape)[1]:g} characters, got {value!r}"]


def split_location(uri: str) -> tuple[str, str] | None:
    """``(bucket, key)`` of ``s3://bucket/key`` (either part may hold tokens; key may be empty), or ``None``."""
    if not uri.startswith("s3://") or any(c.isspace() for c in uri):
        return None
    bucket, slash, key = uri[len("s3://"):].partition("/")
    if not slash or not bucket or (not is_unresolved(bucket) and parse_s3_uri(uri) is None):
        return None
    return bucket, key


def _location(param: str, uri: str) -> list[str]:
    """A job location: an S3 URI with a bucket and a ``/`` after it, since the grants are built from its parts."""
    if not is_unresolved(uri):
        found = s3_uri_problems(param, uri, shape="S3Uri", key="optional")
        if found:
            return found
    if split_location(uri) is None:
        return [f"{param} must be an s3://bucket/key URI of at most {_limits.bounds('S3Uri')[1]:g} characters, "
                f"got {uri!r}"]
    return []


def _folder(key: str) -> str:
    """The folder of an object key, with its trailing ``/`` (``""`` for the bucket's top)."""
    return key.rsplit("/", 1)[0] + "/" if "/" in key else ""


def shortcut(flat_name: str, flat: T | None, group_name: str, grouped: T | None) -> tuple[T | None, list[str]]:
    """One setting a user may give as a flat keyword or in its group: the value, or a problem when given both ways."""
    if flat is not None and grouped is not None:
        return flat, [f"{flat_name} must not be given together with {group_name} (the same setting; give it once), "
                      f"got {flat!r} and {grouped!r}"]
    return (flat if flat is not None else grouped), []


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

    def render(self) -> dict[str, str]:
        """The ``DataProcessing`` field of the CreateTransformJob request."""
        out: dict[str, str] = {"JoinSource": "Input" if self.join_input else "None"}
        if self.input_filter is not None:
            out["InputFilter"] = self.input_filter
        if self.output_filter is not None:
            out["OutputFilter"] = self.output_filter
        return out

    @_as_problems
    def problems(self, *, name: str = "data_processing") -> list[str]:
        lo, hi = _limits.bounds("JsonPath")
        out = []
        for field, value in (("input_filter", self.input_filter), ("output_filter", self.output_filter)):
            if value is None or is_unresolved(value):
                continue
            if not value.startswith("$") or not _limits.check_range(len(value), lo, hi):
                out.append(f"{name}.{field} must be a JSONPath starting with '$' of at most {hi:g} characters, "
                           f"got {value!r}")
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchInput:
    """What a job reads (``TransformInput``).

    ``s3_uri``: ``s3://bucket/prefix/`` (``data_type="S3Prefix"``: every object under it) or
    ``s3://bucket/list.manifest`` (``"ManifestFile"``: the objects it lists); ``BatchTransform(input_s3_uri=...)``
    is the same setting. ``content_type``: the MIME type sent to the model. ``split_type``: how a file is cut into
    records (``"Line"`` for CSV/JSON Lines). ``compression``: ``"Gzip"`` when the files are compressed.

    Default: an S3 prefix; content type, split and compression not sent (the service defaults: no split, no
    compression).
    """

    s3_uri: str | None = None
    data_type: S3DataType = "S3Prefix"
    content_type: str | None = None
    split_type: SplitType | None = None
    compression: CompressionType | None = None

    @_as_problems
    def problems(self, *, name: str = "input", given_as: Mapping[str, str] | None = None) -> list[str]:
        param = _namer(name, given_as)
        out = _choice(param("data_type"), self.data_type, _INPUT_DATA_TYPES)
        out += _choice(param("split_type"), self.split_type, _limits.enum("SplitType"))
        out += _choice(param("compression"), self.compression, _limits.enum("CompressionType"))
        out += _mime(param("content_type"), self.content_type, "ContentType")
        if self.s3_uri is not None:
            found = _location(param("s3_uri"), self.s3_uri)
            parts = split_location(self.s3_uri)
            if not found and parts is not None and self.data_type == "ManifestFile" and \
                    (parts[1] == "" or parts[1].endswith("/")):
                found.append(f"{param('s3_uri')} must name a manifest object (not a prefix ending in '/') with "
                             f"{param('data_type')}='ManifestFile', got {self.s3_uri!r}")
            out += found
        return out

    def read_prefix(self) -> tuple[str, str] | None:
        """``(bucket, key prefix)`` a job may read: the prefix itself, or the folder holding the manifest."""
        parts = split_location(self.s3_uri) if self.s3_uri is not None else None
        if parts is None:
            return None
        return parts if self.data_type == "S3Prefix" else (parts[0], _folder(parts[1]))


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchOutput:
    """Where a job writes (``TransformOutput``).

    ``s3_uri``: ``s3://bucket/prefix/``, not inside the input prefix (the next run would read it);
    ``BatchTransform(output_s3_uri=...)`` is the same setting. ``accept``: the MIME type asked of the model.
    ``assemble_with``: ``"Line"`` writes one line per record. ``kms_key``: the key results are encrypted with
    (``KmsKeyId``); the model's role may use it.

    Default: accept and assembly not sent (the service defaults), the bucket's default encryption.
    """

    s3_uri: str | None = None
    accept: str | None = None
    assemble_with: AssemblyType | None = None
    kms_key: kms.IKey | None = None

    @_as_problems
    def problems(self, *, name: str = "output", given_as: Mapping[str, str] | None = None) -> list[str]:
        param = _namer(name, given_as)
        out = _choice(param("assemble_with"), self.assemble_with, _limits.enum("AssemblyType"))
        out += _mime(param("accept"), self.accept, "Accept")
        if self.s3_uri is not None:
            out += _location(param("s3_uri"), self.s3_uri)
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchResources:
    """What runs a job and how it calls the model (``TransformResources``, ``BatchStrategy``, ``MaxPayloadInMB``,
    ``MaxConcurrentTransforms``, ``ModelClientConfig``, ``Environment``).

    ``instance_type``: a botocore ``TransformInstanceType``; ``BatchTransform(instance_type=...)`` is the same
    setting. ``batch_strategy``: ``"MultiRecord"`` packs records into each request up to ``max_payload_mb`` (needs
    ``input.split_type``). ``max_payload_mb``: 0-100 (0: HTTP chunked encoding); ``max_payload_mb *
    max_concurrent_transforms`` at most 100. ``invocation_timeout``/``invocation_max_retries``: setting one sends
    the service default (600 s, 3) for the other. ``environment``: up to 16 variables for the container.

    Default: ``ml.m5.xlarge``, one instance; the rest not sent (the service defaults: 6 MB, SageMaker picks the
    concurrency).
    """

    instance_type: str | None = None
    instance_count: int = 1
    batch_strategy: BatchStrategy | None = None
    max_payload_mb: int | None = None
    max_concurrent_transforms: int | None = None
    invocation_timeout: Duration | None = None
    invocation_max_retries: int | None = None
    environment: Mapping[str, str] | None = None

    @_as_problems
    def problems(self, *, name: str = "resources", given_as: Mapping[str, str] | None = None) -> list[str]:
        param = _namer(name, given_as)
        out: list[str] = []
        if self.instance_type is not None and not is_unresolved(self.instance_type) and \
                self.instance_type not in _limits.enum("TransformInstanceType"):
            out.append(f"{param('instance_type')} must be a SageMaker batch transform instance type (botocore "
                       f"TransformInstanceType, e.g. 'ml.m5.xlarge'), got {self.instance_type!r}")
        lo, hi = _limits.bounds("TransformInstanceCount")
        if not is_unresolved(self.instance_count) and not _limits.check_range(self.instance_count, lo, hi):
            out.append(f"{param('instance_count')} must be {_limits.range_text(lo, hi)}, got {self.instance_count!r}")
        out += _choice(param("batch_strategy"), self.batch_strategy, _limits.enum("BatchStrategy"))
        return out + self._size_problems(param) + self._invocation_problems(param) + self._environment_problems(param)

    def _size_problems(self, param: Namer) -> list[str]:
        out = []
        payload, concurrent = self.max_payload_mb, self.max_concurrent_transforms
        lo, _ = _limits.bounds("MaxPayloadInMB")
        if payload is not None and not _limits.check_range(payload, lo, MAX_PAYLOAD_MB):
            out.append(f"{param('max_payload_mb')} must be {_limits.range_text(lo, MAX_PAYLOAD_MB)} (0: HTTP chunked "
                       f"encoding, for containers that support it), got {payload!r}")
        clo, chi = _limits.bounds("MaxConcurrentTransforms")
        if concurrent is not None and not _limits.check_range(concurrent, clo, chi):
            out.append(f"{param('max_concurrent_transforms')} must be {_limits.range_text(clo, chi)} (0: let "
                       f"SageMaker decide), got {concurrent!r}")
        elif concurrent and payload and concurrent * payload > MAX_PAYLOAD_MB:
            out.append(f"{param('max_concurrent_transforms')} * {param('max_payload_mb')} must be at most "
                       f"{MAX_PAYLOAD_MB} MB, got {concurrent} * {payload} = {concurrent * payload}")
        if payload == 0 and self.batch_strategy == "MultiRecord":
            out.append(f"{param('batch_strategy')} 'MultiRecord' fills each request up to max_payload_mb and needs a "
                       f"limit of at least 1 MB, got {param('max_payload_mb')} 0 (chunked encoding)")
        return out

    def _invocation_problems(self, param: Namer) -> list[str]:
        timeout, retries = self.invocation_timeout, self.invocation_max_retries
        wrong_type = _message(check_duration(param("invocation_timeout"), timeout))
        if wrong_type is not None:
            return [wrong_type]
        out = []
        if timeout is not None and not timeout.is_unresolved():
            lo, hi = _limits.bounds("InvocationsTimeoutInSeconds")
            if not _limits.check_range(timeout.to_seconds(), lo, hi):
                out.append(f"{param('invocation_timeout')} must be {_limits.range_text(lo, hi)} seconds, "
                           f"got {timeout.to_human_string()!r}")
        if retries is not None and not is_unresolved(retries):
            lo, hi = _limits.bounds("InvocationsMaxRetries")
            if not _limits.check_range(retries, lo, hi):
                out.append(f"{param('invocation_max_retries')} must be {_limits.range_text(lo, hi)}, got {retries!r}")
        return out

    def _environment_problems(self, param: Namer) -> list[str]:
        if not self.environment:
            return []
        out = []
        name = param("environment")
        _, max_entries = _limits.bounds("TransformEnvironmentMap")
        if max_entries is not None and len(self.environment) > max_entries:
            out.append(f"{name} may hold at most {max_entries:g} variables, got {len(self.environment)!r}")
        for key, value in self.environment.items():
            if not is_unresolved(key) and not _limits.matches("TransformEnvironmentKey", key):
                out.append(f"{name} key must match {_limits.pattern('TransformEnvironmentKey')}, got {key!r}")
            if not is_unresolved(value) and not _limits.matches("TransformEnvironmentValue", value):
                out.append(f"{name}[{key!r}] must be at most {_limits.bounds('TransformEnvironmentValue')[1]:g} "
                           f"characters, got {value!r}")
        return out


def job_prefix_room() -> int:
    """How long a job name prefix may be: ``<prefix>-<UUID>`` must fit botocore's ``TransformJobName``."""
    _, max_name = _limits.bounds("TransformJobName")
    return int(max_name if max_name is not None else 63) - _UUID_LENGTH - 1


@dataclass(frozen=True, kw_only=True, slots=True)
class BatchRunPolicy:
    """How runs are started, bounded, retried and logged (the state machine around the job).

    ``schedule``: an EventBridge ``Schedule.cron(...)``/``.rate(...)`` that starts a run; without one, start runs on
    demand (``BatchTransform.grant_start_execution``); ``BatchTransform(schedule=...)`` is the same setting.
    ``job_name_prefix``: each run's job is ``<prefix>-<UUID>`` (lower-case letters, digits and ``-``, at most 26
    characters). ``timeout``: 1 minute to 365 days; the job is stopped and the run fails after it.
    ``retry_attempts``: 0-10 retries of throttling and transient SageMaker API errors (a failed job is never
    retried). ``log_level``: ``ALL``, ``ERROR`` or ``FATAL``; ``include_execution_data`` logs inputs and outputs (they
    can hold personal data). ``log_retention``: how long the execution log is kept.

    Default: no schedule, prefix ``<construct id>-<hash>``, 12 hours, 3 retries, ``LogLevel.ALL`` without execution
    data, logs kept one year.
    """

    schedule: events.Schedule | None = None
    job_name_prefix: str | None = None
    timeout: Duration | None = None
    retry_attempts: int = 3
    log_level: sfn.LogLevel = sfn.LogLevel.ALL
    include_execution_data: bool = False
    log_retention: logs.RetentionDays = logs.RetentionDays.ONE_YEAR

    @_as_problems
    def problems(self, *, name: str = "run_policy", given_as: Mapping[str, str] | None = None) -> list[str]:
        param = _namer(name, given_as)
        out: list[str] = []
        prefix = self.job_name_prefix
        if prefix is not None and not is_unresolved(prefix) and (not _PREFIX.match(prefix)
                                                                  or len(prefix) > job_prefix_room()):
            out.append(f"{param('job_name_prefix')} must be lower-case letters, digits and '-' (starting and ending "
                       f"with a letter or digit), at most {job_prefix_room()} characters, got {prefix!r}")
        wrong_type = _message(check_duration(param("timeout"), self.timeout))
        if wrong_type is not None:
            out.append(wrong_type)
        elif self.timeout is not None and not self.timeout.is_unresolved() and \
                not 60 <= self.timeout.to_seconds() <= MAX_TIMEOUT_SECONDS:
            out.append(f"{param('timeout')} must be between 1 minute and 365 days (Standard workflow limit), "
                       f"got {self.timeout.to_human_string()!r}")
        if not is_unresolved(self.retry_attempts) and not 0 <= self.retry_attempts <= MAX_RETRY_ATTEMPTS:
            out.append(f"{param('retry_attempts')} must be between 0 and {MAX_RETRY_ATTEMPTS}, "
                       f"got {self.retry_attempts!r}")
        if self.log_level == sfn.LogLevel.OFF:
            out.append(f"{param('log_level')} must be ALL, ERROR or FATAL (execution history must be logged), "
                       "got 'OFF'")
        return out + self._schedule_problems(param("schedule"))

    def _schedule_problems(self, param: str) -> list[str]:
        if self.schedule is None:
            return []
        expression = getattr(self.schedule, "expression_string", None)
        if not isinstance(expression, str):
            return [f"{param} must be an aws_events.Schedule (Schedule.cron(...), Schedule.rate(...)), "
                    f"got {self.schedule!r}"]
        return schedule_problems(expression, param=param)


@_as_problems
def relation_problems(*, input: BatchInput, output: BatchOutput, resources: BatchResources,
                      data_processing: DataProcessing | None, names: Namer) -> list[str]:
    """Rules between groups. ``names``: the field ``"input.s3_uri"`` etc. as the user wrote it."""
    out = []
    read, written = input.read_prefix(), split_location(output.s3_uri) if output.s3_uri is not None else None
    if read is not None and written is not None and read[0] == written[0] and written[1].startswith(read[1]):
        out.append(f"{names('output.s3_uri')} must not be inside the input prefix {input.s3_uri!r} (the next run "
                   f"would read this run's output), got {output.s3_uri!r}")
    if resources.batch_strategy is not None and input.split_type not in _SPLITTING_TYPES:
        out.append(f"{names('resources.batch_strategy')} {resources.batch_strategy!r} needs "
                   f"{names('input.split_type')} 'Line', 'RecordIO' or 'TFRecord' (the records to batch), got "
                   f"{names('input.split_type')} {input.split_type!r}")
    content_type = input.content_type
    if data_processing is not None and content_type is not None and not is_unresolved(content_type) and \
            not any(f in content_type.lower() for f in _DATA_PROCESSING_FORMATS):
        out.append(f"{names('input.content_type')} must be CSV or JSON (text/csv, application/json, "
                   f"application/jsonlines) with data_processing, got {content_type!r}")
    return out


_G = TypeVar("_G", BatchInput, BatchOutput, BatchResources, BatchRunPolicy)


def _group(name: str, value: _G | None, kind: type[_G], problems: list[str]) -> _G:
    if value is None:
        return kind()
    if not isinstance(value, kind):
        problems.append(f"{name} must be a {kind.__name__}, got {value!r}")
        return kind()
    return value


@dataclass(frozen=True, kw_only=True, slots=True)
class ResolvedOptions:
    """The option groups of one ``BatchTransform`` after the flat keywords are merged into them and the defaults
    are filled: what the construct builds from.

    Why flat keywords and groups coexist: the simple case (DESIGN.md's contract) stays one call with plain keywords
    (``input_s3_uri``, ``output_s3_uri``, ``instance_type``, ``schedule``), and every other option lives in the group
    of its concept instead of a flat list of ~30. Each group is complete (``BatchInput(s3_uri=...)`` describes an
    input on its own and can be shared), so a flat keyword is a shortcut for one group field; a setting given both
    ways is a problem rather than one place silently winning.

    ``names``: how the user wrote each shortcut field (``"input.s3_uri" -> "input_s3_uri"``; a value taken from the
    group keeps its dotted name), used in messages. ``merge_problems``: wrong group types, settings given twice,
    missing locations.
    """

    input: BatchInput
    output: BatchOutput
    resources: BatchResources
    run_policy: BatchRunPolicy
    data_processing: DataProcessing | None = None
    names: Mapping[str, str]
    merge_problems: tuple[str, ...] = ()

    @classmethod
    def merge(cls, *, input_s3_uri: str | None, output_s3_uri: str | None, instance_type: str | None,
              schedule: events.Schedule | None, input: BatchInput | None, output: BatchOutput | None,
              resources: BatchResources | None, run_policy: BatchRunPolicy | None,
              data_processing: DataProcessing | None, default_prefix: str) -> ResolvedOptions:
        """Merge the flat keywords into their groups and fill the defaults (``ml.m5.xlarge``, 12 hours,
        ``default_prefix``); what cannot be merged is in ``merge_problems``."""
        found: list[str] = []
        inp = _group("input", input, BatchInput, found)
        out = _group("output", output, BatchOutput, found)
        res = _group("resources", resources, BatchResources, found)
        pol = _group("run_policy", run_policy, BatchRunPolicy, found)
        if data_processing is not None and not isinstance(data_processing, DataProcessing):
            found.append(f"data_processing must be a DataProcessing, got {data_processing!r}")
            data_processing = None
        in_uri, twice = shortcut("input_s3_uri", input_s3_uri, "input.s3_uri", inp.s3_uri)
        found += twice
        out_uri, twice = shortcut("output_s3_uri", output_s3_uri, "output.s3_uri", out.s3_uri)
        found += twice
        itype, twice = shortcut("instance_type", instance_type, "resources.instance_type", res.instance_type)
        found += twice
        when, twice = shortcut("schedule", schedule, "run_policy.schedule", pol.schedule)
        found += twice
        if in_uri is None:
            found.append("input_s3_uri must be given (input_s3_uri=... or input=BatchInput(s3_uri=...)), got None")
        if out_uri is None:
            found.append("output_s3_uri must be given (output_s3_uri=... or output=BatchOutput(s3_uri=...)), "
                         "got None")
        # A value taken from its group is named group.field; the rest (given flat, or left out) by the keyword.
        names = {dotted: keyword for dotted, keyword, grouped, flat in (
            ("input.s3_uri", "input_s3_uri", inp.s3_uri, input_s3_uri),
            ("output.s3_uri", "output_s3_uri", out.s3_uri, output_s3_uri),
            ("resources.instance_type", "instance_type", res.instance_type, instance_type),
            ("run_policy.schedule", "schedule", pol.schedule, schedule)) if grouped is None or flat is not None}
        return cls(
            input=replace(inp, s3_uri=in_uri), output=replace(out, s3_uri=out_uri),
            resources=replace(res, instance_type=itype if itype is not None else DEFAULT_INSTANCE_TYPE),
            run_policy=replace(
                pol, schedule=when,
                timeout=pol.timeout if pol.timeout is not None else Duration.hours(DEFAULT_TIMEOUT_HOURS),
                job_name_prefix=pol.job_name_prefix if pol.job_name_prefix is not None else default_prefix),
            data_processing=data_processing, names=names, merge_problems=tuple(found))

    def name(self, dotted: str) -> str:
        """``"input.s3_uri"`` as the user wrote it (``input_s3_uri`` when given flat)."""
        return self.names.get(dotted, dotted)

    def _renamed(self, group: str) -> dict[str, str]:
        return {d.split(".", 1)[1]: k for d, k in self.names.items() if d.startswith(f"{group}.")}

    def problems(self) -> list[Problem]:
        """Every problem of the options: merging, each group's own, and the rules between groups."""
        found: list[Problem] = [*(Problem.parse(m) for m in self.merge_problems),
                                *self.input.problems(given_as=self._renamed("input")),
                                *self.output.problems(given_as=self._renamed("output")),
                                *self.resources.problems(given_as=self._renamed("resources")),
                                *self.run_policy.problems(given_as=self._renamed("run_policy"))]
        if self.data_processing is not None:
            found += self.data_processing.problems()
        return found + relation_problems(input=self.input, output=self.output, resources=self.resources,
                                         data_processing=self.data_processing, names=self.name)
