"""Container images for SageMaker models: a URI, an ECR repository, a local Docker build, or a prebuilt AWS image."""

from __future__ import annotations

import abc
import hashlib
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from aws_cdk import Aws, CfnMapping, Fn, Stack
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs import _catalogue, _jsii
from cdk_sagemaker.constructs._jsii import is_unresolved, partition, unique_child_id
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.errors import Problem, Problems, ValidationError

if TYPE_CHECKING:  # annotations only: importing aws_lambda costs ~40 ms that most apps never need
    from aws_cdk import aws_lambda as lambda_

__all__ = ["ContainerImage", "PrivateRegistryImage"]

_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
_ECR_URI = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr(-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(\.cn)?/"
    r"(?P<repo>[a-z0-9][a-z0-9._/-]*)(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})?$"
)


def _token_statement() -> iam.PolicyStatement:
    # ecr:GetAuthorizationToken has no resource-level permissions: "*" is the only valid resource.
    return iam.PolicyStatement(actions=["ecr:GetAuthorizationToken"], resources=["*"])


def _pull_statement(repository_arn: str) -> iam.PolicyStatement:
    return iam.PolicyStatement(actions=_PULL_ACTIONS, resources=[repository_arn])


class ContainerImage(abc.ABC):
    """The inference container a :class:`~cdk_sagemaker.Model` runs.

    Use a factory: :meth:`from_uri`, :meth:`from_ecr_repository`, :meth:`from_asset` or :meth:`from_prebuilt`.
    Binding grants the model's execution role pull access to exactly the image's repository.
    """

    @staticmethod
    def from_uri(uri: str) -> ContainerImage:
        """An image by URI. ECR URIs get a pull grant on their repository; other registries get none."""
        return _UriImage(uri)

    @staticmethod
    def from_ecr_repository(repository: ecr.IRepository, tag_or_digest: str = "latest") -> ContainerImage:
        """An image in an ECR repository, by tag or ``sha256:`` digest. Default: ``latest``."""
        return _RepositoryImage(repository, tag_or_digest)

    @staticmethod
    def from_asset(directory: str, *, file: str | None = None, build_args: Mapping[str, str] | None = None,
                   platform: ecr_assets.Platform | None = None) -> ContainerImage:
        """An image built from a local Dockerfile at synth/deploy time and pushed to the bootstrap repository.

        Default: ``file`` is ``Dockerfile`` in ``directory``; ``platform`` is the builder's default.
        """
        return _AssetImage(directory, file=file, build_args=dict(build_args or {}), platform=platform)

    @staticmethod
    def from_prebuilt(framework: str, version: str, *, processor: str | None = None,
                      py_version: str | None = None, base_framework_version: str | None = None) -> ContainerImage:
        """A SageMaker prebuilt inference image (``xgboost 1.7-1``, ``pytorch 2.1``...), in whatever region the stack
        deploys to. The registry account per region comes from data shipped with this package (generated from the
        SageMaker SDK's own catalogue); env-agnostic stacks get a ``CfnMapping``. Unknown frameworks, versions,
        processors or Python versions are rejected with the values that exist.

        Default: the CPU image (or the only processor the image has), the newest Python version the image offers;
        ``base_framework_version`` (Hugging Face only) the newest PyTorch base.
        """
        return _PrebuiltImage(framework, version, processor=processor, py_version=py_version,
                              base_framework_version=base_framework_version)

    @staticmethod
    def from_private_registry(uri: str, *, credentials_provider: lambda_.IFunction | None = None) -> ContainerImage:
        """An image in a private Docker registry reachable from the model's VPC (``ImageConfig`` with
        ``RepositoryAccessMode: Vpc``); ``credentials_provider`` is the Lambda function that returns the registry's
        credentials (the model's role may invoke exactly it). See
        :class:`PrivateRegistryImage`. Default: an anonymous registry."""
        return PrivateRegistryImage(uri, credentials_provider=credentials_provider)

    @abc.abstractmethod
    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        """Create what the image needs under ``scope``, grant pull access through ``role_policy``; return the URI."""

    def problems(self) -> list[Problem]:
        """Problems with the image's own input (the model that uses it reports them with its own)."""
        return []

    @property
    def accelerator(self) -> str | None:
        """The accelerator the image is built for (``"gpu"``, ``"neuron"``) when known, else None (a CPU image, or
        an image this library cannot see into). Endpoints reject a GPU or Neuron image on an instance type without
        that accelerator, and on serverless endpoints."""
        return None

    def describe(self) -> str:
        """A short description for error messages."""
        return type(self).__name__

    @property
    def is_triton(self) -> bool:
        """True when the image is NVIDIA Triton Inference Server (the only container SageMaker supports for
        multi-model endpoints on GPU instances)."""
        return False


