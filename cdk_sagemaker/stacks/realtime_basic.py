"""Example: one model on a real-time endpoint with two instances."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RealtimeBasicStack"]


class RealtimeBasicStack(Stack):
    """The smallest useful deployment: a prebuilt XGBoost model on two ``ml.m5.large`` instances."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a real-time endpoint", **kwargs)
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.large",
                                         instance_count=2)
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
