"""SecureBucket: the defaults a security review looks for, and the options that change them."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from cdk_sagemaker import SecureBucket
from cdk_sagemaker.testing import acknowledgements


def test_defaults_retain_version_encrypt_and_require_tls(stack: cdk.Stack) -> None:
    bucket = SecureBucket(stack, "Data")
    t = Template.from_stack(stack)
    t.has_resource("AWS::S3::Bucket", {
        "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
        "Properties": Match.object_like({
            "VersioningConfiguration": {"Status": "Enabled"},
            "PublicAccessBlockConfiguration": {"BlockPublicAcls": True, "BlockPublicPolicy": True,
                                               "IgnorePublicAcls": True, "RestrictPublicBuckets": True},
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [Match.object_like({
                "ServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms",
                    "KMSMasterKeyID": {"Fn::GetAtt": [stack.get_logical_id(bucket.encryption_key.node.default_child),
                                                      "Arn"]}}})]},
        }),
    })
    t.has_resource_properties("AWS::S3::BucketPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})
    t.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    assert "AwsSolutions::AwsSolutions-S1" in {a.rule for a in acknowledgements(stack)}


def test_access_logs_bucket_turns_logging_on_and_drops_the_acknowledgement(stack: cdk.Stack) -> None:
    logs = s3.Bucket.from_bucket_name(stack, "Logs", "central-access-logs")
    SecureBucket(stack, "Data", access_logs_bucket=logs, access_logs_prefix="data/")
    Template.from_stack(stack).has_resource_properties("AWS::S3::Bucket", {
        "LoggingConfiguration": {"DestinationBucketName": "central-access-logs", "LogFilePrefix": "data/"}})
    rules = {a.rule for a in acknowledgements(stack)}
    assert not rules & {"AwsSolutions::AwsSolutions-S1", "NIST.800.53.R5::NIST.800.53.R5-S3BucketLoggingEnabled",
                        "HIPAA.Security::HIPAA.Security-S3BucketLoggingEnabled"}


def test_user_key_and_removal_policy_are_used(stack: cdk.Stack) -> None:
    key = kms.Key(stack, "MyKey", enable_key_rotation=True)
    SecureBucket(stack, "Data", encryption_key=key, removal_policy=cdk.RemovalPolicy.DESTROY)
    t = Template.from_stack(stack)
    t.resource_count_is("AWS::KMS::Key", 1)
    t.has_resource("AWS::S3::Bucket", {"DeletionPolicy": "Delete"})
