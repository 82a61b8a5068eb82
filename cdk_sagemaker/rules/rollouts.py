"""Readiness rules for endpoint rollouts: ``AWS::SageMaker::Endpoint`` ``DeploymentConfig`` (95xx).

Deployment guardrails (blue/green with canary or linear traffic shifting, rolling updates, auto-rollback alarms) as
described in the SageMaker developer guide, "Deployment guardrails for updating models in production",
https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._facts import family, is_neuron
from cdk_sagemaker.rules._rule import EachRule
from cdk_sagemaker.rules._template import (
    Template,
    alarm_dimension_values,
    all_roles_known,
    as_list,
    config_of_endpoint,
    containers,
    find_string,
    get,
    is_marketplace,
    is_serverless,
    models_of_config,
    number,
    props,
    resource,
    resources,
    role_statements,
    roles_of_config,
    statement_allows,
    target,
    type_of,
    variants,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "rollouts"]


def _deployments(template: Any) -> Iterator[tuple[str, Mapping[str, Any], str | None, Mapping[str, Any] | None]]:
    """``(endpoint id, DeploymentConfig, config id, config)`` of every endpoint with a DeploymentConfig."""
    for ep_id, ep in resources(template, "AWS::SageMaker::Endpoint"):
        dc = props(ep).get("DeploymentConfig")
        if isinstance(dc, Mapping):
            cfg_id = config_of_endpoint(template, ep)
            yield ep_id, dc, cfg_id, resource(template, cfg_id)


def _alarm_arn_pattern_matches(template: Any, resource_value: Any, alarm_name: str | None) -> bool:
    """Whether an IAM resource covers ``arn:...:alarm:<alarm_name>`` (unknown parts as wildcards)."""
    pattern = find_string(template, resource_value)
    if pattern == "*":
        return True
    if ":alarm:" not in pattern:
        return False
    name_pattern = pattern.split(":alarm:", 1)[1]
    if alarm_name is None:
        return name_pattern == "*"
    return fnmatch.fnmatchcase(alarm_name, name_pattern)


class _DeploymentRule(EachRule):
    """A rule over the endpoints of the template that have a DeploymentConfig."""

    tags: list[str] = _TAGS

    def each(self, t: Template) -> Iterator[tuple[str, Mapping[str, Any], str | None, Mapping[str, Any] | None]]:
        return _deployments(t)


class RollbackAlarmNotDescribable(_DeploymentRule, CloudFormationLintRule):
    """SageMaker reads the state of every auto-rollback alarm with ``cloudwatch:DescribeAlarms`` under the
    endpoint's IAM execution role; without that permission on the alarm the guardrail cannot watch it.
    Source: Amazon SageMaker developer guide, "Auto-Rollback Configuration and Monitoring" ("Ensure that your IAM
    execution role has permission to perform the cloudwatch:DescribeAlarms action on the auto-rollback alarms you
    specify"), https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html.
    """

    id = "E9501"
    shortdesc = "Rollback alarm the execution role cannot describe"
    description = ("The endpoint's execution role(s) lack cloudwatch:DescribeAlarms on an alarm listed in "
                   "DeploymentConfig.AutoRollbackConfiguration")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html"

    def check(self, t: Template, ep_id: str, dc: Mapping[str, Any], cfg_id: str | None,
              cfg: Mapping[str, Any] | None) -> Iterator[RuleMatch]:
        if cfg_id is None or not all_roles_known(t, cfg_id):
            return
        roles = roles_of_config(t, cfg_id)
        if not roles:
            return
        for i, alarm in enumerate(as_list(get(dc, "AutoRollbackConfiguration", "Alarms"))):
            value = get(alarm, "AlarmName")
            if value is None:
                continue
            alarm_id = target(value)
            alarm_id = alarm_id if type_of(t, alarm_id) == "AWS::CloudWatch::Alarm" else None
            literal = value if isinstance(value, str) else None
            if alarm_id is not None and isinstance(props(resource(t, alarm_id)).get("AlarmName"), str):
                literal = props(resource(t, alarm_id))["AlarmName"]

            def allowed(role_id: str, alarm_id: str | None = alarm_id, literal: str | None = literal) -> bool:
                for st in role_statements(t, role_id):
                    if not statement_allows(st, "cloudwatch:DescribeAlarms") or "NotResource" in st.body:
                        continue
                    if alarm_id is not None and statement_allows(st, "cloudwatch:DescribeAlarms", alarm_id):
                        return True
                    if any(_alarm_arn_pattern_matches(t, r, literal) for r in st.resources):
                        return True
                return False

            missing = [r for r in roles if not allowed(r)]
            if len(missing) == len(roles):
                shown = alarm_id or literal or "the alarm"
                yield RuleMatch(
                    ["Resources", ep_id, "Properties", "DeploymentConfig", "AutoRollbackConfiguration", "Alarms",
                     i, "AlarmName"],
                    f"Endpoint {ep_id} rolls back on alarm {shown}, but no execution role of its models "
                    f"({', '.join(sorted(missing))}) may call cloudwatch:DescribeAlarms on it, so the guardrail "
                    f"cannot read the alarm. Grant cloudwatch:DescribeAlarms on the alarm's ARN "
                    f"(arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>) to the execution role.",
                )


class RollbackAlarmWatchesOtherEndpoint(_DeploymentRule, CloudFormationLintRule):
    """Auto-rollback only protects a deployment when its alarms monitor the endpoint being updated; an alarm of this
    template whose SageMaker metric names another endpoint (``EndpointName`` dimension) never trips for this one.
    Source: Amazon SageMaker developer guide, "Auto-Rollback Configuration and Monitoring" ("You can only use the
    auto-rollback functionality in deployment guardrails if you set up CloudWatch alarms that can monitor an
    endpoint"), https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html.
    """

    id = "W9502"
    shortdesc = "Rollback alarm that watches another endpoint"
    description = "An auto-rollback alarm's EndpointName dimension is not the endpoint being deployed"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html"

    def check(self, t: Template, ep_id: str, dc: Mapping[str, Any], cfg_id: str | None,
              cfg: Mapping[str, Any] | None) -> Iterator[RuleMatch]:
        own_name = props(resource(t, ep_id)).get("EndpointName")
        for i, alarm in enumerate(as_list(get(dc, "AutoRollbackConfiguration", "Alarms"))):
            alarm_id = target(get(alarm, "AlarmName"))
            if type_of(t, alarm_id) != "AWS::CloudWatch::Alarm":
                continue
            for value in alarm_dimension_values(resource(t, alarm_id) or {}, "EndpointName"):
                other = target(value)
                if other is not None:
                    wrong = other != ep_id and type_of(t, other) == "AWS::SageMaker::Endpoint"
                elif isinstance(value, str):
                    wrong = isinstance(own_name, str) and value != own_name
                else:
                    wrong = False
                if wrong:
                    shown = other or value
                    yield RuleMatch(
                        ["Resources", ep_id, "Properties", "DeploymentConfig", "AutoRollbackConfiguration",
                         "Alarms", i, "AlarmName"],
                        f"Endpoint {ep_id} rolls back on alarm {alarm_id}, whose EndpointName dimension is "
                        f"{shown}, not this endpoint: it never trips for this deployment. Point the alarm's "
                        f"EndpointName dimension at {ep_id}'s EndpointName.",
                    )
                    break


def _instance_variants(config: Mapping[str, Any] | None) -> list[tuple[str, float]]:
    """``(variant name, InitialInstanceCount)`` of instance-based variants with a literal count."""
    out = []
    for v in variants(config):
        count = number(v.get("InitialInstanceCount"))
        if count is not None and not is_serverless(v):
            out.append((str(v.get("VariantName", "?")), count))
    return out


def _size_problem(size: Any, fleet: float, lo_pct: float, hi_pct: float) -> str | None:
    """Why a CapacitySize does not fit a variant of ``fleet`` instances (``lo_pct``..``hi_pct`` of the fleet)."""
    kind, value = get(size, "Type"), number(get(size, "Value"))
    if value is None:
        return None
    if kind == "CAPACITY_PERCENT":
        if not lo_pct <= value <= hi_pct:
            return f"{value:g}% is outside {lo_pct:g}-{hi_pct:g}% of the variant's instance count"
        return None
    if kind == "INSTANCE_COUNT":
        lo, hi = math.ceil(fleet * lo_pct / 100), math.floor(fleet * hi_pct / 100)
        if hi < 1 or lo > hi:
            return (f"a variant of {fleet:g} instance(s) has no batch of {lo_pct:g}-{hi_pct:g}% of its instances "
                    f"(at least 1 instance is {100 / fleet:g}% of it)")
        if not lo <= value <= hi:
            return f"{value:g} instance(s) is outside {lo}-{hi} ({lo_pct:g}-{hi_pct:g}% of {fleet:g})"
    return None


# (path in DeploymentConfig, lowest %, highest %, field name, API page)
_SIZES = [
    (("BlueGreenUpdatePolicy", "TrafficRoutingConfiguration", "CanarySize"), 0.0, 50.0),
    (("BlueGreenUpdatePolicy", "TrafficRoutingConfiguration", "LinearStepSize"), 10.0, 50.0),
    (("RollingUpdatePolicy", "MaximumBatchSize"), 5.0, 50.0),
]


class StepSizeDoesNotFitFleet(_DeploymentRule, CloudFormationLintRule):
    """SageMaker bounds each deployment step by the variant's instance count: a canary at most 50 % of it, a linear
    step 10-50 %, a rolling batch (``MaximumBatchSize``) 5-50 %. A step given as an instance count that breaks these
    bounds (e.g. any step on a one-instance variant, or a batch as large as the fleet) is rejected.
    Source: SageMaker API reference, "TrafficRoutingConfig" (CanarySize, LinearStepSize),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html, and
    "RollingUpdatePolicy" (MaximumBatchSize),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_RollingUpdatePolicy.html.
    """

    id = "E9503"
    shortdesc = "Canary, linear or rolling step that does not fit the fleet"
    description = ("CanarySize (<= 50%), LinearStepSize (10-50%) or RollingUpdatePolicy.MaximumBatchSize (5-50%) "
                   "outside its share of the variant's instance count")
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_TrafficRoutingConfig.html"

    def check(self, t: Template, ep_id: str, dc: Mapping[str, Any], cfg_id: str | None,
              cfg: Mapping[str, Any] | None) -> Iterator[RuleMatch]:
        fleet = _instance_variants(cfg)
        if not fleet or len(fleet) != len(variants(cfg)):
            return
        for keys, lo, hi in _SIZES:
            size = get(dc, *keys)
            if not isinstance(size, Mapping):
                continue
            if keys[-1] == "CanarySize" and get(dc, *keys[:-1], "Type") not in ("CANARY", None):
                continue
            if keys[-1] == "LinearStepSize" and get(dc, *keys[:-1], "Type") not in ("LINEAR", None):
                continue
            for name, count in fleet:
                problem = _size_problem(size, count, lo, hi)
                if problem:
                    yield RuleMatch(
                        ["Resources", ep_id, "Properties", "DeploymentConfig", *keys],
                        f"Endpoint {ep_id}: DeploymentConfig.{'.'.join(keys)} does not fit variant {name} of "
                        f"{cfg_id}: {problem}. Use a size within {lo:g}-{hi:g}% of the variant's "
                        f"InitialInstanceCount (as CAPACITY_PERCENT or INSTANCE_COUNT), or more instances.",
                    )
                    break


class RollingUpdateExcluded(_DeploymentRule, CloudFormationLintRule):
    """Rolling deployments are not available for serverless endpoints or for endpoints with more than one
    production variant.
    Source: Amazon SageMaker developer guide, deployment guardrails "Exclusions" ("If you're doing a rolling
    deployment, there are additional feature-based exclusions: Serverless inference endpoints, Multi-variant
    inference endpoints"), https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html.
    """

    id = "E9504"
    shortdesc = "Rolling update on a serverless or multi-variant endpoint"
    description = "DeploymentConfig.RollingUpdatePolicy on a serverless or multi-variant endpoint"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html"

    def check(self, t: Template, ep_id: str, dc: Mapping[str, Any], cfg_id: str | None,
              cfg: Mapping[str, Any] | None) -> Iterator[RuleMatch]:
        if "RollingUpdatePolicy" not in dc or cfg is None:
            return
        vs = variants(cfg)
        reason = None
        if any(is_serverless(v) for v in vs):
            reason = f"{cfg_id} is serverless (ServerlessConfig)"
        elif len(vs) > 1:
            reason = f"{cfg_id} has {len(vs)} production variants"
        if reason:
            yield RuleMatch(
                ["Resources", ep_id, "Properties", "DeploymentConfig", "RollingUpdatePolicy"],
                f"Endpoint {ep_id} uses a rolling deployment but {reason}; SageMaker does not do rolling "
                f"deployments there. Use BlueGreenUpdatePolicy (blue/green traffic shifting) instead.",
            )


def _marketplace(template: Any, cfg_id: str) -> str | None:
    for use in models_of_config(template, cfg_id):
        model = resource(template, use.model_id)
        if model is None:
            continue
        if any(is_marketplace(template, c) for c in containers(str(use.model_id), model)):
            return f"model {use.model_id} runs an AWS Marketplace model package"
    return None


class GuardrailsFallBack(_DeploymentRule, CloudFormationLintRule):
    """On endpoints with AWS Marketplace containers or Inf1 (Inferentia) instances SageMaker cannot apply deployment
    guardrails: an update falls back to blue/green with all-at-once traffic shifting and no final baking period, so
    the configured canary, linear or rolling steps and their alarms do nothing.
    Source: Amazon SageMaker developer guide, deployment guardrails "Exclusions",
    https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html.
    """

    id = "W9505"
    shortdesc = "Deployment guardrails that SageMaker ignores (Inf1, Marketplace)"
    description = "A canary/linear/rolling DeploymentConfig on an endpoint with Inf1 instances or Marketplace models"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-exclusions.html"

    def check(self, t: Template, ep_id: str, dc: Mapping[str, Any], cfg_id: str | None,
              cfg: Mapping[str, Any] | None) -> Iterator[RuleMatch]:
        if cfg_id is None:
            return
        shifting = get(dc, "BlueGreenUpdatePolicy", "TrafficRoutingConfiguration", "Type")
        guarded = "RollingUpdatePolicy" in dc or shifting in ("CANARY", "LINEAR") or bool(
            get(dc, "AutoRollbackConfiguration", "Alarms"))
        if not guarded:
            return
        reason = None
        for v in variants(cfg):
            itype = v.get("InstanceType")
            if isinstance(itype, str) and is_neuron(itype) and family(itype) == "inf1":
                reason = f"variant {v.get('VariantName')} of {cfg_id} runs on {itype} (Inf1)"
                break
        reason = reason or _marketplace(t, cfg_id)
        if reason:
            yield RuleMatch(
                ["Resources", ep_id, "Properties", "DeploymentConfig"],
                f"Endpoint {ep_id} configures deployment guardrails, but {reason}: SageMaker falls back to an "
                f"all-at-once blue/green update without baking period or alarm checks. Use another instance "
                f"family (e.g. ml.inf2) or model, or drop the guardrail settings.",
            )
