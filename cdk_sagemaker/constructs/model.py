"""SageMaker models: container image(s), model artifacts, and a least-privilege execution role."""

from __future__ import annotations

import abc
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import jsii
from aws_cdk import Annotations, ArnFormat, Aws
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as s3_assets
from aws_cdk import aws_sagemaker as sagemaker
from constructs import Construct

from cdk_sagemaker import _containers, _limits
from cdk_sagemaker.constructs._checks import import_problems
from cdk_sagemaker.constructs._jsii import (
    inherit_stack,
    is_unresolved,
    node_path,
    partition,
    remember_path,
    service_principal,
    stack_of,
    unique_child_id,
)
from cdk_sagemaker.constructs._optional import configured
from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs._s3uri import parse_s3_uri, s3_uri_problems
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model_options import (
    image_config_of,
    model_cache_problems,
    private_registry_problems,
    render_multi_model_config,
)
from cdk_sagemaker.constructs.network import InferenceNetwork, admit_artifacts, vpc_cidr
from cdk_sagemaker.constructs.registry import (
    ModelPackage,
    package_model_problems,
    tag_model_version,
    version_problems,
)
from cdk_sagemaker.errors import Problem, Problems

__all__ = ["ContainerDefinition", "ImportedModel", "Model", "ModelData"]


class ModelData(abc.ABC):
    """Where the model artifact (``model.tar.gz``, or a prefix of them for multi-model containers) lives."""

    @staticmethod
    def from_s3_uri(uri: str, *, accept_eula: bool = False, hub_content_arn: str | None = None) -> ModelData:
        """An existing object (``s3://bucket/path/model.tar.gz``) or, for multi-model containers, a prefix
        ending in ``/``. The role gets ``s3:GetObject`` on exactly that key or prefix. ``accept_eula=True`` accepts
        the license of a gated model archive (``ModelDataSource`` with ``CompressionType: Gzip``, ``S3DataType:
        S3Object`` and ``ModelAccessConfig.AcceptEula``; not for a prefix). ``hub_content_arn``: read a public
        JumpStart model's archive through a model reference in your private curated hub
        (``HubAccessConfig.HubContentArn``, see :meth:`from_s3_prefix`; not for a prefix). Default: no EULA
        accepted, no hub."""
        return _S3UriData(uri, accept_eula=accept_eula, hub_content_arn=hub_content_arn)

    @staticmethod
    def from_bucket(bucket: s3.IBucket, key: str, *, accept_eula: bool = False) -> ModelData:
        """An object (or a prefix ending in ``/``) in a bucket of this app; the bucket's KMS key is granted too.
        ``accept_eula`` as for :meth:`from_s3_uri`."""
        return _BucketData(bucket, key, accept_eula=accept_eula)

    @staticmethod
    def from_asset(path: str) -> ModelData:
        """A local ``.tar.gz`` file uploaded as a CDK file asset."""
        return _AssetData(path)

    @staticmethod
    def from_s3_prefix(uri: str, *, accept_eula: bool = False, hub_content_arn: str | None = None) -> ModelData:
        """Uncompressed model data for large models: every object under the prefix ``s3://bucket/prefix/`` (ending in
        ``/``) is copied to ``/opt/ml/model`` as is, no ``model.tar.gz`` to pack or unpack (``ModelDataSource``,
        ``S3DataType: S3Prefix``, ``CompressionType: None``). ``accept_eula=True`` accepts the end-user license of a
        gated model (``ModelAccessConfig.AcceptEula``). The role may read exactly the objects under the prefix and
        list exactly that prefix.

        ``hub_content_arn``: the ``ModelReference`` in your private curated hub that points to the public JumpStart
        model whose artifacts ``uri`` names (``HubAccessConfig.HubContentArn``, an
        ``arn:<partition>:sagemaker:<region>:<account>:hub-content/<hub>/ModelReference/<model>[/<version>]``;
        SageMaker API reference, HubAccessConfig; developer guide, "Private curated hubs for foundation model
        access control in JumpStart"). Default: no EULA accepted, no hub."""
        return _UncompressedData(uri, accept_eula=accept_eula, hub_content_arn=hub_content_arn)

    @staticmethod
    def from_bucket_prefix(bucket: s3.IBucket, prefix: str, *, accept_eula: bool = False) -> ModelData:
        """:meth:`from_s3_prefix` for a prefix (ending in ``/``) of a bucket of this app; its KMS key is granted."""
        return _UncompressedData(None, bucket=bucket, prefix=prefix, accept_eula=accept_eula, hub_content_arn=None)

    @property
    @abc.abstractmethod
    def is_prefix(self) -> bool:
        """True when this names an S3 prefix (multi-model) rather than one object."""

    @abc.abstractmethod
    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        """Create what the data needs under ``scope``, grant read through ``role_policy``; return the S3 URL."""

    def problems(self, param: str) -> list[Problem]:
        """Problems with the input itself (``param`` names it in the messages)."""
        return []

    def source(self, url: str) -> sagemaker.CfnModel.ModelDataSourceProperty | None:
        """The container's ``ModelDataSource`` for data bound at ``url``, or None to use ``ModelDataUrl``."""
        return None


