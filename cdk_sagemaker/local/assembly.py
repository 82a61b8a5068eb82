"""Read a CDK cloud assembly (``cdk.out``): stacks, their templates, file and Docker image assets."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cdk_sagemaker.local.errors import LocalDeployError, StackNotFoundError

STACK_TYPE = "aws:cloudformation:stack"
ASSET_MANIFEST_TYPE = "cdk:asset-manifest"
NESTED_ASSEMBLY_TYPE = "cdk:cloud-assembly"


@dataclass(frozen=True, kw_only=True, slots=True)
class FileAsset:
    """A file asset: a file or directory in the assembly, uploaded to ``bucket``/``key`` (with placeholders)."""

    asset_id: str
    display_name: str
    path: Path
    packaging: str
    bucket: str
    key: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ImageAsset:
    """A Docker image asset; it cannot be built offline."""

    asset_id: str
    display_name: str
    repository: str
    tag: str


@dataclass(frozen=True, kw_only=True, slots=True)
class StackArtifact:
    """One ``aws:cloudformation:stack`` artifact."""

    artifact_id: str
    stack_name: str
    display_name: str
    template: dict[str, Any]
    template_file: Path
    region: str | None
    account: str | None
    dependencies: tuple[str, ...]
    files: tuple[FileAsset, ...] = field(default=())
    images: tuple[ImageAsset, ...] = field(default=())
    parameters: dict[str, str] = field(default_factory=dict)
    bootstrap_parameter: str | None = None


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise LocalDeployError(f"{path} not found (is it a cloud assembly, e.g. cdk.out?)") from None
    except json.JSONDecodeError as error:
        raise LocalDeployError(f"{path} is not valid JSON: {error}") from None


def _environment(value: str | None) -> tuple[str | None, str | None]:
    # "aws://123456789012/us-east-1", "aws://unknown-account/unknown-region"
    if not value or not value.startswith("aws://"):
        return None, None
    account, _, region = value[len("aws://") :].partition("/")
    return (None if account.startswith("unknown-") else account), (None if region.startswith("unknown-") else region)


def _asset_manifest(path: Path) -> tuple[list[FileAsset], list[ImageAsset]]:
    data = _load_json(path)
    files: list[FileAsset] = []
    images: list[ImageAsset] = []
    for asset_id, asset in data.get("files", {}).items():
        source = asset.get("source", {})
        if "path" not in source:
            continue  # executable-produced assets: nothing on disk to upload
        for destination in asset.get("destinations", {}).values():
            files.append(
                FileAsset(
                    asset_id=asset_id,
                    display_name=asset.get("displayName", asset_id),
                    path=path.parent / source["path"],
                    packaging=source.get("packaging", "file"),
                    bucket=destination["bucketName"],
                    key=destination["objectKey"],
                )
            )
    for asset_id, asset in data.get("dockerImages", {}).items():
        for destination in asset.get("destinations", {}).values():
            images.append(
                ImageAsset(
                    asset_id=asset_id,
                    display_name=asset.get("displayName", asset_id),
                    repository=destination.get("repositoryName", ""),
                    tag=destination.get("imageTag", asset_id),
                )
            )
    return files, images


def read_assembly(directory: str | Path) -> list[StackArtifact]:
    """All stacks of the assembly in ``directory`` (nested assemblies of CDK Stages included), in manifest order."""
    root = Path(directory)
    manifest = _load_json(root / "manifest.json")
    artifacts: dict[str, Any] = manifest.get("artifacts", {})
    stacks: list[StackArtifact] = []
    for artifact_id, artifact in artifacts.items():
        kind = artifact.get("type")
        properties = artifact.get("properties", {})
        if kind == NESTED_ASSEMBLY_TYPE:
            stacks.extend(read_assembly(root / properties["directoryName"]))
            continue
        if kind != STACK_TYPE:
            continue
        files: list[FileAsset] = []
        images: list[ImageAsset] = []
        dependencies: list[str] = []
        for dependency in artifact.get("dependencies", []):
            other = artifacts.get(dependency, {})
            if other.get("type") == ASSET_MANIFEST_TYPE:
                more_files, more_images = _asset_manifest(root / other["properties"]["file"])
                files.extend(more_files)
                images.extend(more_images)
            else:
                dependencies.append(dependency)
        account, region = _environment(artifact.get("environment"))
        template_file = root / properties["templateFile"]
        stacks.append(
            StackArtifact(
                artifact_id=artifact_id,
                stack_name=properties.get("stackName", artifact_id),
                display_name=artifact.get("displayName", artifact_id),
                template=_load_json(template_file),
                template_file=template_file,
                region=region,
                account=account,
                dependencies=tuple(dependencies),
                files=tuple(files),
                images=tuple(images),
                parameters=dict(properties.get("parameters", {})),
                bootstrap_parameter=properties.get("bootstrapStackVersionSsmParameter"),
            )
        )
    return stacks


def select_stacks(stacks: list[StackArtifact], patterns: list[str] | tuple[str, ...] | None) -> list[StackArtifact]:
    """The stacks matching ``patterns`` (artifact id, stack name or display path; ``*`` globs) plus every stack
    they depend on, in dependency order. No patterns: every stack.
    """
    by_id = {stack.artifact_id: stack for stack in stacks}
    if patterns:
        chosen: list[str] = []
        for pattern in patterns:
            matches = [
                stack.artifact_id
                for stack in stacks
                if any(fnmatch.fnmatchcase(name, pattern) for name in _names(stack))
            ]
            if not matches:
                known = ", ".join(sorted(stack.display_name for stack in stacks)) or "none"
                raise StackNotFoundError(f"no stack named {pattern!r} in the assembly; known stacks: {known}")
            chosen.extend(matches)
    else:
        chosen = list(by_id)
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(artifact_id: str) -> None:
        if artifact_id in ordered:
            return
        if artifact_id in visiting:
            raise LocalDeployError(f"stack dependency cycle through {artifact_id!r}")
        visiting.add(artifact_id)
        for dependency in by_id[artifact_id].dependencies:
            if dependency in by_id:
                visit(dependency)
        visiting.discard(artifact_id)
        ordered.append(artifact_id)

    for artifact_id in chosen:
        visit(artifact_id)
    return [by_id[artifact_id] for artifact_id in ordered]


def _names(stack: StackArtifact) -> tuple[str, ...]:
    return stack.artifact_id, stack.stack_name, stack.display_name
