"""Workaround: after a stack update that replaces an endpoint config, the endpoint is moved onto the new config.

moto 5.2.5 behaviour: a stack update creates the new ``AWS::SageMaker::EndpointConfig`` and deletes the old one, but
leaves the ``AWS::SageMaker::Endpoint`` on the old, deleted config (its CloudFormation has no update for endpoints,
and its SageMaker has no ``UpdateEndpoint``). The engine deletes the endpoint and creates it again under the same
name, with its tags, on the config the template names. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_leaves_an_updated_endpoint_on_its_old_config``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.report import Emulated, Resource
from cdk_sagemaker.local.resolver import Resolver, UnresolvableError

API = "sagemaker:DeleteEndpoint+CreateEndpoint (update to the new endpoint config)"


def repoint_endpoints(sagemaker: Any, template: Mapping[str, Any], deployed: list[Resource],
                      resolver: Resolver) -> list[Emulated]:
    """Recreate each deployed endpoint whose config is not the one the template names; return what was recreated."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    recreated: list[Emulated] = []
    for resource in deployed:
        if resource.type != "AWS::SageMaker::Endpoint":
            continue
        try:
            wanted = str(resolver.resolve(resources[resource.logical_id]["Properties"]["EndpointConfigName"]))
        except (UnresolvableError, KeyError):
            continue
        name = resource.physical_id.split("/")[-1]
        endpoint = sagemaker.describe_endpoint(EndpointName=name)
        if endpoint["EndpointConfigName"] == wanted:
            continue
        tags = sagemaker.list_tags(ResourceArn=endpoint["EndpointArn"]).get("Tags", [])
        sagemaker.delete_endpoint(EndpointName=name)
        sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=wanted, **({"Tags": tags} if tags else {}))
        recreated.append(Emulated(logical_id=resource.logical_id, type=resource.type,
                                  physical_id=resource.physical_id, api=API))
    return recreated
