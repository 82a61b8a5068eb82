"""The inference-option chooser: canonical workloads, limits, out-of-range cases and bad inputs."""

from __future__ import annotations

import math
from typing import Any

import pytest

import cdk_sagemaker
from cdk_sagemaker import InferenceOption, NoInferenceOptionFits, Recommendation, ValidationError, chooser
from cdk_sagemaker.chooser import Latency, Traffic, recommend_inference_option

Opt = InferenceOption


def recommend(**overrides: Any) -> Recommendation:
    kwargs: dict[str, Any] = {
        "payload_mb": 1.0,
        "processing_seconds": 0.1,
        "latency": "seconds",
        "traffic": "steady",
    }
    kwargs.update(overrides)
    return recommend_inference_option(**kwargs)


# --- canonical workloads (course notes) ----------------------------------------------------------------------------

CANONICAL = {
    "fraud check at checkout, milliseconds, steady": (
        {"payload_mb": 0.01, "processing_seconds": 0.05, "latency": "milliseconds", "traffic": "steady"},
        Opt.REALTIME,
        "RealtimeEndpoint",
    ),
    "sporadic internal tool, tolerates cold start": (
        {"payload_mb": 0.1, "processing_seconds": 1, "latency": "seconds", "traffic": "intermittent"},
        Opt.SERVERLESS,
        "ServerlessEndpoint",
    ),
    "500 MB video, 20 minutes": (
        {"payload_mb": 500, "processing_seconds": 20 * 60, "latency": "minutes", "traffic": "spiky"},
        Opt.ASYNC,
        "AsyncEndpoint",
    ),
    "nightly scoring of daily sales": (
        {
            "payload_mb": 0.001,
            "processing_seconds": 0.01,
            "latency": "hours",
            "traffic": "scheduled",
            "needs_response_per_request": False,
        },
        Opt.BATCH_TRANSFORM,
        "BatchTransform",
    ),
}


@pytest.mark.parametrize(("kwargs", "option", "construct"), CANONICAL.values(), ids=CANONICAL.keys())
def test_canonical_workload(kwargs: dict[str, Any], option: InferenceOption, construct: str) -> None:
    rec = recommend_inference_option(**kwargs)
    assert rec.option is option
    assert rec.construct == construct
    assert rec.reasons and all(isinstance(r, str) and r for r in rec.reasons)


def test_reasons_refer_to_the_inputs() -> None:
    rec = recommend(payload_mb=500, processing_seconds=1200, latency="minutes", traffic="spiky")
    text = " ".join(rec.reasons)
    assert "500 MB" in text and "1200 s" in text and "spiky" in text


def test_recommendation_is_frozen() -> None:
    rec = recommend()
    with pytest.raises(AttributeError):
        rec.option = Opt.ASYNC  # type: ignore[misc]


def test_enums_and_strings_are_interchangeable() -> None:
    assert recommend(latency=Latency.MILLISECONDS, traffic=Traffic.STEADY) == recommend(
        latency="milliseconds", traffic="steady"
    )


# --- decision details ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "option"),
    [
        # exactly at the synchronous limits still fits real-time
        ({"payload_mb": 6, "processing_seconds": 60}, Opt.REALTIME),
        # just over either synchronous limit needs a queue
        ({"payload_mb": 6.01}, Opt.ASYNC),
        ({"processing_seconds": 61, "latency": "minutes"}, Opt.ASYNC),
        # exactly at the async limits
        ({"payload_mb": 1024, "processing_seconds": 3600, "latency": "hours"}, Opt.ASYNC),
        # serverless stops at 4 MB: intermittent traffic with a 5 MB request goes real-time (seconds) ...
        ({"payload_mb": 4, "traffic": "intermittent"}, Opt.SERVERLESS),
        ({"payload_mb": 5, "traffic": "intermittent"}, Opt.REALTIME),
        # ... or async when answers may take minutes (scales to zero)
        ({"payload_mb": 5, "traffic": "intermittent", "latency": "minutes"}, Opt.ASYNC),
        # spiky traffic that tolerates cold starts is serverless, that does not is real-time
        ({"traffic": "spiky"}, Opt.SERVERLESS),
        ({"traffic": "spiky", "latency": "milliseconds"}, Opt.REALTIME),
        ({"traffic": "spiky", "tolerates_cold_start": False}, Opt.REALTIME),
        ({"traffic": "intermittent", "latency": "milliseconds", "tolerates_cold_start": True}, Opt.SERVERLESS),
        # serverless has no GPUs
        ({"traffic": "intermittent", "needs_gpu": True}, Opt.REALTIME),
        # no per-request answer: batch transform, unless a record is over its 100 MB cap
        ({"needs_response_per_request": False, "traffic": "steady"}, Opt.BATCH_TRANSFORM),
        ({"needs_response_per_request": False, "payload_mb": 100}, Opt.BATCH_TRANSFORM),
        ({"needs_response_per_request": False, "payload_mb": 101}, Opt.ASYNC),
    ],
)
def test_decision(overrides: dict[str, Any], option: InferenceOption) -> None:
    assert recommend(**overrides).option is option


