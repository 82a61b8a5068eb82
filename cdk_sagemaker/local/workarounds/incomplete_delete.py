"""Workaround: finish a stack delete that moto's CloudFormation left undone, and say exactly what is left.

moto 5.2.5 behaviour: it deletes a stack's resources in passes and gives up with the last error when a pass deletes
nothing. It has no CloudFormation delete for ``AWS::EC2::VPCEndpoint`` (so a gateway endpoint's routes keep the
subnets' route tables, and the route tables keep the VPC: ``DependencyViolation``), and it forgets the stack either
way. Real CloudFormation deletes dependants first. So the engine records the stack's resources before the delete,
then checks each one (that the template does not retain) through its service API
(:data:`cdk_sagemaker.local.teardown.HANDLERS`) and deletes what is still there, dependants first, in passes like
CloudFormation's own; what still exists after that is reported with the API's error. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_leaves_a_vpc_endpoint_behind_on_delete``.
"""

from __future__ import annotations

import contextlib

from botocore.exceptions import BotoCoreError, ClientError

from cdk_sagemaker.local.report import Leftover, Resource
from cdk_sagemaker.local.teardown import DEPENDENT_TYPES, HANDLERS
from cdk_sagemaker.local.workarounds.base import ClientFor


def sweep(clients: ClientFor, resources: list[Resource], *, cloudformation_failed: bool) -> tuple[
        list[Resource], list[Leftover]]:
    """Delete what of ``resources`` still exists, dependants first (in the order of :data:`HANDLERS`: a gateway
    endpoint before the route tables it writes routes to, those before their VPC), in passes until a pass deletes
    nothing. Returns (deleted, left)."""
    order = {type_: index for index, type_ in enumerate(HANDLERS)}  # HANDLERS lists dependants first
    checkable = sorted((r for r in resources if r.type in HANDLERS), key=lambda r: order[r.type])
    left: list[Leftover] = []
    if cloudformation_failed:  # moto gave up part-way and forgot the stack: what it did not reach cannot be known
        left += [Leftover(logical_id=r.logical_id, type=r.type, physical_id=r.physical_id,
                          reason="moto's CloudFormation delete failed and the engine cannot check this type")
                 for r in resources if r.type not in HANDLERS and r.type not in DEPENDENT_TYPES]
    pending: dict[str, str] = {}
    for resource in checkable:
        try:
            if HANDLERS[resource.type](clients, resource.physical_id, False):
                pending[resource.logical_id] = ""
        except (ClientError, BotoCoreError) as error:
            pending[resource.logical_id] = f"could not be checked: {error}"
    deleted: list[Resource] = []
    progress = True
    while pending and progress:
        progress = False
        for resource in checkable:
            if resource.logical_id not in pending:
                continue
            try:
                HANDLERS[resource.type](clients, resource.physical_id, True)
                with contextlib.suppress(ClientError, BotoCoreError):
                    if HANDLERS[resource.type](clients, resource.physical_id, False):
                        pending[resource.logical_id] = "still exists after its delete call"
                        continue
            except (ClientError, BotoCoreError) as error:
                pending[resource.logical_id] = str(error)
                continue
            del pending[resource.logical_id]
            deleted.append(resource)
            progress = True
    left += [Leftover(logical_id=r.logical_id, type=r.type, physical_id=r.physical_id, reason=pending[r.logical_id])
             for r in checkable if r.logical_id in pending]
    return deleted, left
