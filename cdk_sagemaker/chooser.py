"""Pick a SageMaker inference option (and the construct that deploys it) from a few facts about the workload.

Pure Python: no aws_cdk import, no AWS calls. The decision follows the usual order of questions:

1. Does every request need its own answer back? No: batch transform.
2. Does a request exceed what a synchronous endpoint takes (payload or processing time)? Yes: asynchronous inference.
3. Is traffic sustained, or does the caller need consistently low latency? Yes: real-time. Otherwise (idle periods,
   cold starts acceptable): serverless.

Inputs that no option can serve are never mapped to the nearest option silently: they raise
:class:`NoInferenceOptionFits`, which says why and what to do instead. Malformed inputs raise
:class:`~cdk_sagemaker.errors.ValidationError`.

Sizes are in MB of 2**20 bytes, as in the AWS limits (6 MB is 6,291,456 bytes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from cdk_sagemaker.errors import Problems

__all__ = [
    "ASYNC_MAX_PAYLOAD_MB",
    "ASYNC_MAX_PROCESSING_SECONDS",
    "BATCH_MAX_PROCESSING_SECONDS",
    "BATCH_MAX_RECORD_MB",
    "LATENCY_BOUND_SECONDS",
    "REALTIME_MAX_PAYLOAD_MB",
    "REALTIME_MAX_PROCESSING_SECONDS",
    "SERVERLESS_MAX_PAYLOAD_MB",
    "SERVERLESS_MAX_PROCESSING_SECONDS",
    "Alternative",
    "InferenceOption",
    "Latency",
    "NoInferenceOptionFits",
    "Recommendation",
    "Traffic",
    "recommend_inference_option",
]

_PATH = "recommend_inference_option"

# --- Limits (AWS documentation titles in the comments) -----------------------------------------------------------

# "InvokeEndpoint" (Amazon SageMaker Runtime API Reference): the request Body is at most 6 MB (6,291,456 bytes).
REALTIME_MAX_PAYLOAD_MB = 6.0
# "InvokeEndpoint" (Amazon SageMaker Runtime API Reference): model containers must respond within 60 seconds.
REALTIME_MAX_PROCESSING_SECONDS = 60.0
# "Invoke a serverless endpoint" (SageMaker Developer Guide): request and response payloads are at most 4 MB.
SERVERLESS_MAX_PAYLOAD_MB = 4.0
# "Invoke a serverless endpoint" (SageMaker Developer Guide): the container must answer /invocations within 1 minute.
SERVERLESS_MAX_PROCESSING_SECONDS = 60.0
# "Asynchronous inference" (SageMaker Developer Guide): payloads up to 1 GB, read from Amazon S3.
ASYNC_MAX_PAYLOAD_MB = 1024.0
# "Invoke an Asynchronous Endpoint" (SageMaker Developer Guide): InvocationTimeoutSeconds is at most 3600 (one hour).
ASYNC_MAX_PROCESSING_SECONDS = 3600.0
# "CreateTransformJob" (SageMaker API Reference): MaxPayloadInMB, the size of one record or mini-batch, is at most 100.
BATCH_MAX_RECORD_MB = 100.0
# "ModelClientConfig" (SageMaker API Reference): InvocationsTimeoutInSeconds, per record or mini-batch, is 1 to 3600.
BATCH_MAX_PROCESSING_SECONDS = 3600.0
# "CreateProcessingJob" (SageMaker API Reference): StoppingCondition.MaxRuntimeInSeconds is at most 777,600 (9 days).
_PROCESSING_JOB_MAX_DAYS = 9


class InferenceOption(StrEnum):
    """The four SageMaker inference options, each with the cdk_sagemaker construct that deploys it."""

    REALTIME = "realtime"
    SERVERLESS = "serverless"
    ASYNC = "async"
    BATCH_TRANSFORM = "batch_transform"

    @property
    def construct(self) -> str:
        """Name of the cdk_sagemaker construct class that deploys this option."""
        return _CONSTRUCTS[self]

    @property
    def label(self) -> str:
        """Human-readable name, e.g. ``"asynchronous inference"``."""
        return _TITLES[self]


_CONSTRUCTS: dict[InferenceOption, str] = {
    InferenceOption.REALTIME: "RealtimeEndpoint",
    InferenceOption.SERVERLESS: "ServerlessEndpoint",
    InferenceOption.ASYNC: "AsyncEndpoint",
    InferenceOption.BATCH_TRANSFORM: "BatchTransform",
}
_TITLES: dict[InferenceOption, str] = {
    InferenceOption.REALTIME: "real-time inference",
    InferenceOption.SERVERLESS: "serverless inference",
    InferenceOption.ASYNC: "asynchronous inference",
    InferenceOption.BATCH_TRANSFORM: "batch transform",
}


class Latency(StrEnum):
    """How long a caller can wait for one answer (see :data:`LATENCY_BOUND_SECONDS`)."""

    MILLISECONDS = "milliseconds"
    SECONDS = "seconds"
    MINUTES = "minutes"
    HOURS = "hours"


# Our own scale, not an AWS limit: the longest wait (seconds) each latency level accepts.
LATENCY_BOUND_SECONDS: dict[Latency, float] = {
    Latency.MILLISECONDS: 1.0,
    Latency.SECONDS: 60.0,
    Latency.MINUTES: 3600.0,
    Latency.HOURS: math.inf,
}


class Traffic(StrEnum):
    """The shape of the request stream."""

    STEADY = "steady"  # sustained, predictable volume
    SPIKY = "spiky"  # unpredictable bursts
    INTERMITTENT = "intermittent"  # sporadic requests with idle periods in between
    SCHEDULED = "scheduled"  # work arrives in runs at known times (nightly, hourly)


@dataclass(frozen=True, slots=True)
class Alternative:
    """Another option worth considering, and when it would be the better choice."""

    option: InferenceOption
    when: str

    @property
    def construct(self) -> str:
        """Name of the construct that deploys :attr:`option`."""
        return self.option.construct

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form."""
        return {"option": self.option.value, "construct": self.construct, "when": self.when}