def test_realtime_for_intermittent_traffic_suggests_provisioned_serverless() -> None:
    rec = recommend(traffic="intermittent", latency="milliseconds")
    assert rec.option is Opt.REALTIME
    assert [a.option for a in rec.alternatives] == [Opt.SERVERLESS]
    assert "provisioned concurrency" in rec.alternatives[0].when
    assert any("idle" in w for w in rec.warnings)


def test_scheduled_traffic_that_needs_answers_mentions_batch_transform() -> None:
    rec = recommend(traffic="scheduled")
    assert Opt.BATCH_TRANSFORM in [a.option for a in rec.alternatives]


def test_big_records_without_answers_say_how_batch_transform_would_fit() -> None:
    rec = recommend(needs_response_per_request=False, payload_mb=300, latency="hours")
    assert rec.option is Opt.ASYNC
    assert "100 MB" in " ".join(rec.reasons)
    assert rec.alternatives[0].option is Opt.BATCH_TRANSFORM
    assert "SplitType" in rec.alternatives[0].when


def test_batch_with_a_tight_latency_warns_that_latency_does_not_apply() -> None:
    rec = recommend(needs_response_per_request=False, latency="milliseconds")
    assert rec.option is Opt.BATCH_TRANSFORM
    assert any("'milliseconds'" in w for w in rec.warnings)


def test_async_with_seconds_latency_warns_about_the_round_trip() -> None:
    rec = recommend(payload_mb=50, latency="seconds")
    assert rec.option is Opt.ASYNC
    assert any("near real time" in w for w in rec.warnings)


def test_to_dict_is_json_ready() -> None:
    data = recommend(traffic="intermittent").to_dict()
    assert data["option"] == "serverless"
    assert data["construct"] == "ServerlessEndpoint"
    assert data["alternatives"][0] == {
        "option": "realtime",
        "construct": "RealtimeEndpoint",
        "when": data["alternatives"][0]["when"],
    }


# --- out of range: explained, never mapped -------------------------------------------------------------------------

OUT_OF_RANGE = {
    "payload over 1 GB": (
        {"payload_mb": 2048, "latency": "hours"},
        ["2048 MB", "1 GB"],
        ["Split the input", "BatchTransform", "Processing job"],
        None,
    ),
    "processing over an hour": (
        {"processing_seconds": 2 * 3600, "latency": "hours"},
        ["7200 s", "one-hour"],
        ["Split the work", "Processing job", "training job"],
        None,
    ),
    "payload over the real-time limit with millisecond latency": (
        {"payload_mb": 20, "latency": "milliseconds"},
        ["20 MB", "milliseconds", "conflict", "6 MB"],
        ["Shrink the request", "AsyncEndpoint"],
        Opt.ASYNC,
    ),
    "processing slower than the latency need": (
        {"processing_seconds": 5, "latency": "milliseconds"},
        ["5 s", "milliseconds"],
        ["faster", "relax the latency", "RealtimeEndpoint"],
        Opt.REALTIME,
    ),
    "no per-request answer does not lift the 1 GB limit": (
        {"payload_mb": 5000, "needs_response_per_request": False},
        ["5000 MB"],
        ["Split the input"],
        None,
    ),
}


