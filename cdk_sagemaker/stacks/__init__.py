"""Example stacks, one module per pattern. ``STACKS`` maps each stack's name to its class; ``app.py`` builds them.

Every stack in ``STACKS`` is covered by snapshot, cdk-nag (AwsSolutions, NIST 800-53 rev 5, HIPAA Security), cfn-lint
and local-deploy tests.
"""

from __future__ import annotations

from aws_cdk import Stack

from cdk_sagemaker.stacks.async_notifications import AsyncNotificationsStack
from cdk_sagemaker.stacks.batch_transform_nightly import BatchTransformNightlyStack
from cdk_sagemaker.stacks.canary_rollout import CanaryRolloutStack
from cdk_sagemaker.stacks.llm_inference_components import LlmInferenceComponentsStack
from cdk_sagemaker.stacks.monitored import MonitoredStack
from cdk_sagemaker.stacks.realtime_ab_test import RealtimeAbTestStack
from cdk_sagemaker.stacks.realtime_autoscaling import RealtimeAutoScalingStack
from cdk_sagemaker.stacks.realtime_basic import RealtimeBasicStack
from cdk_sagemaker.stacks.realtime_inference_components import RealtimeInferenceComponentsStack
from cdk_sagemaker.stacks.realtime_multi_model import RealtimeMultiModelStack
from cdk_sagemaker.stacks.realtime_pipeline import RealtimePipelineStack
from cdk_sagemaker.stacks.realtime_private import RealtimePrivateStack
from cdk_sagemaker.stacks.realtime_shadow import RealtimeShadowStack
from cdk_sagemaker.stacks.registry_promotion import RegistryPromotionStack
from cdk_sagemaker.stacks.rest_api import RestApiStack
from cdk_sagemaker.stacks.serverless_provisioned import ServerlessProvisionedStack

__all__ = ["STACKS"]

STACKS: dict[str, type[Stack]] = {
    "CdkSagemakerRealtimeBasic": RealtimeBasicStack,
    "CdkSagemakerRealtimeAutoScaling": RealtimeAutoScalingStack,
    "CdkSagemakerRealtimeAbTest": RealtimeAbTestStack,
    "CdkSagemakerRealtimeShadow": RealtimeShadowStack,
    "CdkSagemakerRealtimeMultiModel": RealtimeMultiModelStack,
    "CdkSagemakerRealtimePipeline": RealtimePipelineStack,
    "CdkSagemakerRealtimeInferenceComponents": RealtimeInferenceComponentsStack,
    "CdkSagemakerServerlessProvisioned": ServerlessProvisionedStack,
    "CdkSagemakerAsyncNotifications": AsyncNotificationsStack,
    "CdkSagemakerBatchTransformNightly": BatchTransformNightlyStack,
    "CdkSagemakerCanaryRollout": CanaryRolloutStack,
    "CdkSagemakerRealtimePrivate": RealtimePrivateStack,
    "CdkSagemakerRegistryPromotion": RegistryPromotionStack,
    "CdkSagemakerLlmInferenceComponents": LlmInferenceComponentsStack,
    "CdkSagemakerRestApi": RestApiStack,
    "CdkSagemakerMonitored": MonitoredStack,
}
