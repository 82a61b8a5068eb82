"""The readiness rules over SageMaker templates that nobody here wrote (tests/rules/foreign, sources in its README).

EXPECTED pins, per template, the exact sorted list of (rule id, resource) that ``cdk_sagemaker.rules.run`` reports,
so any change in what the rules find on real-world templates shows up here and gets reviewed. Each finding carries
the reviewer's verdict, taken from the AWS documentation (docs/readiness-rules-foreign.md gives the reasons):

* ``TRUE``: the template really has the problem the rule names;
* ``FALSE``: a false positive, a bug in the rule; it is reported in docs/readiness-rules-false-positives.md for
  the rule's owner, and ``test_no_false_positives`` lists the open ones (strict xfail: it turns red as soon as the
  rule is fixed, so that the verdict and the pin are updated together).

A template with no findings maps to an empty list: that is the claim that the rules stay quiet on it. MISSED lists
the real problems that a rule covers but does not report yet (strict xfails too).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from cdk_sagemaker.rules import run

FOREIGN = Path(__file__).parent / "foreign"
REPO = Path(__file__).resolve().parents[2]

TRUE = "TRUE"
FALSE = "FALSE"

# template file -> sorted [(rule id, resource logical id, verdict)]
EXPECTED: dict[str, list[tuple[str, str, str]]] = {
    # --- public samples ---
    "cfn-docs-sagemaker-endpoint-example.json": [],  # FP-3 (E9806 crashed on an intrinsic VariantName): fixed
    "cfn-docs-sagemaker-endpoint-example.yaml": [],  # FP-3 (E9806 crashed on an intrinsic VariantName): fixed
    "custom-scaling-async-endpoints.yaml": [
        # W9902: the names come from parameters, so a change that does not also change the name parameter (an
        # instance type, a weight, a new image under the same name) replaces the resource under its custom name: fails.
        ("W9902", "Endpoint1Config", TRUE), ("W9902", "Endpoint2Config", TRUE), ("W9902", "Endpoint3Config", TRUE),
        ("W9902", "SageMakerModel1", TRUE), ("W9902", "SageMakerModel2", TRUE), ("W9902", "SageMakerModel3", TRUE),
    ],
    "custom-scaling-router.yaml": [],
    "deep-demand-forecast-endpoint.yaml": [  # FP-3 (E9806 crashed on an intrinsic VariantName): fixed
        ("W9902", "EndpointConfig", TRUE), ("W9902", "Model", TRUE),  # W9902: parameter-built names, as above
    ],
    "safe-deployment-dev.yaml": [  # FP-3 (E9806 crashed on an intrinsic VariantName): fixed
        ("W9902", "EndpointConfig", TRUE), ("W9902", "Model", TRUE),  # W9902: parameter-built names, as above
    ],
    "safe-deployment-prd.yaml": [  # FP-3 (E9806 crashed on an intrinsic VariantName): fixed
        ("W9902", "EndpointConfig", TRUE), ("W9902", "Model", TRUE),  # W9902: parameter-built names, as above
    ],
    "secure-mlops-vpc-endpoint.yaml": [],
    "sm-projects-api-gateway-serverless.yaml": [  # FP-1 (E9606) fixed by R1
        # W9188: no BinaryMediaTypes, so any binary payload (image, npy) reaches the model as UTF-8 text (CSV/JSON
        # clients are unaffected: a warning). W9189: the deployment's stage has no throttle, on a public
        # (AuthorizationType NONE) API in front of a serverless endpoint with MaxConcurrency 1.
        ("W9188", "ApiGateway", TRUE), ("W9189", "ApiGatewayDeployment", TRUE),
    ],
    "sm-projects-async.yaml": [],
    "sm-projects-batch-inference.yaml": [],
    "sm-projects-deployment-patterns.yaml": [],
    "sm-projects-multi-model.yaml": [],
    "sm-projects-serverless-inf.yaml": [],  # FP-2 (E9603) and FP-1 (E9606) fixed by R1
    "sm-projects-shadow.yaml": [],
    # --- other CDK libraries (tools/foreign_templates.py) ---
    "cdk-alpha-realtime-autoscaling.template.json": [
        ("W9401", "Endpoint8024A810", TRUE),
    ],
    "cdk-alpha-serverless.template.json": [],
    "cdk-alpha-vpc-model.template.json": [],
    "cdk-l1-async-scale-to-zero.template.json": [
        ("W9401", "Endpoint", TRUE),
        # Missed (see the doc): W9803 on both topics, which AmazonSageMakerFullAccess cannot publish to.
    ],
    "cdk-l1-realtime-autoscaling.template.json": [
        ("W9401", "Endpoint", TRUE),
    ],
    "cdk-l1-realtime-canary.template.json": [],  # FP-4 (E9501) fixed in 206c847
    "cdk-l1-serverless.template.json": [],
    "cdk-l1-serverless-provisioned-scaling.template.json": [
        ("W9401", "Endpoint", TRUE),  # a new config resets the scaled provisioned concurrency (see the doc)
    ],
    "cdk-l1-inference-components.template.json": [],
    "cdk-l1-vpc-model.template.json": [],
    "cdk-sfn-transform.template.json": [],
    "cdk-l1-sfn-docs-train-transform.template.json": [
        ("E9701", "TrainAndBatchTransform", TRUE),  # the guide's IAM template lacks sagemaker:AddTags for .sync
    ],
    # --- other construct libraries (OPTIONAL_STACKS in tools/foreign_templates.py) ---
    "cdk-solutions-lambda-sagemakerendpoint.template.json": [],
    "cdk-solutions-lambda-sagemakerendpoint-vpc.template.json": [],
    "cdk-genai-custom-inf2.template.json": [
        ("W9401", "bgeinf2endpointcustomModel", TRUE),
    ],
    "cdk-genai-huggingface-tgi.template.json": [],
    "cdk-genai-jumpstart-llama2.template.json": [],
}


# Real problems of these templates that a rule covers but does not report yet (docs/readiness-rules-foreign.md,
# "misses"): strict xfails, so that catching one turns the test red and the finding moves into EXPECTED as TRUE.
MISSED: list[tuple[str, str, str]] = [
    # AmazonSageMakerFullAccess publishes only to *sagemaker* topics; the rule skips roles with managed policies
    ("cdk-l1-async-scale-to-zero.template.json", "W9803", "EndpointConfig"),
    # scalable target linked to the endpoint by an equal Fn::Sub name, not by Ref/GetAtt
    ("safe-deployment-prd.yaml", "W9401", "Endpoint"),
]


def _templates() -> list[str]:
    return sorted(p.name for p in FOREIGN.iterdir() if p.suffix in {".yaml", ".yml", ".json"})


def _resource(match: Any) -> str:
    """The logical id a finding is on; for cfn-lint's E0002 ("a rule crashed"), which rule crashed."""
    crashed = re.search(r"processing rule (\w+)", str(match.message)) if match.rule.id == "E0002" else None
    if crashed:
        return f"<crash {crashed.group(1)}>"
    path = [str(p) for p in (getattr(match, "path", None) or [])]
    if len(path) >= 2 and path[0] == "Resources":
        return path[1]
    return "/".join(path[:2]) or "<template>"


