"""Example stacks, one module per pattern. ``STACKS`` maps each stack's name to its class; ``app.py`` builds them.

Every stack in ``STACKS`` is covered by snapshot, cdk-nag (AwsSolutions, NIST 800-53 rev 5, HIPAA Security), cfn-lint
and local-deploy tests.
"""

from __future__ import annotations

from aws_cdk import Stack

from cdk_sagemaker.stacks.async_notifications import AsyncNotificationsStack
from cdk_sagemaker.stacks.realtime_autoscaling import RealtimeAutoScalingStack
from cdk_sagemaker.stacks.realtime_basic import RealtimeBasicStack
from cdk_sagemaker.stacks.serverless_provisioned import ServerlessProvisionedStack

__all__ = ["STACKS"]

STACKS: dict[str, type[Stack]] = {
    "CdkSagemakerRealtimeBasic": RealtimeBasicStack,
    "CdkSagemakerRealtimeAutoScaling": RealtimeAutoScalingStack,
    "CdkSagemakerServerlessProvisioned": ServerlessProvisionedStack,
    "CdkSagemakerAsyncNotifications": AsyncNotificationsStack,
}
