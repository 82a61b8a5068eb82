"""Example: one model on a serverless endpoint with provisioned concurrency (no cold starts for 2 requests)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.autoscaling import AutoScaling, TargetTracking
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["ServerlessProvisionedStack"]


class ServerlessProvisionedStack(Stack):
    """A prebuilt XGBoost model on a 2 GB serverless endpoint: up to 10 concurrent requests, 2 of them kept warm.

    Serverless Inference does not support network isolation, so the model is built without it. The provisioned
    concurrency scales between 1 and 10, keeping its utilization near 50 %.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a serverless endpoint with provisioned "
                         "concurrency", **kwargs)
        model = Model(self, "Model", image=example_image(), model_data=example_model_data(),
                      network_isolation=False)
        self.endpoint = ServerlessEndpoint(self, "Endpoint", model=model, memory_size_mb=2048, max_concurrency=10,
                                           provisioned_concurrency=2,
                                           auto_scaling=AutoScaling(min_capacity=1, max_capacity=10, target_tracking=[
                                               TargetTracking.provisioned_concurrency_utilization(0.5)]))
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
