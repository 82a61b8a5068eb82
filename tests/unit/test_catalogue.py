"""The prebuilt image catalogue: shipped data vs. the SageMaker SDK, lookup errors, freshness, cheap import."""

from __future__ import annotations

import functools
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cdk_sagemaker.constructs import _catalogue
from cdk_sagemaker.constructs._catalogue import PrebuiltImage, UnknownImage, lookup

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "cdk_sagemaker" / "data" / "prebuilt_images.json"
GENERATOR = ROOT / "tools" / "generate_prebuilt_images.py"
SDK_REASON = "sagemaker-core (sagemaker.core.image_uris) is not installed; it is a dev-only dependency"
INSTANCE = {"cpu": "ml.m5.large", "gpu": "ml.g5.xlarge"}
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "me-south-1", "af-south-1", "us-gov-west-1", "cn-north-1")
# Newest version of each, GPU where the image has one, so several tag shapes are covered in every region.
SAMPLES = (
    ("xgboost", "1.7-1", "cpu"),
    ("xgboost", "0.90-2", "cpu"),
    ("sklearn", "1.2-1", "cpu"),
    ("pytorch", "2.1", "gpu"),
    ("tensorflow", "2.13", "cpu"),
    ("mxnet", "1.9", "gpu"),
    ("huggingface", "4.37", "gpu"),
    ("huggingface-llm", "2.0", "gpu"),
    ("djl-lmi", "0.28.0", "gpu"),
    ("sagemaker-tritonserver", "24.09", "gpu"),
    ("linear-learner", "1", "cpu"),
)


@pytest.fixture(scope="session")
def sdk() -> Iterator[ModuleType]:
    """``sagemaker.core.image_uris`` with botocore's endpoint data loaded once instead of on every call."""
    image_uris = pytest.importorskip("sagemaker.core.image_uris", reason=SDK_REASON)
    from sagemaker.core import common_utils

    original = common_utils._botocore_resolver
    common_utils._botocore_resolver = functools.cache(original)
    try:
        yield image_uris
    finally:
        common_utils._botocore_resolver = original


def sdk_uri(
    sdk: ModuleType, framework: str, region: str, version: str, processor: str, py: str | None, base: str | None = None
) -> str:
    uri: str = sdk.retrieve(
        framework,
        region,
        version=version,
        image_scope="inference",
        instance_type=INSTANCE[processor],
        py_version=py,
        base_framework_version=base,
    )
    return uri


def combinations() -> Iterator[tuple[str, str, str, str | None, str | None]]:
    """Every (framework, version or alias, processor, py_version, base) the shipped data offers."""
    data: dict[str, Any] = json.loads(DATA.read_text())
    for framework, scopes in sorted(data["frameworks"].items()):
        if "inference" not in scopes:  # the monitoring images: test_monitoring_images_match_the_sdk
            continue
        scope = scopes["inference"]
        names = {**{v: v for v in scope["versions"]}, **scope.get("aliases", {})}
        for name, concrete in sorted(names.items()):
            entry = scope["versions"][concrete]
            bases: dict[str, Any] = entry.get("bases", {None: entry})
            for base, image in sorted(bases.items(), key=lambda kv: str(kv[0])):
                for py in image.get("py_versions") or [None]:
                    variant = image.get("by_py", {}).get(py, image)
                    for processor in variant.get("processors") or ["cpu", "gpu"]:
                        yield framework, name, processor, py, base


def test_every_image_matches_the_sdk_in_us_east_1(sdk: ModuleType) -> None:
    mismatches = []
    count = 0
    for framework, version, processor, py, base in combinations():
        ours = lookup(framework, version, processor=processor, py_version=py, base_framework_version=base)
        theirs = sdk_uri(sdk, framework, "us-east-1", version, processor, py, base)
        count += 1
        if ours.uri("us-east-1") != theirs:
            mismatches.append((framework, version, processor, py, base, ours.uri("us-east-1"), theirs))
    assert count > 500
    assert mismatches == []


