"""Internal: the parts :class:`~cdk_sagemaker.constructs.batch_transform.BatchTransform` builds a run from, each a
function its protected hook calls (override the hook to replace one part): the ``CreateTransformJob.sync`` task,
the stop-on-timeout path, the recovery of a job an earlier attempt created, the state machine's IAM statements, the
model role's data grants, the key, the schedule and the failure alarm.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TypeVar

from aws_cdk import Aws, Duration, Size
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from cdk_sagemaker.constructs._jsii import node_path
from cdk_sagemaker.constructs._keys import CLOUDWATCH_TOPIC_ACTIONS, cloudwatch_alarm_publisher, service_key
from cdk_sagemaker.constructs._nag import acknowledge_resource
from cdk_sagemaker.constructs.batch_options import (
    BatchInput,
    BatchOutput,
    BatchResources,
    DataProcessing,
    split_location,
)
from cdk_sagemaker.constructs.model import Model

__all__ = ["failure_alarm", "failure_key", "job_arn", "model_data_statements", "name_job", "recovery", "resolved",
           "schedule_rule", "state_machine_statements", "stop_on_timeout", "transform_job_task"]

# The rule Step Functions manages to learn that a .sync SageMaker transform job finished (Step Functions developer
# guide, "IAM policies for Amazon SageMaker AI", CreateTransformJob .sync).
_SYNC_RULE = "StepFunctionsGetEventsForSageMakerTransformJobsRule"
_EXECUTION_TAG = "cdk-sagemaker:execution-arn"
# How often the recovery path (a job created by an attempt whose response was lost) describes the job. Our choice.
POLL_SECONDS = 60
_BATCH_STRATEGY = {"SingleRecord": "SINGLE_RECORD", "MultiRecord": "MULTI_RECORD"}
_JOB_NAME = "$.TransformJob.TransformJobName"
T = TypeVar("T")


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


def resolved(value: T | None, setting: str) -> T:
    """A setting ``BatchTransform`` resolved before building (its validation rejects a missing one); a builder
    called with an unresolved option group is a programming error."""
    if value is None:
        raise TypeError(f"{setting} is not resolved: build from BatchTransform's resolved options")
    return value


def job_arn(prefix: str) -> str:
    """The ARN of every job named ``<prefix>-<UUID>`` in this account and region."""
    return f"arn:{Aws.PARTITION}:sagemaker:{Aws.REGION}:{Aws.ACCOUNT_ID}:transform-job/{prefix.lower()}-*"


def _objects(bucket: str, key: str) -> str:
    return f"arn:{Aws.PARTITION}:s3:::{bucket}/{key}*"


def model_data_statements(owner: Construct, model: Model, *, input: BatchInput, output: BatchOutput,
                          data_keys: Sequence[kms.IKey]) -> list[iam.PolicyStatement]:
    """What the model's role needs for a job: read the input (a manifest: it and its folder), list the input
    prefix, write the output, use the data keys. Acknowledges the prefix wildcards on ``model`` for ``owner``."""
    in_bucket, in_key = split_location(resolved(input.s3_uri, "input.s3_uri")) or ("", "")
    out_bucket, out_key = split_location(resolved(output.s3_uri, "output.s3_uri")) or ("", "")
    _, list_prefix = input.read_prefix() or ("", "")
    read = [_objects(in_bucket, in_key)] if input.data_type == "S3Prefix" else [
        f"arn:{Aws.PARTITION}:s3:::{in_bucket}/{in_key}", _objects(in_bucket, list_prefix)]
    for arn, what in ((read[-1], "input"), (_objects(out_bucket, out_key), "output")):
        acknowledge_resource(model, arn,
                             f"Batch transform {node_path(owner)} reads every object under its {what} prefix or "
                             "writes one result object per input object there; the names are known only when the "
                             "job runs. The grant is limited to that prefix.")
    statements = [
        iam.PolicyStatement(actions=["s3:GetObject"], resources=read),
        iam.PolicyStatement(actions=["s3:ListBucket"], resources=[f"arn:{Aws.PARTITION}:s3:::{in_bucket}"],
                            conditions={"StringLike": {"s3:prefix": [f"{list_prefix}*"]}}),
        iam.PolicyStatement(actions=["s3:PutObject", "s3:AbortMultipartUpload"],
                            resources=[_objects(out_bucket, out_key)]),
    ]
    keys = [*data_keys, *([output.kms_key] if output.kms_key is not None else [])]
    if keys:
        statements.append(iam.PolicyStatement(actions=["kms:Decrypt", "kms:GenerateDataKey"],
                                              resources=[k.key_arn for k in keys]))
    return statements


def state_machine_statements(prefix: str, model: Model) -> list[iam.PolicyStatement]:
    """Exact statements for the state machine's role (replacing the wildcard grants ``SageMakerCreateTransformJob``
    and ``StateMachine`` would add)."""
    return [
        iam.PolicyStatement(
            actions=["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob",
                     "sagemaker:AddTags", "sagemaker:ListTags"],
            resources=[job_arn(prefix)]),
        iam.PolicyStatement(
            actions=["iam:PassRole"], resources=[model.role.role_arn],
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
    ]


def transform_job_task(scope: Construct, id: str, *, model: Model, input: BatchInput, output: BatchOutput,
                       resources: BatchResources, data_processing: DataProcessing | None, timeout: Duration,
                       retry_attempts: int) -> tasks.SageMakerCreateTransformJob:
    """The ``CreateTransformJob.sync`` task named ``$.TransformJob.TransformJobName``. ``role=model.role`` keeps
    the task from creating its own (AmazonSageMakerFullAccess) role."""
    model_client = None
    if resources.invocation_timeout is not None or resources.invocation_max_retries is not None:
        # The CDK fills an unset half with 60 s / 0 retries; keep the service defaults (600 s, 3) instead.
        model_client = tasks.ModelClientOptions(
            invocations_timeout=resources.invocation_timeout or Duration.seconds(600),
            invocations_max_retries=3 if resources.invocation_max_retries is None
            else resources.invocation_max_retries)
    strategy, payload = resources.batch_strategy, resources.max_payload_mb
    task = _TransformJobTask(
        scope, id,
        integration_pattern=sfn.IntegrationPattern.RUN_JOB,
        transform_job_name=sfn.JsonPath.string_at(_JOB_NAME),
        model_name=model.model_name,
        role=model.role,
        transform_input=tasks.TransformInput(
            transform_data_source=tasks.TransformDataSource(s3_data_source=tasks.TransformS3DataSource(
                s3_uri=resolved(input.s3_uri, "input.s3_uri"),
                s3_data_type=tasks.S3DataType.MANIFEST_FILE if input.data_type == "ManifestFile"
                else tasks.S3DataType.S3_PREFIX)),
            content_type=input.content_type,
            split_type=tasks.SplitType(input.split_type.upper()) if input.split_type is not None else None,
            compression_type=tasks.CompressionType(input.compression.upper()) if input.compression is not None
            else None,
        ),
        transform_output=tasks.TransformOutput(
            s3_output_path=resolved(output.s3_uri, "output.s3_uri"), accept=output.accept,
            encryption_key=output.kms_key,
            assemble_with=tasks.AssembleWith(output.assemble_with.upper()) if output.assemble_with is not None
            else None),
        transform_resources=tasks.TransformResources(
            instance_count=resources.instance_count,
            instance_type=ec2.InstanceType(resolved(resources.instance_type, "resources.instance_type")
                                        .removeprefix("ml."))),
        batch_strategy=tasks.BatchStrategy(_BATCH_STRATEGY[strategy]) if strategy else None,
        max_payload=Size.mebibytes(payload) if payload is not None else None,
        max_concurrent_transforms=resources.max_concurrent_transforms,
        model_client_options=model_client,
        environment=dict(resources.environment) if resources.environment else None,
        tags={_EXECUTION_TAG: sfn.JsonPath.string_at("$$.Execution.Id")},
        task_timeout=sfn.Timeout.duration(timeout),
        result_path="$.TransformJob.Result",
    )
    task.data_processing = data_processing.render() if data_processing is not None else None
    if retry_attempts > 0:
        # SageMaker API throttling and internal errors surface as SageMaker.AmazonSageMakerException. A job that ran
        # and failed is States.TaskFailed and a run that took too long States.Timeout: neither is retried.
        task.add_retry(errors=["SageMaker.AmazonSageMakerException"], interval=Duration.seconds(15),
                       max_attempts=retry_attempts, backoff_rate=2, max_delay=Duration.minutes(5),
                       jitter_strategy=sfn.JitterType.FULL)
    return task


def name_job(scope: Construct, prefix: str) -> sfn.Pass:
    """The first state: a job name unique to this run, ``<prefix>-<UUID>``, and the recovery's poll counter."""
    return sfn.Pass(
        scope, "NameJob",
        comment="A unique transform job name for this run: <prefix>-<UUID>",
        parameters={"TransformJobName": sfn.JsonPath.format(f"{prefix}-{{}}", sfn.JsonPath.uuid()),
                    "Count": {"Polls": 0}},
        result_path="$.TransformJob",
    )


