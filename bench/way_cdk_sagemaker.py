"""Benchmark way 1: cdk_sagemaker (``Model`` + ``RealtimeEndpoint(auto_scaling=AutoScaling(...))``).

Per endpoint: Model (CfnModel, IAM role, customer-managed policy with exact ECR pull / S3 read / logs / metrics
statements), KMS key (rotation on) for the storage volumes, endpoint config, endpoint, scalable target, scaling policy.
"""

from __future__ import annotations

from typing import Any

import _way


def _import() -> Any:
    from cdk_sagemaker import AutoScaling, ContainerImage, Model, ModelData, RealtimeEndpoint

    image = ContainerImage.from_uri(_way.IMAGE_URI)
    data = ModelData.from_s3_uri(_way.MODEL_URI)

    def build(stack: Any, i: int) -> None:
        model = Model(stack, f"Model{i}", image=image, model_data=data)
        RealtimeEndpoint(
            stack, f"Endpoint{i}", model=model, instance_type=_way.INSTANCE_TYPE, instance_count=1,
            auto_scaling=AutoScaling(min_capacity=_way.MIN_CAPACITY, max_capacity=_way.MAX_CAPACITY,
                                     max_rps_per_instance=_way.MAX_RPS, safety_factor=_way.SAFETY_FACTOR),
        )

    return build


if __name__ == "__main__":
    _way.main(_import)
