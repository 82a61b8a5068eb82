"""Example: an asynchronous endpoint with results, failures and inputs in a secure bucket and SNS notifications."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["AsyncNotificationsStack"]


class AsyncNotificationsStack(Stack):
    """A prebuilt XGBoost model on one ``ml.m5.xlarge`` asynchronous endpoint.

    Callers upload payloads under ``inputs/`` of the created bucket and call ``InvokeEndpointAsync``; results land
    under ``outputs/``, errors under ``failures/``, and the success and error topics announce each (with the
    response itself in the success message when it is at most 128 KB). The endpoint scales between zero and four
    instances: on the backlog per instance while it runs, and from zero when a request arrives.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: an asynchronous endpoint with notifications",
                         **kwargs)
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        self.endpoint = AsyncEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.xlarge",
                                      include_inference_response_in=["success"],
                                      max_concurrent_invocations_per_instance=4,
                                      auto_scaling=AutoScaling(min_capacity=0, max_capacity=4))
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "InputPath", value=self.endpoint.input_path)
        CfnOutput(self, "OutputPath", value=self.endpoint.output_path)
        CfnOutput(self, "FailurePath", value=self.endpoint.failure_path)
        CfnOutput(self, "SuccessTopicArn", value=self.endpoint.success_topic.topic_arn)
        CfnOutput(self, "ErrorTopicArn", value=self.endpoint.error_topic.topic_arn)