def _s3_data_source(url: str, *, data_type: str, compression: str, accept_eula: bool,
                    hub_content_arn: str | None) -> sagemaker.CfnModel.ModelDataSourceProperty:
    """A ``ModelDataSource``: a gzip-compressed archive (``S3Object``) or uncompressed files (``S3Prefix``), with the
    license accepted (SageMaker API reference, S3ModelDataSource and ModelAccessConfig: "accept the EULA of the
    model" by setting AcceptEula true) and/or read through a private hub's model reference (HubAccessConfig)."""
    cfn = sagemaker.CfnModel
    return cfn.ModelDataSourceProperty(s3_data_source=cfn.S3DataSourceProperty(
        s3_uri=url, s3_data_type=data_type, compression_type=compression,
        model_access_config=cfn.ModelAccessConfigProperty(accept_eula=True) if accept_eula else None,
        hub_access_config=(cfn.HubAccessConfigProperty(hub_content_arn=hub_content_arn)
                           if hub_content_arn is not None else None)))


def _eula_problems(param: str, data: ModelData, accept_eula: bool, hub_content_arn: str | None = None) -> list[Problem]:
    out = []
    if accept_eula and data.is_prefix:
        out.append(Problem.of(f"{param} accept_eula", "applies to one model archive, not a multi-model prefix (for "
                              "uncompressed files use ModelData.from_s3_prefix(..., accept_eula=True))", True))
    if hub_content_arn is not None and data.is_prefix:
        out.append(Problem.of(f"{param} hub_content_arn", "applies to one model archive, not a multi-model prefix "
                              "(for uncompressed files use ModelData.from_s3_prefix(..., hub_content_arn=...))",
                              hub_content_arn))
    return out + _hub_problems(param, hub_content_arn)


def _hub_problems(param: str, arn: str | None) -> list[Problem]:
    """A private hub's model reference: botocore HubContentArn (length), of hub-content type ``ModelReference``
    (botocore HubContentType; API reference, HubAccessConfig: "This should be a ModelReference resource type that
    points to a SageMaker JumpStart public hub model")."""
    if arn is None or is_unresolved(arn):
        return []
    lo, hi = _limits.bounds("HubContentArn")
    parts = arn.split(":", 5)
    resource = parts[5].split("/") if len(parts) == 6 else []
    kind = "ModelReference" if "ModelReference" in _limits.enum("HubContentType") else None
    if not _limits.check_range(len(arn), lo, hi) or len(parts) != 6 or parts[0] != "arn" \
            or parts[2] != "sagemaker" or len(resource) < 4 or resource[0] != "hub-content" or resource[2] != kind:
        return [Problem.of(f"{param} hub_content_arn", f"must be the ARN of a {kind} hub content, arn:<partition>:"
                           "sagemaker:<region>:<account>:hub-content/<hub>/ModelReference/<model>[/<version>], "
                           f"{_limits.range_text(lo, hi)} characters (botocore HubContentArn)", arn)]
    return []


def _object_arn(scope: Construct, bucket: str, key: str) -> str:
    resource = f"{key}*" if key.endswith("/") else key
    return f"arn:{partition()}:s3:::{bucket}/{resource}"


