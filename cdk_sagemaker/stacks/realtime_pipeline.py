"""Example: a serial inference pipeline - two containers, the first one's output is the second one's input."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.model import ContainerDefinition, Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data, example_preprocess_code

__all__ = ["RealtimePipelineStack"]


class RealtimePipelineStack(Stack):
    """A preprocessing container then the model container, on one endpoint (``InferenceExecutionConfig: Serial``).

    The first container runs ``code/preprocess.py`` in the XGBoost container's script mode: the script ships as that
    container's model data (``stacks/assets/preprocess.tar.gz``, built by ``tools/build_preprocess_asset.py``) and
    ``SAGEMAKER_SUBMIT_DIRECTORY`` points the container at it. A ``SAGEMAKER_PROGRAM`` with no code to load fails
    the container's ping and the endpoint never starts; ``Model`` rejects that."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: serial inference pipeline", **kwargs)
        model = Model(self, "Pipeline", inference_execution_mode="Serial", containers=[
            ContainerDefinition(image=example_image(), model_data=example_preprocess_code(), environment={
                "SAGEMAKER_PROGRAM": "preprocess.py", "SAGEMAKER_SUBMIT_DIRECTORY": "/opt/ml/model/code"}),
            ContainerDefinition(image=example_image(), model_data=example_model_data()),
        ])
        self.endpoint = RealtimeEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.large")
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
