"""Example: a shadow test - a candidate model receives a copy of live traffic; its responses are discarded."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RealtimeShadowStack"]


class RealtimeShadowStack(Stack):
    """One production variant and one shadow variant (SageMaker allows exactly one of each), with data capture so
    the two models' responses can be compared offline."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: shadow variant", **kwargs)
        production = Model(self, "Production", image=example_image(), model_data=example_model_data())
        candidate = Model(self, "Candidate", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint",
            variants=[ProductionVariant(model=production, variant_name="Production")],
            shadow_variants=[ProductionVariant(model=candidate, variant_name="Candidate", initial_weight=0.5)],
            data_capture=DataCapture(sampling_percentage=100, csv_content_types=["text/csv"],
                                     json_content_types=["application/json"]),
        )
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