#: The log groups SageMaker creates for endpoints and jobs (pseudo parameters: the same text in every stack).
_NO_NETWORK = "the model has no network (pass network=InferenceNetwork(...))"
_SAGEMAKER_LOG_GROUPS = f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:/aws/sagemaker/*"


def _read_statements(object_arn: str) -> iam.PolicyStatement:
    return iam.PolicyStatement(actions=["s3:GetObject"], resources=[object_arn])



def _acknowledge_prefix(scope: Construct, object_arn: str) -> None:
    """A multi-model container reads whichever artifact a request names under its prefix: the grant has to end in
    ``*``. Acknowledge exactly that finding on the model (see constructs/_nag.py)."""
    from cdk_sagemaker.constructs._nag import acknowledge_resource

    acknowledge_resource(scope, object_arn,
                         "A multi-model container loads whichever artifact a request names (TargetModel) under its S3 "
                         "prefix, so the read grant covers exactly that prefix and nothing else in the bucket.")


class _S3UriData(ModelData):
    def __init__(self, uri: str, *, accept_eula: bool = False, hub_content_arn: str | None = None) -> None:
        self.uri = uri
        self.accept_eula = accept_eula
        self.hub_content_arn = hub_content_arn

    @property
    def is_prefix(self) -> bool:
        return not is_unresolved(self.uri) and self.uri.endswith("/")

    def problems(self, param: str) -> list[Problem]:
        if is_unresolved(self.uri):
            return []
        return [*(Problem.parse(m) for m in s3_uri_problems(param, self.uri, shape="Url")),
                *_eula_problems(param, self, self.accept_eula, self.hub_content_arn)]

    def source(self, url: str) -> sagemaker.CfnModel.ModelDataSourceProperty | None:
        if not self.accept_eula and self.hub_content_arn is None:
            return None
        return _s3_data_source(url, data_type="S3Object", compression="Gzip", accept_eula=self.accept_eula,
                               hub_content_arn=self.hub_content_arn)

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        match = None if is_unresolved(self.uri) else parse_s3_uri(self.uri)
        if match and match.key:
            arn = _object_arn(scope, match.bucket, match.key)
            role_policy.add_to_role_policy(_read_statements(arn))
            admit_artifacts(scope, [arn])
            if self.is_prefix:
                _acknowledge_prefix(scope, arn)
        return self.uri


class _BucketData(ModelData):
    def __init__(self, bucket: s3.IBucket, key: str, *, accept_eula: bool = False) -> None:
        self.bucket = bucket
        self.key = key
        self.accept_eula = accept_eula

    @property
    def is_prefix(self) -> bool:
        return not is_unresolved(self.key) and self.key.endswith("/")

    def problems(self, param: str) -> list[Problem]:
        if is_unresolved(self.key):
            return []
        if not self.key or self.key.startswith("/") or any(c.isspace() for c in self.key):
            return [Problem.of(f"{param} key", "must be a non-empty S3 key without a leading '/' or white space",
                               self.key)]
        return _eula_problems(param, self, self.accept_eula)

    def source(self, url: str) -> sagemaker.CfnModel.ModelDataSourceProperty | None:
        if not self.accept_eula:
            return None
        return _s3_data_source(url, data_type="S3Object", compression="Gzip", accept_eula=True, hub_content_arn=None)

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        resource = f"{self.key}*" if self.is_prefix else self.key
        arn = self.bucket.arn_for_objects(resource)
        role_policy.add_to_role_policy(_read_statements(arn))
        if self.is_prefix:
            _acknowledge_prefix(scope, arn)
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

    def problems(self, param: str) -> list[Problem]:
        if not self.path.endswith(".tar.gz"):
            return [Problem.of(f"{param} asset", "must be a .tar.gz file", self.path)]
        if not os.path.isfile(self.path):
            return [Problem.of(f"{param} asset", "must be an existing file", self.path)]
        return []

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        asset = s3_assets.Asset(scope, unique_child_id(scope, "ModelDataAsset"), path=self.path)
        role_policy.add_to_role_policy(_read_statements(asset.bucket.arn_for_objects(asset.s3_object_key)))
        return asset.s3_object_url


class _UncompressedData(ModelData):
    """An S3 prefix of uncompressed model files (SageMaker API reference, S3ModelDataSource: "A valid key name prefix
    identified by S3Uri always ends with a forward slash"; with ``CompressionType: None`` each object becomes a file
    under /opt/ml/model)."""

    def __init__(self, uri: str | None, *, bucket: s3.IBucket | None = None, prefix: str | None = None,
                 accept_eula: bool, hub_content_arn: str | None) -> None:
        self.uri = uri
        self.bucket = bucket
        self.key = prefix
        self.accept_eula = accept_eula
        self.hub_content_arn = hub_content_arn

    @property
    def is_prefix(self) -> bool:
        return True

    def problems(self, param: str) -> list[Problem]:
        if self.uri is not None:
            if is_unresolved(self.uri):
                return []
            return [*(Problem.parse(m) for m in s3_uri_problems(param, self.uri, shape="S3ModelUri", key="prefix")),
                    *_hub_problems(param, self.hub_content_arn)]
        key = self.key or ""
        if is_unresolved(key):
            return []
        if not key.endswith("/") or key.startswith("/") or any(c.isspace() for c in key):
            return [Problem.of(f"{param} prefix", "must be a key prefix ending in '/' without a leading '/' or white "
                               "space (uncompressed model data is every object under it)", key)]
        return []

    def bind(self, scope: Construct, role_policy: PolicySink) -> str:
        reason = ("Uncompressed model data is every object under its S3 prefix (ModelDataSource S3Prefix): the read "
                  "grant covers exactly that prefix.")
        from cdk_sagemaker.constructs._nag import acknowledge_resource

        if self.bucket is not None:
            key = self.key or ""
            arn = self.bucket.arn_for_objects(f"{key}*")
            role_policy.add_to_role_policy(_read_statements(arn))
            role_policy.add_to_role_policy(iam.PolicyStatement(
                actions=["s3:ListBucket"], resources=[self.bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": [f"{key}*"]}}))
            acknowledge_resource(scope, arn, reason)
            if self.bucket.encryption_key is not None:
                role_policy.add_to_role_policy(iam.PolicyStatement(
                    actions=["kms:Decrypt"], resources=[self.bucket.encryption_key.key_arn]))
            return self.bucket.s3_url_for_object(key)
        uri = self.uri or ""
        match = None if is_unresolved(uri) else parse_s3_uri(uri)
        if match and match.key:
            arn = _object_arn(scope, match.bucket, match.key)
            role_policy.add_to_role_policy(_read_statements(arn))
            role_policy.add_to_role_policy(iam.PolicyStatement(
                actions=["s3:ListBucket"], resources=[f"arn:{Aws.PARTITION}:s3:::{match.bucket}"],
                conditions={"StringLike": {"s3:prefix": [f"{match.key}*"]}}))
            admit_artifacts(scope, [arn])
            acknowledge_resource(scope, arn, reason)
        return uri

    def source(self, url: str) -> sagemaker.CfnModel.ModelDataSourceProperty:
        return _s3_data_source(url, data_type="S3Prefix", compression="None", accept_eula=self.accept_eula,
                               hub_content_arn=self.hub_content_arn)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContainerDefinition:
    """One container of a model. A model with several is a serial inference pipeline (or direct-invocation
    multi-container endpoint, see ``Model(inference_execution_mode=...)``).

    ``multi_model``: host many models from an S3 prefix in one container (``Mode: MultiModel``); ``model_data``
    must then be a prefix ending in ``/``. Default: single model.

    ``model_cache``: whether a multi-model container keeps loaded models in memory (``MultiModelConfig.
    ModelCacheSetting``); ``False`` suits many models each invoked rarely. Default: SageMaker's (cache on).
    """

    image: ContainerImage
    model_data: ModelData | None = None
    environment: Mapping[str, str] | None = None
    hostname: str | None = None
    multi_model: bool = False
    model_cache: bool | None = None


# -- validators of a model's containers and options (each returns its problems) -------------------------------------
def _model_name_problems(model_name: str | None) -> list[Problem]:
    if model_name is None or is_unresolved(model_name) or _limits.matches("ModelName", model_name):
        return []
    return [Problem.of("model_name", f"must match {_limits.pattern('ModelName')} with at most "
                       f"{_limits.bounds('ModelName')[1]} characters", model_name)]


def _model_problems(containers: Sequence[ContainerDefinition], network_isolation: bool, *,
                    image: ContainerImage | None, given: Sequence[ContainerDefinition], mode: str | None,
                    model_name: str | None, has_network: bool = False) -> list[Problem]:
    """Problems of a model's containers (their images and model data included) and options."""
    problems = Problems("")
    lo, hi = _limits.list_bounds("ContainerDefinitionList")
    if image is not None and (given and given[0].image is not image):
        problems.add_message("image and containers are exclusive: pass one container as image=... or a list "
                             "as containers=[...]")
    if not containers:
        problems.add("containers", "must name at least one container (pass image=... or containers=[...])",
                     [])
    elif hi is not None and len(containers) > hi:
        problems.add("containers", f"must hold at most {hi} containers", len(containers))
    if mode is not None and mode not in {"Serial", "Direct"}:
        problems.add("inference_execution_mode", "must be 'Serial' or 'Direct'", mode)
    if mode is not None and len(containers) < 2:
        problems.add("inference_execution_mode", "applies only to models with two or more containers", mode)
    problems.extend(_model_name_problems(model_name))
    hostnames: set[str] = set()
    for i, c in enumerate(containers):
        where = "model_data" if len(containers) == 1 else f"containers[{i}].model_data"
        if c.model_data is not None:
            problems.extend(c.model_data.problems(where))
        env_where = "environment" if len(containers) == 1 else f"containers[{i}].environment"
        problems.extend(_environment_problems(env_where, c.environment))
        problems.extend(_isolation_problems(env_where, c.environment, network_isolation))
        problems.extend(_program_problems(env_where, c, network_isolation))
        problems.extend(model_cache_problems("" if len(containers) == 1 else f"containers[{i}].", c.model_cache,
                                             c.multi_model))
        problems.extend(private_registry_problems("" if len(containers) == 1 else f"containers[{i}].", c.image,
                                                  has_network=has_network))
        if c.multi_model:
            if isinstance(c.model_data, _UncompressedData):
                problems.add(f"containers[{i}].model_data" if len(containers) > 1 else "model_data",
                             "must be compressed artifacts under a prefix (ModelData.from_s3_uri('s3://.../')) for a "
                             "multi-model container, not uncompressed data (ModelDataSource)", _describe(c.model_data))
            elif c.model_data is None or not c.model_data.is_prefix:
                problems.add(f"containers[{i}].model_data" if len(containers) > 1 else "model_data",
                             "must be an S3 prefix ending in '/' for a multi-model container",
                             _describe(c.model_data))
            if len(containers) > 1:
                problems.add("containers", "may not mix a multi-model container with others",
                             len(containers))
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
    # The images' own problems are reported with the model's (one error for everything wrong).
    seen: list[ContainerImage] = []
    for c in containers:
        if all(c.image is not s for s in seen):
            seen.append(c.image)
            problems.extend(c.image.problems())
    return list(problems.items)


def _environment_problems(where: str, environment: Mapping[str, str] | None) -> list[Problem]:
    problems = Problems("")
    if not environment:
        return []
    _, max_entries = _limits.list_bounds("EnvironmentMap")
    if max_entries is not None and len(environment) > max_entries:
        problems.add(where, f"may hold at most {max_entries} variables", len(environment))
    for key, value in environment.items():
        if not is_unresolved(key) and not _limits.matches("EnvironmentKey", key):
            problems.add(f"{where} key", f"must match {_limits.pattern('EnvironmentKey')}", key)
        if not is_unresolved(value) and not _limits.matches("EnvironmentValue", value):
            problems.add(f"{where}[{key!r}]", f"must be at most {_limits.bounds('EnvironmentValue')[1]} "
                         "characters", value)
    return list(problems.items)


def _isolation_problems(where: str, environment: Mapping[str, str] | None, network_isolation: bool) -> list[Problem]:
    """Reject model ids the container downloads at start-up (Hugging Face Hub ids, ``s3://`` URIs read by
    TGI, TEI, LMI, vLLM, SGLang; see ``_containers.HUB_MODEL_VARIABLES``) while network isolation is on."""
    problems = Problems("")
    if not network_isolation or not environment:
        return []
    resolved = {k: v for k, v in environment.items() if not is_unresolved(k) and not is_unresolved(v)}
    for name, value in _containers.hub_downloads(resolved):
        problems.add(f"{where}[{name!r}]",
                     f"names a model that the container ({_containers.HUB_MODEL_VARIABLES[name]}) downloads "
                     "when it starts, which network isolation blocks: package the model as model_data and set "
                     f"{name}='/opt/ml/model', or pass network_isolation=False", value)
    return list(problems.items)


def _program_problems(where: str, container: ContainerDefinition, network_isolation: bool) -> list[Problem]:
    """Reject a ``SAGEMAKER_PROGRAM`` with nowhere to load it from: the framework container finds no script,
    fails its ping and the endpoint never reaches InService (see ``_containers.program_problem``)."""
    problems = Problems("")
    environment = container.environment or {}
    keys = (_containers.PROGRAM, _containers.SUBMIT_DIRECTORY)
    if any(is_unresolved(environment.get(k)) for k in keys):
        return []
    msg = _containers.program_problem(environment, has_model_data=container.model_data is not None,
                                      network_isolation=network_isolation)
    if msg is not None:
        problems.add_message(f"{where} {msg}, got {dict((k, environment[k]) for k in keys if k in environment)!r}")
    return list(problems.items)


# EC2 actions SageMaker needs on the execution role to attach the model's network interfaces to a VPC (SageMaker
# developer guide, "CreateModel API: Execution Role Permissions"). The Describe actions and
# DeleteNetworkInterfacePermission have no resource-level permissions (EC2 service authorization reference).
_ENI_UNSCOPED_ACTIONS = ["ec2:DeleteNetworkInterfacePermission", "ec2:DescribeDhcpOptions",
                         "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                         "ec2:DescribeVpcs"]
_ENI_MANAGE_ACTIONS = ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission",
                       "ec2:DeleteNetworkInterface"]


@jsii.implements(iam.IPrincipal)
class _ExecutionPolicyPrincipal:
    """The model's execution role as a grantee whose grants land in the model's customer-managed policy.

    ``bucket.grant_read(model)`` calls ``add_to_principal_policy`` on ``model.grant_principal``; on the role itself
    that would create an inline default policy (which the NIST 800-53 r5 and HIPAA packs flag as
    ``IAMNoInlinePolicy``). Everything else (the principal's ARN, account, assume-role action) is the role's.
    """

    def __init__(self, model: Model, role: iam.IRole) -> None:
        self._model = model
        self._role = role

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self

    @property
    def assume_role_action(self) -> str:
        return self._role.assume_role_action

    @property
    def policy_fragment(self) -> iam.PrincipalPolicyFragment:
        return self._role.policy_fragment

    @property
    def principal_account(self) -> str | None:
        return self._role.principal_account

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        self._model.add_to_role_policy(statement)
        return iam.AddToPrincipalPolicyResult(statement_added=True, policy_dependable=self._model._policy)

    def add_to_policy(self, statement: iam.PolicyStatement) -> bool:
        return self.add_to_principal_policy(statement).statement_added


@jsii.implements(ec2.IConnectable, iam.IGrantable)
class Model(Construct):
    """A SageMaker model (``AWS::SageMaker::Model``) with a least-privilege execution role.

    Pass ``image`` (and ``model_data``, ``environment``) for one container, or ``containers`` for a serial
    inference pipeline of up to 15 (or direct invocation with ``inference_execution_mode="Direct"``), or
    ``model_package`` (a :class:`~cdk_sagemaker.ModelPackage`: a Model Registry version, in this account or another)
    instead of all of them. ``version`` names the model's version in its tags and its endpoint configs' tags
    (default: the package's ``<group>/<version>``; none for an S3 model); see docs/model-registry.md.

    The default role can read exactly the model artifacts, pull exactly the image repositories, and write the
    SageMaker log groups; never ``AmazonSageMakerFullAccess``. Network isolation is on by default (the container
    gets no network access; SageMaker still downloads the artifacts for it): turn it off only for containers that
    must reach the network at run time.

    With ``network`` (an :class:`~cdk_sagemaker.InferenceNetwork`), the model's containers get network interfaces in
    the network's private subnets (``VpcConfig``) with a new security group that has no inbound rules and may reach
    only the network's VPC endpoints on HTTPS; open more with ``model.connections``. Endpoints, asynchronous
    endpoints and batch transforms of the model all use this VPC configuration.

    Default: no VPC (SageMaker's own network), network isolation on.

    Attributes: ``cfn_model`` (the L1, also ``node.default_child``), ``role``, ``model_name``, ``containers``,
    ``network`` (as given), ``security_group`` and ``connections`` (with a network; without one they raise
    :class:`~cdk_sagemaker.errors.NotConfiguredError`, an ``AttributeError``).
    """

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
        network: InferenceNetwork | None = None,
        model_package: ModelPackage | None = None,
        version: str | None = None,
    ) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        self.network = network
        #: The registered model package the model runs (``ModelPackageName``), or None; see :mod:`.registry`.
        self.model_package = model_package
        #: The version shown in the model's and its endpoint configs' tags: ``version``, else the package's
        #: ``<group>/<version>``, else None.
        self.version = version if version is not None else (model_package.version_label if model_package else None)
        if containers is None:
            containers = [ContainerDefinition(image=image, model_data=model_data, environment=environment)] \
                if image is not None else []
        self.containers: tuple[ContainerDefinition, ...] = tuple(containers)
        self.network_isolation = network_isolation
        self._validate(image=image, model_data=model_data, environment=environment, given=containers,
                       mode=inference_execution_mode, model_name=model_name, role=role)
        self._policy: iam.ManagedPolicy | None = None
        self._principal: _ExecutionPolicyPrincipal | None = None
        self.role: iam.IRole = role if role is not None else self._create_role()
        self._security_group: ec2.ISecurityGroup | None = None
        self._connections: ec2.Connections | None = None
        if network is not None:
            self._attach_network(network)
        self.cfn_model = self._create_model(mode=inference_execution_mode, model_name=model_name)
        self.model_name: str = self.cfn_model.attr_model_name
        if model_name is not None:
            # Every property of AWS::SageMaker::Model requires replacement on update (CloudFormation resource
            # reference), and CloudFormation cannot replace a resource with a custom name ("CloudFormation cannot
            # update a stack when a custom-named resource requires replacing"): with a fixed name, the next change
            # to the image, the artifact or the role fails the stack update.
            Annotations.of(self).add_warning_v2(
                "cdk-sagemaker:model:fixed-name",
                f"model_name={model_name!r} fixes the model's name: every change to this model (image, model data, "
                "environment, role) replaces it, and CloudFormation cannot replace a custom-named resource, so "
                "that update fails. Leave model_name unset (read the generated name from model.model_name), or "
                "acknowledge this warning if the model never changes.")

    # -- validation ---------------------------------------------------------------------------------------------
    def _validate(self, *, image: ContainerImage | None, model_data: ModelData | None,
                  environment: Mapping[str, str] | None, given: Sequence[ContainerDefinition],
                  mode: str | None, model_name: str | None, role: iam.IRole | None) -> None:
        problems = Problems(node_path(self))
        if self.model_package is not None:  # the package brings its containers (cdk_sagemaker/constructs/registry.py)
            problems.extend(package_model_problems(self, self.model_package, given=bool(
                given or image or model_data or environment or mode), network_isolation=self.network_isolation))
            problems.extend(_model_name_problems(model_name))
        else:
            problems.extend(_model_problems(self.containers, self.network_isolation, image=image, given=given,
                                            mode=mode, model_name=model_name, has_network=self.network is not None))
        problems.extend(version_problems(self.version))
        problems.raise_if_any()

    # -- building (override one part in a subclass) --------------------------------------------------------------
    def _create_role(self) -> iam.IRole:
        """The default execution role: assumed by SageMaker, with a customer-managed policy of exact statements."""
        role = iam.Role(self, "Role", assumed_by=service_principal("sagemaker.amazonaws.com"),
                        description=f"SageMaker execution role of {node_path(self)}")
        # The fixed statements as one policy document (one round trip to the jsii process instead of one per
        # statement); the images' and model data's grants are added to it in one call by _create_model.
        self._policy = iam.ManagedPolicy(self, "Policy", roles=[role],
                                         description=f"Least-privilege execution policy of {node_path(self)}",
                                         document=iam.PolicyDocument.from_json({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow",
             "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
             "Resource": _SAGEMAKER_LOG_GROUPS},
            {"Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
             "Condition": {"StringLike": {"cloudwatch:namespace": ["/aws/sagemaker/*", "AWS/SageMaker"]}}},
        ]}))
        inherit_stack(self._policy, self)
        from cdk_sagemaker.constructs._nag import acknowledge_all

        acknowledge_all(self._policy, [
            ("AwsSolutions-IAM5[Resource::*]",
             "ecr:GetAuthorizationToken and cloudwatch:PutMetricData (and, for a model in a VPC, the EC2 "
             "Describe actions and ec2:DeleteNetworkInterfacePermission) support no resource-level "
             "permissions; PutMetricData is limited to SageMaker namespaces by condition, and image pulls are "
             "granted on the exact repository."),
        ], resources=[
            (_SAGEMAKER_LOG_GROUPS,
             "SageMaker names the log group after the endpoint or job it creates it for, which does not exist when "
             "the model is created; the grant is limited to the /aws/sagemaker/ log groups of this account and "
             "region."),
        ])
        return role

    def _attach_network(self, network: InferenceNetwork) -> None:
        """A security group without inbound rules whose only outbound rules are HTTPS to the VPC's interface
        endpoints and HTTPS to S3 through the gateway endpoint (the region's S3 prefix list: SageMaker downloads
        the model artifact and the image layers through the model's network interfaces, see
        :attr:`InferenceNetwork.s3_prefix_list_id`); the execution role may manage the network interfaces SageMaker
        attaches."""
        sg = _model_security_group(self, network)
        self._security_group = sg
        self._connections = ec2.Connections(security_groups=[sg])
        network.connect(self)
        stack = stack_of(self)
        interfaces = stack.format_arn(service="ec2", resource="network-interface", resource_name="*")
        self.add_to_role_policy(iam.PolicyStatement(actions=_ENI_UNSCOPED_ACTIONS, resources=["*"]))
        self.add_to_role_policy(iam.PolicyStatement(
            actions=_ENI_MANAGE_ACTIONS,
            resources=[interfaces,
                       stack.format_arn(service="ec2", resource="security-group", resource_name=sg.security_group_id),
                       *(stack.format_arn(service="ec2", resource="subnet", resource_name=s)
                         for s in network.subnet_ids)]))
        if self._policy is not None:
            from cdk_sagemaker.constructs._nag import acknowledge_resource

            # format_arn writes an explicit env's region and account literally: derive the finding from the ARN.
            acknowledge_resource(self._policy, interfaces,
                                 "SageMaker creates and deletes the model's network interfaces itself; their ids do "
                                 "not exist when the model is created. Limited to network interfaces of this account "
                                 "and region, and creation to the model's own subnets and security group.")

    @property
    def connections(self) -> ec2.Connections:
        """The model's security group connections (only with ``network``): ``model.connections.allow_to(db,
        ec2.Port.tcp(5432))``."""
        return configured(self._connections, self, "connections", _NO_NETWORK)

    @property
    def security_group(self) -> ec2.ISecurityGroup:
        """The model's security group (only with ``network``): no inbound rules, HTTPS out to the VPC endpoints."""
        return configured(self._security_group, self, "security_group", _NO_NETWORK)

    def _render_container(self, container: ContainerDefinition) -> sagemaker.CfnModel.ContainerDefinitionProperty:
        image_uri = container.image.bind(self, self)
        model_url = container.model_data.bind(self, self) if container.model_data is not None else None
        source = container.model_data.source(model_url) if container.model_data is not None and model_url else None
        submit = (container.environment or {}).get(_containers.SUBMIT_DIRECTORY)
        location = parse_s3_uri(submit) if submit is not None and not is_unresolved(submit) else None
        if location is not None and location.key:
            # The container downloads its code from there when it starts, as the execution role.
            self.add_to_role_policy(_read_statements(_object_arn(self, location.bucket, location.key)))
        return sagemaker.CfnModel.ContainerDefinitionProperty(
            image=image_uri,
            model_data_url=model_url if source is None else None,
            model_data_source=source,
            environment=dict(container.environment) if container.environment else None,
            container_hostname=container.hostname,
            mode="MultiModel" if container.multi_model else None,
            image_config=image_config_of(container.image),
            multi_model_config=render_multi_model_config(container.model_cache),
        )

    def _create_model(self, *, mode: str | None, model_name: str | None) -> sagemaker.CfnModel:
        # The images' and model data's grants are collected while rendering and added in one call.
        self._pending_statements: list[iam.PolicyStatement] | None = [] if self._policy is not None else None
        rendered = [self.model_package.bind(self, self)] if self.model_package is not None else \
            [self._render_container(c) for c in self.containers]
        pending, self._pending_statements = self._pending_statements, None
        if pending and self._policy is not None:
            self._policy.add_statements(*pending)
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
            vpc_config=self._vpc_config(),
        )
        if self._policy is not None:
            model.node.add_dependency(self._policy)
        tag_model_version(model, self.model_package, self.version)
        if self.network is not None:
            model.node.add_dependency(self.network.endpoint_group)  # VPC endpoints exist before anything runs
        return model

    def _vpc_config(self) -> sagemaker.CfnModel.VpcConfigProperty | None:
        if self.network is None or self._security_group is None:
            return None
        return sagemaker.CfnModel.VpcConfigProperty(subnets=list(self.network.subnet_ids),
                                                    security_group_ids=[self._security_group.security_group_id])

    # -- public API ----------------------------------------------------------------------------------------------
    @property
    def model_arn(self) -> str:
        """The model's ARN."""
        return self.cfn_model.ref

    @staticmethod
    def from_model_name(scope: Construct, id: str, model_name: str) -> ImportedModel:
        """A model that exists outside this app, by name (an :class:`~cdk_sagemaker.constructs.interfaces.IModel`:
        ``model_name`` and ``model_arn``, for references and IAM grants on the model). Default: the ARN of this
        stack's account and region."""
        return ImportedModel(scope, id, model_name=model_name)

    @staticmethod
    def from_model_arn(scope: Construct, id: str, model_arn: str) -> ImportedModel:
        """A model that exists outside this app, by ARN (``arn:aws:sagemaker:<region>:<account>:model/<name>``).
        The name is read from the ARN (SageMaker writes it there in lower case)."""
        return ImportedModel(scope, id, model_arn=model_arn)

    def add_to_role_policy(self, statement: iam.PolicyStatement) -> None:
        """Add a statement to the execution role: to the construct's managed policy when it made the role, else
        to the given role's default policy."""
        if getattr(self, "_pending_statements", None) is not None:
            self._pending_statements.append(statement)  # type: ignore[union-attr]
        elif self._policy is not None:
            self._policy.add_statements(statement)
        else:
            self.role.add_to_principal_policy(statement)

    def attach_execution_policy(self, role: iam.IRole) -> iam.ManagedPolicy | None:
        """Attach this model's least-privilege managed policy (exact artifacts, images, log groups) to ``role`` too,
        e.g. the execution role of an inference-component endpoint that hosts the model, and return it (so that
        what needs the grants can depend on it). Returns None, attaching nothing, when the model runs as a role
        you gave: its grants were added to that role."""
        if self._policy is not None:
            self._policy.attach_to_role(role)
        return self._policy

    def acknowledge_role_grant(self, resource_arn: str, reason: str) -> None:
        """Acknowledge the cdk-nag wildcard finding of a grant on ``resource_arn`` (an ARN that ends in ``*``) held
        by this model's execution role, on the construct that holds the statement: the model's managed policy, or
        the role you gave. ``reason`` says why the wildcard is as narrow as it can be."""
        from cdk_sagemaker.constructs._nag import acknowledge_resource

        holder: Construct | None = self._policy
        if holder is None and isinstance(self.role, Construct):
            holder = self.role
        if holder is not None:
            acknowledge_resource(holder, resource_arn, reason)

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The execution role as a grantee, so that ``bucket.grant_read(model)``, ``key.grant_decrypt(model)``,
        ``iam.Grant.add_to_principal(grantee=model, ...)`` and every other CDK ``grant_*`` style work on a model.
        With the default role the statements go into the model's customer-managed policy (no inline policy);
        with a role you passed, to that role as the CDK would."""
        if self._policy is None:
            return self.role
        if self._principal is None:
            self._principal = _ExecutionPolicyPrincipal(self, self.role)
        return self._principal


class ImportedModel(Construct):
    """A SageMaker model made elsewhere (:meth:`Model.from_model_name`, :meth:`Model.from_model_arn`):
    ``model_name`` and ``model_arn``. Give ``model_name`` or ``model_arn`` (or both). Default: the ARN of this
    stack's account and region; the name from the ARN."""

    def __init__(self, scope: Construct, id: str, *, model_name: str | None = None,
                 model_arn: str | None = None) -> None:
        super().__init__(scope, id)
        remember_path(self, scope, id)
        problems = Problems(node_path(self))
        problems.extend(import_problems("model", name=model_name, arn=model_arn))
        problems.raise_if_any()
        stack = stack_of(self)
        if model_name is None and model_arn is not None:
            model_name = stack.split_arn(model_arn, ArnFormat.SLASH_RESOURCE_NAME).resource_name
        self.model_name: str = model_name or ""
        self.model_arn: str = model_arn if model_arn is not None else stack.format_arn(
            service="sagemaker", resource="model", arn_format=ArnFormat.SLASH_RESOURCE_NAME,
            resource_name=self.model_name.lower() if not is_unresolved(self.model_name) else self.model_name)


def _describe(data: ModelData | None) -> object:
    if data is None:
        return None
    for attr in ("uri", "path", "key"):
        if hasattr(data, attr):
            return getattr(data, attr)
    return data


def _model_security_group(model: Construct, network: InferenceNetwork) -> ec2.SecurityGroup:
    """The model's security group: no inbound rules; outbound only HTTPS to the VPC's interface endpoints and HTTPS
    to the region's S3 prefix list (the gateway endpoint)."""
    sg = ec2.SecurityGroup(model, "SecurityGroup", vpc=network.vpc, allow_all_outbound=False,
                           description=f"SageMaker model {node_path(model)}: no inbound; HTTPS to VPC endpoints")
    # Egress as an inline rule (CIDR peers can be inlined), so the group never gets EC2's default allow-all rule;
    # rules to other security groups would be separate resources and leave that default in place.
    cidr = vpc_cidr(network.vpc)
    if cidr is not None:
        sg.add_egress_rule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), "HTTPS to the VPC endpoints in the VPC")
    else:  # an imported VPC without its range: the network made the endpoints (it refuses endpoints=False)
        for endpoint in network.interface_endpoints.values():
            for target in endpoint.connections.security_groups:
                sg.add_egress_rule(target, ec2.Port.tcp(443), "HTTPS to a VPC endpoint")
    sg.add_egress_rule(ec2.Peer.prefix_list(network.s3_prefix_list_id), ec2.Port.tcp(443),
                       "HTTPS to S3 through the gateway endpoint (model artifacts, image layers)")
    return sg
