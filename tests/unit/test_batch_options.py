"""BatchTransform's option groups: each group's own problems (field, allowed, value), the flat keywords and the
groups as two spellings of one setting (the same template, a setting given both ways rejected), the resolved groups
the construct exposes, and one hook overridden in a subclass."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_events as events
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Template

from cdk_sagemaker import (
    BatchInput,
    BatchOutput,
    BatchResources,
    BatchRunPolicy,
    BatchTransform,
    ContainerImage,
    DataProcessing,
    Model,
    ModelData,
    ValidationError,
)
from cdk_sagemaker.errors import Problem

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
IN = "s3://my-bucket/batch/input/"
OUT = "s3://my-bucket/batch/output/"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))


# -- each group checks itself ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("group", [BatchInput(), BatchOutput(), BatchResources(), BatchRunPolicy(), DataProcessing()])
def test_defaults_have_no_problems(group: Any) -> None:
    assert group.problems() == []


@pytest.mark.parametrize(("group", "expected"), [
    (BatchInput(split_type="Csv"),  # type: ignore[arg-type]
     ["input.split_type must be one of Line, None, RecordIO, TFRecord, got 'Csv'"]),
    (BatchInput(data_type="AugmentedManifestFile"),  # type: ignore[arg-type]
     ["input.data_type must be one of ManifestFile, S3Prefix, got 'AugmentedManifestFile'"]),
    (BatchInput(compression="Zip"),  # type: ignore[arg-type]
     ["input.compression must be one of Gzip, None, got 'Zip'"]),
    (BatchInput(content_type="x" * 257),
     [f"input.content_type must be a MIME type of at most 256 characters, got {'x' * 257!r}"]),
    (BatchInput(s3_uri="s3://b1c/lists/", data_type="ManifestFile"),
     ["input.s3_uri must name a manifest object (not a prefix ending in '/') with input.data_type='ManifestFile', "
      "got 's3://b1c/lists/'"]),
    (BatchInput(s3_uri="s3://my-bucket"),
     ["input.s3_uri must be an s3://bucket/key URI of at most 1024 characters, got 's3://my-bucket'"]),
    (BatchOutput(assemble_with="Json"),  # type: ignore[arg-type]
     ["output.assemble_with must be one of Line, None, got 'Json'"]),
    (BatchOutput(accept="x" * 257),
     [f"output.accept must be a MIME type of at most 256 characters, got {'x' * 257!r}"]),
    (BatchResources(instance_type="ml.m5.mega"),
     ["resources.instance_type must be a SageMaker batch transform instance type (botocore TransformInstanceType, "
      "e.g. 'ml.m5.xlarge'), got 'ml.m5.mega'"]),
    (BatchResources(instance_count=0), ["resources.instance_count must be at least 1, got 0"]),
    (BatchResources(batch_strategy="Many"),  # type: ignore[arg-type]
     ["resources.batch_strategy must be one of MultiRecord, SingleRecord, got 'Many'"]),
    (BatchResources(max_concurrent_transforms=8, max_payload_mb=20),
     ["resources.max_concurrent_transforms * resources.max_payload_mb must be at most 100 MB, got 8 * 20 = 160"]),
    (BatchResources(invocation_max_retries=4), ["resources.invocation_max_retries must be between 0 and 3, got 4"]),
    (BatchResources(invocation_timeout=cdk.Duration.hours(2)),
     ["resources.invocation_timeout must be between 1 and 3600 seconds, got '2 hours'"]),
    (BatchResources(environment={"1BAD": "v"}),
     ["resources.environment key must match [a-zA-Z_][a-zA-Z0-9_]{0,1023}, got '1BAD'"]),
    (BatchRunPolicy(retry_attempts=11), ["run_policy.retry_attempts must be between 0 and 10, got 11"]),
    (BatchRunPolicy(job_name_prefix="Scores"),
     ["run_policy.job_name_prefix must be lower-case letters, digits and '-' (starting and ending with a letter or "
      "digit), at most 26 characters, got 'Scores'"]),
    (BatchRunPolicy(timeout=cdk.Duration.seconds(30)),
     ["run_policy.timeout must be between 1 minute and 365 days (Standard workflow limit), got '30 seconds'"]),
    (BatchRunPolicy(log_level=sfn.LogLevel.OFF),
     ["run_policy.log_level must be ALL, ERROR or FATAL (execution history must be logged), got 'OFF'"]),
    (DataProcessing(input_filter="[1:]"),
     ["data_processing.input_filter must be a JSONPath starting with '$' of at most 63 characters, got '[1:]'"]),
])
def test_a_group_names_field_allowed_values_and_value(group: Any, expected: list[str]) -> None:
    problems = group.problems()
    assert all(isinstance(p, Problem) for p in problems)  # the library's one error type
    assert [str(p) for p in problems] == expected


def test_a_group_collects_all_its_problems() -> None:
    problems = BatchResources(instance_count=0, max_payload_mb=500, invocation_max_retries=9).problems()
    assert [p.param for p in problems] == [
        "resources.instance_count", "resources.max_payload_mb", "resources.invocation_max_retries"]


def test_a_group_names_a_field_given_as_a_flat_keyword() -> None:
    problems = BatchInput(s3_uri="https://x/in/").problems(given_as={"s3_uri": "input_s3_uri"})
    assert len(problems) == 1 and str(problems[0]).startswith("input_s3_uri must be an S3 URI starting with 's3://'")


# -- flat keywords and groups: one setting, two spellings -------------------------------------------------------------
def _synth(build: Any) -> dict[str, Any]:
    stack = cdk.Stack(cdk.App(), "TestStack")
    model = Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))
    build(stack, model)
    template: dict[str, Any] = Template.from_stack(stack).to_json()
    return template


def test_flat_keywords_and_groups_build_the_same_template() -> None:
    cron = events.Schedule.cron(hour="2", minute="0")
    flat = _synth(lambda s, m: BatchTransform(s, "Nightly", model=m, instance_type="ml.c5.xlarge",
                                              input_s3_uri=IN, output_s3_uri=OUT, schedule=cron))
    grouped = _synth(lambda s, m: BatchTransform(
        s, "Nightly", model=m, input=BatchInput(s3_uri=IN), output=BatchOutput(s3_uri=OUT),
        resources=BatchResources(instance_type="ml.c5.xlarge"), run_policy=BatchRunPolicy(schedule=cron)))
    assert json.dumps(flat, sort_keys=True) == json.dumps(grouped, sort_keys=True)
    assert any(r["Type"] == "AWS::Events::Rule" for r in grouped["Resources"].values())


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"input_s3_uri": IN, "input": BatchInput(s3_uri="s3://other-bucket/in/"), "output_s3_uri": OUT},
     r"input_s3_uri must not be given together with input.s3_uri \(the same setting; give it once\), "
     r"got 's3://my-bucket/batch/input/' and 's3://other-bucket/in/'"),
    ({"input_s3_uri": IN, "output_s3_uri": OUT, "output": BatchOutput(s3_uri=OUT)},
     r"output_s3_uri must not be given together with output.s3_uri .*got 's3://my-bucket/batch/output/' and "
     r"'s3://my-bucket/batch/output/'"),
    ({"input_s3_uri": IN, "output_s3_uri": OUT, "instance_type": "ml.c5.xlarge",
      "resources": BatchResources(instance_type="ml.m5.xlarge")},
     r"instance_type must not be given together with resources.instance_type .*got 'ml.c5.xlarge' and "
     r"'ml.m5.xlarge'"),
    ({"input_s3_uri": IN, "output_s3_uri": OUT, "schedule": events.Schedule.rate(cdk.Duration.days(1)),
      "run_policy": BatchRunPolicy(schedule=events.Schedule.rate(cdk.Duration.days(2)))},
     r"schedule must not be given together with run_policy.schedule \(the same setting; give it once\), got <"),
])
def test_a_setting_given_both_ways_is_rejected(stack: cdk.Stack, model: Model, kwargs: dict[str, Any],
                                               message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        BatchTransform(stack, "Nightly", model=model, **kwargs)
    assert err.value.path == "TestStack/Nightly" and len(err.value.problems) == 1


def test_missing_locations_are_reported_together(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError) as err:
        BatchTransform(stack, "Nightly", model=model, input=BatchInput(content_type="text/csv"))
    assert err.value.problems == (
        "input_s3_uri must be given (input_s3_uri=... or input=BatchInput(s3_uri=...)), got None",
        "output_s3_uri must be given (output_s3_uri=... or output=BatchOutput(s3_uri=...)), got None",
    )


def test_problems_of_every_group_and_the_model_are_raised_together(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError) as err:
        BatchTransform(stack, "Nightly", model="not a model", input_s3_uri=IN,  # type: ignore[arg-type]
                       output=BatchOutput(s3_uri=IN + "out/", assemble_with="Json"),  # type: ignore[arg-type]
                       resources=BatchResources(instance_count=0),
                       run_policy=BatchRunPolicy(retry_attempts=-1),
                       data_processing=DataProcessing(output_filter="0"))
    assert [p.split(" ", 1)[0] for p in err.value.problems] == [
        "output.assemble_with", "resources.instance_count", "run_policy.retry_attempts",
        "data_processing.output_filter", "output.s3_uri", "model"]


def test_an_instance_type_from_the_group_is_named_by_the_group(stack: cdk.Stack) -> None:
    gpu = Model(stack, "Model", image=ContainerImage.from_prebuilt("pytorch", "2.1", processor="gpu"),
                model_data=ModelData.from_s3_uri("s3://my-bucket/model.tar.gz"))
    with pytest.raises(ValidationError, match=r"Nightly: resources.instance_type must have an NVIDIA GPU .*"
                                              r"got 'ml.m5.xlarge'"):
        BatchTransform(stack, "Nightly", model=gpu, input_s3_uri=IN, output_s3_uri=OUT,
                       resources=BatchResources(instance_type="ml.m5.xlarge"))


# -- what the construct resolved ------------------------------------------------------------------------------------
def test_resolved_groups_merge_flat_keywords_and_fill_defaults(stack: cdk.Stack, model: Model) -> None:
    cron = events.Schedule.cron(hour="2", minute="0")
    bt = BatchTransform(stack, "Nightly", model=model, input_s3_uri=IN, schedule=cron,
                        input=BatchInput(content_type="text/csv", split_type="Line"),
                        output=BatchOutput(s3_uri=OUT), run_policy=BatchRunPolicy(retry_attempts=1))
    assert bt.input == BatchInput(s3_uri=IN, content_type="text/csv", split_type="Line")
    assert bt.output == BatchOutput(s3_uri=OUT)
    assert bt.resources == BatchResources(instance_type="ml.m5.xlarge")
    assert bt.run_policy.schedule is cron and bt.run_policy.retry_attempts == 1
    assert bt.run_policy.timeout is not None and bt.run_policy.timeout.to_hours() == 12
    assert bt.run_policy.job_name_prefix == bt.job_name_prefix and bt.job_name_prefix.startswith("nightly-")


# -- subclassing: override one part ---------------------------------------------------------------------------------
class _OwnGrants(BatchTransform):
    """A transform whose model gets its data access elsewhere (e.g. ``bucket.grant_read(model)``)."""

    def _grant_model(self) -> None:
        return None


def test_a_subclass_replaces_one_part_and_keeps_the_rest(stack: cdk.Stack, model: Model) -> None:
    bt = _OwnGrants(stack, "Nightly", model=model, input_s3_uri=IN, output_s3_uri=OUT)
    template = Template.from_stack(stack).to_json()
    text = json.dumps(template)
    assert "s3:GetObject" not in text and "s3:PutObject" not in text
    assert bt.node.default_child is bt.state_machine
    assert {r["Type"] for r in template["Resources"].values()} >= {
        "AWS::StepFunctions::StateMachine", "AWS::CloudWatch::Alarm", "AWS::SNS::Topic", "AWS::Logs::LogGroup"}
