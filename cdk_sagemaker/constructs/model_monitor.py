"""Model Monitor on top of :class:`~cdk_sagemaker.DataCapture`: data quality, model quality, bias and
explainability job definitions (``AWS::SageMaker::DataQualityJobDefinition``, ``ModelQualityJobDefinition``,
``ModelBiasJobDefinition``, ``ModelExplainabilityJobDefinition``), each run by an
``AWS::SageMaker::MonitoringSchedule``.

Every monitor gets a least-privilege role (read the captured data, baseline, ground truth and analysis config it
needs; write its report prefix; pull its one image; publish to its own CloudWatch namespace), encrypted outputs and
volumes (KMS, rotation on), the network of the endpoint's model (same subnets and security group), and an EventBridge
rule that tells the topic (and, when given, a retraining pipeline) when a run finds violations or fails.

Service facts this module relies on:

- Model Monitor reads what data capture wrote: "Model Monitor ... requires data capture to be enabled on the
  endpoint" (SageMaker developer guide, "Data and model quality monitoring with Amazon SageMaker Model Monitor",
  https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor.html). Data quality and explainability read the
  captured requests, model quality the captured predictions, bias both.
- Serverless endpoints support neither data capture nor Model Monitor (developer guide, "Serverless Inference",
  feature exclusions); Model Monitor monitors endpoints that serve a single model, not multi-model endpoints (same
  Model Monitor page).
- Schedules take only the cron forms of :mod:`cdk_sagemaker._monitor_schedule`.
- Images: the Model Monitor analyzer (data and model quality) and SageMaker Clarify (bias and explainability),
  per region from the image catalogue (``tools/generate_prebuilt_images.py``, from the SageMaker SDK's image_uris).
- Amazon SageMaker Model Monitor "is no longer open to new customers" (developer guide, "Amazon SageMaker Model
  Monitor availability change", https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-availability-change.html):
  accounts that have not used it before cannot create these resources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import jsii
from aws_cdk import ArnFormat, Aws, Duration, Fn, Names, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sagemaker
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk.interfaces import aws_events as events_refs
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker._monitor_schedule import (
    HOURLY,
    daily,
    every_hours,
    max_runtime_seconds,
    monitor_schedule_problems,
    offset_seconds,
)
from cdk_sagemaker.constructs import _catalogue
from cdk_sagemaker.constructs._checks import check_duration, render_seconds, to_seconds
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path, service_principal
from cdk_sagemaker.constructs._keys import rotation_problem, service_key
from cdk_sagemaker.constructs._nag import acknowledge_all, acknowledge_resource
from cdk_sagemaker.constructs._s3uri import s3_uri_problems
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.endpoint import EndpointBase
from cdk_sagemaker.errors import Problem, Problems

__all__ = ["DataQualityMonitor", "ModelBiasMonitor", "ModelExplainabilityMonitor", "ModelQualityMonitor",
           "MonitorSchedule", "MonitoringBaseline", "MonitoringResources", "RetrainingTarget"]

_INPUT_PATH = "/opt/ml/processing/input/endpoint"
_OUTPUT_PATH = "/opt/ml/processing/output"
_LOG_GROUP = "/aws/sagemaker/ProcessingJobs"


class MonitorSchedule:
    """The schedule expressions Model Monitor accepts (:mod:`cdk_sagemaker._monitor_schedule`), by name."""

    #: ``cron(0 * ? * * *)``.
    HOURLY = HOURLY

    @staticmethod
    def daily(hour: int) -> str:
        """``cron(0 <hour> ? * * *)``: once a day at ``hour`` (UTC)."""
        return daily(hour)

    @staticmethod
    def every_hours(hours: int, *, starting_hour: int = 0) -> str:
        """``cron(0 <starting_hour>/<hours> ? * * *)``: every ``hours`` hours from ``starting_hour`` (UTC)."""
        return every_hours(hours, starting_hour=starting_hour)

    #: ``NOW``: one run, immediately (give ``data_analysis_start`` and ``data_analysis_end``).
    NOW = "NOW"


@dataclass(frozen=True, kw_only=True, slots=True)
class MonitoringBaseline:
    """What a monitoring run compares against: constraints (and, for data quality, statistics) in S3, as a
    baselining job wrote them (``constraints.json``, ``statistics.json``), or the name of that baselining job.

    Without a baseline, data and model quality runs only compute statistics; violations need constraints.
    """

    constraints_s3_uri: str | None = None
    statistics_s3_uri: str | None = None
    baselining_job_name: str | None = None

    @classmethod
    def from_s3(cls, *, constraints_s3_uri: str, statistics_s3_uri: str | None = None) -> MonitoringBaseline:
        """Constraints (and statistics) in S3. The monitor's role may read exactly these objects."""
        return cls(constraints_s3_uri=constraints_s3_uri, statistics_s3_uri=statistics_s3_uri)

    @classmethod
    def from_baselining_job(cls, job_name: str) -> MonitoringBaseline:
        """The outputs of a baselining (processing) job, by its name."""
        return cls(baselining_job_name=job_name)

    def problems(self, where: str, *, statistics: bool) -> list[Problem]:
        out: list[Problem] = []
        if self.baselining_job_name is None and self.constraints_s3_uri is None:
            out.append(Problem.of(f"{where}constraints_s3_uri", "or baselining_job_name must be given", None))
        if self.baselining_job_name is not None and (self.constraints_s3_uri or self.statistics_s3_uri):
            out.append(Problem.of(f"{where}baselining_job_name", "and S3 baseline files are exclusive: give one",
                                  self.baselining_job_name))
        if self.statistics_s3_uri is not None and not statistics:
            out.append(Problem.of(f"{where}statistics_s3_uri", "applies only to data quality baselines (the other "
                                  "monitors compare against constraints only)", self.statistics_s3_uri))
        for name in ("constraints_s3_uri", "statistics_s3_uri"):
            uri = getattr(self, name)
            if uri is not None and not is_unresolved(uri):
                out.extend(Problem.parse(m) for m in s3_uri_problems(f"{where}{name}", uri, shape="S3Uri"))
        job = self.baselining_job_name
        if job is not None and not is_unresolved(job) and not _limits.matches("ProcessingJobName", job):
            out.append(Problem.of(f"{where}baselining_job_name", "must be a processing job name (botocore "
                                  f"ProcessingJobName {_limits.pattern('ProcessingJobName')})", job))
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class MonitoringResources:
    """The processing cluster of each run. Default: one ``ml.m5.xlarge``, 20 GB volume, at most one hour (30 minutes
    for hourly model quality and bias runs, the most the service allows them)."""

    instance_type: str = "ml.m5.xlarge"
    instance_count: int = 1
    volume_size_gb: int = 20
    max_runtime: Duration | None = None

    @property
    def runtime(self) -> Duration:
        """``max_runtime``, or its default: one hour."""
        return self.max_runtime if self.max_runtime is not None else Duration.hours(1)

    def problems(self, where: str = "resources.") -> list[Problem]:
        out: list[Problem] = []
        if not is_unresolved(self.instance_type) and self.instance_type not in _limits.enum("ProcessingInstanceType"):
            out.append(Problem.of(f"{where}instance_type", "must be a processing instance type from botocore's "
                                  "ProcessingInstanceType (for example ml.m5.xlarge)", self.instance_type))
        for name, shape in (("instance_count", "ProcessingInstanceCount"),
                            ("volume_size_gb", "ProcessingVolumeSizeInGB")):
            value = getattr(self, name)
            lo, hi = _limits.bounds(shape)
            if not is_unresolved(value) and (isinstance(value, bool) or not isinstance(value, int)
                                             or not _limits.check_range(value, lo, hi)):
                out.append(Problem.of(f"{where}{name}", f"must be a whole number {_limits.range_text(lo, hi)} "
                                      f"(botocore {shape})", value))
        problem = check_duration(f"{where}max_runtime", self.max_runtime)
        if problem is not None:
            out.append(problem)
        seconds = to_seconds(self.runtime)
        lo, hi = _limits.bounds("MonitoringMaxRuntimeInSeconds")
        if seconds is not None and (not float(seconds).is_integer() or not _limits.check_range(seconds, lo, hi)):
            out.append(Problem.of(f"{where}max_runtime", f"must be whole seconds {_limits.range_text(lo, hi)} "
                                  "(botocore MonitoringMaxRuntimeInSeconds)", f"{seconds} s"))
        return out


