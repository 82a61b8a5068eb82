"""Workaround: resource types moto's CloudFormation does not have but its service APIs do (CodeBuild projects,
SageMaker model package groups), left out of the template and made through those APIs.

moto 5.2.5 behaviour: its CloudFormation has no ``AWS::CodeBuild::Project`` and no
``AWS::SageMaker::ModelPackageGroup`` (it skips the types), so any ``Fn::GetAtt`` of one (an EventBridge target, a
policy on ``codebuild:StartBuild``, an output of the group's ARN) fails the whole template ("instance of Fn::GetAtt
references undefined resource", or an AttributeError). The engine removes these resources (and ``DependsOn`` entries
naming them) from the template sent to moto, writes their name and ARN where the template referred to them (the name
the template gives, else ``<stack name>-<logical id>``), and makes them afterwards through the service API
(:data:`EMULATORS`, listed as emulated). moto has no ``PutModelPackageGroupPolicy`` and no
``DeleteModelPackageGroup``: a group's resource policy is not applied (the emulation says so) and the group stays
after a destroy, like a retained registry. Checked by ``tests/deploy/test_moto_workarounds.py::
test_moto_has_no_codebuild_projects_or_model_package_groups``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import ClientFor, Emulator, Made, Note, call

PROJECT = "AWS::CodeBuild::Project"
GROUP = "AWS::SageMaker::ModelPackageGroup"
#: type -> (name property, ARN service, ARN resource type)
_FORMS: dict[str, tuple[str, str, str]] = {
    PROJECT: ("Name", "codebuild", "project"),
    GROUP: ("ModelPackageGroupName", "sagemaker", "model-package-group"),
}


def _name_in_template(logical_id: str, body: Mapping[str, Any]) -> Any:
    name = body.get("Properties", {}).get(_FORMS[str(body.get("Type"))][0])
    return name if name is not None else {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, f"-{logical_id}"]]}


def _arn_in_template(resource_type: str, name: Any) -> Any:
    _, service, kind = _FORMS[resource_type]
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":{service}:", {"Ref": "AWS::Region"}, ":",
                              {"Ref": "AWS::AccountId"}, f":{kind}/", name]]}


def _replace(value: Any, names: Mapping[str, tuple[str, Any]]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref" and isinstance(arg, str) and arg in names:
                return names[arg][1]
            if fn == "Fn::GetAtt":
                parts = arg.split(".", 1) if isinstance(arg, str) else list(arg)
                if parts and parts[0] in names:
                    return _arn_in_template(*names[parts[0]])
        return {key: _replace(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    return value


def without_api_made(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` without its resources of the types in :data:`EMULATORS`; references to them become the name and
    ARN the engine gives them. No notes: the engine makes them afterwards and lists them as emulated."""
    resources = template.get("Resources", {})
    names = {lid: (str(body["Type"]), _name_in_template(lid, body)) for lid, body in resources.items()
             if body.get("Type") in _FORMS}
    if not names:
        return dict(template), []
    kept: dict[str, Any] = {}
    for lid, body in resources.items():
        if lid in names:
            continue
        body = _replace(body, names)
        depends = body.get("DependsOn")
        if depends is not None:
            listed = [depends] if isinstance(depends, str) else list(depends)
            body = {**body, "DependsOn": [n for n in listed if n not in names]}
            if not body["DependsOn"]:
                del body["DependsOn"]
        kept[lid] = body
    rest = {key: _replace(value, names) for key, value in template.items() if key not in ("Resources",)}
    return {**rest, "Resources": kept}, []


def _lower_keys(value: Any) -> Any:
    """CloudFormation's PascalCase properties as the CodeBuild API's camelCase members."""
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            name = "buildspec" if key == "BuildSpec" else key[:1].lower() + key[1:]
            out[name] = _lower_keys(item)
        return out
    if isinstance(value, list):
        return [_lower_keys(item) for item in value]
    return value


def _project(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("codebuild")
    name = str(properties.get("Name") or f"{stack_name}-{logical_id}")
    request: dict[str, Any] = {
        "name": name,
        "source": _lower_keys(properties["Source"]),
        "artifacts": _lower_keys(properties.get("Artifacts", {"Type": "NO_ARTIFACTS"})),
        "environment": _lower_keys(properties["Environment"]),
        "serviceRole": str(properties["ServiceRole"]),
    }
    for key in ("Description", "EncryptionKey", "TimeoutInMinutes", "LogsConfig"):
        if key in properties:
            request[key[:1].lower() + key[1:]] = _lower_keys(properties[key])
    arn = str(call(client, "create_project", request)["project"]["arn"])

    def undo() -> None:
        client.delete_project(name=name)

    return Made(physical_id=name, attributes={"Arn": arn}, api="codebuild:CreateProject", undo=undo)


def _model_package_group(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("sagemaker")
    name = str(properties.get("ModelPackageGroupName") or f"{stack_name}-{logical_id}")
    request = {"ModelPackageGroupName": name}
    if "ModelPackageGroupDescription" in properties:
        request["ModelPackageGroupDescription"] = str(properties["ModelPackageGroupDescription"])
    arn = str(client.create_model_package_group(**request)["ModelPackageGroupArn"])
    api = "sagemaker:CreateModelPackageGroup"
    if "ModelPackageGroupPolicy" in properties:
        api += " (resource policy not applied: moto has no PutModelPackageGroupPolicy)"
    return Made(physical_id=arn, attributes={"ModelPackageGroupArn": arn}, api=api,
                undo=lambda: None)  # moto has no DeleteModelPackageGroup


EMULATORS: dict[str, Emulator] = {PROJECT: _project, GROUP: _model_package_group}
"""How the engine makes each resource type this module leaves out of moto's template."""
