"""Order a template's resources so that each comes after the resources it refers to or depends on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from cdk_sagemaker.local.resolver import references


def needs(body: Mapping[str, Any]) -> set[str]:
    """The names a resource body refers to (``Ref``, ``Fn::GetAtt``, ``Fn::Sub``) or names in ``DependsOn``."""
    depends = body.get("DependsOn", [])
    return {name for _, name in references(dict(body))} | set([depends] if isinstance(depends, str) else depends)


def dependency_order(logical_ids: Iterable[str], resources: Mapping[str, Any]) -> list[str]:
    """``logical_ids`` ordered so that each comes after those of them it needs (cycles are broken where met)."""
    ids = list(logical_ids)
    wanted = set(ids)
    ordered: list[str] = []
    placed: set[str] = set()

    def visit(logical_id: str, path: tuple[str, ...]) -> None:
        if logical_id in placed or logical_id in path:
            return
        for name in sorted(needs(resources[logical_id]) & wanted):
            visit(name, (*path, logical_id))
        placed.add(logical_id)
        ordered.append(logical_id)

    for logical_id in ids:
        visit(logical_id, ())
    return ordered
