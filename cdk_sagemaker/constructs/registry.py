"""Model versions of the SageMaker Model Registry: :class:`ModelPackage` (what a :class:`~cdk_sagemaker.Model`
deploys with ``model_package=...``) and :class:`ModelPackageGroup` (a registry group with the resource policy that
lets other accounts deploy its versions).

A model built from a package names it on its container (``ModelPackageName``); SageMaker then reads the package's
inference specification (images, model artifacts) and runs them as the model's execution role, so that role needs
read access to the artifacts (S3 and their KMS key) and pull access to the images (ECR), also when they live in the
registry's account ([deploy-xaccount]). The library cannot see into a package at synth time: name its artifacts and
images (``artifacts=``, ``images=``), or let :meth:`ModelPackage.latest_approved` read them from the cached lookup.

Marketplace: AWS Marketplace model packages are unversioned packages in the seller's account and are excluded from
deployment guardrails ([guardrails-exclusions]) and shadow variants; a *versioned* package (``model-package/<group>/
<version>``) is always a Model Registry version, whichever account holds it. For an unversioned package the library
compares accounts; say ``marketplace=True/False`` where it cannot tell.

[deploy-xaccount]: https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-deploy-xaccount.html
[guardrails-exclusions]: https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html
[ram-discover]: https://docs.aws.amazon.com/sagemaker/latest/dg/model-registry-ram-discover.html
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import Annotations, Aws, Stack, Tags, region_info
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct, IConstruct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._jsii import is_unresolved, node_path
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs._s3uri import S3Location, parse_s3_uri, s3_uri_problems
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.network import admit_artifacts
from cdk_sagemaker.errors import Problem, Problems, ValidationError

__all__ = ["LATEST_APPROVED_CONTEXT_PREFIX", "MODEL_PACKAGE_GROUP_TAG", "MODEL_PACKAGE_SOURCE_TAG",
           "MODEL_VERSION_TAG", "ModelPackage", "ModelPackageGroup", "latest_approved_context_key",
           "package_model_problems", "shadow_package_problems", "tag_config_versions", "tag_model_version",
           "version_problems", "version_tags_of_models"]

#: Tag keys that show which model version runs (on the model and on every endpoint config that hosts it).
MODEL_VERSION_TAG = "cdk-sagemaker:model-version"
MODEL_PACKAGE_GROUP_TAG = "cdk-sagemaker:model-package-group"
#: ``registry`` or ``marketplace``: what the package is, as the library took it (the readiness rules read it).
MODEL_PACKAGE_SOURCE_TAG = "cdk-sagemaker:model-package-source"
#: Context keys of the cached "latest Approved version" lookups start with this.
LATEST_APPROVED_CONTEXT_PREFIX = "cdk-sagemaker:latest-approved-model-package"

_ARN = re.compile(r"arn:(?P<partition>[^:]+):sagemaker:(?P<region>[^:]*):(?P<account>[^:]*):model-package/"
                  r"(?P<name>[^/]+)(?:/(?P<version>[^/]+))?")
#: What SageMaker calls on a package for a consumer (the registry account's group policy, [ram-discover]).
CONSUMER_PACKAGE_ACTIONS: tuple[str, ...] = ("sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages")
CONSUMER_GROUP_ACTIONS: tuple[str, ...] = ("sagemaker:DescribeModelPackageGroup",)


def latest_approved_context_key(*, account: str, region: str, group_name: str) -> str:
    """The ``cdk.context.json`` key that caches the latest Approved version of ``group_name``."""
    return f"{LATEST_APPROVED_CONTEXT_PREFIX}:account={account}:region={region}:group={group_name}"


@dataclass(frozen=True, kw_only=True, slots=True)
class ModelPackage:
    """A model package (a model version of the Model Registry, or an AWS Marketplace package) for
    ``Model(scope, id, model_package=...)``. Build one with :meth:`from_arn`, :meth:`from_version` or
    :meth:`latest_approved`.

    ``artifacts``: the S3 URIs of the package's model artifacts (objects, or prefixes ending in ``/``), in any
    account's bucket; the execution role may ``s3:GetObject`` exactly these. ``artifact_key_arn``: the KMS key that
    encrypts them (``kms:Decrypt`` on exactly that key). ``images``: the package's container images (URIs or
    :class:`ContainerImage`); the role may pull exactly these repositories. ``inference_specification_name``: which
    of the package's inference specifications to run (``InferenceSpecificationName``, for a package with additional
    ones). ``marketplace``: whether it is an AWS Marketplace package (see the module docs). Default: no artifact or
    image grants (a warning says so), the package's main inference specification.
    """

    arn: str
    group_name: str | None = None
    version: str | None = None
    artifacts: tuple[str, ...] = ()
    artifact_key_arn: str | None = None
    images: tuple[ContainerImage, ...] = ()
    inference_specification_name: str | None = None
    marketplace: bool | None = None
    #: Where the package came from, for messages (``from_arn``, ``from_version``, ``latest_approved ...``).
    source: str = "from_arn"

    # -- factories ------------------------------------------------------------------------------------------------
    @staticmethod
    def from_arn(arn: str, *, artifacts: Sequence[str] = (), artifact_key_arn: str | None = None,
                 images: Sequence[str | ContainerImage] = (), inference_specification_name: str | None = None,
                 marketplace: bool | None = None) -> ModelPackage:
        """A package by ARN: a version of a registry group (``arn:aws:sagemaker:<region>:<account>:model-package/
        <group>/<version>``), in this account or another (a central registry), or an unversioned package such as an
        AWS Marketplace one (``.../model-package/<name>``). See the class docs for the keywords."""
        match = None if is_unresolved(arn) else _ARN.fullmatch(arn)
        return ModelPackage(arn=arn, group_name=match["name"] if match and match["version"] else None,
                            version=match["version"] if match else None, artifacts=tuple(artifacts),
                            artifact_key_arn=artifact_key_arn, images=_images(images),
                            inference_specification_name=inference_specification_name, marketplace=marketplace)

    @staticmethod
    def from_version(group_name: str, version: int, *, account: str | None = None, region: str | None = None,
                     artifacts: Sequence[str] = (), artifact_key_arn: str | None = None,
                     images: Sequence[str | ContainerImage] = (),
                     inference_specification_name: str | None = None) -> ModelPackage:
        """Version ``version`` of the registry group ``group_name``. Default: the group in the stack's account and
        region (the ARN is written with the pseudo parameters, so the template stays environment-agnostic)."""
        arn = (f"arn:{Aws.PARTITION}:sagemaker:{region or Aws.REGION}:{account or Aws.ACCOUNT_ID}:model-package/"
               f"{group_name}/{version}")
        return ModelPackage(arn=arn, group_name=group_name, version=str(version), artifacts=tuple(artifacts),
                            artifact_key_arn=artifact_key_arn, images=_images(images),
                            inference_specification_name=inference_specification_name, marketplace=False,
                            source="from_version")

    @staticmethod
    def latest_approved(scope: IConstruct, group_name: str, *, account: str | None = None,
                        region: str | None = None, artifact_key_arn: str | None = None,
                        inference_specification_name: str | None = None) -> ModelPackage:
        """The latest ``Approved`` version of ``group_name`` as cached in the app's context (``cdk.context.json``,
        key :func:`latest_approved_context_key`), with its images and artifacts, so that the role is granted exactly
        those. The library never calls AWS while synthesizing: fill or refresh the cache with
        ``python -m cdk_sagemaker.registry_lookup --group <group> --account <account> --region <region>`` and commit
        ``cdk.context.json``; a new approval then shows up as a reviewable diff of that file. Default: the stack's
        account and region, which must then be given explicitly (``env=``), as for every CDK lookup.

        Raises :class:`~cdk_sagemaker.ValidationError` when the environment is not concrete or the cache has no
        entry (the message gives the command)."""
        stack = Stack.of(scope)
        account = account or stack.account
        region = region or stack.region
        path = node_path(scope)
        if is_unresolved(account) or is_unresolved(region):
            raise ValidationError(path, [Problem.of(
                "latest_approved", "needs a concrete account and region (give the stack an env=, or pass account= "
                "and region=), as every context lookup does", group_name)])
        key = latest_approved_context_key(account=account, region=region, group_name=group_name)
        cached = scope.node.try_get_context(key)
        if not isinstance(cached, Mapping) or not isinstance(cached.get("ModelPackageArn"), str):
            raise ValidationError(path, [Problem(
                "latest_approved", f"has no cached lookup for group {group_name!r} ({key}): run `python -m "
                f"cdk_sagemaker.registry_lookup --group {group_name} --account {account} --region {region}` and "
                "commit cdk.context.json")])
        specs = cached.get("Containers", [])
        if inference_specification_name is not None:  # the model runs that specification's containers
            named = {s.get("Name"): s.get("Containers", []) for s in cached.get("AdditionalInferenceSpecifications")
                     or [] if isinstance(s, Mapping)}
            if inference_specification_name not in named:
                raise ValidationError(path, [Problem.of(
                    "inference_specification_name", "must name an additional inference specification of the cached "
                    f"version ({', '.join(sorted(map(str, named))) or 'it has none'}; refresh the lookup if the "
                    "version changed)", inference_specification_name)])
            specs = named[inference_specification_name]
        containers = [c for c in specs if isinstance(c, Mapping)]
        package = ModelPackage.from_arn(
            cached["ModelPackageArn"],
            artifacts=[*(str(c["ModelDataUrl"]) for c in containers if c.get("ModelDataUrl")),
                       *(str(uri) for c in containers for uri in c.get("ModelDataSources") or ())],
            images=[str(c["Image"]) for c in containers if c.get("Image")],
            artifact_key_arn=artifact_key_arn, inference_specification_name=inference_specification_name,
            marketplace=False)
        return ModelPackage(**{**_fields(package), "source": f"latest_approved (context {key})"})

    # -- what the package is ----------------------------------------------------------------------------------------
    @property
    def account(self) -> str | None:
        """The account that holds the package (None when the ARN is a token)."""
        match = None if is_unresolved(self.arn) else _ARN.fullmatch(self.arn)
        return match["account"] if match else None

    def is_marketplace(self, stack_account: str | None) -> bool:
        """True when this is taken for an AWS Marketplace package: as stated with ``marketplace=``; else never for a
        versioned package; else when it lives in another account than ``stack_account`` (both known)."""
        if self.marketplace is not None:
            return self.marketplace
        if self.version is not None or self.account is None:
            return False
        return stack_account is not None and not is_unresolved(stack_account) and self.account != stack_account

    @property
    def version_label(self) -> str:
        """``<group>/<version>`` for a registry version, else the package's name (or ARN)."""
        if self.group_name is not None and self.version is not None:
            return f"{self.group_name}/{self.version}"
        match = None if is_unresolved(self.arn) else _ARN.fullmatch(self.arn)
        return match["name"] if match else self.arn

    # -- validation -------------------------------------------------------------------------------------------------
    def problems(self, scope: IConstruct, param: str = "model_package") -> list[Problem]:
        """What is wrong with the package for a model in ``scope``'s stack: ARN form, partition and region (SageMaker
        resources are regional: a model runs a package of its own region), account, group name, version, artifact
        URIs."""
        found = Problems("")
        stack = Stack.of(scope)
        if self.group_name is not None and not is_unresolved(self.group_name) \
                and not _limits.matches("EntityName", self.group_name):
            found.add(f"{param} group", f"must match {_limits.pattern('EntityName')} (ModelPackageGroupName)",
                      self.group_name)
        if self.version is not None and not is_unresolved(self.version) and not (
                self.version.isdigit() and int(self.version) >= 1):
            found.add(f"{param} version", "must be a whole number of at least 1", self.version)
        if not is_unresolved(self.arn):
            found.extend(self._arn_problems(param, stack))
        for i, uri in enumerate(self.artifacts):
            if not is_unresolved(uri):
                found.extend(Problem.parse(m) for m in s3_uri_problems(f"{param} artifacts[{i}]", uri, shape="Url"))
        for image in self.images:
            found.extend(image.problems())
        if self.artifact_key_arn is not None and not is_unresolved(self.artifact_key_arn) \
                and not re.fullmatch(r"arn:[^:]+:kms:[^:]+:[0-9]{12}:key/\S+", self.artifact_key_arn):
            found.add(f"{param} artifact_key_arn", "must be a KMS key ARN (arn:<partition>:kms:<region>:<account>:"
                      "key/<id>)", self.artifact_key_arn)
        if self.inference_specification_name is not None and not is_unresolved(self.inference_specification_name) \
                and not _limits.matches("InferenceSpecificationName", self.inference_specification_name):
            found.add(f"{param} inference_specification_name",
                      f"must match {_limits.pattern('InferenceSpecificationName')}",
                      self.inference_specification_name)
        return list(found.items)

    def _arn_problems(self, param: str, stack: Stack) -> list[Problem]:
        found = Problems("")
        match = _ARN.fullmatch(self.arn)
        if match is None or not _limits.matches("ModelPackageArn", self.arn):
            found.add(param, "must be a model package ARN (arn:<partition>:sagemaker:<region>:<account>:"
                      "model-package/<group>/<version>)", self.arn)
            return list(found.items)
        if match["version"] is not None and not (match["version"].isdigit() and int(match["version"]) >= 1):
            found.add(f"{param} version", "must be a whole number of at least 1", match["version"])
        if match["version"] is not None and not _limits.matches("EntityName", match["name"]):
            found.add(f"{param} group", f"must match {_limits.pattern('EntityName')} (ModelPackageGroupName)",
                      match["name"])
        stack_region = stack.region
        if not is_unresolved(stack_region):
            if match["region"] != stack_region:
                found.add(f"{param} region", f"must be the stack's region {stack_region!r} (a model can only run a "
                          "package of its own region)", match["region"])
            info = region_info.RegionInfo.get(stack_region)
            expected = info.partition if info is not None else None
            if expected and match["partition"] != expected:
                found.add(f"{param} partition", f"must be the stack's partition {expected!r}", match["partition"])
        if match["version"] is None and self.marketplace is None and is_unresolved(stack.account):
            found.add(param, "is an unversioned package and the stack's account is not known: say whether it is an "
                      "AWS Marketplace package (marketplace=True or False)", self.arn)
        return list(found.items)

    # -- building ---------------------------------------------------------------------------------------------------
    def bind(self, scope: Construct, role_policy: PolicySink) -> sagemaker.CfnModel.ContainerDefinitionProperty:
        """Grant the execution role what SageMaker does with the package as that role (describe it, read its
        artifacts, decrypt them, pull its images) through ``role_policy``; return the container."""
        role_policy.add_to_role_policy(iam.PolicyStatement(actions=["sagemaker:DescribeModelPackage"],
                                                           resources=[self.arn]))
        object_arns: list[str] = []
        for uri in self.artifacts:
            location = _s3_location(uri)
            if location is None or not location.key:
                continue
            resource = f"{location.key}*" if location.key.endswith("/") else location.key
            arn = f"arn:{Aws.PARTITION}:s3:::{location.bucket}/{resource}"
            object_arns.append(arn)
            role_policy.add_to_role_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[arn]))
            acknowledge = getattr(role_policy, "acknowledge_role_grant", None)
            if location.key.endswith("/") and acknowledge is not None:
                acknowledge(arn, "The model package's artifacts are named by prefix: the read grant covers exactly "
                                 "that prefix of the registry's bucket.")
        if self.artifact_key_arn is not None:
            role_policy.add_to_role_policy(iam.PolicyStatement(actions=["kms:Decrypt"],
                                                               resources=[self.artifact_key_arn]))
        for image in self.images:
            image.bind(scope, role_policy)
        admit_artifacts(scope, object_arns)  # a VPC model downloads through the network's S3 gateway endpoint
        return sagemaker.CfnModel.ContainerDefinitionProperty(
            model_package_name=self.arn, inference_specification_name=self.inference_specification_name)

    def tags(self, stack_account: str | None) -> dict[str, str]:
        """The version tags of a model that runs this package."""
        tags = {MODEL_VERSION_TAG: self.version_label,
                MODEL_PACKAGE_SOURCE_TAG: "marketplace" if self.is_marketplace(stack_account) else "registry"}
        if self.group_name is not None:
            tags[MODEL_PACKAGE_GROUP_TAG] = self.group_name
        return tags


