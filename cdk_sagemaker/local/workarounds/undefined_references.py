"""Workaround: references to names a template does not define are reported before moto sees the template.

moto 5.2.5 behaviour: CloudFormation rejects such a template before it creates anything ("Unresolved resource
dependencies"); moto skips that check, starts creating and crashes part-way (``KeyError`` naming only the missing
name, HTTP 500 in server mode), leaving a stack ``CREATE_IN_PROGRESS``. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_crashes_on_an_undefined_reference``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.resolver import PSEUDO_PARAMETERS, references


def undefined_references(template: Mapping[str, Any]) -> list[str]:
    """One message per resource or output that refers to a name the template does not define."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    known = set(resources) | set(template.get("Parameters", {})) | set(PSEUDO_PARAMETERS)
    problems: list[str] = []
    sections = [("resource", resources), ("output", template.get("Outputs", {}))]
    for kind, section in sections:
        for logical_id, body in section.items():
            if not isinstance(body, dict):
                continue
            described = f"{kind} {logical_id}" + (f" ({body['Type']})" if "Type" in body else "")
            for function, name in references(body):
                if name not in known:
                    problems.append(f"{described}: {function} to undefined {name!r}")
            depends = body.get("DependsOn", [])
            for name in [depends] if isinstance(depends, str) else depends:
                if name not in resources:
                    problems.append(f"{described}: DependsOn undefined resource {name!r}")
    return problems
