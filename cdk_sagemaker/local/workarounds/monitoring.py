"""Workaround: Model Monitor resources, which moto's CloudFormation does not have.

moto 5.2.5 behaviour: its CloudFormation skips ``AWS::SageMaker::MonitoringSchedule`` and the four job definition
types (data quality, model quality, model bias, model explainability), so a ``Fn::GetAtt`` to one of them from a
resource moto does create (the EventBridge rules on a schedule's runs) fails the whole stack ("references undefined
resource"). moto's SageMaker API has ``Create*JobDefinition`` for all four, but no ``CreateMonitoringSchedule``.

So the engine leaves these resources out of the template moto gets (:func:`without_monitoring`), then makes the job
definitions through the SageMaker API (:data:`EMULATORS`); schedules are reported as not emulated. References to a
schedule elsewhere (the violation rules' event patterns) are replaced by a placeholder ARN, so the rules, dashboards
and alarms are still created locally; each replacement is reported. Checked by
``tests/deploy/test_moto_workarounds.py::test_moto_has_no_monitoring_schedules``.

The same holds for a dashboard that shows alarms (an alarm-status widget names their ARNs): moto creates dashboards
but skips alarms (:mod:`.skipped_types`), so the ``Fn::GetAtt`` fails the stack. Such a dashboard is left out too and
made with ``PutDashboard`` after the engine made the alarms (``test_moto_skips_alarms_a_dashboard_refers_to``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdk_sagemaker.local.resolver import references
from cdk_sagemaker.local.workarounds import skipped_types
from cdk_sagemaker.local.workarounds.base import ClientFor, Emulator, Made, Note, call, generated_name

#: Job definition type -> the SageMaker operation suffix (``create_<suffix>``, ``delete_<suffix>``).
JOB_DEFINITIONS: dict[str, str] = {
    "AWS::SageMaker::DataQualityJobDefinition": "data_quality_job_definition",
    "AWS::SageMaker::ModelQualityJobDefinition": "model_quality_job_definition",
    "AWS::SageMaker::ModelBiasJobDefinition": "model_bias_job_definition",
    "AWS::SageMaker::ModelExplainabilityJobDefinition": "model_explainability_job_definition",
}
SCHEDULE = "AWS::SageMaker::MonitoringSchedule"
DASHBOARD = "AWS::CloudWatch::Dashboard"
MONITORING_TYPES = frozenset({*JOB_DEFINITIONS, SCHEDULE})
"""Resource types moto's CloudFormation skips; the engine makes the job definitions itself."""


def placeholder_arn(logical_id: str) -> str:
    """What a reference to a schedule the local AWS does not have becomes."""
    return f"arn:aws:sagemaker:local:000000000000:monitoring-schedule/not-emulated-{logical_id.lower()}"


def _replace(value: Any, absent: frozenset[str]) -> Any:
    if isinstance(value, list):
        return [_replace(v, absent) for v in value]
    if isinstance(value, dict):
        if len(value) == 1:
            found = [name for _, name in references(value)]
            key = next(iter(value))
            if key in ("Ref", "Fn::GetAtt") and found and found[0] in absent:
                return placeholder_arn(found[0])
        return {k: _replace(v, absent) for k, v in value.items()}
    return value


def without_monitoring(template: Mapping[str, Any]) -> tuple[dict[str, Any], list[Note]]:
    """``template`` without Model Monitor resources; references to them elsewhere replaced by a placeholder."""
    resources: Mapping[str, Any] = template.get("Resources", {})
    skipped = {lid for lid, r in resources.items() if r.get("Type") in skipped_types.EMULATORS}
    dashboards = {lid for lid, r in resources.items() if r.get("Type") == DASHBOARD
                  and skipped & {name for _, name in references(r)}}
    absent = frozenset(lid for lid, r in resources.items() if r.get("Type") in MONITORING_TYPES) | dashboards
    if not absent:
        return dict(template), []
    notes: list[Note] = []
    kept: dict[str, Any] = {}
    for lid, body in resources.items():
        if lid in absent:
            continue
        refs = sorted({name for _, name in references(body) if name in absent})
        if refs:
            body = _replace(body, absent)
            notes.append((lid, str(body.get("Type")), f"refers to {', '.join(refs)} (Model Monitor), which the local "
                          "AWS does not have: created with a placeholder ARN"))
        depends = body.get("DependsOn")
        if depends is not None:
            names = [depends] if isinstance(depends, str) else list(depends)
            body = {**body, "DependsOn": [n for n in names if n not in absent]}
        kept[lid] = body
    out: dict[str, Any] = {**template, "Resources": kept}
    if "Outputs" in template:
        outputs = {}
        for name, output in template["Outputs"].items():
            if absent & {n for _, n in references(output)}:
                notes.append((f"Outputs.{name}", "Output", "refers to a Model Monitor resource, which the local AWS "
                              "does not have: left out"))
            else:
                outputs[name] = output
        out["Outputs"] = outputs
    return out, notes


def _job_definition(operation: str) -> Emulator:
    def make(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
        client = clients("sagemaker")
        request = dict(properties)
        request.pop("Tags", None)
        name = str(request.pop("JobDefinitionName", None) or generated_name(stack_name, logical_id)[:63])
        arn = str(call(client, f"create_{operation}", {"JobDefinitionName": name, **request})["JobDefinitionArn"])

        def undo() -> None:
            getattr(client, f"delete_{operation}")(JobDefinitionName=name)

        api = "sagemaker:Create" + "".join(p.capitalize() for p in operation.split("_"))
        return Made(physical_id=arn, attributes={"JobDefinitionArn": arn, "JobDefinitionName": name}, api=api,
                    undo=undo)

    return make


def _dashboard(clients: ClientFor, stack_name: str, logical_id: str, properties: Mapping[str, Any]) -> Made:
    client = clients("cloudwatch")
    name = str(properties.get("DashboardName") or generated_name(stack_name, logical_id))
    client.put_dashboard(DashboardName=name, DashboardBody=str(properties["DashboardBody"]))

    def undo() -> None:
        client.delete_dashboards(DashboardNames=[name])

    return Made(physical_id=name, attributes={}, api="cloudwatch:PutDashboard", undo=undo)


EMULATORS: dict[str, Emulator] = {**{kind: _job_definition(op) for kind, op in JOB_DEFINITIONS.items()},
                                  DASHBOARD: _dashboard}
"""The job definitions, made through moto's SageMaker API (it has no monitoring schedules), and dashboards that show
alarms, made after the alarms."""
