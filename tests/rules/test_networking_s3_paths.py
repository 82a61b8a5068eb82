"""E9101 knows both ways S3 is reached privately: the gateway endpoint (public S3 ranges: the prefix list is needed)
and an S3 interface endpoint (PrivateLink: private addresses in the VPC, so egress to the VPC range suffices)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from cdk_sagemaker.rules import run

PRIVATE = Path(__file__).parent / "prefix" / "CdkSagemakerRealtimePrivate.template.json"


def _ids(template: dict[str, Any]) -> set[str]:
    return {m.rule.id for m in run(template)}


def test_vpc_range_only_egress_is_flagged_with_the_gateway_endpoint() -> None:
    assert "E9101" in _ids(json.loads(PRIVATE.read_text()))


def test_vpc_range_only_egress_is_fine_with_an_s3_interface_endpoint() -> None:
    template = copy.deepcopy(json.loads(PRIVATE.read_text()))
    template["Resources"]["S3Interface"] = {"Type": "AWS::EC2::VPCEndpoint", "Properties": {
        "VpcEndpointType": "Interface", "VpcId": "vpc-1",
        "ServiceName": {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".s3"]]}}}
    assert "E9101" not in _ids(template)
