"""The leaf that auto scaling, rollouts and data capture attach to: one variant of an endpoint.

Two protocols, so that :mod:`~cdk_sagemaker.constructs.autoscaling`, :mod:`~cdk_sagemaker.constructs.deployment` and
:mod:`~cdk_sagemaker.constructs.capture` need nothing from the endpoint classes (compare aws-sagemaker-alpha
``lib/scalable-instance-count.ts``, which needs nothing but a resource id):

- :class:`VariantFacts`: what validation reads about a variant. Known before the endpoint exists (an endpoint's
  :class:`~cdk_sagemaker.constructs.endpoint.VariantSpec`) and after (an
  :class:`~cdk_sagemaker.constructs.endpoint.EndpointVariant`), so options are checked against a variant before
  anything is created.
- :class:`IEndpointVariant`: a variant of an endpoint that exists in this app: its ids, the scope its scaling
  resources and alarms are created under, the principals SageMaker acts as for it, and the hook that records a
  scalable target (and makes the endpoint keep the capacity scaling reaches across updates).

Both are :class:`typing.Protocol` classes, not jsii interfaces: they are Python-only contracts between this library's
modules and subclasses (no TypeScript code implements or calls them), so structural typing lets a user's own
variant-like object work without inheriting from anything, and mypy checks every implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol, runtime_checkable

from aws_cdk import aws_applicationautoscaling as appscaling
from constructs import Construct

from cdk_sagemaker.constructs._policy import PolicySink
from cdk_sagemaker.constructs.model import Model

__all__ = ["IEndpointVariant", "PolicySink", "VariantFacts", "VariantKind"]

#: What a variant runs on: instances (real-time), serverless compute, or instances behind a queue (async).
VariantKind = Literal["instance", "serverless", "async"]


@runtime_checkable
class VariantFacts(Protocol):
    """What validation reads about a variant, before or after its endpoint exists."""

    @property
    def variant_name(self) -> str: ...

    @property
    def kind(self) -> VariantKind: ...

    @property
    def instance_type(self) -> str | None:
        """``None`` on a serverless variant."""

    @property
    def initial_instance_count(self) -> int | None:
        """``None`` on a serverless variant."""

    @property
    def provisioned_concurrency(self) -> int | None:
        """Serverless variants only; ``None`` elsewhere and when not given."""

    @property
    def max_concurrency(self) -> int | None:
        """Serverless variants only."""


@runtime_checkable
class IEndpointVariant(VariantFacts, Protocol):
    """A variant of an endpoint of this app: what auto scaling, deployment guardrails and data capture attach to."""

    @property
    def model(self) -> Model | None:
        """The model the variant serves (``None`` on a variant that hosts inference components)."""

    @property
    def accelerator_type(self) -> str | None:
        """The Elastic Inference accelerator rendered for the variant, if any."""

    @property
    def resource_id(self) -> str:
        """The Application Auto Scaling resource id, ``endpoint/<name>/variant/<variant>``."""

    @property
    def endpoint_name(self) -> str: ...

    @property
    def endpoint_arn(self) -> str: ...

    @property
    def scope(self) -> Construct:
        """The construct that scaling resources, alarms and capture buckets of the variant are created under."""

    def execution_principals(self) -> Sequence[PolicySink]:
        """The principals SageMaker acts as for the variant's endpoint (writes captured data, reads rollback
        alarms): every variant's model execution role, and an inference-component endpoint's own role."""

    def register_scalable_target(self, target: appscaling.CfnScalableTarget) -> None:
        """Record ``target`` as the variant's scalable target (once per variant) and make the endpoint keep the
        capacity scaling reaches across updates (``RetainAllVariantProperties``)."""