@functools.cache
def _findings(name: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(m.rule.id), _resource(m)) for m in run(FOREIGN / name)))


def test_every_template_is_reviewed() -> None:
    """A template added to tests/rules/foreign without a reviewed entry (or an entry without a file) fails."""
    assert _templates() == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_the_reviewed_ones(name: str) -> None:
    expected = sorted((rule, resource) for rule, resource, _ in EXPECTED[name])
    assert list(_findings(name)) == expected


_FALSE_POSITIVES = [
    (name, rule, res) for name, rows in EXPECTED.items() for rule, res, verdict in rows if verdict == FALSE
]


@pytest.mark.parametrize(
    ("name", "rule", "resource"),
    [pytest.param(*fp, marks=pytest.mark.xfail(strict=True, reason="open false positive")) for fp in _FALSE_POSITIVES]
    or [pytest.param("", "", "", marks=pytest.mark.skip(reason="no open false positive"))],
)
def test_no_false_positives(name: str, rule: str, resource: str) -> None:
    """The rule must not fire here: a correct template (or the correct part of one) gets no finding."""
    assert (rule, resource) not in _findings(name)


@pytest.mark.parametrize(
    ("name", "rule", "resource"),
    [pytest.param(*m, marks=pytest.mark.xfail(strict=True, reason="known miss")) for m in MISSED],
)
def test_missed_findings(name: str, rule: str, resource: str) -> None:
    """The template has this problem and the rule covers it: it should be reported."""
    assert (rule, resource) in _findings(name)


def test_verdicts_are_known() -> None:
    for name, rows in EXPECTED.items():
        for rule, resource, verdict in rows:
            assert verdict in {TRUE, FALSE}, (name, rule, resource)
            # our ids, or E0002: cfn-lint's "a rule crashed" (only ever as a false finding)
            assert re.fullmatch(r"[EW]9[1-9]\d\d", rule) or (rule, verdict) == ("E0002", FALSE), (name, rule)


def test_readme_names_source_and_license_of_every_public_template() -> None:
    readme = (FOREIGN / "README.md").read_text(encoding="utf-8")
    for name in _templates():
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{name}`")), None)
        assert row is not None, f"{name} is not in tests/rules/foreign/README.md"
        if not name.startswith("cdk-"):
            assert re.search(r"\b(MIT-0|Apache-2\.0|MIT)\b", row), f"{name}: no license in its README row"
            assert "github.com" in readme and re.search(r"[0-9a-f]{8}", row), f"{name}: no source commit"


def test_docs_cover_every_template() -> None:
    doc = (REPO / "docs" / "readiness-rules-foreign.md").read_text(encoding="utf-8")
    for name in _templates():
        assert f"`{name}`" in doc, f"docs/readiness-rules-foreign.md does not discuss {name}"
    for name, rows in EXPECTED.items():
        for rule, _resource_id, _verdict in rows:
            assert rule in doc, f"docs/readiness-rules-foreign.md does not discuss {rule} on {name}"


@pytest.mark.slow
def test_cdk_templates_are_what_the_script_makes(tmp_path: Path) -> None:
    """The committed cdk-* templates are the output of tools/foreign_templates.py with the installed CDK (those of
    other construct libraries only where the library imports; see OPTIONAL_STACKS there)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("foreign_templates", REPO / "tools" / "foreign_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = sorted(n for n in _templates() if n.startswith("cdk-"))
    known = sorted(f"{name}.template.json" for name in [*module.STACKS, *module.OPTIONAL_STACKS])
    assert committed == known
    written = module.synthesize(tmp_path)
    skipped = {f"{name}.template.json" for name in set(module.OPTIONAL_STACKS) - set(module.available_optional())}
    assert sorted(p.name for p in written) == sorted(set(committed) - skipped)
    for path in written:
        assert json.loads(path.read_text()) == json.loads((FOREIGN / path.name).read_text()), path.name
