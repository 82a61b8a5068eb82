"""Builds the example app from ``STACKS``, honouring cdk.json context (``stacks``, ``account``, ``region``)."""

from __future__ import annotations

import aws_cdk as cdk

from cdk_sagemaker.errors import ValidationError

__all__ = ["build_app", "selected_stacks"]


def selected_stacks(value: str | None) -> list[str]:
    """Stack names from ``-c stacks=A,B`` (all of ``STACKS`` when empty); unknown names list the known ones."""
    from cdk_sagemaker.stacks import STACKS

    if not value:
        return list(STACKS)
    names = [n.strip() for n in value.split(",") if n.strip()]
    unknown = [n for n in names if n not in STACKS]
    if unknown:
        raise ValidationError("app", [f"stacks must name stacks from STACKS ({', '.join(STACKS)}), got {unknown!r}"])
    return names


def build_app(app: cdk.App | None = None) -> cdk.App:
    """An app with the selected example stacks, env-agnostic unless ``account``/``region`` context is set."""
    from cdk_sagemaker.stacks import STACKS

    app = app or cdk.App()
    account = app.node.try_get_context("account")
    region = app.node.try_get_context("region")
    env = cdk.Environment(account=account, region=region) if (account or region) else None
    for name in selected_stacks(app.node.try_get_context("stacks")):
        STACKS[name](app, name, env=env)
    return app
