"""Report: properties of SageMaker resources that moto's CloudFormation drops.

moto 5.2.5 behaviour: its CloudFormation builds ``AWS::SageMaker::Model``, ``::EndpointConfig`` and ``::Endpoint``
from the properties in :data:`MOTO_HONOURED_PROPERTIES` only; any other (``EnableNetworkIsolation``,
``DeploymentConfig``, names, ...) is silently ignored. Nothing can put them back (moto's API has no such fields
either), so each one the template sets is reported as not emulated. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_drops_sagemaker_properties``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import Note

MOTO_HONOURED_PROPERTIES: dict[str, frozenset[str]] = {
    "AWS::SageMaker::Model": frozenset({"ExecutionRoleArn", "PrimaryContainer", "Containers", "VpcConfig", "Tags"}),
    "AWS::SageMaker::EndpointConfig": frozenset(
        {"ProductionVariants", "DataCaptureConfig", "AsyncInferenceConfig", "KmsKeyId", "Tags"}
    ),
    "AWS::SageMaker::Endpoint": frozenset({"EndpointConfigName", "Tags"}),
}
"""Properties moto 5.2.5's CloudFormation passes on, per SageMaker type; any other property is dropped."""


def dropped_properties(logical_id: str, resource: Mapping[str, Any]) -> list[Note]:
    """One note per property of ``resource`` (deployed by moto) that moto's CloudFormation ignored."""
    resource_type = str(resource.get("Type", ""))
    honoured = MOTO_HONOURED_PROPERTIES.get(resource_type)
    if honoured is None:
        return []
    return [(f"{logical_id}.{name}", resource_type, "property ignored by moto's CloudFormation")
            for name in sorted(set(resource.get("Properties", {})) - honoured)]
