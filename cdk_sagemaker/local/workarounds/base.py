"""What the workarounds share: a resource the engine made through a service API, and how it names things."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cdk_sagemaker.local.resolver import UnresolvableError

ClientFor = Callable[[str], Any]
"""``client_for(service)``: a boto3 client of the local AWS in the stack's region."""

Note = tuple[str, str, str]
"""``(logical id or path, type, reason)``: something of the template the local AWS does not hold as written."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Made:
    """A resource made through an API: its Ref value, its attributes, how to undo it."""

    physical_id: str
    attributes: dict[str, Any]
    api: str
    undo: Callable[[], None]


Emulator = Callable[[ClientFor, str, str, Mapping[str, Any]], Made]
"""``emulator(client_for, stack_name, logical_id, resolved_properties)`` makes one resource through its API."""


def generated_name(stack_name: str, logical_id: str) -> str:
    """A stable physical name for a resource the template leaves unnamed (as CloudFormation would generate one)."""
    suffix = hashlib.sha256(f"{stack_name}/{logical_id}".encode()).hexdigest()[:12].upper()
    return f"{stack_name}-{logical_id}-{suffix}"


def pick(properties: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The ``names`` that ``properties`` has."""
    return {name: properties[name] for name in names if name in properties}


def coerce(value: Any, shape: Any) -> Any:
    """``value`` (template JSON) converted to what botocore's ``shape`` wants: numbers from strings and so on."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            raise UnresolvableError(f"{shape.name} needs an object, got {value!r}")
        unknown = sorted(set(value) - set(shape.members))
        if unknown:
            raise UnresolvableError(f"{shape.name} has no member(s) {', '.join(unknown)}")
        return {key: coerce(item, shape.members[key]) for key, item in value.items()}
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [coerce(item, shape.member) for item in items]
    if kind == "map":
        return {str(key): coerce(item, shape.value) for key, item in dict(value).items()}
    if kind in ("integer", "long"):
        return int(value)
    if kind in ("double", "float"):
        return float(value)
    if kind == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if kind == "string":
        return value if isinstance(value, str) else str(value)
    return value


def call(client: Any, operation: str, parameters: Mapping[str, Any]) -> Any:
    """Call ``client.<operation>`` after coercing ``parameters`` to the operation's input shape."""
    model = client.meta.service_model
    api_name = "".join(part.capitalize() for part in operation.split("_"))
    shape = model.operation_model(api_name).input_shape
    return getattr(client, operation)(**coerce(dict(parameters), shape))