def stop_on_timeout(scope: Construct, prefix: str) -> sfn.IChainable:
    """``StopTransformJob`` (retried, its own failure caught) and then the ``TimedOut`` failure."""
    stop = tasks.CallAwsService(
        scope, "StopTransformJob",
        comment="The job ran longer than the timeout: stop it so it stops billing",
        service="sagemaker", action="stopTransformJob",
        parameters={"TransformJobName": sfn.JsonPath.string_at(_JOB_NAME)},
        iam_resources=[job_arn(prefix)], result_path=sfn.JsonPath.DISCARD,
    )
    timed_out = sfn.Fail(scope, "TimedOut", error="TransformJobTimedOut",
                         cause="The transform job ran longer than the timeout and was stopped")
    stop.add_retry(errors=[sfn.Errors.ALL], max_attempts=3, interval=Duration.seconds(5), backoff_rate=2)
    stop.add_catch(timed_out, errors=[sfn.Errors.ALL], result_path="$.TransformJob.StopError")
    stop.next(timed_out)
    return stop


def recovery(scope: Construct, prefix: str, *, stop: sfn.IChainable, timeout: Duration) -> sfn.IChainable:
    """After a failed create/wait: find this run's job by name and wait for it, at most ``timeout`` (counted in
    polls), then ``stop`` it.

    Why the recovery path exists. A Step Functions ``Retry`` runs the task again with the same input (Step Functions
    developer guide, "Handling errors in Step Functions workflows"), so a retried ``CreateTransformJob`` sends the
    same ``TransformJobName``. The name must be unique in the account and region (CreateTransformJob API reference,
    ``TransformJobName``), so when the failed attempt had in fact created the job (a lost response, or a failure
    while ``.sync`` polled the job) every retry fails with ``ResourceInUse`` (botocore: CreateTransformJob errors
    ResourceInUse, ResourceLimitExceeded, ResourceNotFound) and the run would fail while its job runs on, unwatched.
    A new name per attempt is no fix: it would start a second job that writes the same outputs.

    Instead the name stays ``<prefix>-<UUID>``, unique per execution, so a job of that name can only be this run's
    own. When the task still fails after its retries (any error but the timeout), ``FindJob`` describes the job by
    name: none exists -> the run fails with the create call's own error (``CreateFailed``); it exists -> the run
    waits for it (``Describe`` every ``POLL_SECONDS``) and ends as the job ends (``Completed`` succeeds,
    ``Failed``/``Stopped`` fails), and the same ``timeout`` (counted in polls from the recovery) stops it. A job that
    failed on its own is found as ``Failed`` and fails the run without being retried.
    """
    find = tasks.CallAwsService(
        scope, "FindJob",
        comment="The create call failed after its retries: did an earlier attempt create this run's job?",
        service="sagemaker", action="describeTransformJob",
        parameters={"TransformJobName": sfn.JsonPath.string_at(_JOB_NAME)},
        iam_resources=[job_arn(prefix)],
        result_selector={"Status": sfn.JsonPath.string_at("$.TransformJobStatus")},
        result_path="$.TransformJob.Found",
    )
    find.add_retry(errors=[sfn.Errors.ALL], max_attempts=3, interval=Duration.seconds(5), backoff_rate=2)
    not_created = sfn.Fail(scope, "CreateFailed", error_path="$.TransformJob.Error.Error",
                           cause_path="$.TransformJob.Error.Cause",
                           comment="No job of this run exists: the create call's own error")
    find.add_catch(not_created, errors=[sfn.Errors.ALL], result_path="$.TransformJob.FindError")
    failed = sfn.Fail(scope, "JobFailed", error="TransformJobFailed",
                      cause="The transform job ended as Failed or Stopped (see DescribeTransformJob)")
    done = sfn.Succeed(scope, "JobCompleted")
    max_polls = max(1, math.ceil(timeout.to_seconds() / POLL_SECONDS))
    count = sfn.Pass(scope, "CountPoll", parameters={
        "Polls": sfn.JsonPath.math_add(sfn.JsonPath.number_at("$.TransformJob.Count.Polls"), 1)},
        result_path="$.TransformJob.Count")
    wait = sfn.Wait(scope, "WaitForJob", time=sfn.WaitTime.duration(Duration.seconds(POLL_SECONDS)))
    too_long = sfn.Choice(scope, "WithinTimeout").when(
        sfn.Condition.number_greater_than_equals("$.TransformJob.Count.Polls", max_polls), stop).otherwise(wait)
    status = sfn.Choice(scope, "JobStatus") \
        .when(sfn.Condition.string_equals("$.TransformJob.Found.Status", "Completed"), done) \
        .when(sfn.Condition.or_(sfn.Condition.string_equals("$.TransformJob.Found.Status", "Failed"),
                                sfn.Condition.string_equals("$.TransformJob.Found.Status", "Stopped")), failed) \
        .otherwise(count)
    count.next(too_long)
    wait.next(find)
    return find.next(status)


