"""Synthesize the "foreign" templates that other CDK libraries produce for our jobs.

The readiness rules (``cdk_sagemaker.rules``) must give correct findings on templates nobody here wrote. Besides the
public CloudFormation samples kept verbatim in ``tests/rules/foreign/`` (see the README there), this script writes
the templates that the two other ways of using SageMaker from the AWS CDK produce for the same jobs:

* the experimental L2 module ``aws_cdk.aws_sagemaker_alpha`` (2.275.0a0), written the way its README shows
  (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-sagemaker-alpha-readme.html): a real-time endpoint with auto
  scaling, a serverless endpoint and a VPC model. The module has no asynchronous inference, so there is no alpha
  async template.
* plain L1 (``aws_cdk.aws_sagemaker.Cfn*`` with ``aws_applicationautoscaling.Cfn*``), written the way the
  CloudFormation resource reference and the SageMaker developer guide show: a real-time endpoint with auto scaling,
  a real-time endpoint with a canary blue/green rollout and a rollback alarm, a serverless endpoint (also with
  auto-scaled provisioned concurrency), a GPU endpoint hosting an inference component, an asynchronous
  endpoint that scales to zero (the policies of "Autoscale an asynchronous endpoint",
  https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-autoscale.html) and a VPC model.
* a batch transform run by Step Functions with ``aws_stepfunctions_tasks.SageMakerCreateTransformJob`` as the
  aws-cdk-lib README shows it, and the Step Functions developer guide's "Train a machine learning model" sample
  project with the state machine role that the same guide's IAM page gives.

Nothing here uses cdk_sagemaker: the point is to see what other people's templates look like to our rules.
The values are the ones the docs use, not fixed up, so that the findings say something about real usage.

Run from the repository root (the templates are committed; re-run only when the CDK version changes):
    PYTHONPATH=$PWD .venv/bin/python tools/foreign_templates.py [OUT_DIR]
"""

from __future__ import annotations

import importlib
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import aws_cdk as cdk
import aws_cdk.aws_sagemaker_alpha as sagemaker_alpha
from aws_cdk import aws_applicationautoscaling as appscaling
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sm
from aws_cdk import aws_sns as sns
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import aws_stepfunctions_tasks as tasks
from constructs import Construct

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "tests" / "rules" / "foreign"

# The XGBoost 1.7-1 image of us-east-1, from "Docker Registry Paths and Example Code"
# (https://docs.aws.amazon.com/sagemaker/latest/dg-ecr-paths/ecr-us-east-1.html#xgboost-us-east-1).
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


# --------------------------------------------------------------------------------------------- alpha (L2)


def _alpha_model(scope: Construct, **kwargs: object) -> sagemaker_alpha.Model:
    """A single-container model as the alpha README's "Single Container Model" and "S3 Model Data" sections."""
    repository = ecr.Repository.from_repository_name(scope, "Repository", "repo")
    image = sagemaker_alpha.ContainerImage.from_ecr_repository(repository, "tag")
    bucket = s3.Bucket(scope, "MyBucket")
    model_data = sagemaker_alpha.ModelData.from_bucket(bucket, "path/to/artifact/file.tar.gz")
    return sagemaker_alpha.Model(
        scope,
        "PrimaryContainerModel",
        containers=[sagemaker_alpha.ContainerDefinition(image=image, model_data=model_data)],
        **kwargs,  # type: ignore[arg-type]
    )


class AlphaRealtimeAutoScaling(cdk.Stack):
    """README "Endpoint Configuration", "Endpoint" and "AutoScaling", on ml.m5.large.

    The README's AutoScaling snippet keeps the default instance type (ml.t2.medium); with it the alpha module itself
    throws "AutoScaling not supported for burstable instance types like ml.t2.medium", so the variant names a type.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        model = _alpha_model(self)
        variant_name = "my-variant"
        endpoint_config = sagemaker_alpha.EndpointConfig(
            self,
            "EndpointConfig",
            instance_production_variants=[
                sagemaker_alpha.InstanceProductionVariantProps(
                    model=model, variant_name=variant_name, instance_type=sagemaker_alpha.InstanceType.M5_LARGE
                )
            ],
        )
        endpoint = sagemaker_alpha.Endpoint(self, "Endpoint", endpoint_config=endpoint_config)
        production_variant = endpoint.find_instance_production_variant(variant_name)
        instance_count = production_variant.auto_scale_instance_count(max_capacity=3)
        instance_count.scale_on_invocations("LimitRPS", max_requests_per_second=30)


class AlphaServerless(cdk.Stack):
    """README "Serverless Inference": 2048 MB, 10 concurrent invocations, 5 provisioned."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        model = _alpha_model(self)
        endpoint_config = sagemaker_alpha.EndpointConfig(
            self,
            "ServerlessEndpointConfig",
            serverless_production_variant=sagemaker_alpha.ServerlessProductionVariantProps(
                model=model,
                variant_name="serverlessVariant",
                max_concurrency=10,
                memory_size_in_mb=2048,
                provisioned_concurrency=5,
            ),
        )
        sagemaker_alpha.Endpoint(self, "Endpoint", endpoint_config=endpoint_config)


