"""Benchmark way 2: hand-written L1 (``aws_sagemaker.Cfn*`` and ``aws_applicationautoscaling.Cfn*``).

Per endpoint, the same features as way 1: an IAM role (``iam.Role``) with a customer-managed policy
(``iam.ManagedPolicy``) holding the same statements (ECR pull on the exact repository, ecr:GetAuthorizationToken,
s3:GetObject on the exact key, SageMaker log groups, PutMetricData limited by namespace), a KMS key (``kms.Key``,
rotation on, retained) on the endpoint config, ``CfnModel`` (network isolation on, depends on the policy),
``CfnEndpointConfig``, ``CfnEndpoint``, ``CfnScalableTarget`` (service-linked role) and a target-tracking
``CfnScalingPolicy``. No input validation beyond what aws-cdk-lib does.
"""

from __future__ import annotations

from typing import Any

import _way


def _import() -> Any:
    from aws_cdk import Aws, RemovalPolicy
    from aws_cdk import aws_applicationautoscaling as appscaling
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_sagemaker as sagemaker

    def build(stack: Any, i: int) -> None:
        role = iam.Role(stack, f"Role{i}", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
        policy = iam.ManagedPolicy(stack, f"Policy{i}", roles=[role], statements=[
            iam.PolicyStatement(
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams",
                         "logs:PutLogEvents"],
                resources=[f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/*"]),
            iam.PolicyStatement(
                actions=["cloudwatch:PutMetricData"], resources=["*"],
                conditions={"StringLike": {"cloudwatch:namespace": ["/aws/sagemaker/*", "AWS/SageMaker"]}}),
            iam.PolicyStatement(
                actions=["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                resources=[f"arn:{Aws.PARTITION}:ecr:us-east-1:{_way.IMAGE_ACCOUNT}:repository/"
                           f"{_way.IMAGE_REPOSITORY}"]),
            iam.PolicyStatement(actions=["ecr:GetAuthorizationToken"], resources=["*"]),
            iam.PolicyStatement(actions=["s3:GetObject"],
                                resources=[f"arn:{Aws.PARTITION}:s3:::{_way.MODEL_BUCKET}/{_way.MODEL_KEY}"]),
        ])
        model = sagemaker.CfnModel(
            stack, f"Model{i}", execution_role_arn=role.role_arn, enable_network_isolation=True,
            primary_container=sagemaker.CfnModel.ContainerDefinitionProperty(
                image=_way.IMAGE_URI, model_data_url=_way.MODEL_URI),
        )
        model.node.add_dependency(policy)
        key = kms.Key(stack, f"Key{i}", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN)
        config = sagemaker.CfnEndpointConfig(
            stack, f"Config{i}", kms_key_id=key.key_arn,
            production_variants=[sagemaker.CfnEndpointConfig.ProductionVariantProperty(
                variant_name="AllTraffic", model_name=model.attr_model_name, instance_type=_way.INSTANCE_TYPE,
                initial_instance_count=1, initial_variant_weight=1.0)],
        )
        endpoint = sagemaker.CfnEndpoint(stack, f"Endpoint{i}", endpoint_config_name=config.attr_endpoint_config_name)
        target = appscaling.CfnScalableTarget(
            stack, f"ScalableTarget{i}", service_namespace="sagemaker",
            resource_id=f"endpoint/{endpoint.attr_endpoint_name}/variant/AllTraffic",
            scalable_dimension="sagemaker:variant:DesiredInstanceCount",
            min_capacity=_way.MIN_CAPACITY, max_capacity=_way.MAX_CAPACITY,
        )
        appscaling.CfnScalingPolicy(
            stack, f"Scaling{i}", policy_name="AllTraffic-invocations-per-instance",
            policy_type="TargetTrackingScaling", scaling_target_id=target.ref,
            target_tracking_scaling_policy_configuration=(
                appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                    target_value=_way.TARGET_INVOCATIONS,
                    predefined_metric_specification=appscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                        predefined_metric_type="SageMakerVariantInvocationsPerInstance"))),
        )

    return build


if __name__ == "__main__":
    _way.main(_import)
