"""CloudWatch metrics of endpoints, variants and inference components: one builder, typed options.

Every ``metric_*`` method takes the options of aws-cdk-lib's ``cloudwatch.MetricOptions`` that apply to a metric whose
namespace and dimensions are fixed, as keyword-only arguments (the shape of ``Queue.metric_*`` and the other L2
``metric_*`` methods in Python): ``statistic``, ``period``, ``label``, ``unit``, ``color``, ``account``, ``region``.
Default: the statistic each method names, a one-minute period.
"""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import IConstruct

from cdk_sagemaker.constructs._checks import check_duration
from cdk_sagemaker.constructs._jsii import node_path
from cdk_sagemaker.errors import ValidationError

__all__ = ["EndpointMetrics", "QueueMetrics", "VariantMetrics", "build_metric"]

_SAGEMAKER_NAMESPACE = "AWS/SageMaker"
#: Per-instance metrics of endpoint variants (CPU, memory, GPU, disk).
_ENDPOINTS_NAMESPACE = "/aws/sagemaker/Endpoints"


def build_metric(owner: IConstruct | None, metric_name: str, dimensions: Mapping[str, str], *,
                 namespace: str = _SAGEMAKER_NAMESPACE, statistic: str = "Sum", period: Duration | None = None,
                 label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
                 account: str | None = None, region: str | None = None) -> cloudwatch.Metric:
    """The library's one metric builder: ``metric_name`` in ``namespace`` with ``dimensions``. A ``period`` that is
    not a ``Duration`` raises a ValidationError naming ``owner``. Default: Sum over one minute in ``AWS/SageMaker``."""
    problem = check_duration("period", period)
    if problem is not None:
        raise ValidationError(node_path(owner) if owner is not None else "metric", [problem])
    return cloudwatch.Metric(namespace=namespace, metric_name=metric_name, statistic=statistic, label=label,
                             period=period or Duration.minutes(1), unit=unit, color=color, account=account,
                             region=region, dimensions_map=dict(dimensions))


