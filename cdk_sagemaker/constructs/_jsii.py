"""Internal: answers that would otherwise cost a Python -> Node (jsii) round trip each time they are asked.

Every call into aws-cdk-lib from Python is a synchronous message to the jsii Node process (~0.1-0.5 ms on an idle
machine, much more on a loaded one). These helpers answer the questions constructs ask repeatedly from Python where the
answer cannot change: a construct's path, the pseudo-parameter tokens, and whether a plain string holds a token.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from aws_cdk import Aws, Stack, Token
from aws_cdk import aws_iam as iam
from constructs import IConstruct

__all__ = [
    "account_id",
    "inherit_stack",
    "is_unresolved",
    "node_path",
    "partition",
    "region",
    "remember_path",
    "service_principal",
    "stack_of",
    "unique_child_id",
]

# aws-cdk-lib core/lib/private/encoding.js: a string is unresolved only if it contains ANY_TOKEN_MARKER ("Token[")
# and matches the token regex; without the marker the answer is False, so no round trip is needed.
_ANY_TOKEN_MARKER = "Token["
_PATH_ATTR = "_cdk_sagemaker_node_path"
_STACK_ATTR = "_cdk_sagemaker_stack"
# aws-cdk-lib encodes a number token as a double with the bit pattern 0xFBFF << 48 (core/lib/private/encoding.js):
# about -1.9e289 and beyond in magnitude, so any ordinary float is answered in Python.
_SMALLEST_NUMBER_TOKEN = 1e280


def is_unresolved(value: Any) -> bool:
    """``Token.is_unresolved(value)``, answered in Python for plain strings without a token marker."""
    if isinstance(value, str) and _ANY_TOKEN_MARKER not in value:
        return False
    if value is None or isinstance(value, bool | int):  # a Python int is never a token (number tokens are doubles)
        return False
    if isinstance(value, float) and abs(value) < _SMALLEST_NUMBER_TOKEN:
        return False
    return bool(Token.is_unresolved(value))


def node_path(construct: IConstruct) -> str:
    """``construct.node.path`` (two round trips), asked once per construct: a path never changes once created."""
    cached: str | None = getattr(construct, _PATH_ATTR, None)
    if cached is None:
        cached = construct.node.path
        with contextlib.suppress(AttributeError):  # a proxy without a __dict__: answer without caching
            setattr(construct, _PATH_ATTR, cached)
    return cached


def remember_path(construct: IConstruct, scope: IConstruct, id: str) -> None:
    """Record ``construct.node.path`` right after ``Construct.__init__(scope, id)`` without asking Node: the scope's
    (cached) path, a slash and the id, with ``/`` in the id written as ``--`` (constructs 10 ``sanitizeId``); the
    root's path is empty. Saves the two round trips of the first :func:`node_path` of every construct of ours."""
    parent = node_path(scope)
    with contextlib.suppress(AttributeError):
        setattr(construct, _PATH_ATTR, f"{parent}/{id.replace('/', '--')}" if parent else id.replace("/", "--"))
        # Its stack too, when the scope knows it without asking: the scope is a stack (a nested stack is its own
        # children's stack, as Stack.of answers), or a construct of ours that already knows its stack.
        stack = scope if isinstance(scope, Stack) else getattr(scope, _STACK_ATTR, None)
        if stack is not None:
            setattr(construct, _STACK_ATTR, stack)


def stack_of(construct: IConstruct) -> Stack:
    """``Stack.of(construct)`` (a round trip), asked once per construct, or not at all when the construct was
    recorded with :func:`remember_path` under a stack or under a construct that knew its stack."""
    cached: Stack | None = getattr(construct, _STACK_ATTR, None)
    if cached is None:
        cached = Stack.of(construct)
        with contextlib.suppress(AttributeError):
            setattr(construct, _STACK_ATTR, cached)
    return cached


def inherit_stack(child: IConstruct, parent: IConstruct) -> None:
    """Record on ``child`` (a construct made directly under ``parent``, not a stack itself) the stack of ``parent``, so
    that :func:`stack_of` answers it without a round trip."""
    stack = getattr(parent, _STACK_ATTR, None)
    if stack is not None and not isinstance(child, Stack):
        with contextlib.suppress(AttributeError):
            setattr(child, _STACK_ATTR, stack)


@functools.cache
def service_principal(service: str) -> iam.ServicePrincipal:
    """``iam.ServicePrincipal(service)`` without conditions, made once per process and shared by every role that
    trusts it (a principal is a value: each role's trust policy renders its own copy, resolved in the role's stack)."""
    return iam.ServicePrincipal(service)


@functools.cache
def partition() -> str:
    """``Aws.PARTITION`` (a process-wide constant token)."""
    return Aws.PARTITION


@functools.cache
def region() -> str:
    """``Aws.REGION`` (a process-wide constant token)."""
    return Aws.REGION


@functools.cache
def account_id() -> str:
    """``Aws.ACCOUNT_ID`` (a process-wide constant token)."""
    return Aws.ACCOUNT_ID


def unique_child_id(scope: IConstruct, base: str) -> str:
    """``base``, or ``base2``, ``base3``... when ``scope`` already has a child of that id (e.g. two containers of one
    model that each bring a file asset). The first keeps ``base``, so existing logical ids do not change."""
    candidate, n = base, 1
    while scope.node.try_find_child(candidate) is not None:
        n += 1
        candidate = f"{base}{n}"
    return candidate
