"""Example: a canary rollout with alarm-based automatic rollback on a real-time endpoint."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sns as sns
from constructs import Construct

from cdk_sagemaker.constructs._keys import CLOUDWATCH_TOPIC_ACTIONS, cloudwatch_alarm_publisher, service_key
from cdk_sagemaker.constructs.deployment import DeploymentStrategy, Rollback
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["CanaryRolloutStack"]


class CanaryRolloutStack(Stack):
    """Four ``ml.m5.large`` instances updated by canary: one instance (25%) takes traffic for 10 minutes while the
    rollback alarms (5XX error rate, p99 model latency) watch it; any alarm rolls the update back, and the alarms
    notify an encrypted SNS topic you can subscribe a pager to.

    To see it work, deploy, change the model (another ``model_data`` or image tag) and deploy again: CloudFormation
    creates a new endpoint config and updates the endpoint in place under the canary policy.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: canary rollout with automatic rollback",
                         **kwargs)
        self.topic = self._create_topic()
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=4,
            deployment=DeploymentStrategy.canary(
                percent=25, wait=Duration.minutes(10), termination_wait=Duration.minutes(5),
                maximum_execution_timeout=Duration.hours(1),
                rollback=Rollback(latency_threshold=Duration.millis(500), latency_statistic="p99",
                                  alarm_actions=[cw_actions.SnsAction(self.topic)]),
            ),
        )
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "RollbackTopicArn", value=self.topic.topic_arn,
                  description="Subscribe to be told when a rollout's rollback alarm fires")

    def _create_topic(self) -> sns.Topic:
        # CloudWatch publishes the alarm notifications, so it may use the topic's key, for alarms of this account
        # only (aws:SourceAccount); the account itself administers the key and uses it only through SNS (no kms:*).
        key = service_key(self, "TopicKey", description="Encrypts the rollback-alarm notification topic",
                          via_services=("sns",), service_principals=cloudwatch_alarm_publisher(),
                          service_actions={"cloudwatch.amazonaws.com": CLOUDWATCH_TOPIC_ACTIONS})
        return sns.Topic(self, "RollbackTopic", master_key=key, enforce_ssl=True,
                         display_name="SageMaker endpoint rollback alarms")
