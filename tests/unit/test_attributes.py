"""Attribute types match the runtime: an attribute that an option creates is typed without ``None``; reading it when
the option was not given raises ``NotConfiguredError`` (an ``AttributeError``) naming the construct and the option.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

import cdk_sagemaker
from cdk_sagemaker import (
    AsyncEndpoint,
    AutoScaling,
    BatchTransform,
    ContainerImage,
    DataCapture,
    DeploymentStrategy,
    InferenceNetwork,
    Model,
    ModelData,
    ProductionVariant,
    RealtimeEndpoint,
    SecureBucket,
    ServerlessEndpoint,
)
from cdk_sagemaker.errors import NotConfiguredError

CONSTRUCTS = Path(cdk_sagemaker.__file__).parent / "constructs"


def _model(stack: cdk.Stack, id: str = "Model", **kw: Any) -> Model:
    return Model(stack, id, image=ContainerImage.from_prebuilt("xgboost", "1.7-1"),
                 model_data=ModelData.from_s3_uri("s3://my-models/m/model.tar.gz"), **kw)


def _private_network(stack: cdk.Stack) -> InferenceNetwork:
    return InferenceNetwork(stack, "Net")


# (attribute, build with the option, build without it, words the error must contain)
CASES: list[tuple[str, Callable[[cdk.Stack], Any], Callable[[cdk.Stack], Any], str]] = [
    ("success_topic", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), notifications=False), "notifications=False"),
    ("error_topic", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), notifications=False), "notifications=False"),
    ("topic_key", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), success_topic=sns.Topic(s, "S"), error_topic=sns.Topic(s, "E")),
     "no topic was created"),
    ("bucket", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), output_path="s3://out-bucket/results/"), "output_path"),
    ("output_kms_key", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), output_path="s3://out-bucket/results/"), "output_kms_key"),
    ("failure_path", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), output_path="s3://out-bucket/results/"), "failure_path="),
    ("input_path", lambda s: AsyncEndpoint(s, "A", model=_model(s)),
     lambda s: AsyncEndpoint(s, "A", model=_model(s), output_path="s3://out-bucket/results/"), "input_path="),
    ("rule", lambda s: BatchTransform(s, "B", model=_model(s), input_s3_uri="s3://data-bucket/in/",
                                      output_s3_uri="s3://data-bucket/out/",
                                      schedule=events.Schedule.cron(hour="2", minute="0")),
     lambda s: BatchTransform(s, "B", model=_model(s), input_s3_uri="s3://data-bucket/in/",
                              output_s3_uri="s3://data-bucket/out/"), "schedule="),
    ("deployment", lambda s: RealtimeEndpoint(s, "R", model=_model(s), instance_count=2,
                                              deployment=DeploymentStrategy.canary(percent=50)),
     lambda s: RealtimeEndpoint(s, "R", model=_model(s)), "deployment="),
    ("data_capture_bucket", lambda s: RealtimeEndpoint(s, "R", model=_model(s), data_capture=DataCapture()),
     lambda s: RealtimeEndpoint(s, "R", model=_model(s)), "data_capture="),
    ("kms_key", lambda s: RealtimeEndpoint(s, "R", model=_model(s)),
     lambda s: ServerlessEndpoint(s, "S", model=_model(s, network_isolation=False)), "erverless"),
    ("kms_key", lambda s: RealtimeEndpoint(s, "R", model=_model(s)),
     lambda s: RealtimeEndpoint(s, "R", model=_model(s), instance_type="ml.g5.xlarge"), "NVMe"),
    ("execution_role", lambda s: RealtimeEndpoint(s, "R", variants=[ProductionVariant.for_inference_components(
        instance_type="ml.m5.large")]),
     lambda s: RealtimeEndpoint(s, "R", model=_model(s)), "inference components"),
    ("security_group", lambda s: _model(s, network=_private_network(s)), lambda s: _model(s), "network="),
    ("connections", lambda s: _model(s, network=_private_network(s)), lambda s: _model(s), "network="),
    ("s3_endpoint", lambda s: InferenceNetwork(s, "Net"),
     lambda s: InferenceNetwork(s, "Net", endpoints=False), "endpoints=False"),
    ("flow_log", lambda s: InferenceNetwork(s, "Net"),
     lambda s: InferenceNetwork(s, "Net", vpc=ec2.Vpc(s, "Vpc", max_azs=2)), "vpc"),
    ("flow_log_group", lambda s: InferenceNetwork(s, "Net"),
     lambda s: InferenceNetwork(s, "Net", vpc=ec2.Vpc(s, "Vpc", max_azs=2)), "vpc"),
    ("flow_log_key", lambda s: InferenceNetwork(s, "Net"),
     lambda s: InferenceNetwork(s, "Net", vpc=ec2.Vpc(s, "Vpc", max_azs=2)), "vpc"),
]


def _stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Attrs")


@pytest.mark.parametrize(("attribute", "with_option", "without_option", "hint"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_attribute_exists_with_its_option_and_says_what_creates_it(
        attribute: str, with_option: Callable[[cdk.Stack], Any], without_option: Callable[[cdk.Stack], Any],
        hint: str) -> None:
    built = with_option(_stack())
    assert getattr(built, attribute) is not None
    prop = inspect.getattr_static(type(built), attribute)
    assert isinstance(prop, property), f"{type(built).__name__}.{attribute} must be a read-only property"
    annotation = inspect.signature(prop.fget).return_annotation  # type: ignore[arg-type]
    assert "None" not in str(annotation), f"{type(built).__name__}.{attribute} is typed {annotation}"

    bare = without_option(_stack())
    with pytest.raises(NotConfiguredError, match=f"Attrs/.*: {attribute} is not available: .*{hint}") as info:
        getattr(bare, attribute)
    assert isinstance(info.value, AttributeError) and info.value.attribute == attribute
    assert getattr(bare, attribute, None) is None and not hasattr(bare, attribute)


def test_variant_scaling_attributes_follow_auto_scaling() -> None:
    s = _stack()
    scaled = RealtimeEndpoint(s, "Scaled", model=_model(s), instance_count=2,
                              auto_scaling=AutoScaling(min_capacity=2, max_capacity=4, invocations_per_instance=100))
    variant = scaled.variants[0]
    assert variant.scalable_target is variant.scaling.scalable_target
    plain = RealtimeEndpoint(s, "Plain", model=_model(s, "Model2"))
    with pytest.raises(NotConfiguredError, match="Attrs/Plain: variant 'AllTraffic' scaling is not available"):
        _ = plain.variants[0].scaling
    assert getattr(plain.variants[0], "scalable_target", None) is None
    later = plain.variants[0].auto_scale(AutoScaling(min_capacity=1, max_capacity=2, invocations_per_instance=50))
    assert plain.variants[0].scaling is later and plain.variants[0].scalable_target is later.scalable_target


def test_secure_bucket_encryption_key_is_its_key() -> None:
    s = _stack()
    given = kms.Key(s, "Given", enable_key_rotation=True)
    assert SecureBucket(s, "Mine", encryption_key=given).encryption_key is given
    created = SecureBucket(s, "Created").encryption_key
    assert created.key_arn and created.node.path == "Attrs/CreatedKey"


# --- the sweep: no public attribute of a construct is typed X | None unless it echoes an input -----------------

#: Public attributes that may be None by nature, not because an option was left out: inputs echoed as given, and
#: facts of a variant's kind (a serverless variant has no instance type; an inference-component host no model).
ALLOWED_OPTIONAL = {
    ("Model", "network"), ("ContainerImage", "accelerator"),
    ("EndpointVariant", "model"), ("EndpointVariant", "instance_type"),
    ("EndpointVariant", "initial_instance_count"), ("EndpointVariant", "serverless"),
    ("EndpointVariant", "provisioned_concurrency"), ("EndpointVariant", "max_concurrency"),
    ("EndpointVariant", "accelerator_type"),
    # The leaf protocols (cdk_sagemaker/constructs/variant.py) state the same facts of a variant's kind.
    ("VariantFacts", "instance_type"), ("VariantFacts", "initial_instance_count"),
    ("VariantFacts", "provisioned_concurrency"), ("VariantFacts", "max_concurrency"),
    ("IEndpointVariant", "model"), ("IEndpointVariant", "accelerator_type"),
    ("AsyncEndpoint", "max_concurrent_invocations_per_instance"),
    ("BatchTransform", "data_processing"),
}


def _optional_public_attributes() -> set[tuple[str, str]]:
    """``(class, attribute)`` for every ``self.<public> ... None`` assignment and ``<public>: ... None`` annotation
    in a class of cdk_sagemaker/constructs (dataclass option fields excluded: they are inputs)."""
    found: set[tuple[str, str]] = set()
    for module in sorted(CONSTRUCTS.glob("[!_]*.py")):
        tree = ast.parse(module.read_text())
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and not n.name.startswith("_")):
            if any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "dataclass" for d in cls.decorator_list):
                continue
            for node in ast.walk(cls):
                target, annotation, value = None, None, None
                if isinstance(node, ast.AnnAssign):
                    target, annotation, value = node.target, node.annotation, node.value
                elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target, value = node.targets[0], node.value
                name = (target.attr if isinstance(target, ast.Attribute) and getattr(target.value, "id", "") == "self"
                        else target.id if isinstance(target, ast.Name) and node in cls.body else None)
                if name is None or name.startswith("_") or name.isupper():
                    continue
                optional = (annotation is not None and "None" in ast.unparse(annotation)) or (
                    isinstance(value, ast.Constant) and value.value is None) or (
                    isinstance(value, ast.IfExp) and any(isinstance(b, ast.Constant) and b.value is None
                                                         for b in (value.body, value.orelse)))
                if optional:
                    found.add((cls.name, name))
            for item in cls.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_") and any(
                        getattr(d, "id", "") == "property" for d in item.decorator_list) and item.returns is not None \
                        and "None" in ast.unparse(item.returns):
                    found.add((cls.name, item.name))
    return found


def test_no_public_construct_attribute_is_optional_unless_allowed() -> None:
    unexpected = _optional_public_attributes() - ALLOWED_OPTIONAL
    assert unexpected == set(), ("typed X | None although an option creates it: make it a property that raises "
                                 f"NotConfiguredError (cdk_sagemaker/constructs/_optional.py): {sorted(unexpected)}")
