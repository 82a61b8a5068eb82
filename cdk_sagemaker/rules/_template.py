"""Shared helpers for the readiness rules: read a CloudFormation template as a graph of resources.

Everything here takes the plain template mapping (``cfn.template`` inside a cfn-lint rule, or a dict from
``json.load``) and never raises on shapes it does not understand: an intrinsic it cannot follow resolves to ``None``,
and rules skip what they cannot see (no finding rather than a false one).

The SageMaker chain a rule usually walks::

    AWS::SageMaker::Endpoint --EndpointConfigName--> AWS::SageMaker::EndpointConfig
        --ProductionVariants[].ModelName / ShadowProductionVariants[].ModelName--> AWS::SageMaker::Model
        (inference components: AWS::SageMaker::InferenceComponent --EndpointName / Specification.ModelName)
    AWS::SageMaker::Model --ExecutionRoleArn--> AWS::IAM::Role --> statements of Role.Policies,
        AWS::IAM::Policy / AWS::IAM::ManagedPolicy (Roles: [Ref role]) and Role.ManagedPolicyArns: [Ref policy]

Scaling targets on variants (:func:`scaled_variants`), what a role may do (:func:`role_allows`, :func:`role_visible`,
:func:`roles_of_config`, :func:`role_can_write`), S3 locations, KMS keys behind aliases and Step Functions definitions
(:func:`state_machine_definition`) are here too: one implementation of each for every rule module.

Not a cfn-lint plugin file (the leading underscore keeps ``--append-rules`` from loading it); rule modules import it
absolutely: ``from cdk_sagemaker.rules._template import ...``.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "INSTANCE_COUNT",
    "PROVISIONED_CONCURRENCY",
    "SCALABLE_TARGET",
    "SCALING_POLICY",
    "VARIANT_DIMENSIONS",
    "Container",
    "Definition",
    "ModelUse",
    "S3Location",
    "SageMakerModel",
    "ScaledVariant",
    "Statement",
    "Template",
    "alarm_dimension_values",
    "alarm_metric_names",
    "alarms_triggering",
    "all_roles_known",
    "all_variants",
    "as_list",
    "config_of_endpoint",
    "containers",
    "endpoints_of_config",
    "find_string",
    "get",
    "inference_components",
    "is_async",
    "is_conditional",
    "is_marketplace",
    "is_serverless",
    "key_policy_statements",
    "kms_key_ids",
    "kms_key_of",
    "model_uses",
    "models_of_config",
    "number",
    "policies_of_target",
    "policy_statements",
    "props",
    "refs_in",
    "resolve_str",
    "resource",
    "resources",
    "role_allows",
    "role_can_write",
    "role_of_model",
    "role_statements",
    "role_visible",
    "roles_of_config",
    "s3_location",
    "scaled_variants",
    "security_group_egress",
    "security_group_ids",
    "state_machine_definition",
    "statement_allows",
    "states",
    "target",
    "task_action",
    "truthy",
    "type_of",
    "variant_named",
    "variants",
]

Template = Mapping[str, Any]
Path = list[str | int]

_SUB_REF = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")
_PSEUDO = {"AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName", "AWS::StackId",
           "AWS::NoValue", "AWS::NotificationARNs"}


# --- generic template access ---------------------------------------------------------------------------------------


def resources(template: Template, *types: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(logical id, resource)`` of every resource, or of those whose ``Type`` is one of ``types``."""
    res = template.get("Resources")
    if not isinstance(res, Mapping):
        return
    for name, resource in res.items():
        if isinstance(resource, Mapping) and (not types or resource.get("Type") in types):
            yield str(name), resource


def resource(template: Template, logical_id: str | None) -> Mapping[str, Any] | None:
    """The resource with that logical id, or ``None``."""
    if logical_id is None:
        return None
    res = template.get("Resources")
    found = res.get(logical_id) if isinstance(res, Mapping) else None
    return found if isinstance(found, Mapping) else None


def type_of(template: Template, logical_id: str | None) -> str | None:
    found = resource(template, logical_id)
    return str(found.get("Type")) if found is not None else None


