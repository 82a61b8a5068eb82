"""Readiness rules for batch transform (97xx).

CloudFormation has no transform-job resource: a batch transform runs as a Step Functions task
(``arn:<partition>:states:::sagemaker:createTransformJob[.sync]``) in an ``AWS::StepFunctions::StateMachine``. These
rules parse the state machine definition (``Definition``, or ``DefinitionString`` as a literal, ``Fn::Join`` or
``Fn::Sub``) and check the task's parameters and the state machine role.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker._schedules import schedule_problems
from cdk_sagemaker.rules._rule import EachRule, TemplateRule
from cdk_sagemaker.rules._template import (
    Definition,
    Template,
    as_list,
    get,
    props,
    resolve_str,
    resource,
    resources,
    role_allows,
    role_visible,
    state_machine_definition,
    states,
    target,
    task_action,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "batch"]

_CREATE = re.compile(r"^sagemaker:createTransformJob(\.sync)?$")


def _transform_tasks(template: Any) -> Iterator[tuple[str, Definition, str, Mapping[str, Any], bool]]:
    """``(state machine id, definition, state name, state, is .sync)`` for every createTransformJob task."""
    for sm_id, _ in resources(template, "AWS::StepFunctions::StateMachine"):
        definition = state_machine_definition(template, sm_id)
        if definition is None:
            continue
        for name, state in states(definition.body):
            action = task_action(definition, state)
            m = _CREATE.match(action or "")
            if m:
                yield sm_id, definition, name, state, bool(m.group(1))


def _param(state: Mapping[str, Any], *keys: str) -> Any:
    """A task parameter, given either as ``Key`` or as ``Key.$`` (a path: returned as ``("$", path)``)."""
    params = state.get("Parameters") if isinstance(state.get("Parameters"), Mapping) else state.get("Arguments")
    value: Any = params
    for i, key in enumerate(keys):
        if not isinstance(value, Mapping):
            return None
        if key in value:
            value = value[key]
        elif i == len(keys) - 1 and f"{key}.$" in value:
            return ("$", value[f"{key}.$"])
        else:
            return None
    return value


def _role_of(template: Any, sm_id: str) -> str | None:
    role = target(props(resource(template, sm_id)).get("RoleArn"))
    return role if role_visible(template, role) else None


class _TaskRule(EachRule):
    """A rule over the createTransformJob tasks of the template's state machines."""

    tags: list[str] = _TAGS

    def each(self, t: Template) -> Iterator[tuple[str, Definition, str, Mapping[str, Any], bool]]:
        return _transform_tasks(t)


class TransformTaskRolePermissions(_TaskRule, CloudFormationLintRule):
    """A state machine that starts a transform job must be allowed ``sagemaker:CreateTransformJob`` and, when the
    job is tagged, ``sagemaker:AddTags``; a ``.sync`` (run a job) task also tags the job it starts
    (``MANAGED_BY_AWS``) and polls it, so it needs ``sagemaker:AddTags`` and ``sagemaker:DescribeTransformJob``
    as well (and ``sagemaker:StopTransformJob`` to stop it when the execution is stopped). Without them the task
    fails with AccessDenied.
    Source: AWS Step Functions developer guide, "IAM policies for Amazon SageMaker AI" (CreateTransformJob),
    https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html, and aws-cdk issue 26012 (the state machine
    role missing sagemaker:AddTags for a .sync SageMakerCreateTransformJob), https://github.com/aws/aws-cdk/issues/26012.
    """

    id = "E9701"
    shortdesc = "Transform-job state machine role lacks SageMaker permissions"
    description = ("The role of a state machine running sagemaker:createTransformJob lacks CreateTransformJob, "
                   "AddTags (tags or .sync) or DescribeTransformJob/StopTransformJob (.sync)")
    source_url = "https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html"

    def check(self, t: Template, sm_id: str, definition: Definition, name: str, state: Mapping[str, Any],
              sync: bool) -> Iterator[RuleMatch]:
        role_id = _role_of(t, sm_id)
        if role_id is None:
            return
        needed = ["sagemaker:CreateTransformJob"]
        if sync or _param(state, "Tags") is not None:
            needed.append("sagemaker:AddTags")
        if sync:
            needed += ["sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob"]
        missing = [a for a in needed if not role_allows(t, role_id, a)]
        if missing:
            why = " (a .sync task tags and polls the job it starts)" if sync else ""
            yield RuleMatch(
                ["Resources", sm_id, "Properties", "RoleArn"],
                f"State machine {sm_id} runs sagemaker:createTransformJob{'.sync' if sync else ''} in state "
                f"{name}, but its role {role_id} is not allowed {', '.join(missing)}{why}. Grant them on "
                f"arn:<partition>:sagemaker:<region>:<account>:transform-job/<job name prefix>*.",
            )