class RetrainingTarget:
    """What a violation starts besides the notification: a SageMaker Pipeline or a Step Functions state machine.

    The rule's target gets its own role, assumed by EventBridge only for rules of this account, whose customer-managed
    policy allows exactly ``sagemaker:StartPipelineExecution`` on the pipeline or ``states:StartExecution`` on the
    state machine."""

    def __init__(self, arn: str, action: str, description: str,
                 parameters: Mapping[str, str] | None = None) -> None:
        self.arn = arn
        self.action = action
        self.description = description
        self.parameters = dict(parameters or {})

    @classmethod
    def sagemaker_pipeline(cls, pipeline_arn: str, *,
                           parameters: Mapping[str, str] | None = None) -> RetrainingTarget:
        """Start the SageMaker Pipeline ``pipeline_arn`` with ``parameters`` (pipeline parameter name -> value)."""
        return cls(pipeline_arn, "sagemaker:StartPipelineExecution", "SageMaker pipeline", parameters)

    @classmethod
    def state_machine(cls, machine: sfn.IStateMachine) -> RetrainingTarget:
        """Start the Step Functions state machine ``machine``; its input is the event."""
        return cls(machine.state_machine_arn, "states:StartExecution", "Step Functions state machine")

    def problems(self, where: str = "retraining.") -> list[Problem]:
        if self.action != "sagemaker:StartPipelineExecution" or is_unresolved(self.arn):
            return []
        if not _limits.matches("PipelineArn", self.arn):
            return [Problem.of(f"{where}pipeline_arn", f"must be a SageMaker pipeline ARN (botocore PipelineArn "
                               f"{_limits.pattern('PipelineArn')})", self.arn)]
        return []

    def attach(self, scope: Construct, rule: events.Rule, index: int) -> iam.Role:
        """Add the target to ``rule`` (as its ``index``-th target) with a new role under ``scope``."""
        role = iam.Role(scope, "RetrainingRole", description=f"Lets {node_path(rule)} start the {self.description}",
                        assumed_by=iam.ServicePrincipal("events.amazonaws.com", conditions={
                            "StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
        iam.ManagedPolicy(scope, "RetrainingPolicy", roles=[role], description=f"Start the {self.description}",
                          statements=[iam.PolicyStatement(actions=[self.action], resources=[self.arn])])
        rule.add_target(_ArnTarget(self.arn, role))
        if self.parameters:
            cfn = rule.node.default_child
            assert isinstance(cfn, events.CfnRule)
            cfn.add_property_override(f"Targets.{index}.SageMakerPipelineParameters", {
                "PipelineParameterList": [{"Name": k, "Value": v} for k, v in self.parameters.items()]})
        return role


@jsii.implements(events.IRuleTarget)
class _TopicTarget:
    """An SNS topic as a rule target whose grants are this rule's only: the topic policy lets EventBridge publish
    for exactly this rule (``aws:SourceArn``). (``targets.SnsTopic`` also adds an unconditional statement for
    ``events.amazonaws.com`` to the key policy of an encrypted topic; the topic's key, from
    :func:`~cdk_sagemaker.constructs.monitoring.alarm_topic`, already allows EventBridge of this account.)"""

    def __init__(self, topic: sns.ITopic, message: events.RuleTargetInput) -> None:
        self._topic = topic
        self._message = message

    def bind(self, rule: events_refs.IRuleRef, id: str | None = None) -> events.RuleTargetConfig:
        self._topic.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal("events.amazonaws.com")], actions=["sns:Publish"],
            resources=[self._topic.topic_arn],
            conditions={"ArnEquals": {"aws:SourceArn": rule.rule_ref.rule_arn}}))
        return events.RuleTargetConfig(arn=self._topic.topic_arn, input=self._message)


@jsii.implements(events.IRuleTarget)
class _ArnTarget:
    """A rule target given by ARN and role (the stable targets module has no SageMaker Pipeline target)."""

    def __init__(self, arn: str, role: iam.IRole) -> None:
        self._arn = arn
        self._role = role

    def bind(self, rule: events_refs.IRuleRef, id: str | None = None) -> events.RuleTargetConfig:
        return events.RuleTargetConfig(arn=self._arn, role=self._role)


