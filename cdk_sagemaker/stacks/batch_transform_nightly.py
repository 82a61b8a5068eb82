"""Example: a nightly batch transform over a secure bucket, each input record joined with its prediction."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_events as events
from constructs import Construct

from cdk_sagemaker.constructs.batch_options import BatchInput, BatchOutput, BatchResources, DataProcessing
from cdk_sagemaker.constructs.batch_transform import BatchTransform
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.constructs.storage import SecureBucket
from cdk_sagemaker.stacks._common import example_image, example_model_data

__all__ = ["BatchTransformNightlyStack"]


class BatchTransformNightlyStack(Stack):
    """Every night at 02:00 UTC, the prebuilt XGBoost model scores the CSV files under ``input/`` of a retained,
    versioned, KMS-encrypted bucket and writes each record with its score under ``output/``. No endpoint runs
    between jobs; a failed run notifies the construct's SNS topic."""

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, description="cdk-sagemaker example: a nightly batch transform", **kwargs)
        self.bucket = SecureBucket(self, "Data")
        model = Model(self, "Model", image=example_image(), model_data=example_model_data())
        self.transform = BatchTransform(
            self, "Nightly",
            model=model,
            instance_type="ml.m5.xlarge",
            input_s3_uri=self.bucket.s3_url_for_object("input/"),
            output_s3_uri=self.bucket.s3_url_for_object("output/"),
            schedule=events.Schedule.cron(minute="0", hour="2"),
            input=BatchInput(content_type="text/csv", split_type="Line"),
            output=BatchOutput(accept="text/csv", assemble_with="Line", kms_key=self.bucket.encryption_key),
            resources=BatchResources(batch_strategy="MultiRecord"),
            data_processing=DataProcessing(input_filter="$[1:]", output_filter="$[0,-1]"),
            data_keys=[self.bucket.encryption_key],
        )
        CfnOutput(self, "BucketName", value=self.bucket.bucket_name)
        CfnOutput(self, "InputUri", value=self.bucket.s3_url_for_object("input/"))
        CfnOutput(self, "OutputUri", value=self.bucket.s3_url_for_object("output/"))
        CfnOutput(self, "StateMachineArn", value=self.transform.state_machine_arn)
        CfnOutput(self, "FailureTopicArn", value=self.transform.topic.topic_arn)
