"""Example: an HTTPS REST API in front of a real-time endpoint, with no Lambda function in the path."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.rest_api import ApiAuth, ApiThrottle, EndpointApi
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RestApiStack"]


class RestApiStack(Stack):
    """A prebuilt XGBoost model on one ``ml.m5.large`` instance behind ``POST /invocations`` of a regional REST API:
    IAM (SigV4) auth, 20 requests per second (burst 40), a WAF web ACL with the AWS managed rules and the 6 MB
    payload limit (413), encrypted access logs, X-Ray tracing and JSON error answers."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a REST API in front of an endpoint",
                         **kwargs)
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.large",
                                         instance_count=1)
        self.api = EndpointApi(self, "Api", endpoint=self.endpoint, auth=ApiAuth.iam(),
                               throttle=ApiThrottle(rate_limit=20, burst_limit=40))
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "InvokeUrl", value=self.api.invoke_url)
