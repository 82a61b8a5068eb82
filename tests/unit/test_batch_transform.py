"""BatchTransform: the state machine, its CreateTransformJob request (checked against botocore), IAM, schedule,
alarm and logging, and every rejected input."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import aws_cdk as cdk
import botocore.session
import pytest
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.assertions import Match, Template
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

from cdk_sagemaker import ValidationError
from cdk_sagemaker.constructs.batch_transform import (
    BatchInput,
    BatchOutput,
    BatchResources,
    BatchRunPolicy,
    BatchTransform,
    DataProcessing,
    schedule_problems,
)
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.storage import SecureBucket

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
IN = "s3://my-bucket/batch/input/"
OUT = "s3://my-bucket/batch/output/"
ACCOUNT, REGION = "123456789012", "us-east-1"


@pytest.fixture
def model(stack: cdk.Stack) -> Model:
    return Model(stack, "Model", image=ContainerImage.from_uri(IMAGE))


def _transform(stack: cdk.Stack, model: Model, **kwargs: Any) -> BatchTransform:
    """``BatchTransform`` reading IN and writing OUT unless a flat keyword or the group gives the location."""
    if getattr(kwargs.get("input"), "s3_uri", None) is None:
        kwargs.setdefault("input_s3_uri", IN)
    if getattr(kwargs.get("output"), "s3_uri", None) is None:
        kwargs.setdefault("output_s3_uri", OUT)
    return BatchTransform(stack, "Nightly", model=model, **kwargs)


# -- the definition as Step Functions would run it -------------------------------------------------------------------
def _concrete(value: Any, template: dict[str, Any]) -> str:
    """A plausible concrete value for a CloudFormation token in the definition."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        ref = value["Ref"]
        pseudo = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT,
                  "AWS::URLSuffix": "amazonaws.com"}
        if ref in pseudo:
            return pseudo[ref]
        kind = template["Resources"][ref]["Type"]
        if kind == "AWS::S3::Bucket":
            return "cdksagemaker-data-1a2b3c4d5e6f"
        if kind == "AWS::SageMaker::Model":
            return "Model0301700E-AbCdEf123456"
        return f"{ref.lower()}-1a2b3c"
    if "Fn::GetAtt" in value:
        resource, attribute = value["Fn::GetAtt"]
        kind = template["Resources"][resource]["Type"]
        if kind == "AWS::SageMaker::Model" and attribute == "ModelName":
            return "Model0301700E-AbCdEf123456"
        if kind == "AWS::KMS::Key" and attribute == "Arn":
            return f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        if attribute == "Arn":
            return f"arn:aws:iam::{ACCOUNT}:role/{resource}"
        return f"{resource.lower()}-{attribute.lower()}"
    if "Fn::Join" in value:
        delimiter, parts = value["Fn::Join"]
        return str(delimiter).join(_concrete(p, template) for p in parts)
    raise AssertionError(f"unexpected token in the definition: {value!r}")