class AlphaVpcModel(cdk.Stack):
    """A model in a new VPC (ModelProps ``vpc``: the construct makes a security group and picks private subnets)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        vpc = ec2.Vpc(self, "Vpc")
        model = _alpha_model(self, vpc=vpc)
        endpoint_config = sagemaker_alpha.EndpointConfig(
            self,
            "EndpointConfig",
            instance_production_variants=[
                sagemaker_alpha.InstanceProductionVariantProps(
                    model=model,
                    variant_name="AllTraffic",
                    instance_type=sagemaker_alpha.InstanceType.M5_LARGE,
                )
            ],
        )
        sagemaker_alpha.Endpoint(self, "Endpoint", endpoint_config=endpoint_config)


# --------------------------------------------------------------------------------------------- plain L1


def _l1_role(scope: Construct) -> iam.Role:
    """The execution role most samples use: SageMaker may assume it, with AmazonSageMakerFullAccess attached."""
    return iam.Role(
        scope,
        "ExecutionRole",
        assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSageMakerFullAccess")],
    )


def _l1_model(scope: Construct, role: iam.Role, **kwargs: object) -> sm.CfnModel:
    return sm.CfnModel(
        scope,
        "Model",
        execution_role_arn=role.role_arn,
        primary_container=sm.CfnModel.ContainerDefinitionProperty(
            image=XGBOOST_IMAGE,
            model_data_url="s3://amzn-s3-demo-bucket/xgboost/model.tar.gz",
        ),
        **kwargs,  # type: ignore[arg-type]
    )


def _scalable_target(
    scope: Construct, endpoint: sm.CfnEndpoint, variant: str, min_capacity: int, max_capacity: int
) -> appscaling.CfnScalableTarget:
    """AWS::ApplicationAutoScaling::ScalableTarget for a variant (resource id endpoint/NAME/variant/VARIANT)."""
    target = appscaling.CfnScalableTarget(
        scope,
        "ScalableTarget",
        service_namespace="sagemaker",
        scalable_dimension="sagemaker:variant:DesiredInstanceCount",
        resource_id=cdk.Fn.join("", ["endpoint/", endpoint.attr_endpoint_name, f"/variant/{variant}"]),
        min_capacity=min_capacity,
        max_capacity=max_capacity,
    )
    return target


class L1RealtimeAutoScaling(cdk.Stack):
    """Model, endpoint config (ml.m5.large x 2), endpoint, and target tracking on invocations per instance."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = _l1_role(self)
        model = _l1_model(self, role)
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    model_name=model.attr_model_name,
                    instance_type="ml.m5.large",
                    initial_instance_count=2,
                    initial_variant_weight=1.0,
                )
            ],
        )
        endpoint = sm.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)
        target = _scalable_target(self, endpoint, "AllTraffic", 2, 6)
        appscaling.CfnScalingPolicy(
            self,
            "InvocationsPolicy",
            policy_name="SageMakerVariantInvocationsPerInstance",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.ref,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=70.0,
                predefined_metric_specification=appscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                    predefined_metric_type="SageMakerVariantInvocationsPerInstance"
                ),
                scale_in_cooldown=300,
                scale_out_cooldown=60,
            ),
        )