@dataclass(frozen=True, slots=True)
class Recommendation:
    """The chosen option, why it was chosen, and what else to weigh."""

    option: InferenceOption
    reasons: tuple[str, ...]
    alternatives: tuple[Alternative, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def construct(self) -> str:
        """Name of the cdk_sagemaker construct to use, e.g. ``"ServerlessEndpoint"``."""
        return self.option.construct

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "option": self.option.value,
            "construct": self.construct,
            "reasons": list(self.reasons),
            "alternatives": [a.to_dict() for a in self.alternatives],
            "warnings": list(self.warnings),
        }


class NoInferenceOptionFits(Exception):  # noqa: N818 - reads as a statement, like StopIteration
    """Valid inputs that no SageMaker inference option can serve as stated.

    ``reasons`` say which limit or requirement is in the way, ``suggestions`` what to do instead, ``nearest`` the
    option that comes closest once the workload is changed (``None`` when none does).
    """

    def __init__(
        self, reasons: tuple[str, ...], suggestions: tuple[str, ...], nearest: InferenceOption | None = None
    ) -> None:
        self.reasons = reasons
        self.suggestions = suggestions
        self.nearest = nearest
        super().__init__("no SageMaker inference option fits: " + " ".join((*reasons, *suggestions)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (``option`` and ``construct`` are ``null``)."""
        return {
            "option": None,
            "construct": None,
            "reasons": list(self.reasons),
            "suggestions": list(self.suggestions),
            "nearest": None if self.nearest is None else self.nearest.value,
        }


# --- Validation ----------------------------------------------------------------------------------------------------


def _check_amount(problems: Problems, name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.add(name, "must be a number", value)
        return 0.0
    if not math.isfinite(value) or value < 0:
        problems.add(name, "must be a finite number >= 0", value)
        return 0.0
    return float(value)


_E = TypeVar("_E", Latency, Traffic)


def _check_choice(problems: Problems, name: str, value: object, enum: type[_E]) -> _E | None:
    if isinstance(value, enum):
        return value
    if isinstance(value, str) and value in {m.value for m in enum}:
        return enum(value)
    choices = ", ".join(repr(m.value) for m in enum)
    problems.add(name, f"must be one of {choices}", value)
    return None


def _check_flag(problems: Problems, name: str, value: object, *, optional: bool = False) -> None:
    if not (isinstance(value, bool) or (optional and value is None)):
        problems.add(name, "must be True, False or None" if optional else "must be True or False", value)


# --- The decision --------------------------------------------------------------------------------------------------


def _mb(value: float) -> str:
    return f"{value:g} MB"


def _secs(value: float) -> str:
    return f"{value:g} s"


def recommend_inference_option(
    *,
    payload_mb: float,
    processing_seconds: float,
    latency: Latency | str,
    traffic: Traffic | str,
    needs_response_per_request: bool = True,
    tolerates_cold_start: bool | None = None,
    needs_gpu: bool = False,
) -> Recommendation:
    """Recommend one of the four SageMaker inference options for a workload.

    :param payload_mb: size of one request in MB (for batch work: one record or mini-batch sent to the model).
    :param processing_seconds: time the model needs for one request.
    :param latency: how long the caller can wait for an answer: ``"milliseconds"`` (under a second), ``"seconds"``
        (under a minute), ``"minutes"`` (under an hour) or ``"hours"`` (no tight deadline).
    :param traffic: ``"steady"``, ``"spiky"`` (unpredictable bursts), ``"intermittent"`` (idle periods) or
        ``"scheduled"`` (runs at known times).
    :param needs_response_per_request: whether each request needs its own answer back. Default: True.
    :param tolerates_cold_start: whether an occasional slow first request (serverless cold start) is acceptable.
        Default: derived from ``latency`` (acceptable unless ``"milliseconds"``).
    :param needs_gpu: the model needs a GPU (serverless endpoints are CPU only). Default: False.
    :raises ValidationError: a malformed input (unknown choice, negative, NaN or infinite amount).
    :raises NoInferenceOptionFits: valid inputs that no option can serve; the error says what to change.
    """
    problems = Problems(_PATH)
    payload = _check_amount(problems, "payload_mb", payload_mb)
    seconds = _check_amount(problems, "processing_seconds", processing_seconds)
    lat = _check_choice(problems, "latency", latency, Latency)
    traf = _check_choice(problems, "traffic", traffic, Traffic)
    _check_flag(problems, "needs_response_per_request", needs_response_per_request)
    _check_flag(problems, "tolerates_cold_start", tolerates_cold_start, optional=True)
    _check_flag(problems, "needs_gpu", needs_gpu)
    problems.raise_if_any()
    assert lat is not None and traf is not None  # narrowed: raise_if_any raised otherwise

    _reject_beyond_every_limit(payload, seconds)
    if not needs_response_per_request:
        return _offline(payload, seconds, lat, traf)
    cold_ok = tolerates_cold_start if tolerates_cold_start is not None else lat is not Latency.MILLISECONDS
    return _online(payload, seconds, lat, traf, cold_ok=cold_ok, needs_gpu=needs_gpu)


def _reject_beyond_every_limit(payload: float, seconds: float) -> None:
    reasons: list[str] = []
    suggestions: list[str] = []
    if payload > ASYNC_MAX_PAYLOAD_MB:
        reasons.append(
            f"A {_mb(payload)} request is larger than any option accepts: asynchronous inference stops at "
            f"{_mb(ASYNC_MAX_PAYLOAD_MB)} (1 GB) per request and batch transform at {_mb(BATCH_MAX_RECORD_MB)} "
            "per record."
        )
        suggestions.append(
            "Split the input into pieces of at most 1 GB for an AsyncEndpoint, or into records of at most "
            f"{_mb(BATCH_MAX_RECORD_MB)} for a BatchTransform (which then handles a dataset of any size)."
        )
    if seconds > ASYNC_MAX_PROCESSING_SECONDS:
        reasons.append(
            f"Processing one request takes {_secs(seconds)}, longer than the one-hour "
            f"({ASYNC_MAX_PROCESSING_SECONDS:g} s) cap of asynchronous inference and of a batch transform record."
        )
        suggestions.append("Split the work so each piece finishes within an hour, then use async or batch transform.")
    if reasons:
        suggestions.append(
            "Or run it as a SageMaker Processing job (up to "
            f"{_PROCESSING_JOB_MAX_DAYS} days per job) or a training job, which have no per-request limits."
        )
        raise NoInferenceOptionFits(tuple(reasons), tuple(suggestions), None)


def _offline(payload: float, seconds: float, lat: Latency, traf: Traffic) -> Recommendation:
    warnings: list[str] = []
    if lat in (Latency.MILLISECONDS, Latency.SECONDS):
        warnings.append(
            f"latency {lat.value!r} does not apply without per-request answers: results land in Amazon S3 when "
            "the job (or queued request) finishes, minutes rather than seconds after it starts."
        )
    no_answer = "Requests do not need an answer each, so no endpoint has to stay up waiting for callers."
    if payload > BATCH_MAX_RECORD_MB:
        return Recommendation(
            option=InferenceOption.ASYNC,
            reasons=(
                no_answer,
                f"Each input is {_mb(payload)}, above batch transform's {_mb(BATCH_MAX_RECORD_MB)} per record "
                f"(MaxPayloadInMB); asynchronous inference reads inputs of up to 1 GB from S3 and writes results "
                "back to S3.",
                "An async endpoint can scale to zero instances between runs, so idle time costs nothing.",
            ),
            alternatives=(
                Alternative(
                    InferenceOption.BATCH_TRANSFORM,
                    f"if the input can be split into records of at most {_mb(BATCH_MAX_RECORD_MB)} "
                    "(SplitType Line, RecordIO or TFRecord).",
                ),
            ),
            warnings=tuple(warnings),
        )
    reasons = [
        no_answer,
        f"Batch transform runs a job over the whole dataset in S3 and bills only while it runs; each "
        f"{_mb(payload)} record is within its {_mb(BATCH_MAX_RECORD_MB)} limit and {_secs(seconds)} of processing "
        f"within its one-hour per-record limit.",
    ]
    alternatives: list[Alternative] = []
    if traf is Traffic.SCHEDULED:
        reasons.append("Scheduled runs map to a job started on a schedule (the BatchTransform schedule option).")
    else:
        alternatives.append(
            Alternative(
                InferenceOption.ASYNC,
                f"if inputs arrive continuously ({traf.value} traffic) and each should be processed as it lands, "
                "with results in S3 and optional SNS notifications.",
            )
        )
    return Recommendation(InferenceOption.BATCH_TRANSFORM, tuple(reasons), tuple(alternatives), tuple(warnings))


def _online(
    payload: float, seconds: float, lat: Latency, traf: Traffic, *, cold_ok: bool, needs_gpu: bool
) -> Recommendation:
    fits_sync = payload <= REALTIME_MAX_PAYLOAD_MB and seconds <= REALTIME_MAX_PROCESSING_SECONDS
    bound = LATENCY_BOUND_SECONDS[lat]
    if lat is Latency.MILLISECONDS and payload > REALTIME_MAX_PAYLOAD_MB:
        raise NoInferenceOptionFits(
            (
                f"A {_mb(payload)} request with a latency need of milliseconds is a conflict: the only synchronous "
                f"endpoints (real-time, serverless) accept at most {_mb(REALTIME_MAX_PAYLOAD_MB)} per request, and "
                "asynchronous inference, which takes larger inputs, goes through S3 and a queue, so answers take "
                "seconds to minutes.",
            ),
            (
                f"Shrink the request below {_mb(REALTIME_MAX_PAYLOAD_MB)} (compress it, send features instead of raw "
                "data, or send an S3 key and let the container fetch the object) and use a RealtimeEndpoint.",
                "Or accept answers within seconds to minutes and use an AsyncEndpoint.",
            ),
            InferenceOption.ASYNC,
        )
    if seconds > bound:
        nearest = InferenceOption.REALTIME if fits_sync else InferenceOption.ASYNC
        raise NoInferenceOptionFits(
            (
                f"The model needs {_secs(seconds)} per request, but a latency need of {lat.value} allows at most "
                f"{_secs(bound)}; no hosting option makes the model itself faster.",
            ),
            (
                "Make the model faster (a smaller or compiled model, e.g. SageMaker Neo, or a faster instance type).",
                f"Or relax the latency requirement; with {_secs(seconds)} per request, {nearest.label} "
                f"({nearest.construct}) would fit.",
            ),
            nearest,
        )
    if not fits_sync:
        return _async_online(payload, seconds, lat, traf)
    return _sync_online(payload, seconds, lat, traf, cold_ok=cold_ok, needs_gpu=needs_gpu)


def _async_online(payload: float, seconds: float, lat: Latency, traf: Traffic) -> Recommendation:
    reasons: list[str] = []
    if payload > REALTIME_MAX_PAYLOAD_MB:
        reasons.append(
            f"A {_mb(payload)} request is over the {_mb(REALTIME_MAX_PAYLOAD_MB)} limit of synchronous endpoints; "
            f"asynchronous inference takes up to 1 GB, uploaded to S3."
        )
    if seconds > REALTIME_MAX_PROCESSING_SECONDS:
        reasons.append(
            f"Processing takes {_secs(seconds)}, over the {_secs(REALTIME_MAX_PROCESSING_SECONDS)} a synchronous "
            "endpoint waits; asynchronous requests may run for up to an hour."
        )
    reasons.append(
        "Requests are queued, so bursts wait their turn instead of failing, and each answer is written to S3."
    )
    if traf is not Traffic.STEADY:
        reasons.append(
            f"With {traf.value} traffic, the endpoint can scale in to zero instances while the queue is empty."
        )
    warnings: list[str] = []
    if lat is Latency.SECONDS:
        warnings.append(
            "Answers are near real time: add the S3 upload, queueing and result polling (or an SNS notification) "
            "to the processing time when checking the latency budget."
        )
    alternatives: list[Alternative] = []
    if traf is Traffic.SCHEDULED:
        alternatives.append(
            Alternative(
                InferenceOption.BATCH_TRANSFORM,
                "if the scheduled run can collect all answers from S3 at the end instead of per request.",
            )
        )
    return Recommendation(InferenceOption.ASYNC, tuple(reasons), tuple(alternatives), tuple(warnings))


_IDLE: dict[Traffic, str] = {
    Traffic.STEADY: "Steady traffic keeps the endpoint busy",
    Traffic.SPIKY: "Spiky traffic comes in unpredictable bursts with quiet time in between",
    Traffic.INTERMITTENT: "Intermittent traffic leaves the endpoint idle between requests",
    Traffic.SCHEDULED: "Scheduled traffic leaves the endpoint idle between runs",
}


def _sync_online(
    payload: float, seconds: float, lat: Latency, traf: Traffic, *, cold_ok: bool, needs_gpu: bool
) -> Recommendation:
    within = (
        f"A {_mb(payload)} request and {_secs(seconds)} of processing are within the synchronous limits "
        f"({_mb(REALTIME_MAX_PAYLOAD_MB)}, {_secs(REALTIME_MAX_PROCESSING_SECONDS)})."
    )
    batch_alt = Alternative(
        InferenceOption.BATCH_TRANSFORM,
        "if the scheduled run can collect all answers from S3 at the end instead of per request.",
    )
    if traf is Traffic.STEADY:
        return Recommendation(
            InferenceOption.REALTIME,
            (
                within,
                "Steady traffic keeps always-on instances busy, so a persistent endpoint is cost-effective and gives "
                "consistent latency; scale it with auto scaling on invocations per instance.",
            ),
        )

    serverless_blockers: list[str] = []
    if payload > SERVERLESS_MAX_PAYLOAD_MB:
        serverless_blockers.append(
            f"a {_mb(payload)} request is over the serverless limit of {_mb(SERVERLESS_MAX_PAYLOAD_MB)}"
        )
    if needs_gpu:
        serverless_blockers.append("serverless endpoints have no GPUs")
    if not cold_ok:
        serverless_blockers.append(
            f"a latency need of {lat.value} does not tolerate serverless cold starts"
            if lat is Latency.MILLISECONDS
            else "cold starts are not acceptable"
        )
    idle = _IDLE[traf]
    extra_alts = (batch_alt,) if traf is Traffic.SCHEDULED else ()

    if not serverless_blockers:
        warnings: list[str] = []
        if traf in (Traffic.SPIKY, Traffic.SCHEDULED):
            warnings.append(
                "A burst above the endpoint's MaxConcurrency (at most 200) is throttled, and new capacity starts "
                "cold; set provisioned concurrency if bursts are predictable."
            )
        return Recommendation(
            InferenceOption.SERVERLESS,
            (
                within,
                f"A {_mb(payload)} request is within the serverless limit of {_mb(SERVERLESS_MAX_PAYLOAD_MB)}.",
                f"{idle}; serverless scales with the load, down to zero, and bills only for the compute each request "
                "uses; cold starts are acceptable here.",
            ),
            (
                Alternative(
                    InferenceOption.REALTIME,
                    "if traffic becomes sustained or every request needs consistently low latency.",
                ),
                *extra_alts,
            ),
            tuple(warnings),
        )

    blockers = "; ".join(serverless_blockers)
    if lat in (Latency.MINUTES, Latency.HOURS):
        return Recommendation(
            InferenceOption.ASYNC,
            (
                within,
                f"Serverless is ruled out: {blockers}.",
                f"{idle}; with a latency allowance of {lat.value}, an async endpoint queues requests and scales "
                "to zero instances while idle, so you pay only while it works.",
            ),
            (Alternative(InferenceOption.REALTIME, "if answers are needed within seconds."), *extra_alts),
            (),
        )
    alternatives: list[Alternative] = []
    if payload <= SERVERLESS_MAX_PAYLOAD_MB and not needs_gpu:
        alternatives.append(
            Alternative(
                InferenceOption.SERVERLESS,
                "with provisioned concurrency, if the busy periods are predictable: it keeps capacity warm "
                "(no cold starts) and costs nothing beyond that while idle.",
            )
        )
    alternatives.extend(extra_alts)
    return Recommendation(
        InferenceOption.REALTIME,
        (
            within,
            f"Serverless is ruled out: {blockers}.",
            f"A real-time endpoint keeps instances warm for answers within {lat.value}; auto scaling follows "
            f"the {traf.value} load.",
        ),
        tuple(alternatives),
        (
            f"{idle}, and a real-time endpoint bills for its instances while they wait: keep the minimum "
            "capacity small, scale on invocations per instance, and leave headroom because scaling out takes "
            "minutes.",
        ),
    )