class TransformSyncRulePermissions(TemplateRule, CloudFormationLintRule):
    """A ``.sync`` task learns that its transform job finished from an EventBridge rule that Step Functions manages in
    the account, ``StepFunctionsGetEventsForSageMakerTransformJobsRule``; the state machine role must be allowed
    ``events:PutTargets``, ``events:PutRule`` and ``events:DescribeRule`` on it, or the task fails.
    Source: AWS Step Functions developer guide, "IAM policies for Amazon SageMaker AI" (CreateTransformJob, Run a Job
    (.sync)), https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html.
    """

    id = "E9702"
    shortdesc = "Transform .sync task without the managed-rule permissions"
    description = ("A sagemaker:createTransformJob.sync task's role lacks events:PutTargets/PutRule/DescribeRule on "
                   "rule/StepFunctionsGetEventsForSageMakerTransformJobsRule")
    source_url = "https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html"
    tags = _TAGS

    _RULE_ARN = "arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventsForSageMakerTransformJobsRule"

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        done: set[str] = set()
        for sm_id, _definition, name, _state, sync in _transform_tasks(t):
            role_id = _role_of(t, sm_id)
            if not sync or role_id is None or sm_id in done:
                continue
            missing = [a for a in ("events:PutTargets", "events:PutRule", "events:DescribeRule")
                       if not role_allows(t, role_id, a, arns=(self._RULE_ARN,))]
            if missing:
                done.add(sm_id)
                yield RuleMatch(
                    ["Resources", sm_id, "Properties", "RoleArn"],
                    f"State machine {sm_id} waits for a transform job (.sync, state {name}), but its role {role_id} "
                    f"is not allowed {', '.join(missing)} on the managed rule StepFunctionsGetEventsForSageMaker"
                    f"TransformJobsRule. Grant events:PutTargets, events:PutRule and events:DescribeRule on "
                    f"arn:<partition>:events:<region>:<account>:rule/StepFunctionsGetEventsForSageMakerTransformJobsRule.",
                )


# Errors a retrier may catch that also occur after CreateTransformJob has created the job (a .sync task's job
# failing or its polling failing, or a generic service error on a request that did create the job).
_LATE_ERRORS = {"States.ALL", "States.TaskFailed", "SageMaker.AmazonSageMakerException", "States.Timeout",
                "SageMaker.SageMakerException"}


def _name_is_fixed(state: Mapping[str, Any]) -> str | None:
    """How the task names its job when every attempt sends the same name: ``"literal"`` or ``"path"``; ``None`` when
    the name is computed inside the task's own parameters with ``States.UUID()`` (new on every attempt)."""
    value = _param(state, "TransformJobName")
    if isinstance(value, tuple):
        expr = value[1]
        if isinstance(expr, str) and "States.UUID()" in expr:
            return None
        return "path"
    if isinstance(value, str):
        return "literal"
    return None


class TransformRetryReusesJobName(_TaskRule, CloudFormationLintRule):
    """Transform job names must be unique in the account and Region. A retrier on a ``createTransformJob`` task
    re-runs the task with the same input, so a name that is fixed in the definition or read from the state input is
    sent again; when the failed attempt had already created the job (a ``.sync`` task whose job or polling failed,
    or a generic service error), every retry fails on the duplicate name and the retries are wasted. Quiet when the
    task catches those errors into a state that describes the job by the same name (the run then goes on with the
    job an earlier attempt created, as cdk-sagemaker's ``BatchTransform`` does).
    Source: SageMaker API reference, "CreateTransformJob" (TransformJobName: "The name must be unique within an AWS
    Region in an AWS account"), https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html,
    and AWS Step Functions developer guide, "Handling errors in Step Functions workflows" (a retrier re-runs the
    state), https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
    """

    id = "W9703"
    shortdesc = "Retried transform task re-sends the same job name"
    description = ("A createTransformJob task retries on errors that can follow the job's creation while its "
                   "TransformJobName stays the same on every attempt")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html"

    def check(self, t: Template, sm_id: str, definition: Definition, name: str, state: Mapping[str, Any],
              sync: bool) -> Iterator[RuleMatch]:
        how = _name_is_fixed(state)
        if how is None:
            return
        late = sorted({e for r in as_list(state.get("Retry")) for e in as_list(get(r, "ErrorEquals"))
                       if e in _LATE_ERRORS and (sync or e != "States.TaskFailed")})
        if not late or _recovers_by_name(definition, state):
            return
        origin = "fixed in the definition" if how == "literal" else "read from the state input"
        yield RuleMatch(
            [*definition.path],
            f"State machine {sm_id}: state {name} retries createTransformJob on {', '.join(late)} with a "
            f"TransformJobName {origin}, so a retry after the job was created fails on the duplicate name. Retry "
            f"only errors raised before the job exists (e.g. SageMaker.ResourceLimitExceededException, "
            f"ThrottlingException), or give every attempt its own name (States.Format('<prefix>-{{}}', "
            f"States.UUID()) in the task's own Parameters), or catch the error and check the job's status.",
        )


