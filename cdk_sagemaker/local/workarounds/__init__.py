"""The moto 5.2.5 behaviours the local engine works around, one module each.

Each module's docstring says which behaviour of moto it works around; ``tests/deploy/test_moto_workarounds.py`` has
one test per module that asserts the behaviour is still there, so that the test fails (and says which workaround
to drop) once a moto upgrade fixes it.

Before the template goes to moto (:func:`for_moto`):
  - :mod:`.undefined_references`: moto crashes on a reference to an undefined name; the engine reports it first.
  - :mod:`.custom_resources`: Lambda-backed custom resources are left out and done through the API afterwards.
  - :mod:`.api_made`: CodeBuild projects and model package groups are left out (references become their name and
    ARN) and made through their APIs afterwards.
  - :mod:`.inference_components`: outputs that refer to components are dropped; component variants get a model.
  - :mod:`.model_containers`: a containers-only model gets its first container as ``PrimaryContainer``.
  - :mod:`.instance_types`: variants on instance types moto does not list run on a stand-in.
  - :mod:`.monitoring`: Model Monitor resources are left out (job definitions made through the API afterwards).
Before the stack is created:
  - :mod:`.model_packages`: model packages the models run and the local AWS lacks are registered.
After moto created the stack:
  - :mod:`.skipped_types`: resource types moto skips are made through their service APIs.
  - :mod:`.dropped_properties`: SageMaker properties moto ignores are reported.
  - :mod:`.endpoint_update`: an updated endpoint is moved onto its new config.
Throughout (:mod:`.speed`, installed when moto starts): JSON templates are read as JSON, not with PyYAML, and a KMS
key's unused RSA key is made only on first use (moto 5.2.5 only; a JSON template's exponent numbers are read as
numbers, as CloudFormation reads them, where PyYAML read strings).
On delete:
  - :mod:`.managed_policies`: managed policies are detached before moto deletes their roles.
  - :mod:`.incomplete_delete`: what moto's delete left behind is deleted through the service APIs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cdk_sagemaker.local.workarounds.api_made import without_api_made
from cdk_sagemaker.local.workarounds.base import Note
from cdk_sagemaker.local.workarounds.custom_resources import without_deferred
from cdk_sagemaker.local.workarounds.inference_components import (
    variants_serve_first_component_model,
    without_component_outputs,
)
from cdk_sagemaker.local.workarounds.instance_types import stand_in_types
from cdk_sagemaker.local.workarounds.model_containers import first_container_as_primary
from cdk_sagemaker.local.workarounds.monitoring import without_monitoring

TemplateRewrite = Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[Note]]]

REWRITES: tuple[TemplateRewrite, ...] = (
    without_deferred,
    without_api_made,
    without_component_outputs,
    first_container_as_primary,
    stand_in_types,
    variants_serve_first_component_model,
    without_monitoring,
)
"""The template rewrites :func:`for_moto` applies, in order."""


def for_moto(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """The template moto's CloudFormation can create, and what was changed for it (``(logical id, type, reason)``).

    The input is not modified."""
    body = dict(template)
    notes: list[Note] = []
    for rewrite in REWRITES:
        body, more = rewrite(body)
        notes.extend(more)
    return body, notes
