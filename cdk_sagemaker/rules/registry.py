"""Readiness rules 9950-9969: models that run Model Registry versions and AWS Marketplace model packages
(``ModelPackageName`` on a container)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._rule import EachRule
from cdk_sagemaker.rules._template import (
    Container,
    Template,
    containers,
    find_string,
    is_marketplace,
    props,
    resources,
    role_allows,
    role_of_model,
    role_visible,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "registry"]
_CONTAINER_API = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html"
_PACKAGE_ARN = re.compile(r"arn:(?P<partition>[^:*]+):sagemaker:(?P<region>[^:*]+):[^:]*:model-package/.+")


def _partition_of(region: str) -> str:
    """The partition a region belongs to (the regions cfn-lint lints for)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


class _EachPackageContainer(EachRule):
    """The rules of this module look at one container of one ``AWS::SageMaker::Model`` at a time."""

    regions: tuple[str, ...] = ()

    def match(self, cfn: Any) -> list[RuleMatch]:
        self.regions = tuple(getattr(cfn, "regions", ()) or ())
        return super().match(cfn)

    def each(self, t: Template) -> Iterator[tuple[Any, ...]]:
        for name, model in resources(t, "AWS::SageMaker::Model"):
            for c in containers(name, model):
                yield name, model, c


class PackageInAnotherRegion(_EachPackageContainer, CloudFormationLintRule):
    """A model runs a model package of its own Region and partition: SageMaker resources are regional, and
    ``CreateModel`` looks ``ModelPackageName`` up in the Region it is called in, so a package ARN of another Region
    or partition fails the model's creation ("model package not found"). Copy the version into this Region's
    registry (or deploy the stack where the registry is). Source: ContainerDefinition ``ModelPackageName``,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html, and "Deploy a model
    version from a different account" (same Region),
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy-xaccount.html."""

    id = "E9950"
    shortdesc = "Model package of another Region or partition"
    description = "A container's ModelPackageName ARN names a Region or partition other than the stack's"
    source_url = _CONTAINER_API
    tags = _TAGS

    def check(self, t: Template, name: str, model: Any, c: Container) -> Iterator[RuleMatch]:
        match = _PACKAGE_ARN.fullmatch(find_string(t, c.definition.get("ModelPackageName")))
        if match is None or not self.regions:
            return
        for region in self.regions:
            wrong = ("Region", match["region"]) if match["region"] != region else \
                ("partition", match["partition"]) if match["partition"] != _partition_of(region) else None
            if wrong is not None:
                yield RuleMatch([*c.path, "ModelPackageName"],
                                f"Model {name}: ModelPackageName is a package of {wrong[0]} {wrong[1]!r}, but the "
                                f"stack deploys to {region}; a model can only run a package of its own Region")
                return


class PackageAndImage(_EachPackageContainer, CloudFormationLintRule):
    """A container runs either an image (``Image``, with ``ModelDataUrl``) or a model package (``ModelPackageName``,
    whose inference specification names the images and artifacts); SageMaker refuses a container definition with
    both. Source: ContainerDefinition, https://docs.aws.amazon.com/sagemaker/latest/APIReference/
    API_ContainerDefinition.html ("ModelPackageName: the model package to use to create the model"; a package
    brings its own containers), and "Deploy a model version from the registry",
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy.html."""

    id = "E9951"
    shortdesc = "Container with both ModelPackageName and Image"
    description = "A container names both a model package and an image"
    source_url = _CONTAINER_API
    tags = _TAGS

    def check(self, t: Template, name: str, model: Any, c: Container) -> Iterator[RuleMatch]:
        if c.definition.get("ModelPackageName") is not None and c.definition.get("Image") is not None:
            yield RuleMatch([*c.path, "Image"],
                            f"Model {name}: the container names both ModelPackageName and Image; a model package "
                            "brings its images and artifacts: remove Image (and ModelDataUrl), or the package")


class MarketplacePackageWithoutIsolation(_EachPackageContainer, CloudFormationLintRule):
    """SageMaker runs algorithms and model packages from AWS Marketplace only in network isolation: a model of a
    Marketplace package needs ``EnableNetworkIsolation: true``. Marketplace here means the model's
    ``cdk-sagemaker:model-package-source`` tag says ``marketplace`` (``Model(model_package=...)`` writes it) or the
    package ARN names ``aws-marketplace``; a versioned package (``model-package/<group>/<version>``) is a Model
    Registry version and never taken for one. Source: "Run training and inference containers in internet-free
    mode", https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html."""

    id = "E9952"
    shortdesc = "AWS Marketplace model package without network isolation"
    description = "A model of an AWS Marketplace package must set EnableNetworkIsolation"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html"
    tags = _TAGS

    def check(self, t: Template, name: str, model: Any, c: Container) -> Iterator[RuleMatch]:
        if is_marketplace(t, c) and props(model).get("EnableNetworkIsolation") not in (True, "true"):
            yield RuleMatch(["Resources", name, "Properties", "EnableNetworkIsolation"],
                            f"Model {name}: runs an AWS Marketplace model package without EnableNetworkIsolation; "
                            "SageMaker runs Marketplace packages only in network isolation: set it to true")


