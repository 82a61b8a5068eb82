"""Templates from stacks, and the normalized form that snapshots store."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cdk_sagemaker.testing.errors import SynthesisError

if TYPE_CHECKING:
    import aws_cdk as cdk

__all__ = ["construct_label", "normalized_template", "synthesis_error", "template_of"]

#: An asset hash: sha256 of the asset's content (S3 object keys, image tags). Scrubbed: it changes with bytes that
#: are not part of the template (a handler's code, a model file), and with CDK versions for CDK's own handlers.
_ASSET_HASH = re.compile(r"\b[0-9a-f]{64}\b")
ASSET_HASH_PLACEHOLDER = "<asset-hash>"

#: Resource metadata the CDK CLI adds and plain ``python app.py`` does not (``aws:cdk:path``, ``aws:asset:path``, ...).
_CDK_METADATA_PREFIXES = ("aws:cdk:", "aws:asset:")


def construct_label(scope: Any) -> str:
    """A construct's path for messages; the root app (empty path) is ``<app>``."""
    return str(scope.node.path) or "<app>"


def synthesis_error(scope: Any, error: BaseException) -> SynthesisError:
    """A :class:`SynthesisError` for ``scope`` that keeps the CDK message lines (without jsii's stack trace)."""
    text = str(error).strip() or type(error).__name__
    lines = [line.rstrip() for line in text.splitlines() if line.strip() and not line.startswith("    at ")]
    return SynthesisError(construct_label(scope), [f"did not synthesize: {lines[0]}", *lines[1:12]])


def template_of(stack_or_template: cdk.Stack | Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the template: a ``Mapping`` as given, a ``Stack`` synthesized with its stage.

    Raises :class:`SynthesisError` when the stack does not synthesize, ``TypeError`` for anything else.
    """
    if isinstance(stack_or_template, Mapping):
        return copy.deepcopy(dict(stack_or_template))
    import aws_cdk as cdk  # here, so that checking a plain template does not start the CDK's Node process

    if isinstance(stack_or_template, cdk.Stack):
        stage = cdk.Stage.of(stack_or_template)
        if stage is None:  # pragma: no cover - a Stack always lives in a Stage
            raise SynthesisError(construct_label(stack_or_template), ["is not inside an App or Stage"])
        try:
            assembly = stage.synth()
        except Exception as error:  # jsii raises RuntimeError; Python hooks raise their own
            raise synthesis_error(stack_or_template, error) from error
        template: dict[str, Any] = assembly.get_stack_artifact(stack_or_template.artifact_id).template
        return copy.deepcopy(template)
    raise TypeError(f"expected an aws_cdk.Stack or a template mapping, got {type(stack_or_template).__name__}")


def _drop(section: dict[str, Any], owner: dict[str, Any], key: str, name: str) -> None:
    section.pop(name, None)
    if not section:
        owner.pop(key, None)


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return _ASSET_HASH.sub(ASSET_HASH_PLACEHOLDER, value)
    return value


def normalized_template(stack_or_template: cdk.Stack | Mapping[str, Any]) -> dict[str, Any]:
    """The template with what changes between machines, CLI and plain synth, and CDK patch versions removed.

    - asset hashes (64 hex digits) become ``<asset-hash>``;
    - the ``CDKMetadata`` resource and its ``CDKMetadataAvailable`` condition, the ``BootstrapVersion`` parameter and
      the ``CheckBootstrapVersion`` rule are dropped;
    - resource ``Metadata`` keys the CDK CLI adds (``aws:cdk:path``, ``aws:asset:*``) are dropped;
    - keys are sorted.

    Kept on purpose: the bootstrap qualifier (``cdk-hnb659fds-assets-...``; it comes from the app's synthesizer or
    context, and changing it points the stack at other bootstrap resources), logical ids, and everything else.
    Normalizing twice gives the same result.
    """
    template = template_of(stack_or_template)
    resources = template.get("Resources", {})
    resources.pop("CDKMetadata", None)
    for resource in resources.values():
        metadata = resource.get("Metadata") if isinstance(resource, dict) else None
        if isinstance(metadata, dict):
            for key in [k for k in metadata if k.startswith(_CDK_METADATA_PREFIXES)]:
                del metadata[key]
            if not metadata:
                del resource["Metadata"]
    _drop(template.get("Conditions", {}), template, "Conditions", "CDKMetadataAvailable")
    _drop(template.get("Parameters", {}), template, "Parameters", "BootstrapVersion")
    _drop(template.get("Rules", {}), template, "Rules", "CheckBootstrapVersion")
    scrubbed: dict[str, Any] = _scrub(template)
    return scrubbed
