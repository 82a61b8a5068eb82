"""Readiness rules 92xx: storage encryption keys and KMS key policies of SageMaker endpoints and what they notify."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._facts import has_instance_storage
from cdk_sagemaker.rules._rule import EachRule, TemplateRule
from cdk_sagemaker.rules._template import (
    Statement,
    Template,
    all_variants,
    as_list,
    find_string,
    get,
    key_policy_statements,
    model_uses,
    props,
    refs_in,
    resource,
    resources,
    role_of_model,
    role_statements,
    role_visible,
    statement_allows,
    target,
    type_of,
)

_TAGS = ["sagemaker", "cdk-sagemaker", "keys"]
_CREATE_CONFIG = "https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html"


def _keyed_variants(t: Template) -> Iterator[tuple[str, str, int, Mapping[str, Any]]]:
    """``(config id, variants key, index, variant)`` for every variant of an endpoint config that sets ``KmsKeyId``."""
    for name, cfg in resources(t, "AWS::SageMaker::EndpointConfig"):
        p = props(cfg)
        if p.get("KmsKeyId") is None:
            continue
        for key, i, v in all_variants(cfg):
            yield name, key, i, v


class _KmsKeyIdRule(EachRule):
    """A rule over the variants of endpoint configs that set ``KmsKeyId``: a finding is on the ``KmsKeyId``."""

    tags: list[str] = _TAGS

    def each(self, t: Template) -> Iterator[tuple[str, str, int, Mapping[str, Any]]]:
        return _keyed_variants(t)


class KmsKeyOnInstanceStorage(_KmsKeyIdRule, CloudFormationLintRule):
    """Instance types with local NVMe storage (m5d, c5d, r5d, g4dn, g5, g6, p4d, p5, trn1, ...) encrypt it with a
    hardware module; CreateEndpointConfig fails when ``KmsKeyId`` is set and any variant uses such a type. Source:
    CreateEndpointConfig, KmsKeyId ("If you specify a value for KmsKeyId when using any nitro-based instances with
    local storage, the call to CreateEndpointConfig fails"),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html."""

    id = "E9201"
    shortdesc = "KmsKeyId on an instance type with local NVMe storage"
    description = "CreateEndpointConfig rejects KmsKeyId when a variant's instance type has instance storage"
    source_url = _CREATE_CONFIG

    def check(self, t: Template, name: str, key: str, i: int, v: Mapping[str, Any]) -> Iterator[RuleMatch]:
        itype = v.get("InstanceType")
        if isinstance(itype, str) and has_instance_storage(itype):
            yield RuleMatch(
                ["Resources", name, "Properties", "KmsKeyId"],
                f"EndpointConfig {name}: KmsKeyId is set but {key}[{i}] uses {itype}, which has local NVMe "
                "storage encrypted by the instance; CreateEndpointConfig fails: remove KmsKeyId (or use an "
                "instance type without instance storage)")


class KmsKeyOnServerless(_KmsKeyIdRule, CloudFormationLintRule):
    """A serverless variant has no ML storage volume for ``KmsKeyId`` to encrypt; SageMaker rejects an endpoint config
    that sets ``KmsKeyId`` with a ``ServerlessConfig`` variant. Source: CreateEndpointConfig, KmsKeyId (the key encrypts
    "the storage volume attached to the ML compute instance"),
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html, and "Deploy models with
    Amazon SageMaker Serverless Inference", https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html."""

    id = "E9202"
    shortdesc = "KmsKeyId on a serverless endpoint config"
    description = "Serverless variants have no storage volume: the endpoint config must not set KmsKeyId"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html"

    def check(self, t: Template, name: str, key: str, i: int, v: Mapping[str, Any]) -> Iterator[RuleMatch]:
        if isinstance(v.get("ServerlessConfig"), Mapping):
            yield RuleMatch(
                ["Resources", name, "Properties", "KmsKeyId"],
                f"EndpointConfig {name}: KmsKeyId is set but {key}[{i}] is serverless (ServerlessConfig), "
                "which has no storage volume to encrypt; remove KmsKeyId")


# --- key policies ----------------------------------------------------------------------------------------------------


def _actions_match(statement: Statement, action: str) -> bool:
    pats = statement.not_actions or statement.actions
    hit = any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in pats)
    return not hit if statement.not_actions else hit


def _principal_values(template: Mapping[str, Any], statement: Statement, kind: str) -> list[Any]:
    principal = statement.principals
    if principal == "*":
        return ["*"]
    return as_list(get(principal, kind)) if isinstance(principal, Mapping) else []


def _names_service(template: Mapping[str, Any], statement: Statement, service: str) -> bool:
    """True when the statement's principal is the service (``logs.amazonaws.com``, ``logs.<region>.amazonaws.com``)
    or ``*``."""
    prefix = service.split(".", 1)[0]
    if "*" in _principal_values(template, statement, "AWS"):
        return True
    for value in _principal_values(template, statement, "Service"):
        text = find_string(template, value)
        if text == "*" or text.split(".", 1)[0] == prefix:
            return True
    return False


