"""Example: a real-time endpoint that is watched: data capture, data-quality and model-quality monitoring schedules,
a CloudWatch dashboard and the recommended alarms, all notifying one encrypted topic."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from constructs import Construct

from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.enhanced_metrics import EnhancedMetrics
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.model_monitor import (
    DataQualityMonitor,
    ModelQualityMonitor,
    MonitoringBaseline,
    MonitorSchedule,
)
from cdk_sagemaker.constructs.monitoring import EndpointMonitoring
from cdk_sagemaker.constructs.realtime import RealtimeEndpoint
from cdk_sagemaker.constructs.storage import SecureBucket
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["MonitoredStack"]


class MonitoredStack(Stack):
    """The XGBoost example model (a binary classifier returning a probability as CSV) on two to four ``ml.m5.large``
    instances (auto scaling), capturing every request and response, with enhanced metrics. A data-quality run every
    hour compares the captured features with the baseline in ``Baselines``; a model-quality run daily at 03:00 UTC
    merges the predictions with the labels uploaded under ``ground-truth/``. The dashboard and alarms (p99 latency
    limit 200 ms, the other thresholds the library's recommended defaults) and both monitors' violation and failure
    events go to one encrypted topic.

    Before the first runs, upload the outputs of a baselining job (``constraints.json``, ``statistics.json``) to
    ``s3://<Baselines>/data-quality/`` and ``s3://<Baselines>/model-quality/``: see docs/monitoring.md.
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a monitored real-time endpoint", **kwargs)
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        self.endpoint = RealtimeEndpoint(
            self, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=2,
            auto_scaling=AutoScaling(min_capacity=2, max_capacity=4, max_rps_per_instance=20, safety_factor=0.5),
            data_capture=DataCapture(csv_content_types=["text/csv"]),
            enhanced_metrics=EnhancedMetrics(publish_frequency_seconds=60))
        self.monitoring = EndpointMonitoring(self, "Monitoring", endpoint=self.endpoint,
                                             latency_p99=Duration.millis(200))
        baselines = SecureBucket(self, "Baselines")
        self.data_quality = DataQualityMonitor(
            self, "DataQuality", endpoint=self.endpoint, topic=self.monitoring.topic,
            data_keys=[baselines.encryption_key],
            baseline=MonitoringBaseline.from_s3(
                constraints_s3_uri=baselines.s3_url_for_object("data-quality/constraints.json"),
                statistics_s3_uri=baselines.s3_url_for_object("data-quality/statistics.json")))
        self.model_quality = ModelQualityMonitor(
            self, "ModelQuality", endpoint=self.endpoint, topic=self.monitoring.topic,
            schedule=MonitorSchedule.daily(3),
            output_bucket=self.data_quality.output_bucket, kms_key=self.data_quality.kms_key,
            data_keys=[baselines.encryption_key],
            problem_type="BinaryClassification", probability_attribute="0", probability_threshold=0.5,
            ground_truth_s3_uri=baselines.s3_url_for_object("ground-truth"),
            baseline=MonitoringBaseline.from_s3(
                constraints_s3_uri=baselines.s3_url_for_object("model-quality/constraints.json")))
        CfnOutput(self, "EndpointName", value=self.endpoint.endpoint_name)
        CfnOutput(self, "DashboardName", value=self.monitoring.dashboard.dashboard_name)
        CfnOutput(self, "BaselinesBucket", value=baselines.bucket_name)
        CfnOutput(self, "AlarmTopicArn", value=self.monitoring.topic.topic_arn)
