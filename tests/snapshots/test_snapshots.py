"""Every example stack's normalized template is reviewed as a snapshot (update with ``make snapshot-update``)."""

from __future__ import annotations

from typing import Any

import pytest

from cdk_sagemaker.stacks import STACKS


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_matches_snapshot(name: str, example_templates: dict[str, Any], cdk_snapshot: Any) -> None:
    cdk_snapshot(example_templates[name])