def _names_role(template: Mapping[str, Any], statement: Statement, role_id: str) -> bool:
    return any(v == "*" or role_id in refs_in(v) for v in _principal_values(template, statement, "AWS"))


def _names_account(template: Mapping[str, Any], statement: Statement) -> bool:
    for v in _principal_values(template, statement, "AWS"):
        if v == {"Ref": "AWS::AccountId"} or find_string(template, v).endswith(":root"):
            return True
    return False


def _key_allows_service(template: Mapping[str, Any], statements: list[Statement], service: str,
                        actions: Iterable[str]) -> list[str]:
    """The actions of ``actions`` that the key policy does not allow the service principal (or denies it)."""
    missing = []
    for action in actions:
        allowed = any(s.effect == "Allow" and _actions_match(s, action) and _names_service(template, s, service)
                      for s in statements)
        denied = any(s.effect == "Deny" and _actions_match(s, action) and "Condition" not in s.body
                     and _names_service(template, s, service) for s in statements)
        if not allowed or denied:
            missing.append(action)
    return missing


def _key_allows_role(template: Mapping[str, Any], key_id: str, statements: list[Statement], role_id: str,
                     actions: Iterable[str]) -> list[str]:
    """Actions the role cannot use on the key: neither the key policy names the role, nor does it delegate to the
    account (root) with the role's own IAM policies granting the action; or an unconditional Deny names the role."""
    missing = []
    iam = role_statements(template, role_id)
    for action in actions:
        denied = any(s.effect == "Deny" and _actions_match(s, action) and "Condition" not in s.body
                     and _names_role(template, s, role_id) for s in statements)
        direct = any(s.effect == "Allow" and _actions_match(s, action) and _names_role(template, s, role_id)
                     for s in statements)
        delegated = any(s.effect == "Allow" and _actions_match(s, action) and _names_account(template, s)
                        for s in statements) and any(statement_allows(s, action, key_id) for s in iam)
        if denied or not (direct or delegated):
            missing.append(action)
    return missing


def _topic_key(template: Mapping[str, Any], topic_value: Any) -> tuple[str, Any] | None:
    """``(topic logical id, KmsMasterKeyId value)`` of an encrypted ``AWS::SNS::Topic`` of this template."""
    topic_id = target(topic_value)
    if type_of(template, topic_id) != "AWS::SNS::Topic" or topic_id is None:
        return None
    key = props(resource(template, topic_id)).get("KmsMasterKeyId")
    return (topic_id, key) if key is not None else None


class LogGroupKeyDeniesLogs(TemplateRule, CloudFormationLintRule):
    """CloudWatch Logs encrypts a log group with its ``KmsKeyId`` only when the key policy allows the regional logs
    service principal (``logs.<region>.amazonaws.com``) ``kms:Encrypt*``, ``kms:Decrypt*``, ``kms:ReEncrypt*``,
    ``kms:GenerateDataKey*`` and ``kms:Describe*``; otherwise CreateLogGroup (and the stack) fails. SageMaker stacks
    use such groups for VPC flow logs and custom container logs. Source: "Encrypt log data in CloudWatch Logs using
    AWS Key Management Service",
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html."""

    id = "E9203"
    shortdesc = "Log group key policy does not allow CloudWatch Logs"
    description = "The KMS key of an encrypted log group must allow the logs service principal"
    source_url = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, group in resources(t, "AWS::Logs::LogGroup"):
            found = key_policy_statements(t, props(group).get("KmsKeyId"))
            if found is None:
                continue
            key_id, statements = found
            missing = _key_allows_service(t, statements, "logs.amazonaws.com",
                                          ("kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"))
            if missing:
                yield RuleMatch(
                    ["Resources", name, "Properties", "KmsKeyId"],
                    f"LogGroup {name}: KmsKeyId is key {key_id}, whose KeyPolicy does not allow the CloudWatch Logs "
                    f"service principal {', '.join(missing)}; add a statement for Principal Service "
                    "logs.<region>.amazonaws.com with kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, "
                    "kms:GenerateDataKey*, kms:Describe* (condition kms:EncryptionContext:aws:logs:arn)")