class L1RealtimeCanary(cdk.Stack):
    """Blue/green with canary traffic shifting and an auto-rollback alarm, as "Use canary traffic shifting" shows.

    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-blue-green-canary.html: a fleet of four, a
    25 % canary, the alarm on the variant's Invocation5XXErrors. The endpoint has a fixed name so that the alarm can
    name it (the alarm's name goes into the endpoint, the endpoint's name into the alarm).
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        endpoint_name = "canary-endpoint"
        role = _l1_role(self)
        model = _l1_model(self, role)
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    model_name=model.attr_model_name,
                    instance_type="ml.m5.xlarge",
                    initial_instance_count=4,
                )
            ],
        )
        alarm = cdk.aws_cloudwatch.CfnAlarm(
            self,
            "Invocation5XXErrors",
            namespace="AWS/SageMaker",
            metric_name="Invocation5XXErrors",
            dimensions=[
                cdk.aws_cloudwatch.CfnAlarm.DimensionProperty(name="EndpointName", value=endpoint_name),
                cdk.aws_cloudwatch.CfnAlarm.DimensionProperty(name="VariantName", value="AllTraffic"),
            ],
            statistic="Sum",
            period=60,
            evaluation_periods=1,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="notBreaching",
        )
        sm.CfnEndpoint(
            self,
            "Endpoint",
            endpoint_name=endpoint_name,
            endpoint_config_name=config.attr_endpoint_config_name,
            deployment_config=sm.CfnEndpoint.DeploymentConfigProperty(
                blue_green_update_policy=sm.CfnEndpoint.BlueGreenUpdatePolicyProperty(
                    traffic_routing_configuration=sm.CfnEndpoint.TrafficRoutingConfigProperty(
                        type="CANARY",
                        canary_size=sm.CfnEndpoint.CapacitySizeProperty(type="CAPACITY_PERCENT", value=25),
                        wait_interval_in_seconds=600,
                    ),
                    termination_wait_in_seconds=600,
                    maximum_execution_timeout_in_seconds=1800,
                ),
                auto_rollback_configuration=sm.CfnEndpoint.AutoRollbackConfigProperty(
                    alarms=[sm.CfnEndpoint.AlarmProperty(alarm_name=alarm.ref)]
                ),
            ),
        )


class L1Serverless(cdk.Stack):
    """A serverless variant: 2048 MB and 20 concurrent invocations."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = _l1_role(self)
        model = _l1_model(self, role)
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    model_name=model.attr_model_name,
                    serverless_config=sm.CfnEndpointConfig.ServerlessConfigProperty(
                        memory_size_in_mb=2048, max_concurrency=20
                    ),
                )
            ],
        )
        sm.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)


class L1ServerlessProvisionedScaling(cdk.Stack):
    """A serverless variant with provisioned concurrency, auto-scaled as "Automatically scale Provisioned Concurrency
    for a serverless endpoint" shows (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-autoscale.html):
    dimension ``sagemaker:variant:DesiredProvisionedConcurrency``, target tracking on
    ``SageMakerVariantProvisionedConcurrencyUtilization``."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = _l1_role(self)
        model = _l1_model(self, role)
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    model_name=model.attr_model_name,
                    serverless_config=sm.CfnEndpointConfig.ServerlessConfigProperty(
                        memory_size_in_mb=4096, max_concurrency=20, provisioned_concurrency=5
                    ),
                )
            ],
        )
        endpoint = sm.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)
        target = appscaling.CfnScalableTarget(
            self,
            "ScalableTarget",
            service_namespace="sagemaker",
            scalable_dimension="sagemaker:variant:DesiredProvisionedConcurrency",
            resource_id=cdk.Fn.join("", ["endpoint/", endpoint.attr_endpoint_name, "/variant/AllTraffic"]),
            min_capacity=1,
            max_capacity=10,
        )
        appscaling.CfnScalingPolicy(
            self,
            "ProvisionedConcurrencyPolicy",
            policy_name="ProvisionedConcurrencyUtilization",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.ref,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=0.5,
                predefined_metric_specification=appscaling.CfnScalingPolicy.PredefinedMetricSpecificationProperty(
                    predefined_metric_type="SageMakerVariantProvisionedConcurrencyUtilization"
                ),
                scale_in_cooldown=300,
                scale_out_cooldown=60,
            ),
        )


class L1InferenceComponents(cdk.Stack):
    """An endpoint that hosts a model as an inference component, as "Deploy models for real-time inference" shows for
    inference components (https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-deploy-models.html):
    the endpoint config carries the execution role, managed instance scaling and least-outstanding-requests routing;
    the component names the model, one GPU and its memory, with one copy. The model is a Hugging Face TGI container
    that downloads ``HF_MODEL_ID`` from the Hub at startup."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = _l1_role(self)
        model = sm.CfnModel(
            self,
            "Model",
            execution_role_arn=role.role_arn,
            primary_container=sm.CfnModel.ContainerDefinitionProperty(
                image="763104351884.dkr.ecr.us-east-1.amazonaws.com/"
                "huggingface-pytorch-tgi-inference:2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04",
                environment={"HF_MODEL_ID": "mistralai/Mistral-7B-Instruct-v0.3", "SM_NUM_GPUS": "1"},
            ),
        )
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            execution_role_arn=role.role_arn,
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    instance_type="ml.g5.12xlarge",
                    initial_instance_count=1,
                    managed_instance_scaling=sm.CfnEndpointConfig.ManagedInstanceScalingProperty(
                        status="ENABLED", min_instance_count=1, max_instance_count=2
                    ),
                    routing_config=sm.CfnEndpointConfig.RoutingConfigProperty(
                        routing_strategy="LEAST_OUTSTANDING_REQUESTS"
                    ),
                )
            ],
        )
        endpoint = sm.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)
        sm.CfnInferenceComponent(
            self,
            "InferenceComponent",
            endpoint_name=endpoint.attr_endpoint_name,
            variant_name="AllTraffic",
            specification=sm.CfnInferenceComponent.InferenceComponentSpecificationProperty(
                model_name=model.attr_model_name,
                startup_parameters=sm.CfnInferenceComponent.InferenceComponentStartupParametersProperty(
                    model_data_download_timeout_in_seconds=3600,
                    container_startup_health_check_timeout_in_seconds=3600,
                ),
                compute_resource_requirements=sm.CfnInferenceComponent.InferenceComponentComputeResourceRequirementsProperty(
                    number_of_accelerator_devices_required=1, min_memory_required_in_mb=1024
                ),
            ),
            runtime_config=sm.CfnInferenceComponent.InferenceComponentRuntimeConfigProperty(copy_count=1),
        )


