"""Example: a real-time endpoint in private subnets with no internet path, reachable only through the VPC."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.network import InferenceNetwork
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RealtimePrivateStack"]


class RealtimePrivateStack(Stack):
    """A prebuilt XGBoost model with network isolation on two ``ml.m5.large`` instances in private isolated subnets
    of two Availability Zones. The VPC has no internet or NAT gateway; SageMaker, ECR, S3, CloudWatch, STS and KMS
    are reached through VPC endpoints, and clients in the VPC invoke the endpoint through the ``sagemaker.runtime``
    interface endpoint (private DNS, so the SDK's default endpoint URL resolves to it)."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a real-time endpoint in private subnets",
                         **kwargs)
        self.network = InferenceNetwork(self, "Network")
        self.model = Model(self, "Model", image=example_image(), model_data=example_model_data(),
                           network=self.network)
        self.endpoint = RealtimeEndpoint(self, "Endpoint", model=self.model, instance_type="ml.m5.large",
                                         instance_count=2)
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "VpcId", value=self.network.vpc.vpc_id)
        CfnOutput(self, "RuntimeVpcEndpointId",
                  value=self.network.interface_endpoints["sagemaker.runtime"].vpc_endpoint_id)