@pytest.mark.parametrize(("framework", "version", "processor"), SAMPLES)
def test_sample_matches_the_sdk_in_every_region(sdk: ModuleType, framework: str, version: str, processor: str) -> None:
    image = lookup(framework, version, processor=processor)
    py = image.tag.split("-")  # recover the py_version lookup chose, to pass the same input to the SDK
    py_version = next((p for p in py if p.startswith("py") and p[2:].isdigit()), None)
    base = "pytorch2.1.0" if framework == "huggingface" else None
    for region in sorted(image.accounts):
        assert image.uri(region) == sdk_uri(sdk, framework, region, version, processor, py_version, base), region


@pytest.mark.parametrize("region", REGIONS)
def test_common_regions_are_covered(region: str) -> None:
    for framework, version, processor in SAMPLES[:7]:
        assert region in lookup(framework, version, processor=processor).accounts


def test_data_is_what_the_generator_writes_now(sdk: ModuleType) -> None:
    spec = importlib.util.spec_from_file_location("generate_prebuilt_images", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert DATA.read_text() == generator.render(generator.build()), "stale: run tools/generate_prebuilt_images.py"


@pytest.mark.parametrize(("framework", "scope", "version"), [("model-monitor", "monitoring", ""),
                                                             ("clarify", "processing", "1.0")])
def test_monitoring_images_match_the_sdk_in_every_region(sdk: ModuleType, framework: str, scope: str,
                                                         version: str) -> None:
    image = lookup(framework, version, image_scope=scope)
    assert len(image.accounts) > 20
    for region in sorted(image.accounts):
        theirs = sdk.retrieve(framework, region, version=version or None, image_scope=scope)
        assert image.uri(region) == theirs, region


def test_data_is_small() -> None:
    assert DATA.stat().st_size < 300_000


def test_import_does_not_load_the_data() -> None:
    code = (
        "import sys, cdk_sagemaker.constructs._catalogue as c; "
        "assert c._data.cache_info().currsize == 0; "
        "assert not any(m == 'aws_cdk' or m.startswith('aws_cdk.') for m in sys.modules); "
        "c.frameworks(); c.lookup('xgboost', '1.7-1'); assert c._data.cache_info().misses == 1"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_lookup_resolves_aliases_and_defaults() -> None:
    image = lookup("pytorch", "2.1.0", processor="gpu")
    assert (image.version, image.repository, image.tag) == ("2.1.0", "pytorch-inference", "2.1.0-gpu-py310")
    alias = lookup("pytorch", "2.1", processor="gpu")  # as the SDK: an alias keeps its (floating) tag
    assert (alias.version, alias.tag, alias.accounts) == ("2.1.0", "2.1-gpu-py310", image.accounts)
    assert lookup("xgboost", "1.7-1").tag == "1.7-1"
    assert lookup("huggingface-llm", "2.0.2").tag == "2.3.0-tgi2.0.2-gpu-py310-cu121-ubuntu22.04"  # gpu-only image
    assert lookup("huggingface-llm", "2.0").version == "2.4.0"  # the SDK alias really points there
    assert lookup("pytorch", "1.4.0").tag == "1.4.0-cpu-py36"  # newest Python by default
    hf = lookup("huggingface", "4.6")  # newest PyTorch base by default
    assert hf == lookup("huggingface", "4.6.1", base_framework_version="pytorch1.8.1")
    assert hf.tag == "1.8.1-transformers4.6.1-cpu-py36-ubuntu18.04"
    assert lookup("huggingface", "4.6", base_framework_version="pytorch1.7").tag.startswith("1.7-transformers4.6.1-")


def test_uri_uses_the_region_domain() -> None:
    image = lookup("xgboost", "1.7-1")
    assert image.uri("cn-north-1").split("/")[0].endswith(".dkr.ecr.cn-north-1.amazonaws.com.cn")
    assert image.uri("cn-north-1", url_suffix="example.com").endswith(
        ".dkr.ecr.cn-north-1.example.com/sagemaker-xgboost:1.7-1"
    )


@pytest.mark.parametrize(
    ("call", "param", "match"),
    [
        (lambda: lookup("xgbost", "1.7-1"), "framework", r"^framework must be one of .*\bxgboost\b.*, got 'xgbost'$"),
        (
            lambda: lookup("xgboost", "9.9-9"),
            "version",
            r"^version must be one of 0\.90-1, 0\.90-2, 1, 1\.0-1, .*1\.7-1, .*, got '9\.9-9'$",
        ),
        (
            lambda: lookup("sklearn", "1.2-1", processor="gpu"),
            "processor",
            r"^processor must be one of cpu, got 'gpu'$",
        ),
        (lambda: lookup("xgboost", "1.7-1", processor="tpu"), "processor", r"one of cpu, gpu, got 'tpu'$"),
        (lambda: lookup("pytorch", "2.1", py_version="py27"), "py_version", r"one of py310, got 'py27'$"),
        (lambda: lookup("pytorch", "2.1", image_scope="training"), "image_scope", r"one of inference, got"),
        (
            lambda: lookup("pytorch", "2.1", base_framework_version="pytorch2.1"),
            "base_framework_version",
            r"^base_framework_version is not used by this image, got 'pytorch2.1'$",
        ),
        (
            lambda: lookup("huggingface", "4.37", base_framework_version="pytorch9"),
            "base_framework_version",
            r"one of pytorch2\.1, pytorch2\.1\.0, got 'pytorch9'$",
        ),
        (
            lambda: lookup("xgboost", "1.7-1").uri("mars-north-1"),
            "region",
            r"one of af-south-1, .*, got 'mars-north-1'",
        ),
    ],
)
def test_errors(call: Any, param: str, match: str) -> None:
    with pytest.raises(UnknownImage, match=match) as info:
        call()
    assert info.value.param == param
    assert isinstance(info.value, ValueError)


def test_unknown_version_lists_every_version_sorted() -> None:
    with pytest.raises(UnknownImage) as info:
        lookup("tensorflow", "3.0")
    assert info.value.allowed == _catalogue.versions("tensorflow")
    assert info.value.allowed[:3] == ("1.4", "1.4.1", "1.5")
    assert info.value.allowed[-1] == "2.20.0"


def test_frameworks_and_versions() -> None:
    names = _catalogue.frameworks()
    assert names == tuple(sorted(names))
    assert {"xgboost", "sklearn", "pytorch", "tensorflow", "huggingface", "mxnet"} <= set(names)
    assert "latest" not in _catalogue.versions("xgboost")  # unpinned SDK alias, dropped on purpose
    assert _catalogue.versions("sklearn")[-1] == "1.9-0"


def test_prebuilt_image_is_frozen() -> None:
    image = lookup("sklearn", "1.2-1")
    assert isinstance(image, PrebuiltImage)
    with pytest.raises(AttributeError):
        image.tag = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        image.accounts["us-east-1"] = "1"  # type: ignore[index]


def test_a_prebuilt_image_in_a_region_without_its_registry_is_refused_naming_region_value_and_regions() -> None:
    import aws_cdk as cdk

    from cdk_sagemaker import ContainerImage, Model, ValidationError
    from cdk_sagemaker.constructs import _catalogue

    regions = sorted(_catalogue.lookup("xgboost", "1.7-1").accounts)
    assert "ap-southeast-7" not in regions
    stack = cdk.Stack(cdk.App(), "Far", env=cdk.Environment(account="123456789012", region="ap-southeast-7"))
    with pytest.raises(ValidationError) as caught:
        Model(stack, "Model", image=ContainerImage.from_prebuilt("xgboost", "1.7-1"))
    message = str(caught.value)
    assert "Far/Model" in message
    assert "region must have a prebuilt xgboost 1.7-1 image (regions: " in message
    assert ", ".join(regions) in message and "got 'ap-southeast-7'" in message