def props(resource_: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The resource's ``Properties`` (an empty mapping when absent or not a mapping)."""
    p = resource_.get("Properties") if resource_ is not None else None
    return p if isinstance(p, Mapping) else {}


def get(value: Any, *keys: str | int) -> Any:
    """``value[k1][k2]...`` or ``None`` when a step is missing or of the wrong shape."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(value, list) or not -len(value) <= key < len(value):
                return None
            value = value[key]
        else:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
    return value


def as_list(value: Any) -> list[Any]:
    """A list as is, ``None`` as ``[]``, anything else as a one-item list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def target(value: Any) -> str | None:
    """The logical id that ``{"Ref": X}``, ``{"Fn::GetAtt": [X, attr]}`` / ``"X.attr"`` or ``{"Fn::Sub": "${X}"}``
    points to; ``None`` for literals, parameters' pseudo names and anything else."""
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    (fn, arg), = value.items()
    if fn == "Ref" and isinstance(arg, str) and arg not in _PSEUDO:
        return arg
    if fn == "Fn::GetAtt":
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            return arg[0]
        if isinstance(arg, str):
            return arg.split(".", 1)[0]
    if fn == "Fn::Sub" and isinstance(arg, str):
        m = re.fullmatch(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}", arg)
        if m:
            return m.group(1)
    return None


def is_conditional(value: Any) -> bool:
    """True for ``{"Fn::If": [...]}``: present or absent depending on a condition, so neither "set" nor "unset"."""
    return isinstance(value, Mapping) and len(value) == 1 and "Fn::If" in value


def refs_in(value: Any) -> set[str]:
    """Every logical id (resource or parameter) referenced anywhere inside ``value`` (Ref, GetAtt, Sub)."""
    found: set[str] = set()

    def walk(v: Any) -> None:
        if isinstance(v, Mapping):
            t = target(v)
            if t is not None:
                found.add(t)
            sub = v.get("Fn::Sub")
            if sub is not None:
                text = sub[0] if isinstance(sub, list) and sub else sub
                if isinstance(text, str):
                    found.update(n for n in _SUB_REF.findall(text) if n not in _PSEUDO)
            for item in v.values():
                walk(item)
        elif isinstance(v, list):
            for item in v:
                walk(item)

    walk(value)
    return found


def resolve_str(template: Template, value: Any, *, placeholder: str | None = None) -> str | None:
    """A string property as text: literals, ``Fn::Join`` of literal parts, ``Fn::Sub`` without variables,
    ``Ref`` to a parameter with a ``Default``. Pseudo parameters, ``Fn::FindInMap`` and other resources' attributes
    become ``placeholder`` (Default: ``None``, i.e. the whole value is unknown)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if not isinstance(value, Mapping) or len(value) != 1:
        return None
    (fn, arg), = value.items()
    if fn == "Ref" and isinstance(arg, str):
        param = get(template, "Parameters", arg)
        if isinstance(param, Mapping) and isinstance(param.get("Default"), str | int | float):
            return str(param["Default"])
        return placeholder
    if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
        parts = [resolve_str(template, p, placeholder=placeholder) for p in as_list(arg[1])]
        if any(p is None for p in parts):
            return None
        return arg[0].join(p for p in parts if p is not None)
    if fn == "Fn::Sub":
        text = arg[0] if isinstance(arg, list) and arg else arg
        if not isinstance(text, str):
            return None
        if placeholder is None and "${" in text.replace("${!", ""):
            return None
        return re.sub(r"\$\{(?!!)[^}]+\}", placeholder or "", text)
    return placeholder


def find_string(template: Template, value: Any) -> str:
    """``value`` as text for matching (unknown parts as ``*``): never ``None``."""
    return resolve_str(template, value, placeholder="*") or ""


# --- SageMaker chain -----------------------------------------------------------------------------------------------


def config_of_endpoint(template: Template, endpoint: Mapping[str, Any]) -> str | None:
    """The logical id of the ``AWS::SageMaker::EndpointConfig`` that an ``AWS::SageMaker::Endpoint`` uses (``None``
    if it is not a config of this template)."""
    cfg = target(props(endpoint).get("EndpointConfigName"))
    return cfg if type_of(template, cfg) == "AWS::SageMaker::EndpointConfig" else None


def endpoints_of_config(template: Template, config_id: str) -> list[str]:
    """Logical ids of the ``AWS::SageMaker::Endpoint`` resources that use the config ``config_id``."""
    return [name for name, ep in resources(template, "AWS::SageMaker::Endpoint")
            if config_of_endpoint(template, ep) == config_id]


def inference_components(template: Template, endpoint_id: str) -> list[tuple[str, Mapping[str, Any]]]:
    """``AWS::SageMaker::InferenceComponent`` resources that run on the endpoint ``endpoint_id``."""
    return [(name, ic) for name, ic in resources(template, "AWS::SageMaker::InferenceComponent")
            if target(props(ic).get("EndpointName")) == endpoint_id]


@dataclass(frozen=True, slots=True)
class ModelUse:
    """One place an endpoint config (or an inference component) names a model."""

    model_id: str | None       #: logical id of the AWS::SageMaker::Model (``None``: not in this template)
    path: Path                 #: template path of the ``ModelName`` value
    variant: Mapping[str, Any]  #: the production/shadow variant (or the component's Specification)
    shadow: bool = False


def models_of_config(template: Template, config_id: str) -> list[ModelUse]:
    """Models that config ``config_id`` runs: on its production and shadow variants, and through inference components
    on the endpoints that use it."""
    cfg = resource(template, config_id)
    out: list[ModelUse] = []
    for key, i, variant in all_variants(cfg):
        if "ModelName" in variant:
            out.append(ModelUse(target(variant["ModelName"]),
                                ["Resources", config_id, "Properties", key, i, "ModelName"],
                                variant, key.startswith("Shadow")))
    for endpoint_id in endpoints_of_config(template, config_id):
        for ic_id, ic in inference_components(template, endpoint_id):
            spec = props(ic).get("Specification")
            if isinstance(spec, Mapping) and "ModelName" in spec:
                out.append(ModelUse(target(spec["ModelName"]),
                                    ["Resources", ic_id, "Properties", "Specification", "ModelName"], spec))
    return out


def model_uses(template: Template) -> Iterator[tuple[str, str, ModelUse]]:
    """``(config id, model id, use)`` for every model of every endpoint config that the template defines."""
    for config_id, _ in resources(template, "AWS::SageMaker::EndpointConfig"):
        for use in models_of_config(template, config_id):
            if use.model_id is not None and type_of(template, use.model_id) == "AWS::SageMaker::Model":
                yield config_id, use.model_id, use


@dataclass(frozen=True, slots=True)
class Container:
    """One container of an ``AWS::SageMaker::Model``."""

    definition: Mapping[str, Any]
    path: Path

    @property
    def environment(self) -> Mapping[str, Any]:
        env = self.definition.get("Environment")
        return env if isinstance(env, Mapping) else {}


SageMakerModel = Mapping[str, Any]


def containers(model_id: str, model: SageMakerModel) -> list[Container]:
    """The containers of a model: ``PrimaryContainer``, or each of ``Containers`` (a serial pipeline)."""
    p = props(model)
    base: Path = ["Resources", model_id, "Properties"]
    if isinstance(p.get("PrimaryContainer"), Mapping):
        return [Container(p["PrimaryContainer"], [*base, "PrimaryContainer"])]
    return [Container(c, [*base, "Containers", i]) for i, c in enumerate(as_list(p.get("Containers")))
            if isinstance(c, Mapping)]


#: The model tag ``Model(model_package=...)`` writes: ``marketplace`` or ``registry`` (constructs/registry.py).
MODEL_PACKAGE_SOURCE_TAG = "cdk-sagemaker:model-package-source"
_VERSIONED_PACKAGE = re.compile(r".*:model-package/[^/]+/[0-9]+")


def is_marketplace(template: Template, container: Container) -> bool:
    """True when the container runs an AWS Marketplace model package: as the model's
    ``cdk-sagemaker:model-package-source`` tag says, else when ``ModelPackageName`` shows ``aws-marketplace``. A
    versioned package (``model-package/<group>/<version>``) is a Model Registry version in whichever account, never
    a Marketplace one (a central registry in another account keeps guardrails and shadow variants)."""
    package = container.definition.get("ModelPackageName")
    if package is None:
        return False
    model_id = container.path[1] if len(container.path) > 1 else None
    tags = props(resource(template, str(model_id) if model_id is not None else None)).get("Tags")
    for tag in as_list(tags):
        if isinstance(tag, Mapping) and tag.get("Key") == MODEL_PACKAGE_SOURCE_TAG and \
                tag.get("Value") in ("marketplace", "registry"):
            return bool(tag.get("Value") == "marketplace")
    text = find_string(template, package)
    return not _VERSIONED_PACKAGE.fullmatch(text) and "aws-marketplace" in text


def role_of_model(template: Template, model: SageMakerModel) -> str | None:
    """Logical id of the model's execution role when it is an ``AWS::IAM::Role`` of this template."""
    role = target(props(model).get("ExecutionRoleArn"))
    return role if type_of(template, role) == "AWS::IAM::Role" else None


# --- IAM -----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    """One IAM policy statement and where it lives."""

    body: Mapping[str, Any]
    path: Path

    @property
    def effect(self) -> str:
        return str(self.body.get("Effect", "Allow"))

    @property
    def actions(self) -> list[str]:
        return [a for a in as_list(self.body.get("Action")) if isinstance(a, str)]

    @property
    def not_actions(self) -> list[str]:
        return [a for a in as_list(self.body.get("NotAction")) if isinstance(a, str)]

    @property
    def resources(self) -> list[Any]:
        return as_list(self.body.get("Resource"))

    @property
    def principals(self) -> Any:
        return self.body.get("Principal")


def policy_statements(document: Any, path: Path) -> list[Statement]:
    """Statements of a policy document at ``path`` (the document's own path)."""
    return [Statement(s, [*path, "Statement", i]) for i, s in enumerate(as_list(get(document, "Statement")))
            if isinstance(s, Mapping)]


def role_statements(template: Template, role_id: str) -> list[Statement]:
    """Every statement attached to the role in this template: its inline ``Policies``, ``AWS::IAM::Policy`` and
    ``AWS::IAM::ManagedPolicy`` resources that list it in ``Roles``, and managed policies of this template named in its
    ``ManagedPolicyArns``. (AWS-managed policies are not visible here.)"""
    role = resource(template, role_id)
    out: list[Statement] = []
    for i, pol in enumerate(as_list(props(role).get("Policies"))):
        out += policy_statements(get(pol, "PolicyDocument"),
                                 ["Resources", role_id, "Properties", "Policies", i, "PolicyDocument"])
    attached = {target(arn) for arn in as_list(props(role).get("ManagedPolicyArns"))}
    for name, pol in resources(template, "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        roles = {target(r) for r in as_list(props(pol).get("Roles"))}
        if role_id in roles or (pol.get("Type") == "AWS::IAM::ManagedPolicy" and name in attached):
            out += policy_statements(props(pol).get("PolicyDocument"),
                                     ["Resources", name, "Properties", "PolicyDocument"])
    return out


def _action_matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def statement_allows(statement: Statement, action: str, resource_id: str | None = None) -> bool:
    """True when an ``Allow`` statement grants ``action`` (IAM wildcards honoured) on ``*``, on a resource whose value
    references ``resource_id``, or on any resource when ``resource_id`` is ``None``. Conditions are not evaluated."""
    if statement.effect != "Allow":
        return False
    if statement.not_actions:
        if any(_action_matches(p, action) for p in statement.not_actions):
            return False
    elif not any(_action_matches(p, action) for p in statement.actions):
        return False
    if resource_id is None or "NotResource" in statement.body:
        return True
    for res in statement.resources:
        if res == "*" or (isinstance(res, str) and res.endswith(":*")) or resource_id in refs_in(res):
            return True
    return False


def kms_key_of(template: Template, key_value: Any) -> str | None:
    """The logical id of the ``AWS::KMS::Key`` of this template that a key property (KmsKeyId, KmsMasterKeyId,
    KMSMasterKeyID) names, directly or through an ``AWS::KMS::Alias``; ``None`` otherwise."""
    key_id = target(key_value)
    if type_of(template, key_id) == "AWS::KMS::Alias":
        key_id = target(props(resource(template, key_id)).get("TargetKeyId"))
    return key_id if type_of(template, key_id) == "AWS::KMS::Key" else None


def key_policy_statements(template: Template, key_value: Any) -> tuple[str, list[Statement]] | None:
    """``(key logical id, statements of its KeyPolicy)`` for a KmsKeyId/KmsMasterKeyId value that points to an
    ``AWS::KMS::Key`` of this template (directly, or through an ``AWS::KMS::Alias``); ``None`` otherwise."""
    key_id = kms_key_of(template, key_value)
    if key_id is None:
        return None
    key = resource(template, key_id)
    return key_id, policy_statements(props(key).get("KeyPolicy"), ["Resources", key_id, "Properties", "KeyPolicy"])


# --- scaling, IAM reach, S3 locations, Step Functions (the 94xx/95xx/97xx/98xx rules) -------------------------------


SCALABLE_TARGET = "AWS::ApplicationAutoScaling::ScalableTarget"
SCALING_POLICY = "AWS::ApplicationAutoScaling::ScalingPolicy"
INSTANCE_COUNT = "sagemaker:variant:DesiredInstanceCount"
PROVISIONED_CONCURRENCY = "sagemaker:variant:DesiredProvisionedConcurrency"
VARIANT_DIMENSIONS = (INSTANCE_COUNT, PROVISIONED_CONCURRENCY)

_VARIANT_ID = re.compile(r"^endpoint/(?P<endpoint>[^/]*)/variant/(?P<variant>[^/]+)$")


def number(value: Any) -> float | None:
    """A literal number (int, float or numeric string) or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def truthy(value: Any) -> bool:
    """A literal CloudFormation boolean that is true (``true`` or ``"true"``)."""
    return value is True or (isinstance(value, str) and value.lower() == "true")




# --- endpoints and variants ----------------------------------------------------------------------------------------




def all_variants(config: Mapping[str, Any] | None) -> Iterator[tuple[str, int, Mapping[str, Any]]]:
    """``(key, index, variant)`` of every production and shadow variant of an endpoint config (mappings only);
    ``key`` is ``ProductionVariants`` or ``ShadowProductionVariants``."""
    for key in ("ProductionVariants", "ShadowProductionVariants"):
        for i, v in enumerate(as_list(props(config).get(key))):
            if isinstance(v, Mapping):
                yield key, i, v


def variants(config: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The production variants of an endpoint config (mappings only)."""
    return [v for v in as_list(props(config).get("ProductionVariants")) if isinstance(v, Mapping)]


def variant_named(config: Mapping[str, Any] | None, name: str | None) -> Mapping[str, Any] | None:
    """The production variant called ``name`` (or the only variant when ``name`` is ``None``)."""
    vs = variants(config)
    if name is None:
        return vs[0] if len(vs) == 1 else None
    for v in vs:
        if v.get("VariantName") == name:
            return v
    return None


def is_async(config: Mapping[str, Any] | None) -> bool:
    return isinstance(props(config).get("AsyncInferenceConfig"), Mapping)


def is_serverless(variant: Mapping[str, Any] | None) -> bool:
    return isinstance(variant, Mapping) and isinstance(variant.get("ServerlessConfig"), Mapping)


@dataclass(frozen=True, slots=True)
class ScaledVariant:
    """An Application Auto Scaling target on a SageMaker endpoint variant."""

    target_id: str
    dimension: str
    endpoint_id: str | None          #: the AWS::SageMaker::Endpoint in this template (None: not found)
    variant_name: str | None
    config_id: str | None = None
    variant: Mapping[str, Any] | None = field(default=None)

    def config(self, template: Template) -> Mapping[str, Any] | None:
        return resource(template, self.config_id)


def _endpoint_by_literal_name(template: Template, name: str) -> str | None:
    for ep_id, ep in resources(template, "AWS::SageMaker::Endpoint"):
        if props(ep).get("EndpointName") == name:
            return ep_id
    return None


def scaled_variants(template: Template) -> Iterator[ScaledVariant]:
    """Every scalable target on a SageMaker variant (instances or provisioned concurrency), with its endpoint,
    config and variant when the template defines them. ``ResourceId`` may be a literal
    ``endpoint/<name>/variant/<v>``, an ``Fn::Join`` or an ``Fn::Sub`` around the endpoint's ``EndpointName``."""
    for target_id, st in resources(template, SCALABLE_TARGET):
        p = props(st)
        dimension = p.get("ScalableDimension")
        if dimension not in VARIANT_DIMENSIONS:
            continue
        rid = p.get("ResourceId")
        text = find_string(template, rid)
        m = _VARIANT_ID.match(text)
        variant_name = m.group("variant") if m and "*" not in m.group("variant") else None
        endpoint_id = next((r for r in sorted(refs_in(rid)) if type_of(template, r) == "AWS::SageMaker::Endpoint"),
                           None)
        if endpoint_id is None and m and "*" not in m.group("endpoint"):
            endpoint_id = _endpoint_by_literal_name(template, m.group("endpoint"))
        config_id = config_of_endpoint(template, resource(template, endpoint_id) or {}) if endpoint_id else None
        variant = variant_named(resource(template, config_id), variant_name) if config_id else None
        yield ScaledVariant(target_id, str(dimension), endpoint_id, variant_name, config_id, variant)


def policies_of_target(template: Template, target_id: str) -> list[tuple[str, Mapping[str, Any]]]:
    """Scaling policies attached to a scalable target: by ``ScalingTargetId`` or by the same
    ``ResourceId`` + ``ScalableDimension``."""
    st = props(resource(template, target_id))
    out = []
    for pol_id, pol in resources(template, SCALING_POLICY):
        pp = props(pol)
        if target(pp.get("ScalingTargetId")) == target_id or (
                "ResourceId" in pp and pp.get("ResourceId") == st.get("ResourceId")
                and pp.get("ScalableDimension") == st.get("ScalableDimension")):
            out.append((pol_id, pol))
    return out


def alarms_triggering(template: Template, policy_id: str) -> list[tuple[str, Mapping[str, Any]]]:
    """CloudWatch alarms whose ``AlarmActions`` reference the scaling policy."""
    return [(a_id, a) for a_id, a in resources(template, "AWS::CloudWatch::Alarm")
            if policy_id in refs_in(props(a).get("AlarmActions"))]


def alarm_metric_names(alarm: Mapping[str, Any]) -> set[str]:
    """Metric names an alarm reads (``MetricName`` or each ``Metrics[].MetricStat.Metric.MetricName``)."""
    p = props(alarm)
    names = {p["MetricName"]} if isinstance(p.get("MetricName"), str) else set()
    for m in as_list(p.get("Metrics")):
        n = get(m, "MetricStat", "Metric", "MetricName")
        if isinstance(n, str):
            names.add(n)
    return names


def alarm_dimension_values(alarm: Mapping[str, Any], name: str) -> list[Any]:
    """Values of the dimension ``name`` in an alarm's metric(s)."""
    p = props(alarm)
    dims = list(as_list(p.get("Dimensions")))
    for m in as_list(p.get("Metrics")):
        dims += as_list(get(m, "MetricStat", "Metric", "Dimensions"))
    return [d.get("Value") for d in dims if isinstance(d, Mapping) and d.get("Name") == name]


# --- IAM -----------------------------------------------------------------------------------------------------------


def roles_of_config(template: Template, config_id: str) -> dict[str, str]:
    """``{role logical id: what uses it}`` for the execution roles of a config's models (variants, shadow variants,
    inference components) and of the config itself (``ExecutionRoleArn``, inference components), where those roles
    are ``AWS::IAM::Role`` resources of this template."""
    out: dict[str, str] = {}
    cfg_role = target(props(resource(template, config_id)).get("ExecutionRoleArn"))
    if cfg_role and type_of(template, cfg_role) == "AWS::IAM::Role":
        out[cfg_role] = f"the ExecutionRoleArn of {config_id}"
    for use in models_of_config(template, config_id):
        model = resource(template, use.model_id)
        if model is None or model.get("Type") != "AWS::SageMaker::Model":
            continue
        role = role_of_model(template, model)
        if role is not None:
            out.setdefault(role, f"the execution role of model {use.model_id}")
    return out


def role_visible(template: Template, role_id: str | None) -> bool:
    """True when everything the role is allowed is in this template: an ``AWS::IAM::Role`` whose
    ``ManagedPolicyArns`` (if any) all point at ``AWS::IAM::ManagedPolicy`` resources of the template. A role with an
    AWS-managed or imported policy (e.g. ``AmazonSageMakerFullAccess``) may be allowed anything, so permission rules
    skip it."""
    if role_id is None or type_of(template, role_id) != "AWS::IAM::Role":
        return False
    return all(type_of(template, target(arn)) == "AWS::IAM::ManagedPolicy"
               for arn in as_list(props(resource(template, role_id)).get("ManagedPolicyArns")))


def all_roles_known(template: Template, config_id: str) -> bool:
    """True when every model of the config has its execution role in this template, with all its policies visible
    (otherwise a permission check cannot tell what the role is allowed)."""
    cfg = props(resource(template, config_id))
    if "ExecutionRoleArn" in cfg and not role_visible(template, target(cfg.get("ExecutionRoleArn"))):
        return False
    for use in models_of_config(template, config_id):
        model = resource(template, use.model_id)
        if model is None or model.get("Type") != "AWS::SageMaker::Model":
            return False
        if not role_visible(template, role_of_model(template, model)):
            return False
    return True


def _arn_matches(template: Template, resource_value: Any, arn: str) -> bool:
    pattern = find_string(template, resource_value)
    return bool(pattern) and fnmatch.fnmatchcase(arn, pattern)


def role_allows(template: Template, role_id: str, action: str, *, resource_ids: tuple[str, ...] = (),
                arns: tuple[str, ...] = ()) -> bool:
    """True when some Allow statement attached to the role grants ``action`` on ``*``, on a resource that references
    one of ``resource_ids`` (logical ids), or on a resource pattern that matches one of ``arns`` (wildcards and
    unresolved parts count as ``*``). Without ``resource_ids`` and ``arns`` any resource counts."""
    for st in role_statements(template, role_id):
        if not resource_ids and not arns:
            if statement_allows(st, action):
                return True
            continue
        if any(statement_allows(st, action, rid) for rid in resource_ids):
            return True
        if arns and statement_allows(st, action) and "NotResource" not in st.body and any(
                _arn_matches(template, r, arn) for r in st.resources for arn in arns):
            return True
    return False


# --- S3 locations --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class S3Location:
    """An ``s3://bucket/prefix`` property: the bucket's logical id when it is a bucket of this template, and the
    object ARN pattern the writer needs (unknown parts as ``*``)."""

    bucket_id: str | None
    object_arn: str | None   #: e.g. ``arn:*:s3:::*/data-capture/*``


def s3_location(template: Template, value: Any) -> S3Location | None:
    if value is None:
        return None
    bucket_id = next((r for r in sorted(refs_in(value)) if type_of(template, r) == "AWS::S3::Bucket"), None)
    text = find_string(template, value)
    m = re.match(r"^(?:s3|https)://([^/]*)/?(.*)$", text)
    if not m:
        return S3Location(bucket_id, None)
    bucket, key = m.group(1) or "*", m.group(2)
    key = key.rstrip("/")
    obj = f"arn:*:s3:::{bucket}/{key + '/' if key else ''}x"
    return S3Location(bucket_id, obj)


def role_can_write(template: Template, role_id: str, loc: S3Location) -> bool:
    """``s3:PutObject`` on an object under the location (by the bucket's logical id in the resource and a matching
    key pattern, or by a matching literal ARN)."""
    for st in role_statements(template, role_id):
        if not statement_allows(st, "s3:PutObject") or "NotResource" in st.body:
            continue
        for res in st.resources:
            if res == "*":
                return True
            if loc.object_arn is None:
                if loc.bucket_id is not None and loc.bucket_id in refs_in(res):
                    return True
                continue
            pattern = find_string(template, res)
            if loc.bucket_id is not None and loc.bucket_id in refs_in(res):
                # the bucket part is a reference to the same bucket: compare the key part only
                key_pattern = pattern.split("/", 1)[1] if "/" in pattern else ""
                key = loc.object_arn.split(":::", 1)[1].split("/", 1)[1]
                if fnmatch.fnmatchcase(key, key_pattern):
                    return True
            elif fnmatch.fnmatchcase(loc.object_arn, pattern.replace("arn:aws:", "arn:*:", 1)):
                return True
    return False


def kms_key_ids(template: Template, value: Any) -> tuple[str, ...]:
    """Logical ids an encryption-key property may grant on: the alias it names (if any) and the key behind it."""
    t = target(value)
    key = kms_key_of(template, value)
    if t is None or key is None:
        return ()
    return (t, key) if t != key else (key,)


# --- Step Functions ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Definition:
    """A state machine definition parsed from ``Definition`` or ``DefinitionString``; values CloudFormation fills in
    (Ref, GetAtt, ...) stand as ``__cfn<N>__`` placeholders, mapped back in ``values``."""

    body: Mapping[str, Any]
    values: Mapping[str, Any]
    path: Path


def state_machine_definition(template: Template, sm_id: str) -> Definition | None:
    p = props(resource(template, sm_id))
    base: Path = ["Resources", sm_id, "Properties"]
    if isinstance(p.get("Definition"), Mapping):
        return Definition(p["Definition"], {}, [*base, "Definition"])
    raw = p.get("DefinitionString")
    values: dict[str, Any] = {}

    def text_of(v: Any) -> str | None:
        if isinstance(v, str):
            return v
        if isinstance(v, Mapping) and len(v) == 1:
            (fn, arg), = v.items()
            if fn == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str):
                parts = []
                for part in as_list(arg[1]):
                    t = text_of(part)
                    if t is None:
                        return None
                    parts.append(t)
                return arg[0].join(parts)
            if fn == "Fn::Sub":
                s = arg[0] if isinstance(arg, list) and arg else arg
                if not isinstance(s, str):
                    return None

                def repl(m: re.Match[str]) -> str:
                    key = f"__cfn{len(values)}__"
                    values[key] = {"Fn::Sub": m.group(0)}
                    return key
                return re.sub(r"\$\{(?!!)[^}]+\}", repl, s)
        key = f"__cfn{len(values)}__"
        values[key] = v
        return key

    text = text_of(raw)
    if text is None:
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    return Definition(body, values, [*base, "DefinitionString"]) if isinstance(body, Mapping) else None


def states(definition: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every state, including those in Parallel branches and Map iterators."""
    for name, state in (get(definition, "States") or {}).items():
        if not isinstance(state, Mapping):
            continue
        yield str(name), state
        for branch in as_list(state.get("Branches")):
            if isinstance(branch, Mapping):
                yield from states(branch)
        for key in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(key), Mapping):
                yield from states(state[key])


def task_action(definition: Definition, state: Mapping[str, Any]) -> str | None:
    """``sagemaker:createTransformJob.sync`` for ``arn:<partition>:states:::sagemaker:createTransformJob.sync``."""
    if state.get("Type") != "Task":
        return None
    text = state.get("Resource")
    if not isinstance(text, str):
        return None
    m = re.search(r":states:::(.+)$", text)
    return m.group(1) if m else None


# --- EC2 -----------------------------------------------------------------------------------------------------------


def security_group_ids(template: Template, vpc_config: Any) -> list[str]:
    """Logical ids of the ``AWS::EC2::SecurityGroup`` resources that a ``VpcConfig`` names."""
    out = []
    for sg in as_list(get(vpc_config, "SecurityGroupIds")):
        t = target(sg)
        if t is not None and type_of(template, t) == "AWS::EC2::SecurityGroup":
            out.append(t)
    return out


def security_group_egress(template: Template, sg_id: str) -> list[tuple[Mapping[str, Any], Path]]:
    """The egress rules of a security group: its ``SecurityGroupEgress`` and ``AWS::EC2::SecurityGroupEgress``
    resources whose ``GroupId`` points to it. Note: a group with neither allows all outbound traffic (EC2's default),
    which CDK's ``allowAllOutbound: false`` replaces with a rule to 255.255.255.255/32 ("Disallow all traffic")."""
    sg = resource(template, sg_id)
    out: list[tuple[Mapping[str, Any], Path]] = [
        (rule, ["Resources", sg_id, "Properties", "SecurityGroupEgress", i])
        for i, rule in enumerate(as_list(props(sg).get("SecurityGroupEgress"))) if isinstance(rule, Mapping)
    ]
    for name, egress in resources(template, "AWS::EC2::SecurityGroupEgress"):
        if target(props(egress).get("GroupId")) == sg_id:
            out.append((props(egress), ["Resources", name, "Properties"]))
    return out
