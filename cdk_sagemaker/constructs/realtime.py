"""Real-time endpoints: persistent instances, low latency."""

from __future__ import annotations

from aws_cdk import aws_kms as kms
from constructs import Construct

from cdk_sagemaker.constructs._jsii import node_path
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.endpoint import EndpointBase, _DeploymentBinder, _VariantSpec
from cdk_sagemaker.constructs.model import Model
from cdk_sagemaker.errors import Problems

__all__ = ["RealtimeEndpoint"]


class RealtimeEndpoint(EndpointBase):
    """A real-time SageMaker endpoint: persistent instances serving synchronous requests with low latency.

    The simple form hosts one model on one instance variant::

        RealtimeEndpoint(self, "Endpoint", model=model, instance_type="ml.m5.large", instance_count=2)

    Default: ``ml.m5.large``, one instance, variant ``AllTraffic``, a new KMS key (rotation on) for the storage
    volumes unless the instance type has hardware-encrypted local storage, no auto-scaling, no deployment guardrail.
    """

    _INVOKE_ACTIONS = ("sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointWithResponseStream")

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        model: Model,
        instance_type: str = "ml.m5.large",
        instance_count: int = 1,
        variant_name: str = "AllTraffic",
        kms_key: kms.IKey | None = None,
        auto_scaling: AutoScaling | None = None,
        deployment: _DeploymentBinder | None = None,
    ) -> None:
        super().__init__(scope, id)
        spec = _VariantSpec(variant_name=variant_name, model=model, kind="instance", instance_type=instance_type,
                            initial_instance_count=instance_count, auto_scaling=auto_scaling)
        self._validate([spec])
        self._build([spec], kms_key=kms_key, deployment=deployment)

    def _validate(self, specs: list[_VariantSpec]) -> None:
        problems = Problems(node_path(self))
        for spec in specs:
            self._check_variant_name(problems, "", spec.variant_name)
            assert spec.instance_type is not None
            self._check_instance(problems, "", spec.instance_type, spec.initial_instance_count)
            if spec.auto_scaling is not None:
                for msg in spec.auto_scaling._problems("", spec):
                    problems.add_message(msg)
        problems.raise_if_any()
