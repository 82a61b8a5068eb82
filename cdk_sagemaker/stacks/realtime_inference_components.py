"""Example: inference components - two models sharing one variant's instances, each with its own resources."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RealtimeInferenceComponentsStack"]


class RealtimeInferenceComponentsStack(Stack):
    """Two ``ml.m5.2xlarge`` instances hosting a churn model (2 copies, 2 cores, 2 GB each) and a fraud model
    (1 copy, 1 core, 1 GB); invoke with ``InferenceComponentName``."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: inference components", **kwargs)
        churn = Model(self, "Churn", image=example_image(), model_data=example_model_data())
        fraud = Model(self, "Fraud", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint",
            variants=[ProductionVariant.for_inference_components(
                instance_type="ml.m5.2xlarge", instance_count=2, variant_name="Shared",
                routing_strategy="LEAST_OUTSTANDING_REQUESTS")],
        )
        self.churn = self.endpoint.add_inference_component("ChurnComponent", model=churn, memory_mb=2048,
                                                           cpu_cores=2, copies=2)
        self.fraud = self.endpoint.add_inference_component("FraudComponent", model=fraud, memory_mb=1024,
                                                           cpu_cores=1)
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "ChurnComponentName", value=self.churn.inference_component_name)
        CfnOutput(self, "FraudComponentName", value=self.fraud.inference_component_name)
