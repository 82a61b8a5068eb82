"""cdk-sagemaker: AWS CDK v2 constructs for Amazon SageMaker inference.

The public API is re-exported here. Names are resolved lazily on first use so that ``import cdk_sagemaker`` stays
cheap (aws-cdk-lib and its Node process load only when a construct is actually used).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cdk_sagemaker.errors import ValidationError

__version__ = "0.3.0"  # the single source of the version (pyproject.toml reads it)

_EXPORTS: dict[str, str] = {
    "ValidationError": "cdk_sagemaker.errors",
    "NotConfiguredError": "cdk_sagemaker.errors",
    "recommend_inference_option": "cdk_sagemaker.chooser",
    "Recommendation": "cdk_sagemaker.chooser",
    "InferenceOption": "cdk_sagemaker.chooser",
    "NoInferenceOptionFits": "cdk_sagemaker.chooser",
    "Model": "cdk_sagemaker.constructs.model",
    "ModelData": "cdk_sagemaker.constructs.model",
    "ContainerDefinition": "cdk_sagemaker.constructs.model",
    "ImportedModel": "cdk_sagemaker.constructs.model",
    "IEndpoint": "cdk_sagemaker.constructs.interfaces",
    "IModel": "cdk_sagemaker.constructs.interfaces",
    "ContainerImage": "cdk_sagemaker.constructs.images",
    "EndpointBase": "cdk_sagemaker.constructs.endpoint",
    "EndpointVariant": "cdk_sagemaker.constructs.endpoint",
    "VariantSpec": "cdk_sagemaker.constructs.endpoint",
    "IEndpointVariant": "cdk_sagemaker.constructs.variant",
    "VariantFacts": "cdk_sagemaker.constructs.variant",
    "RealtimeEndpoint": "cdk_sagemaker.constructs.realtime",
    "ServerlessEndpoint": "cdk_sagemaker.constructs.serverless",
    "AsyncEndpoint": "cdk_sagemaker.constructs.asynchronous",
    "ProductionVariant": "cdk_sagemaker.constructs.realtime",
    "InferenceComponent": "cdk_sagemaker.constructs.realtime",
    "ImportedRealtimeEndpoint": "cdk_sagemaker.constructs.realtime",
    "CapacityReservation": "cdk_sagemaker.constructs.hosting",
    "ComponentDeployment": "cdk_sagemaker.constructs.hosting",
    "ComponentMetrics": "cdk_sagemaker.constructs.hosting",
    "ComponentScaling": "cdk_sagemaker.constructs.hosting",
    "ComponentScalingResources": "cdk_sagemaker.constructs.hosting",
    "ComponentScheduling": "cdk_sagemaker.constructs.hosting",
    "ComponentSpecification": "cdk_sagemaker.constructs.hosting",
    "ManagedInstanceScaling": "cdk_sagemaker.constructs.hosting",
    "Routing": "cdk_sagemaker.constructs.hosting",
    "ScaleInPolicy": "cdk_sagemaker.constructs.hosting",
    "DataCapture": "cdk_sagemaker.constructs.capture",
    "VariantMetrics": "cdk_sagemaker.constructs.metrics",
    "EndpointMetrics": "cdk_sagemaker.constructs.metrics",
    "AutoScaling": "cdk_sagemaker.constructs.autoscaling",
    "TargetTracking": "cdk_sagemaker.constructs.autoscaling",
    "StepScaling": "cdk_sagemaker.constructs.autoscaling",
    "ScalingStep": "cdk_sagemaker.constructs.autoscaling",
    "ScheduledScaling": "cdk_sagemaker.constructs.autoscaling",
    "VariantScaling": "cdk_sagemaker.constructs.autoscaling",
    "DeploymentStrategy": "cdk_sagemaker.constructs.deployment",
    "DeploymentBinding": "cdk_sagemaker.constructs.deployment",
    "BlueGreenPolicy": "cdk_sagemaker.constructs.deployment",
    "RollingPolicy": "cdk_sagemaker.constructs.deployment",
    "Rollback": "cdk_sagemaker.constructs.deployment",
    "SecureBucket": "cdk_sagemaker.constructs.storage",
    "ModelPackage": "cdk_sagemaker.constructs.registry",
    "ModelPackageGroup": "cdk_sagemaker.constructs.registry",
    "BatchTransform": "cdk_sagemaker.constructs.batch_transform",
    "DataProcessing": "cdk_sagemaker.constructs.batch_options",
    "BatchInput": "cdk_sagemaker.constructs.batch_options",
    "BatchOutput": "cdk_sagemaker.constructs.batch_options",
    "BatchResources": "cdk_sagemaker.constructs.batch_options",
    "BatchRunPolicy": "cdk_sagemaker.constructs.batch_options",
    "InferenceNetwork": "cdk_sagemaker.constructs.network",
    "EndpointApi": "cdk_sagemaker.constructs.rest_api",
    "ApiAuth": "cdk_sagemaker.constructs.rest_api",
    "ApiThrottle": "cdk_sagemaker.constructs.rest_api",
    "ApiWaf": "cdk_sagemaker.constructs.rest_api",
    "PrivateRegistryImage": "cdk_sagemaker.constructs.images",
    "CoreDump": "cdk_sagemaker.constructs.model_options",
    "InstancePool": "cdk_sagemaker.constructs.model_options",
    "ClarifyExplainer": "cdk_sagemaker.constructs.model_options",
    "RegistryCredentialsProvider": "cdk_sagemaker.constructs.private_registry",
    "EndpointMonitoring": "cdk_sagemaker.constructs.monitoring",
    "EndpointAlarms": "cdk_sagemaker.constructs.monitoring",
    "BatchTransformMonitoring": "cdk_sagemaker.constructs.monitoring",
    "EnhancedMetrics": "cdk_sagemaker.constructs.enhanced_metrics",
    "DataQualityMonitor": "cdk_sagemaker.constructs.model_monitor",
    "ModelQualityMonitor": "cdk_sagemaker.constructs.model_monitor",
    "ModelBiasMonitor": "cdk_sagemaker.constructs.model_monitor",
    "ModelExplainabilityMonitor": "cdk_sagemaker.constructs.model_monitor",
    "MonitoringBaseline": "cdk_sagemaker.constructs.model_monitor",
    "MonitoringResources": "cdk_sagemaker.constructs.model_monitor",
    "MonitorSchedule": "cdk_sagemaker.constructs.model_monitor",
    "RetrainingTarget": "cdk_sagemaker.constructs.model_monitor",
}

__all__ = ["ValidationError", *sorted(n for n in _EXPORTS if n != "ValidationError")]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only ("X as X" marks an explicit re-export)
    from cdk_sagemaker.chooser import InferenceOption as InferenceOption
    from cdk_sagemaker.chooser import NoInferenceOptionFits as NoInferenceOptionFits
    from cdk_sagemaker.chooser import Recommendation as Recommendation
    from cdk_sagemaker.chooser import recommend_inference_option as recommend_inference_option
    from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint as AsyncEndpoint
    from cdk_sagemaker.constructs.autoscaling import AutoScaling as AutoScaling
    from cdk_sagemaker.constructs.autoscaling import ScalingStep as ScalingStep
    from cdk_sagemaker.constructs.autoscaling import ScheduledScaling as ScheduledScaling
    from cdk_sagemaker.constructs.autoscaling import StepScaling as StepScaling
    from cdk_sagemaker.constructs.autoscaling import TargetTracking as TargetTracking
    from cdk_sagemaker.constructs.autoscaling import VariantScaling as VariantScaling
    from cdk_sagemaker.constructs.batch_options import BatchInput as BatchInput
    from cdk_sagemaker.constructs.batch_options import BatchOutput as BatchOutput
    from cdk_sagemaker.constructs.batch_options import BatchResources as BatchResources
    from cdk_sagemaker.constructs.batch_options import BatchRunPolicy as BatchRunPolicy
    from cdk_sagemaker.constructs.batch_options import DataProcessing as DataProcessing
    from cdk_sagemaker.constructs.batch_transform import BatchTransform as BatchTransform
    from cdk_sagemaker.constructs.capture import DataCapture as DataCapture
    from cdk_sagemaker.constructs.deployment import BlueGreenPolicy as BlueGreenPolicy
    from cdk_sagemaker.constructs.deployment import DeploymentBinding as DeploymentBinding
    from cdk_sagemaker.constructs.deployment import DeploymentStrategy as DeploymentStrategy
    from cdk_sagemaker.constructs.deployment import Rollback as Rollback
    from cdk_sagemaker.constructs.deployment import RollingPolicy as RollingPolicy
    from cdk_sagemaker.constructs.endpoint import EndpointBase as EndpointBase
    from cdk_sagemaker.constructs.endpoint import EndpointVariant as EndpointVariant
    from cdk_sagemaker.constructs.endpoint import VariantSpec as VariantSpec
    from cdk_sagemaker.constructs.enhanced_metrics import EnhancedMetrics as EnhancedMetrics
    from cdk_sagemaker.constructs.hosting import CapacityReservation as CapacityReservation
    from cdk_sagemaker.constructs.hosting import ComponentDeployment as ComponentDeployment
    from cdk_sagemaker.constructs.hosting import ComponentMetrics as ComponentMetrics
    from cdk_sagemaker.constructs.hosting import ComponentScaling as ComponentScaling
    from cdk_sagemaker.constructs.hosting import ComponentScalingResources as ComponentScalingResources
    from cdk_sagemaker.constructs.hosting import ComponentScheduling as ComponentScheduling
    from cdk_sagemaker.constructs.hosting import ComponentSpecification as ComponentSpecification
    from cdk_sagemaker.constructs.hosting import ManagedInstanceScaling as ManagedInstanceScaling
    from cdk_sagemaker.constructs.hosting import Routing as Routing
    from cdk_sagemaker.constructs.hosting import ScaleInPolicy as ScaleInPolicy
    from cdk_sagemaker.constructs.images import ContainerImage as ContainerImage
    from cdk_sagemaker.constructs.images import PrivateRegistryImage as PrivateRegistryImage
    from cdk_sagemaker.constructs.interfaces import IEndpoint as IEndpoint
    from cdk_sagemaker.constructs.interfaces import IModel as IModel
    from cdk_sagemaker.constructs.metrics import EndpointMetrics as EndpointMetrics
    from cdk_sagemaker.constructs.metrics import VariantMetrics as VariantMetrics
    from cdk_sagemaker.constructs.model import ContainerDefinition as ContainerDefinition
    from cdk_sagemaker.constructs.model import ImportedModel as ImportedModel
    from cdk_sagemaker.constructs.model import Model as Model
    from cdk_sagemaker.constructs.model import ModelData as ModelData
    from cdk_sagemaker.constructs.model_monitor import DataQualityMonitor as DataQualityMonitor
    from cdk_sagemaker.constructs.model_monitor import ModelBiasMonitor as ModelBiasMonitor
    from cdk_sagemaker.constructs.model_monitor import ModelExplainabilityMonitor as ModelExplainabilityMonitor
    from cdk_sagemaker.constructs.model_monitor import ModelQualityMonitor as ModelQualityMonitor
    from cdk_sagemaker.constructs.model_monitor import MonitoringBaseline as MonitoringBaseline
    from cdk_sagemaker.constructs.model_monitor import MonitoringResources as MonitoringResources
    from cdk_sagemaker.constructs.model_monitor import MonitorSchedule as MonitorSchedule
    from cdk_sagemaker.constructs.model_monitor import RetrainingTarget as RetrainingTarget
    from cdk_sagemaker.constructs.model_options import ClarifyExplainer as ClarifyExplainer
    from cdk_sagemaker.constructs.model_options import CoreDump as CoreDump
    from cdk_sagemaker.constructs.model_options import InstancePool as InstancePool
    from cdk_sagemaker.constructs.monitoring import BatchTransformMonitoring as BatchTransformMonitoring
    from cdk_sagemaker.constructs.monitoring import EndpointAlarms as EndpointAlarms
    from cdk_sagemaker.constructs.monitoring import EndpointMonitoring as EndpointMonitoring
    from cdk_sagemaker.constructs.network import InferenceNetwork as InferenceNetwork
    from cdk_sagemaker.constructs.private_registry import RegistryCredentialsProvider as RegistryCredentialsProvider
    from cdk_sagemaker.constructs.realtime import ImportedRealtimeEndpoint as ImportedRealtimeEndpoint
    from cdk_sagemaker.constructs.realtime import InferenceComponent as InferenceComponent
    from cdk_sagemaker.constructs.realtime import ProductionVariant as ProductionVariant
    from cdk_sagemaker.constructs.realtime import RealtimeEndpoint as RealtimeEndpoint
    from cdk_sagemaker.constructs.registry import ModelPackage as ModelPackage
    from cdk_sagemaker.constructs.registry import ModelPackageGroup as ModelPackageGroup
    from cdk_sagemaker.constructs.rest_api import ApiAuth as ApiAuth
    from cdk_sagemaker.constructs.rest_api import ApiThrottle as ApiThrottle
    from cdk_sagemaker.constructs.rest_api import ApiWaf as ApiWaf
    from cdk_sagemaker.constructs.rest_api import EndpointApi as EndpointApi
    from cdk_sagemaker.constructs.serverless import ServerlessEndpoint as ServerlessEndpoint
    from cdk_sagemaker.constructs.storage import SecureBucket as SecureBucket
    from cdk_sagemaker.constructs.variant import IEndpointVariant as IEndpointVariant
    from cdk_sagemaker.constructs.variant import VariantFacts as VariantFacts
    from cdk_sagemaker.errors import NotConfiguredError as NotConfiguredError


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cdk_sagemaker' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