_DESCRIBE = re.compile(r"sagemaker:describeTransformJob$", re.IGNORECASE)


def _recovers_by_name(definition: Definition, state: Mapping[str, Any]) -> bool:
    """True when every error the task can end with is caught by a state that looks the job up by the same
    ``TransformJobName`` (DescribeTransformJob): then an attempt that failed on the duplicate name, after an earlier
    attempt created the job, goes on with that job instead of failing the run."""
    name = _param(state, "TransformJobName")
    if name is None:
        return False
    by_name = dict(states(definition.body))
    for catcher in as_list(state.get("Catch")):
        errors = as_list(get(catcher, "ErrorEquals"))
        if "States.ALL" not in errors and "SageMaker.AmazonSageMakerException" not in errors:
            continue
        nxt = by_name.get(str(get(catcher, "Next")))
        if isinstance(nxt, Mapping) and _DESCRIBE.search(task_action(definition, nxt) or "") \
                and _param(nxt, "TransformJobName") == name:
            return True
    return False


_FORMATS = ("text/csv", "application/json", "application/jsonlines")


def _data_processing(state: Mapping[str, Any]) -> Mapping[str, Any] | None:
    dp = _param(state, "DataProcessing")
    if not isinstance(dp, Mapping):
        return None
    join = dp.get("JoinSource")
    filters = [dp.get(k) for k in ("InputFilter", "OutputFilter") if isinstance(dp.get(k), str)]
    if join == "Input" or any(f not in ("$", "") for f in filters):
        return dp
    return None


def _literal(state: Mapping[str, Any], *keys: str) -> str | None:
    v = _param(state, *keys)
    return v if isinstance(v, str) else None


class DataProcessingFormats(_TaskRule, CloudFormationLintRule):
    """Batch transform data processing (``InputFilter``, ``JoinSource``, ``OutputFilter``) works on JSON and CSV
    only: the input ``ContentType`` and the output ``Accept`` must both be ``text/csv``, ``application/json`` or
    ``application/jsonlines``.
    Source: Amazon SageMaker developer guide, "Associate Prediction Results with Input Records" ("you must set both
    the Content Type and Accept parameters to one of the following values: text/csv, application/json, or
    application/jsonlines"), https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html.
    """

    id = "E9704"
    shortdesc = "Batch data processing with a content type it cannot read"
    description = ("DataProcessing filters or JoinSource need ContentType and Accept among text/csv, "
                   "application/json, application/jsonlines")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html"

    def check(self, t: Template, sm_id: str, definition: Definition, name: str, state: Mapping[str, Any],
              sync: bool) -> Iterator[RuleMatch]:
        if _data_processing(state) is None:
            return
        problems = []
        for field, keys in (("TransformInput.ContentType", ("TransformInput", "ContentType")),
                            ("TransformOutput.Accept", ("TransformOutput", "Accept"))):
            raw = _param(state, *keys)
            if isinstance(raw, tuple):
                continue
            if raw is None:
                problems.append(f"{field} is not set")
            elif isinstance(raw, str) and raw.split(";")[0].strip().lower() not in _FORMATS:
                problems.append(f"{field} is {raw!r}")
        if problems:
            yield RuleMatch(
                [*definition.path],
                f"State machine {sm_id}: transform task {name} uses DataProcessing (filters or JoinSource) but "
                f"{'; '.join(problems)}. Set both ContentType and Accept to text/csv, application/json or "
                f"application/jsonlines (data processing reads only CSV and JSON).",
            )


class CsvJoinNeedsLineRecords(_TaskRule, CloudFormationLintRule):
    """With data processing on CSV (``text/csv`` in and out) SageMaker joins and filters record by record, so the
    input must be split and the output assembled by line: ``SplitType`` and ``AssembleWith`` must both be ``Line``.
    Source: Amazon SageMaker developer guide, "Associate Prediction Results with Input Records" ("If you set input and
    output formats to text/csv, you must also set the SplitType and AssemblyType parameters to line"),
    https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html.
    """

    id = "E9705"
    shortdesc = "CSV data processing without Line split and assembly"
    description = "CSV batch data processing needs TransformInput.SplitType Line and TransformOutput.AssembleWith Line"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html"

    def check(self, t: Template, sm_id: str, definition: Definition, name: str, state: Mapping[str, Any],
              sync: bool) -> Iterator[RuleMatch]:
        if _data_processing(state) is None:
            return
        if _literal(state, "TransformInput", "ContentType") != "text/csv":
            return
        problems = []
        for field, keys in (("TransformInput.SplitType", ("TransformInput", "SplitType")),
                            ("TransformOutput.AssembleWith", ("TransformOutput", "AssembleWith"))):
            raw = _param(state, *keys)
            if isinstance(raw, tuple):
                continue
            if raw != "Line":
                problems.append(f"{field} is {raw!r}" if raw is not None else f"{field} is not set (None)")
        if problems:
            yield RuleMatch(
                [*definition.path],
                f"State machine {sm_id}: transform task {name} joins or filters CSV records but "
                f"{'; '.join(problems)}. Set TransformInput.SplitType and TransformOutput.AssembleWith to Line.",
            )


