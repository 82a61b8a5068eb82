"""Enhanced metrics of a real-time endpoint: the endpoint config's ``MetricsConfig``.

With ``EnableEnhancedMetrics`` SageMaker publishes utilization and invocation metrics per instance (dimension
``InstanceId``), per GPU (``AcceleratorId``) and, for inference components, per container (``ContainerId``);
``MetricPublishFrequencyInSeconds`` sets how often. The service offers it for real-time endpoints: "Enhanced metrics
are available for single-model endpoints and inference components. Multi-Container Endpoints (MCE) support
instance-level enhanced metrics but not container-level metrics" (SageMaker developer guide, "Amazon SageMaker AI
enhanced metrics for inference endpoints",
https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch-enhanced-metrics.html). Serverless and
asynchronous endpoints are not named there, nor multi-model endpoints: only :class:`RealtimeEndpoint` takes it, and
not with a multi-model container.

The valid publishing frequencies are not a botocore enum: they are read from the documentation text of the botocore
member ``MetricsConfig.MetricPublishFrequencyInSeconds`` ("Valid values: 10, 30, ...";
:mod:`cdk_sagemaker._metrics_config`).
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_sagemaker as sagemaker

from cdk_sagemaker._metrics_config import publish_frequencies
from cdk_sagemaker.errors import Problem

__all__ = ["EnhancedMetrics", "publish_frequencies"]


@dataclass(frozen=True, kw_only=True, slots=True)
class EnhancedMetrics:
    """``MetricsConfig`` of a real-time endpoint config.

    - ``enabled``: publish per-instance, per-GPU (and per-container for inference components) metrics. Default: on.
    - ``publish_frequency_seconds``: one of :func:`publish_frequencies` (10, 30, 60, ... 300). Default: SageMaker's
      (60).
    - ``detailed_observability``: container (Prometheus), per-GPU and placement metrics. Default: SageMaker's
      (on for new endpoint configs).
    """

    enabled: bool = True
    publish_frequency_seconds: int | None = None
    detailed_observability: bool | None = None

    def problems(self, where: str = "enhanced_metrics.") -> list[Problem]:
        out: list[Problem] = []
        freq = self.publish_frequency_seconds
        if freq is not None and (isinstance(freq, bool) or freq not in publish_frequencies()):
            out.append(Problem.of(f"{where}publish_frequency_seconds",
                                  f"must be one of {list(publish_frequencies())} (botocore "
                                  "MetricsConfig.MetricPublishFrequencyInSeconds)", freq))
        return out

    def render(self) -> sagemaker.CfnEndpointConfig.MetricsConfigProperty:
        return sagemaker.CfnEndpointConfig.MetricsConfigProperty(
            enable_enhanced_metrics=self.enabled,
            metric_publish_frequency_in_seconds=self.publish_frequency_seconds,
            enable_detailed_observability=self.detailed_observability,
        )