def definition(stack: cdk.Stack) -> dict[str, Any]:
    """The state machine definition with CloudFormation tokens replaced by plausible concrete values."""
    template = Template.from_stack(stack).to_json()
    machines = [r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"]
    assert len(machines) == 1
    parsed: dict[str, Any] = json.loads(_concrete(machines[0]["Properties"]["DefinitionString"], template))
    return parsed


_CALL = re.compile(r"^(States\.\w+)\((.*)\)$", re.S)


def _split_args(text: str) -> list[str]:
    args, depth, quoted, current = [], 0, False, ""
    i = 0
    while i < len(text):
        c = text[i]
        if quoted and c == "\\":
            current += text[i:i + 2]
            i += 2
            continue
        if c == "'":
            quoted = not quoted
        elif not quoted and c == "(":
            depth += 1
        elif not quoted and c == ")":
            depth -= 1
        if not quoted and depth == 0 and c == ",":
            args.append(current.strip())
            current = ""
        else:
            current += c
        i += 1
    if current.strip():
        args.append(current.strip())
    return args


def _evaluate(expression: str, state_input: dict[str, Any], context: dict[str, Any]) -> Any:
    """Evaluate a JSONPath or the intrinsic functions the construct uses, as Step Functions would."""
    if expression.startswith("$$."):
        value: Any = context
        for part in expression[3:].split("."):
            value = value[part]
        return value
    if expression.startswith("$."):
        value = state_input
        for part in expression[2:].split("."):
            value = value[part]
        return value
    if expression.startswith("'") and expression.endswith("'"):
        return re.sub(r"\\(.)", r"\1", expression[1:-1])
    if re.fullmatch(r"-?\d+", expression):
        return int(expression)
    match = _CALL.match(expression)
    assert match, f"unsupported expression {expression!r}"
    name, args = match[1], [_evaluate(a, state_input, context) for a in _split_args(match[2])]
    if name == "States.UUID":
        return str(uuid.uuid4())
    if name == "States.MathAdd":
        return args[0] + args[1]
    if name == "States.Format":
        template, *values = args
        pieces = re.split(r"(?<!\\)\{\}", template)
        assert len(pieces) == len(values) + 1
        return "".join(p + (str(values[i]) if i < len(values) else "") for i, p in enumerate(pieces))
    raise AssertionError(f"unsupported intrinsic {name}")


def _fill(parameters: Any, state_input: dict[str, Any], context: dict[str, Any]) -> Any:
    if isinstance(parameters, dict):
        out = {}
        for key, value in parameters.items():
            if key.endswith(".$"):
                out[key[:-2]] = _evaluate(value, state_input, context)
            else:
                out[key] = _fill(value, state_input, context)
        return out
    if isinstance(parameters, list):
        return [_fill(v, state_input, context) for v in parameters]
    return parameters


def transform_job_request(stack: cdk.Stack) -> dict[str, Any]:
    """Run the definition's Pass state and fill the CreateTransformJob task's parameters for one execution."""
    asl = definition(stack)
    name = f"{uuid.uuid4()}"
    context = {"Execution": {"Id": f"arn:aws:states:{REGION}:{ACCOUNT}:execution:NightlyStateMachine:{name}",
                             "Name": name}}
    state_input: dict[str, Any] = {"id": "scheduled-event", "detail-type": "Scheduled Event"}
    state_name = asl["StartAt"]
    while True:
        state = asl["States"][state_name]
        if state["Type"] == "Pass":
            result = _fill(state["Parameters"], state_input, context)
            assert state["ResultPath"] == "$.TransformJob"
            state_input = {**state_input, "TransformJob": result}
            state_name = state["Next"]
            continue
        assert state["Type"] == "Task"
        assert state["Resource"] == "arn:aws:states:::sagemaker:createTransformJob.sync"
        request: dict[str, Any] = _fill(state["Parameters"], state_input, context)
        return request


def assert_valid_request(request: dict[str, Any]) -> None:
    """botocore's own validation of a CreateTransformJob request, plus the name pattern it does not check."""
    service = botocore.session.get_session().get_service_model("sagemaker")
    shape = service.operation_model("CreateTransformJob").input_shape
    validate_parameters(request, shape)  # raises ParamValidationError listing every problem
    name_shape = service.shape_for("TransformJobName")
    assert len(request["TransformJobName"]) <= name_shape.metadata["max"]
    assert re.fullmatch(name_shape.metadata["pattern"], request["TransformJobName"])


def _task(stack: cdk.Stack) -> dict[str, Any]:
    state: dict[str, Any] = definition(stack)["States"]["RunTransformJob"]
    return state


# -- the request ------------------------------------------------------------------------------------------------------
def test_default_request_is_valid_for_botocore(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model)
    request = transform_job_request(stack)
    assert_valid_request(request)
    assert request["TransformJobName"].startswith(f"{bt.job_name_prefix}-")
    assert request["ModelName"] == "Model0301700E-AbCdEf123456"
    assert request["TransformInput"] == {"DataSource": {"S3DataSource": {"S3Uri": IN, "S3DataType": "S3Prefix"}}}
    assert request["TransformOutput"] == {"S3OutputPath": OUT}
    assert request["TransformResources"] == {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge"}
    assert request["Tags"] == [{"Key": "cdk-sagemaker:execution-arn",
                                "Value": request["Tags"][0]["Value"]}]
    assert request["Tags"][0]["Value"].startswith(f"arn:aws:states:{REGION}:{ACCOUNT}:execution:")
    for absent in ("DataProcessing", "BatchStrategy", "MaxPayloadInMB", "MaxConcurrentTransforms", "Environment",
                   "ModelClientConfig"):
        assert absent not in request


def test_every_option_lands_in_a_valid_request(stack: cdk.Stack, model: Model) -> None:
    key = kms.Key(stack, "OutKey", enable_key_rotation=True)
    _transform(
        stack, model, instance_type="ml.c5.2xlarge",
        input=BatchInput(content_type="text/csv", split_type="Line", compression="Gzip"),
        output=BatchOutput(accept="text/csv", assemble_with="Line", kms_key=key),
        resources=BatchResources(
            instance_count=3, batch_strategy="MultiRecord", max_payload_mb=20, max_concurrent_transforms=4,
            invocation_timeout=cdk.Duration.minutes(20), invocation_max_retries=2,
            environment={"SAGEMAKER_MODEL_SERVER_TIMEOUT": "3600", "LOG_LEVEL": "info"}),
        run_policy=BatchRunPolicy(job_name_prefix="scores"),
        data_processing=DataProcessing(input_filter="$[1:]", output_filter="$[0,-1]"),
    )
    request = transform_job_request(stack)
    assert_valid_request(request)
    assert re.fullmatch(r"scores-[0-9a-f-]{36}", request["TransformJobName"])
    assert request["TransformResources"] == {"InstanceCount": 3, "InstanceType": "ml.c5.2xlarge"}
    assert request["TransformInput"] == {
        "ContentType": "text/csv", "CompressionType": "Gzip", "SplitType": "Line",
        "DataSource": {"S3DataSource": {"S3Uri": IN, "S3DataType": "S3Prefix"}}}
    assert request["TransformOutput"] == {
        "S3OutputPath": OUT, "Accept": "text/csv", "AssembleWith": "Line",
        "KmsKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
    assert request["BatchStrategy"] == "MultiRecord"
    assert request["MaxPayloadInMB"] == 20
    assert request["MaxConcurrentTransforms"] == 4
    assert request["ModelClientConfig"] == {"InvocationsTimeoutInSeconds": 1200, "InvocationsMaxRetries": 2}
    assert request["Environment"] == {"SAGEMAKER_MODEL_SERVER_TIMEOUT": "3600", "LOG_LEVEL": "info"}
    assert request["DataProcessing"] == {"JoinSource": "Input", "InputFilter": "$[1:]", "OutputFilter": "$[0,-1]"}


@pytest.mark.parametrize("damage", [
    lambda r: r.pop("ModelName"),
    lambda r: r["TransformResources"].update(InstanceCount=0),
    lambda r: r.update(DataProcessing={"JoinSource": 1}),
    lambda r: r.update(Environment={"K": 1}),
    lambda r: r.update(TransformJobName=r["TransformJobName"].replace("-", "_")),
    lambda r: r.update(TransformJobName="x" * 64),
])
def test_the_request_check_catches_a_malformed_request(stack: cdk.Stack, model: Model, damage: Any) -> None:
    _transform(stack, model)
    request = transform_job_request(stack)
    damage(request)
    with pytest.raises((ParamValidationError, AssertionError)):
        assert_valid_request(request)


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"invocation_timeout": cdk.Duration.seconds(30)}, {"InvocationsTimeoutInSeconds": 30, "InvocationsMaxRetries": 3}),
    ({"invocation_max_retries": 0}, {"InvocationsTimeoutInSeconds": 600, "InvocationsMaxRetries": 0}),
])
def test_half_set_model_client_config_keeps_service_defaults(stack: cdk.Stack, model: Model,
                                                             kwargs: dict[str, Any],
                                                             expected: dict[str, int]) -> None:
    _transform(stack, model, resources=BatchResources(**kwargs))
    request = transform_job_request(stack)
    assert_valid_request(request)
    assert request["ModelClientConfig"] == expected


