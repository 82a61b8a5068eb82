"""The valid ``MetricsConfig.MetricPublishFrequencyInSeconds`` values, for the construct
(:class:`~cdk_sagemaker.constructs.enhanced_metrics.EnhancedMetrics`) and the readiness rule E9853. No aws-cdk import.

They are not a botocore enum: the member's documentation lists them ("Valid values: 10, 30, 60, ..."). The shapes
``_limits`` ships leave documentation out, so this reads botocore's own model, once per process and only when a
frequency is checked.
"""

from __future__ import annotations

import functools
import re

__all__ = ["publish_frequencies"]


@functools.cache
def publish_frequencies() -> tuple[int, ...]:
    """The publishing frequencies (seconds) botocore documents for ``MetricsConfig.MetricPublishFrequencyInSeconds``."""
    from botocore.loaders import Loader

    shapes = Loader().load_service_model("sagemaker", "service-2")["shapes"]
    doc = str(shapes["MetricsConfig"]["members"]["MetricPublishFrequencyInSeconds"].get("documentation", ""))
    found = re.search(r"Valid values:(.*?)</p>", doc)
    if found is None:
        raise KeyError("botocore MetricsConfig.MetricPublishFrequencyInSeconds no longer lists its valid values")
    return tuple(int(v) for v in re.findall(r"\d+", found.group(1)))
