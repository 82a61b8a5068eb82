"""Fill or refresh the cached "latest Approved version" of a Model Registry group in ``cdk.context.json``, for
:meth:`cdk_sagemaker.ModelPackage.latest_approved`.

    python -m cdk_sagemaker.registry_lookup --group churn --account 222222222222 --region us-east-1

Like the CDK's own context lookups (VPCs, AMIs, hosted zones), the answer is written to ``cdk.context.json`` and
synthesis reads only that file, so a synth never calls AWS, two synths of one commit give one template, and a new
approval reaches a stack as a reviewable change of ``cdk.context.json`` (commit it). Run it with credentials that may
``sagemaker:ListModelPackages`` and ``sagemaker:DescribeModelPackage`` on the group (for a group of another account,
the group's resource policy must allow both, see docs/model-registry.md).

No aws-cdk import: this runs before synthesis (and in the promotion build).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = ["context_key", "latest_approved", "main", "write_context"]

#: The same prefix as ``cdk_sagemaker.constructs.registry.LATEST_APPROVED_CONTEXT_PREFIX`` (kept free of aws-cdk).
_PREFIX = "cdk-sagemaker:latest-approved-model-package"


def context_key(*, account: str, region: str, group_name: str) -> str:
    """The context key the constructs read (``latest_approved_context_key``)."""
    return f"{_PREFIX}:account={account}:region={region}:group={group_name}"


def latest_approved(sagemaker: Any, *, group: str) -> dict[str, Any]:
    """The newest ``Approved`` version of ``group`` (a name, or the group's ARN for another account's registry):
    ARN, version, status and the containers of its inference specification (images and artifact URLs), as cached."""
    listed = sagemaker.list_model_packages(ModelPackageGroupName=group, ModelApprovalStatus="Approved",
                                           SortBy="CreationTime", SortOrder="Descending", MaxResults=1)
    summaries = listed.get("ModelPackageSummaryList", [])
    if not summaries:
        raise LookupError(f"model package group {group!r} has no Approved version")
    arn = summaries[0]["ModelPackageArn"]
    described = sagemaker.describe_model_package(ModelPackageName=arn)
    containers = described.get("InferenceSpecification", {}).get("Containers", [])
    # A model that names InferenceSpecificationName runs that specification's containers instead.
    additional = [{"Name": spec["Name"], "Containers": [_container(c) for c in spec.get("Containers", [])]}
                  for spec in described.get("AdditionalInferenceSpecifications") or [] if spec.get("Name")]
    return {
        "ModelPackageArn": arn,
        "ModelPackageVersion": described.get("ModelPackageVersion"),
        "ModelApprovalStatus": described.get("ModelApprovalStatus"),
        "Containers": [_container(c) for c in containers],
        **({"AdditionalInferenceSpecifications": additional} if additional else {}),
    }


def _container(container: Mapping[str, Any]) -> dict[str, Any]:
    """Image and artifact locations of one container of the inference specification: ``ModelDataUrl``, or the S3
    URIs of ``ModelDataSource`` and ``AdditionalModelDataSources`` (an object, or a prefix ending in ``/``; botocore
    ``ModelPackageContainerDefinition``, ``S3ModelDataSource``) as ``ModelDataSources``."""
    out: dict[str, Any] = {key: container[key] for key in ("Image", "ModelDataUrl") if container.get(key)}
    sources = [container.get("ModelDataSource") or {},
               *(s for s in container.get("AdditionalModelDataSources") or [] if isinstance(s, Mapping))]
    uris = [str(s["S3DataSource"]["S3Uri"]) for s in sources
            if isinstance(s.get("S3DataSource"), Mapping) and s["S3DataSource"].get("S3Uri")]
    if uris:
        out["ModelDataSources"] = uris
    return out


def write_context(path: Path, key: str, value: Mapping[str, Any]) -> bool:
    """Set ``key`` in the context file at ``path`` (created if missing); True when the value changed."""
    current: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    changed = current.get(key) != value
    current[key] = dict(value)
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return changed


def main(argv: Sequence[str] | None = None, *, client: Any = None) -> int:
    """The command line; ``client`` is a SageMaker client to use instead of a new boto3 one (tests)."""
    parser = argparse.ArgumentParser(prog="python -m cdk_sagemaker.registry_lookup", description=__doc__.split("\n")[0])
    parser.add_argument("--group", required=True, help="model package group name")
    parser.add_argument("--account", required=True, help="account that holds the group")
    parser.add_argument("--region", required=True)
    parser.add_argument("--context-file", default="cdk.context.json", type=Path)
    parser.add_argument("--profile", default=None)
    args = parser.parse_args(argv)
    if client is None:
        import boto3

        client = boto3.Session(profile_name=args.profile, region_name=args.region).client("sagemaker")
    # The group's ARN (ListModelPackages takes a name or an ARN): the same call for this and another account.
    partition = "aws-cn" if args.region.startswith("cn-") else "aws-us-gov" if args.region.startswith("us-gov-") \
        else "aws"
    group = f"arn:{partition}:sagemaker:{args.region}:{args.account}:model-package-group/{args.group}"
    try:
        value = latest_approved(client, group=group)
    except LookupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    key = context_key(account=args.account, region=args.region, group_name=args.group)
    changed = write_context(args.context_file, key, value)
    print(f"{'updated' if changed else 'unchanged'}: {key} = {value['ModelPackageArn']}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
