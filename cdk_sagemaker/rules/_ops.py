"""Helpers for the scaling, rollout, batch and endpoint rules (94xx, 95xx, 97xx, 98xx).

Built on :mod:`cdk_sagemaker.rules._template`; like it, nothing here raises on a shape it does not understand: what
cannot be resolved is ``None`` and the rules skip it (no finding rather than a false one). Not a cfn-lint plugin file
(the leading underscore keeps ``--append-rules`` from loading it).
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cdk_sagemaker.rules._template import (
    as_list,
    find_string,
    get,
    models_of_config,
    props,
    refs_in,
    resource,
    resources,
    role_of_model,
    role_statements,
    statement_allows,
    target,
    type_of,
)

Template = Mapping[str, Any]
Path = list[str | int]

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


def family(instance_type: Any) -> str | None:
    """``ml.g5.xlarge`` -> ``g5``; ``None`` for anything that is not a literal ``ml.<family>.<size>``."""
    if not isinstance(instance_type, str):
        return None
    parts = instance_type.split(".")
    return parts[1] if len(parts) == 3 and parts[0] == "ml" else None


# --- endpoints and variants ----------------------------------------------------------------------------------------


def endpoint_config_id(template: Template, endpoint: Mapping[str, Any]) -> str | None:
    """Logical id of the ``AWS::SageMaker::EndpointConfig`` an endpoint uses, when it is in the template."""
    cfg = target(props(endpoint).get("EndpointConfigName"))
    return cfg if type_of(template, cfg) == "AWS::SageMaker::EndpointConfig" else None


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
        config_id = endpoint_config_id(template, resource(template, endpoint_id) or {}) if endpoint_id else None
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
    """Logical ids an encryption-key property may grant on: the key, and the alias pointing at it."""
    t = target(value)
    if t is None:
        return ()
    if type_of(template, t) == "AWS::KMS::Alias":
        key = target(props(resource(template, t)).get("TargetKeyId"))
        return (t, key) if key else (t,)
    return (t,) if type_of(template, t) == "AWS::KMS::Key" else ()


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

