"""Example: an LLM and an embedding model as inference components on one GPU endpoint, each scaling its copies to
zero, with managed instance scaling so the endpoint releases its GPU instances when both are idle."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from constructs import Construct

from cdk_sagemaker.constructs.hosting import (
    ComponentDeployment,
    ComponentMetrics,
    ComponentScaling,
    ComponentScheduling,
    ManagedInstanceScaling,
    Routing,
    ScaleInPolicy,
)
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import Model, ModelData
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.storage import SecureBucket

__all__ = ["LlmInferenceComponentsStack"]


class LlmInferenceComponentsStack(Stack):
    """One to two ``ml.g5.12xlarge`` instances (4 NVIDIA A10G GPUs, 24 GiB each) hosting a chat LLM on Hugging Face
    TGI (2 GPUs per copy, 16 GiB of weights, uncompressed under ``models/chat/`` of a secure bucket) and an embedding
    model on TEI (1 GPU per copy). Each component scales its copies between 0 and 2 (requests in flight per copy for
    the LLM, requests per copy for the embeddings) and back out from zero on ``NoCapacityInvocationFailures``;
    managed instance scaling (0 to 2 instances, consolidating) lets the endpoint release every instance when both
    components are at zero. Component updates roll one copy at a time; TGI's Prometheus metrics (``/metrics``) are
    published to CloudWatch."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: LLM inference components that scale to zero",
                         **kwargs)
        self.bucket = SecureBucket(self, "Models")
        chat = Model(self, "Chat", image=ContainerImage.from_prebuilt("huggingface-llm", "3.3"),
                     model_data=ModelData.from_bucket_prefix(self.bucket, "models/chat/"),
                     environment={"HF_MODEL_ID": "/opt/ml/model", "SM_NUM_GPUS": "2", "MAX_INPUT_TOKENS": "4096",
                                  "MAX_TOTAL_TOKENS": "8192"})
        embed = Model(self, "Embed", image=ContainerImage.from_prebuilt("huggingface-tei", "1.8"),
                      model_data=ModelData.from_bucket_prefix(self.bucket, "models/embed/"),
                      environment={"HF_MODEL_ID": "/opt/ml/model"})
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint",
            variants=[ProductionVariant.for_inference_components(
                instance_type="ml.g5.12xlarge", instance_count=1, variant_name="Gpu",
                routing_strategy=Routing.least_outstanding_requests(),
                managed_instance_scaling=ManagedInstanceScaling(
                    min_instances=0, max_instances=2,
                    scale_in_policy=ScaleInPolicy.consolidation(cooldown=Duration.minutes(20))))],
        )
        self.chat = self.endpoint.add_inference_component(
            "ChatComponent", model=chat, memory_mb=32768, cpu_cores=8, accelerators=2, model_size_gb=16,
            auto_scaling=ComponentScaling(min_copies=0, max_copies=2, concurrent_requests_per_copy=4),
            deployment=ComponentDeployment.rolling(batch_copies=1, wait=Duration.minutes(5)),
            scheduling=ComponentScheduling.binpack(), container_metrics=ComponentMetrics(path="/metrics"))
        self.embed = self.endpoint.add_inference_component(
            "EmbedComponent", model=embed, memory_mb=8192, cpu_cores=2, accelerators=1,
            auto_scaling=ComponentScaling(min_copies=0, max_copies=2, invocations_per_copy=600),
            scheduling=ComponentScheduling.binpack())
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "ChatComponentName", value=self.chat.inference_component_name)
        CfnOutput(self, "EmbedComponentName", value=self.embed.inference_component_name)
        CfnOutput(self, "ModelBucket", value=self.bucket.bucket_name)