class _UriImage(ContainerImage):
    def __init__(self, uri: str) -> None:
        self.uri = uri

    def problems(self) -> list[Problem]:
        if is_unresolved(self.uri) or _limits.matches("ContainerImage", self.uri):
            return []
        lo, hi = _limits.bounds("ContainerImage")
        return [Problem.of("image", "must be a non-empty image URI with no white space, of length "
                           f"{_limits.range_text(lo, hi)}", self.uri)]

    @property
    def is_triton(self) -> bool:
        return not is_unresolved(self.uri) and "tritonserver" in self.uri

    def describe(self) -> str:
        return self.uri if not is_unresolved(self.uri) else "an image URI"

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        match = None if is_unresolved(self.uri) else _ECR_URI.match(self.uri)
        if match:
            # The same ARN Stack.format_arn builds, without its two round trips to the jsii process.
            arn = f"arn:{partition()}:ecr:{match['region']}:{match['account']}:repository/{match['repo']}"
            role_policy.add_to_role_policy(_pull_statement(arn))
            role_policy.add_to_role_policy(_token_statement())
        return self.uri


class _RepositoryImage(ContainerImage):
    def __init__(self, repository: ecr.IRepository, tag_or_digest: str) -> None:
        self.repository = repository
        self.tag_or_digest = tag_or_digest

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        role_policy.add_to_role_policy(_pull_statement(self.repository.repository_arn))
        role_policy.add_to_role_policy(_token_statement())
        return self.repository.repository_uri_for_tag_or_digest(self.tag_or_digest)


class _AssetImage(ContainerImage):
    def __init__(self, directory: str, *, file: str | None, build_args: dict[str, str],
                 platform: ecr_assets.Platform | None) -> None:
        self.directory = directory
        self.file = file
        self.build_args = build_args
        self.platform = platform

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        asset = ecr_assets.DockerImageAsset(scope, unique_child_id(scope, "ImageAsset"), directory=self.directory,
                                            file=self.file, build_args=self.build_args or None,
                                            platform=self.platform)
        role_policy.add_to_role_policy(_pull_statement(asset.repository.repository_arn))
        role_policy.add_to_role_policy(_token_statement())
        return asset.image_uri


class _PrebuiltImage(ContainerImage):
    def __init__(self, framework: str, version: str, *, processor: str | None, py_version: str | None,
                 base_framework_version: str | None) -> None:
        self.framework = framework
        self.version = version
        self.processor = processor
        self.py_version = py_version
        self.base_framework_version = base_framework_version

    def _lookup(self, path: str) -> _catalogue.PrebuiltImage:
        try:
            return _catalogue.lookup(self.framework, self.version, processor=self.processor,
                                     py_version=self.py_version, base_framework_version=self.base_framework_version)
        except _catalogue.UnknownImage as err:
            raise ValidationError(path, [str(err)]) from None

    def problems(self) -> list[Problem]:
        try:
            _catalogue.lookup(self.framework, self.version, processor=self.processor, py_version=self.py_version,
                              base_framework_version=self.base_framework_version)
        except _catalogue.UnknownImage as err:
            return [Problem.parse(str(err))]
        return []

    @property
    def accelerator(self) -> str | None:
        try:
            return _catalogue.lookup(self.framework, self.version, processor=self.processor,
                                     py_version=self.py_version,
                                     base_framework_version=self.base_framework_version).accelerator
        except _catalogue.UnknownImage:
            return None

    @property
    def is_triton(self) -> bool:
        return self.framework == "sagemaker-tritonserver"

    def describe(self) -> str:
        processor = f", processor={self.processor!r}" if self.processor else ""
        return f"prebuilt {self.framework} {self.version}{processor}"

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        image = self._lookup(scope.node.path)
        uri, arn = prebuilt_location(scope, image, f"{self.framework} {self.version}")
        role_policy.add_to_role_policy(_pull_statement(arn))
        role_policy.add_to_role_policy(_token_statement())
        return uri


