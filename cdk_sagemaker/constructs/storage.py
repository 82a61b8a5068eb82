"""Buckets that hold model outputs or captured data: retained, versioned, TLS-only, KMS-encrypted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from cdk_sagemaker.constructs._keys import rotation_problem, service_key
from cdk_sagemaker.constructs._nag import acknowledge
from cdk_sagemaker.errors import Problems

__all__ = ["SecureBucket"]


class SecureBucket(s3.Bucket):
    """An S3 bucket for data that must not be lost: retained on stack delete, versioned, public access blocked,
    TLS-only, encrypted with a customer-managed KMS key (rotation on).

    Default: a new key (rotation on; usable by the account only through S3); no server access logging unless
    ``access_logs_bucket`` is given (then logs go there under ``access_logs_prefix``). Access logging stays opt-in:
    regulated accounts send access logs to one central log-archive bucket with its own retention and access
    controls, and a log bucket per data bucket would itself be an unlogged bucket. The cdk-nag logging findings
    are acknowledged on the bucket with that reason when no log bucket is given.

    Attributes (besides :class:`aws_cdk.aws_s3.Bucket`'s): ``encryption_key`` is always the bucket's key (given or
    created), so it is typed ``IKey``, not ``IKey | None``.
    """

    if TYPE_CHECKING:
        # Narrows the type only: s3.Bucket's jsii property already returns the key this bucket is always built with.
        # A Python property override would be registered with jsii as an override, turning every read of
        # encryptionKey on the JavaScript side (grants, notifications, ...) into a callback into Python.
        @property
        def encryption_key(self) -> kms.IKey: ...

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        encryption_key: kms.IKey | None = None,
        access_logs_bucket: s3.IBucket | None = None,
        access_logs_prefix: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.RETAIN,
    ) -> None:
        problems = Problems(f"{scope.node.path}/{id}")
        msg = rotation_problem("encryption_key", encryption_key)
        if msg:
            problems.add_message(msg)
        problems.raise_if_any()
        key = encryption_key or service_key(scope, f"{id}Key", via_services=("s3",),
                                            description=f"Encrypts the objects of bucket {scope.node.path}/{id}")
        super().__init__(
            scope, id,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            versioned=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=removal_policy,
            server_access_logs_bucket=access_logs_bucket,
            server_access_logs_prefix=access_logs_prefix,
        )
        for pack in ("NIST.800.53.R5", "HIPAA.Security"):
            acknowledge(self, f"{pack}-S3BucketReplicationEnabled",
                        "Cross-region replication needs a destination bucket (and key) in another region, a decision "
                        "of the account's disaster-recovery setup; the bucket is versioned and retained so data "
                        "survives deletes and stack removal.")
        if access_logs_bucket is None:
            acknowledge(self, "AwsSolutions-S1",
                        "Server access logging is opt-in (access_logs_bucket=...): a log bucket needs its own "
                        "lifecycle and retention decisions that belong to the account's logging setup.")
            acknowledge(self, "NIST.800.53.R5-S3BucketLoggingEnabled",
                        "Server access logging is opt-in (access_logs_bucket=...), as for AwsSolutions-S1: the "
                        "account's central log-archive bucket is the place for access logs.")
            acknowledge(self, "HIPAA.Security-S3BucketLoggingEnabled",
                        "Server access logging is opt-in (access_logs_bucket=...), as for AwsSolutions-S1: the "
                        "account's central log-archive bucket is the place for access logs.")
