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

Not a cfn-lint plugin file (the leading underscore keeps ``--append-rules`` from loading it); rule modules import it
absolutely: ``from cdk_sagemaker.rules._template import ...``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Container",
    "ModelUse",
    "SageMakerModel",
    "Statement",
    "as_list",
    "config_of_endpoint",
    "containers",
    "endpoints_of_config",
    "find_string",
    "get",
    "inference_components",
    "is_conditional",
    "key_policy_statements",
    "model_uses",
    "models_of_config",
    "policy_statements",
    "props",
    "refs_in",
    "resolve_str",
    "resources",
    "role_of_model",
    "role_statements",
    "security_group_egress",
    "security_group_ids",
    "statement_allows",
    "target",
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
    """The logical id of the endpoint config that an ``AWS::SageMaker::Endpoint`` uses (``None`` if not in the
    template)."""
    return target(props(endpoint).get("EndpointConfigName"))


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
    for key in ("ProductionVariants", "ShadowProductionVariants"):
        for i, variant in enumerate(as_list(props(cfg).get(key))):
            if isinstance(variant, Mapping) and "ModelName" in variant:
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


def key_policy_statements(template: Template, key_value: Any) -> tuple[str, list[Statement]] | None:
    """``(key logical id, statements of its KeyPolicy)`` for a KmsKeyId/KmsMasterKeyId value that points to an
    ``AWS::KMS::Key`` of this template (directly, or through an ``AWS::KMS::Alias``); ``None`` otherwise."""
    key_id = target(key_value)
    if key_id is None:
        return None
    if type_of(template, key_id) == "AWS::KMS::Alias":
        key_id = target(props(resource(template, key_id)).get("TargetKeyId"))
    if key_id is None or type_of(template, key_id) != "AWS::KMS::Key":
        return None
    key = resource(template, key_id)
    return key_id, policy_statements(props(key).get("KeyPolicy"), ["Resources", key_id, "Properties", "KeyPolicy"])


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
