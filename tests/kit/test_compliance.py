"""assert_compliant on any CDK app: findings with construct paths, acknowledgements, stacks, synthesized apps."""

from __future__ import annotations

import aws_cdk as cdk
import constructs
import jsii
import pytest
from aws_cdk import aws_s3 as s3
from conftest import MODERN, compliant_bucket, plain_stack

from cdk_sagemaker import ValidationError
from cdk_sagemaker.testing import ComplianceError, SynthesisError, assert_compliant, normalized_template

AWS = ["AwsSolutions"]


def _rules(error: pytest.ExceptionInfo[ComplianceError]) -> list[tuple[str, str]]:
    return [(f.rule, f.path) for f in error.value.findings]


def test_compliant_plain_bucket_passes() -> None:
    stack = plain_stack()
    compliant_bucket(stack)
    assert_compliant(stack, packs=AWS)


def test_non_compliant_bucket_lists_findings_with_paths() -> None:
    app = cdk.App(context=MODERN)
    s3.Bucket(cdk.Stack(app, "Plain"), "Bucket")
    with pytest.raises(ComplianceError) as caught:
        assert_compliant(app, packs=AWS)
    assert _rules(caught) == [
        ("AwsSolutions-S1", "Plain/Bucket/Resource"),
        ("AwsSolutions-S10", "Plain/Bucket/Resource"),
    ]
    message = str(caught.value)
    assert "2 cdk-nag finding(s)" in message
    assert "AwsSolutions-S10 at Plain/Bucket/Resource: The S3 Bucket or bucket policy does not require" in message
    assert "Acknowledgment(id='AwsSolutions::AwsSolutions-S1'" in message


def test_findings_are_the_same_with_aws_cdk_libs_builtin_validator_registered() -> None:
    """Users' apps run aws-cdk-lib's CloudFormation validator by default (the suite turns it off, tests/conftest.py):
    its report sits beside the packs' and changes nothing (a compliant stack passes, the same findings fail)."""
    app = cdk.App(context=MODERN)
    cdk.Validations.of(app).add_plugins(cdk.CloudFormationValidatePlugin())
    good = cdk.Stack(app, "Good")
    compliant_bucket(good)
    s3.Bucket(cdk.Stack(app, "Plain"), "Bucket")
    assert_compliant(good, packs=AWS)
    with pytest.raises(ComplianceError) as caught:
        assert_compliant(app, packs=AWS)
    assert _rules(caught) == [
        ("AwsSolutions-S1", "Plain/Bucket/Resource"),
        ("AwsSolutions-S10", "Plain/Bucket/Resource"),
    ]


def test_acknowledged_finding_does_not_count() -> None:
    stack = plain_stack()
    bucket = s3.Bucket(stack, "Bucket", enforce_ssl=True)
    cdk.Validations.of(bucket).acknowledge(
        cdk.Acknowledgment(id="AwsSolutions::AwsSolutions-S1", reason="access logs are this bucket's own job")
    )
    assert_compliant(stack, packs=AWS)


def test_every_named_pack_runs_and_descriptions_drop_control_ids() -> None:
    stack = plain_stack()
    compliant_bucket(stack)
    with pytest.raises(ComplianceError) as caught:
        assert_compliant(stack, packs=["AwsSolutions", "NIST.800.53.R5"])
    assert {f.pack for f in caught.value.findings} == {"NIST.800.53.R5"}
    assert ("NIST.800.53.R5-S3BucketReplicationEnabled", "Plain/Data/Resource") in _rules(caught)
    assert "Control IDs" not in str(caught.value)
    assert "Control IDs" in caught.value.findings[0].description


def test_a_stack_is_checked_alone_in_its_app() -> None:
    app = cdk.App(context=MODERN)
    good = cdk.Stack(app, "Good")
    compliant_bucket(good)
    s3.Bucket(cdk.Stack(app, "Bad"), "Bucket")
    assert_compliant(good, packs=AWS)
    with pytest.raises(ComplianceError) as caught:
        assert_compliant(app.node.find_child("Bad"), packs=AWS)  # type: ignore[arg-type]
    assert {path for _, path in _rules(caught)} == {"Bad/Bucket/Resource"}


def test_an_app_synthesized_before_is_still_checked_and_still_synthesizes_after() -> None:
    app = cdk.App(context=MODERN)
    stack = cdk.Stack(app, "Plain")
    s3.Bucket(stack, "Bucket")
    app.synth()
    for _ in range(2):  # the second check finds the same findings once, not twice
        with pytest.raises(ComplianceError) as caught:
            assert_compliant(stack, packs=AWS)
        assert len(caught.value.findings) == 2
    assert "Resources" in normalized_template(stack)  # the packs are switched off again


def test_unknown_pack_is_a_validation_error() -> None:
    stack = plain_stack()
    with pytest.raises(ValidationError, match=r"assert_compliant: packs must name cdk-nag packs from AwsSolutions, "
                       r"NIST\.800\.53\.R5, .*got \['AwsSolution'\]"):
        assert_compliant(stack, packs=["AwsSolution"])
    with pytest.raises(ValidationError, match=r"packs must name at least one of the cdk-nag packs .*got \[\]"):
        assert_compliant(stack, packs=[])


def test_a_stack_that_does_not_synthesize_is_a_synthesis_error() -> None:
    stack = cdk.Stack(cdk.App(), "Broken")
    s3.Bucket(stack, "Bucket").node.add_validation(_Fails())
    with pytest.raises(SynthesisError, match=r"(?s)Broken: .*did not synthesize.*bucket name is wrong"):
        assert_compliant(stack, packs=AWS)


def test_pack_names_are_the_packs_own_names() -> None:
    import cdk_nag

    from cdk_sagemaker.testing import PACKS

    classes = [cdk_nag.AwsSolutionsChecks, cdk_nag.NIST80053R5Checks, cdk_nag.HIPAASecurityChecks,
               cdk_nag.NIST80053R4Checks, cdk_nag.PCIDSS321Checks, cdk_nag.ServerlessChecks]
    assert [cls().name for cls in classes] == list(PACKS)


@jsii.implements(constructs.IValidation)
class _Fails:
    def validate(self) -> list[str]:
        return ["bucket name is wrong"]
