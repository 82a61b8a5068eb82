"""Example: a real-time endpoint that scales on load (target tracking) and ahead of a known daily peak (schedule)."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack, TimeZone
from constructs import Construct

from cdk_sagemaker.constructs.autoscaling import AutoScaling, ScheduledScaling, TargetTracking
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["RealtimeAutoScalingStack"]


class RealtimeAutoScalingStack(Stack):
    """Two to eight ``ml.m5.large`` instances: InvocationsPerInstance from a load test (20 RPS per instance at a
    0.5 safety factor = 600 per minute) and CPU as a second signal; four instances from 08:00 to 20:00 on weekdays."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a real-time endpoint with auto-scaling",
                         **kwargs)
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        office_hours = TimeZone.EUROPE_BERLIN
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=2,
            auto_scaling=AutoScaling(
                min_capacity=2, max_capacity=8,
                max_rps_per_instance=20, safety_factor=0.5,
                target_tracking=[TargetTracking.cpu_utilization(70)],
                scale_in_cooldown=Duration.minutes(10), scale_out_cooldown=Duration.minutes(2),
                schedules=[
                    ScheduledScaling.cron("weekday-peak", hour="8", week_day="MON-FRI", min_capacity=4,
                                          time_zone=office_hours),
                    ScheduledScaling.cron("weekday-off-peak", hour="20", week_day="MON-FRI", min_capacity=2,
                                          time_zone=office_hours),
                ],
            ),
        )
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "ScalableTargetId", value=self.endpoint.variants[0].scalable_target.ref)
