"""Readiness rules 99xx: lifecycle of resources (what survives a stack delete and what that breaks)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from cdk_sagemaker.rules._rule import TemplateRule
from cdk_sagemaker.rules._template import Template, props, refs_in, resolve_str, resources

_TAGS = ["sagemaker", "cdk-sagemaker", "lifecycle"]

# Resource type -> the property that fixes its physical name (names that must be unique in an account and Region).
PHYSICAL_NAMES = {
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::SNS::Topic": "TopicName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::KMS::Alias": "AliasName",
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::DynamoDB::Table": "TableName",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::StepFunctions::StateMachine": "StateMachineName",
    "AWS::SageMaker::Model": "ModelName",
    "AWS::SageMaker::EndpointConfig": "EndpointConfigName",
    "AWS::SageMaker::Endpoint": "EndpointName",
    "AWS::SageMaker::InferenceComponent": "InferenceComponentName",
}
_RETAIN = ("Retain", "RetainExceptOnUpdate")


class RetainedResourceWithFixedName(TemplateRule, CloudFormationLintRule):
    """A resource with ``DeletionPolicy: Retain`` (or ``RetainExceptOnUpdate``) outlives its stack; when it also has a
    fixed physical name (``LogGroupName``, ``BucketName``, ``TopicName``, ...: a literal, or one built only from
    pseudo parameters and parameters), deploying the stack again after a delete fails with "already exists" until
    someone deletes the orphan by hand. Let CloudFormation generate the name, or do not retain the resource. Source:
    "DeletionPolicy attribute",
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html, and "Name
    type" (custom names must be unique; CloudFormation cannot replace a resource with a custom name),
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html."""

    id = "E9901"
    shortdesc = "Retained resource with a fixed physical name"
    description = "A retained resource with a fixed name makes the stack fail to re-create after a delete"
    source_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, res in resources(t, *PHYSICAL_NAMES):
            if res.get("DeletionPolicy") not in _RETAIN:
                continue
            prop = PHYSICAL_NAMES[str(res.get("Type"))]
            text = _fixed_name(t, props(res).get(prop))
            if text is None:
                continue
            yield RuleMatch(
                ["Resources", name, "Properties", prop],
                f"{res.get('Type')} {name}: {prop} {text!r} is fixed and DeletionPolicy is "
                f"{res.get('DeletionPolicy')}, so re-creating the stack after a delete fails with 'already exists'; "
                f"remove {prop} (let CloudFormation name it) or set DeletionPolicy Delete")


def _mentions_stack_id(value: Any) -> bool:
    """True when ``value`` uses ``AWS::StackId`` (``Ref`` or ``${AWS::StackId}`` in ``Fn::Sub``): its UUID is new
    for every creation of the stack, so a name built from it does not repeat after a delete."""
    if isinstance(value, Mapping):
        if value.get("Ref") == "AWS::StackId":
            return True
        sub = value.get("Fn::Sub")
        text = sub[0] if isinstance(sub, list) and sub else sub
        if isinstance(text, str) and "${AWS::StackId}" in text:
            return True
        return any(_mentions_stack_id(v) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_stack_id(v) for v in value)
    return False


#: Resource types whose every property requires replacement on update (CloudFormation resource reference, "Update
#: requires: Replacement" on each property), with the property that fixes their name.
_REPLACED_ON_EVERY_CHANGE = {
    "AWS::SageMaker::Model": "ModelName",
    "AWS::SageMaker::EndpointConfig": "EndpointConfigName",
}


class CustomNameOnAlwaysReplacedResource(TemplateRule, CloudFormationLintRule):
    """Every property of ``AWS::SageMaker::Model`` and ``AWS::SageMaker::EndpointConfig`` requires replacement on
    update, and CloudFormation cannot replace a resource that has a custom name ("If you specify a name, you cannot
    perform updates that require replacement of this resource"). With a fixed ``ModelName`` or
    ``EndpointConfigName``, the next change to the image, the model data, the role or a variant fails the stack
    update. Source: "Name type", https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html,
    and the AWS::SageMaker::Model reference,
    https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-model.html."""

    id = "W9902"
    shortdesc = "Custom name on a SageMaker resource that every change replaces"
    description = "A fixed ModelName or EndpointConfigName makes every later change to the resource fail"
    source_url = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html"
    tags = _TAGS

    def findings(self, t: Template) -> Iterator[RuleMatch]:
        for name, res in resources(t, *_REPLACED_ON_EVERY_CHANGE):
            prop = _REPLACED_ON_EVERY_CHANGE[str(res.get("Type"))]
            text = _fixed_name(t, props(res).get(prop))
            if text is None:
                continue
            yield RuleMatch(
                ["Resources", name, "Properties", prop],
                f"{res.get('Type')} {name}: {prop} {text!r} is a custom name, and every change to this resource "
                "replaces it, which CloudFormation cannot do for a custom-named resource: the next update fails. "
                f"Remove {prop} (read the generated name with Fn::GetAtt) or derive it from a value that changes "
                "with the resource")


def _fixed_name(t: Template, value: Any) -> str | None:
    """The name as text when ``value`` fixes a physical name that repeats (a literal, or built only from parameters
    and pseudo parameters other than the stack id); None when there is no name or it cannot repeat."""
    if value is None:
        return None
    resource_refs = {r for r in refs_in(value) if r in (t.get("Resources") or {})}
    text = resolve_str(t, value, placeholder="${...}")
    if resource_refs or _mentions_stack_id(value) or text is None:
        # Derived from another resource's generated name, or from the stack id (whose UUID is new for every creation
        # of the stack): not fixed.
        return None
    return text