def _read_statements(uri: str) -> list[iam.PolicyStatement]:
    """``s3:GetObject`` on ``uri`` (an object; every object under it when it ends with ``/``) and ``s3:ListBucket``
    limited to that key. ``uri`` may hold tokens (``bucket.s3_url_for_object(...)``): it is split as text."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    prefix = uri.endswith("/") or not key
    key = key.rstrip("/")
    objects = f"arn:{Aws.PARTITION}:s3:::{bucket}/{key}/*" if prefix and key else \
        f"arn:{Aws.PARTITION}:s3:::{bucket}/{key or '*'}"
    return [
        iam.PolicyStatement(actions=["s3:GetObject"], resources=[objects]),
        iam.PolicyStatement(actions=["s3:ListBucket"], resources=[f"arn:{Aws.PARTITION}:s3:::{bucket}"],
                            conditions={"StringLike": {"s3:prefix": [f"{key}*" if key else "*"]}}),
    ]


@dataclass(frozen=True, slots=True)
class _Common:
    endpoint: EndpointBase
    schedule: str
    baseline: MonitoringBaseline | None
    resources: MonitoringResources
    output_bucket: s3.IBucket | None
    output_prefix: str | None
    kms_key: kms.IKey | None
    topic: sns.ITopic | None
    retraining: RetrainingTarget | None
    data_analysis_start: str | None
    data_analysis_end: str | None
    data_keys: tuple[kms.IKey, ...] = ()


class _MonitorBase(Construct):
    """Shared by the four monitors: validation, key, output bucket, role, image, schedule and violation rule.

    Subclasses set the class facts below and build their job definition in :meth:`_create_job_definition`.
    Attributes: ``schedule`` (``node.default_child``: the ``CfnMonitoringSchedule``), ``job_definition``, ``role``,
    ``policy``, ``kms_key``, ``output_bucket``, ``output_s3_uri``, ``topic``, ``violations_rule``, ``failures_rule``,
    ``image_uri``.
    """

    #: MonitoringType of the schedule.
    _TYPE: ClassVar[str]
    #: (catalogue framework, image scope, version) of the image.
    _IMAGE: ClassVar[tuple[str, str, str]]
    #: Capture modes the monitor reads ("Input", "Output").
    _NEEDS: ClassVar[tuple[str, ...]]
    #: CloudWatch namespace the job publishes to.
    _NAMESPACE: ClassVar[str]
    #: Whether the baseline may hold statistics (data quality only).
    _STATISTICS: ClassVar[bool] = False

    schedule: sagemaker.CfnMonitoringSchedule
    job_definition: Any

    def _build(self, common: _Common, own: list[Problem], reads: list[str]) -> None:
        problems = Problems(node_path(self))
        problems.extend(self._common_problems(common))
        problems.extend(own)
        problems.raise_if_any()
        self.endpoint = common.endpoint
        self.common = common
        capture: DataCapture = common.endpoint._data_capture  # type: ignore[assignment]  # checked above
        self.kms_key: kms.IKey = common.kms_key if common.kms_key is not None else self._create_key()
        self.output_bucket: s3.IBucket = (common.output_bucket if common.output_bucket is not None
                                          else self._create_bucket())
        prefix = common.output_prefix or f"model-monitor/{self._TYPE}"
        self.output_s3_uri = self.output_bucket.s3_url_for_object(prefix)
        self.role, self.policy = self._create_role(capture, prefix, reads)
        self.image_uri = self._bind_image()
        self.job_definition = self._create_job_definition()
        self.job_definition.node.add_dependency(self.policy)
        self.schedule = self._create_schedule()
        self.topic: sns.ITopic = common.topic if common.topic is not None else self._create_topic()
        self.violations_rule, self.failures_rule = self._create_rules(common.retraining)

    # -- validation ----------------------------------------------------------------------------------------------
    def _common_problems(self, c: _Common) -> list[Problem]:
        out: list[Problem] = []
        if not isinstance(c.endpoint, EndpointBase):
            return [Problem.of("endpoint", "must be a RealtimeEndpoint of this library (with "
                               "data_capture=DataCapture(...))", type(c.endpoint).__name__)]
        capture = getattr(c.endpoint, "_data_capture", None)
        if capture is None:
            out.append(Problem.of("endpoint", "must capture data (data_capture=DataCapture(...)): Model Monitor "
                                  "analyses what data capture writes", c.endpoint.node.path))
        else:
            modes = {"Input": capture.capture_input, "Output": capture.capture_output}
            missing = [m for m in self._NEEDS if not modes[m]]
            if missing:
                out.append(Problem.of("endpoint", f"must capture {' and '.join(missing).lower()} "
                                      f"(DataCapture(capture_{missing[0].lower()}=True)): the {self._TYPE} monitor "
                                      "reads them", c.endpoint.node.path))
        for v in c.endpoint.variants:
            if v.kind == "serverless":
                out.append(Problem.of("endpoint", "must not be serverless: Serverless Inference supports neither data "
                                      "capture nor Model Monitor", c.endpoint.node.path))
                break
            if v.model is None:
                out.append(Problem.of("endpoint", "must serve one model per variant: Model Monitor does not monitor "
                                      "inference components", c.endpoint.node.path))
                break
            if any(ct.multi_model for ct in v.model.containers):
                out.append(Problem.of("endpoint", "must not be a multi-model endpoint: Model Monitor monitors "
                                      "endpoints that host a single model", c.endpoint.node.path))
                break
        if not is_unresolved(c.schedule):
            out.extend(Problem.parse(m) for m in monitor_schedule_problems(
                c.schedule, start=c.data_analysis_start, end=c.data_analysis_end))
            limit = max_runtime_seconds(c.schedule, self._TYPE)
            seconds = to_seconds(c.resources.max_runtime) if c.resources.max_runtime is not None else None
            if limit is not None and seconds is not None and seconds > limit:
                out.append(Problem.of("resources.max_runtime", f"must be at most {limit} s on the schedule "
                                      f"{c.schedule} for a {self._TYPE} monitor (a run may not outlast the schedule's "
                                      "frequency; hourly model quality and bias runs at most 1800 s)",
                                      f"{seconds} s"))
        if c.baseline is not None:
            out.extend(c.baseline.problems("baseline.", statistics=self._STATISTICS))
        if c.retraining is not None:
            out.extend(c.retraining.problems())
        out.extend(c.resources.problems())
        msg = rotation_problem("kms_key", c.kms_key)
        if msg:
            out.append(Problem.parse(msg))
        if c.output_prefix is not None and not is_unresolved(c.output_prefix) and (
                c.output_prefix.startswith("/") or c.output_prefix.endswith("/") or not c.output_prefix):
            out.append(Problem.of("output_prefix", "must be an S3 key prefix without leading or trailing '/'",
                                  c.output_prefix))
        return out

    @staticmethod
    def _uri_problems(param: str, uri: str | None, *, required: bool) -> list[Problem]:
        if uri is None:
            return [Problem.of(param, "must be given", None)] if required else []
        if is_unresolved(uri):
            return []
        return [Problem.parse(m) for m in s3_uri_problems(param, uri, shape="MonitoringS3Uri")]

    # -- parts (override one in a subclass) ----------------------------------------------------------------------
    def _create_key(self) -> kms.IKey:
        """Default: a new key (rotation on) usable by the account only through SageMaker, EC2 (volumes) and S3."""
        return service_key(self, "Key", via_services=("sagemaker", "ec2", "s3"),
                           description=f"Encrypts the reports and volumes of monitor {node_path(self)}")

    def _create_bucket(self) -> s3.IBucket:
        from cdk_sagemaker.constructs.storage import SecureBucket

        return SecureBucket(self, "Reports", encryption_key=self.kms_key)

    def _create_topic(self) -> sns.ITopic:
        from cdk_sagemaker.constructs.monitoring import alarm_topic

        return alarm_topic(self, "Topic", display_name=f"{self._TYPE} violations of {node_path(self.endpoint)}")

    def _create_role(self, capture: DataCapture, prefix: str,
                     reads: list[str]) -> tuple[iam.Role, iam.ManagedPolicy]:
        role = iam.Role(self, "Role", assumed_by=service_principal("sagemaker.amazonaws.com"),
                        description=f"Role of the {self._TYPE} monitoring jobs of {node_path(self)}")
        capture_bucket = self.endpoint.data_capture_bucket
        captured = capture_bucket.arn_for_objects(f"{capture.prefix}/*")
        written = self.output_bucket.arn_for_objects(f"{prefix}/*")
        logs = Stack.of(self).format_arn(service="logs", resource="log-group",
                                         resource_name=f"{_LOG_GROUP}:*",
                                         arn_format=ArnFormat.COLON_RESOURCE_NAME)
        statements = [
            iam.PolicyStatement(actions=["s3:GetObject"], resources=[captured]),
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[capture_bucket.bucket_arn],
                                conditions={"StringLike": {"s3:prefix": [f"{capture.prefix}*"]}}),
            iam.PolicyStatement(actions=["s3:PutObject"], resources=[written]),
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[self.output_bucket.bucket_arn],
                                conditions={"StringLike": {"s3:prefix": [f"{prefix}*"]}}),
            iam.PolicyStatement(actions=["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
                                resources=[self.kms_key.key_arn]),
            # The processing volumes: SageMaker creates a grant on the key for the job's instances.
            iam.PolicyStatement(actions=["kms:CreateGrant"], resources=[self.kms_key.key_arn],
                                conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}}),
            iam.PolicyStatement(actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams",
                                         "logs:PutLogEvents"], resources=[logs]),
            iam.PolicyStatement(actions=["cloudwatch:PutMetricData"], resources=["*"],
                                conditions={"StringEquals": {"cloudwatch:namespace": self._NAMESPACE}}),
        ]
        capture_key = capture.kms_key if capture.kms_key is not None else capture_bucket.encryption_key
        if capture_key is not None:
            statements.append(iam.PolicyStatement(actions=["kms:Decrypt"], resources=[capture_key.key_arn]))
        for uri in reads:
            statements.extend(_read_statements(uri))
        if self.common.data_keys:
            # The keys of the buckets holding the baseline, ground truth and analysis configuration.
            statements.append(iam.PolicyStatement(actions=["kms:Decrypt"],
                                                  resources=[k.key_arn for k in self.common.data_keys]))
        network = self._network()
        if network is not None:
            from cdk_sagemaker.constructs.model import _ENI_MANAGE_ACTIONS, _ENI_UNSCOPED_ACTIONS

            stack = Stack.of(self)
            sg_ids, subnets = network
            statements.append(iam.PolicyStatement(actions=_ENI_UNSCOPED_ACTIONS, resources=["*"]))
            statements.append(iam.PolicyStatement(actions=_ENI_MANAGE_ACTIONS, resources=[
                stack.format_arn(service="ec2", resource="network-interface", resource_name="*"),
                *(stack.format_arn(service="ec2", resource="security-group", resource_name=g) for g in sg_ids),
                *(stack.format_arn(service="ec2", resource="subnet", resource_name=s) for s in subnets)]))
        policy = iam.ManagedPolicy(self, "Policy", roles=[role], statements=statements,
                                   description=f"Least-privilege policy of the {self._TYPE} monitor "
                                               f"{node_path(self)}")
        reason_objects = ("Model Monitor reads the objects data capture names after endpoint, variant and hour, and "
                          "writes reports named after each run: the grant is limited to exactly those prefixes.")
        for resource in (captured, written):
            acknowledge_resource(policy, resource, reason_objects)
        acknowledge_resource(policy, logs, "Processing jobs write to log streams named after each job, which do not "
                             "exist yet; limited to the /aws/sagemaker/ProcessingJobs log group.")
        if network is not None:
            acknowledge_resource(policy, Stack.of(self).format_arn(service="ec2", resource="network-interface",
                                                                   resource_name="*"),
                                 "SageMaker creates the job's network interfaces itself; limited to this account "
                                 "and region, and creation to the endpoint model's subnets and security group.")
        for uri in reads:
            for st in _read_statements(uri):
                for res in st.resources:
                    if "*" in res:
                        acknowledge_resource(policy, res, "Read access to the objects under the S3 prefix you "
                                             "gave (ground truth or baseline), which the service names per hour.")
        acknowledge_all(policy, [("AwsSolutions-IAM5[Resource::*]",
                                  "ecr:GetAuthorizationToken, cloudwatch:PutMetricData (limited to the monitor's "
                                  "namespace by condition) and, in a VPC, the EC2 Describe actions support no "
                                  "resource-level permissions.")])
        return role, policy

    def _network(self) -> tuple[list[str], list[str]] | None:
        """The security groups and subnets of the endpoint's model, if it runs in a VPC."""
        model = self.endpoint.variants[0].model
        if model is None or model.network is None:
            return None
        return [model.security_group.security_group_id], list(model.network.subnet_ids)

    def _network_config(self) -> dict[str, Any] | None:
        network = self._network()
        config: dict[str, Any] = {"enable_inter_container_traffic_encryption": True}
        if network is not None:
            config["vpc_config"] = {"security_group_ids": network[0], "subnets": network[1]}
        return config

    def _bind_image(self) -> str:
        """The image URI in the stack's region (a mapping for env-agnostic stacks); pull rights on its repository."""
        from cdk_sagemaker.constructs.images import _pull_statement, _token_statement, prebuilt_location

        framework, image_scope, version = self._IMAGE
        image = _catalogue.lookup(framework, version, image_scope=image_scope)
        uri, repository = prebuilt_location(self, image, framework)
        self.policy.add_statements(_pull_statement(repository), _token_statement())
        return uri

    def _job_parts(self) -> dict[str, Any]:
        """The properties every job definition kind shares (as plain dicts; CloudFormation's shapes are equal)."""
        r = self.common.resources
        return {k: _camel(v) for k, v in {
            "role_arn": self.role.role_arn,
            "job_resources": {"cluster_config": {"instance_count": r.instance_count, "instance_type": r.instance_type,
                                                 "volume_size_in_gb": r.volume_size_gb,
                                                 "volume_kms_key_id": self.kms_key.key_arn}},
            "stopping_condition": {"max_runtime_in_seconds": render_seconds(self._runtime())},
            "network_config": self._network_config(),
        }.items()}

    def _runtime(self) -> Duration:
        """``resources.max_runtime``, or its default: one hour, shortened to what the schedule allows
        (:func:`~cdk_sagemaker._monitor_schedule.max_runtime_seconds`: 30 minutes for hourly model quality and bias)."""
        r = self.common.resources
        if r.max_runtime is not None:
            return r.max_runtime
        limit = None if is_unresolved(self.common.schedule) else max_runtime_seconds(self.common.schedule, self._TYPE)
        return Duration.seconds(limit) if limit is not None and limit < 3600 else r.runtime

    def _output_config(self) -> dict[str, Any]:
        return {"kms_key_id": self.kms_key.key_arn, "monitoring_outputs": [
            {"s3_output": {"local_path": _OUTPUT_PATH, "s3_uri": self.output_s3_uri, "s3_upload_mode": "EndOfJob"}}]}

    def _create_job_definition(self) -> Any:
        raise NotImplementedError

    def _create_schedule(self) -> sagemaker.CfnMonitoringSchedule:
        """The schedule. Model Monitor requires a name; it is derived from the construct path (stable)."""
        arn = self.job_definition.attr_job_definition_arn
        c = self.common
        return sagemaker.CfnMonitoringSchedule(
            self, "Resource",
            monitoring_schedule_name=Names.unique_resource_name(self, max_length=63, separator="-"),
            endpoint_name=self.endpoint.endpoint_name,
            monitoring_schedule_config=sagemaker.CfnMonitoringSchedule.MonitoringScheduleConfigProperty(
                monitoring_job_definition_name=Fn.select(1, Fn.split("/", arn)),
                monitoring_type=self._TYPE,
                schedule_config=sagemaker.CfnMonitoringSchedule.ScheduleConfigProperty(
                    schedule_expression=c.schedule, data_analysis_start_time=c.data_analysis_start,
                    data_analysis_end_time=c.data_analysis_end),
            ),
        )

    def _create_rules(self, retraining: RetrainingTarget | None) -> tuple[events.Rule, events.Rule]:
        """Two EventBridge rules on the runs of this schedule (each run is a processing job whose state-change event
        carries the schedule's ARN; EventBridge user guide, "Amazon SageMaker AI events",
        https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-sagemaker.html): one for runs that completed
        with violations (to the topic and the retraining target), one for failed runs (to the topic). The event's
        detail mirrors DescribeProcessingJob, whose response has ``MonitoringScheduleArn`` for monitoring runs and an
        ``ExitMessage`` starting ``CompletedWithViolations`` when a run found violations (SageMaker API reference,
        DescribeProcessingJob); not yet checked against a real account's events."""
        base = {"MonitoringScheduleArn": [self.schedule.attr_monitoring_schedule_arn]}
        where = f"{self._TYPE} monitor of endpoint {node_path(self.endpoint)}"
        violations = events.Rule(
            self, "Violations", description=f"Runs of the {where} that found violations",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"], detail_type=["SageMaker Processing Job State Change"],
                detail={**base, "ProcessingJobStatus": ["Completed"],
                        "ExitMessage": [{"prefix": "CompletedWithViolations"}]}))
        violations.add_target(_TopicTarget(self.topic, events.RuleTargetInput.from_text(
            f"The {where} found violations of its baseline ({events.EventField.from_path('$.detail.ExitMessage')}). "
            f"Report: {self.output_s3_uri}; job {events.EventField.from_path('$.detail.ProcessingJobName')}. Check "
            "constraint_violations.json; retrain or update the baseline if the change is expected.")))
        self.retraining_role = retraining.attach(self, violations, 1) if retraining is not None else None
        failures = events.Rule(
            self, "Failures", description=f"Runs of the {where} that failed",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"], detail_type=["SageMaker Processing Job State Change"],
                detail={**base, "ProcessingJobStatus": ["Failed"]}))
        failures.add_target(_TopicTarget(self.topic, events.RuleTargetInput.from_text(
            f"A run of the {where} failed: {events.EventField.from_path('$.detail.FailureReason')}. Check the job's "
            f"log in {_LOG_GROUP} (job {events.EventField.from_path('$.detail.ProcessingJobName')}): usually "
            "missing captured data, a malformed baseline or ground truth, or a permission.")))
        return violations, failures


