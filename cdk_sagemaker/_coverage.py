"""Which CloudFormation properties of the SageMaker hosting resources our typed API reaches.

The properties are read from aws-cdk-lib itself: the jsii assembly shipped inside the ``aws_cdk`` Python package
(``aws_cdk/_jsii/aws-cdk-lib@<version>.jsii.tgz``, member ``package/.jsii``, which may redirect to a gzipped
``package/.jsii.gz``). Starting at ``Cfn<Resource>Props`` of ``AWS::SageMaker::Model``, ``EndpointConfig``,
``Endpoint`` and ``InferenceComponent``, every property whose type is one of the resource's nested
``Cfn<Resource>.<X>Property`` types is walked into, so a leaf path such as
``Model.PrimaryContainer.ImageConfig.RepositoryAuthConfig.RepositoryCredentialsProviderArn`` names one value a user
may need to set. A new aws-cdk-lib version with new properties shows up here as new paths.

Every path is in exactly one of three reviewed tables (``tests/unit/test_api_completeness.py`` enforces it and
proves each claim by synthesizing the API it names):

- :data:`REACHABLE`: the typed API that sets it;
- :data:`EXCLUDED`: why it must stay out (set or left unset by the construct itself, read-only, discontinued by
  AWS, excluded by the service for that kind of endpoint);
- :data:`PENDING`: owned by another issue of this round, not reachable yet.

Path segments use the jsii names with the first letter upper-cased (``VolumeSizeInGb``); template paths are compared
case-insensitively, so CloudFormation's ``VolumeSizeInGB`` matches. Lists are transparent (``Containers`` names
each container). This module does not import aws-cdk (it reads the assembly file), so tools can use it cheaply.
"""

from __future__ import annotations

import functools
import gzip
import json
import tarfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EXCLUDED", "PENDING", "REACHABLE", "RESOURCES", "Coverage", "assembly_path", "coverage",
           "property_paths", "template_paths"]

#: The hosting resources, by the short name that starts each path.
RESOURCES: Mapping[str, str] = {
    "Model": "AWS::SageMaker::Model",
    "EndpointConfig": "AWS::SageMaker::EndpointConfig",
    "Endpoint": "AWS::SageMaker::Endpoint",
    "InferenceComponent": "AWS::SageMaker::InferenceComponent",
}

_MODULE = "aws-cdk-lib.aws_sagemaker."


def assembly_path() -> Path:
    """The jsii assembly tarball of the installed aws-cdk-lib."""
    import importlib.util

    spec = importlib.util.find_spec("aws_cdk._jsii")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("aws_cdk._jsii is not installed")
    found = sorted(Path(spec.origin).parent.glob("aws-cdk-lib@*.jsii.tgz"))
    if not found:
        raise FileNotFoundError(f"no aws-cdk-lib@*.jsii.tgz next to {spec.origin}")
    return found[-1]


@functools.cache
def _types() -> dict[str, Any]:
    """The ``types`` of the aws-cdk-lib assembly (follows a ``jsii/file-redirect`` to the gzipped file)."""
    with tarfile.open(assembly_path(), "r:gz") as tar:
        def read(name: str) -> bytes:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise FileNotFoundError(name)
            return member.read()

        doc: dict[str, Any] = json.loads(read(".jsii"))
        if doc.get("schema") == "jsii/file-redirect":
            raw = read(doc["filename"])
            doc = json.loads(gzip.decompress(raw) if doc.get("compression") == "gzip" else raw)
    types: dict[str, Any] = doc["types"]
    # Keep only what we walk (the whole assembly is ~23,000 types).
    return {k: v for k, v in types.items() if k.startswith(_MODULE + "Cfn")}


def _refs(tref: Mapping[str, Any]) -> Iterator[str]:
    if "fqn" in tref:
        yield tref["fqn"]
    if "collection" in tref:
        yield from _refs(tref["collection"]["elementtype"])
    for kind in ("union", "intersection"):
        if kind in tref:
            for t in tref[kind]["types"]:
                yield from _refs(t)


@dataclass(frozen=True, slots=True)
class _Node:
    name: str
    children: tuple[_Node, ...]


def _tree(fqn: str, seen: frozenset[str]) -> tuple[_Node, ...]:
    types = _types()
    nodes = []
    for prop in types[fqn].get("properties", []):
        name = prop["name"][0].upper() + prop["name"][1:]
        nested = [r for r in _refs(prop["type"]) if r.startswith(_MODULE + "Cfn") and r.endswith("Property")
                  and r in types and r not in seen]
        children: list[_Node] = []
        for ref in nested:
            children.extend(_tree(ref, seen | {ref}))
        nodes.append(_Node(name, tuple(children)))
    return tuple(nodes)


@functools.cache
def _trees() -> dict[str, tuple[_Node, ...]]:
    return {short: _tree(f"{_MODULE}Cfn{short}Props", frozenset()) for short in RESOURCES}


