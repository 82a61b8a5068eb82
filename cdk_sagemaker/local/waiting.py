"""Poll moto's CloudFormation until a stack operation ends, and say why it failed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from cdk_sagemaker.local.errors import StackDeployError

STACK_TIMEOUT_S = 300.0
POLL_INTERVAL_S = 0.2
NOTE_INTERVAL_S = 5.0


def stack_status(cfn: Any, name: str) -> str | None:
    """The stack's status, or None when CloudFormation does not know the stack."""
    try:
        return str(cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"])
    except ClientError:
        return None


def wait_until_done(cfn: Any, name: str, *, note: Callable[[str], None]) -> str:
    """Wait while the stack is ``*_IN_PROGRESS``; return the status it ends in. ``note(status)`` is called every
    :data:`NOTE_INTERVAL_S` while waiting. Raises :class:`StackDeployError` after :data:`STACK_TIMEOUT_S`."""
    deadline = time.monotonic() + STACK_TIMEOUT_S
    next_note = time.monotonic() + NOTE_INTERVAL_S
    while True:
        status = str(stack_status(cfn, name))
        if not status.endswith("IN_PROGRESS"):
            return status
        if time.monotonic() > deadline:
            raise StackDeployError(f"stack {name}: still {status} after {STACK_TIMEOUT_S:.0f} s")
        if time.monotonic() > next_note:
            note(status)
            next_note += NOTE_INTERVAL_S
        time.sleep(POLL_INTERVAL_S)


def wait_until_deleted(cfn: Any, name: str) -> None:
    """Wait until the stack is deleted (moto forgets it); raise :class:`StackDeployError` if the delete fails."""
    deadline = time.monotonic() + STACK_TIMEOUT_S
    while time.monotonic() < deadline:
        status = stack_status(cfn, name)
        if status is None or status == "DELETE_COMPLETE":
            return
        if not status.endswith("IN_PROGRESS"):
            raise StackDeployError(f"stack {name}: delete ended in {status}")
        time.sleep(POLL_INTERVAL_S)
    raise StackDeployError(f"stack {name}: delete did not finish in {STACK_TIMEOUT_S:.0f} s")


def failure_reason(cfn: Any, name: str) -> str:
    """The first failed resource of the stack's events, with its status reason."""
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    for event in reversed(events):  # oldest first: the first failure is the cause
        if event.get("ResourceStatus", "").endswith("FAILED") and event.get("LogicalResourceId") != name:
            return (f"resource {event.get('LogicalResourceId')} ({event.get('ResourceType')}) "
                    f"{event['ResourceStatus']}: {event.get('ResourceStatusReason', 'no reason given')}")
    return "no failed resource in the stack events"
