"""The scaling, rollout, batch and endpoint rules (94xx, 95xx, 97xx, 98xx) flag the deploy-correctness defects in
the templates as they were before the fixes (tests/rules/prefix/, copied from the pre-fix example stacks or
synthesized from the pre-fix code for user setups no example shows).

- ``UserRollbackAlarm``: ``DeploymentStrategy.canary(rollback_alarms=False, alarms=[user_alarm])`` (issue 15, item 7):
  the execution role was not granted ``cloudwatch:DescribeAlarms`` on the user's alarm.
- Auto-scaled examples without ``RetainAllVariantProperties`` (item 3).
- The nightly batch transform whose retry re-sends the same ``TransformJobName`` (item 11).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_sagemaker.rules import run

PREFIX = Path(__file__).resolve().parent / "prefix"

# template -> ids of 94xx/95xx/97xx/98xx rules that must fire on it
EXPECTED: dict[str, set[str]] = {
    "UserRollbackAlarm": {"E9501"},
    "CdkSagemakerRealtimeAutoScaling": {"W9401"},
    "CdkSagemakerServerlessProvisioned": {"W9401"},
    "CdkSagemakerAsyncNotifications": {"W9401"},
    "CdkSagemakerBatchTransformNightly": {"W9703"},
}


def _r2_ids(name: str) -> set[str]:
    return {m.rule.id for m in run(PREFIX / f"{name}.template.json") if m.rule.id[1:3] in ("94", "95", "97", "98")}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_prefix_template_is_flagged(name: str) -> None:
    found = _r2_ids(name)
    missing = EXPECTED[name] - found
    assert not missing, f"{name}: expected {sorted(missing)} to fire, got {sorted(found)}"
    assert found == EXPECTED[name], f"{name}: unexpected findings {sorted(found - EXPECTED[name])}"
