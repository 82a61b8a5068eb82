"""Internal: cdk-nag acknowledgements with a written reason, made where the resource is created.

cdk-nag 3 findings are acknowledged with ``Validations.of(construct).acknowledge(Acknowledgment(id, reason))``, where
the id is ``<pack>::<rule>`` or, for rules that report each finding separately, ``<pack>::<rule>[<finding>]``.
Acknowledgements here are always exact (rule and finding), on the exact resource, never a whole pack.

A finding about a resource (``AwsSolutions-IAM5[Resource::...]``) names the resource as cdk-nag renders the value in
the *synthesized* template (``flattenCfnReference`` in cdk-nag 3.0.2, ``src/utils/flatten-cfn-reference.ts``):
``Ref``/``Fn::GetAtt`` become ``<LogicalId>``/``<LogicalId.Attr>``, ``Fn::Join`` is joined, ``${...}`` of ``Fn::Sub``
becomes ``<...>``, ``Fn::ImportValue`` becomes the export name, anything else its JSON. That text depends on the
stack, not only on the ARN's shape: ``Stack.format_arn`` writes the stack's region and account literally when the
stack has ``env=`` (``arn:<AWS::Partition>:ec2:eu-west-1:123456789012:...``) and as pseudo parameters when it is
env-agnostic (``arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:...``); a bucket of another stack becomes an
``Fn::ImportValue`` only when the app is synthesized. So never write a finding's resource text by hand: use
:func:`acknowledge_resource`, which derives it from the resource value itself, now and again at synthesis.
"""

from __future__ import annotations

import contextlib
import json
import weakref
from collections.abc import Iterable

import jsii
from aws_cdk import Acknowledgment, Stack, Validations
from constructs import IConstruct, IValidation

from cdk_sagemaker.constructs._jsii import stack_of

__all__ = ["acknowledge", "acknowledge_all", "acknowledge_resource", "finding_text", "flatten_cfn_reference"]


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge ``rule_id`` (``"NIST.800.53.R5-S3BucketLoggingEnabled"``, ``"AwsSolutions-IAM5[Resource::*]"``)
    on ``scope`` with the reason a reviewer reads. The pack prefix is derived from the rule id.

    For a finding that names a resource built from tokens (an ARN), use :func:`acknowledge_resource` instead: the
    text of such a finding depends on the stack's environment and is only final at synthesis."""
    pack = rule_id.split("-", 1)[0]
    _validations(scope).acknowledge(Acknowledgment(id=f"{pack}::{rule_id}", reason=reason))


def acknowledge_all(scope: IConstruct, rules: Iterable[tuple[str, str]], *,
                    resources: Iterable[tuple[str, str]] = ()) -> None:
    """:func:`acknowledge` several ``(rule_id, reason)`` pairs on ``scope`` in one call (one jsii round trip), and
    with them the IAM5 findings of ``resources``, ``(resource, reason)`` pairs handled as by
    :func:`acknowledge_resource`."""
    acks = [Acknowledgment(id=f"{rule_id.split('-', 1)[0]}::{rule_id}", reason=reason) for rule_id, reason in rules]
    resources = list(resources)
    if resources:
        hook = _late_hook(stack_of(scope))
        for resource, reason in resources:
            text = finding_text(scope, resource)
            acks.append(Acknowledgment(id=f"AwsSolutions::AwsSolutions-IAM5[Resource::{text}]", reason=reason))
            hook.add(scope, "AwsSolutions-IAM5", resource, reason, text)
    if acks:
        _validations(scope).acknowledge(*acks)


# ``Validations.of(scope)`` is one round trip and never changes for a construct: asked once per construct (the answer is
# kept on the construct's Python object, as ``_jsii.node_path`` and ``_jsii.stack_of`` keep the path and the stack).
_VALIDATIONS_ATTR = "_cdk_sagemaker_validations"


def _validations(scope: IConstruct) -> Validations:
    cached: Validations | None = getattr(scope, _VALIDATIONS_ATTR, None)
    if cached is None:
        cached = Validations.of(scope)
        with contextlib.suppress(AttributeError):
            setattr(scope, _VALIDATIONS_ATTR, cached)
    return cached