_NAMED_PATH = re.compile(r"\.[A-Za-z_*]|\['")


class CsvFilterByName(_TaskRule, CloudFormationLintRule):
    """SageMaker reads each CSV row as a JSON array, so CSV filters can only select by index (``$[0]``, ``$[1:]``);
    a filter that names attributes (``$.features``, ``$['id']``) fails on CSV data.
    Source: Amazon SageMaker developer guide, "Associate Prediction Results with Input Records", section "Supported
    JSONPath Operators" ("For CSV data, each row is taken as a JSON array, so only index based JSONPaths can be
    applied"), https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html.
    """

    id = "E9706"
    shortdesc = "Name-based JSONPath filter on CSV data"
    description = "InputFilter/OutputFilter select attributes by name on text/csv data"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html"

    def check(self, t: Template, sm_id: str, definition: Definition, name: str, state: Mapping[str, Any],
              sync: bool) -> Iterator[RuleMatch]:
        dp = _data_processing(state)
        if dp is None:
            return
        csv_in = _literal(state, "TransformInput", "ContentType") == "text/csv"
        csv_out = _literal(state, "TransformOutput", "Accept") == "text/csv"
        for key, is_csv in (("InputFilter", csv_in), ("OutputFilter", csv_out and csv_in)):
            f = dp.get(key)
            if is_csv and isinstance(f, str) and _NAMED_PATH.search(f):
                yield RuleMatch(
                    [*definition.path],
                    f"State machine {sm_id}: transform task {name} filters CSV data with "
                    f"DataProcessing.{key} {f!r}, which selects by name; CSV rows are arrays, so use index "
                    f"paths such as '$[1:]' or '$[0,-1]'.",
                )


class ScheduleExpressionInvalid(TemplateRule, CloudFormationLintRule):
    """An EventBridge rule that starts a transform (or anything else) on a schedule must have a ``ScheduleExpression``
    of ``cron(...)`` with six fields (minutes hours day-of-month month day-of-week year, ``?`` in one of the two day
    fields, each field in its range) or ``rate(<positive integer> <unit>)``, with the unit singular for 1 and plural
    otherwise (``rate(1 hours)`` is not valid); ``at(...)`` is not available for rules. An EventBridge Scheduler
    schedule (``AWS::Scheduler::Schedule``) takes the same cron and rate forms and one-time ``at(yyyy-mm-ddThh:mm:ss)``.
    Anything else fails PutRule / CreateSchedule ("Parameter ScheduleExpression is not valid") and the stack.
    ``BatchTransform(schedule=...)`` validates with the same function (:mod:`cdk_sagemaker._schedules`).
    Sources: Amazon EventBridge user guide, "Creating a rule that runs on a schedule" / "Cron expressions reference"
    and "Rate expressions", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html;
    EventBridge Scheduler user guide, "Schedule types in EventBridge Scheduler",
    https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html.
    """

    id = "E9707"
    shortdesc = "EventBridge schedule with an invalid schedule expression"
    description = ("ScheduleExpression of an AWS::Events::Rule or AWS::Scheduler::Schedule must be a valid cron(...), "
                   "rate(...) (or, for Scheduler, at(...)) expression")
    source_url = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for res_id, res in resources(t, "AWS::Events::Rule", "AWS::Scheduler::Schedule"):
            expression = resolve_str(t, props(res).get("ScheduleExpression"))
            if expression is None:
                continue
            scheduler = res.get("Type") == "AWS::Scheduler::Schedule"
            kind = "Schedule" if scheduler else "Rule"
            forms = "cron(...) with six fields in range, rate(1 hour) / rate(N hours)" + (
                ", or at(yyyy-mm-ddThh:mm:ss)" if scheduler else " (rules have no at(...); use an EventBridge "
                "Scheduler schedule for a one-time run)")
            for problem in schedule_problems(expression, param="ScheduleExpression", allow_at=scheduler,
                                             unit_agreement=not scheduler):
                yield RuleMatch(
                    ["Resources", res_id, "Properties", "ScheduleExpression"],
                    f"{kind} {res_id}: {problem}; {'CreateSchedule' if scheduler else 'PutRule'} rejects it. "
                    f"Write {forms}")