@pytest.mark.parametrize(("overrides", "why", "what_to_do", "nearest"), OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_out_of_range_is_explained(
    overrides: dict[str, Any], why: list[str], what_to_do: list[str], nearest: InferenceOption | None
) -> None:
    with pytest.raises(NoInferenceOptionFits) as caught:
        recommend(**overrides)
    exc = caught.value
    reasons, suggestions = " ".join(exc.reasons), " ".join(exc.suggestions)
    for fragment in why:
        assert fragment in reasons
    for fragment in what_to_do:
        assert fragment in suggestions
    assert exc.nearest is nearest
    assert str(exc).startswith("no SageMaker inference option fits: ")
    assert exc.to_dict()["option"] is None


def test_both_limits_exceeded_are_both_explained() -> None:
    with pytest.raises(NoInferenceOptionFits) as caught:
        recommend(payload_mb=4096, processing_seconds=7200, latency="hours")
    assert len(caught.value.reasons) == 2


# --- bad input -----------------------------------------------------------------------------------------------------

BAD = {
    "negative payload": ({"payload_mb": -1.0}, "payload_mb must be a finite number >= 0, got -1.0"),
    "NaN payload": ({"payload_mb": math.nan}, "payload_mb must be a finite number >= 0, got nan"),
    "infinite payload": ({"payload_mb": math.inf}, "payload_mb must be a finite number >= 0, got inf"),
    "string payload": ({"payload_mb": "2"}, "payload_mb must be a number, got '2'"),
    "bool payload": ({"payload_mb": True}, "payload_mb must be a number, got True"),
    "negative time": (
        {"processing_seconds": -0.5},
        "processing_seconds must be a finite number >= 0, got -0.5",
    ),
    "NaN time": ({"processing_seconds": math.nan}, "processing_seconds must be a finite number >= 0, got nan"),
    "unknown latency": (
        {"latency": "fast"},
        "latency must be one of 'milliseconds', 'seconds', 'minutes', 'hours', got 'fast'",
    ),
    "unknown traffic": (
        {"traffic": "bursty"},
        "traffic must be one of 'steady', 'spiky', 'intermittent', 'scheduled', got 'bursty'",
    ),
    "traffic of the wrong enum": (
        {"traffic": Latency.SECONDS},
        "traffic must be one of 'steady', 'spiky', 'intermittent', 'scheduled', got <Latency.SECONDS: 'seconds'>",
    ),
    "non-bool response flag": (
        {"needs_response_per_request": "no"},
        "needs_response_per_request must be True or False, got 'no'",
    ),
    "non-bool cold start": ({"tolerates_cold_start": 1}, "tolerates_cold_start must be True, False or None, got 1"),
}


@pytest.mark.parametrize(("overrides", "message"), BAD.values(), ids=BAD.keys())
def test_bad_input_is_rejected(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        recommend(**overrides)
    assert caught.value.path == "recommend_inference_option"
    assert caught.value.problems == (message,)
    assert str(caught.value) == f"recommend_inference_option: {message}"


def test_all_bad_inputs_are_reported_together() -> None:
    with pytest.raises(ValidationError, match="3 problems") as caught:
        recommend(payload_mb=-1, processing_seconds=math.nan, latency="soon")
    assert [p.split()[0] for p in caught.value.problems] == ["payload_mb", "processing_seconds", "latency"]


# --- limits and exports --------------------------------------------------------------------------------------------


def test_limits_agree_with_the_botocore_service_models() -> None:
    """Where botocore's SageMaker models carry the number, it must match the constant (which cites the AWS doc)."""
    loaders = pytest.importorskip("botocore.loaders")
    loader = loaders.Loader()
    runtime = loader.load_service_model("sagemaker-runtime", "service-2")["shapes"]
    control = loader.load_service_model("sagemaker", "service-2")["shapes"]
    assert runtime["BodyBlob"]["max"] == chooser.REALTIME_MAX_PAYLOAD_MB * 2**20
    assert runtime["InvocationTimeoutSecondsHeader"]["max"] == chooser.ASYNC_MAX_PROCESSING_SECONDS
    assert control["InvocationsTimeoutInSeconds"]["max"] == chooser.BATCH_MAX_PROCESSING_SECONDS
    assert control["ProcessingMaxRuntimeInSeconds"]["max"] == chooser._PROCESSING_JOB_MAX_DAYS * 86400


def test_limits_are_ordered() -> None:
    assert chooser.SERVERLESS_MAX_PAYLOAD_MB < chooser.REALTIME_MAX_PAYLOAD_MB < chooser.BATCH_MAX_RECORD_MB
    assert chooser.BATCH_MAX_RECORD_MB < chooser.ASYNC_MAX_PAYLOAD_MB
    assert chooser.SERVERLESS_MAX_PROCESSING_SECONDS == chooser.REALTIME_MAX_PROCESSING_SECONDS
    assert chooser.REALTIME_MAX_PROCESSING_SECONDS < chooser.ASYNC_MAX_PROCESSING_SECONDS


def test_constructs_cover_every_option() -> None:
    assert {o.construct for o in InferenceOption} == {
        "RealtimeEndpoint",
        "ServerlessEndpoint",
        "AsyncEndpoint",
        "BatchTransform",
    }


def test_lazy_exports() -> None:
    for name in ("recommend_inference_option", "Recommendation", "InferenceOption", "NoInferenceOptionFits"):
        assert name in cdk_sagemaker.__all__
        assert getattr(cdk_sagemaker, name) is getattr(chooser, name)
