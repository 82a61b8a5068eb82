"""The monitored example deploys locally: dashboard, alarms and job definitions are created; monitoring schedules
(which moto lacks) and the rules that refer to them are reported, not silently dropped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import aws_cdk as cdk
import pytest

from cdk_sagemaker.local import LocalAws, local_aws
from cdk_sagemaker.local.workarounds.monitoring import placeholder_arn, without_monitoring
from cdk_sagemaker.stacks.monitored import MonitoredStack

pytestmark = pytest.mark.deploy
NAME = "CdkSagemakerMonitored"


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAws]:
    outdir: Path = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    MonitoredStack(app, NAME)
    app.synth()
    with local_aws(assembly_dir=outdir, progress=None) as deployed:
        yield deployed


def test_dashboard_alarms_and_job_definitions_are_created(aws: LocalAws) -> None:
    assert aws.report is not None
    report = aws.report.stack(NAME)
    assert report.ok, report.error
    cloudwatch = aws.client("cloudwatch")
    (entry,) = cloudwatch.list_dashboards()["DashboardEntries"]
    alarms = cloudwatch.describe_alarms()["MetricAlarms"]
    assert len(alarms) == 6 and all(a["AlarmActions"] for a in alarms)
    body = json.loads(cloudwatch.get_dashboard(DashboardName=entry["DashboardName"])["DashboardBody"])
    (status,) = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert sorted(status["properties"]["alarms"]) == sorted(a["AlarmArn"] for a in alarms)
    sagemaker = aws.client("sagemaker")
    assert len(sagemaker.list_data_quality_job_definitions()["JobDefinitionSummaries"]) == 1
    assert len(sagemaker.list_model_quality_job_definitions()["JobDefinitionSummaries"]) == 1
    emulated = {e.type for e in report.emulated}
    assert {"AWS::SageMaker::DataQualityJobDefinition", "AWS::SageMaker::ModelQualityJobDefinition",
            "AWS::CloudWatch::Dashboard"} <= emulated


def test_schedules_and_their_rules_are_reported(aws: LocalAws) -> None:
    assert aws.report is not None
    report = aws.report.stack(NAME)
    unemulated = {u.logical_id: (u.type, u.reason) for u in report.unemulated}
    schedules = [lid for lid, (kind, _) in unemulated.items() if kind == "AWS::SageMaker::MonitoringSchedule"]
    assert len(schedules) == 2
    rules = [lid for lid, (kind, reason) in unemulated.items()
             if kind == "AWS::Events::Rule" and "placeholder ARN" in reason]
    assert len(rules) == 4
    events = aws.client("events")
    listed = {r["Name"] for r in events.list_rules()["Rules"]}
    assert len(listed) >= 4


def test_without_monitoring_replaces_references_and_drops_outputs() -> None:
    template = {"Resources": {
        "Schedule": {"Type": "AWS::SageMaker::MonitoringSchedule", "Properties": {}},
        "Rule": {"Type": "AWS::Events::Rule", "DependsOn": ["Schedule"], "Properties": {"EventPattern": {
            "detail": {"MonitoringScheduleArn": [{"Fn::GetAtt": ["Schedule", "MonitoringScheduleArn"]}]}}}}},
        "Outputs": {"Arn": {"Value": {"Ref": "Schedule"}}}}
    body, notes = without_monitoring(template)
    assert set(body["Resources"]) == {"Rule"}
    rule = body["Resources"]["Rule"]
    assert rule["DependsOn"] == []
    assert rule["Properties"]["EventPattern"]["detail"]["MonitoringScheduleArn"] == [placeholder_arn("Schedule")]
    assert body["Outputs"] == {}
    assert [n[0] for n in notes] == ["Rule", "Outputs.Arn"]
