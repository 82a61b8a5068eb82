"""cdk-nag 3 packs as CDK validation plugins, switched on only while :func:`assert_compliant` synthesizes.

cdk-nag 3 runs as a policy validation plugin during synth, and CDK offers no way to remove a plugin again. So each
app gets one :class:`_PackSwitch` per pack, registered once; a switch runs its pack only while
:func:`assert_compliant` forces a fresh synth, and reports success otherwise. An app that was synthesized before is
therefore still checked, and still synthesizes (for snapshots, lint, deploys) after a failed check.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii

from cdk_sagemaker.errors import ValidationError
from cdk_sagemaker.testing._packs import DEFAULT_PACKS, PACKS
from cdk_sagemaker.testing._template import construct_label, synthesis_error
from cdk_sagemaker.testing.errors import ComplianceError, NagFinding, SynthesisError

__all__ = ["assert_compliant"]

_REPORT = "validation-report.json"


def _pack_class(name: str) -> Any:
    from cdk_sagemaker._extras import require

    cdk_nag = require("cdk_nag", extra="test", needed_by="assert_compliant and the cdk_compliance fixture")

    return {
        "AwsSolutions": cdk_nag.AwsSolutionsChecks,
        "NIST.800.53.R5": cdk_nag.NIST80053R5Checks,
        "HIPAA.Security": cdk_nag.HIPAASecurityChecks,
        "NIST.800.53.R4": cdk_nag.NIST80053R4Checks,
        "PCI.DSS.321": cdk_nag.PCIDSS321Checks,
        "Serverless": cdk_nag.ServerlessChecks,
    }[name]


@jsii.implements(cdk.IPolicyValidationPlugin)
class _PackSwitch:
    """A validation plugin that runs one cdk-nag pack while ``enabled`` and reports success otherwise."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._pack = _pack_class(name)()
        self.enabled = False

    @property
    def name(self) -> str:
        return self._name

    @property
    def rule_ids(self) -> list[str] | None:
        return None

    @property
    def version(self) -> str | None:
        return None

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        if not self.enabled:
            return cdk.PolicyValidationPluginReport(success=True, violations=[])
        report: cdk.PolicyValidationPluginReport = self._pack.validate(context)
        return report


_SWITCHES: weakref.WeakKeyDictionary[Any, dict[str, _PackSwitch]] = weakref.WeakKeyDictionary()


def _switches(root: cdk.Stage, packs: list[str]) -> list[_PackSwitch]:
    known = _SWITCHES.setdefault(root, {})
    new = [_PackSwitch(name) for name in packs if name not in known]
    if new:
        cdk.Validations.of(root).add_plugins(*new)
        known.update((switch.name, switch) for switch in new)
    return [known[name] for name in packs]


def _check_packs(packs: Iterable[str]) -> list[str]:
    names = [packs] if isinstance(packs, str) else list(packs)
    allowed = f"cdk-nag packs from {', '.join(PACKS)}"
    unknown = [name for name in names if name not in PACKS]
    if unknown:
        raise ValidationError("assert_compliant", [f"packs must name {allowed}, got {unknown!r}"])
    if not names:
        raise ValidationError("assert_compliant", [f"packs must name at least one of the {allowed}, got []"])
    return list(dict.fromkeys(names))


def _in_scope(path: str, scope_path: str) -> bool:
    return not scope_path or path == scope_path or path.startswith(scope_path + "/")


def assert_compliant(target: cdk.Stage | cdk.Stack, *, packs: Iterable[str] = DEFAULT_PACKS) -> None:
    """Check ``target`` (an App, a Stage or a Stack) against cdk-nag ``packs``; raise :class:`ComplianceError`
    listing each finding (rule, construct path, description). Acknowledged findings (with a reason) do not count.

    The whole app is synthesized afresh (also when it was synthesized before); for a Stack or a nested Stage only
    findings on constructs inside it count. The packs stay registered on the app but are switched off after the
    check, so the app keeps synthesizing normally. Default: ``DEFAULT_PACKS`` (AwsSolutions, NIST 800-53 rev 5,
    HIPAA Security).

    Raises :class:`cdk_sagemaker.ValidationError` for an unknown pack name and :class:`SynthesisError` (a
    ``ValidationError``) when the app does not synthesize for another reason than these packs' findings.
    """
    names = _check_packs(packs)
    root = target.node.root
    if not isinstance(root, cdk.Stage):
        raise SynthesisError(construct_label(target), ["is not inside an App or Stage"])
    scope_path = str(target.node.path)
    switches = _switches(root, names)
    report_file = Path(root.outdir) / _REPORT
    report_file.unlink(missing_ok=True)  # a report left by an earlier failed synth is not this one's
    for switch in switches:
        switch.enabled = True
    try:
        root.synth(force=True)
        return
    except Exception as error:  # jsii raises RuntimeError("ValidationFailed: ..."); Python hooks raise their own
        failure = error
    finally:
        for switch in switches:
            switch.enabled = False
    if not report_file.exists():
        raise synthesis_error(target, failure) from failure
    findings, other = _read_report(report_file, set(names), scope_path)
    if findings:
        raise ComplianceError(findings) from None
    if other:
        raise SynthesisError(construct_label(target), ["did not synthesize: other validation plugins failed", *other])


def _read_report(path: Path, packs: set[str], scope_path: str) -> tuple[list[NagFinding], list[str]]:
    """(findings of ``packs`` inside ``scope_path``, violations of other plugins as text)."""
    report = json.loads(path.read_text())
    findings: list[NagFinding] = []
    other: list[str] = []
    for plugin in report.get("pluginReports", []):
        name = str(plugin.get("pluginName", ""))
        for violation in plugin.get("violations", []):
            for construct in violation.get("violatingConstructs", []):
                where = str(construct.get("constructPath", ""))
                if not _in_scope(where, scope_path):
                    continue
                rule = str(violation.get("ruleName", ""))
                description = str(violation.get("description", ""))
                if name in packs:
                    findings.append(NagFinding(pack=name, rule=rule, path=where, description=description))
                else:
                    other.append(f"{name}: {rule} at {where}: {description}")
    findings.sort(key=lambda f: (f.path, f.rule))
    return findings, sorted(other)
