"""Workaround: CodeBuild projects, which moto's CloudFormation does not have, left out of the template and made
through the CodeBuild API.

moto 5.2.5 behaviour: its CloudFormation has no ``AWS::CodeBuild::Project`` (it skips the type), so any
``Fn::GetAtt`` of a project (an EventBridge target, a policy on ``codebuild:StartBuild``) fails the whole template
("instance of Fn::GetAtt references undefined resource"). The engine removes the projects (and ``DependsOn`` entries
naming them) from the template sent to moto, writes their name and ARN where the template referred to them (the
name the engine gives them: ``<stack name>-<logical id>`` unless the template names the project), and makes them
afterwards with ``codebuild:CreateProject`` (:data:`EMULATORS`, listed as emulated). Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_has_no_codebuild_projects``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.base import ClientFor, Emulator, Made, Note, call

PROJECT = "AWS::CodeBuild::Project"


def _name_in_template(logical_id: str, body: Mapping[str, Any]) -> Any:
    name = body.get("Properties", {}).get("Name")
    return name if name is not None else {"Fn::Join": ["", [{"Ref": "AWS::StackName"}, f"-{logical_id}"]]}


def _arn_in_template(name: Any) -> Any:
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":codebuild:", {"Ref": "AWS::Region"}, ":",
                              {"Ref": "AWS::AccountId"}, ":project/", name]]}


def _replace(value: Any, names: Mapping[str, Any]) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (fn, arg), = value.items()
            if fn == "Ref" and arg in names:
                return names[arg]
            if fn == "Fn::GetAtt":
                parts = arg.split(".", 1) if isinstance(arg, str) else list(arg)
                if parts and parts[0] in names:
                    return _arn_in_template(names[parts[0]])
        return {key: _replace(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, names) for item in value]
    return value


def without_codebuild_projects(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` without its CodeBuild projects; references to them become the name and ARN the engine gives
    them. No notes: the engine makes them afterwards and lists them as emulated."""
    resources = template.get("Resources", {})
    names = {lid: _name_in_template(lid, body) for lid, body in resources.items() if body.get("Type") == PROJECT}
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


EMULATORS: dict[str, Emulator] = {PROJECT: _project}
"""How the engine makes each resource type this module leaves out of moto's template."""
