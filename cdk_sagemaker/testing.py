"""Helpers for testing CDK templates in CI: normalized snapshots, cdk-nag compliance, cfn-lint.

They work for any CDK app, not only stacks built from cdk-sagemaker constructs. cdk-nag and cfn-lint are imported
only when their helper is called.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk

__all__ = ["PACKS", "Acknowledgement", "ComplianceError", "LintError", "acknowledgements", "assert_compliant", "lint",
           "normalized_template"]

#: cdk-nag packs by the names this kit accepts.
PACKS: tuple[str, ...] = ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "NIST.800.53.R4", "PCI.DSS.321",
                          "Serverless")
DEFAULT_PACKS: tuple[str, ...] = ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security")

_HASH = re.compile(r"\b[0-9a-f]{64}\b")
_ASSET_PARAM = re.compile(r"AssetParameters[0-9a-f]{64}\w*")


class ComplianceError(AssertionError):
    """cdk-nag reported findings; ``findings`` lists ``"<rule>: <resource path>: <message>"`` lines."""

    def __init__(self, findings: Sequence[str]) -> None:
        self.findings = tuple(findings)
        super().__init__(f"{len(self.findings)} cdk-nag finding(s):\n" + "\n".join(f"  {f}" for f in self.findings))


class LintError(AssertionError):
    """cfn-lint reported findings; ``findings`` lists ``"<rule> <path>: <message>"`` lines."""

    def __init__(self, findings: Sequence[str]) -> None:
        self.findings = tuple(findings)
        super().__init__(f"{len(self.findings)} cfn-lint finding(s):\n" + "\n".join(f"  {f}" for f in self.findings))


def _template_of(stack_or_template: cdk.Stack | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(stack_or_template, cdk.Stack):
        stage = cdk.Stage.of(stack_or_template)
        assert stage is not None
        assembly = stage.synth()
        template: dict[str, Any] = assembly.get_stack_artifact(stack_or_template.artifact_id).template
        return template
    return copy.deepcopy(dict(stack_or_template))


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, str):
        return _HASH.sub("<asset-hash>", value)
    return value


def normalized_template(stack_or_template: cdk.Stack | Mapping[str, Any]) -> dict[str, Any]:
    """The stack's template with what changes between machines and CDK patch versions removed.

    Asset hashes become ``<asset-hash>``; ``CDKMetadata`` (resource and condition), the ``BootstrapVersion``
    parameter and ``CheckBootstrapVersion`` rule are dropped; keys are sorted.
    """
    template = _template_of(stack_or_template)
    template.get("Resources", {}).pop("CDKMetadata", None)
    conditions = template.get("Conditions", {})
    conditions.pop("CDKMetadataAvailable", None)
    if not conditions:
        template.pop("Conditions", None)
    params = template.get("Parameters", {})
    params.pop("BootstrapVersion", None)
    if not params:
        template.pop("Parameters", None)
    rules = template.get("Rules", {})
    rules.pop("CheckBootstrapVersion", None)
    if not rules:
        template.pop("Rules", None)
    scrubbed: dict[str, Any] = _scrub(template)
    return scrubbed


#: The construct metadata type under which ``Validations.of(c).acknowledge(...)`` records ``{id: reason}``; it is
#: also written to ``<stack>.metadata.json`` in the cloud assembly (``cdk.out``).
ACKNOWLEDGED_RULES = "aws:cdk:acknowledged-rules"


@dataclass(frozen=True, slots=True, order=True)
class Acknowledgement:
    """One acknowledged cdk-nag finding: the construct path, the finding id (``AwsSolutions::AwsSolutions-IAM5[...]``)
    and the written reason."""

    path: str
    rule: str
    reason: str


def acknowledgements(scope: cdk.App | cdk.Stage | cdk.Stack) -> list[Acknowledgement]:
    """Every acknowledgement recorded under ``scope``, sorted by path and rule. Compare the result to a list checked
    into your tests, so that a new acknowledgement is a reviewed change."""
    found = []
    for construct in scope.node.find_all():
        for entry in construct.node.metadata:
            if entry.type != ACKNOWLEDGED_RULES or not isinstance(entry.data, Mapping):
                continue
            for rule, reason in entry.data.items():
                found.append(Acknowledgement(path=construct.node.path, rule=str(rule), reason=str(reason)))
    return sorted(set(found))


def _pack_classes(packs: Iterable[str]) -> list[Any]:
    import cdk_nag

    by_name = {
        "AwsSolutions": cdk_nag.AwsSolutionsChecks,
        "NIST.800.53.R5": cdk_nag.NIST80053R5Checks,
        "HIPAA.Security": cdk_nag.HIPAASecurityChecks,
        "NIST.800.53.R4": cdk_nag.NIST80053R4Checks,
        "PCI.DSS.321": cdk_nag.PCIDSS321Checks,
        "Serverless": cdk_nag.ServerlessChecks,
    }
    out = []
    for name in packs:
        if name not in by_name:
            raise ValueError(f"packs must name cdk-nag packs from {', '.join(PACKS)}, got {name!r}")
        out.append(by_name[name])
    return out


def assert_compliant(app: cdk.App, packs: Iterable[str] = DEFAULT_PACKS) -> None:
    """Synthesize ``app`` with the cdk-nag ``packs`` as validation plugins; raise :class:`ComplianceError` listing
    each finding with its resource path. Acknowledged findings (with reasons) do not count.

    The packs are added to ``app`` itself: call this on an app that has not been synthesized yet.
    """
    plugins = [cls() for cls in _pack_classes(packs)]
    cdk.Validations.of(app).add_plugins(*plugins)
    try:
        app.synth()
    except Exception as err:  # jsii surfaces the failed validation as a RuntimeError naming the report file
        match = re.search(r"(\S+validation-report\.json)", str(err))
        if match is None:
            raise
        raise ComplianceError(_findings_from_report(match.group(1))) from None


def _findings_from_report(path: str) -> list[str]:
    with open(path) as f:
        report = json.load(f)
    findings = []
    for plugin in report.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            for construct in violation.get("violatingConstructs", []):
                findings.append(f"{violation['ruleName']}: {construct['constructPath']}: "
                                f"{violation.get('description', '')}")
    return sorted(findings)


def lint(stack_or_template: cdk.Stack | Mapping[str, Any], *, allow: Iterable[str] = (),
         regions: Sequence[str] = ("us-east-1",)) -> list[str]:
    """Run cfn-lint on the template; return findings (``"<rule> <path>: <message>"``) whose rule id is not in
    ``allow``. Zero-tolerance by default: errors, warnings and informational findings all count."""
    from cfnlint.api import ManualArgs
    from cfnlint.api import lint as cfn_lint

    template = _template_of(stack_or_template)
    matches = cfn_lint(json.dumps(template), config=ManualArgs(regions=list(regions)))
    allowed = set(allow)
    out = []
    for m in matches:
        rule = m.rule.id
        if rule in allowed:
            continue
        path = "/".join(str(p) for p in (m.path or []))
        out.append(f"{rule} {path}: {m.message}")
    return out