def failure_key(scope: Construct) -> kms.Key:
    """The key for the execution log group and the failure topic; rotation on, retained, and the least key policy
    of ``service_key`` (no ``kms:*``): CloudWatch Logs may use it for this account's log groups only (encryption
    context), CloudWatch alarms of this account may publish to the topic (``aws:SourceAccount``; SNS developer guide,
    "Enable compatibility between event sources from AWS services and encrypted topics"), and principals of the
    account only through SNS."""
    logs_condition = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn":
                                  f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"}}
    return service_key(
        scope, "Key", via_services=("sns",),
        description=f"Encrypts the execution logs and failure notifications of {node_path(scope)}",
        service_principals={"logs.amazonaws.com": logs_condition, **cloudwatch_alarm_publisher()},
        service_actions={"cloudwatch.amazonaws.com": CLOUDWATCH_TOPIC_ACTIONS},
    )


def schedule_rule(scope: Construct, machine: sfn.StateMachine, schedule: events.Schedule) -> events.Rule:
    """An EventBridge rule that starts ``machine``, with a role limited to ``states:StartExecution`` on it."""
    role = iam.Role(scope, "ScheduleRole", assumed_by=iam.ServicePrincipal("events.amazonaws.com"),
                    description=f"Starts batch transform {node_path(scope)} on its schedule")
    policy = iam.ManagedPolicy(scope, "SchedulePolicy", roles=[role],
                               description=f"Start executions of batch transform {node_path(scope)}")
    policy.add_statements(iam.PolicyStatement(actions=["states:StartExecution"],
                                              resources=[machine.state_machine_arn]))
    rule = events.Rule(scope, "Schedule", schedule=schedule, description=f"Starts batch transform {node_path(scope)}")
    rule.add_target(targets.SfnStateMachine(machine, role=role.without_policy_updates()))
    cfn_rule = rule.node.default_child
    assert cfn_rule is not None
    cfn_rule.node.add_dependency(policy)
    return rule


