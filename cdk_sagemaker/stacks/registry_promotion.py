"""Example: deploy a Model Registry version with a canary, and let an approval in the registry deploy the next one.

The flow (docs/model-registry.md):

1. A training pipeline registers a version in the model package group ``churn`` (its artifacts under
   ``models/churn/`` of the stack's registry bucket, the prebuilt XGBoost image) as ``PendingManualApproval``.
2. A reviewer approves it (``aws sagemaker update-model-package --model-approval-status Approved``).
3. SageMaker emits "SageMaker Model Package State Change"; the EventBridge rule matches the group and
   ``ModelApprovalStatus: Approved`` and starts the promotion build with the version's ARN.
4. The build runs ``cdk deploy`` of this app with ``-c registry-promotion:model-package-arn=<arn>``: the model and
   endpoint config are replaced, and the endpoint moves to the new config under the canary (25 % for 10 minutes,
   rolled back by the alarms), so an approval never skips the guardrail, and CloudFormation stays the one writer.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Aws, CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_codebuild as codebuild
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from constructs import Construct

from cdk_sagemaker.constructs._keys import CLOUDWATCH_TOPIC_ACTIONS, cloudwatch_alarm_publisher, service_key
from cdk_sagemaker.constructs._nag import acknowledge, acknowledge_resource
from cdk_sagemaker.constructs.deployment import DeploymentStrategy, Rollback
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.registry import ModelPackage
from cdk_sagemaker.constructs.storage import SecureBucket
from cdk_sagemaker.stacks._common import example_image

__all__ = ["PACKAGE_CONTEXT", "RegistryPromotionStack"]

#: The context key the promotion build sets to the approved version's ARN.
PACKAGE_CONTEXT = "registry-promotion:model-package-arn"
GROUP = "churn"
#: Where the promotion build finds this app's source (a zip of the repository, see docs/model-registry.md).
SOURCE_KEY = "app/cdk-app.zip"
#: The CDK bootstrap roles ``cdk deploy`` assumes (default qualifier); the build may assume nothing else.
_BOOTSTRAP_ROLES = ("deploy-role", "file-publishing-role", "image-publishing-role", "lookup-role")


class RegistryPromotionStack(Stack):
    """A registered version of the ``churn`` model package group on four ``ml.m5.large`` instances, updated by
    canary; an approval of a new version in the group starts a CodeBuild build that runs ``cdk deploy`` with it.

    The version comes from the context key ``registry-promotion:model-package-arn`` (the build sets it from the
    approval event); without it, version 1 of the group in the stack's account and region.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a Model Registry version promoted by approval",
                         **kwargs)
        self.registry_bucket = SecureBucket(self, "RegistryArtifacts")
        self.topic = self._create_topic()
        self.model = Model(self, "Model", model_package=self._package())
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint", model=self.model, instance_type="ml.m5.large", instance_count=4,
            deployment=DeploymentStrategy.canary(
                percent=25, wait=Duration.minutes(10), termination_wait=Duration.minutes(5),
                maximum_execution_timeout=Duration.hours(1),
                rollback=Rollback(alarm_actions=[cw_actions.SnsAction(self.topic)])),
        )
        self.source_bucket = SecureBucket(self, "PromotionSource")
        self.project = self._create_promotion_build()
        self.rule = self._create_approval_rule()
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "ModelVersion", value=self.model.version or "",
                  description="The model package group and version the endpoint runs")
        CfnOutput(self, "ModelPackageArn", value=self.model.model_package.arn if self.model.model_package else "")
        CfnOutput(self, "RegistryArtifactsBucket", value=self.registry_bucket.bucket_name,
                  description=f"Register versions with artifacts under s3://<bucket>/models/{GROUP}/")
        CfnOutput(self, "PromotionSourceUri", value=self.source_bucket.s3_url_for_object(SOURCE_KEY),
                  description="Upload a zip of this CDK app here; the promotion build deploys from it")

    def _package(self) -> ModelPackage:
        artifacts = [f"s3://{self.registry_bucket.bucket_name}/models/{GROUP}/"]
        key = self.registry_bucket.encryption_key.key_arn
        arn = self.node.try_get_context(PACKAGE_CONTEXT)
        if isinstance(arn, str) and arn:
            return ModelPackage.from_arn(arn, artifacts=artifacts, artifact_key_arn=key, images=[example_image()])
        return ModelPackage.from_version(GROUP, 1, artifacts=artifacts, artifact_key_arn=key,
                                         images=[example_image()])

    def _create_topic(self) -> sns.Topic:
        key = service_key(self, "TopicKey", description="Encrypts the rollback-alarm notification topic",
                          via_services=("sns",), service_principals=cloudwatch_alarm_publisher(),
                          service_actions={"cloudwatch.amazonaws.com": CLOUDWATCH_TOPIC_ACTIONS})
        return sns.Topic(self, "RollbackTopic", master_key=key, enforce_ssl=True,
                         display_name="SageMaker endpoint rollback alarms")

    def _create_promotion_build(self) -> codebuild.Project:
        """A CodeBuild project that runs ``cdk deploy`` of this stack with the approved version: its role may read
        the app's zip, write its own log group and assume the CDK bootstrap roles, nothing else (CloudFormation
        deploys as the bootstrap's execution role, as for any ``cdk deploy``)."""
        log_key = service_key(self, "PromotionKey", via_services=("codebuild", "s3"),
                              description="Encrypts the promotion build's logs and artifacts",
                              service_principals={"logs.amazonaws.com": {"ArnLike": {
                                  "kms:EncryptionContext:aws:logs:arn":
                                      f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"}}})
        log_group = logs.LogGroup(self, "PromotionLogs", encryption_key=log_key, retention=logs.RetentionDays.ONE_YEAR,
                                  removal_policy=RemovalPolicy.RETAIN)
        role = iam.Role(self, "PromotionRole", assumed_by=iam.ServicePrincipal("codebuild.amazonaws.com"),
                        description="Runs cdk deploy of the registry promotion example with an approved version")
        streams = f"{log_group.log_group_arn}"
        policy = iam.ManagedPolicy(self, "PromotionPolicy", roles=[role],
                                   description="Least privilege of the registry promotion build", statements=[
            # What CodeBuild reads for an S3 source as the project's role ("Allow CodeBuild to interact with other
            # AWS services", https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html):
            # the object and its versions, the bucket's ACL and location; on exactly this object and bucket.
            iam.PolicyStatement(actions=["s3:GetObject", "s3:GetObjectVersion"],
                                resources=[self.source_bucket.arn_for_objects(SOURCE_KEY)]),
            iam.PolicyStatement(actions=["s3:GetBucketAcl", "s3:GetBucketLocation"],
                                resources=[self.source_bucket.bucket_arn]),
            iam.PolicyStatement(actions=["kms:Decrypt"], resources=[self.source_bucket.encryption_key.key_arn]),
            iam.PolicyStatement(actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                                resources=[log_key.key_arn]),
            iam.PolicyStatement(actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[streams]),
            iam.PolicyStatement(actions=["sts:AssumeRole"], resources=[
                f"arn:{Aws.PARTITION}:iam::{Aws.ACCOUNT_ID}:role/cdk-hnb659fds-{name}-{Aws.ACCOUNT_ID}-{Aws.REGION}"
                for name in _BOOTSTRAP_ROLES]),
        ])
        acknowledge_resource(policy, streams, "CodeBuild names a log stream per build, which does not exist when the "
                                              "project is created; the grant covers the streams of this project's own "
                                              "log group only.")
        project = codebuild.Project(
            self, "PromotionBuild",
            description="Deploys the approved model package version with cdk deploy (canary rollout)",
            role=role.without_policy_updates(),
            encryption_key=log_key,
            source=codebuild.Source.s3(bucket=self.source_bucket, path=SOURCE_KEY),
            environment=codebuild.BuildEnvironment(build_image=codebuild.LinuxBuildImage.STANDARD_7_0,
                                                   compute_type=codebuild.ComputeType.SMALL, privileged=False),
            environment_variables={"MODEL_PACKAGE_ARN": codebuild.BuildEnvironmentVariable(
                value=self.model.model_package.arn if self.model.model_package else "")},
            logging=codebuild.LoggingOptions(cloud_watch=codebuild.CloudWatchLoggingOptions(log_group=log_group)),
            timeout=Duration.hours(2),
            build_spec=codebuild.BuildSpec.from_object({
                "version": "0.2",
                "env": {"variables": {"CDK_DISABLE_CLI_TELEMETRY": "true"}},
                "phases": {
                    "install": {"runtime-versions": {"python": "3.12", "nodejs": "22"},
                                "commands": ["python -m pip install -r requirements.txt", "npm ci"]},
                    "build": {"commands": [
                        f'npx cdk deploy {self.stack_name} --require-approval never '
                        f'--context {PACKAGE_CONTEXT}="$MODEL_PACKAGE_ARN"']},
                },
            }),
        )
        project.node.add_dependency(policy)
        # The rule flags any source whose location is not an OAuth-authorized GitHub/Bitbucket URL; this source is
        # an S3 object of a TLS-only, KMS-encrypted bucket (type S3), with no repository URL or credentials at all.
        acknowledge(project, "HIPAA.Security-CodeBuildProjectSourceRepoUrl",
                    "The build's source is an object of an encrypted, TLS-only S3 bucket of this stack (source type "
                    "S3), not a GitHub or Bitbucket repository: there is no repository URL or credential to protect.")
        return project

    def _create_approval_rule(self) -> events.Rule:
        """The rule on the registry's approval events for the group; its role may start only the promotion build."""
        role = iam.Role(self, "ApprovalRuleRole", assumed_by=iam.ServicePrincipal("events.amazonaws.com"),
                        description="Starts the registry promotion build on an approval")
        policy = iam.ManagedPolicy(self, "ApprovalRulePolicy", roles=[role],
                                   description="Start the registry promotion build", statements=[
            iam.PolicyStatement(actions=["codebuild:StartBuild"], resources=[self.project.project_arn])])
        rule = events.Rule(
            self, "ApprovalRule",
            description=f"An approved version of model package group {GROUP} starts its promotion build",
            event_pattern=events.EventPattern(
                source=["aws.sagemaker"], detail_type=["SageMaker Model Package State Change"],
                detail={"ModelPackageGroupName": [GROUP], "ModelApprovalStatus": ["Approved"]}))
        rule.add_target(targets.CodeBuildProject(
            self.project, event_role=role.without_policy_updates(),
            event=events.RuleTargetInput.from_object({"environmentVariablesOverride": [{
                "name": "MODEL_PACKAGE_ARN", "type": "PLAINTEXT",
                "value": events.EventField.from_path("$.detail.ModelPackageArn")}]})))
        cfn_rule = rule.node.default_child
        assert cfn_rule is not None
        cfn_rule.node.add_dependency(policy)
        return rule