class L1AsyncScaleToZero(cdk.Stack):
    """An asynchronous endpoint with output in the default SageMaker bucket, SNS notifications and scale to zero.

    "Autoscale an asynchronous endpoint": register the variant with MinCapacity 0, track
    ApproximateBacklogSizePerInstance, and add a step scaling policy on HasBacklogWithoutCapacity so that a request
    arriving at zero instances starts one.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = _l1_role(self)
        model = _l1_model(self, role)
        success = sns.Topic(self, "SuccessTopic")
        error = sns.Topic(self, "ErrorTopic")
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    model_name=model.attr_model_name,
                    instance_type="ml.m5.xlarge",
                    initial_instance_count=1,
                )
            ],
            async_inference_config=sm.CfnEndpointConfig.AsyncInferenceConfigProperty(
                output_config=sm.CfnEndpointConfig.AsyncInferenceOutputConfigProperty(
                    # The SageMaker default bucket, as "Create an asynchronous inference endpoint" uses
                    # (sagemaker.Session().default_bucket()).
                    s3_output_path=f"s3://sagemaker-{self.region}-{self.account}/async-output",
                    notification_config=sm.CfnEndpointConfig.AsyncInferenceNotificationConfigProperty(
                        success_topic=success.topic_arn, error_topic=error.topic_arn
                    ),
                ),
                client_config=sm.CfnEndpointConfig.AsyncInferenceClientConfigProperty(
                    max_concurrent_invocations_per_instance=4
                ),
            ),
        )
        endpoint = sm.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)
        target = _scalable_target(self, endpoint, "AllTraffic", 0, 5)
        appscaling.CfnScalingPolicy(
            self,
            "BacklogPolicy",
            policy_name="Invocations-ScalingPolicy",
            policy_type="TargetTrackingScaling",
            scaling_target_id=target.ref,
            target_tracking_scaling_policy_configuration=appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty(
                target_value=5.0,
                customized_metric_specification=appscaling.CfnScalingPolicy.CustomizedMetricSpecificationProperty(
                    metric_name="ApproximateBacklogSizePerInstance",
                    namespace="AWS/SageMaker",
                    dimensions=[
                        appscaling.CfnScalingPolicy.MetricDimensionProperty(
                            name="EndpointName", value=endpoint.attr_endpoint_name
                        )
                    ],
                    statistic="Average",
                ),
                scale_in_cooldown=600,
                scale_out_cooldown=300,
            ),
        )
        step = appscaling.CfnScalingPolicy(
            self,
            "HasBacklogPolicy",
            policy_name="HasBacklogWithoutCapacity-ScalingPolicy",
            policy_type="StepScaling",
            scaling_target_id=target.ref,
            step_scaling_policy_configuration=appscaling.CfnScalingPolicy.StepScalingPolicyConfigurationProperty(
                adjustment_type="ChangeInCapacity",
                metric_aggregation_type="Average",
                cooldown=300,
                step_adjustments=[
                    appscaling.CfnScalingPolicy.StepAdjustmentProperty(
                        metric_interval_lower_bound=0, scaling_adjustment=1
                    )
                ],
            ),
        )
        cdk.aws_cloudwatch.CfnAlarm(
            self,
            "HasBacklogAlarm",
            metric_name="HasBacklogWithoutCapacity",
            namespace="AWS/SageMaker",
            dimensions=[
                cdk.aws_cloudwatch.CfnAlarm.DimensionProperty(name="EndpointName", value=endpoint.attr_endpoint_name)
            ],
            statistic="Average",
            period=60,
            evaluation_periods=2,
            datapoints_to_alarm=2,
            threshold=1,
            comparison_operator="GreaterThanOrEqualToThreshold",
            treat_missing_data="missing",
            alarm_actions=[step.ref],
        )


class L1VpcModel(cdk.Stack):
    """A model whose containers run in the private subnets of a new VPC (CfnModel ``VpcConfig``)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        vpc = ec2.Vpc(self, "Vpc")
        group = ec2.SecurityGroup(self, "ModelSecurityGroup", vpc=vpc)
        role = _l1_role(self)
        model = _l1_model(
            self,
            role,
            vpc_config=sm.CfnModel.VpcConfigProperty(
                security_group_ids=[group.security_group_id],
                subnets=[subnet.subnet_id for subnet in vpc.private_subnets],
            ),
        )
        config = sm.CfnEndpointConfig(
            self,
            "EndpointConfig",
            production_variants=[
                sm.CfnEndpointConfig.ProductionVariantProperty(
                    variant_name="AllTraffic",
                    model_name=model.attr_model_name,
                    instance_type="ml.m5.large",
                    initial_instance_count=1,
                )
            ],
        )
        sm.CfnEndpoint(self, "Endpoint", endpoint_config_name=config.attr_endpoint_config_name)