def test_manifest_input_and_filters_without_join(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, input=BatchInput(data_type="ManifestFile", s3_uri="s3://my-bucket/batch/input/run.manifest",
                                              content_type="application/jsonlines", split_type="Line"),
               resources=BatchResources(batch_strategy="SingleRecord", max_payload_mb=0),
               data_processing=DataProcessing(input_filter="$.features", join_input=False))
    request = transform_job_request(stack)
    assert_valid_request(request)
    assert request["TransformInput"]["DataSource"]["S3DataSource"] == {
        "S3Uri": "s3://my-bucket/batch/input/run.manifest", "S3DataType": "ManifestFile"}
    assert request["MaxPayloadInMB"] == 0
    assert request["BatchStrategy"] == "SingleRecord"
    assert request["DataProcessing"] == {"JoinSource": "None", "InputFilter": "$.features"}


def test_bucket_tokens_become_a_valid_request(stack: cdk.Stack, model: Model) -> None:
    bucket = SecureBucket(stack, "Data")
    _transform(stack, model, input_s3_uri=bucket.s3_url_for_object("input/"),
               output_s3_uri=bucket.s3_url_for_object("output/"), output=BatchOutput(kms_key=bucket.encryption_key))
    request = transform_job_request(stack)
    assert_valid_request(request)
    assert request["TransformInput"]["DataSource"]["S3DataSource"]["S3Uri"] == \
        "s3://cdksagemaker-data-1a2b3c4d5e6f/input/"


def test_job_names_are_unique_per_run_and_fit_the_pattern(stack: cdk.Stack, model: Model) -> None:
    bt = BatchTransform(stack, "AVeryLongConstructIdThatWouldNotFitInAJobName" * 2, model=model,
                        input_s3_uri=IN, output_s3_uri=OUT)
    first, second = transform_job_request(stack), transform_job_request(stack)
    assert first["TransformJobName"] != second["TransformJobName"]
    assert_valid_request(first)
    assert len(bt.job_name_prefix) <= 63 - 37
    assert bt.job_name_prefix == bt.job_name_prefix.lower()


# -- the state machine -----------------------------------------------------------------------------------------------
def test_state_machine_defaults(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model)
    assert bt.node.default_child is bt.state_machine
    assert getattr(bt, "rule", None) is None
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::StepFunctions::StateMachine", {
        "StateMachineType": "STANDARD",
        "TracingConfiguration": {"Enabled": True},
        "LoggingConfiguration": {
            "Level": "ALL", "IncludeExecutionData": False,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {
                "Fn::GetAtt": [stack.get_logical_id(bt.log_group.node.default_child), "Arn"]}}}]},
        "RoleArn": {"Fn::GetAtt": [stack.get_logical_id(bt.role.node.default_child), "Arn"]},
    })
    t.has_resource_properties("AWS::Logs::LogGroup", {
        "KmsKeyId": {"Fn::GetAtt": [stack.get_logical_id(bt.kms_key.node.default_child), "Arn"]},
        "RetentionInDays": 365})
    t.has_resource("AWS::Logs::LogGroup", {"DeletionPolicy": "Retain"})
    t.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    t.resource_count_is("AWS::Events::Rule", 0)
    asl = definition(stack)
    assert asl["StartAt"] == "NameJob"
    assert asl["TimeoutSeconds"] == 12 * 3600 + 15 * 60
    task = asl["States"]["RunTransformJob"]
    assert task["TimeoutSeconds"] == 12 * 3600
    assert task["Retry"] == [{"ErrorEquals": ["SageMaker.AmazonSageMakerException"], "IntervalSeconds": 15,
                              "MaxAttempts": 3, "BackoffRate": 2, "MaxDelaySeconds": 300, "JitterStrategy": "FULL"}]
    assert task["Catch"] == [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.TransformJob.Error",
                              "Next": "StopTransformJob"},
                             {"ErrorEquals": ["States.ALL"], "ResultPath": "$.TransformJob.Error",
                              "Next": "FindJob"}]
    stop = asl["States"]["StopTransformJob"]
    assert stop["Resource"] == "arn:aws:states:::aws-sdk:sagemaker:stopTransformJob"
    assert stop["Parameters"] == {"TransformJobName.$": "$.TransformJob.TransformJobName"}
    assert stop["Next"] == "TimedOut"
    assert stop["Retry"][0]["ErrorEquals"] == ["States.ALL"] and stop["Retry"][0]["MaxAttempts"] == 3
    assert stop["Catch"][0]["Next"] == "TimedOut"
    assert asl["States"]["TimedOut"]["Type"] == "Fail"


