"""Example: an A/B test - two models on weighted production variants, with request/response capture."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RealtimeAbTestStack"]


class RealtimeAbTestStack(Stack):
    """Champion and challenger on one endpoint: 90 % / 10 % of traffic, 25 % of requests captured as CSV."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: A/B test on weighted variants", **kwargs)
        champion = Model(self, "Champion", image=example_image(), model_data=example_model_data())
        challenger = Model(self, "Challenger", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint",
            variants=[
                ProductionVariant(model=champion, variant_name="Champion", instance_count=2, initial_weight=9,
                                  routing_strategy="LEAST_OUTSTANDING_REQUESTS"),
                ProductionVariant(model=challenger, variant_name="Challenger", initial_weight=1),
            ],
            data_capture=DataCapture(sampling_percentage=25, csv_content_types=["text/csv"]),
        )
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "CaptureBucket", value=self.endpoint.data_capture_bucket.bucket_name)
