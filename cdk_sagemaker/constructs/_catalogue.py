"""Catalogue of SageMaker's prebuilt inference images (region -> AWS-owned ECR account), shipped as data.

The data (``cdk_sagemaker/data/prebuilt_images.json``) is generated from the SageMaker Python SDK by
``tools/generate_prebuilt_images.py`` and loaded lazily, once per process, on first use.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = ["DEFAULT_URL_SUFFIX", "PrebuiltImage", "UnknownImage", "frameworks", "lookup", "versions"]

DEFAULT_URL_SUFFIX = "amazonaws.com"
_DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "prebuilt_images.json"
_PROCESSORS = ("cpu", "gpu")


class UnknownImage(ValueError):  # noqa: N818 - the public name; it is a ValueError
    """No prebuilt image matches: ``param`` got ``value``, which is not one of ``allowed``."""

    def __init__(self, param: str, value: object, allowed: Iterable[str]) -> None:
        self.param = param
        self.value = value
        self.allowed: tuple[str, ...] = tuple(allowed)
        if self.allowed:
            message = f"{param} must be one of {', '.join(self.allowed)}, got {value!r}"
        else:
            message = f"{param} is not used by this image, got {value!r}"
        super().__init__(message)


@dataclass(frozen=True, kw_only=True, slots=True)
class PrebuiltImage:
    """One prebuilt image: the repository and tag are the same everywhere, the registry account differs per region.

    ``url_suffixes`` holds the regions whose domain is not ``amazonaws.com`` (China, isolated, EU sovereign).
    """

    framework: str
    version: str
    repository: str
    tag: str
    accounts: Mapping[str, str]
    url_suffixes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: The accelerator the image is built for: ``"gpu"`` (CUDA), ``"neuron"`` (Inferentia/Trainium), or None for
    #: an image that runs on CPU instances.
    accelerator: str | None = None

    @property
    def repository_and_tag(self) -> str:
        """``repository:tag`` (just ``repository`` if the tag is empty)."""
        return f"{self.repository}:{self.tag}" if self.tag else self.repository

    def uri(self, region: str, *, url_suffix: str | None = None) -> str:
        """The image URI in ``region``. Default ``url_suffix``: the region's own domain (usually amazonaws.com)."""
        account = self.accounts.get(region)
        if account is None:
            raise UnknownImage("region", region, sorted(self.accounts))
        suffix = url_suffix if url_suffix is not None else self.url_suffixes.get(region, DEFAULT_URL_SUFFIX)
        return f"{account}.dkr.ecr.{region}.{suffix}/{self.repository_and_tag}"


def _version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", version))


def _py_key(py: str) -> tuple[int, int]:
    digits = py.removeprefix("py")
    return (int(digits[:1] or 0), int(digits[1:] or -1)) if digits.isdigit() else (0, -1)


@functools.cache
def _data() -> Mapping[str, Any]:
    loaded: dict[str, Any] = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    return loaded


@functools.cache
def _accounts(registry_id: str) -> Mapping[str, str]:
    return MappingProxyType(dict(_data()["registries"][registry_id]))


@functools.cache
def _url_suffixes() -> Mapping[str, str]:
    return MappingProxyType(dict(_data()["url_suffixes"]))


def _scope(framework: str, image_scope: str) -> Mapping[str, Any]:
    known: Mapping[str, Any] = _data()["frameworks"]
    if framework not in known:
        raise UnknownImage("framework", framework, frameworks())
    scopes: Mapping[str, Any] = known[framework]
    if image_scope not in scopes:
        raise UnknownImage("image_scope", image_scope, sorted(scopes))
    return scopes[image_scope]  # type: ignore[no-any-return]


def frameworks() -> tuple[str, ...]:
    """The frameworks in the catalogue, sorted."""
    return tuple(sorted(_data()["frameworks"]))


def versions(framework: str, *, image_scope: str = "inference") -> tuple[str, ...]:
    """The versions ``lookup`` accepts for ``framework`` (concrete versions and aliases), oldest first."""
    scope = _scope(framework, image_scope)
    return tuple(sorted({*scope["versions"], *scope.get("aliases", {})}, key=_version_key))