def _camel(value: Any) -> Any:
    """Plain-dict L1 properties for jsii: snake_case keys to camelCase (jsii's struct field names), ``None``
    values dropped, recursively."""
    if isinstance(value, Mapping):
        return {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): v if k == "environment" else _camel(v)
                for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _ground_truth_offset_problems(start: str | None, end: str | None) -> list[Problem]:
    """``start_time_offset`` / ``end_time_offset`` of a job that merges ground truth (model quality, bias): negative
    ISO 8601 durations (``-P8D``, ``-PT1H``), the start before the end. Unlike the schedule's analysis window they
    may reach back days: labels arrive late ("Schedule model quality monitoring jobs", model monitor offsets,
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-schedule.html, whose example is
    ``-P8D`` / ``-P1D``)."""
    out: list[Problem] = []
    seconds: dict[str, int] = {}
    for name, value in (("start_time_offset", start), ("end_time_offset", end)):
        if value is None or is_unresolved(value):
            continue
        parsed = offset_seconds(value) if isinstance(value, str) else None
        if parsed is None:
            out.append(Problem.of(name, "must be a negative ISO 8601 duration such as '-P8D' or '-PT1H' (subtracted "
                                  "from each run's window)", value))
        else:
            seconds[name] = parsed
    if len(seconds) == 2 and seconds["start_time_offset"] <= seconds["end_time_offset"]:
        out.append(Problem.of("start_time_offset", f"must be earlier than end_time_offset ({end!r})", start))
    return out