class AlarmTopicKeyDeniesCloudWatch(TemplateRule, CloudFormationLintRule):
    """A CloudWatch alarm that notifies an SNS topic encrypted with a KMS key can publish only if the key policy allows
    ``cloudwatch.amazonaws.com`` ``kms:Decrypt`` and ``kms:GenerateDataKey*``; with an AWS managed key
    (``alias/aws/sns``), whose policy cannot be changed, it never can. The alarm changes state but the notification
    (an on-call page, a rollback signal) is silently dropped. Source: "Encrypting messages published to Amazon SNS
    with AWS KMS" (enable compatibility between event sources from AWS services and encrypted topics),
    https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html."""

    id = "W9204"
    shortdesc = "Alarm notifies an encrypted topic that CloudWatch cannot use"
    description = "The key of an SNS topic that alarms notify must allow cloudwatch.amazonaws.com"
    source_url = "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, alarm in resources(t, "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"):
            for prop in ("AlarmActions", "OKActions", "InsufficientDataActions"):
                for i, action in enumerate(as_list(props(alarm).get(prop))):
                    topic = _topic_key(t, action)
                    if topic is None:
                        continue
                    topic_id, key_value = topic
                    path: list[str | int] = ["Resources", name, "Properties", prop, i]
                    if isinstance(key_value, str) and key_value.endswith("alias/aws/sns"):
                        yield RuleMatch(path, (
                            f"Alarm {name}: {prop} notifies topic {topic_id}, encrypted with the AWS managed key "
                            "alias/aws/sns, which CloudWatch cannot use; encrypt the topic with a customer managed "
                            "key that allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*"))
                        continue
                    found = key_policy_statements(t, key_value)
                    if found is None:
                        continue
                    key_id, statements = found
                    missing = _key_allows_service(t, statements, "cloudwatch.amazonaws.com",
                                                  ("kms:Decrypt", "kms:GenerateDataKey"))
                    if missing:
                        yield RuleMatch(path, (
                            f"Alarm {name}: {prop} notifies topic {topic_id}, whose key {key_id} does not allow "
                            f"cloudwatch.amazonaws.com {', '.join(missing)}, so notifications are dropped; add a key "
                            "policy statement for Principal Service cloudwatch.amazonaws.com with kms:Decrypt and "
                            "kms:GenerateDataKey* (condition aws:SourceAccount)"))


class ExecutionRoleCannotUseAsyncKeys(TemplateRule, CloudFormationLintRule):
    """An asynchronous endpoint writes results to S3 encrypted with ``OutputConfig.KmsKeyId`` and publishes to the
    ``SuccessTopic`` / ``ErrorTopic``; when those are encrypted with a customer managed key, the model's execution role
    must be able to use the key: the key policy names the role, or delegates to the account (root) and the role's IAM
    policies grant the KMS actions. Otherwise results or notifications fail at run time. Source: "Asynchronous
    inference: Create an endpoint" (the execution role needs kms permissions for the output key and encrypted
    topics), https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint.html, and
    AsyncInferenceOutputConfig, https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_AsyncInferenceOutputConfig.html."""

    id = "W9205"
    shortdesc = "Execution role cannot use the async output or topic key"
    description = "The model's execution role must be able to use the async output key and the topics' keys"
    source_url = "https://docs.aws.amazon.com/sagemaker/latest/dg/async-inference-create-endpoint.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        seen: set[tuple[str, str, str]] = set()
        for config_id, model_id, _ in model_uses(t):
            output = get(props(resource(t, config_id)), "AsyncInferenceConfig", "OutputConfig")
            if not isinstance(output, Mapping):
                continue
            role_id = role_of_model(t, resource(t, model_id) or {})
            if role_id is None or not role_visible(t, role_id):
                continue  # an AWS-managed or imported policy may grant the key: unknown
            uses: list[tuple[list[str | int], str, Any, tuple[str, ...]]] = [
                (["Resources", config_id, "Properties", "AsyncInferenceConfig", "OutputConfig", "KmsKeyId"],
                 "OutputConfig.KmsKeyId", output.get("KmsKeyId"), ("kms:GenerateDataKey", "kms:Decrypt"))]
            for topic_prop in ("SuccessTopic", "ErrorTopic"):
                topic = _topic_key(t, get(output, "NotificationConfig", topic_prop))
                if topic is not None:
                    uses.append((["Resources", config_id, "Properties", "AsyncInferenceConfig", "OutputConfig",
                                  "NotificationConfig", topic_prop], f"NotificationConfig.{topic_prop} ({topic[0]})",
                                 topic[1], ("kms:GenerateDataKey", "kms:Decrypt")))
            for path, what, key_value, actions in uses:
                found = key_policy_statements(t, key_value)
                if found is None:
                    continue
                key_id, statements = found
                missing = _key_allows_role(t, key_id, statements, role_id, actions)
                if missing and (config_id, what, role_id) not in seen:
                    seen.add((config_id, what, role_id))
                    yield RuleMatch(path, (
                        f"EndpointConfig {config_id}: {what} uses key {key_id}, which model {model_id}'s execution "
                        f"role {role_id} cannot use ({', '.join(missing)}); allow the role in the key policy, or "
                        "grant it these actions on the key in its IAM policy when the key policy delegates to the "
                        "account"))
