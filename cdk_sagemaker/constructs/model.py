"""SageMaker models: container image(s), model artifacts, and a least-privilege execution role."""

from __future__ import annotations

import abc
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _limits
from cdk_sagemaker.constructs._jsii import account_id, is_unresolved, node_path, partition, region
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.errors import Problems

__all__ = ["ContainerDefinition", "Model", "ModelData"]

_S3_URI = re.compile(r"^s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(?P<key>\S+)$")


class ModelData(abc.ABC):
    """Where the model artifact (``model.tar.gz``, or a prefix of them for multi-model containers) lives."""

    @staticmethod
    def from_s3_uri(uri: str) -> ModelData:
        """An existing object (``s3://bucket/path/model.tar.gz``) or, for multi-model containers, a prefix
        ending in ``/``. The role gets ``s3:GetObject`` on exactly that key or prefix."""
        return _S3UriData(uri)

    @staticmethod
    def from_bucket(bucket: s3.IBucket, key: str) -> ModelData:
        """An object (or a prefix ending in ``/``) in a bucket of this app; the bucket's KMS key is granted too."""
        return _BucketData(bucket, key)

    @staticmethod
    def from_asset(path: str) -> ModelData:
        """A local ``.tar.gz`` file uploaded as a CDK file asset."""
        return _AssetData(path)

    @property
    @abc.abstractmethod
    def is_prefix(self) -> bool:
        """True when this names an S3 prefix (multi-model) rather than one object."""

    @abc.abstractmethod
    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        """Create what the data needs under ``scope``, grant read through ``role_policy``; return the S3 URL."""

    def _problems(self, param: str) -> list[str]:
        """Problems with the input itself, as ``"<param> <constraint>, got <value!r>"`` messages."""
        return []


def _object_arn(scope: Construct, bucket: str, key: str) -> str:
    resource = f"{key}*" if key.endswith("/") else key
    return f"arn:{partition()}:s3:::{bucket}/{resource}"


def _read_statements(object_arn: str) -> iam.PolicyStatement:
    return iam.PolicyStatement(actions=["s3:GetObject"], resources=[object_arn])


class _S3UriData(ModelData):
    def __init__(self, uri: str) -> None:
        self.uri = uri

    @property
    def is_prefix(self) -> bool:
        return not is_unresolved(self.uri) and self.uri.endswith("/")

    def _problems(self, param: str) -> list[str]:
        if is_unresolved(self.uri):
            return []
        if not _S3_URI.match(self.uri) or not _limits.matches("Url", self.uri):
            return [f"{param} must be an s3://bucket/key URI (at most {_limits.bounds('Url')[1]} characters), "
                    f"got {self.uri!r}"]
        return []

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        match = None if is_unresolved(self.uri) else _S3_URI.match(self.uri)
        if match:
            role_policy.add_to_role_policy(_read_statements(_object_arn(scope, match["bucket"], match["key"])))
        return self.uri


class _BucketData(ModelData):
    def __init__(self, bucket: s3.IBucket, key: str) -> None:
        self.bucket = bucket
        self.key = key

    @property
    def is_prefix(self) -> bool:
        return not is_unresolved(self.key) and self.key.endswith("/")

    def _problems(self, param: str) -> list[str]:
        if is_unresolved(self.key):
            return []
        if not self.key or self.key.startswith("/") or any(c.isspace() for c in self.key):
            return [f"{param} key must be a non-empty S3 key without a leading '/' or white space, got {self.key!r}"]
        return []

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        resource = f"{self.key}*" if self.is_prefix else self.key
        role_policy.add_to_role_policy(_read_statements(self.bucket.arn_for_objects(resource)))
        if self.bucket.encryption_key is not None:
            role_policy.add_to_role_policy(iam.PolicyStatement(
                actions=["kms:Decrypt"], resources=[self.bucket.encryption_key.key_arn]))
        return self.bucket.s3_url_for_object(self.key)


class _AssetData(ModelData):
    def __init__(self, path: str) -> None:
        self.path = path

    @property
    def is_prefix(self) -> bool:
        return False

    def _problems(self, param: str) -> list[str]:
        if not self.path.endswith(".tar.gz"):
            return [f"{param} asset must be a .tar.gz file, got {self.path!r}"]
        if not os.path.isfile(self.path):
            return [f"{param} asset must be an existing file, got {self.path!r}"]
        return []

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        asset = s3_assets.Asset(scope, "ModelDataAsset", path=self.path)
        role_policy.add_to_role_policy(_read_statements(asset.bucket.arn_for_objects(asset.s3_object_key)))
        return asset.s3_object_url


