"""The readiness rules (cdk_sagemaker.rules) over every example stack: zero findings.

Also covered by test_oracles' cdk_lint test (the fixture runs the rules by default); this test runs only the
readiness rules so that a failure names the SageMaker rule, not a cfn-lint schema problem. Until the construct fixes
of issue 15 merge, the pre-fix stacks fail here (RealtimePrivate E9101/E9901, RealtimePipeline E9303,
RealtimeInferenceComponents W9105, RealtimeAutoScaling/ServerlessProvisioned/AsyncNotifications W9401,
BatchTransformNightly W9703): that is the point of the rules, not a reason to weaken them.
"""

from __future__ import annotations

from typing import Any

import pytest

from cdk_sagemaker.rules import run
from cdk_sagemaker.stacks import STACKS


@pytest.mark.parametrize("name", sorted(STACKS))
def test_example_stack_has_no_readiness_findings(name: str, example_templates: dict[str, Any]) -> None:
    findings = [f"{m.rule.id} {'/'.join(map(str, m.path or []))}: {m.message}" for m in run(example_templates[name])]
    assert findings == [], "\n".join(findings)
