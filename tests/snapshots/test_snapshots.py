"""Every example stack's normalized template is reviewed as a snapshot (update with ``make snapshot-update``)."""

from __future__ import annotations

from typing import Any

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from cdk_sagemaker.stacks import STACKS
from cdk_sagemaker.testing import normalized_template


@pytest.fixture
def snapshot_json(snapshot: Any) -> Any:
    return snapshot.use_extension(JSONSnapshotExtension)


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_matches_snapshot(name: str, example_templates: dict[str, Any], snapshot_json: Any) -> None:
    assert normalized_template(example_templates[name]) == snapshot_json