def _choose(param: str, value: str | None, allowed: list[str], preferred: str | None) -> str:
    if value is None:
        return preferred if preferred is not None else allowed[-1]
    if value not in allowed:
        raise UnknownImage(param, value, allowed)
    return value


def lookup(
    framework: str,
    version: str,
    *,
    processor: str | None = None,
    py_version: str | None = None,
    base_framework_version: str | None = None,
    image_scope: str = "inference",
) -> PrebuiltImage:
    """Find the prebuilt image for ``framework`` ``version``.

    Aliases resolve as in the SDK: pytorch ``"2.1"`` is version 2.1.0 with the SDK's tag for it (``2.1-gpu-py310``).

    Default ``processor``: ``"cpu"`` if the image has a CPU variant, else its only one. Default ``py_version``: the
    newest the image offers. ``base_framework_version`` is for huggingface only (e.g. ``"pytorch2.6.0"`` or
    ``"pytorch2.6"``); default: the newest PyTorch base. Raises :class:`UnknownImage` for anything not in the catalogue.
    """
    scope = _scope(framework, image_scope)
    concrete = scope.get("aliases", {}).get(version, version)
    entry: Mapping[str, Any] | None = scope["versions"].get(concrete)
    if entry is None:
        raise UnknownImage("version", version, versions(framework, image_scope=image_scope))

    tag_prefix: str | None = None
    if "bases" in entry:
        bases: Mapping[str, Any] = entry["bases"]
        aliases: Mapping[str, str] = entry.get("base_aliases", {})
        pytorch = sorted((b for b in bases if b.startswith("pytorch")), key=_version_key)
        allowed_bases = sorted({*bases, *aliases}, key=_version_key)
        base = _choose(
            "base_framework_version",
            base_framework_version,
            allowed_bases,
            pytorch[-1] if pytorch else None,
        )
        entry = bases[aliases.get(base, base)]
        # As the SDK: the tag carries the base version as requested (alias or not), e.g. "2.1-transformers4.37.0".
        tag_prefix = entry["tag_prefix"].replace("{base}", re.sub(r"^(pytorch|tensorflow)", "", base))
    elif base_framework_version is not None:
        raise UnknownImage("base_framework_version", base_framework_version, ())

    py_versions: list[str] = entry.get("py_versions", [])
    chosen_py: str | None = None
    if py_versions:  # an image without Python versions ignores py_version, as the SDK does
        chosen_py = _choose("py_version", py_version, sorted(py_versions, key=_py_key), None)
        entry = entry.get("by_py", {}).get(chosen_py, entry)
    if tag_prefix is None:  # as the SDK: the tag carries the version as requested; an alias gives its floating tag
        tag_prefix = entry.get("tag_prefix", version)

    processors: list[str] = entry.get("processors", [])
    if processors:
        chosen = _choose("processor", processor, processors, "cpu" if "cpu" in processors else None)
    else:  # one image serves every processor
        _choose("processor", processor, list(_PROCESSORS), "cpu")
        chosen = ""
    in_tag = entry.get("processor_in_tag", processors)
    container_versions: Mapping[str, str] = entry.get("container_version", {})
    parts = (
        tag_prefix,
        chosen if chosen in in_tag else "",
        chosen_py or "",
        container_versions.get(chosen, ""),
    )
    tag = "-".join(p for p in parts if p)
    return PrebuiltImage(
        framework=framework,
        version=concrete,
        repository=entry["repository"],
        tag=tag,
        accounts=_accounts(entry["registries"]),
        url_suffixes=_url_suffixes(),
        accelerator=_accelerator(chosen, entry["repository"], tag),
    )


def _accelerator(processor: str, repository: str, tag: str) -> str | None:
    """What the image needs: the chosen processor, else (one image for every processor) what its tag says - a CUDA
    build (``-cu124``) needs an NVIDIA GPU, a Neuron build an Inferentia or Trainium device."""
    if processor == "gpu":
        return "gpu"
    if processor in ("inf", "neuron", "neuronx") or "neuron" in f"{repository}:{tag}":
        return "neuron"
    if processor == "" and re.search(r"(?:^|-)cu\d{3}(?:-|$)", tag):
        return "gpu"
    return None
