"""Attributes that exist only when an option was given: typed without ``None``, raising a clear error otherwise."""

from __future__ import annotations

from typing import TypeVar

from constructs import IConstruct

from cdk_sagemaker.constructs._jsii import node_path
from cdk_sagemaker.errors import NotConfiguredError

__all__ = ["configured"]

T = TypeVar("T")


def configured(value: T | None, owner: IConstruct, attribute: str, how: str) -> T:
    """``value``, or :class:`NotConfiguredError` saying that ``attribute`` of ``owner`` needs ``how``."""
    if value is None:
        raise NotConfiguredError(node_path(owner), attribute, how)
    return value
