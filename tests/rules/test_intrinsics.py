"""Rules read values that may be intrinsics in hand-written templates (a variant name from `!GetAtt`, a metric name from
a parameter): they must skip what they cannot know, never crash (cfn-lint reports a crash as E0002)."""

from __future__ import annotations

from typing import Any

from cdk_sagemaker.rules import run


def _ids(template: dict[str, Any]) -> list[str]:
    return sorted(m.rule.id for m in run(template))


def test_inference_component_rule_skips_intrinsic_variant_names() -> None:
    template = {"Parameters": {"Name": {"Type": "String"}}, "Resources": {
        "Config": {"Type": "AWS::SageMaker::EndpointConfig", "Properties": {"ProductionVariants": [
            {"VariantName": {"Ref": "Name"}, "InstanceType": "ml.g5.2xlarge", "InitialInstanceCount": 1}]}},
        "Endpoint": {"Type": "AWS::SageMaker::Endpoint", "Properties": {
            "EndpointConfigName": {"Fn::GetAtt": ["Config", "EndpointConfigName"]}}},
        "Component": {"Type": "AWS::SageMaker::InferenceComponent", "Properties": {
            "EndpointName": {"Fn::GetAtt": ["Endpoint", "EndpointName"]}, "VariantName": "AllTraffic",
            "Specification": {"ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
            "RuntimeConfig": {"CopyCount": 1}}},
    }}
    assert "E0002" not in _ids(template)
    assert "E9806" not in _ids(template)


def test_metric_rule_skips_intrinsic_metric_names() -> None:
    template = {"Parameters": {"Metric": {"Type": "String"}}, "Resources": {
        "Config": {"Type": "AWS::SageMaker::EndpointConfig", "Properties": {
            "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.xlarge",
                                    "InitialInstanceCount": 1}],
            "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://bucket/out/"}}}},
        "Endpoint": {"Type": "AWS::SageMaker::Endpoint", "Properties": {
            "EndpointConfigName": {"Fn::GetAtt": ["Config", "EndpointConfigName"]}}},
        "Target": {"Type": "AWS::ApplicationAutoScaling::ScalableTarget", "Properties": {
            "MinCapacity": 1, "MaxCapacity": 2, "ServiceNamespace": "sagemaker",
            "ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
            "ResourceId": {"Fn::Join": ["", ["endpoint/", {"Fn::GetAtt": ["Endpoint", "EndpointName"]},
                                             "/variant/AllTraffic"]]}}},
        "Policy": {"Type": "AWS::ApplicationAutoScaling::ScalingPolicy", "Properties": {
            "PolicyName": "backlog", "PolicyType": "TargetTrackingScaling",
            "ScalingTargetId": {"Ref": "Target"},
            "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 5, "CustomizedMetricSpecification": {
                "MetricName": {"Ref": "Metric"}, "Namespace": "AWS/SageMaker", "Statistic": "Average"}}}},
    }}
    assert "E0002" not in _ids(template)
