"""Batch transform: inference over an S3 dataset without an endpoint, run by a Step Functions state machine.

CloudFormation has no transform-job resource. ``BatchTransform`` builds a state machine that names the job, runs
``CreateTransformJob`` and waits for it (``.sync``), retries throttling, stops the job when it runs too long, and
raises an alarm (to an SNS topic) when a run fails. An EventBridge rule starts it on a schedule, or callers start it
on demand (``grant_start_execution``).

The options are grouped by concept in :mod:`cdk_sagemaker.constructs.batch_options` (``BatchInput``,
``BatchOutput``, ``BatchResources``, ``BatchRunPolicy``, ``DataProcessing``); the parts of a run are built by
:mod:`cdk_sagemaker.constructs._batch_run`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from aws_cdk import CfnResource, Duration, RemovalPolicy
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._schedules import schedule_problems
from cdk_sagemaker.constructs import _batch_run as run
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, remember_path
from cdk_sagemaker.constructs._nag import acknowledge, acknowledge_resource
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs.batch_options import (
    BatchInput,
    BatchOutput,
    BatchResources,
    BatchRunPolicy,
    DataProcessing,
    ResolvedOptions,
    job_prefix_room,
)
from cdk_sagemaker.constructs.endpoint import accelerator_problems
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.errors import Problems

__all__ = ["BatchInput", "BatchOutput", "BatchResources", "BatchRunPolicy", "BatchTransform", "DataProcessing",
           "schedule_problems"]


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

    Options. The common case takes flat keywords: ``input_s3_uri``, ``output_s3_uri``, ``instance_type`` and
    ``schedule``. Everything else is in one group per concept: ``input=BatchInput(...)`` (data type, content type,
    split, compression), ``output=BatchOutput(...)`` (accept, assembly, KMS key), ``resources=BatchResources(...)``
    (instance count, batch strategy, payload, concurrency, invocation timeout and retries, environment) and
    ``run_policy=BatchRunPolicy(...)`` (job name prefix, timeout, retries, logging). Each group is complete (it also
    has the field a flat keyword sets, e.g. ``BatchInput(s3_uri=...)``), so one group value can describe an input
    on its own and be shared; a flat keyword is a shortcut for that field, and giving one setting both ways is
    rejected rather than one silently winning. Why both: thirty flat keywords hide which options belong together
    (and which rules relate them), while groups alone would make the simple case import and nest four classes.

    Default: ``ml.m5.xlarge``, one instance, input as an S3 prefix, no splitting/batching/compression options (the
    service defaults), no join, 12 hour timeout, 3 retries, logging level ALL without execution data (inputs and
    outputs can hold personal data), logs kept one year, a new KMS key (rotation on) for the logs and a new topic,
    no schedule (start on demand).

    Attributes: ``state_machine`` (also ``node.default_child``), ``state_machine_arn``, ``role``, ``policy``,
    ``task``, ``log_group``, ``kms_key``, ``topic``, ``alarm``, ``job_name_prefix``, the resolved option groups
    ``input``, ``output``, ``resources``, ``run_policy`` (flat keywords merged in, defaults filled), and ``rule``
    (with a ``schedule``; without one it raises :class:`~cdk_sagemaker.errors.NotConfiguredError`, an
    ``AttributeError``).

    Subclassing: ``__init__`` validates, then calls one protected hook per part (``_grant_model``, ``_create_key``,
    ``_create_log_group``, ``_create_role``, ``_create_task``, ``_create_state_machine``, ``_recover_job``,
    ``_create_schedule``, ``_create_topic``, ``_create_alarm``); each reads the resolved groups from ``self``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: Model,
        input_s3_uri: str | None = None,
        output_s3_uri: str | None = None,
        instance_type: str | None = None,
        schedule: events.Schedule | None = None,
        input: BatchInput | None = None,
        output: BatchOutput | None = None,
        resources: BatchResources | None = None,
        run_policy: BatchRunPolicy | None = None,
        data_processing: DataProcessing | None = None,
        data_keys: Sequence[kms.IKey] = (),
        kms_key: kms.IKey | None = None,
        topic: sns.ITopic | None = None,
    ) -> None:
        """``input_s3_uri``/``output_s3_uri`` (or ``input=``/``output=`` with ``s3_uri``) are required.
        ``data_keys``: KMS keys of the input and output buckets, for the model's role. ``kms_key``: encrypts the
        execution log and the created topic (Default: a new key, rotation on). ``topic``: receives the failure
        alarm (Default: a new KMS-encrypted, TLS-only topic)."""
        super().__init__(scope, id)
        remember_path(self, scope, id)
        self.model = model
        self.data_keys: tuple[kms.IKey, ...] = tuple(data_keys)
        options = self._validate(input_s3_uri=input_s3_uri, output_s3_uri=output_s3_uri, instance_type=instance_type,
                                 schedule=schedule, input=input, output=output, resources=resources,
                                 run_policy=run_policy, data_processing=data_processing)
        self.input, self.output = options.input, options.output
        self.resources, self.run_policy = options.resources, options.run_policy
        self.data_processing = options.data_processing
        #: Each run's job is named ``<job_name_prefix>-<UUID>``.
        self.job_name_prefix: str = run.resolved(self.run_policy.job_name_prefix, "job_name_prefix")
        self._grant_model()
        self.kms_key: kms.IKey = kms_key if kms_key is not None else self._create_key()
        self.log_group = self._create_log_group()
        self.role, self.policy = self._create_role()
        self.task = self._create_task()
        self.state_machine = self._create_state_machine()
        self.state_machine_arn: str = self.state_machine.state_machine_arn
        given_schedule = self.run_policy.schedule
        self._rule: events.Rule | None = self._create_schedule(given_schedule) if given_schedule is not None else None
        self.topic: sns.ITopic = topic if topic is not None else self._create_topic()
        self.alarm = self._create_alarm()

    # -- options -------------------------------------------------------------------------------------------------
    def _default_prefix(self) -> str:
        """``<id>-<hash>`` in lower case, short enough that ``<prefix>-<UUID>`` fits TransformJobName."""
        raw = re.sub(r"[^a-z0-9]+", "-", self.node.id.lower()).strip("-") or "transform"
        suffix = self.node.addr[:6]
        return f"{raw[:job_prefix_room() - len(suffix) - 1].strip('-')}-{suffix}"

    def _validate(self, *, input_s3_uri: str | None, output_s3_uri: str | None, instance_type: str | None,
                  schedule: events.Schedule | None, input: BatchInput | None, output: BatchOutput | None,
                  resources: BatchResources | None, run_policy: BatchRunPolicy | None,
                  data_processing: DataProcessing | None) -> ResolvedOptions:
        """The options resolved (flat keywords merged into their groups, defaults filled), after raising every
        problem of the options and of the model on the instance type together. Sets nothing on ``self``."""
        options = ResolvedOptions.merge(
            input_s3_uri=input_s3_uri, output_s3_uri=output_s3_uri, instance_type=instance_type, schedule=schedule,
            input=input, output=output, resources=resources, run_policy=run_policy,
            data_processing=data_processing, default_prefix=self._default_prefix())
        problems = Problems(node_path(self))
        problems.extend(options.problems())
        chosen = run.resolved(options.resources.instance_type, "instance_type")
        if not isinstance(self.model, Model):
            problems.add("model", "must be a cdk_sagemaker Model", self.model)
        elif is_unresolved(chosen) or chosen in _limits.enum("TransformInstanceType"):
            where = options.name("resources.instance_type").removesuffix("instance_type")
            for i, container in enumerate(self.model.containers):
                problems.extend(accelerator_problems(where, container.image, chosen,
                                                     where_image=f"{node_path(self.model)} containers[{i}]"))
        problems.raise_if_any()
        return options

    # -- building (override one part in a subclass) --------------------------------------------------------------
    def _grant_model(self) -> None:
        """What the model's role needs for the job: read the input, write the output, use the data keys."""
        for statement in run.model_data_statements(self, self.model, input=self.input, output=self.output,
                                                   data_keys=self.data_keys):
            self.model.add_to_role_policy(statement)

    def _create_key(self) -> kms.Key:
        """The key for the execution log group and the failure topic (rotation on, the least key policy)."""
        return run.failure_key(self)

    def _create_log_group(self) -> logs.LogGroup:
        return logs.LogGroup(self, "Logs", encryption_key=self.kms_key, retention=self.run_policy.log_retention,
                             removal_policy=RemovalPolicy.RETAIN)

    def _create_role(self) -> tuple[iam.Role, iam.ManagedPolicy]:
        """The state machine's role with one customer-managed policy of exact statements (replacing the wildcard
        grants ``SageMakerCreateTransformJob`` and ``StateMachine`` would add)."""
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
                        description=f"Step Functions role of batch transform {node_path(self)}")
        policy = iam.ManagedPolicy(self, "Policy", roles=[role],
                                   description=f"Least-privilege policy of batch transform {node_path(self)}")
        policy.add_statements(*run.state_machine_statements(self.job_name_prefix, self.model))
        acknowledge_resource(policy, run.job_arn(self.job_name_prefix),
                             "Each run creates a new transform job named <prefix>-<UUID>; the grant covers only the "
                             "jobs this state machine names, in this account and region.")
        acknowledge(policy, "AwsSolutions-IAM5[Resource::*]",
                    "CloudWatch Logs log-delivery actions (used by Step Functions to deliver execution logs) and "
                    "the X-Ray trace actions support no resource-level permissions (Step Functions developer "
                    "guide, IAM for logging and X-Ray).")
        return role, policy

    def _create_task(self) -> tasks.SageMakerCreateTransformJob:
        """The ``CreateTransformJob.sync`` task; its policy statements are replaced by ``_create_role``'s."""
        return run.transform_job_task(
            self, "RunTransformJob", model=self.model, input=self.input, output=self.output, resources=self.resources,
            data_processing=self.data_processing, timeout=self._timeout,
            retry_attempts=self.run_policy.retry_attempts)

    @property
    def _timeout(self) -> Duration:
        return run.resolved(self.run_policy.timeout, "timeout")

    def _create_state_machine(self) -> sfn.StateMachine:
        """The run: name the job, create it and wait (``.sync``), recover a retried create idempotently (why:
        ``_batch_run.recovery``), stop the job on timeout."""
        name_job = run.name_job(self, self.job_name_prefix)
        stop = run.stop_on_timeout(self, self.job_name_prefix)
        self.task.add_catch(stop, errors=[sfn.Errors.TIMEOUT], result_path="$.TransformJob.Error")
        self.task.add_catch(self._recover_job(stop), errors=[sfn.Errors.ALL], result_path="$.TransformJob.Error")
        policy = self.run_policy
        machine = sfn.StateMachine(
            self, "Resource",
            definition_body=sfn.DefinitionBody.from_chainable(name_job.next(self.task)),
            state_machine_type=sfn.StateMachineType.STANDARD,
            role=self.role.without_policy_updates(),
            timeout=self._timeout.plus(Duration.minutes(15)),
            tracing_enabled=True,
            logs=sfn.LogOptions(destination=self.log_group, level=policy.log_level,
                                include_execution_data=policy.include_execution_data),
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

    def _recover_job(self, stop: sfn.IChainable) -> sfn.IChainable:
        """After a failed create/wait: find this run's job by name and wait for it (see _create_state_machine)."""
        return run.recovery(self, self.job_name_prefix, stop=stop, timeout=self._timeout)

    @property
    def rule(self) -> events.Rule:
        """The EventBridge rule that starts a run on the ``schedule``."""
        return configured(self._rule, self, "rule", "no schedule was given: runs start on demand (pass "
                          "schedule=events.Schedule...)")

    def _create_schedule(self, schedule: events.Schedule) -> events.Rule:
        """An EventBridge rule that starts the state machine, with a role limited to ``states:StartExecution``."""
        return run.schedule_rule(self, self.state_machine, schedule)

    def _create_topic(self) -> sns.Topic:
        return sns.Topic(self, "FailureTopic", master_key=self.kms_key, enforce_ssl=True,
                         display_name="Batch transform failures")

    def _create_alarm(self) -> cloudwatch.Alarm:
        """One alarm when any run fails, times out or (scheduled) cannot be started; it notifies the topic."""
        return run.failure_alarm(self, self.state_machine, self._rule, self.topic)

    # -- public API ----------------------------------------------------------------------------------------------
    def grant_start_execution(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` start runs on demand (``states:StartExecution`` on this state machine only)."""
        return self.state_machine.grant_start_execution(grantee)
