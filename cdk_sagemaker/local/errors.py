"""Errors of the local (moto) deployment engine: one line each, fit for a CLI's stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from cdk_sagemaker.local.report import DeployReport, DestroyReport


class LocalDeployError(Exception):
    """A local deployment could not be done; ``str(error)`` is a one-line explanation.

    ``report`` holds what was deployed before the failure, when anything was.
    """

    def __init__(self, message: str, *, report: DeployReport | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.report = report


class SynthError(LocalDeployError):
    """The CDK app did not synthesize."""


class StackNotFoundError(LocalDeployError):
    """A requested stack is not in the cloud assembly."""


class StackDeployError(LocalDeployError):
    """A stack failed to deploy (template error, failed resource, timeout)."""


class StackDestroyError(StackDeployError):
    """A stack delete left resources behind; the message names each one and why, ``destroy_report`` has them all."""

    def __init__(self, message: str, *, destroy_report: DestroyReport) -> None:
        super().__init__(message)
        self.destroy_report = destroy_report


class ServerError(LocalDeployError):
    """The local moto server could not start (port in use, moto not installed)."""