# -- a run, step by step: retries, catches, the recovery of a job created by a failed attempt -----------------------
class _Sim:
    """Runs the definition as Step Functions would (Retry, Catch, ResultSelector/ResultPath, Pass, Choice, Wait),
    against a fake SageMaker that keeps jobs by name and fails the calls it is told to fail."""

    def __init__(self, asl: dict[str, Any], failures: dict[str, list[tuple[str, str] | None]],
                 statuses: list[str]) -> None:
        self.asl = asl
        self.failures = failures  # per API call, per call: (error, cause) to fail with, or None to succeed
        self.statuses = statuses  # what DescribeTransformJob reports, one per call (the last one repeats)
        self.jobs: dict[str, str] = {}
        self.calls: list[tuple[str, str]] = []

    def _api(self, resource: str, params: dict[str, Any]) -> dict[str, Any]:
        action = resource.rsplit(":", 1)[-1]
        name = params["TransformJobName"]
        self.calls.append((action, name))
        if action == "createTransformJob.sync":
            if name in self.jobs:
                raise _SimError("SageMaker.AmazonSageMakerException",
                                "Job name must be unique within an AWS account and region (ResourceInUse)")
            self.jobs[name] = "InProgress"  # created, whatever happens to the response
            planned = self.failures.get(action, [])
            failure = planned.pop(0) if planned else None
            if failure is not None:
                raise _SimError(*failure)
            self.jobs[name] = "Completed"
            return {"TransformJobStatus": "Completed"}
        if action == "describeTransformJob":
            if name not in self.jobs:
                raise _SimError("SageMaker.ResourceNotFoundException", "Could not find job")
            status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
            return {"TransformJobName": name, "TransformJobStatus": status}
        if action == "stopTransformJob":
            self.jobs[name] = "Stopped"
            return {}
        raise AssertionError(action)

    @staticmethod
    def _put(doc: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
        assert path.startswith("$.")
        out = json.loads(json.dumps(doc))
        node = out
        *parents, last = path[2:].split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
        return out

    def _matches(self, rule: dict[str, Any], data: dict[str, Any]) -> bool:
        if "Or" in rule:
            return any(self._matches(r, data) for r in rule["Or"])
        value = _evaluate(rule["Variable"], data, {})
        if "StringEquals" in rule:
            return bool(value == rule["StringEquals"])
        if "NumericGreaterThanEquals" in rule:
            return bool(value >= rule["NumericGreaterThanEquals"])
        raise AssertionError(rule)

    def run(self, state_input: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Run to the end; returns ("Succeed", output) or (error name, output)."""
        context = {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:run"}}
        data, name = state_input, self.asl["StartAt"]
        for _ in range(500):
            state = self.asl["States"][name]
            kind = state["Type"]
            if kind == "Succeed":
                return "Succeed", data
            if kind == "Fail":
                error = state.get("Error") or _evaluate(state["ErrorPath"], data, context)
                return str(error), data
            if kind == "Pass":
                data = self._put(data, state["ResultPath"], _fill(state["Parameters"], data, context))
            elif kind == "Wait":
                pass
            elif kind == "Choice":
                name = next((c["Next"] for c in state["Choices"] if self._matches(c, data)), state.get("Default"))
                continue
            else:
                attempts: dict[int, int] = {}
                caught = False
                while True:
                    try:
                        result = self._api(state["Resource"], _fill(state["Parameters"], data, context))
                        break
                    except _SimError as e:
                        retry = next((i for i, r in enumerate(state.get("Retry", []))
                                      if e.error in r["ErrorEquals"] or "States.ALL" in r["ErrorEquals"]), None)
                        if retry is not None and attempts.get(retry, 0) < state["Retry"][retry]["MaxAttempts"]:
                            attempts[retry] = attempts.get(retry, 0) + 1
                            continue
                        catch = next((c for c in state.get("Catch", [])
                                      if e.error in c["ErrorEquals"] or "States.ALL" in c["ErrorEquals"]), None)
                        if catch is None:
                            return e.error, data
                        data = self._put(data, catch["ResultPath"], {"Error": e.error, "Cause": e.cause})
                        name, caught = catch["Next"], True
                        break
                if caught:
                    continue
                if "ResultSelector" in state:
                    result = _fill(state["ResultSelector"], result, context)
                path = state.get("ResultPath")
                if path is not None:
                    data = self._put(data, path, result)
            if state.get("End"):
                return "Succeed", data
            name = state["Next"]
        raise AssertionError("the run did not end")


class _SimError(Exception):
    def __init__(self, error: str, cause: str) -> None:
        super().__init__(error)
        self.error, self.cause = error, cause


def _run(stack: cdk.Stack, failures: dict[str, list[tuple[str, str] | None]],
         statuses: list[str] | None = None) -> tuple[str, _Sim]:
    sim = _Sim(definition(stack), failures, statuses or ["Completed"])
    outcome, _ = sim.run({"id": "scheduled-event"})
    return outcome, sim


_LOST = ("SageMaker.AmazonSageMakerException", "Rate exceeded / internal error after the job was created")


def test_a_retry_after_the_job_was_created_waits_for_that_job(stack: cdk.Stack, model: Model) -> None:
    # Item 11: the first attempt creates the job but fails; every retry sends the same name and fails on it.
    _transform(stack, model)
    outcome, sim = _run(stack, {"createTransformJob.sync": [_LOST]}, ["InProgress", "InProgress", "Completed"])
    assert outcome == "Succeed"
    created = {name for action, name in sim.calls if action == "createTransformJob.sync"}
    described = [name for action, name in sim.calls if action == "describeTransformJob"]
    assert len(created) == 1 and len(sim.jobs) == 1  # one name, one job: no second job for the same data
    assert described == [*created] * 3  # waited for the existing job until it completed


@pytest.mark.parametrize("status", ["Failed", "Stopped"])
def test_a_recovered_job_that_fails_fails_the_run(stack: cdk.Stack, model: Model, status: str) -> None:
    _transform(stack, model)
    outcome, _ = _run(stack, {"createTransformJob.sync": [_LOST]}, ["InProgress", status])
    assert outcome == "TransformJobFailed"


def test_a_create_that_never_made_a_job_fails_with_its_own_error(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model)
    sim = _Sim(definition(stack), {}, ["Completed"])
    sim._api = _never_created(sim._api)  # type: ignore[method-assign]
    outcome, data = sim.run({})
    assert outcome == "SageMaker.AmazonSageMakerException"
    assert data["TransformJob"]["Error"]["Cause"] == "ResourceLimitExceeded"


def _never_created(api: Any) -> Any:
    def call(resource: str, params: dict[str, Any]) -> dict[str, Any]:
        if resource.endswith("createTransformJob.sync"):
            raise _SimError("SageMaker.AmazonSageMakerException", "ResourceLimitExceeded")
        result: dict[str, Any] = api(resource, params)
        return result
    return call


def test_a_recovered_job_is_stopped_at_the_timeout(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, run_policy=BatchRunPolicy(timeout=cdk.Duration.minutes(5)))
    outcome, sim = _run(stack, {"createTransformJob.sync": [_LOST]}, ["InProgress"])
    assert outcome == "TransformJobTimedOut"
    assert [a for a, _ in sim.calls].count("describeTransformJob") == 5
    assert list(sim.jobs.values()) == ["Stopped"]


def test_a_normal_run_creates_one_job_and_succeeds(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model)
    outcome, sim = _run(stack, {})
    assert outcome == "Succeed" and [a for a, _ in sim.calls] == ["createTransformJob.sync"]


def test_failed_jobs_and_timeouts_are_never_retried(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, run_policy=BatchRunPolicy(retry_attempts=5))
    retried = {e for r in _task(stack)["Retry"] for e in r["ErrorEquals"]}
    assert retried == {"SageMaker.AmazonSageMakerException"}
    assert _task(stack)["Retry"][0]["MaxAttempts"] == 5
    assert not retried & {"States.ALL", "States.TaskFailed", "States.Timeout"}


def test_retries_can_be_turned_off(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, run_policy=BatchRunPolicy(retry_attempts=0))
    assert "Retry" not in _task(stack)


def test_timeout_sets_task_and_execution_timeouts(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, run_policy=BatchRunPolicy(timeout=cdk.Duration.hours(2)))
    asl = definition(stack)
    assert asl["States"]["RunTransformJob"]["TimeoutSeconds"] == 7200
    assert asl["TimeoutSeconds"] == 7200 + 900


def test_log_options(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, run_policy=BatchRunPolicy(log_level=sfn.LogLevel.ERROR, include_execution_data=True,
                                                       log_retention=logs.RetentionDays.TWO_YEARS))
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::StepFunctions::StateMachine", {
        "LoggingConfiguration": Match.object_like({"Level": "ERROR", "IncludeExecutionData": True})})
    t.has_resource_properties("AWS::Logs::LogGroup", {"RetentionInDays": 731})


def test_user_key_and_topic_are_used_and_none_created(stack: cdk.Stack, model: Model) -> None:
    key = kms.Key(stack, "MyKey", enable_key_rotation=True)
    topic = sns.Topic(stack, "MyTopic", master_key=key)
    bt = _transform(stack, model, kms_key=key, topic=topic)
    assert bt.kms_key is key and bt.topic is topic
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::KMS::Key", 1)
    t.resource_count_is("AWS::SNS::Topic", 1)
    t.has_resource_properties("AWS::Logs::LogGroup",
                              {"KmsKeyId": {"Fn::GetAtt": [stack.get_logical_id(key.node.default_child), "Arn"]}})
    t.has_resource_properties("AWS::CloudWatch::Alarm",
                              {"AlarmActions": [{"Ref": stack.get_logical_id(topic.node.default_child)}]})


def test_topic_is_encrypted_tls_only_and_key_admits_logs_and_alarms(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model)
    t = Template.from_stack(stack)
    key_id = stack.get_logical_id(bt.kms_key.node.default_child)
    t.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": {"Fn::GetAtt": [key_id, "Arn"]}})
    t.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})
    statements = t.to_json()["Resources"][key_id]["Properties"]["KeyPolicy"]["Statement"]
    principals = [s["Principal"].get("Service") for s in statements if "Service" in s.get("Principal", {})]
    assert {"cloudwatch.amazonaws.com"} <= {p for p in principals if isinstance(p, str)}
    assert any(isinstance(p, dict) and "logs." in json.dumps(p) for p in principals)


def test_alarm_counts_failed_timed_out_and_aborted_runs(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model)
    t = Template.from_stack(stack)
    t.has_resource_properties("AWS::CloudWatch::Alarm", {
        "ComparisonOperator": "GreaterThanOrEqualToThreshold", "Threshold": 1, "EvaluationPeriods": 1,
        "TreatMissingData": "notBreaching",
        "AlarmActions": [{"Ref": stack.get_logical_id(bt.topic.node.default_child)}],
        "Metrics": Match.array_with([
            Match.object_like({"Expression": "FILL(failed, 0) + FILL(timedout, 0) + FILL(aborted, 0)"}),
            Match.object_like({"Id": "failed", "MetricStat": Match.object_like({"Metric": Match.object_like(
                {"MetricName": "ExecutionsFailed", "Namespace": "AWS/States"})})}),
            Match.object_like({"Id": "timedout", "MetricStat": Match.object_like({"Metric": Match.object_like(
                {"MetricName": "ExecutionsTimedOut", "Namespace": "AWS/States"})})}),
        ]),
    })


# -- schedule --------------------------------------------------------------------------------------------------------
def test_schedule_starts_the_state_machine_with_a_least_privilege_role(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model, schedule=events.Schedule.cron(minute="0", hour="2"))
    assert bt.rule is not None
    t = Template.from_stack(stack)
    sm_id = stack.get_logical_id(bt.state_machine.node.default_child)
    t.has_resource_properties("AWS::Events::Rule", {
        "ScheduleExpression": "cron(0 2 * * ? *)", "State": "ENABLED",
        "Targets": [Match.object_like({"Arn": {"Ref": sm_id}, "RoleArn": Match.any_value()})]})
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": [
        {"Action": "states:StartExecution", "Effect": "Allow", "Resource": {"Ref": sm_id}}]}})
    t.has_resource_properties("AWS::CloudWatch::Alarm", {"Metrics": Match.array_with([
        Match.object_like({"Expression": Match.string_like_regexp(r"FILL\(startfailed, 0\)")}),
        Match.object_like({"Id": "startfailed", "MetricStat": Match.object_like({"Metric": {
            "MetricName": "FailedInvocations", "Namespace": "AWS/Events",
            "Dimensions": [{"Name": "RuleName", "Value": {"Ref": stack.get_logical_id(bt.rule.node.default_child)}}],
        }})}),
    ])})


def test_rate_schedule(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, schedule=events.Schedule.rate(cdk.Duration.hours(6)))
    Template.from_stack(stack).has_resource_properties("AWS::Events::Rule", {"ScheduleExpression": "rate(6 hours)"})


@pytest.mark.parametrize("expression", [
    "cron(0 2 * * ? *)", "cron(15 10 ? * 6L 2030)", "cron(0/15 * * * ? *)", "cron(0 8 1 * ? *)",
    "cron(0 18 ? * MON-FRI *)", "rate(1 day)", "rate(5 minutes)", "rate(12 hours)",
])
def test_valid_schedule_expressions(expression: str) -> None:
    assert schedule_problems(expression) == []


@pytest.mark.parametrize(("expression", "message"), [
    ("cron(0 2 * * ?)", "must have 6 fields"),
    ("cron(0 2 * * * * *)", "must have 6 fields"),
    ("cron(0 2 * * * *)", "exactly one of day-of-month and day-of-week"),
    ("cron(0 2 ? * ? *)", "exactly one of day-of-month and day-of-week"),
    ("cron(61 2 * * ? *)", "minutes field"),
    ("cron(0 24 * * ? *)", "hours field"),
    ("cron(0 2 * 13 ? *)", "month field"),
    ("cron(0 2 * * ? 1969)", "year field"),
    ("cron(x 2 * * ? *)", "minutes field"),
    ("rate(0 minutes)", "positive integer"),
    ("rate(1 days)", "singular for 1"),
    ("rate(5 minute)", "singular for 1"),
    ("rate(5 weeks)", "positive integer"),
    ("at(2030-01-01T00:00:00)", "cron\\(<minutes>"),
])
def test_malformed_schedule_expressions(expression: str, message: str) -> None:
    problems = schedule_problems(expression)
    assert len(problems) == 1
    assert re.search(message, problems[0])
    assert repr(expression) in problems[0]


def test_malformed_schedule_is_rejected_while_building(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError, match=r"schedule cron expression must have 6 fields.*'cron\(0 2 \* \*\)'"):
        _transform(stack, model, schedule=events.Schedule.expression("cron(0 2 * *)"))


# -- IAM -------------------------------------------------------------------------------------------------------------
def test_state_machine_policy_is_exact_and_managed(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model, run_policy=BatchRunPolicy(job_name_prefix="scores"))
    t = Template.from_stack(stack)
    role_id = stack.get_logical_id(model.role.node.default_child)
    job_arn = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":",
                                 {"Ref": "AWS::AccountId"}, ":transform-job/scores-*"]]}
    t.has_resource_properties("AWS::IAM::ManagedPolicy", {
        "Roles": [{"Ref": stack.get_logical_id(bt.role.node.default_child)}],
        "PolicyDocument": {"Statement": [
            {"Action": ["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob",
                        "sagemaker:StopTransformJob", "sagemaker:AddTags", "sagemaker:ListTags"],
             "Effect": "Allow", "Resource": job_arn},
            {"Action": "iam:PassRole", "Effect": "Allow", "Resource": {"Fn::GetAtt": [role_id, "Arn"]},
             "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}},
            {"Action": ["events:PutTargets", "events:PutRule", "events:DescribeRule"], "Effect": "Allow",
             "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":events:", {"Ref": "AWS::Region"},
                                            ":", {"Ref": "AWS::AccountId"},
                                            ":rule/StepFunctionsGetEventsForSageMakerTransformJobsRule"]]}},
            Match.object_like({"Action": Match.array_with(["logs:CreateLogDelivery"]), "Resource": "*"}),
            Match.object_like({"Action": Match.array_with(["xray:PutTraceSegments"]), "Resource": "*"}),
        ]},
    })
    # Nothing the CDK task or state machine would add on their own: no inline policies, no full-access role.
    t.resource_count_is("AWS::IAM::Policy", 0)
    assert "AmazonSageMakerFullAccess" not in json.dumps(t.to_json())
    sm = t.find_resources("AWS::StepFunctions::StateMachine")
    assert next(iter(sm.values()))["DependsOn"] == [stack.get_logical_id(bt.policy.node.default_child)]


def test_model_role_reads_input_writes_output_and_uses_data_keys(stack: cdk.Stack, model: Model) -> None:
    data_key = kms.Key(stack, "DataKey", enable_key_rotation=True)
    out_key = kms.Key(stack, "OutKey", enable_key_rotation=True)
    _transform(stack, model, data_keys=[data_key], output=BatchOutput(kms_key=out_key))
    t = Template.from_stack(stack)

    def arn(resource: str) -> dict[str, Any]:
        return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{resource}"]]}

    t.has_resource_properties("AWS::IAM::ManagedPolicy", {
        "Roles": [{"Ref": stack.get_logical_id(model.role.node.default_child)}],
        "PolicyDocument": {"Statement": Match.array_with([
            {"Action": "s3:GetObject", "Effect": "Allow", "Resource": arn("my-bucket/batch/input/*")},
            {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": arn("my-bucket"),
             "Condition": {"StringLike": {"s3:prefix": ["batch/input/*"]}}},
            {"Action": ["s3:PutObject", "s3:AbortMultipartUpload"], "Effect": "Allow",
             "Resource": arn("my-bucket/batch/output/*")},
            {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Effect": "Allow", "Resource": [
                {"Fn::GetAtt": [stack.get_logical_id(data_key.node.default_child), "Arn"]},
                {"Fn::GetAtt": [stack.get_logical_id(out_key.node.default_child), "Arn"]}]},
        ])},
    })


def test_manifest_grants_the_manifest_and_its_folder(stack: cdk.Stack, model: Model) -> None:
    _transform(stack, model, input=BatchInput(data_type="ManifestFile", s3_uri="s3://my-bucket/lists/run.manifest"))
    t = Template.from_stack(stack)

    def arn(resource: str) -> dict[str, Any]:
        return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{resource}"]]}

    t.has_resource_properties("AWS::IAM::ManagedPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        {"Action": "s3:GetObject", "Effect": "Allow",
         "Resource": [arn("my-bucket/lists/run.manifest"), arn("my-bucket/lists/*")]},
        {"Action": "s3:ListBucket", "Effect": "Allow", "Resource": arn("my-bucket"),
         "Condition": {"StringLike": {"s3:prefix": ["lists/*"]}}},
    ])}})


def test_grant_start_execution_is_scoped_to_the_state_machine(stack: cdk.Stack, model: Model) -> None:
    bt = _transform(stack, model)
    caller = iam.Role(stack, "Caller", assumed_by=iam.AccountRootPrincipal())
    bt.grant_start_execution(caller)
    Template.from_stack(stack).has_resource_properties("AWS::IAM::Policy", {
        "Roles": [{"Ref": stack.get_logical_id(caller.node.default_child)}],
        "PolicyDocument": {"Statement": [{
            "Action": "states:StartExecution", "Effect": "Allow",
            "Resource": {"Ref": stack.get_logical_id(bt.state_machine.node.default_child)}}]},
    })
    assert bt.state_machine_arn == bt.state_machine.state_machine_arn


# -- rejected input --------------------------------------------------------------------------------------------------
def _in(**kw: Any) -> dict[str, Any]:
    return {"input": BatchInput(**kw)}


def _out(**kw: Any) -> dict[str, Any]:
    return {"output": BatchOutput(**kw)}


def _res(**kw: Any) -> dict[str, Any]:
    return {"resources": BatchResources(**kw)}


def _pol(**kw: Any) -> dict[str, Any]:
    return {"run_policy": BatchRunPolicy(**kw)}


# Each rejected input: the message names the field as the user wrote it (a flat keyword, or group.field), what is
# allowed, and the value given.
@pytest.mark.parametrize(("kwargs", "message"), [
    ({"instance_type": "ml.m5.mega"}, r"instance_type must be a SageMaker batch transform instance type.*"
                                      r"got 'ml.m5.mega'"),
    ({"instance_type": "ml.t2.medium"}, r"instance_type must be .*TransformInstanceType.*got 'ml.t2.medium'"),
    (_res(instance_type="ml.t2.medium"), r": resources.instance_type must be .*TransformInstanceType.*"
                                         r"got 'ml.t2.medium'"),
    (_res(instance_count=0), r"resources.instance_count must be at least 1, got 0"),
    ({"input_s3_uri": "https://my-bucket/in/"},
     r"input_s3_uri must be an S3 URI starting with 's3://'.*it uses the scheme 'https://', got 'https://"),
    ({"input_s3_uri": "s3://My_Bucket/in/"},
     r"input_s3_uri has a bucket name with characters S3 does not allow \('My_Bucket'\).*got 's3://My_Bucket"),
    ({"output_s3_uri": "my-bucket/out/"},
     r"output_s3_uri must be an S3 URI starting with 's3://'.*it has no scheme, got 'my-bucket/out/'"),
    ({"output_s3_uri": "s3://my-bucket"}, r"output_s3_uri must be an s3://bucket/key URI of at most 1024 characters, "
                                          r"got 's3://my-bucket'"),
    (_out(s3_uri="my-bucket/out/"), r": output.s3_uri must be an S3 URI starting with 's3://'.*got 'my-bucket/out/'"),
    ({"output_s3_uri": IN + "scored/"}, r"output_s3_uri must not be inside the input prefix "
                                        r"'s3://my-bucket/batch/input/'.*got 's3://my-bucket/batch/input/scored/'"),
    ({"output_s3_uri": IN}, r"output_s3_uri must not be inside the input prefix"),
    ({**_in(s3_uri=IN), **_out(s3_uri=IN + "x/")}, r": output.s3_uri must not be inside the input prefix "
                                                  r"'s3://my-bucket/batch/input/'.*got 's3://my-bucket/batch/input/x/'"),
    ({"input_s3_uri": "s3://my-bucket/batch/in", "output_s3_uri": "s3://my-bucket/batch/in-scored/"},
     r"output_s3_uri must not be inside the input prefix 's3://my-bucket/batch/in'"),
    ({**_in(data_type="ManifestFile"), "input_s3_uri": "s3://b1c/lists/", "output_s3_uri": "s3://b1c/out/"},
     r"input_s3_uri must name a manifest object .*with input.data_type='ManifestFile', got 's3://b1c/lists/'"),
    ({**_in(data_type="ManifestFile"), "input_s3_uri": "s3://b1c/lists/m.manifest",
      "output_s3_uri": "s3://b1c/lists/out/"}, r"output_s3_uri must not be inside the input prefix"),
    (_in(data_type="AugmentedManifestFile"), r"input.data_type must be one of ManifestFile, S3Prefix, "
                                             r"got 'AugmentedManifestFile'"),
    (_in(split_type="Csv"), r"input.split_type must be one of Line, None, RecordIO, TFRecord, got 'Csv'"),
    (_in(compression="Zip"), r"input.compression must be one of Gzip, None, got 'Zip'"),
    ({**_res(batch_strategy="Many"), **_in(split_type="Line")},
     r"resources.batch_strategy must be one of MultiRecord, SingleRecord, got 'Many'"),
    (_out(assemble_with="Json"), r"output.assemble_with must be one of Line, None, got 'Json'"),
    (_res(batch_strategy="MultiRecord"), r"resources.batch_strategy 'MultiRecord' needs input.split_type 'Line', "
                                         r"'RecordIO' or 'TFRecord'.*got input.split_type None"),
    ({**_res(batch_strategy="SingleRecord"), **_in(split_type="None")},
     r"resources.batch_strategy 'SingleRecord' needs input.split_type.*got input.split_type 'None'"),
    (_res(max_payload_mb=101), r"resources.max_payload_mb must be between 0 and 100 .*got 101"),
    (_res(max_payload_mb=-1), r"resources.max_payload_mb must be between 0 and 100 .*got -1"),
    (_res(max_concurrent_transforms=-1), r"resources.max_concurrent_transforms must be at least 0 .*got -1"),
    (_res(max_concurrent_transforms=8, max_payload_mb=20),
     r"resources.max_concurrent_transforms \* resources.max_payload_mb must be at most 100 MB, got 8 \* 20 = 160"),
    ({**_res(max_payload_mb=0, batch_strategy="MultiRecord"), **_in(split_type="Line")},
     r"resources.batch_strategy 'MultiRecord' fills each request up to max_payload_mb .*"
     r"got resources.max_payload_mb 0"),
    (_res(invocation_timeout=cdk.Duration.hours(2)), r"resources.invocation_timeout must be between 1 and 3600 "
                                                     r"seconds, got '2 hours'"),
    (_res(invocation_max_retries=4), r"resources.invocation_max_retries must be between 0 and 3, got 4"),
    (_res(environment={f"K{i}": "v" for i in range(17)}),
     r"resources.environment may hold at most 16 variables, got 17"),
    (_res(environment={"1BAD": "v"}), r"resources.environment key must match .*got '1BAD'"),
    (_res(environment={"BIG": "x" * 10241}), r"resources.environment\['BIG'\] must be at most 10240 characters"),
    (_in(content_type="x" * 257), r"input.content_type must be a MIME type of at most 256 characters"),
    (_out(accept="x" * 257), r"output.accept must be a MIME type of at most 256 characters"),
    ({**_in(content_type="application/x-image"), "data_processing": DataProcessing()},
     r"input.content_type must be CSV or JSON .* with data_processing, got 'application/x-image'"),
    ({"data_processing": DataProcessing(input_filter="[1:]")},
     r"data_processing.input_filter must be a JSONPath starting with '\$' of at most 63 characters, got '\[1:\]'"),
    ({"data_processing": DataProcessing(output_filter="$" + "[0]" * 30)},
     r"data_processing.output_filter must be a JSONPath .*at most 63 characters"),
    (_pol(job_name_prefix="Scores"), r"run_policy.job_name_prefix must be lower-case letters, digits and '-' .*at "
                                     r"most 26 characters, got 'Scores'"),
    (_pol(job_name_prefix="scores_nightly"), r"run_policy.job_name_prefix must be .*got 'scores_nightly'"),
    (_pol(job_name_prefix="a" * 27), r"run_policy.job_name_prefix must be .*at most 26 characters, got 'a{27}'"),
    (_pol(job_name_prefix="scores-"), r"run_policy.job_name_prefix must be .*got 'scores-'"),
    (_pol(timeout=cdk.Duration.seconds(30)), r"run_policy.timeout must be between 1 minute and 365 days .*"
                                             r"got '30 seconds'"),
    (_pol(timeout=cdk.Duration.days(366)), r"run_policy.timeout must be between 1 minute and 365 days .*"
                                           r"got '366 days'"),
    (_pol(retry_attempts=11), r"run_policy.retry_attempts must be between 0 and 10, got 11"),
    (_pol(retry_attempts=-1), r"run_policy.retry_attempts must be between 0 and 10, got -1"),
    (_pol(log_level=sfn.LogLevel.OFF), r"run_policy.log_level must be ALL, ERROR or FATAL .*got 'OFF'"),
    ({"schedule": events.Schedule.expression("rate(1 hours)")}, r"schedule rate unit must be singular for 1 .*"
                                                                 r"got 'rate\(1 hours\)'"),
    ({"schedule": events.Schedule.cron(hour="25", minute="0")},
     r"schedule cron hours field must use .* values 0-23, got '25'"),
    (_pol(schedule=events.Schedule.cron(hour="25", minute="0")),
     r": run_policy.schedule cron hours field must use .* values 0-23, got '25'"),
    ({"schedule": events.Schedule.expression("at(2030-01-01T00:00:00)")},
     r"schedule must be cron\(.*one-time at\(\.\.\.\) schedules are not available here"),
    # Item 12: an int where a Duration is expected is a ValidationError, not an AttributeError.
    (_pol(timeout=3600), r"run_policy.timeout must be an aws_cdk.Duration \(e.g. Duration.seconds\(3600\).*got 3600"),
    (_res(invocation_timeout=600), r"resources.invocation_timeout must be an aws_cdk.Duration .*got 600"),
    # A group of the wrong type is a ValidationError too, not an AttributeError while building.
    ({"input": {"s3_uri": IN}}, r"input must be a BatchInput, got \{'s3_uri': 's3://my-bucket/batch/input/'\}"),
    ({"run_policy": {"timeout": 1}}, r"run_policy must be a BatchRunPolicy, got \{'timeout': 1\}"),
    ({"data_processing": {"join_input": True}},
     r"data_processing must be a DataProcessing, got \{'join_input': True\}"),
])
def test_rejected_input(stack: cdk.Stack, model: Model, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        _transform(stack, model, **kwargs)
    assert err.value.path == "TestStack/Nightly"


def test_all_problems_are_reported_together(stack: cdk.Stack, model: Model) -> None:
    with pytest.raises(ValidationError) as err:
        _transform(stack, model, instance_type="ml.nope",
                   resources=BatchResources(instance_count=0, max_payload_mb=500))
    assert len(err.value.problems) == 3


def test_unresolved_tokens_are_not_checked(stack: cdk.Stack, model: Model) -> None:
    count = cdk.Token.as_number(cdk.CfnParameter(stack, "Count", type="Number"))
    bucket = cdk.CfnParameter(stack, "Bucket").value_as_string
    _transform(stack, model, resources=BatchResources(instance_count=count), input_s3_uri=f"s3://{bucket}/in/",
               output_s3_uri=f"s3://{bucket}/out/")
    Template.from_stack(stack)
