"""Benchmark way 3: ``aws_cdk.aws_sagemaker_alpha`` (experimental L2, aws-cdk.aws-sagemaker-alpha 2.275.0a0).

Per endpoint: ``Model`` with its default role (the alpha attaches the AWS-managed AmazonSageMakerFullAccess policy
and adds an inline default policy for the ECR pull and S3 read grants; network isolation on), a KMS key (``kms.Key``,
rotation on, retained) given as the endpoint config's ``encryption_key``, ``EndpointConfig`` with one instance
variant, ``Endpoint``, ``auto_scale_instance_count(...)`` (scalable target) and ``scale_on_invocations(...)``
(target-tracking policy). The image is ``ContainerImage.from_dlc`` (the alpha has no plain URI factory) and the
artifact ``ModelData.from_bucket`` on an imported bucket: neither creates an asset.
"""

from __future__ import annotations

from typing import Any

import _way


def _import() -> Any:
    from aws_cdk import RemovalPolicy
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_sagemaker_alpha as sagemaker

    def build(stack: Any, i: int) -> None:
        bucket = s3.Bucket.from_bucket_name(stack, f"Bucket{i}", _way.MODEL_BUCKET)
        model = sagemaker.Model(stack, f"Model{i}", network_isolation=True, containers=[
            sagemaker.ContainerDefinition(
                image=sagemaker.ContainerImage.from_dlc(_way.IMAGE_REPOSITORY, _way.IMAGE_TAG, _way.IMAGE_ACCOUNT),
                model_data=sagemaker.ModelData.from_bucket(bucket, _way.MODEL_KEY),
            )])
        key = kms.Key(stack, f"Key{i}", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN)
        config = sagemaker.EndpointConfig(stack, f"Config{i}", encryption_key=key, instance_production_variants=[
            sagemaker.InstanceProductionVariantProps(
                model=model, variant_name="AllTraffic", instance_type=sagemaker.InstanceType.M5_LARGE,
                initial_instance_count=1)])
        endpoint = sagemaker.Endpoint(stack, f"Endpoint{i}", endpoint_config=config)
        variant = endpoint.find_instance_production_variant("AllTraffic")
        count = variant.auto_scale_instance_count(min_capacity=_way.MIN_CAPACITY, max_capacity=_way.MAX_CAPACITY)
        count.scale_on_invocations("Invocations", max_requests_per_second=_way.MAX_RPS,
                                   safety_factor=_way.SAFETY_FACTOR)

    return build


if __name__ == "__main__":
    _way.main(_import)
