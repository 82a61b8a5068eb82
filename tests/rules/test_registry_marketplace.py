"""is_marketplace (shared by W9505, E9805 and E9952): the model's package-source tag wins, a versioned package is a
Model Registry version in any account, and a template with no tag falls back to the ARN text."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from cdk_sagemaker.rules import run

BAD_INF1 = Path(__file__).resolve().parent / "fixtures" / "W9505" / "bad.json"


def _template(package: str, source: str | None) -> dict[str, Any]:
    template: dict[str, Any] = copy.deepcopy(json.loads(BAD_INF1.read_text()))
    model = template["Resources"]["Model"]["Properties"]
    model["PrimaryContainer"] = {"ModelPackageName": package}
    model["EnableNetworkIsolation"] = True
    if source is not None:
        model["Tags"] = [{"Key": "cdk-sagemaker:model-package-source", "Value": source}]
    template["Resources"]["Config"]["Properties"]["ProductionVariants"][0]["InstanceType"] = "ml.m5.large"
    return template


@pytest.mark.parametrize(("package", "source", "flagged"), [
    ("arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/3", None, False),  # central registry version
    ("arn:aws:sagemaker:us-east-1:222222222222:model-package/churn/3", "marketplace", True),  # stated
    ("arn:aws:sagemaker:us-east-1:865070037744:model-package/aws-marketplace-vendor", None, True),  # ARN text
    ("arn:aws:sagemaker:us-east-1:865070037744:model-package/aws-marketplace-vendor", "registry", False),  # stated
])
def test_guardrail_rule_uses_the_marketplace_decision(package: str, source: str | None, flagged: bool) -> None:
    found = [m for m in run(_template(package, source), ids=["W9505"])]
    assert bool(found) == flagged, [str(m.message) for m in found]
    if flagged:
        assert "Marketplace" in str(found[0].message)