def _s3_location(uri: str) -> S3Location | None:
    """Bucket and key of ``s3://bucket/key``, also when the bucket is a token (``bucket.bucket_name``) and the key
    is literal; None when it cannot be told."""
    if not is_unresolved(uri):
        return parse_s3_uri(uri)
    bucket, sep, key = uri.removeprefix("s3://").partition("/")
    if not uri.startswith("s3://") or not sep or is_unresolved(key):
        return None
    return S3Location(bucket, key)


def _images(images: Sequence[str | ContainerImage]) -> tuple[ContainerImage, ...]:
    return tuple(i if isinstance(i, ContainerImage) else ContainerImage.from_uri(i) for i in images)


def _fields(package: ModelPackage) -> dict[str, Any]:
    return {name: getattr(package, name) for name in package.__dataclass_fields__}


def version_tags_of_models(models: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """The version tags of an endpoint config from its ``(variant name, model)`` pairs: the version (and group) of
    the one model, or ``<variant>=<version>`` pairs when variants run different versions. Models without a version
    are left out."""
    labels: list[tuple[str, str, str | None]] = []
    for variant, model in models:
        version = getattr(model, "version", None)
        if isinstance(version, str):
            package = getattr(model, "model_package", None)
            labels.append((variant, version, package.group_name if isinstance(package, ModelPackage) else None))
    if not labels:
        return {}
    versions = {v for _, v, _ in labels}
    tags = {MODEL_VERSION_TAG: labels[0][1] if len(versions) == 1 else " ".join(f"{n}={v}" for n, v, _ in labels)}
    if len(tags[MODEL_VERSION_TAG]) > _TAG_VALUE_MAX:  # a tag value has at most 256 characters (botocore TagValue)
        tags = {MODEL_VERSION_TAG: "per-variant tags", **{f"{MODEL_VERSION_TAG}:{n}": v for n, v, _ in labels}}
    groups = {g for _, _, g in labels}
    if len(groups) == 1 and None not in groups:
        tags[MODEL_PACKAGE_GROUP_TAG] = str(labels[0][2])
    return tags


class ModelPackageGroup(Construct):
    """A Model Registry group (``AWS::SageMaker::ModelPackageGroup``) whose resource policy lets the accounts in
    ``consumer_accounts`` (and whatever :meth:`grant_deploy` adds) find and deploy its versions: describe and list
    the versions, describe the group ([ram-discover]). Their model execution roles must also be allowed on the
    artifacts' bucket and key and on the image repositories by those resources' own policies (docs/model-registry.md).

    Default: no consumers (a resource policy appears with the first one).

    Attributes: ``cfn_model_package_group`` (also ``node.default_child``), ``model_package_group_name``,
    ``model_package_group_arn``, ``resource_policy`` (an ``iam.PolicyDocument``).
    """

    def __init__(self, scope: Construct, id: str, *, model_package_group_name: str, description: str | None = None,
                 consumer_accounts: Sequence[str] = ()) -> None:
        super().__init__(scope, id)
        problems = Problems(node_path(self))
        if not is_unresolved(model_package_group_name) and not _limits.matches("EntityName",
                                                                               model_package_group_name):
            problems.add("model_package_group_name", f"must match {_limits.pattern('EntityName')}",
                         model_package_group_name)
        _, longest = _limits.bounds("EntityDescription")
        if description is not None and not is_unresolved(description) and longest is not None \
                and len(description) > longest:
            problems.add("description", f"must be at most {int(longest)} characters", description)
        for i, account in enumerate(consumer_accounts):
            if not is_unresolved(account) and not re.fullmatch(r"[0-9]{12}", account):
                problems.add(f"consumer_accounts[{i}]", "must be a 12-digit AWS account id", account)
        problems.raise_if_any()
        self.model_package_group_name = model_package_group_name
        stack = Stack.of(self)
        self._group_arn = stack.format_arn(service="sagemaker", resource="model-package-group",
                                           resource_name=model_package_group_name)
        self._versions_arn = stack.format_arn(service="sagemaker", resource="model-package",
                                              resource_name=f"{model_package_group_name}/*")
        self.resource_policy = iam.PolicyDocument()
        self._consumers: list[iam.IPrincipal] = []
        self.cfn_model_package_group = sagemaker.CfnModelPackageGroup(
            self, "Resource", model_package_group_name=model_package_group_name,
            model_package_group_description=description)
        for account in consumer_accounts:
            self.grant_deploy(iam.AccountPrincipal(account))

    @property
    def model_package_group_arn(self) -> str:
        """The group's ARN."""
        return self.cfn_model_package_group.attr_model_package_group_arn

    def grant_deploy(self, principal: iam.IPrincipal) -> None:
        """Let ``principal`` (an account or a role of another account) describe and list the group's versions and
        describe the group, through the group's resource policy. The principal that creates the model (with
        CloudFormation, the consuming account's CloudFormation execution role) describes the package: name that
        role or its account, not only the model's execution role (docs/model-registry.md)."""
        if not self._consumers:
            self.cfn_model_package_group.model_package_group_policy = self.resource_policy
        self._consumers.append(principal)
        self.resource_policy.add_statements(
            iam.PolicyStatement(sid=f"DeployVersions{len(self._consumers)}", principals=[principal],
                                actions=list(CONSUMER_PACKAGE_ACTIONS), resources=[self._versions_arn]),
            iam.PolicyStatement(sid=f"DescribeGroup{len(self._consumers)}", principals=[principal],
                                actions=list(CONSUMER_GROUP_ACTIONS), resources=[self._group_arn]))

    def package(self, version: int, *, artifacts: Sequence[str] = (), artifact_key_arn: str | None = None,
                images: Sequence[str | ContainerImage] = (),
                inference_specification_name: str | None = None) -> ModelPackage:
        """Version ``version`` of this group, for ``Model(model_package=...)`` in any stack of the app."""
        stack = Stack.of(self)
        return ModelPackage.from_version(self.model_package_group_name, version, account=stack.account,
                                         region=stack.region, artifacts=artifacts, artifact_key_arn=artifact_key_arn,
                                         images=images, inference_specification_name=inference_specification_name)


# -- what Model does with a package and a version (kept here so that model.py changes little) ----------------------
def package_model_problems(model: IConstruct, package: ModelPackage, *, given: bool,
                           network_isolation: bool) -> list[Problem]:
    """Problems of ``Model(model_package=package)``: the package's own, containers given as well, and a Marketplace
    package without network isolation (SageMaker runs AWS Marketplace algorithms and model packages only in network
    isolation: https://docs.aws.amazon.com/sagemaker/latest/dg/mkt-algo-model-internet-free.html)."""
    found = Problems("")
    found.extend(package.problems(model))
    if given:
        found.add_message("model_package and image/model_data/environment/containers are exclusive: the package "
                          "brings its containers")
    if not network_isolation and package.is_marketplace(Stack.of(model).account):
        found.add("network_isolation", "must be True for an AWS Marketplace model package (SageMaker runs them "
                  "only in network isolation)", network_isolation)
    if not package.artifacts and not package.images and not package.is_marketplace(Stack.of(model).account):
        Annotations.of(model).add_warning_v2(
            "cdk-sagemaker:model:package-grants",
            f"model_package {package.version_label!r} names no artifacts= or images=: the execution role gets no "
            "S3, KMS or ECR grants for what the package runs, and the endpoint fails to start unless you grant "
            "them (model.grant_principal) or use ModelPackage.latest_approved, which knows them.")
    return list(found.items)


def shadow_package_problems(where: str, model: IConstruct | None) -> list[Problem]:
    """A variant of an endpoint with a shadow variant (production or shadow) must not run an AWS Marketplace model
    package: shadow tests exclude Marketplace containers (SageMaker developer guide, "Shadow tests > Exclusions",
    https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-exclusions.html; readiness rule E9805). A
    registry version, in any account, may be shadow-tested."""
    package = getattr(model, "model_package", None)
    if model is None or not isinstance(package, ModelPackage) or not package.is_marketplace(Stack.of(model).account):
        return []
    return [Problem.of(f"{where}model", "must not run an AWS Marketplace model package on an endpoint with a shadow "
                       "variant (shadow tests exclude Marketplace containers; say marketplace=False if it is a "
                       f"registry package): {package.arn}", node_path(model))]


#: A tag value (SageMaker Tag.Value): at most 256 characters of letters, digits, white space and _ . : / = + - @.
_TAG_VALUE_MAX = 256
_TAG_VALUE = re.compile(r"[\w\s.:/=+\-@]{0,256}")


def version_problems(version: str | None) -> list[Problem]:
    """Problems of ``Model(version=...)``: it becomes a tag value."""
    if version is None or is_unresolved(version) or (version and _TAG_VALUE.fullmatch(version)):
        return []
    return [Problem.of("version", "must be 1-256 letters, digits, spaces and _ . : / = + - @ (a tag value)",
                       version)]


def tag_model_version(resource: IConstruct, package: ModelPackage | None, version: str | None) -> None:
    """Put the version tags on a model: the package's (group, version, source) and an explicit ``version``."""
    tags = package.tags(Stack.of(resource).account) if package is not None else {}
    if version is not None:
        tags[MODEL_VERSION_TAG] = version
    for key, value in tags.items():
        Tags.of(resource).add(key, value)


def tag_config_versions(config: IConstruct, models: Sequence[tuple[str, Any]]) -> None:
    """Put the version tags of the models its variants run on an endpoint config."""
    for key, value in version_tags_of_models(models).items():
        Tags.of(config).add(key, value)
