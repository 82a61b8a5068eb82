"""Every cdk-nag acknowledgement in the example app, listed from the synthesized construct tree and compared to a
reviewed list: adding one (or moving one to another resource) makes this test fail until the list is updated."""

from __future__ import annotations

import aws_cdk as cdk

from cdk_sagemaker.app import build_app
from cdk_sagemaker.testing import acknowledgements

_MODEL_POLICY_ACKS = {
    "AwsSolutions::AwsSolutions-IAM5[Resource::*]",
    "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:"
    "log-group:/aws/sagemaker/*]",
}

#: (construct path, finding id) of every acknowledgement. Reasons are in the code next to each one and in
#: docs/security.md.
EXPECTED: set[tuple[str, str]] = {
    *(("CdkSagemakerRealtimeBasic/Model/Policy", rule) for rule in _MODEL_POLICY_ACKS),
    *(("CdkSagemakerRealtimePrivate/Model/Policy", rule) for rule in _MODEL_POLICY_ACKS),
    ("CdkSagemakerRealtimePrivate/Model/Policy",
     "AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:"
     "network-interface/*]"),
    # Recorded by aws-cdk-lib itself (not cdk-nag) for the env-agnostic VPC's Fn::GetAZs lookups.
    ("CdkSagemakerRealtimePrivate", "CloudFormation-Validate::W3010"),
}


def test_acknowledgements_are_the_reviewed_list() -> None:
    found = acknowledgements(build_app(cdk.App()))
    assert {(a.path, a.rule) for a in found} == EXPECTED


def test_every_acknowledgement_is_exact_and_has_a_reason() -> None:
    for ack in acknowledgements(build_app(cdk.App())):
        pack, _, rule = ack.rule.partition("::")
        assert pack and rule, ack
        assert rule.startswith(f"{pack}-") or pack == "CloudFormation-Validate", ack  # never a whole pack
        assert len(ack.reason) >= 40, ack  # a written reason, not a placeholder