def _endpoint_input(endpoint: EndpointBase, **extra: Any) -> dict[str, Any]:
    return {"endpoint_name": endpoint.endpoint_name, "local_path": _INPUT_PATH, **extra}


def _as_prefix(uri: object) -> list[str]:
    """``uri`` as a prefix (ending with ``/``) to read under; nothing when it is not a string (reported)."""
    return [uri.rstrip("/") + "/"] if isinstance(uri, str) else []


def _as_object(uri: object) -> list[str]:
    return [uri] if isinstance(uri, str) else []


def _baseline_reads(baseline: MonitoringBaseline | None) -> list[str]:
    if baseline is None:
        return []
    return [u for u in (baseline.constraints_s3_uri, baseline.statistics_s3_uri) if u is not None]


class DataQualityMonitor(_MonitorBase):
    """Compare the captured requests with a baseline's statistics and constraints (missing values, types, drift of
    each feature's distribution), on ``schedule``.

    Options every monitor shares:

    - ``endpoint``: an endpoint of this library with ``data_capture=DataCapture(...)``.
    - ``schedule``: a :class:`MonitorSchedule` expression. Default: hourly (``cron(0 * ? * * *)``).
    - ``baseline``: :class:`MonitoringBaseline`. Default: none (statistics only; give one for violations).
    - ``resources``: :class:`MonitoringResources`. Default: one ``ml.m5.xlarge``, 20 GB, one hour.
    - ``output_bucket`` / ``output_prefix``: where reports go. Default: a new :class:`SecureBucket` under the monitor,
      prefix ``model-monitor/<type>``.
    - ``kms_key``: encrypts reports and processing volumes. Default: a new key, rotation on.
    - ``topic``: receives violations and failed runs. Default: a new encrypted topic.
    - ``retraining``: a :class:`RetrainingTarget` started on violations. Default: none.
    - ``data_keys``: KMS keys of the buckets holding the baseline, ground truth and analysis configuration (the role
      may decrypt with them). Default: none.
    - ``data_analysis_start`` / ``data_analysis_end``: the window each run analyses, as negative ISO 8601 offsets
      (``-PT2H``); required with ``MonitorSchedule.NOW``. Default: the service's (the last hour).

    Default for data quality: CloudWatch metrics on (namespace ``aws/sagemaker/Endpoints/data-metrics``,
    ``publish_metrics=False`` turns them off).
    """

    _TYPE = "DataQuality"
    _IMAGE = ("model-monitor", "monitoring", "")
    _NEEDS = ("Input",)
    _NAMESPACE = "aws/sagemaker/Endpoints/data-metrics"
    _STATISTICS = True

    def __init__(self, scope: Construct, id: str, *, endpoint: EndpointBase, schedule: str = HOURLY,
                 baseline: MonitoringBaseline | None = None, resources: MonitoringResources | None = None,
                 output_bucket: s3.IBucket | None = None, output_prefix: str | None = None,
                 kms_key: kms.IKey | None = None, topic: sns.ITopic | None = None,
                 retraining: RetrainingTarget | None = None, data_keys: Sequence[kms.IKey] = (),
                 data_analysis_start: str | None = None,
                 data_analysis_end: str | None = None, publish_metrics: bool = True) -> None:
        super().__init__(scope, id)
        self.publish_metrics = publish_metrics
        self._build(_Common(endpoint, schedule, baseline, resources or MonitoringResources(), output_bucket,
                            output_prefix, kms_key, topic, retraining, data_analysis_start, data_analysis_end,
                            tuple(data_keys)),
                    [], _baseline_reads(baseline))

    def _create_job_definition(self) -> sagemaker.CfnDataQualityJobDefinition:
        b = self.common.baseline
        baseline = None
        if b is not None:
            baseline = {"baselining_job_name": b.baselining_job_name,
                        "constraints_resource": {"s3_uri": b.constraints_s3_uri} if b.constraints_s3_uri else None,
                        "statistics_resource": {"s3_uri": b.statistics_s3_uri} if b.statistics_s3_uri else None}
        return sagemaker.CfnDataQualityJobDefinition(
            self, "JobDefinition", **self._job_parts(),
            data_quality_app_specification=_camel({
                "image_uri": self.image_uri,
                "environment": {"publish_cloudwatch_metrics": "Enabled" if self.publish_metrics else "Disabled"}}),
            data_quality_job_input=_camel({"endpoint_input": _endpoint_input(self.endpoint)}),
            data_quality_job_output_config=_camel(self._output_config()),
            data_quality_baseline_config=_camel(baseline))


