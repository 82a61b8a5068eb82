"""E9901 tells names that repeat after a delete (fixed, or from the stack name) from names that do not (from the
stack id, whose UUID is new for every creation of the stack, or from another resource's generated name)."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_sagemaker.rules import run


def _group(name: Any) -> dict[str, Any]:
    return {"Resources": {"Group": {"Type": "AWS::Logs::LogGroup", "DeletionPolicy": "Retain",
                                    "Properties": {"LogGroupName": name}}}}


@pytest.mark.parametrize("name", [
    "/fixed/name",
    {"Fn::Sub": "/logs/${AWS::StackName}"},
    {"Fn::Join": ["", ["/logs/", {"Ref": "AWS::Region"}]]},
], ids=["literal", "stack-name", "region"])
def test_names_that_repeat_after_a_delete_are_flagged(name: Any) -> None:
    assert [m.rule.id for m in run(_group(name))] == ["E9901"]


@pytest.mark.parametrize("name", [
    {"Fn::Join": ["", ["/logs/", {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]]},
    {"Fn::Sub": "/logs/${AWS::StackId}"},
], ids=["stack-id-join", "stack-id-sub"])
def test_names_from_the_stack_id_are_new_for_every_creation(name: Any) -> None:
    assert run(_group(name)) == []
