"""The deploy-correctness defects (issue 15) as the templates were before the fixes: R1's rules must flag each one.

The templates under tests/rules/prefix/ are copies of the pre-fix synthesized example stacks.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk_sagemaker.rules import run

PREFIX = Path(__file__).resolve().parent / "prefix"

# template -> (rule id, resource logical id) pairs that must be found
EXPECTED = {
    # 1. private networking blocks the model download; 4. fixed name on the retained flow-log group
    "CdkSagemakerRealtimePrivate": [("E9101", "Model0301700E"), ("E9901", "NetworkFlowLogGroup4F8CEEEF")],
    # 5. a serial-pipeline container with SAGEMAKER_PROGRAM and nothing to run
    "CdkSagemakerRealtimePipeline": [("E9303", "PipelineC660917D")],
    # 10. inference components: the models' isolation is not on the endpoint config
    "CdkSagemakerRealtimeInferenceComponents": [("W9105", "EndpointConfig24AD0A28")],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_prefix_template_is_flagged(name: str) -> None:
    found = {(m.rule.id, str(m.path[1])) for m in run(PREFIX / f"{name}.template.json") if m.path}
    missing = [pair for pair in EXPECTED[name] if pair not in found]
    assert not missing, f"{name}: expected findings {missing} not reported (got {sorted(found)})"