class ModelQualityMonitor(_MonitorBase):
    """Compare the captured predictions with ground truth labels you upload (merged by event id) and a baseline's
    constraints (accuracy, precision, RMSE, ... by ``problem_type``).

    - ``problem_type``: botocore ``MonitoringProblemType`` (``BinaryClassification``, ``MulticlassClassification``,
      ``Regression``).
    - ``ground_truth_s3_uri``: prefix where you upload labels (``<prefix>/yyyy/mm/dd/hh/*.jsonl``); the role may read
      it.
    - ``inference_attribute``: where the prediction is in the captured output (a JSON path or CSV index); required
      for regression and multiclass, and for binary classification unless ``probability_attribute`` and
      ``probability_threshold`` are given (SageMaker developer guide, "Model quality",
      https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality.html).
    - ``start_time_offset`` / ``end_time_offset``: the job input's ``StartTimeOffset`` / ``EndTimeOffset``, for labels
      that arrive late: with ``-P8D`` / ``-P1D`` a run analyses the predictions made between 8 days and 1 day before
      it ("Schedule model quality monitoring jobs", model monitor offsets,
      https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-schedule.html). They are not the
      schedule's analysis window (``data_analysis_start`` / ``data_analysis_end``, at most 24 hours). Default: none.

    Default: as :class:`DataQualityMonitor` (namespace ``aws/sagemaker/Endpoints/model-metrics``).
    """

    _TYPE = "ModelQuality"
    _IMAGE = ("model-monitor", "monitoring", "")
    _NEEDS = ("Output",)
    _NAMESPACE = "aws/sagemaker/Endpoints/model-metrics"

    def __init__(self, scope: Construct, id: str, *, endpoint: EndpointBase, problem_type: str,
                 ground_truth_s3_uri: str, inference_attribute: str | None = None,
                 probability_attribute: str | None = None, probability_threshold: float | None = None,
                 schedule: str = HOURLY, baseline: MonitoringBaseline | None = None,
                 resources: MonitoringResources | None = None, output_bucket: s3.IBucket | None = None,
                 output_prefix: str | None = None, kms_key: kms.IKey | None = None, topic: sns.ITopic | None = None,
                 retraining: RetrainingTarget | None = None, data_keys: Sequence[kms.IKey] = (),
                 data_analysis_start: str | None = None,
                 data_analysis_end: str | None = None, publish_metrics: bool = True,
                 start_time_offset: str | None = None, end_time_offset: str | None = None) -> None:
        super().__init__(scope, id)
        self.problem_type = problem_type
        self.start_time_offset = start_time_offset
        self.end_time_offset = end_time_offset
        self.ground_truth_s3_uri = ground_truth_s3_uri
        self.inference_attribute = inference_attribute
        self.probability_attribute = probability_attribute
        self.probability_threshold = probability_threshold
        self.publish_metrics = publish_metrics
        own = self._uri_problems("ground_truth_s3_uri", ground_truth_s3_uri, required=True)
        own.extend(_ground_truth_offset_problems(start_time_offset, end_time_offset))
        allowed = sorted(_limits.enum("MonitoringProblemType"))
        if not is_unresolved(problem_type) and problem_type not in allowed:
            own.append(Problem.of("problem_type", f"must be one of {allowed} (botocore MonitoringProblemType)",
                                  problem_type))
        elif problem_type == "BinaryClassification":
            if inference_attribute is None and (probability_attribute is None or probability_threshold is None):
                own.append(Problem.of("inference_attribute", "must be given for BinaryClassification unless "
                                      "probability_attribute and probability_threshold are", None))
        elif inference_attribute is None and not is_unresolved(problem_type):
            own.append(Problem.of("inference_attribute", f"must be given for {problem_type} (the prediction's "
                                  "place in the captured output)", None))
        if probability_threshold is not None and not is_unresolved(probability_threshold) and (
                isinstance(probability_threshold, bool) or not isinstance(probability_threshold, int | float)
                or not 0 <= probability_threshold <= 1):
            own.append(Problem.of("probability_threshold", "must be a number between 0 and 1",
                                  probability_threshold))
        if probability_threshold is not None and problem_type != "BinaryClassification":
            own.append(Problem.of("probability_threshold", "applies only to BinaryClassification",
                                  probability_threshold))
        reads = [*_baseline_reads(baseline), *_as_prefix(ground_truth_s3_uri)]
        self._build(_Common(endpoint, schedule, baseline, resources or MonitoringResources(), output_bucket,
                            output_prefix, kms_key, topic, retraining, data_analysis_start, data_analysis_end,
                            tuple(data_keys)),
                    own, reads)

    def _create_job_definition(self) -> sagemaker.CfnModelQualityJobDefinition:
        b = self.common.baseline
        baseline = None
        if b is not None:
            baseline = {"baselining_job_name": b.baselining_job_name,
                        "constraints_resource": {"s3_uri": b.constraints_s3_uri} if b.constraints_s3_uri else None}
        return sagemaker.CfnModelQualityJobDefinition(
            self, "JobDefinition", **self._job_parts(),
            model_quality_app_specification=_camel({
                "image_uri": self.image_uri, "problem_type": self.problem_type,
                "environment": {"publish_cloudwatch_metrics": "Enabled" if self.publish_metrics else "Disabled"}}),
            model_quality_job_input=_camel({
                "endpoint_input": _endpoint_input(
                    self.endpoint, inference_attribute=self.inference_attribute,
                    probability_attribute=self.probability_attribute,
                    probability_threshold_attribute=self.probability_threshold,
                    start_time_offset=self.start_time_offset, end_time_offset=self.end_time_offset),
                "ground_truth_s3_input": {"s3_uri": self.ground_truth_s3_uri}}),
            model_quality_job_output_config=_camel(self._output_config()),
            model_quality_baseline_config=_camel(baseline))


