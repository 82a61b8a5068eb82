"""Small CDK apps for the deploy tests (aws_cdk is imported inside the builders)."""

from __future__ import annotations

import os

ASSET_DIR = os.path.join(os.path.dirname(__file__), "assets", "model")


def build_endpoint_stack(
    outdir: str,
    *,
    name: str = "LocalDemo",
    instance_count: int = 1,
    instance_type: str = "ml.m5.large",
    broken: str | None = None,
) -> object:
    """An env-agnostic stack: retained bucket, file asset, L1 model/config/endpoint (with a DeploymentConfig),
    a scalable target with a target-tracking policy, and a latency alarm. ``broken``: "ref" (a Ref to an undefined
    resource) or "missing" (the endpoint without its required EndpointConfigName).
    """
    import aws_cdk as cdk
    from aws_cdk import aws_applicationautoscaling as appscaling
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_s3_assets as s3_assets
    from aws_cdk import aws_sagemaker as sagemaker

    app = cdk.App(outdir=outdir)
    stack = cdk.Stack(app, name)
    bucket = s3.Bucket(stack, "Data", removal_policy=cdk.RemovalPolicy.RETAIN)
    artifact = s3_assets.Asset(stack, "ModelArtifact", path=ASSET_DIR)
    role = iam.Role(stack, "ExecutionRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    model = sagemaker.CfnModel(
        stack,
        "Model",
        execution_role_arn=role.role_arn,
        primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
            image="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
            model_data_url=artifact.s3_object_url,
        ),
    )
    config = sagemaker.CfnEndpointConfig(
        stack,
        "Config",
        production_variants=[
            sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name="AllTraffic",
                model_name=model.attr_model_name,
                initial_instance_count=instance_count,
                instance_type=instance_type,
                initial_variant_weight=1.0,
            )
        ],
    )
    endpoint = sagemaker.CfnEndpoint(
        stack,
        "Endpoint",
        endpoint_config_name=config.attr_endpoint_config_name,
        deployment_config=sagemaker.CfnEndpoint.DeploymentConfigProperty(
            blue_green_update_policy=sagemaker.CfnEndpoint.BlueGreenUpdatePolicyProperty(
                traffic_routing_configuration=sagemaker.CfnEndpoint.TrafficRoutingConfigProperty(type="ALL_AT_ONCE")
            )
        ),
    )
    if broken == "ref":
        endpoint.add_property_override("EndpointConfigName", {"Ref": "NoSuchConfig"})
    elif broken == "missing":
        endpoint.add_property_deletion_override("EndpointConfigName")
    target = appscaling.ScalableTarget(
        stack,
        "Scaling",
        service_namespace=appscaling.ServiceNamespace.SAGEMAKER,
        resource_id=f"endpoint/{endpoint.attr_endpoint_name}/variant/AllTraffic",
        scalable_dimension="sagemaker:variant:DesiredInstanceCount",
        min_capacity=1,
        max_capacity=4,
    )
    target.node.add_dependency(endpoint)
    target.scale_to_track_metric(
        "Invocations",
        target_value=600,
        predefined_metric=appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
    )
    cloudwatch.Alarm(
        stack,
        "Latency",
        metric=cloudwatch.Metric(
            namespace="AWS/SageMaker",
            metric_name="ModelLatency",
            dimensions_map={"EndpointName": endpoint.attr_endpoint_name, "VariantName": "AllTraffic"},
        ),
        threshold=1_000_000,
        evaluation_periods=2,
    )
    cdk.CfnOutput(stack, "EndpointName", value=endpoint.attr_endpoint_name)
    cdk.CfnOutput(stack, "BucketName", value=bucket.bucket_name)
    cdk.CfnOutput(stack, "ArtifactUrl", value=artifact.s3_object_url)
    return stack


def build_kinds_stack(outdir: str, *, name: str = "LocalKinds") -> object:
    """A stack with a serverless endpoint and an async endpoint (L1), to check the reported variant kinds."""
    import aws_cdk as cdk
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_sagemaker as sagemaker

    app = cdk.App(outdir=outdir)
    stack = cdk.Stack(app, name)
    role = iam.Role(stack, "ExecutionRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    model = sagemaker.CfnModel(
        stack,
        "Model",
        execution_role_arn=role.role_arn,
        primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
            image="683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
        ),
    )
    serverless = sagemaker.CfnEndpointConfig(
        stack,
        "ServerlessConfig",
        production_variants=[
            sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name="AllTraffic",
                model_name=model.attr_model_name,
                serverless_config=sagemaker.CfnEndpointConfig.ServerlessConfigProperty(
                    max_concurrency=5, memory_size_in_mb=2048
                ),
            )
        ],
    )
    asynchronous = sagemaker.CfnEndpointConfig(
        stack,
        "AsyncConfig",
        production_variants=[
            sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name="AllTraffic",
                model_name=model.attr_model_name,
                initial_instance_count=1,
                instance_type="ml.m5.xlarge",
                initial_variant_weight=1.0,
            )
        ],
        async_inference_config=sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty(
            output_config=sagemaker.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                s3_output_path="s3://results-bucket/async/"
            )
        ),
    )
    sagemaker.CfnEndpoint(stack, "Serverless", endpoint_config_name=serverless.attr_endpoint_config_name)
    sagemaker.CfnEndpoint(stack, "Async", endpoint_config_name=asynchronous.attr_endpoint_config_name)
    return stack