class PackageGroupInsteadOfVersion(_EachPackageContainer, CloudFormationLintRule):
    """``ModelPackageName`` names one model package: a version of a group (``model-package/<group>/<version>``) or
    an unversioned package, never a model package group (``model-package-group/<group>``): SageMaker has no "latest
    version" reference, so ``CreateModel`` fails. Pin the version (the promotion flow fills it in, see
    docs/model-registry.md). Source: ContainerDefinition ``ModelPackageName`` (pattern
    ``VersionedArnOrName``), https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html."""

    id = "E9953"
    shortdesc = "ModelPackageName names a model package group"
    description = "A container's ModelPackageName is a model package group ARN instead of a version"
    source_url = _CONTAINER_API
    tags = _TAGS

    def check(self, t: Template, name: str, model: Any, c: Container) -> Iterator[RuleMatch]:
        text = find_string(t, c.definition.get("ModelPackageName"))
        if ":model-package-group/" in text:
            yield RuleMatch([*c.path, "ModelPackageName"],
                            f"Model {name}: ModelPackageName {text!r} is a model package group; name a version "
                            "(arn:...:model-package/<group>/<version>)")


class InferenceSpecificationWithoutPackage(_EachPackageContainer, CloudFormationLintRule):
    """``InferenceSpecificationName`` picks one of a model package's inference specifications; on a container
    without ``ModelPackageName`` it selects nothing, which usually means the package was meant to be named and the
    container runs something else. Source: ContainerDefinition ``InferenceSpecificationName`` ("the inference
    specification name in the model package version"),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ContainerDefinition.html."""

    id = "W9954"
    shortdesc = "InferenceSpecificationName without ModelPackageName"
    description = "A container names an inference specification but no model package"
    source_url = _CONTAINER_API
    tags = _TAGS

    def check(self, t: Template, name: str, model: Any, c: Container) -> Iterator[RuleMatch]:
        if c.definition.get("InferenceSpecificationName") is not None and \
                c.definition.get("ModelPackageName") is None:
            yield RuleMatch([*c.path, "InferenceSpecificationName"],
                            f"Model {name}: InferenceSpecificationName without ModelPackageName selects nothing; "
                            "name the package, or remove it")


class PackageRoleCannotPullImages(_EachPackageContainer, CloudFormationLintRule):
    """SageMaker pulls a model package's images as the model's execution role, also when they are in the registry's
    account: a role that may not ``ecr:BatchGetImage`` and ``ecr:GetDownloadUrlForLayer`` anything cannot start the
    package's containers, and the endpoint fails after CloudFormation has created the model. Checked only when every
    policy of the role is in the template (an AWS-managed policy may allow it). Not for an AWS Marketplace package,
    whose images and artifacts live in AWS Marketplace's accounts, out of the buyer's reach ("Creating model package
    images", https://docs.aws.amazon.com/marketplace/latest/userguide/ml-model-package-images.html). Source: "Deploy
    a model version from a different account" (the role needs ECR access to the images),
    https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy-xaccount.html, and "How to use SageMaker AI
    execution roles", https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html."""

    id = "W9955"
    shortdesc = "Model package whose execution role cannot pull images"
    description = "A model runs a model package but its execution role has no ECR pull permission"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy-xaccount.html"
    tags = _TAGS
    _PULL = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer")

    def check(self, t: Template, name: str, model: Any, c: Container) -> Iterator[RuleMatch]:
        if c.definition.get("ModelPackageName") is None or is_marketplace(t, c):
            return
        role_id = role_of_model(t, model)
        if role_id is None or not role_visible(t, role_id):
            return
        missing = [a for a in self._PULL if not role_allows(t, role_id, a)]
        if missing:
            yield RuleMatch(["Resources", name, "Properties", "ExecutionRoleArn"],
                            f"Model {name}: runs a model package, but its execution role {role_id} may not "
                            f"{' or '.join(missing)} on any repository; SageMaker pulls the package's images as "
                            "that role: grant them on the package's image repositories")