class _ClarifyMonitor(_MonitorBase):
    """Bias and explainability: SageMaker Clarify reads an analysis configuration (JSON in S3) you write."""

    _IMAGE = ("clarify", "processing", "1.0")


class ModelBiasMonitor(_ClarifyMonitor):
    """Post-training bias of the live predictions against ground truth, as a Clarify analysis
    (``analysis_config_s3_uri``: the analysis configuration JSON: label, facets, group variable, methods; SageMaker
    developer guide, "Monitor bias drift for models in production",
    https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-bias-drift.html).

    ``start_time_offset`` / ``end_time_offset``: as for :class:`ModelQualityMonitor` (late ground truth).

    Default: as :class:`DataQualityMonitor` (namespace ``aws/sagemaker/Endpoints/bias-metrics``).
    """

    _TYPE = "ModelBias"
    _NEEDS = ("Input", "Output")
    _NAMESPACE = "aws/sagemaker/Endpoints/bias-metrics"

    def __init__(self, scope: Construct, id: str, *, endpoint: EndpointBase, analysis_config_s3_uri: str,
                 ground_truth_s3_uri: str, features_attribute: str | None = None,
                 inference_attribute: str | None = None, probability_attribute: str | None = None,
                 probability_threshold: float | None = None, schedule: str = HOURLY,
                 baseline: MonitoringBaseline | None = None, resources: MonitoringResources | None = None,
                 output_bucket: s3.IBucket | None = None, output_prefix: str | None = None,
                 kms_key: kms.IKey | None = None, topic: sns.ITopic | None = None,
                 retraining: RetrainingTarget | None = None, data_keys: Sequence[kms.IKey] = (),
                 data_analysis_start: str | None = None,
                 data_analysis_end: str | None = None, start_time_offset: str | None = None,
                 end_time_offset: str | None = None) -> None:
        super().__init__(scope, id)
        self.analysis_config_s3_uri = analysis_config_s3_uri
        self.ground_truth_s3_uri = ground_truth_s3_uri
        self.attributes = {"features_attribute": features_attribute, "inference_attribute": inference_attribute,
                           "probability_attribute": probability_attribute,
                           "probability_threshold_attribute": probability_threshold,
                           "start_time_offset": start_time_offset, "end_time_offset": end_time_offset}
        own = [*self._uri_problems("analysis_config_s3_uri", analysis_config_s3_uri, required=True),
               *self._uri_problems("ground_truth_s3_uri", ground_truth_s3_uri, required=True),
               *_ground_truth_offset_problems(start_time_offset, end_time_offset)]
        if probability_threshold is not None and not is_unresolved(probability_threshold) and (
                isinstance(probability_threshold, bool) or not isinstance(probability_threshold, int | float)
                or not 0 <= probability_threshold <= 1):
            # ProbabilityThresholdAttribute: "The threshold for the class probability to be evaluated as a positive
            # result" (botocore EndpointInput), a probability.
            own.append(Problem.of("probability_threshold", "must be a number between 0 and 1",
                                  probability_threshold))
        reads = [*_baseline_reads(baseline), *_as_object(analysis_config_s3_uri), *_as_prefix(ground_truth_s3_uri)]
        self._build(_Common(endpoint, schedule, baseline, resources or MonitoringResources(), output_bucket,
                            output_prefix, kms_key, topic, retraining, data_analysis_start, data_analysis_end,
                            tuple(data_keys)),
                    own, reads)

    def _create_job_definition(self) -> sagemaker.CfnModelBiasJobDefinition:
        b = self.common.baseline
        baseline = None if b is None else {
            "baselining_job_name": b.baselining_job_name,
            "constraints_resource": {"s3_uri": b.constraints_s3_uri} if b.constraints_s3_uri else None}
        return sagemaker.CfnModelBiasJobDefinition(
            self, "JobDefinition", **self._job_parts(),
            model_bias_app_specification=_camel({"image_uri": self.image_uri,
                                                 "config_uri": self.analysis_config_s3_uri}),
            model_bias_job_input=_camel({
                "endpoint_input": _endpoint_input(self.endpoint, **self.attributes),
                "ground_truth_s3_input": {"s3_uri": self.ground_truth_s3_uri}}),
            model_bias_job_output_config=_camel(self._output_config()),
            model_bias_baseline_config=_camel(baseline))