@dataclass(frozen=True, kw_only=True, slots=True)
class ContainerDefinition:
    """One container of a model. A model with several is a serial inference pipeline (or direct-invocation
    multi-container endpoint, see ``Model(inference_execution_mode=...)``).

    ``multi_model``: host many models from an S3 prefix in one container (``Mode: MultiModel``); ``model_data``
    must then be a prefix ending in ``/``. Default: single model.
    """

    image: ContainerImage
    model_data: ModelData | None = None
    environment: Mapping[str, str] | None = None
    hostname: str | None = None
    multi_model: bool = False


class Model(Construct):
    """A SageMaker model (``AWS::SageMaker::Model``) with a least-privilege execution role.

    Pass ``image`` (and ``model_data``, ``environment``) for one container, or ``containers`` for a serial
    inference pipeline of up to 15 (or direct invocation with ``inference_execution_mode="Direct"``).

    The default role can read exactly the model artifacts, pull exactly the image repositories, and write the
    SageMaker log groups; never ``AmazonSageMakerFullAccess``. Network isolation is on by default (the container
    gets no network access; SageMaker still downloads the artifacts for it): turn it off only for containers that
    must reach the network at run time.

    Attributes: ``cfn_model`` (the L1, also ``node.default_child``), ``role``, ``model_name``, ``containers``.
    """

    #: Grants collected while the containers are rendered (None outside ``_create_model``).
    _pending_statements: list[iam.PolicyStatement] | None = None

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        image: ContainerImage | None = None,
        model_data: ModelData | None = None,
        environment: Mapping[str, str] | None = None,
        containers: Sequence[ContainerDefinition] | None = None,
        inference_execution_mode: Literal["Serial", "Direct"] | None = None,
        role: iam.IRole | None = None,
        network_isolation: bool = True,
        model_name: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        if containers is None:
            containers = [ContainerDefinition(image=image, model_data=model_data, environment=environment)] \
                if image is not None else []
        self.containers: tuple[ContainerDefinition, ...] = tuple(containers)
        self.network_isolation = network_isolation
        self._validate(image=image, model_data=model_data, environment=environment, given=containers,
                       mode=inference_execution_mode, model_name=model_name, role=role)
        self._policy: iam.ManagedPolicy | None = None
        self.role: iam.IRole = role if role is not None else self._create_role()
        self.cfn_model = self._create_model(mode=inference_execution_mode, model_name=model_name)
        self.model_name: str = self.cfn_model.attr_model_name

    # -- validation ---------------------------------------------------------------------------------------------
    def _validate(self, *, image: ContainerImage | None, model_data: ModelData | None,
                  environment: Mapping[str, str] | None, given: Sequence[ContainerDefinition],
                  mode: str | None, model_name: str | None, role: iam.IRole | None) -> None:
        problems = Problems(node_path(self))
        lo, hi = _limits.list_bounds("ContainerDefinitionList")
        if image is not None and (given and given[0].image is not image):
            problems.add_message("image and containers are exclusive: pass one container as image=... or a list "
                                 "as containers=[...]")
        if not self.containers:
            problems.add("containers", "must name at least one container (pass image=... or containers=[...])",
                         [])
        elif hi is not None and len(self.containers) > hi:
            problems.add("containers", f"must hold at most {hi} containers", len(self.containers))
        if mode is not None and mode not in {"Serial", "Direct"}:
            problems.add("inference_execution_mode", "must be 'Serial' or 'Direct'", mode)
        if mode is not None and len(self.containers) < 2:
            problems.add("inference_execution_mode", "applies only to models with two or more containers", mode)
        if model_name is not None and not is_unresolved(model_name) and not _limits.matches("ModelName",
                                                                                                  model_name):
            problems.add("model_name", f"must match {_limits.pattern('ModelName')} with at most "
                         f"{_limits.bounds('ModelName')[1]} characters", model_name)
        hostnames: set[str] = set()
        for i, c in enumerate(self.containers):
            where = "model_data" if len(self.containers) == 1 else f"containers[{i}].model_data"
            if c.model_data is not None:
                for msg in c.model_data._problems(where):
                    problems.add_message(msg)
            env_where = "environment" if len(self.containers) == 1 else f"containers[{i}].environment"
            self._validate_environment(problems, env_where, c.environment)
            if c.multi_model:
                if c.model_data is None or not c.model_data.is_prefix:
                    problems.add(f"containers[{i}].model_data" if len(self.containers) > 1 else "model_data",
                                 "must be an S3 prefix ending in '/' for a multi-model container",
                                 _describe(c.model_data))
                if len(self.containers) > 1:
                    problems.add("containers", "may not mix a multi-model container with others",
                                 len(self.containers))
            if c.hostname is not None and not is_unresolved(c.hostname):
                if not _limits.matches("ContainerHostname", c.hostname):
                    problems.add(f"containers[{i}].hostname", f"must match {_limits.pattern('ContainerHostname')}",
                                 c.hostname)
                elif c.hostname in hostnames:
                    problems.add(f"containers[{i}].hostname", "must be unique within the model", c.hostname)
                hostnames.add(c.hostname)
            elif mode == "Direct" and c.hostname is None:
                problems.add(f"containers[{i}].hostname", "is required with inference_execution_mode='Direct' "
                             "(callers pick the container by hostname)", None)
        del lo
        problems.raise_if_any()
        for c in self.containers:
            c.image._check(node_path(self))

    @staticmethod
    def _validate_environment(problems: Problems, where: str, environment: Mapping[str, str] | None) -> None:
        if not environment:
            return
        _, max_entries = _limits.list_bounds("EnvironmentMap")
        if max_entries is not None and len(environment) > max_entries:
            problems.add(where, f"may hold at most {max_entries} variables", len(environment))
        for key, value in environment.items():
            if not is_unresolved(key) and not _limits.matches("EnvironmentKey", key):
                problems.add(f"{where} key", f"must match {_limits.pattern('EnvironmentKey')}", key)
            if not is_unresolved(value) and not _limits.matches("EnvironmentValue", value):
                problems.add(f"{where}[{key!r}]", f"must be at most {_limits.bounds('EnvironmentValue')[1]} "
                             "characters", value)

    # -- building (override one part in a subclass) --------------------------------------------------------------
    def _create_role(self) -> iam.IRole:
        """The default execution role: assumed by SageMaker, with a customer-managed policy of exact statements."""
        role = iam.Role(self, "Role", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
                        description=f"SageMaker execution role of {node_path(self)}")
        # Statements and acknowledgements go in one call each: every call is a jsii round trip.
        self._policy = iam.ManagedPolicy(self, "Policy", roles=[role],
                                         description=f"Least-privilege execution policy of {node_path(self)}",
                                         statements=[
            iam.PolicyStatement(
                actions=["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams",
                         "logs:PutLogEvents"],
                resources=[f"arn:{partition()}:logs:{region()}:{account_id()}:log-group:/aws/sagemaker/*"],
            ),
            iam.PolicyStatement(
                actions=["cloudwatch:PutMetricData"], resources=["*"],
                conditions={"StringLike": {"cloudwatch:namespace": ["/aws/sagemaker/*", "AWS/SageMaker"]}},
            ),
        ])
        from cdk_sagemaker.constructs._nag import acknowledge_all

        acknowledge_all(self._policy, [
            ("AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
             "/aws/sagemaker/*]",
             "SageMaker names the log group after the endpoint or job it creates it for, which does not exist "
             "when the model is created; the grant is limited to the /aws/sagemaker/ log groups of this "
             "account and region."),
            ("AwsSolutions-IAM5[Resource::*]",
             "ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level permissions; "
             "PutMetricData is limited to SageMaker namespaces by condition, and image pulls are granted on "
             "the exact repository."),
        ])
        return role

    def _render_container(self, container: ContainerDefinition) -> sagemaker.CfnModel.ContainerDefinitionProperty:
        image_uri = container.image.bind(self, self)
        model_url = container.model_data.bind(self, self) if container.model_data is not None else None
        return sagemaker.CfnModel.ContainerDefinitionProperty(
            image=image_uri,
            model_data_url=model_url,
            environment=dict(container.environment) if container.environment else None,
            container_hostname=container.hostname,
            mode="MultiModel" if container.multi_model else None,
        )

    def _create_model(self, *, mode: str | None, model_name: str | None) -> sagemaker.CfnModel:
        # The images' and artifacts' grants are collected while rendering and added in one call.
        self._pending_statements = []
        try:
            rendered = [self._render_container(c) for c in self.containers]
        finally:
            pending, self._pending_statements = self._pending_statements, None
        if pending and self._policy is not None:
            self._policy.add_statements(*pending)
        elif pending:
            for statement in pending:
                self.role.add_to_principal_policy(statement)
        single = len(rendered) == 1
        model = sagemaker.CfnModel(
            self, "Resource",
            execution_role_arn=self.role.role_arn,
            primary_container=rendered[0] if single else None,
            containers=None if single else rendered,
            inference_execution_config=(sagemaker.CfnModel.InferenceExecutionConfigProperty(mode=mode)
                                        if mode is not None else None),
            enable_network_isolation=self.network_isolation,
            model_name=model_name,
        )
        if self._policy is not None:
            model.node.add_dependency(self._policy)
        return model

    # -- public API ----------------------------------------------------------------------------------------------
    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None:
        """Add a statement to the execution role: to the construct's managed policy when it made the role, else
        to the given role's default policy."""
        if self._pending_statements is not None:
            self._pending_statements.append(statement)
        elif self._policy is not None:
            self._policy.add_statements(statement)
        else:
            self.role.add_to_principal_policy(statement)

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The execution role, for ``bucket.grant_read(model)`` style grants."""
        return self.role


def _describe(data: ModelData | None) -> object:
    if data is None:
        return None
    for attr in ("uri", "path", "key"):
        if hasattr(data, attr):
            return getattr(data, attr)
    return data