def prebuilt_location(scope: Construct, image: _catalogue.PrebuiltImage, label: str) -> tuple[str, str]:
    """``(uri, repository ARN)`` of a prebuilt AWS image in the stack of ``scope``: literal when the stack's region is
    known (refused, naming ``region``, when the image has no registry there), else resolved at deploy time through a
    region -> registry-account mapping. Used by model images and by Model Monitor's analyzer image."""
    stack = Stack.of(scope)
    region = stack.region
    if not is_unresolved(region):
        if region not in image.accounts:
            raise ValidationError(scope.node.path, [Problem.of(
                "region", f"must have a prebuilt {label} image (regions: {', '.join(sorted(image.accounts))})",
                region)])
        account: str = image.accounts[region]
        uri = image.uri(region)
    else:
        account = _registry_mapping(stack, image.accounts).find_in_map(_jsii.region(), "account")
        uri = Fn.join("", [account, ".dkr.ecr.", _jsii.region(), ".", Aws.URL_SUFFIX,
                           f"/{image.repository_and_tag}"])
    arn = stack.format_arn(service="ecr", resource="repository", resource_name=image.repository, account=account)
    return uri, arn


def _registry_mapping(stack: Stack, accounts: Mapping[str, str]) -> CfnMapping:
    """One region -> registry-account mapping per distinct account map, shared by every model in the stack."""
    body = json.dumps(dict(sorted(accounts.items())), separators=(",", ":"))
    mapping_id = "PrebuiltImageRegistry" + hashlib.sha256(body.encode()).hexdigest()[:8].upper()
    existing = stack.node.try_find_child(mapping_id)
    if isinstance(existing, CfnMapping):
        return existing
    return CfnMapping(stack, mapping_id, mapping={r: {"account": a} for r, a in sorted(accounts.items())})


class PrivateRegistryImage(ContainerImage):
    """An image in a private Docker registry reachable from the model's VPC (``ImageConfig.RepositoryAccessMode:
    Vpc``), made with :meth:`ContainerImage.from_private_registry`.

    SageMaker pulls it through the model's network interfaces, so the model needs ``network=InferenceNetwork(...)``
    in the VPC where the registry is reachable, and the registry must accept the model's security group (open the
    registry's port with ``model.connections.allow_to(...)`` when it is not HTTPS to the VPC). The registry must be a
    Docker Registry HTTP API V2 registry with a TLS certificate from a public CA (SageMaker developer guide, "Use a
    Private Docker Registry for Real-Time Inference Containers",
    https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-containers-inference-private.html).

    ``credentials_provider``: for a registry that needs authentication, the Lambda function that returns
    ``{"Credentials": {"Username": ..., "Password": ...}}`` (``RepositoryAuthConfig``; e.g. read from a Secrets
    Manager secret the function alone may read). The model's execution role gets ``lambda:InvokeFunction`` on exactly
    that function (developer guide, "Use a Docker registry that requires authentication",
    https://docs.aws.amazon.com/sagemaker/latest/dg/docker-containers-adapt-your-own-private-registry-authentication.html).
    Default: an anonymous registry (no auth config).
    """

    def __init__(self, uri: str, *, credentials_provider: lambda_.IFunction | None = None) -> None:
        self.uri = uri
        self.credentials_provider = credentials_provider

    def problems(self) -> list[Problem]:
        problems = Problems("")
        if not is_unresolved(self.uri) and not _limits.matches("ContainerImage", self.uri):
            lo, hi = _limits.bounds("ContainerImage")
            problems.add("image", "must be a non-empty image URI with no white space, of length "
                         f"{_limits.range_text(lo, hi)}", self.uri)
        if not is_unresolved(self.uri) and ".dkr.ecr." in self.uri and ".amazonaws.com" in self.uri:
            problems.add("image", "is an Amazon ECR image: use ContainerImage.from_uri or from_ecr_repository "
                         "(RepositoryAccessMode Vpc is for private Docker registries other than ECR)", self.uri)
        return list(problems.items)

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        if self.credentials_provider is not None:
            role_policy.add_to_role_policy(iam.PolicyStatement(
                actions=["lambda:InvokeFunction"], resources=[self.credentials_provider.function_arn]))
            # The call to the provider goes out through the model's VPC: give isolated subnets a Lambda endpoint.
            network = getattr(scope, "network", None)
            add = getattr(network, "add_registry_endpoints", None)
            if callable(add):
                add()
        return self.uri

    def describe(self) -> str:
        return f"private-registry image {self.uri}"

    def render(self) -> sagemaker.CfnModel.ImageConfigProperty:
        auth = None
        if self.credentials_provider is not None:
            auth = sagemaker.CfnModel.RepositoryAuthConfigProperty(
                repository_credentials_provider_arn=self.credentials_provider.function_arn)
        return sagemaker.CfnModel.ImageConfigProperty(repository_access_mode="Vpc", repository_auth_config=auth)
