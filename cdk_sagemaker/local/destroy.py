"""Delete a locally deployed stack and check that everything its template does not retain is gone."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from cdk_sagemaker.local.errors import StackDeployError, StackDestroyError
from cdk_sagemaker.local.gaps import Emulations
from cdk_sagemaker.local.report import DestroyReport, Resource
from cdk_sagemaker.local.waiting import wait_until_deleted
from cdk_sagemaker.local.workarounds.base import ClientFor
from cdk_sagemaker.local.workarounds.incomplete_delete import sweep
from cdk_sagemaker.local.workarounds.managed_policies import detach_managed_policies

#: ``DeletionPolicy`` values that keep a resource when its stack is deleted (CloudFormation user guide,
#: "DeletionPolicy attribute"; ``Snapshot`` deletes after a snapshot).
RETAINING_POLICIES = frozenset({"Retain", "RetainExceptOnCreate"})


def retained_ids(template: Mapping[str, Any]) -> set[str]:
    """Logical ids of the resources ``template`` keeps when its stack is deleted."""
    return {lid for lid, body in template.get("Resources", {}).items()
            if isinstance(body, Mapping) and body.get("DeletionPolicy") in RETAINING_POLICIES}


def _deployed_template(cfn: Any, stack_name: str) -> dict[str, Any]:
    try:
        body = cfn.get_template(StackName=stack_name)["TemplateBody"]
        return json.loads(body) if isinstance(body, str) else dict(body)
    except (ClientError, ValueError):
        return {}


def destroy_stack(stack_name: str, *, client_for: ClientFor, emulations: Emulations, resources: list[Resource],
                  say: Callable[[str], None]) -> DestroyReport:
    """Undo what the engine made for the stack, delete the stack through moto's CloudFormation, then delete through
    the service APIs what it left. ``resources``: the stack's resources, read before the delete (moto forgets the
    stack, also when its delete fails).

    Returns the :class:`DestroyReport`; raises :class:`StackDestroyError` (carrying it) naming each resource that
    is still there, with the reason."""
    cfn = client_for("cloudformation")
    kept = retained_ids(_deployed_template(cfn, stack_name))
    report = DestroyReport(name=stack_name, region=cfn.meta.region_name,
                           retained=[r for r in resources if r.logical_id in kept], cleaned=[], left=[])
    emulations.undo(stack_name)
    detach_managed_policies(cfn, client_for("iam"), stack_name)
    try:
        cfn.delete_stack(StackName=stack_name)
        wait_until_deleted(cfn, stack_name)
    except ClientError as error:
        report.cloudformation_error = error.response["Error"].get("Message", str(error))
        say(f"{stack_name}: moto's CloudFormation delete failed ({report.cloudformation_error}); "
            "deleting the rest through service APIs")
    except StackDeployError as error:
        report.cloudformation_error = str(error)
    cleaned, left = sweep(client_for, [r for r in resources if r.logical_id not in kept],
                          cloudformation_failed=report.cloudformation_error is not None)
    report.cleaned, report.left = cleaned, left
    for resource in cleaned:
        say(f"{stack_name}: deleted {resource.logical_id} ({resource.type}), which moto's CloudFormation left behind")
    for resource in report.retained or []:
        say(f"{stack_name}: kept {resource.logical_id} ({resource.type}) {resource.physical_id} (DeletionPolicy)")
    if left:
        detail = "; ".join(f"{r.logical_id} ({r.type}) {r.physical_id}: {r.reason}" for r in left)
        raise StackDestroyError(f"stack {stack_name}: destroy left {len(left)} resource(s): {detail}",
                                destroy_report=report)
    say(f"{stack_name}: deleted")
    return report
