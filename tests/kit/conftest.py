"""Kit tests: plain CDK stacks (no cdk-sagemaker constructs), and pytest runs of users' test files."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import aws_cdk as cdk
import cdk_nag  # noqa: F401
import cfnlint.api
import cfnlint.core  # noqa: F401
import pytest
from aws_cdk import aws_s3 as s3

# Imported here, before any in-process pytester run: pytester removes modules first imported during a run, and
# cfn-lint imported a second time in one process fails to parse any template (E0000 "could not determine a
# constructor for the tag None").

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = "cdk_sagemaker.testing.plugin"



def plugin_args() -> list[str]:
    """``-p`` for the plugin unless the installed package already registers it (loading it twice is an error)."""
    installed = importlib.metadata.entry_points(group="pytest11", name="cdk_sagemaker")
    return [] if installed else ["-p", PLUGIN]


#: As in a ``cdk init`` app's cdk.json: access logs are allowed by a bucket policy, not the legacy ACL (cfn-lint W3045).
MODERN = {"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True}


def plain_stack(id: str = "Plain") -> cdk.Stack:
    """A stack in a fresh app with today's S3 feature flag."""
    return cdk.Stack(cdk.App(context=MODERN), id)


def compliant_bucket(scope: cdk.Stack, id: str = "Data") -> s3.Bucket:
    """A bucket AwsSolutions accepts: TLS-only and access logs (into itself)."""
    return s3.Bucket(scope, id, enforce_ssl=True, server_access_logs_prefix="access-logs/")


@pytest.fixture
def kit_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Child pytest processes import this worktree's cdk_sagemaker (not another installed copy)."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