def flatten_cfn_reference(node: object) -> str:
    """A resolved CloudFormation value as cdk-nag 3.0.2's ``flattenCfnReference`` prints it in a finding id.

    The same cases in the same order: the JavaScript original tests each key for a truthy value (``!!node[key]``)
    and falls back to ``JSON.stringify`` (compact, non-ASCII kept, whole floats without ``.0``)."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node.replace("${", "<").replace("}", ">")
    if isinstance(node, dict):
        join = node.get("Fn::Join")
        if _truthy(join) and isinstance(join, list) and len(join) == 2 and isinstance(join[1], list):
            return str(join[0]).join(flatten_cfn_reference(item) for item in join[1])
        if _truthy(node.get("Fn::Sub")):
            return flatten_cfn_reference(node["Fn::Sub"])
        get_att = node.get("Fn::GetAtt")
        if _truthy(get_att) and isinstance(get_att, list) and len(get_att) == 2:
            return f"<{flatten_cfn_reference(get_att[0])}.{flatten_cfn_reference(get_att[1])}>"
        if _truthy(node.get("Fn::ImportValue")):
            return flatten_cfn_reference(node["Fn::ImportValue"])
        if _truthy(node.get("Ref")):
            return f"<{flatten_cfn_reference(node['Ref'])}>"
    return json.dumps(_js_numbers(node), separators=(",", ":"), ensure_ascii=False)


def _truthy(value: object) -> bool:
    """JavaScript truthiness (an empty list or object is true)."""
    return value is not None and value is not False and value != 0 and value != ""


def _js_numbers(node: object) -> object:
    """``JSON.stringify`` writes ``1.0`` as ``1``."""
    if isinstance(node, float) and node.is_integer():
        return int(node)
    if isinstance(node, list):
        return [_js_numbers(item) for item in node]
    if isinstance(node, dict):
        return {key: _js_numbers(value) for key, value in node.items()}
    return node


def finding_text(scope: IConstruct, value: str) -> str:
    """``value`` (an ARN that may hold tokens) as cdk-nag writes it in a finding id *now*, resolved in the stack of
    ``scope``: e.g. ``arn:<AWS::Partition>:s3:::<Bucket83908E77>/outputs/*`` in any stack,
    ``arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:network-interface/*`` from ``Stack.format_arn`` in an
    env-agnostic stack but ``arn:<AWS::Partition>:ec2:cn-north-1:123456789012:network-interface/*`` in a stack with
    that ``env``. References to other stacks resolve to their imports only at synthesis (see
    :func:`acknowledge_resource`)."""
    stack = stack_of(scope)
    memo = _BUILD_TEXTS.get(stack)
    if memo is None:
        memo = _BUILD_TEXTS[stack] = {}
    return _text_in(stack, value, memo)


def _text_in(stack: Stack, value: str, memo: dict[str, str]) -> str:
    """The finding text of ``value`` resolved in ``stack``, resolved once per distinct value in ``memo`` (the same
    ARN text, e.g. the SageMaker log groups of every model, resolves to the same value in one stack)."""
    text = memo.get(value)
    if text is None:
        text = memo[value] = flatten_cfn_reference(stack.resolve(value))
    return text


# Finding texts computed while constructs are built, per stack. The late hook resolves every value again at synthesis
# with a fresh memo, so a text that changed after it was memoized here is still acknowledged.
_BUILD_TEXTS: weakref.WeakKeyDictionary[Stack, dict[str, str]] = weakref.WeakKeyDictionary()


def acknowledge_resource(scope: IConstruct, resource: str, reason: str, *, rule: str = "AwsSolutions-IAM5") -> None:
    """Acknowledge ``<rule>[Resource::<resource as cdk-nag renders it>]`` (by default the IAM5 wildcard finding) on
    ``scope`` with ``reason``, for exactly the value passed to the policy statement.

    The finding text is computed from ``resource`` in the stack of ``scope``, so it matches env-agnostic stacks and
    stacks with ``env=`` of any account, region and partition. It is computed again when the app is synthesized
    (after CDK has turned references to other stacks into imports or nested-stack parameters, and after any logical id
    override); if the text has changed by then, that text is acknowledged too."""
    text = finding_text(scope, resource)
    acknowledge(scope, f"{rule}[Resource::{text}]", reason)
    _late_hook(stack_of(scope)).add(scope, rule, resource, reason, text)


@jsii.implements(IValidation)
class _LateAcknowledgements:
    """A construct validation of one stack: runs during synthesis after references are resolved (``prepareApp``)
    and before policy-validation plugins (cdk-nag) read the acknowledgements, and acknowledges every resource finding
    whose text has changed since the construct was built. Returns no errors."""

    def __init__(self) -> None:
        self._entries: list[tuple[IConstruct, str, str, str, set[str]]] = []

    def add(self, scope: IConstruct, rule: str, resource: str, reason: str, text: str) -> None:
        self._entries.append((scope, rule, resource, reason, {text}))

    def validate(self) -> list[str]:
        memo: dict[str, str] = {}
        for scope, rule, resource, reason, done in self._entries:
            text = _text_in(stack_of(scope), resource, memo)
            if text not in done:
                done.add(text)
                acknowledge(scope, f"{rule}[Resource::{text}]", reason)
        return []


_HOOKS: weakref.WeakKeyDictionary[Stack, _LateAcknowledgements] = weakref.WeakKeyDictionary()


def _late_hook(stack: Stack) -> _LateAcknowledgements:
    hook = _HOOKS.get(stack)
    if hook is None:
        hook = _HOOKS[stack] = _LateAcknowledgements()
        stack.node.add_validation(hook)
    return hook