class CdkStepFunctionsTransform(cdk.Stack):
    """A batch transform in a state machine, as the aws-stepfunctions-tasks README "Create Transform Job" shows."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        role = _l1_role(self)
        model = _l1_model(self, role)
        task = tasks.SageMakerCreateTransformJob(
            self,
            "Batch Inference",
            transform_job_name="MyTransformJob",
            model_name=model.attr_model_name,
            model_client_options=tasks.ModelClientOptions(
                invocations_max_retries=3, invocations_timeout=cdk.Duration.minutes(5)
            ),
            transform_input=tasks.TransformInput(
                transform_data_source=tasks.TransformDataSource(
                    s3_data_source=tasks.TransformS3DataSource(
                        s3_uri="s3://inputbucket/train", s3_data_type=tasks.S3DataType.S3_PREFIX
                    )
                )
            ),
            transform_output=tasks.TransformOutput(s3_output_path="s3://outputbucket/TransformJobOutputPath"),
            transform_resources=tasks.TransformResources(
                instance_count=1, instance_type=ec2.InstanceType.of(ec2.InstanceClass.M4, ec2.InstanceSize.XLARGE)
            ),
            integration_pattern=sfn.IntegrationPattern.RUN_JOB,
        )
        sfn.StateMachine(self, "StateMachine", definition_body=sfn.DefinitionBody.from_chainable(task))


# The "Train a machine learning model" sample project of the Step Functions developer guide: its state machine
# definition, verbatim but for the two long ARNs named once (awsdocs/aws-step-functions-developer-guide,
# doc_source/sample-train-model.md at f578176d; sample code under MIT-0).
_SAMPLE_SEED_FUNCTION = (
    "arn:aws:lambda:us-west-2:123456789012:function:TrainAndBatchTransform-SeedingFunction-17RNSOTG97HPV"
)
_SAMPLE_SAGEMAKER_ROLE = "arn:aws:iam::123456789012:role/TrainAndBatchTransform-SageMakerAPIExecutionRole-Y9IX3DLF6EUO"
_SFN_SAMPLE_TRAIN_MODEL = {
    "StartAt": "Generate dataset",
    "States": {
        "Generate dataset": {
            "Resource": _SAMPLE_SEED_FUNCTION,
            "Type": "Task",
            "Next": "Train model (XGBoost)",
        },
        "Train model (XGBoost)": {
            "Resource": "arn:aws:states:::sagemaker:createTrainingJob.sync",
            "Parameters": {
                "AlgorithmSpecification": {
                    "TrainingImage": "433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest",
                    "TrainingInputMode": "File",
                },
                "OutputDataConfig": {"S3OutputPath": "s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/models"},
                "StoppingCondition": {"MaxRuntimeInSeconds": 86400},
                "ResourceConfig": {"InstanceCount": 1, "InstanceType": "ml.m4.xlarge", "VolumeSizeInGB": 30},
                "RoleArn": _SAMPLE_SAGEMAKER_ROLE,
                "InputDataConfig": [
                    {
                        "DataSource": {
                            "S3DataSource": {
                                "S3DataDistributionType": "ShardedByS3Key",
                                "S3DataType": "S3Prefix",
                                "S3Uri": "s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/csv/train.csv",
                            }
                        },
                        "ChannelName": "train",
                        "ContentType": "text/csv",
                    }
                ],
                "HyperParameters": {"objective": "reg:logistic", "eval_metric": "rmse", "num_round": "5"},
                "TrainingJobName.$": "$$.Execution.Name",
            },
            "Type": "Task",
            "Next": "Save Model",
        },
        "Save Model": {
            "Parameters": {
                "PrimaryContainer": {
                    "Image": "433757028032.dkr.ecr.us-west-2.amazonaws.com/xgboost:latest",
                    "Environment": {},
                    "ModelDataUrl.$": "$.ModelArtifacts.S3ModelArtifacts",
                },
                "ExecutionRoleArn": _SAMPLE_SAGEMAKER_ROLE,
                "ModelName.$": "$.TrainingJobName",
            },
            "Resource": "arn:aws:states:::sagemaker:createModel",
            "Type": "Task",
            "Next": "Batch transform",
        },
        "Batch transform": {
            "Type": "Task",
            "Resource": "arn:aws:states:::sagemaker:createTransformJob.sync",
            "Parameters": {
                "ModelName.$": "$$.Execution.Name",
                "TransformInput": {
                    "CompressionType": "None",
                    "ContentType": "text/csv",
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": "s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/csv/test.csv",
                        }
                    },
                },
                "TransformOutput": {"S3OutputPath": "s3://trainandbatchtransform-s3bucket-1jn1le6gadwfz/output"},
                "TransformResources": {"InstanceCount": 1, "InstanceType": "ml.m4.xlarge"},
                "TransformJobName.$": "$$.Execution.Name",
            },
            "End": True,
        },
    },
}


class SfnDocsTrainAndTransform(cdk.Stack):
    """The Step Functions sample project "Train a machine learning model" as a template: the definition above and a
    state machine role whose policy is what "IAM policies for Amazon SageMaker AI" in the same guide gives for
    ``createTrainingJob.sync`` and ``createTransformJob.sync`` (static resources; placeholders filled with this
    account, this Region, every job name and the sample's SageMaker role), plus ``lambda:InvokeFunction`` on the
    seeding function and ``sagemaker:CreateModel`` for the "Save Model" state, which that page does not list."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        arn = f"arn:aws:sagemaker:{self.region}:{self.account}"
        events = f"arn:aws:events:{self.region}:{self.account}:rule"
        pass_role = iam.PolicyStatement(
            actions=["iam:PassRole"],
            resources=[_SAMPLE_SAGEMAKER_ROLE],
            conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        )
        document = iam.PolicyDocument(
            statements=[
                # CreateTrainingJob, Run a Job (.sync)
                iam.PolicyStatement(
                    actions=[
                        "sagemaker:CreateTrainingJob",
                        "sagemaker:DescribeTrainingJob",
                        "sagemaker:StopTrainingJob",
                    ],
                    resources=[f"{arn}:training-job/*"],
                ),
                iam.PolicyStatement(actions=["sagemaker:ListTags"], resources=["*"]),
                pass_role,
                iam.PolicyStatement(
                    actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                    resources=[f"{events}/StepFunctionsGetEventsForSageMakerTrainingJobsRule"],
                ),
                # CreateTransformJob, Run a Job (.sync)
                iam.PolicyStatement(
                    actions=[
                        "sagemaker:CreateTransformJob",
                        "sagemaker:DescribeTransformJob",
                        "sagemaker:StopTransformJob",
                    ],
                    resources=[f"{arn}:transform-job/*"],
                ),
                iam.PolicyStatement(
                    actions=["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                    resources=[f"{events}/StepFunctionsGetEventsForSageMakerTransformJobsRule"],
                ),
                # not on that page: the seeding Lambda function and the CreateModel task
                iam.PolicyStatement(
                    actions=["lambda:InvokeFunction"],
                    resources=[_SAMPLE_SEED_FUNCTION],
                ),
                iam.PolicyStatement(actions=["sagemaker:CreateModel"], resources=[f"{arn}:model/*"]),
            ]
        )
        role = iam.Role(
            self,
            "StateMachineRole",
            assumed_by=iam.ServicePrincipal("states.amazonaws.com"),
            inline_policies={"StepFunctionsSageMaker": document},
        )
        sfn.CfnStateMachine(
            self,
            "TrainAndBatchTransform",
            role_arn=role.role_arn,
            definition_string=json.dumps(_SFN_SAMPLE_TRAIN_MODEL, indent=2),
        )


STACKS: dict[str, type[cdk.Stack]] = {
    "cdk-alpha-realtime-autoscaling": AlphaRealtimeAutoScaling,
    "cdk-alpha-serverless": AlphaServerless,
    "cdk-alpha-vpc-model": AlphaVpcModel,
    "cdk-l1-realtime-autoscaling": L1RealtimeAutoScaling,
    "cdk-l1-realtime-canary": L1RealtimeCanary,
    "cdk-l1-serverless": L1Serverless,
    "cdk-l1-serverless-provisioned-scaling": L1ServerlessProvisionedScaling,
    "cdk-l1-inference-components": L1InferenceComponents,
    "cdk-l1-async-scale-to-zero": L1AsyncScaleToZero,
    "cdk-l1-vpc-model": L1VpcModel,
    "cdk-sfn-transform": CdkStepFunctionsTransform,
    "cdk-l1-sfn-docs-train-transform": SfnDocsTrainAndTransform,
}


# ------------------------------------------------------------------- other construct libraries (optional)
#
# Two more CDK libraries that make SageMaker endpoints, written as their READMEs show. They are not dependencies of
# this project, so these stacks are made only when the libraries import; install them into a separate folder first
# (generative-ai-cdk-constructs 0.1.320 needs cdk-nag 2.x, the project uses 3.x, so keep them off the venv):
#     pip install --no-deps --target /tmp/foreign-libs aws-solutions-constructs.aws-lambda-sagemakerendpoint==2.105.0 \
#         aws-solutions-constructs.core==2.105.0 cdklabs.generative-ai-cdk-constructs==0.1.320 "cdk-nag>=2.38.2,<3"
#     PYTHONPATH=$PWD:/tmp/foreign-libs .venv/bin/python tools/foreign_templates.py
# Both are Apache-2.0.


def _solutions_lambda_sagemaker(app: cdk.App, name: str, *, deploy_vpc: bool) -> cdk.Stack:
    """AWS Solutions Constructs ``aws-lambda-sagemakerendpoint`` (README "Pattern Construct Props" example; with
    ``deploy_vpc`` the pattern builds its own VPC of isolated subnets with S3 and SageMaker Runtime endpoints)."""
    from aws_cdk import aws_lambda as lambda_
    from aws_solutions_constructs.aws_lambda_sagemakerendpoint import (  # type: ignore[import-not-found,unused-ignore]
        LambdaToSagemakerEndpoint,
    )

    stack = cdk.Stack(app, name)
    LambdaToSagemakerEndpoint(
        stack,
        "LambdaToSagemakerEndpointPattern",
        model_props=sm.CfnModelProps(
            primary_container=sm.CfnModel.ContainerDefinitionProperty(
                image="382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1",
                model_data_url="s3://amzn-s3-demo-bucket/prefix/model.tar.gz",
            )
        ),
        lambda_function_props=lambda_.FunctionProps(
            runtime=lambda_.Runtime.PYTHON_3_12,
            code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"),
            handler="index.handler",
            timeout=cdk.Duration.minutes(5),
            memory_size=128,
        ),
        deploy_vpc=deploy_vpc,
    )
    return stack


def _genai(app: cdk.App, name: str, kind: str) -> cdk.Stack:
    """cdklabs ``generative-ai-cdk-constructs`` ``sagemaker_deployment``: the three README examples (a custom model
    on Inferentia2 with auto scaling, a Hugging Face TGI model, a JumpStart model)."""
    from cdklabs.generative_ai_cdk_constructs import (  # type: ignore[import-not-found,unused-ignore]
        sagemaker_deployment as sd,
    )

    stack = cdk.Stack(app, name, env=cdk.Environment(region="us-east-1"))  # the constructs need an explicit region
    if kind == "custom":
        sd.CustomSageMakerEndpoint(
            stack,
            "customModel",
            model_id="bgeinf2",
            instance_type=sd.SageMakerInstanceType.ML_INF2_XLARGE,
            container=sd.DeepLearningContainerImage.from_deep_learning_container_image(
                "huggingface-pytorch-inference-neuronx", "1.13.1-transformers4.34.1-neuronx-py310-sdk2.15.0-ubuntu20.04"
            ),
            model_data_url="s3://amzn-s3-demo-bucket/bge/model.tar.gz",
            endpoint_name="testbgebase",
            instance_count=1,
            volume_size_in_gb=100,
            min_capacity=1,
            max_capacity=2,
        )
    elif kind == "huggingface":
        sd.HuggingFaceSageMakerEndpoint(
            stack,
            "Mistral",
            model_id="mistralai/Mistral-7B-Instruct-v0.1",
            instance_type=sd.SageMakerInstanceType.ML_G5_2_XLARGE,
            container=sd.DeepLearningContainerImage.HUGGINGFACE_PYTORCH_TGI_INFERENCE_2_0_1_TGI1_1_0_GPU_PY39_CU118_UBUNTU20_04,
            environment={"SM_NUM_GPUS": "1", "MAX_INPUT_LENGTH": "2048", "MAX_TOTAL_TOKENS": "4096"},
        )
    else:
        sd.JumpStartSageMakerEndpoint(
            stack,
            "LLAMA2",
            endpoint_name="testllamatwo",
            model=sd.JumpStartModel.META_TEXTGENERATION_LLAMA_2_7_B_F_2_0_2,
            accept_eula=True,
            instance_type=sd.SageMakerInstanceType.ML_G5_2_XLARGE,
        )
    return stack


#: name -> (module that must import, factory)
OPTIONAL_STACKS: dict[str, tuple[str, Callable[[cdk.App, str], cdk.Stack]]] = {
    "cdk-solutions-lambda-sagemakerendpoint": (
        "aws_solutions_constructs.aws_lambda_sagemakerendpoint",
        lambda app, name: _solutions_lambda_sagemaker(app, name, deploy_vpc=False),
    ),
    "cdk-solutions-lambda-sagemakerendpoint-vpc": (
        "aws_solutions_constructs.aws_lambda_sagemakerendpoint",
        lambda app, name: _solutions_lambda_sagemaker(app, name, deploy_vpc=True),
    ),
    "cdk-genai-custom-inf2": ("cdklabs.generative_ai_cdk_constructs", lambda app, name: _genai(app, name, "custom")),
    "cdk-genai-huggingface-tgi": (
        "cdklabs.generative_ai_cdk_constructs",
        lambda app, name: _genai(app, name, "huggingface"),
    ),
    "cdk-genai-jumpstart-llama2": ("cdklabs.generative_ai_cdk_constructs", lambda app, name: _genai(app, name, "js")),
}


def available_optional() -> list[str]:
    """The OPTIONAL_STACKS whose library imports here."""
    names = []
    for name, (module, _) in OPTIONAL_STACKS.items():
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        names.append(name)
    return names


def synthesize(out_dir: Path, *, optional: bool = True) -> list[Path]:
    """Synthesize every stack of STACKS (and of OPTIONAL_STACKS whose library imports, unless ``optional`` is false)
    and write ``<name>.template.json`` to out_dir (no metadata, no assets)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as assembly:
        app = cdk.App(
            outdir=assembly,
            analytics_reporting=False,
            context={"aws:cdk:enable-path-metadata": False, "@aws-cdk/core:newStyleStackSynthesis": True},
        )
        for name, stack_class in STACKS.items():
            stack_class(app, name)
        names = list(STACKS)
        for name in available_optional() if optional else []:
            OPTIONAL_STACKS[name][1](app, name)
            names.append(name)
        cloud_assembly = app.synth()
        for name in names:
            template = cloud_assembly.get_stack_by_name(name).template
            path = out_dir / f"{name}.template.json"
            path.write_text(json.dumps(template, indent=1, sort_keys=False) + "\n")
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    for path in synthesize(out_dir):
        print(path)
    missing = sorted(set(OPTIONAL_STACKS) - set(available_optional()))
    if missing:
        print(f"skipped (library not importable, see the comment above OPTIONAL_STACKS): {', '.join(missing)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
