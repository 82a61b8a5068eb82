"""The scaling, rollout, batch and endpoint rules (94xx, 95xx, 97xx, 98xx) flag the deploy-correctness defects in
the templates as they were before the fixes (tests/rules/prefix/, copied from the pre-fix example stacks or
synthesized from the pre-fix code for user setups no example shows).

- ``UserRollbackAlarm``: ``DeploymentStrategy.canary(rollback_alarms=False, alarms=[user_alarm])`` (issue 15, item 7):
  the execution role was not granted ``cloudwatch:DescribeAlarms`` on the user's alarm.
- Auto-scaled examples without ``RetainAllVariantProperties`` (item 3).
- The nightly batch transform whose retry re-sends the same ``TransformJobName`` (item 11).
"""

from __future__ import annotations

import json
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


# The permission rules must read the grants the constructs make: each example template is quiet as synthesized (its
# grants are right) and the rule fires once the one grant it checks is removed.
# (template, managed policy, action removed from it, rule id)
MUTATIONS = [
    ("CdkSagemakerAsyncNotifications", "ModelPolicy4EDEB0D0", "sns:Publish", "W9803"),
    ("CdkSagemakerAsyncNotifications", "ModelPolicy4EDEB0D0", "s3:PutObject", "E9802"),
    ("CdkSagemakerAsyncNotifications", "ModelPolicy4EDEB0D0", "kms:GenerateDataKey", "E9802"),
    ("CdkSagemakerRealtimeShadow", "CandidatePolicy53AFB857", "s3:PutObject", "W9801"),
    ("CdkSagemakerCanaryRollout", "ModelPolicy4EDEB0D0", "cloudwatch:DescribeAlarms", "E9501"),
    ("CdkSagemakerBatchTransformNightly", "NightlyPolicyEA6D427F", "events:PutRule", "E9702"),
    ("CdkSagemakerBatchTransformNightly", "NightlyPolicyEA6D427F", "sagemaker:AddTags", "E9701"),
]


@pytest.mark.parametrize(("name", "policy", "action", "rule_id"), MUTATIONS,
                         ids=[f"{n}-{a}" for n, _, a, _ in MUTATIONS])
def test_permission_rules_read_the_grants(name: str, policy: str, action: str, rule_id: str) -> None:
    template = json.loads((PREFIX / f"{name}.template.json").read_text(encoding="utf-8"))
    assert rule_id not in {m.rule.id for m in run(template)}
    statements = template["Resources"][policy]["Properties"]["PolicyDocument"]["Statement"]
    kept = [s for s in statements if action not in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert len(kept) < len(statements), f"{policy} of {name} does not grant {action}"
    template["Resources"][policy]["Properties"]["PolicyDocument"]["Statement"] = kept
    assert rule_id in {m.rule.id for m in run(template)}
