"""normalized_template: asset hashes, CDK metadata and bootstrap version scrubbed; what matters kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aws_cdk as cdk
import constructs
import jsii
import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as assets

from cdk_sagemaker import ValidationError
from cdk_sagemaker.testing import SynthesisError, normalized_template


def _asset_stack(directory: Path, content: str, **app_options: object) -> cdk.Stack:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "data.txt").write_text(content)
    synthesizer = app_options.pop("synthesizer", None)
    stack = cdk.Stack(cdk.App(**app_options), "Assets", synthesizer=synthesizer)  # type: ignore[arg-type]
    asset = assets.Asset(stack, "Data", path=str(directory / "data.txt"))
    cdk.CfnOutput(stack, "Key", value=asset.s3_object_key)
    cdk.CfnOutput(stack, "Bucket", value=asset.s3_bucket_name)
    return stack


def _raw(stack: cdk.Stack) -> dict[str, Any]:
    stage = cdk.Stage.of(stack)
    assert stage is not None
    template: dict[str, Any] = stage.synth().get_stack_artifact(stack.artifact_id).template
    return template


def test_asset_hash_metadata_and_bootstrap_version_are_scrubbed(tmp_path: Path) -> None:
    stack = _asset_stack(tmp_path, "one", analytics_reporting=True)
    raw = _raw(stack)
    assert "CDKMetadata" in raw["Resources"] and "BootstrapVersion" in raw["Parameters"]
    assert "CheckBootstrapVersion" in raw["Rules"] and "CDKMetadataAvailable" in raw["Conditions"]
    template = normalized_template(stack)
    assert template["Outputs"]["Key"]["Value"] == "<asset-hash>.txt"
    assert "CDKMetadata" not in template.get("Resources", {})
    assert not {"Parameters", "Rules", "Conditions"} & set(template)
    assert list(template) == sorted(template)


def test_same_template_whatever_the_asset_content_and_cli_metadata(tmp_path: Path) -> None:
    plain = _asset_stack(tmp_path / "a", "one")
    cli = _asset_stack(tmp_path / "b", "two", context={"aws:cdk:enable-path-metadata": True})
    for stack in (plain, cli):
        s3.Bucket(stack, "Store")
    bucket_id = cli.get_logical_id(cli.node.find_child("Store").node.default_child)  # type: ignore[arg-type]
    assert "aws:cdk:path" in _raw(cli)["Resources"][bucket_id]["Metadata"]
    assert _raw(plain) != _raw(cli)
    assert normalized_template(cli) == normalized_template(plain)
    assert "Metadata" not in normalized_template(cli)["Resources"][bucket_id]


def test_bootstrap_qualifier_is_kept(tmp_path: Path) -> None:
    default = normalized_template(_asset_stack(tmp_path / "a", "x"))
    custom = normalized_template(
        _asset_stack(tmp_path / "b", "x", synthesizer=cdk.DefaultStackSynthesizer(qualifier="custom123"))
    )
    assert default["Outputs"]["Bucket"]["Value"] == {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"}
    assert custom["Outputs"]["Bucket"]["Value"] == {"Fn::Sub": "cdk-custom123-assets-${AWS::AccountId}-${AWS::Region}"}


def test_normalizing_twice_changes_nothing(tmp_path: Path) -> None:
    template = normalized_template(_asset_stack(tmp_path, "x"))
    assert normalized_template(template) == template


def test_a_stack_that_does_not_synthesize_is_a_synthesis_error() -> None:
    stack = cdk.Stack(cdk.App(), "Broken")
    bucket = s3.Bucket(stack, "Bucket")
    bucket.node.add_validation(_Fails())
    with pytest.raises(SynthesisError, match=r"(?s)Broken: .*did not synthesize.*bucket name is wrong") as caught:
        normalized_template(stack)
    assert isinstance(caught.value, ValidationError) and isinstance(caught.value, ValueError)


def test_not_a_stack_nor_a_template_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"expected an aws_cdk\.Stack or a template mapping, got int"):
        normalized_template(3)  # type: ignore[arg-type]


@jsii.implements(constructs.IValidation)
class _Fails:
    def validate(self) -> list[str]:
        return ["bucket name is wrong"]