def _leaves(prefix: str, nodes: Iterable[_Node]) -> Iterator[str]:
    for node in nodes:
        path = f"{prefix}.{node.name}"
        if node.children:
            yield from _leaves(path, node.children)
        else:
            yield path


@functools.cache
def property_paths() -> tuple[str, ...]:
    """Every leaf property path of the four hosting resources, as aws-cdk-lib's L1 classes define them."""
    return tuple(p for short, nodes in _trees().items() for p in _leaves(short, nodes))


def _walk_value(prefix: str, nodes: tuple[_Node, ...], value: Any, out: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _walk_value(prefix, nodes, item, out)
        return
    if not isinstance(value, dict):
        return
    by_name = {n.name.lower(): n for n in nodes}
    for key, item in value.items():
        node = by_name.get(key.lower())
        if node is None:
            continue
        path = f"{prefix}.{node.name}"
        if node.children:
            _walk_value(path, node.children, item, out)
        else:
            out.add(path)


def template_paths(template: Mapping[str, Any]) -> set[str]:
    """The leaf property paths a synthesized template sets on its hosting resources (same names as
    :func:`property_paths`)."""
    trees = _trees()
    by_type = {cfn: short for short, cfn in RESOURCES.items()}
    out: set[str] = set()
    for resource in (template.get("Resources") or {}).values():
        short = by_type.get(resource.get("Type"))
        if short is not None:
            _walk_value(short, trees[short], resource.get("Properties") or {}, out)
    return out


def _expand(table: Mapping[str, str]) -> dict[str, str]:
    """Expand ``<Container>`` (PrimaryContainer, Containers) and ``<Variant>`` (ProductionVariants,
    ShadowProductionVariants) in the keys of a table."""
    out: dict[str, str] = {}
    for key, value in table.items():
        keys = [key]
        for token, names in (("<Container>", ("PrimaryContainer", "Containers")),
                             ("<Variant>", ("ProductionVariants", "ShadowProductionVariants"))):
            keys = [k.replace(token, n) for k in keys for n in names] if any(token in k for k in keys) else keys
        for k in keys:
            out[k] = value
    return out


# -- the reviewed tables ------------------------------------------------------------------------------------------
_C = "cdk_sagemaker"

#: Path -> the typed API that sets it. ``tests/unit/test_api_completeness.py`` synthesizes each.
REACHABLE: dict[str, str] = _expand({
    # AWS::SageMaker::Model
    "Model.<Container>.ContainerHostname": "ContainerDefinition(hostname=...)",
    "Model.<Container>.Environment": "Model(environment=...), ContainerDefinition(environment=...)",
    "Model.<Container>.Image": "Model(image=ContainerImage...), ContainerDefinition(image=...)",
    "Model.PrimaryContainer.Mode": "ContainerDefinition(multi_model=True)",
    "Model.PrimaryContainer.MultiModelConfig.ModelCacheSetting":
        "ContainerDefinition(multi_model=True, model_cache=...)",
    "Model.<Container>.ImageConfig.RepositoryAccessMode": "ContainerImage.from_private_registry(uri)",
    "Model.<Container>.ImageConfig.RepositoryAuthConfig.RepositoryCredentialsProviderArn":
        "ContainerImage.from_private_registry(uri, credentials_provider=function)",
    "Model.<Container>.ModelDataUrl": "Model(model_data=ModelData...), ContainerDefinition(model_data=...)",
    "Model.<Container>.ModelDataSource.S3DataSource.S3Uri":
        "ModelData.from_s3_prefix(uri) / from_bucket_prefix(...), from_s3_uri(uri, accept_eula=True)",
    "Model.<Container>.ModelDataSource.S3DataSource.S3DataType":
        "ModelData.from_s3_prefix (S3Prefix), ModelData.from_s3_uri/from_bucket(..., accept_eula=True) (S3Object)",
    "Model.<Container>.ModelDataSource.S3DataSource.CompressionType":
        "ModelData.from_s3_prefix (None), ModelData.from_s3_uri/from_bucket(..., accept_eula=True) (Gzip)",
    "Model.<Container>.ModelDataSource.S3DataSource.ModelAccessConfig.AcceptEula":
        "ModelData.from_s3_prefix/from_bucket_prefix/from_s3_uri/from_bucket(..., accept_eula=True)",
    "Model.<Container>.ModelDataSource.S3DataSource.HubAccessConfig.HubContentArn":
        "ModelData.from_s3_prefix/from_s3_uri(..., hub_content_arn=...)",
    "Model.PrimaryContainer.ModelPackageName": "Model(model_package=ModelPackage.from_arn(...) / from_version(...))",
    "Model.PrimaryContainer.InferenceSpecificationName":
        "Model(model_package=ModelPackage.from_arn(..., inference_specification_name=...))",
    "Model.EnableNetworkIsolation": "Model(network_isolation=...)",
    "Model.ExecutionRoleArn": "Model(role=...) or the role Model creates",
    "Model.InferenceExecutionConfig.Mode": "Model(inference_execution_mode='Serial'|'Direct')",
    "Model.ModelName": "Model(model_name=...)",
    "Model.Tags": "aws_cdk.Tags.of(model).add(key, value)",
    "Model.VpcConfig.SecurityGroupIds": "Model(network=InferenceNetwork(...)): the model's security group",
    "Model.VpcConfig.Subnets": "Model(network=InferenceNetwork(...))",
    # AWS::SageMaker::EndpointConfig
    "EndpointConfig.<Variant>.VariantName": "RealtimeEndpoint(variant_name=...), ProductionVariant(variant_name=...)",
    "EndpointConfig.<Variant>.InitialInstanceCount": "RealtimeEndpoint(instance_count=...), "
                                                      "ProductionVariant(instance_count=...)",
    "EndpointConfig.<Variant>.InstanceType":
        "RealtimeEndpoint(instance_type=...), ProductionVariant(instance_type=...)",
    "EndpointConfig.<Variant>.ModelName": "RealtimeEndpoint(model=...), ProductionVariant(model=...)",
    "EndpointConfig.<Variant>.VolumeSizeInGb": "ProductionVariant(volume_size_gb=...)",
    "EndpointConfig.<Variant>.ModelDataDownloadTimeoutInSeconds": "ProductionVariant(model_data_download_timeout=...)",
    "EndpointConfig.<Variant>.ContainerStartupHealthCheckTimeoutInSeconds":
        "ProductionVariant(container_startup_health_check_timeout=...)",
    "EndpointConfig.<Variant>.RoutingConfig.RoutingStrategy": "ProductionVariant(routing_strategy=...)",
    "EndpointConfig.<Variant>.RoutingConfig.PrefixAwareRoutingConfig.PrefixLength":
        "ProductionVariant(routing_strategy=Routing.prefix_aware(prefix_length=...))",
    "EndpointConfig.<Variant>.RoutingConfig.PrefixAwareRoutingConfig.ConcurrencyThreshold":
        "ProductionVariant(routing_strategy=Routing.prefix_aware(concurrency_threshold=...))",
    "EndpointConfig.<Variant>.InferenceAmiVersion": "ProductionVariant(inference_ami_version=...)",
    "EndpointConfig.<Variant>.CapacityReservationConfig.MlReservationArn":
        "ProductionVariant(capacity_reservation=CapacityReservation.from_arn(...))",
    "EndpointConfig.<Variant>.CapacityReservationConfig.CapacityReservationPreference":
        "ProductionVariant(capacity_reservation=CapacityReservation(...)) (capacity-reservations-only)",
    "EndpointConfig.<Variant>.EnableSsmAccess": "ProductionVariant(enable_ssm_access=...)",
    "EndpointConfig.ProductionVariants.ManagedInstanceScaling.Status":
        "ProductionVariant.for_inference_components(managed_instance_scaling=ManagedInstanceScaling(enabled=...))",
    "EndpointConfig.ProductionVariants.ManagedInstanceScaling.MinInstanceCount":
        "ProductionVariant.for_inference_components(managed_instance_scaling=ManagedInstanceScaling("
        "min_instances=...))",
    "EndpointConfig.ProductionVariants.ManagedInstanceScaling.MaxInstanceCount":
        "ProductionVariant.for_inference_components(managed_instance_scaling=ManagedInstanceScaling("
        "max_instances=...))",
    "EndpointConfig.ProductionVariants.ManagedInstanceScaling.ScaleInPolicy.Strategy":
        "ManagedInstanceScaling(scale_in_policy=ScaleInPolicy.idle_release() / consolidation(...))",
    "EndpointConfig.ProductionVariants.ManagedInstanceScaling.ScaleInPolicy.MaximumStepSize":
        "ManagedInstanceScaling(scale_in_policy=ScaleInPolicy.consolidation(maximum_step_size=...))",
    "EndpointConfig.ProductionVariants.ManagedInstanceScaling.ScaleInPolicy.CooldownInMinutes":
        "ManagedInstanceScaling(scale_in_policy=ScaleInPolicy.consolidation(cooldown=Duration.minutes(...)))",
    "EndpointConfig.<Variant>.CoreDumpConfig.DestinationS3Uri": "ProductionVariant(core_dump=CoreDump(bucket, prefix))",
    "EndpointConfig.<Variant>.CoreDumpConfig.KmsKeyId": "ProductionVariant(core_dump=CoreDump(kms_key=...))",
    "EndpointConfig.<Variant>.InstancePools.InstanceType":
        "ProductionVariant(instance_pools=[InstancePool(instance_type=...)])",
    "EndpointConfig.<Variant>.InstancePools.Priority": "ProductionVariant(instance_pools=[InstancePool(priority=...)])",
    "EndpointConfig.<Variant>.InstancePools.ModelNameOverride":
        "ProductionVariant(instance_pools=[InstancePool(model_name_override=...)])",
    "EndpointConfig.<Variant>.VariantInstanceProvisionTimeoutInSeconds":
        "ProductionVariant(instance_provision_timeout=Duration...)",
    "EndpointConfig.ProductionVariants.InitialVariantWeight": "ProductionVariant(initial_weight=...)",
    "EndpointConfig.ShadowProductionVariants.InitialVariantWeight":
        "RealtimeEndpoint(shadow_variants=[ProductionVariant(initial_weight=...)])",
    "EndpointConfig.ProductionVariants.ServerlessConfig.MaxConcurrency": "ServerlessEndpoint(max_concurrency=...)",
    "EndpointConfig.ProductionVariants.ServerlessConfig.MemorySizeInMb": "ServerlessEndpoint(memory_size_mb=...)",
    "EndpointConfig.ProductionVariants.ServerlessConfig.ProvisionedConcurrency":
        "ServerlessEndpoint(provisioned_concurrency=...)",
    "EndpointConfig.AsyncInferenceConfig.OutputConfig.KmsKeyId": "AsyncEndpoint(output_kms_key=...) or its own key",
    "EndpointConfig.AsyncInferenceConfig.OutputConfig.NotificationConfig.ErrorTopic":
        "AsyncEndpoint(error_topic=... / notifications)",
    "EndpointConfig.AsyncInferenceConfig.OutputConfig.NotificationConfig.SuccessTopic":
        "AsyncEndpoint(success_topic=... / notifications)",
    "EndpointConfig.AsyncInferenceConfig.OutputConfig.NotificationConfig.IncludeInferenceResponseIn":
        "AsyncEndpoint(include_inference_response_in=...)",
    "EndpointConfig.AsyncInferenceConfig.OutputConfig.S3FailurePath": "AsyncEndpoint (failure prefix of its bucket)",
    "EndpointConfig.AsyncInferenceConfig.OutputConfig.S3OutputPath": "AsyncEndpoint(output_bucket=...)",
    "EndpointConfig.AsyncInferenceConfig.ClientConfig.MaxConcurrentInvocationsPerInstance":
        "AsyncEndpoint(max_concurrent_invocations_per_instance=...)",
    "EndpointConfig.DataCaptureConfig.CaptureOptions.CaptureMode": "DataCapture(capture_requests=, capture_responses=)",
    "EndpointConfig.DataCaptureConfig.DestinationS3Uri": "DataCapture(bucket=..., prefix=...)",
    "EndpointConfig.MetricsConfig.EnableEnhancedMetrics": "RealtimeEndpoint(enhanced_metrics=EnhancedMetrics())",
    "EndpointConfig.MetricsConfig.MetricPublishFrequencyInSeconds":
        "RealtimeEndpoint(enhanced_metrics=EnhancedMetrics(publish_frequency_seconds=...))",
    "EndpointConfig.MetricsConfig.EnableDetailedObservability":
        "RealtimeEndpoint(enhanced_metrics=EnhancedMetrics(detailed_observability=...))",
    "EndpointConfig.DataCaptureConfig.InitialSamplingPercentage": "DataCapture(sampling_percentage=...)",
    "EndpointConfig.DataCaptureConfig.CaptureContentTypeHeader.CsvContentTypes": "DataCapture(csv_content_types=...)",
    "EndpointConfig.DataCaptureConfig.CaptureContentTypeHeader.JsonContentTypes":
        "DataCapture(json_content_types=...)",
    "EndpointConfig.DataCaptureConfig.EnableCapture": "DataCapture(...) (always true: no DataCapture, no config)",
    "EndpointConfig.DataCaptureConfig.KmsKeyId": "DataCapture(kms_key=...)",
    "EndpointConfig.EnableNetworkIsolation": "Model(network_isolation=...) of an inference component's model",
    "EndpointConfig.ExecutionRoleArn": "RealtimeEndpoint(execution_role=...) with inference-component variants",
    "EndpointConfig.KmsKeyId": "RealtimeEndpoint(kms_key=...) or the key it creates",
    "EndpointConfig.VpcConfig.SecurityGroupIds": "Model(network=...) of an inference component's model",
    "EndpointConfig.VpcConfig.Subnets": "Model(network=...) of an inference component's model",
    "EndpointConfig.Tags": "aws_cdk.Tags.of(endpoint).add(key, value)",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.ShapBaselineConfig.MimeType":
        "RealtimeEndpoint(explainer=ClarifyExplainer(baseline_mime_type=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.ShapBaselineConfig.ShapBaseline":
        "RealtimeEndpoint(explainer=ClarifyExplainer(shap_baseline=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.ShapBaselineConfig.ShapBaselineUri":
        "RealtimeEndpoint(explainer=ClarifyExplainer(shap_baseline_bucket, shap_baseline_key=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.NumberOfSamples":
        "RealtimeEndpoint(explainer=ClarifyExplainer(number_of_samples=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.Seed":
        "RealtimeEndpoint(explainer=ClarifyExplainer(seed=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.TextConfig.Granularity":
        "RealtimeEndpoint(explainer=ClarifyExplainer(text_granularity=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.TextConfig.Language":
        "RealtimeEndpoint(explainer=ClarifyExplainer(text_language=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.UseLogit":
        "RealtimeEndpoint(explainer=ClarifyExplainer(use_logit=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.EnableExplanations":
        "RealtimeEndpoint(explainer=ClarifyExplainer(enable_explanations=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.ContentTemplate":
        "RealtimeEndpoint(explainer=ClarifyExplainer(content_template=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.FeatureHeaders":
        "RealtimeEndpoint(explainer=ClarifyExplainer(feature_headers=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.FeaturesAttribute":
        "RealtimeEndpoint(explainer=ClarifyExplainer(features_attribute=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.FeatureTypes":
        "RealtimeEndpoint(explainer=ClarifyExplainer(feature_types=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.LabelAttribute":
        "RealtimeEndpoint(explainer=ClarifyExplainer(label_attribute=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.LabelHeaders":
        "RealtimeEndpoint(explainer=ClarifyExplainer(label_headers=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.LabelIndex":
        "RealtimeEndpoint(explainer=ClarifyExplainer(label_index=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.MaxPayloadInMb":
        "RealtimeEndpoint(explainer=ClarifyExplainer(max_payload_mb=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.MaxRecordCount":
        "RealtimeEndpoint(explainer=ClarifyExplainer(max_record_count=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.ProbabilityAttribute":
        "RealtimeEndpoint(explainer=ClarifyExplainer(probability_attribute=...))",
    "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.InferenceConfig.ProbabilityIndex":
        "RealtimeEndpoint(explainer=ClarifyExplainer(probability_index=...))",
    # AWS::SageMaker::Endpoint
    "Endpoint.DeploymentConfig.AutoRollbackConfiguration.Alarms.AlarmName": "DeploymentStrategy.*(alarms=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type":
        "DeploymentStrategy.canary/linear/all_at_once(...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.CanarySize.Type":
        "DeploymentStrategy.canary(percent=... | instances=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.CanarySize.Value":
        "DeploymentStrategy.canary(percent=... | instances=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.LinearStepSize.Type":
        "DeploymentStrategy.linear(percent=... | instances=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.LinearStepSize.Value":
        "DeploymentStrategy.linear(percent=... | instances=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.WaitIntervalInSeconds":
        "DeploymentStrategy.canary/linear(wait=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.MaximumExecutionTimeoutInSeconds":
        "DeploymentStrategy.*(maximum_execution_timeout=...)",
    "Endpoint.DeploymentConfig.BlueGreenUpdatePolicy.TerminationWaitInSeconds":
        "DeploymentStrategy.*(termination_wait=...)",
    "Endpoint.DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize.Type": "DeploymentStrategy.rolling(...)",
    "Endpoint.DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize.Value": "DeploymentStrategy.rolling(...)",
    "Endpoint.DeploymentConfig.RollingUpdatePolicy.WaitIntervalInSeconds": "DeploymentStrategy.rolling(wait=...)",
    "Endpoint.DeploymentConfig.RollingUpdatePolicy.MaximumExecutionTimeoutInSeconds":
        "DeploymentStrategy.rolling(maximum_execution_timeout=...)",
    "Endpoint.DeploymentConfig.RollingUpdatePolicy.RollbackMaximumBatchSize.Type":
        "DeploymentStrategy.rolling(rollback_batch_...=...)",
    "Endpoint.DeploymentConfig.RollingUpdatePolicy.RollbackMaximumBatchSize.Value":
        "DeploymentStrategy.rolling(rollback_batch_...=...)",
    "Endpoint.ExcludeRetainedVariantProperties.VariantPropertyType":
        "RealtimeEndpoint(retain_on_update=[...]); auto_scaling=... (retains counts, not weights)",
    "Endpoint.RetainAllVariantProperties": "RealtimeEndpoint(retain_on_update=[...]); auto_scaling=...",
    "Endpoint.Tags": "aws_cdk.Tags.of(endpoint).add(key, value)",
    # AWS::SageMaker::InferenceComponent
    "InferenceComponent.VariantName": "add_inference_component(variant_name=...)",
    "InferenceComponent.Specification.ModelName": "add_inference_component(model=...)",
    "InferenceComponent.Specification.ComputeResourceRequirements.MaxMemoryRequiredInMb":
        "add_inference_component(max_memory_mb=...)",
    "InferenceComponent.Specification.ComputeResourceRequirements.MinMemoryRequiredInMb":
        "add_inference_component(memory_mb=...)",
    "InferenceComponent.Specification.ComputeResourceRequirements.NumberOfAcceleratorDevicesRequired":
        "add_inference_component(accelerators=...)",
    "InferenceComponent.Specification.ComputeResourceRequirements.NumberOfCpuCoresRequired":
        "add_inference_component(cpu_cores=...)",
    "InferenceComponent.Specification.StartupParameters.ContainerStartupHealthCheckTimeoutInSeconds":
        "add_inference_component(container_startup_health_check_timeout=...)",
    "InferenceComponent.Specification.StartupParameters.ModelDataDownloadTimeoutInSeconds":
        "add_inference_component(model_data_download_timeout=...)",
    "InferenceComponent.RuntimeConfig.CopyCount": "add_inference_component(copies=...)",
    "InferenceComponent.Tags": "aws_cdk.Tags.of(component).add(key, value)",
    "InferenceComponent.DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize.Type":
        "add_inference_component(deployment=ComponentDeployment.rolling(batch_copies=... | batch_percent=...))",
    "InferenceComponent.DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize.Value":
        "add_inference_component(deployment=ComponentDeployment.rolling(batch_copies=... | batch_percent=...))",
    "InferenceComponent.DeploymentConfig.RollingUpdatePolicy.WaitIntervalInSeconds":
        "ComponentDeployment.rolling(wait=...)",
    "InferenceComponent.DeploymentConfig.RollingUpdatePolicy.MaximumExecutionTimeoutInSeconds":
        "ComponentDeployment.rolling(timeout=...)",
    "InferenceComponent.DeploymentConfig.RollingUpdatePolicy.RollbackMaximumBatchSize.Type":
        "ComponentDeployment.rolling(rollback_copies=... | rollback_percent=...)",
    "InferenceComponent.DeploymentConfig.RollingUpdatePolicy.RollbackMaximumBatchSize.Value":
        "ComponentDeployment.rolling(rollback_copies=... | rollback_percent=...)",
    "InferenceComponent.DeploymentConfig.AutoRollbackConfiguration.Alarms.AlarmName":
        "ComponentDeployment.rolling(alarms=[...])",
    "InferenceComponent.Specification.BaseInferenceComponentName": "add_adapter(base_component=...)",
    "InferenceComponent.Specification.Container.ArtifactUrl": "add_adapter(adapter_uri=...)",
    "InferenceComponent.Specification.Container.ContainerMetricsConfig.MetricsEndpoints.MetricsEndpointPath":
        "add_inference_component(container_metrics=ComponentMetrics(path=...))",
    "InferenceComponent.Specification.Container.ContainerMetricsConfig.MetricsEndpoints."
    "MetricPublishFrequencyInSeconds": "add_inference_component(container_metrics=ComponentMetrics(frequency=...))",
    "InferenceComponent.Specification.DataCacheConfig.EnableCaching": "add_inference_component(data_cache=...)",
    "InferenceComponent.Specification.SchedulingConfig.PlacementStrategy":
        "add_inference_component(scheduling=ComponentScheduling.spread(...) / binpack(...))",
    "InferenceComponent.Specification.SchedulingConfig.AvailabilityZoneBalance.EnforcementMode":
        "add_inference_component(scheduling=ComponentScheduling...) (PERMISSIVE, the one botocore mode)",
    "InferenceComponent.Specification.SchedulingConfig.AvailabilityZoneBalance.MaxImbalance":
        "ComponentScheduling.spread/binpack(balance_azs=True, max_az_imbalance=...)",
    "InferenceComponent.Specifications.InstanceType":
        "add_inference_component(specifications=[ComponentSpecification(instance_type=...)])",
    "InferenceComponent.Specifications.ModelName": "ComponentSpecification(model=...) or the component's model",
    "InferenceComponent.Specifications.ComputeResourceRequirements.MinMemoryRequiredInMb":
        "ComponentSpecification(memory_mb=...)",
    "InferenceComponent.Specifications.ComputeResourceRequirements.MaxMemoryRequiredInMb":
        "ComponentSpecification(max_memory_mb=...)",
    "InferenceComponent.Specifications.ComputeResourceRequirements.NumberOfCpuCoresRequired":
        "ComponentSpecification(cpu_cores=...)",
    "InferenceComponent.Specifications.ComputeResourceRequirements.NumberOfAcceleratorDevicesRequired":
        "ComponentSpecification(accelerators=...)",
    "InferenceComponent.Specifications.StartupParameters.ModelDataDownloadTimeoutInSeconds":
        "ComponentSpecification(model_data_download_timeout=...)",
    "InferenceComponent.Specifications.StartupParameters.ContainerStartupHealthCheckTimeoutInSeconds":
        "ComponentSpecification(container_startup_health_check_timeout=...)",
    "InferenceComponent.Specifications.DataCacheConfig.EnableCaching": "ComponentSpecification(data_cache=...)",
    "InferenceComponent.Specifications.SchedulingConfig.PlacementStrategy":
        "ComponentSpecification(scheduling=ComponentScheduling...)",
    "InferenceComponent.Specifications.SchedulingConfig.AvailabilityZoneBalance.EnforcementMode":
        "ComponentSpecification(scheduling=ComponentScheduling...) (PERMISSIVE)",
    "InferenceComponent.Specifications.SchedulingConfig.AvailabilityZoneBalance.MaxImbalance":
        "ComponentSpecification(scheduling=ComponentScheduling...(balance_azs=True, max_az_imbalance=...))",
    "InferenceComponent.Specifications.Container.ContainerMetricsConfig.MetricsEndpoints.MetricsEndpointPath":
        "ComponentSpecification(container_metrics=ComponentMetrics(path=...))",
    "InferenceComponent.Specifications.Container.ContainerMetricsConfig.MetricsEndpoints."
    "MetricPublishFrequencyInSeconds": "ComponentSpecification(container_metrics=ComponentMetrics(frequency=...))",
})

_SHADOW_MIS = (
    "managed instance scaling applies only to a variant that hosts inference components (API reference, "
    "ProductionVariantManagedInstanceScaling; developer guide, 'Scale an endpoint to zero instances'), and a "
    "shadow variant serves a model: RealtimeEndpoint rejects shadow variants on an endpoint that hosts "
    "inference components (shadow tests compare a model variant with its shadow).")

#: Path -> why our API must not set it. Reasons starting with "set by the construct" are properties our constructs
#: set themselves (the exemplar templates must show them); the others ("left unset", read-only, ...) never appear.
EXCLUDED: dict[str, str] = _expand({
    "Model.Containers.MultiModelConfig.ModelCacheSetting":
        "a multi-model container must be the model's only one, rendered as PrimaryContainer (where "
        "ContainerDefinition(model_cache=...) sets it).",
    "EndpointConfig.ShadowProductionVariants.ServerlessConfig.MaxConcurrency":
        "shadow tests exclude serverless inference (SageMaker developer guide, 'Shadow tests > Exclusions', "
        "https://docs.aws.amazon.com/sagemaker/latest/dg/shadow-tests-exclusions.html).",
    "EndpointConfig.ShadowProductionVariants.ServerlessConfig.MemorySizeInMb":
        "shadow tests exclude serverless inference (developer guide, 'Shadow tests > Exclusions').",
    "EndpointConfig.ShadowProductionVariants.ServerlessConfig.ProvisionedConcurrency":
        "shadow tests exclude serverless inference (developer guide, 'Shadow tests > Exclusions').",
    "Endpoint.RetainDeploymentConfig":
        "our endpoints render their DeploymentStrategy on every deployment; RetainDeploymentConfig would make an "
        "update ignore a changed strategy and reuse the last one (API reference, UpdateEndpoint), so the template "
        "would no longer say how the endpoint is updated.",
    "Model.Containers.Mode":
        "a model with several containers (a serial pipeline or direct invocation) runs each in the default "
        "SingleModel mode; a MultiModel container must be the model's only one (PrimaryContainer.Mode).",
    "EndpointConfig.<Variant>.AcceleratorType":
        "Amazon Elastic Inference: AWS stopped onboarding new customers in April 2023 and ended the service in "
        "April 2024; use ml.inf/ml.g instance types (SageMaker developer guide, 'Elastic Inference').",
    "Endpoint.EndpointConfigName":
        "set by the construct: the endpoint's own config (a new config per change, which the endpoint moves to).",
    "Endpoint.EndpointName":
        "set by the construct: generated by CloudFormation, or fixed at synth time by a DeploymentStrategy (its "
        "rollback alarms name the endpoint); a custom name would make replacements fail.",
    "InferenceComponent.EndpointName":
        "set by the construct: the name of the endpoint the component is added to (add_inference_component).",
    "EndpointConfig.EndpointConfigName":
        "left unset: CloudFormation names the config, so a changed config is a replacement that the endpoint "
        "moves to (a custom name would make every update fail).",
    "InferenceComponent.EndpointArn":
        "left unset: the component names its endpoint once, by EndpointName (set by the construct).",
    "InferenceComponent.InferenceComponentName":
        "left unset: CloudFormation names the component, so changes that replace it do not fail.",
    "InferenceComponent.RuntimeConfig.CurrentCopyCount":
        "read-only: the copies running now, reported by SageMaker (readOnlyProperties of the resource's "
        "CloudFormation schema).",
    "InferenceComponent.RuntimeConfig.DesiredCopyCount":
        "read-only: reported by SageMaker (readOnlyProperties of the resource's CloudFormation schema).",
    "InferenceComponent.RuntimeConfig.PlacementStatus.CurrentCopyCount":
        "read-only: reported by SageMaker (readOnlyProperties of the resource's CloudFormation schema).",
    "InferenceComponent.RuntimeConfig.PlacementStatus.InstanceType":
        "read-only: reported by SageMaker (readOnlyProperties of the resource's CloudFormation schema).",
    "InferenceComponent.Specification.Container.DeployedImage.ResolutionTime":
        "read-only: the image SageMaker resolved, reported by SageMaker.",
    "InferenceComponent.Specification.Container.DeployedImage.ResolvedImage":
        "read-only: the image SageMaker resolved, reported by SageMaker.",
    "InferenceComponent.Specification.Container.DeployedImage.SpecifiedImage":
        "read-only: the image SageMaker resolved, reported by SageMaker.",
    "InferenceComponent.Specification.CurrentDataCacheConfig.EnableCaching":
        "read-only: the cache setting in effect, reported by SageMaker.",
    "InferenceComponent.Specifications.CurrentDataCacheConfig.EnableCaching":
        "read-only: the cache setting in effect, reported by SageMaker.",
    # Decided when issues #18 and #20 merged.
    "Model.Containers.ModelPackageName":
        "a model made from a package (Model(model_package=...)) renders the package as its one PrimaryContainer: "
        "SageMaker expands the package's own containers (up to 15 in its InferenceSpecification; API reference, "
        "ContainerDefinition ModelPackageName), so a pipeline is packaged as one package, not listed here.",
    "Model.Containers.InferenceSpecificationName":
        "names the inference specification of a ModelPackageName container; a packaged model renders "
        "PrimaryContainer (where ModelPackage.from_arn(..., inference_specification_name=...) sets it).",
    **{f"EndpointConfig.ShadowProductionVariants.ManagedInstanceScaling.{leaf}": _SHADOW_MIS for leaf in (
        "Status", "MinInstanceCount", "MaxInstanceCount", "ScaleInPolicy.Strategy", "ScaleInPolicy.MaximumStepSize",
        "ScaleInPolicy.CooldownInMinutes")},
    "InferenceComponent.Specification.Container.Image":
        "a component's container is its Model's (Specification.ModelName; add_inference_component(model=...)), "
        "which carries the image, its pull grants, network, LLM defaults and checks; a model-less container would "
        "bypass them (the same image and environment are set by Model(image=..., environment=...)).",
    "InferenceComponent.Specification.Container.Environment":
        "a component's container is its Model's (Model(environment=...)); see Specification.Container.Image.",
    "InferenceComponent.Specifications.Container.Image":
        "each per-instance-type entry names a Model (ComponentSpecification(model=...)); see "
        "Specification.Container.Image.",
    "InferenceComponent.Specifications.Container.Environment":
        "each per-instance-type entry names a Model (Model(environment=...)); see Specification.Container.Image.",
    "InferenceComponent.Specifications.Container.ArtifactUrl":
        "adapters (BaseInferenceComponentName with Container.ArtifactUrl) are supported only on the singular "
        "Specification (CloudFormation resource schema, InferenceComponentSpecificationForInstanceType), where "
        "add_adapter(adapter_uri=...) sets it; a model's artifacts come from its Model (ModelData).",
})

#: Path prefix -> the issue that owns it (not reachable in this branch; the lead shrinks this on merge).
PENDING: dict[str, str] = _expand({
})


def pending_owner(path: str) -> str | None:
    """The issue that owns ``path`` (a :data:`PENDING` prefix), or None (also for an :data:`EXCLUDED` path under
    a pending prefix: the exclusion is the more specific entry)."""
    if path in EXCLUDED:
        return None
    for prefix, owner in PENDING.items():
        if path == prefix or path.startswith(prefix + "."):
            return owner
    return None


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many of :func:`property_paths` the synthesized templates set."""

    total: int
    reached: frozenset[str]
    excluded: frozenset[str]
    pending: frozenset[str]

    @property
    def percent(self) -> float:
        return 100.0 * len(self.reached) / self.total if self.total else 100.0

    def summary(self) -> str:
        return (f"{len(self.reached)}/{self.total} properties of the SageMaker hosting resources set through the "
                f"typed API ({self.percent:.1f} %); {len(self.excluded)} excluded with a reason, "
                f"{len(self.pending)} pending other issues")


def coverage(templates: Iterable[Mapping[str, Any]]) -> Coverage:
    """The coverage of ``templates`` (e.g. the synthesized exemplars of the completeness test)."""
    paths = set(property_paths())
    reached: set[str] = set()
    for template in templates:
        reached |= template_paths(template)
    reached &= paths
    reached -= set(EXCLUDED)  # set by the construct itself: not a choice the API offers
    excluded = {p for p in paths if p in EXCLUDED}
    pending = {p for p in paths if pending_owner(p) is not None and p not in reached}
    return Coverage(total=len(paths), reached=frozenset(reached), excluded=frozenset(excluded),
                    pending=frozenset(pending))