def failure_alarm(scope: Construct, machine: sfn.StateMachine, rule: events.Rule | None,
                  topic: sns.ITopic) -> cloudwatch.Alarm:
    """One alarm when any run fails, times out, is aborted or (with a ``rule``) cannot be started; it notifies
    ``topic``."""
    period = Duration.minutes(5)
    metrics: dict[str, cloudwatch.IMetric] = {
        "failed": machine.metric_failed(period=period, statistic="Sum"),
        "timedout": machine.metric_timed_out(period=period, statistic="Sum"),
        "aborted": machine.metric_aborted(period=period, statistic="Sum"),
    }
    if rule is not None:
        metrics["startfailed"] = cloudwatch.Metric(
            namespace="AWS/Events", metric_name="FailedInvocations", period=period, statistic="Sum",
            dimensions_map={"RuleName": rule.rule_name})
    expression = " + ".join(f"FILL({k}, 0)" for k in metrics)
    alarm = cloudwatch.Alarm(
        scope, "FailureAlarm",
        alarm_description=f"A run of batch transform {node_path(scope)} failed, timed out, was aborted or could "
                          "not be started",
        metric=cloudwatch.MathExpression(expression=expression, using_metrics=metrics, period=period,
                                         label="Failed runs"),
        threshold=1, evaluation_periods=1,
        comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
    )
    alarm.add_alarm_action(cw_actions.SnsAction(topic))
    return alarm