class ModelExplainabilityMonitor(_ClarifyMonitor):
    """Feature attributions (SHAP) of the live requests, as a Clarify analysis (``analysis_config_s3_uri``; SageMaker
    developer guide, "Monitor feature attribution drift for models in production",
    https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-model-monitor-feature-attribution-drift.html).

    Clarify computes attributions by invoking a model: the role may invoke exactly the monitored endpoint, so the
    analysis configuration's ``predictor`` should name it (``endpoint_name``); a shadow endpoint Clarify would create
    from a model name needs more rights, which you add to ``role``.

    Default: as :class:`DataQualityMonitor` (namespace ``aws/sagemaker/Endpoints/explainability-metrics``).
    """

    _TYPE = "ModelExplainability"
    _NEEDS = ("Input",)
    _NAMESPACE = "aws/sagemaker/Endpoints/explainability-metrics"

    def __init__(self, scope: Construct, id: str, *, endpoint: EndpointBase, analysis_config_s3_uri: str,
                 features_attribute: str | None = None, inference_attribute: str | None = None,
                 probability_attribute: str | None = None, schedule: str = HOURLY,
                 baseline: MonitoringBaseline | None = None, resources: MonitoringResources | None = None,
                 output_bucket: s3.IBucket | None = None, output_prefix: str | None = None,
                 kms_key: kms.IKey | None = None, topic: sns.ITopic | None = None,
                 retraining: RetrainingTarget | None = None, data_keys: Sequence[kms.IKey] = (),
                 data_analysis_start: str | None = None, data_analysis_end: str | None = None) -> None:
        super().__init__(scope, id)
        self.analysis_config_s3_uri = analysis_config_s3_uri
        self.attributes = {"features_attribute": features_attribute, "inference_attribute": inference_attribute,
                           "probability_attribute": probability_attribute}
        own = self._uri_problems("analysis_config_s3_uri", analysis_config_s3_uri, required=True)
        reads = [*_baseline_reads(baseline), *_as_object(analysis_config_s3_uri)]
        self._build(_Common(endpoint, schedule, baseline, resources or MonitoringResources(), output_bucket,
                            output_prefix, kms_key, topic, retraining, data_analysis_start, data_analysis_end,
                            tuple(data_keys)), own, reads)
        self.policy.add_statements(iam.PolicyStatement(actions=["sagemaker:InvokeEndpoint"],
                                                       resources=[self.endpoint.endpoint_arn]))

    def _create_job_definition(self) -> sagemaker.CfnModelExplainabilityJobDefinition:
        b = self.common.baseline
        baseline = None if b is None else {
            "baselining_job_name": b.baselining_job_name,
            "constraints_resource": {"s3_uri": b.constraints_s3_uri} if b.constraints_s3_uri else None}
        return sagemaker.CfnModelExplainabilityJobDefinition(
            self, "JobDefinition", **self._job_parts(),
            model_explainability_app_specification=_camel({"image_uri": self.image_uri,
                                                           "config_uri": self.analysis_config_s3_uri}),
            model_explainability_job_input=_camel({"endpoint_input": _endpoint_input(self.endpoint,
                                                                                     **self.attributes)}),
            model_explainability_job_output_config=_camel(self._output_config()),
            model_explainability_baseline_config=_camel(baseline))
