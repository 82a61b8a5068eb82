"""Workaround: model packages a template's models run, which a fresh local AWS does not have, registered first.

Behaviour worked around: a model built from a Model Registry version (``ModelPackageName`` on a container) needs
that version to exist, but a local AWS starts with an empty registry (and moto 5.2.5's CloudFormation creates the
model without checking the package at all, so the gap would go unnoticed). Before the stack is created the engine
looks each literal package ARN of this account and Region up (``DescribeModelPackage``) and, when it is missing,
creates the group and registers versions up to the one named (moto numbers versions 1, 2, ... as SageMaker does),
``Approved``, with a stand-in image; the deploy report lists each as emulated. A package of another account or
Region cannot be made locally and is reported as not emulated. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_creates_a_model_from_a_package_it_does_not_have``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from cdk_sagemaker.local.report import Emulated, Unemulated
from cdk_sagemaker.local.resolver import Resolver, UnresolvableError
from cdk_sagemaker.local.workarounds.base import ClientFor

_ARN = re.compile(r"arn:[^:]+:sagemaker:(?P<region>[^:]+):(?P<account>[0-9]{12}):model-package/"
                  r"(?P<name>[^/]+)(?:/(?P<version>[0-9]+))?")
PACKAGE_TYPE = "AWS::SageMaker::ModelPackage"


def _stand_in_specification(account: str, region: str) -> dict[str, Any]:
    image = f"{account}.dkr.ecr.{region}.amazonaws.com/cdk-sagemaker-local-stand-in:latest"
    return {"Containers": [{"Image": image}], "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"]}


def _unresolved(name: str) -> Any:
    raise UnresolvableError(name)


def package_arns(template: Mapping[str, Any], pseudo: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(model logical id, package ARN)`` for every container whose ``ModelPackageName`` resolves from literals,
    parameters' defaults and pseudo parameters alone."""
    defaults = {k: str(v["Default"]) for k, v in template.get("Parameters", {}).items()
                if isinstance(v, Mapping) and "Default" in v}
    resolver = Resolver(template, parameters=defaults, pseudo=pseudo, ref=_unresolved,
                        get_att=lambda lid, attr: _unresolved(f"{lid}.{attr}"))
    found: list[tuple[str, str]] = []
    for lid, body in template.get("Resources", {}).items():
        props = body.get("Properties") if isinstance(body, Mapping) else None
        if body.get("Type") != "AWS::SageMaker::Model" or not isinstance(props, Mapping):
            continue
        listed = [props["PrimaryContainer"]] if isinstance(props.get("PrimaryContainer"), Mapping) else \
            [c for c in props.get("Containers", []) if isinstance(c, Mapping)]
        for container in listed:
            if "ModelPackageName" not in container:
                continue
            try:
                value = resolver.resolve(container["ModelPackageName"])
            except UnresolvableError:
                continue
            if isinstance(value, str):
                found.append((lid, value))
    return found


def register_missing_packages(template: Mapping[str, Any], client_for: ClientFor, *, account: str, region: str,
                              pseudo: Mapping[str, Any]) -> tuple[list[Emulated], list[Unemulated]]:
    """Register the model packages the template's models run and the local AWS lacks; what was made (emulated)
    and what could not be (not emulated)."""
    sagemaker = client_for("sagemaker")
    made: list[Emulated] = []
    missing: list[Unemulated] = []
    for model_id, arn in package_arns(template, pseudo):
        where = f"{model_id}.ModelPackageName"
        match = _ARN.fullmatch(arn)
        if match is None:
            continue
        try:
            sagemaker.describe_model_package(ModelPackageName=arn)
            continue
        except ClientError:
            pass
        if (match["account"], match["region"]) != (account, region):
            missing.append(Unemulated(logical_id=where, type=PACKAGE_TYPE, reason=(
                f"the package {arn} is in account {match['account']} / {match['region']}; the local AWS is account "
                f"{account} / {region} and cannot hold it: the model is created without it")))
            continue
        spec = _stand_in_specification(account, region)
        if match["version"] is None:
            sagemaker.create_model_package(ModelPackageName=match["name"], InferenceSpecification=spec)
            made.append(Emulated(logical_id=where, type=PACKAGE_TYPE, physical_id=arn,
                                 api="sagemaker:CreateModelPackage (a package the local AWS lacked)"))
            continue
        group, version = match["name"], int(match["version"])
        apis = []
        try:
            sagemaker.describe_model_package_group(ModelPackageGroupName=group)
        except ClientError:
            sagemaker.create_model_package_group(ModelPackageGroupName=group,
                                                 ModelPackageGroupDescription="Created by cdk-sagemaker's local "
                                                                              "deploy for a model that runs it")
            apis.append("CreateModelPackageGroup")
        existing = sagemaker.list_model_packages(ModelPackageGroupName=group, MaxResults=100)
        count = len(existing.get("ModelPackageSummaryList", []))
        for _ in range(count, version):
            sagemaker.create_model_package(ModelPackageGroupName=group, InferenceSpecification=spec,
                                           ModelApprovalStatus="Approved")
        apis.append(f"CreateModelPackage x{version - count}")
        made.append(Emulated(logical_id=where, type=PACKAGE_TYPE, physical_id=arn,
                             api=f"sagemaker:{'+'.join(apis)} (group {group} and version {version}, which the local "
                                 "AWS lacked, with a stand-in image)"))
    return made, missing
