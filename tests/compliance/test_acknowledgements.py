"""Every cdk-nag acknowledgement in the example app, listed from the synthesized construct tree and compared to a
reviewed list: adding one (or moving one to another resource) makes this test fail until the list is updated."""

from __future__ import annotations

import aws_cdk as cdk

from cdk_sagemaker.app import build_app
from cdk_sagemaker.testing import acknowledgements

_IAM5 = "AwsSolutions::AwsSolutions-IAM5"

#: On the managed policy of every Model whose role the construct creates (constructs/model.py).
_MODEL_POLICY_ACKS = {
    f"{_IAM5}[Resource::*]",
    f"{_IAM5}[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/*]",
}
_MODELS = [
    "CdkSagemakerAsyncNotifications/Model", "CdkSagemakerBatchTransformNightly/Model",
    "CdkSagemakerCanaryRollout/Model", "CdkSagemakerRealtimeAbTest/Challenger", "CdkSagemakerRealtimeAbTest/Champion",
    "CdkSagemakerRealtimeAutoScaling/Model", "CdkSagemakerRealtimeBasic/Model",
    "CdkSagemakerRealtimeInferenceComponents/Churn", "CdkSagemakerRealtimeInferenceComponents/Fraud",
    "CdkSagemakerRealtimeMultiModel/Model", "CdkSagemakerRealtimePipeline/Pipeline",
    "CdkSagemakerRealtimePrivate/Model",
    "CdkSagemakerRealtimeShadow/Candidate", "CdkSagemakerRealtimeShadow/Production",
    "CdkSagemakerServerlessProvisioned/Model",
]

#: On every SecureBucket (constructs/storage.py): access logs are opt-in, replication is a DR decision.
_SECURE_BUCKET_ACKS = {
    "AwsSolutions::AwsSolutions-S1",
    "HIPAA.Security::HIPAA.Security-S3BucketLoggingEnabled",
    "HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled",
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketLoggingEnabled",
    "NIST.800.53.R5::NIST.800.53.R5-S3BucketReplicationEnabled",
}
_BUCKETS = [
    "CdkSagemakerAsyncNotifications/Endpoint/Bucket", "CdkSagemakerBatchTransformNightly/Data",
    "CdkSagemakerRealtimeAbTest/Endpoint/CaptureBucket", "CdkSagemakerRealtimeMultiModel/Models",
    "CdkSagemakerRealtimeShadow/Endpoint/CaptureBucket",
]
_CAPTURE = f"{_IAM5}[Resource::<EndpointCaptureBucket3F5E7811.Arn>/data-capture/*]"
_ASYNC_BUCKET = "arn:<AWS::Partition>:s3:::<EndpointBucket90A68353>"
_BATCH_BUCKET = "arn:<AWS::Partition>:s3:::<Data666C94C7>"

#: (construct path, finding id) of every acknowledgement. Reasons are in the code next to each one and in
#: docs/security.md.
EXPECTED: set[tuple[str, str]] = {
    *((f"{model}/Policy", rule) for model in _MODELS for rule in _MODEL_POLICY_ACKS),
    *((bucket, rule) for bucket in _BUCKETS for rule in _SECURE_BUCKET_ACKS),
    # Async results: SageMaker names each object after the request (constructs/asynchronous.py).
    *(("CdkSagemakerAsyncNotifications/Model/Policy", f"{_IAM5}[Resource::{_ASYNC_BUCKET}/{prefix}/*]")
      for prefix in ("inputs", "outputs", "failures")),
    # Batch transform reads every object under input/ and writes under output/ (constructs/batch_transform.py).
    *(("CdkSagemakerBatchTransformNightly/Model", f"{_IAM5}[Resource::{_BATCH_BUCKET}/{prefix}/*]")
      for prefix in ("input", "output")),
    ("CdkSagemakerBatchTransformNightly/Nightly/Policy", f"{_IAM5}[Resource::*]"),
    ("CdkSagemakerBatchTransformNightly/Nightly/Policy",
     f"{_IAM5}[Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:transform-job/nightly-c8b4d7-*]"),
    # Data capture objects are named after endpoint, variant and hour (constructs/capture.py).
    *((model, _CAPTURE) for model in ("CdkSagemakerRealtimeAbTest/Challenger", "CdkSagemakerRealtimeAbTest/Champion",
                                      "CdkSagemakerRealtimeShadow/Candidate", "CdkSagemakerRealtimeShadow/Production")),
    # A multi-model container reads any artifact under its prefix (constructs/model.py).
    ("CdkSagemakerRealtimeMultiModel/Model", f"{_IAM5}[Resource::<ModelsC55D3500.Arn>/models/*]"),
    # SageMaker attaches the model's network interfaces in the VPC (constructs/model.py, network=).
    ("CdkSagemakerRealtimePrivate/Model/Policy",
     f"{_IAM5}[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*]"),
    # Recorded by aws-cdk-lib itself (not cdk-nag) for the env-agnostic VPC's Fn::GetAZs lookups.
    ("CdkSagemakerRealtimePrivate", "CloudFormation-Validate::W3010"),
    # Serverless Inference takes no KMS key on its endpoint config (constructs/serverless.py).
    *(("CdkSagemakerServerlessProvisioned/Endpoint/Config",
       f"{pack}::{pack}-SageMakerEndpointConfigurationKMSKeyConfigured")
      for pack in ("NIST.800.53.R5", "HIPAA.Security")),
}


def test_acknowledgements_are_the_reviewed_list() -> None:
    found = acknowledgements(build_app(cdk.App()))
    assert {(a.path, a.rule) for a in found} == EXPECTED


def test_every_acknowledgement_is_exact_and_has_a_reason() -> None:
    for ack in acknowledgements(build_app(cdk.App())):
        pack, _, rule = ack.rule.partition("::")
        assert pack and rule, ack
        assert rule.startswith(f"{pack}-") or pack == "CloudFormation-Validate", ack  # never a whole pack
        assert len(ack.reason) >= 40, ack  # a written reason, not a placeholder
