"""Typed protocols for what an endpoint and a model offer, whether built in this app or imported.

:class:`IEndpoint` is met by :class:`~cdk_sagemaker.RealtimeEndpoint`, :class:`~cdk_sagemaker.ServerlessEndpoint`,
:class:`~cdk_sagemaker.AsyncEndpoint` and the imported endpoints of ``RealtimeEndpoint.from_endpoint_name``,
``from_endpoint_arn`` and ``from_endpoint_attributes``; :class:`IModel` by :class:`~cdk_sagemaker.Model` and the
imported models of ``Model.from_model_name`` and ``from_model_arn``. Type a parameter with one of them to take either.

They are :class:`typing.Protocol` classes rather than jsii interfaces or :class:`abc.ABC` bases: this library is
Python-only (no TypeScript implements them), structural typing lets any object with these members qualify without
inheriting, mypy checks every implementation where it is used, and an ABC base would clash with the jsii metaclass
of ``Construct`` subclasses. ``isinstance`` works too (``runtime_checkable``: it checks that the members exist).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from constructs import Node

__all__ = ["IEndpoint", "IModel"]


@runtime_checkable
class IEndpoint(Protocol):
    """A SageMaker endpoint: its name and ARN, an invoke grant and its variants' metrics."""

    @property
    def node(self) -> Node: ...

    @property
    def endpoint_name(self) -> str: ...

    @property
    def endpoint_arn(self) -> str: ...

    def grant_invoke(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` invoke the endpoint (and nothing else)."""

    def metric(
        self, metric_name: str, *, variant_name: str | None = None, namespace: str = "AWS/SageMaker",
        statistic: str = "Sum", period: Duration | None = None, label: str | None = None,
        unit: cloudwatch.Unit | None = None, color: str | None = None, account: str | None = None,
        region: str | None = None,
    ) -> cloudwatch.Metric:
        """A CloudWatch metric of one variant of the endpoint."""


@runtime_checkable
class IModel(Protocol):
    """A SageMaker model: what a name or ARN reference needs."""

    @property
    def node(self) -> Node: ...

    @property
    def model_name(self) -> str: ...

    @property
    def model_arn(self) -> str: ...