class VariantMetrics:
    """The CloudWatch metrics of one variant (dimensions ``EndpointName`` and ``VariantName``); subclasses give
    ``variant_name``, ``endpoint_name`` and ``metrics_owner`` (the construct errors name)."""

    variant_name: str

    @property
    def endpoint_name(self) -> str:
        raise NotImplementedError

    @property
    def metrics_owner(self) -> IConstruct:
        """The construct a bad metric option is reported on (the endpoint)."""
        raise NotImplementedError

    def metric(
        self, metric_name: str, *, namespace: str = _SAGEMAKER_NAMESPACE, statistic: str = "Sum",
        period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """A CloudWatch metric of this variant. Default: Sum over one minute in ``AWS/SageMaker``."""
        return build_metric(self.metrics_owner, metric_name,
                            {"EndpointName": self.endpoint_name, "VariantName": self.variant_name},
                            namespace=namespace, statistic=statistic, period=period, label=label, unit=unit,
                            color=color, account=account, region=region)

    def metric_invocations(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests sent to the variant. Default: Sum."""
        return self.metric("Invocations", statistic=statistic, period=period, label=label, unit=unit, color=color,
                           account=account, region=region)

    def metric_invocations_per_instance(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Invocations divided by instance count: the default auto-scaling metric. Default: Sum."""
        return self.metric("InvocationsPerInstance", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocations_per_copy(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Invocations divided by inference-component copies; inference-component endpoints only. Default: Sum."""
        return self.metric("InvocationsPerCopy", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_4xx_errors(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests the model answered with a 4XX. Default: Sum."""
        return self.metric("Invocation4XXErrors", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_5xx_errors(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests the model answered with a 5XX. Default: Sum."""
        return self.metric("Invocation5XXErrors", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_model_errors(
        self, *, statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests that failed in the model container. Default: Sum."""
        return self.metric("InvocationModelErrors", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_model_latency(
        self, *, statistic: str = "p99", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Time the model container took to respond, in microseconds. Default: p99."""
        return self.metric("ModelLatency", statistic=statistic, period=period, label=label, unit=unit, color=color,
                           account=account, region=region)

    def metric_overhead_latency(
        self, *, statistic: str = "p99", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """SageMaker's own overhead per request, in microseconds. Default: p99."""
        return self.metric("OverheadLatency", statistic=statistic, period=period, label=label, unit=unit, color=color,
                           account=account, region=region)

    def metric_model_setup_time(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Time to launch new compute (serverless), in microseconds. Default: Average."""
        return self.metric("ModelSetupTime", statistic=statistic, period=period, label=label, unit=unit, color=color,
                           account=account, region=region)

    def metric_model_cache_hit(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Share of requests to a multi-model endpoint whose model was already loaded (0..1). Default: Average."""
        return self.metric("ModelCacheHit", statistic=statistic, period=period, label=label, unit=unit, color=color,
                           account=account, region=region)

    def metric_model_loading_wait_time(
        self, *, statistic: str = "p99", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Multi-model endpoints: time a request waited for its model to load, in microseconds. Default: p99."""
        return self.metric("ModelLoadingWaitTime", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_model_downloading_time(
        self, *, statistic: str = "p99", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Multi-model endpoints: time to download a model from S3, in microseconds. Default: p99."""
        return self.metric("ModelDownloadingTime", statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_loaded_model_count(
        self, *, statistic: str = "Maximum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Multi-model endpoints: models loaded in the containers. Default: Maximum."""
        return self.metric("LoadedModelCount", statistic=statistic, period=period, label=label, unit=unit, color=color,
                           account=account, region=region)

    def metric_cpu_utilization(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """CPU utilization of the variant's instances, percent (sum over cores). Default: Average."""
        return self.metric("CPUUtilization", namespace=_ENDPOINTS_NAMESPACE, statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_memory_utilization(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Memory utilization of the variant's instances, percent. Default: Average."""
        return self.metric("MemoryUtilization", namespace=_ENDPOINTS_NAMESPACE, statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_gpu_utilization(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """GPU utilization of the variant's instances, percent (sum over GPUs). Default: Average."""
        return self.metric("GPUUtilization", namespace=_ENDPOINTS_NAMESPACE, statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_gpu_memory_utilization(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """GPU memory utilization of the variant's instances, percent (sum over GPUs). Default: Average."""
        return self.metric("GPUMemoryUtilization", namespace=_ENDPOINTS_NAMESPACE, statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_disk_utilization(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Disk utilization of the variant's instances, percent. Default: Average."""
        return self.metric("DiskUtilization", namespace=_ENDPOINTS_NAMESPACE, statistic=statistic,
                           period=period, label=label, unit=unit, color=color, account=account, region=region)


class EndpointMetrics:
    """Endpoint-level shortcuts to the metrics of one variant (``variant_name=...``, default the first production
    variant), shared by the endpoint constructs and imported endpoints. Subclasses give ``_primary(variant_name)``."""

    def _primary(self, variant_name: str | None) -> VariantMetrics:
        raise NotImplementedError

    def metric(
        self, metric_name: str, *, variant_name: str | None = None, namespace: str = _SAGEMAKER_NAMESPACE,
        statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """A metric of one variant. Default: Sum over one minute, the first production variant."""
        return self._primary(variant_name).metric(metric_name, namespace=namespace, statistic=statistic,
                                                  period=period, label=label, unit=unit, color=color,
                                                  account=account, region=region)

    def metric_invocations(
        self, *, variant_name: str | None = None, statistic: str = "Sum", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests sent to a variant. Default: Sum, the first production variant."""
        return self._primary(variant_name).metric_invocations(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocations_per_instance(
        self, *, variant_name: str | None = None, statistic: str = "Sum", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Invocations per instance of a variant. Default: Sum, the first production variant."""
        return self._primary(variant_name).metric_invocations_per_instance(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_model_latency(
        self, *, variant_name: str | None = None, statistic: str = "p99", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Model latency of a variant in microseconds. Default: p99, the first production variant."""
        return self._primary(variant_name).metric_model_latency(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_overhead_latency(
        self, *, variant_name: str | None = None, statistic: str = "p99", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """SageMaker overhead latency of a variant in microseconds. Default: p99, the first production variant."""
        return self._primary(variant_name).metric_overhead_latency(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_5xx_errors(
        self, *, variant_name: str | None = None, statistic: str = "Sum", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """5XX errors of a variant. Default: Sum, the first production variant."""
        return self._primary(variant_name).metric_invocation_5xx_errors(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_4xx_errors(
        self, *, variant_name: str | None = None, statistic: str = "Sum", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """4XX errors of a variant. Default: Sum, the first production variant."""
        return self._primary(variant_name).metric_invocation_4xx_errors(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_invocation_model_errors(
        self, *, variant_name: str | None = None, statistic: str = "Sum", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Model container errors of a variant. Default: Sum, the first production variant."""
        return self._primary(variant_name).metric_invocation_model_errors(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_cpu_utilization(
        self, *, variant_name: str | None = None, statistic: str = "Average", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """CPU utilization of a variant's instances. Default: Average, the first production variant."""
        return self._primary(variant_name).metric_cpu_utilization(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_memory_utilization(
        self, *, variant_name: str | None = None, statistic: str = "Average", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Memory utilization of a variant's instances. Default: Average, the first production variant."""
        return self._primary(variant_name).metric_memory_utilization(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_gpu_utilization(
        self, *, variant_name: str | None = None, statistic: str = "Average", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """GPU utilization of a variant's instances. Default: Average, the first production variant."""
        return self._primary(variant_name).metric_gpu_utilization(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_gpu_memory_utilization(
        self, *, variant_name: str | None = None, statistic: str = "Average", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """GPU memory utilization of a variant's instances. Default: Average, the first production variant."""
        return self._primary(variant_name).metric_gpu_memory_utilization(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)

    def metric_disk_utilization(
        self, *, variant_name: str | None = None, statistic: str = "Average", period: Duration | None = None,
        label: str | None = None, unit: cloudwatch.Unit | None = None, color: str | None = None,
        account: str | None = None, region: str | None = None,
    ) -> cloudwatch.Metric:
        """Disk utilization of a variant's instances. Default: Average, the first production variant."""
        return self._primary(variant_name).metric_disk_utilization(
            statistic=statistic, period=period, label=label, unit=unit, color=color, account=account, region=region)


class QueueMetrics:
    """The queue metrics of an asynchronous endpoint (dimension ``EndpointName`` only); subclasses give
    ``endpoint_name`` and ``metrics_owner``."""

    @property
    def endpoint_name(self) -> str:
        raise NotImplementedError

    @property
    def metrics_owner(self) -> IConstruct:
        """The construct a bad metric option is reported on (the endpoint)."""
        raise NotImplementedError

    def metric_approximate_backlog_size(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Requests queued or in progress (dimension ``EndpointName`` only). Default: Average over 1 minute."""
        return build_metric(self.metrics_owner, "ApproximateBacklogSize",
                            {"EndpointName": self.endpoint_name},
                            statistic=statistic, period=period, label=label, unit=unit, color=color,
                            account=account, region=region)

    def metric_approximate_backlog_size_per_instance(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Backlog divided by the instance count: the metric to scale an async endpoint on. Default: Average."""
        return build_metric(self.metrics_owner, "ApproximateBacklogSizePerInstance",
                            {"EndpointName": self.endpoint_name},
                            statistic=statistic, period=period, label=label, unit=unit, color=color,
                            account=account, region=region)

    def metric_approximate_age_of_oldest_request(
        self, *, statistic: str = "Maximum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """Age of the oldest queued request, in seconds. Default: Maximum over 1 minute."""
        return build_metric(self.metrics_owner, "ApproximateAgeOfOldestRequest",
                            {"EndpointName": self.endpoint_name},
                            statistic=statistic, period=period, label=label, unit=unit, color=color,
                            account=account, region=region)

    def metric_has_backlog_without_capacity(
        self, *, statistic: str = "Average", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """1 while requests wait and no instance runs (the scale-from-zero signal), else 0. Default: Average."""
        return build_metric(self.metrics_owner, "HasBacklogWithoutCapacity",
                            {"EndpointName": self.endpoint_name},
                            statistic=statistic, period=period, label=label, unit=unit, color=color,
                            account=account, region=region)
