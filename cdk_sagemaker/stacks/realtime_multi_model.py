"""Example: a multi-model endpoint - many models of one framework under an S3 prefix, loaded on demand."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from constructs import Construct

from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.storage import SecureBucket
from cdk_sagemaker.stacks._common import example_image

__all__ = ["RealtimeMultiModelStack"]


class RealtimeMultiModelStack(Stack):
    """An XGBoost container in ``MultiModel`` mode reading ``models/`` of a secure bucket; callers pick a model
    with ``TargetModel="<name>.tar.gz"``. Upload the artifacts to the bucket's ``models/`` prefix after deploy."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: multi-model endpoint", **kwargs)
        self.bucket = SecureBucket(self, "Models")
        model = Model(self, "Model", containers=[ContainerDefinition(
            image=example_image(), model_data=ModelData.from_bucket(self.bucket, "models/"), multi_model=True)])
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint",
            variants=[ProductionVariant(model=model, variant_name="AllTraffic", instance_type="ml.m5.xlarge",
                                        volume_size_gb=100, model_data_download_timeout=Duration.minutes(10))],
        )
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "ModelBucket", value=self.bucket.bucket_name)
