"""After moto created a stack: make what it skipped through the service APIs, report what it dropped.

The resources the engine makes are remembered per stack (:class:`Emulations`), so an update can undo the ones the
template no longer has and a destroy can undo them all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from cdk_sagemaker.local.attributes import deployed_attribute
from cdk_sagemaker.local.ordering import dependency_order
from cdk_sagemaker.local.report import Emulated, Resource, StackReport, Unemulated
from cdk_sagemaker.local.resolver import Resolver, UnresolvableError
from cdk_sagemaker.local.workarounds import api_gateway, api_made, custom_resources, monitoring, skipped_types
from cdk_sagemaker.local.workarounds.base import ClientFor, Emulator, Made
from cdk_sagemaker.local.workarounds.dropped_properties import dropped_properties
from cdk_sagemaker.local.workarounds.endpoint_update import repoint_endpoints

EMULATORS: dict[str, Emulator] = {**skipped_types.EMULATORS, **custom_resources.EMULATORS,
                                   **api_made.EMULATORS, **api_gateway.EMULATORS, **monitoring.EMULATORS}
"""Every resource type the engine can make through a service API when moto's CloudFormation did not."""

IGNORED_TYPES = frozenset({"AWS::CDK::Metadata"})
"""Template resources with no service behind them (the CDK CLI's usage metadata)."""


def stack_resolver(template: Mapping[str, Any], *, deployed: list[Resource], made: Mapping[str, Made],
                   client_for: ClientFor, pseudo: Mapping[str, Any], parameters: Mapping[str, str]) -> Resolver:
    """A :class:`Resolver` for a created stack: ``Ref``/``Fn::GetAtt`` answered from what moto ``deployed`` (physical
    ids and service APIs) and what the engine ``made``, ``Fn::ImportValue`` from the exports."""
    by_id = {resource.logical_id: resource for resource in deployed}

    def ref(logical_id: str) -> Any:
        if logical_id in made:
            return made[logical_id].physical_id
        if logical_id in by_id:
            return by_id[logical_id].physical_id
        raise UnresolvableError(f"Ref to {logical_id!r}, which was not created")

    def get_att(logical_id: str, attribute: str) -> Any:
        if logical_id in made:
            attributes = made[logical_id].attributes
            if attribute in attributes:
                return attributes[attribute]
            raise UnresolvableError(f"Fn::GetAtt {logical_id}.{attribute}: unknown attribute")
        if logical_id in by_id:
            resource = by_id[logical_id]
            return deployed_attribute(client_for, resource.type, resource.physical_id, attribute)
        raise UnresolvableError(f"Fn::GetAtt {logical_id}.{attribute}: {logical_id} was not created")

    def import_value(name: str) -> Any:
        for page in client_for("cloudformation").get_paginator("list_exports").paginate():
            for export in page.get("Exports", []):
                if export["Name"] == name:
                    return export["Value"]
        raise UnresolvableError(f"Fn::ImportValue: no export named {name!r}")

    return Resolver(template, parameters=parameters, pseudo=pseudo, ref=ref, get_att=get_att,
                    import_value=import_value)


def _enabled(resolver: Resolver, logical_id: str) -> bool:
    try:
        return resolver.resource_enabled(logical_id)
    except UnresolvableError:
        return True


class Emulations:
    """The resources the engine made through service APIs, per stack: made, updated away, undone."""

    def __init__(self) -> None:
        self._made: dict[str, dict[str, Made]] = {}

    def of(self, stack_name: str) -> Mapping[str, Made]:
        """What the engine made for ``stack_name``, by logical id."""
        return self._made.setdefault(stack_name, {})

    def fill(self, template: Mapping[str, Any], report: StackReport, resolver: Resolver,
             client_for: ClientFor) -> None:
        """Make what moto skipped, note what it dropped, move updated endpoints; all recorded in ``report``."""
        resources: Mapping[str, Any] = template.get("Resources", {})
        deployed = {resource.logical_id for resource in report.resources}
        made = self._made.setdefault(report.name, {})
        skipped: list[str] = []
        for logical_id, body in resources.items():
            if body.get("Type") in IGNORED_TYPES or not _enabled(resolver, logical_id):
                continue
            if logical_id in deployed:
                report.unemulated.extend(Unemulated(logical_id=lid, type=type_, reason=reason)
                                         for lid, type_, reason in dropped_properties(logical_id, body))
            else:
                skipped.append(logical_id)
        for logical_id in [lid for lid in made if lid not in resources]:  # removed from the template by an update
            made.pop(logical_id).undo()
        for logical_id in dependency_order(skipped, resources):
            self._make(logical_id, resources[logical_id], report, resolver, client_for)
        report.emulated.extend(repoint_endpoints(client_for("sagemaker"), template, report.resources, resolver))

    def _make(self, logical_id: str, body: Mapping[str, Any], report: StackReport, resolver: Resolver,
              client_for: ClientFor) -> None:
        resource_type = str(body["Type"])
        emulator = EMULATORS.get(resource_type)
        if emulator is None:
            report.unemulated.append(Unemulated(logical_id=logical_id, type=resource_type,
                                                reason="not supported by moto's CloudFormation"))
            return
        try:
            result = emulator(client_for, report.name, logical_id, resolver.resolve(body.get("Properties", {})))
        except (UnresolvableError, ClientError, BotoCoreError, KeyError, ValueError) as error:
            # Name a scalable target's dimension (e.g. an inference component's copy count, whose component moto
            # cannot create), so the report says what was not scaled.
            dimension = body.get("Properties", {}).get("ScalableDimension")
            what = f" ({dimension})" if isinstance(dimension, str) and dimension not in str(error) else ""
            report.unemulated.append(Unemulated(logical_id=logical_id, type=resource_type,
                                                reason=f"API emulation failed{what}: {error}"))
            return
        self._made[report.name][logical_id] = result
        report.emulated.append(Emulated(logical_id=logical_id, type=resource_type, physical_id=result.physical_id,
                                        api=result.api))

    def undo(self, stack_name: str) -> None:
        """Undo what the engine made for ``stack_name``, last made first (what is already gone is skipped)."""
        for made in reversed(list(self._made.pop(stack_name, {}).values())):
            with contextlib.suppress(ClientError, BotoCoreError):
                made.undo()
