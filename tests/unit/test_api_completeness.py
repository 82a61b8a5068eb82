"""Every CloudFormation property of the SageMaker hosting resources is reachable through the typed API.

The properties come from aws-cdk-lib's jsii assembly (``cdk_sagemaker._coverage.property_paths``), so a new
aws-cdk-lib version with new properties fails here until the API reaches them (or they are excluded with a reason).
The claims of the reviewed table ``REACHABLE`` are proved by synthesizing exemplar stacks that use only the public,
typed API (no escape hatches) and reading the properties back from the templates.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3

from cdk_sagemaker import _coverage
from cdk_sagemaker.constructs.asynchronous import AsyncEndpoint
from cdk_sagemaker.constructs.autoscaling import AutoScaling
from cdk_sagemaker.constructs.capture import DataCapture
from cdk_sagemaker.constructs.deployment import DeploymentStrategy
from cdk_sagemaker.constructs.enhanced_metrics import EnhancedMetrics
from cdk_sagemaker.constructs.hosting import (
    CapacityReservation,
    ComponentDeployment,
    ComponentMetrics,
    ComponentScaling,
    ComponentScheduling,
    ComponentSpecification,
    ManagedInstanceScaling,
    Routing,
    ScaleInPolicy,
)
from cdk_sagemaker.constructs.images import ContainerImage
from cdk_sagemaker.constructs.model import ContainerDefinition, Model, ModelData
from cdk_sagemaker.constructs.model_options import ClarifyExplainer, CoreDump, InstancePool
from cdk_sagemaker.constructs.network import InferenceNetwork
from cdk_sagemaker.constructs.realtime import ProductionVariant, RealtimeEndpoint
from cdk_sagemaker.constructs.registry import ModelPackage
from cdk_sagemaker.constructs.serverless import ServerlessEndpoint

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model:1"
HUB_CONTENT = "arn:aws:sagemaker:us-east-1:123456789012:hub-content/my-hub/ModelReference/llama-3-8b/1.0.0"
RESERVATION = "arn:aws:sagemaker:us-east-1:123456789012:training-plan/my-plan"


def _image() -> ContainerImage:
    return ContainerImage.from_uri(IMAGE)


def _models_and_realtime(stack: cdk.Stack) -> None:
    bucket = s3.Bucket(stack, "Bucket", enforce_ssl=True)
    network = InferenceNetwork(stack, "Network")
    single = Model(stack, "Single", image=_image(), model_data=ModelData.from_bucket(bucket, "m/model.tar.gz"),
                   environment={"A": "1"}, model_name="single-model", network=network)
    pipeline = Model(stack, "Pipeline", inference_execution_mode="Direct", role=iam.Role(
        stack, "Role", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com")), containers=[
        ContainerDefinition(image=_image(), model_data=ModelData.from_bucket(bucket, "a/model.tar.gz"),
                            environment={"B": "2"}, hostname="first"),
        ContainerDefinition(image=_image(), hostname="second"),
    ])
    plain = Model(stack, "Plain", image=_image())
    Model(stack, "Packaged", model_package=ModelPackage.from_arn(
        "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn/3", inference_specification_name="cpu"))
    multi_model = Model(stack, "MultiModel", containers=[
        ContainerDefinition(image=_image(), model_data=ModelData.from_bucket(bucket, "models/"), multi_model=True,
                            hostname="multi", model_cache=False)])
    endpoint = RealtimeEndpoint(
        stack, "AbTest",
        variants=[ProductionVariant(model=single, variant_name="A", instance_type="ml.m5.large", instance_count=2,
                                    initial_weight=1, volume_size_gb=20,
                                    model_data_download_timeout=Duration.minutes(10),
                                    container_startup_health_check_timeout=Duration.minutes(10),
                                    routing_strategy="LEAST_OUTSTANDING_REQUESTS",
                                    auto_scaling=AutoScaling(min_capacity=2, max_capacity=4,
                                                             invocations_per_instance=100),
                                    core_dump=CoreDump(bucket=bucket, kms_key=kms.Key(
                                        stack, "DumpKey", enable_key_rotation=True)),
                                    instance_pools=[InstancePool(instance_type="ml.m5.large", priority=1),
                                                    InstancePool(instance_type="ml.c5.large", priority=2,
                                                                 model_name_override="compiled-for-c5")],
                                    instance_provision_timeout=Duration.minutes(10)),
                  ProductionVariant(model=pipeline, variant_name="B")],
        data_capture=DataCapture(sampling_percentage=50, csv_content_types=["text/csv"],
                                 json_content_types=["application/json"],
                                 kms_key=kms.Key(stack, "CaptureKey", enable_key_rotation=True)),
    )
    cdk.Tags.of(stack).add("team", "ml")
    del endpoint
    RealtimeEndpoint(
        stack, "Shadowed",
        variants=[ProductionVariant(model=plain, variant_name="Prod")],
        shadow_variants=[ProductionVariant(model=single, variant_name="Shadow", instance_type="ml.m5.large",
                                           initial_weight=0.5, volume_size_gb=10,
                                           model_data_download_timeout=Duration.minutes(5),
                                           container_startup_health_check_timeout=Duration.minutes(5),
                                           routing_strategy="RANDOM", core_dump=CoreDump(
                                               bucket=bucket, kms_key=kms.Key(stack, "ShadowDumpKey",
                                                                              enable_key_rotation=True)),
                                           instance_provision_timeout=Duration.minutes(5))],
    )
    RealtimeEndpoint(  # pools replace the shadow's InstanceType
        stack, "ShadowedOnPools",
        variants=[ProductionVariant(model=plain, variant_name="Prod")],
        shadow_variants=[ProductionVariant(model=single, variant_name="Shadow", instance_pools=[
            InstancePool(instance_type="ml.m5.large", priority=1, model_name_override="other-model")])],
    )
    RealtimeEndpoint(stack, "MultiModelEndpoint", model=multi_model)


def _components(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    model = Model(stack, "Model", image=_image(), network=network)
    endpoint = RealtimeEndpoint(stack, "Endpoint", execution_role=iam.Role(
        stack, "Role", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com")),
        variants=[ProductionVariant.for_inference_components(instance_type="ml.m5.2xlarge", variant_name="Shared")])
    endpoint.add_inference_component("Component", model=model, memory_mb=1024, max_memory_mb=2048, cpu_cores=1,
                                     accelerators=None, copies=2, variant_name="Shared",
                                     model_data_download_timeout=Duration.minutes(10),
                                     container_startup_health_check_timeout=Duration.minutes(10))


def _canary(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=_image())
    RealtimeEndpoint(stack, "Canary", model=model, instance_count=4,
                     enhanced_metrics=EnhancedMetrics(publish_frequency_seconds=30, detailed_observability=True),
                     deployment=DeploymentStrategy.canary(percent=25, wait=Duration.minutes(5),
                                                          termination_wait=Duration.minutes(5),
                                                          maximum_execution_timeout=Duration.hours(1)))
    RealtimeEndpoint(stack, "Linear", model=model, instance_count=4,
                     deployment=DeploymentStrategy.linear(percent=25), retain_on_update=["DesiredWeight"])
    RealtimeEndpoint(stack, "Rolling", model=model, instance_count=4,
                     deployment=DeploymentStrategy.rolling(batch_percent=50, rollback_batch_percent=100,
                                                           wait=Duration.minutes(5),
                                                           maximum_execution_timeout=Duration.hours(1)))


def _gpu_component(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=_image())
    endpoint = RealtimeEndpoint(stack, "Endpoint", variants=[
        ProductionVariant.for_inference_components(instance_type="ml.g5.2xlarge")])
    endpoint.add_inference_component("Component", model=model, memory_mb=1024, accelerators=1)


def _serverless_and_async(stack: cdk.Stack) -> None:
    model = Model(stack, "Model", image=_image())
    open_model = Model(stack, "OpenModel", image=_image(), network_isolation=False)
    ServerlessEndpoint(stack, "Serverless", model=open_model, memory_size_mb=2048, max_concurrency=5,
                       provisioned_concurrency=1)
    AsyncEndpoint(stack, "Async", model=model, include_inference_response_in=["success", "error"],
                  max_concurrent_invocations_per_instance=2,
                  output_kms_key=kms.Key(stack, "OutputKey", enable_key_rotation=True))


def _registry_and_explainer(stack: cdk.Stack) -> None:
    network = InferenceNetwork(stack, "Network")
    provider = lambda_.Function(stack, "Credentials", runtime=lambda_.Runtime.PYTHON_3_13, handler="index.handler",
                                code=lambda_.Code.from_inline("def handler(event, context):\n    return {}\n"))
    private = ContainerImage.from_private_registry("registry.internal.example.com/models/churn:1",
                                                   credentials_provider=provider)
    single = Model(stack, "Private", image=private, network=network)
    Model(stack, "PrivatePipeline", network=network, containers=[
        ContainerDefinition(image=private), ContainerDefinition(image=ContainerImage.from_private_registry(
            "registry.internal.example.com/models/post:1", credentials_provider=provider))])
    bucket = s3.Bucket(stack, "Baselines", enforce_ssl=True)
    RealtimeEndpoint(stack, "Explained", model=single, explainer=ClarifyExplainer(
        shap_baseline_bucket=bucket, shap_baseline_key="baseline.csv", baseline_mime_type="text/csv",
        number_of_samples=100, use_logit=True, seed=7, text_language="en", text_granularity="token",
        enable_explanations="`true`", features_attribute="features", content_template='{"features":$features}',
        max_record_count=10, max_payload_mb=6, probability_attribute="score", label_attribute="labels",
        label_headers=["no", "yes"], feature_headers=["text", "age"], feature_types=["text", "numerical"]))
    other = Model(stack, "Other", image=_image())
    RealtimeEndpoint(stack, "CsvExplained", model=other, explainer=ClarifyExplainer(
        shap_baseline="1,2,3", probability_index=1, label_index=0))


def _modern_components(stack: cdk.Stack) -> None:
    """Inference components with every option: managed instance scaling (to zero), copy scaling, rolling updates,
    data cache, scheduling, container metrics, adapters, per-instance-type specifications; the newer variant
    fields (prefix-aware routing, AMI version, capacity reservation, SSM access)."""
    model = Model(stack, "Model", image=_image(), model_data=ModelData.from_s3_prefix("s3://weights/llm/"))
    other = Model(stack, "Other", image=_image())
    endpoint = RealtimeEndpoint(stack, "Endpoint", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.g5.12xlarge", variant_name="Shared",
        managed_instance_scaling=ManagedInstanceScaling(
            min_instances=0, max_instances=4,
            scale_in_policy=ScaleInPolicy.consolidation(maximum_step_size=1, cooldown=Duration.minutes(30))),
        routing_strategy=Routing.prefix_aware(prefix_length=2048, concurrency_threshold=8),
        inference_ami_version="al2-ami-sagemaker-inference-gpu-2",
        capacity_reservation=CapacityReservation.from_arn(RESERVATION), enable_ssm_access=True)])
    alarm = cloudwatch.Alarm(stack, "Errors", metric=cloudwatch.Metric(namespace="N", metric_name="M"),
                             threshold=1, evaluation_periods=1)
    base = endpoint.add_inference_component(
        "Base", model=model, memory_mb=4096, accelerators=1, data_cache=True,
        scheduling=ComponentScheduling.spread(balance_azs=True, max_az_imbalance=1),
        container_metrics=ComponentMetrics(path="/metrics", frequency=Duration.seconds(30)),
        auto_scaling=ComponentScaling(min_copies=0, max_copies=4, invocations_per_copy=10),
        deployment=ComponentDeployment.rolling(batch_copies=1, wait=Duration.minutes(1),
                                               timeout=Duration.minutes(30), rollback_copies=2, alarms=[alarm]))
    endpoint.add_adapter("Adapter", base_component=base, adapter_uri="s3://weights/adapters/sql/")
    endpoint.add_inference_component("PerType", specifications=[
        ComponentSpecification(instance_type="ml.g5.12xlarge", model=model, memory_mb=2048, accelerators=1,
                               cpu_cores=2, max_memory_mb=4096, data_cache=True,
                               model_data_download_timeout=Duration.minutes(10),
                               container_startup_health_check_timeout=Duration.minutes(10),
                               scheduling=ComponentScheduling.binpack(),
                               container_metrics=ComponentMetrics(path="/metrics",
                                                                  frequency=Duration.seconds(10))),
        ComponentSpecification(instance_type="ml.g6.12xlarge", model=other, memory_mb=4096)])
    cdk.Tags.of(endpoint).add("team", "ml")  # the endpoint, its config and its components


def _modern_shadow(stack: cdk.Stack) -> None:
    """A shadow variant with the newer variant fields (prefix-aware routing, AMI version, capacity reservation, SSM
    access) and a pipeline whose containers take uncompressed and gated model data (ModelDataSource)."""
    model = Model(stack, "Model", image=_image(),
                  model_data=ModelData.from_s3_prefix("s3://weights/llm/", accept_eula=True,
                                                      hub_content_arn=HUB_CONTENT))
    RealtimeEndpoint(
        stack, "Shadowed", variants=[ProductionVariant(model=model, variant_name="Prod",
                                                       instance_type="ml.g5.2xlarge")],
        shadow_variants=[ProductionVariant(
            model=model, variant_name="Shadow", instance_type="ml.g5.2xlarge",
            routing_strategy=Routing.prefix_aware(prefix_length=1024, concurrency_threshold=4),
            inference_ami_version="al2-ami-sagemaker-inference-gpu-3-1",
            capacity_reservation=CapacityReservation.from_arn(RESERVATION), enable_ssm_access=True)])
    Model(stack, "Pipeline", containers=[
        ContainerDefinition(image=_image(), model_data=ModelData.from_s3_prefix(
            "s3://weights/first/", accept_eula=True, hub_content_arn=HUB_CONTENT)),
        ContainerDefinition(image=_image(), model_data=ModelData.from_s3_uri("s3://weights/second/model.tar.gz",
                                                                             accept_eula=True))])


EXEMPLARS = {
    "ModelsAndRealtime": _models_and_realtime,
    "Components": _components,
    "GpuComponent": _gpu_component,
    "Rollouts": _canary,
    "ServerlessAndAsync": _serverless_and_async,
    "RegistryAndExplainer": _registry_and_explainer,
    "ModernComponents": _modern_components,
    "ModernShadow": _modern_shadow,
}


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, Any]]:
    app = cdk.App()
    stacks = {}
    for name, build in EXEMPLARS.items():
        stacks[name] = cdk.Stack(app, name)
        build(stacks[name])
    assembly = app.synth()
    return {name: assembly.get_stack_by_name(name).template for name in stacks}


@pytest.fixture(scope="module")
def reached(templates: dict[str, dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for template in templates.values():
        out |= _coverage.template_paths(template)
    return out


def test_the_assembly_lists_the_hosting_properties() -> None:
    paths = _coverage.property_paths()
    # Spot checks that the walk goes into nested property types of all four resources.
    assert "Model.PrimaryContainer.ImageConfig.RepositoryAuthConfig.RepositoryCredentialsProviderArn" in paths
    assert "EndpointConfig.ExplainerConfig.ClarifyExplainerConfig.ShapConfig.ShapBaselineConfig.ShapBaseline" in paths
    assert "Endpoint.DeploymentConfig.RollingUpdatePolicy.MaximumBatchSize.Value" in paths
    assert "InferenceComponent.RuntimeConfig.CopyCount" in paths
    assert len(paths) == len(set(paths)) > 150


def test_every_property_is_reachable_excluded_or_pending() -> None:
    unmapped = [p for p in _coverage.property_paths()
                if p not in _coverage.REACHABLE and p not in _coverage.EXCLUDED and _coverage.pending_owner(p) is None]
    assert not unmapped, ("properties of aws-cdk-lib's SageMaker hosting L1s that our typed API does not reach "
                          "(add them to the API and to REACHABLE, or to EXCLUDED with a reason):\n"
                          + "\n".join(unmapped))


def test_tables_name_only_existing_properties_once() -> None:
    paths = set(_coverage.property_paths())
    stale = sorted(set(_coverage.REACHABLE) - paths) + sorted(set(_coverage.EXCLUDED) - paths)
    stale += sorted(p for p in _coverage.PENDING if not any(x == p or x.startswith(p + ".") for x in paths))
    assert not stale, f"table entries naming no property of this aws-cdk-lib: {stale}"
    both = sorted(set(_coverage.REACHABLE) & set(_coverage.EXCLUDED))
    both += sorted(p for p in (*_coverage.REACHABLE, *_coverage.EXCLUDED) if _coverage.pending_owner(p) is not None)
    assert not both, f"properties in more than one table: {both}"


def test_reachable_claims_hold_in_synthesized_templates(reached: set[str]) -> None:
    missing = sorted(p for p in _coverage.REACHABLE if p not in reached)
    assert not missing, ("REACHABLE names properties that the exemplar stacks (public API only) do not set:\n"
                         + "\n".join(f"{p}: {_coverage.REACHABLE[p]}" for p in missing))


def test_pending_properties_are_not_reached_yet(reached: set[str]) -> None:
    early = sorted(p for p in reached if _coverage.pending_owner(p) is not None)
    assert not early, f"now reachable: move from PENDING to REACHABLE: {early}"


def test_excluded_properties_stay_out(reached: set[str]) -> None:
    leaked = sorted(p for p in reached
                    if p in _coverage.EXCLUDED and not _coverage.EXCLUDED[p].startswith("set by the construct"))
    assert not leaked, f"EXCLUDED properties set by the constructs: {leaked}"
    construct_set = sorted(p for p, why in _coverage.EXCLUDED.items() if why.startswith("set by the construct")
                           and p in set(_coverage.property_paths()))
    unset = [p for p in construct_set if p not in reached]
    assert not unset, f"'set by the construct' claims that no exemplar template shows: {unset}"


def test_coverage_figure(templates: dict[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]) -> None:
    cov = _coverage.coverage(templates.values())
    with capsys.disabled():
        print(f"\n{cov.summary()}")
        for owner in sorted(set(_coverage.PENDING.values())):
            print(f"  pending {owner}: {sum(1 for p in cov.pending if _coverage.pending_owner(p) == owner)}")
    unmapped = cov.total - len(cov.reached) - len(cov.excluded) - len(cov.pending)
    with capsys.disabled():
        print(f"  unmapped (neither reached, excluded nor pending): {unmapped}")
    assert set(cov.reached) <= set(_coverage.REACHABLE)  # every reached property is reviewed



def _read_only_prefixes() -> dict[str, str]:
    """``readOnlyProperties`` of the four resources' CloudFormation registry schemas (as cfn-lint ships them), as
    path prefixes of :func:`_coverage.property_paths` (lists are transparent there, ``/*/`` here)."""
    import json
    from pathlib import Path

    import cfnlint.data.schemas

    base = Path(cfnlint.data.schemas.__file__).parent
    providers = json.loads((base / "providers" / "us-east-1.json").read_text())
    out: dict[str, str] = {}
    for short, cfn_type in _coverage.RESOURCES.items():
        ref = providers[cfn_type]
        schema = json.loads((base / "resources" / f"{ref}.json").read_text())
        for pointer in schema.get("readOnlyProperties", []):
            parts = [p for p in pointer.split("/")[2:] if p != "*"]
            out[".".join([short, *parts])] = cfn_type
    return out


def test_read_only_properties_are_excluded() -> None:
    """What CloudFormation reports but never takes (readOnlyProperties) must be in EXCLUDED, never REACHABLE."""
    prefixes = _read_only_prefixes()
    assert prefixes, "cfn-lint's schemas list no read-only properties for the hosting resources"
    read_only = [p for p in _coverage.property_paths()
                 if any(p == x or p.startswith(x + ".") for x in prefixes)]
    assert read_only, "aws-cdk-lib exposes none of the read-only properties (update this test)"
    wrong = [p for p in read_only if p not in _coverage.EXCLUDED]
    assert not wrong, f"read-only in CloudFormation, so they belong in EXCLUDED: {wrong}"
