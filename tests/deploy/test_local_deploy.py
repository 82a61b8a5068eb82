"""Deploy small CDK apps to moto and check the result through describe calls."""

from __future__ import annotations

import argparse
import io
import json
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_apps import build_endpoint_stack

from cdk_sagemaker.local import (
    LocalAws,
    ServerError,
    StackDeployError,
    StackNotFoundError,
    SynthError,
    deploy_app,
    local_aws,
)
from cdk_sagemaker.local.cli import register
from cdk_sagemaker.local.server import MotoServer

pytestmark = [pytest.mark.deploy, pytest.mark.filterwarnings("ignore:Tried to parse")]


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAws]:
    """One moto server for the module, with the endpoint stack deployed (instance count 1)."""
    stack = build_endpoint_stack(str(tmp_path_factory.mktemp("v1")))
    with local_aws(stack, progress=sys.stderr) as local:
        yield local


def _outputs(aws: LocalAws) -> dict[str, str]:
    assert aws.report is not None
    return aws.report.stack("LocalDemo").outputs


def test_endpoint_in_service_with_its_variant(aws: LocalAws) -> None:
    assert aws.report is not None and aws.report.ok
    sagemaker = aws.client("sagemaker")
    name = _outputs(aws)["EndpointName"]
    endpoint = sagemaker.describe_endpoint(EndpointName=name)
    assert endpoint["EndpointStatus"] == "InService"
    config = sagemaker.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    (variant,) = config["ProductionVariants"]
    assert (variant["VariantName"], variant["InstanceType"], variant["InitialInstanceCount"]) == (
        "AllTraffic",
        "ml.m5.large",
        1,
    )
    (reported,) = aws.report.endpoints
    assert (reported.name, reported.status) == (name, "InService")
    assert [(v.name, v.kind, v.instance_type, v.instance_count) for v in reported.variants] == [
        ("AllTraffic", "instance", "ml.m5.large", 1)
    ]


def test_file_asset_uploaded_to_bootstrap_bucket(aws: LocalAws) -> None:
    url = _outputs(aws)["ArtifactUrl"]  # s3://cdk-hnb659fds-assets-123456789012-us-east-1/<hash>.zip
    bucket, key = url.removeprefix("s3://").split("/", 1)
    assert bucket == "cdk-hnb659fds-assets-123456789012-us-east-1"
    body = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert body.startswith(b"PK")  # the asset directory was zipped


def test_autoscaling_and_alarm_created_through_the_api(aws: LocalAws) -> None:
    assert aws.report is not None
    stack = aws.report.stack("LocalDemo")
    emulated = {item.type: item for item in stack.emulated}
    assert set(emulated) == {
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::CloudWatch::Alarm",
    }
    resource_id = f"endpoint/{_outputs(aws)['EndpointName']}/variant/AllTraffic"
    scaling = aws.client("application-autoscaling")
    (target,) = scaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert (target["ResourceId"], target["MinCapacity"], target["MaxCapacity"]) == (resource_id, 1, 4)
    assert target["RoleARN"].startswith("arn:aws:iam::123456789012:role/")
    (policy,) = scaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
    tracking = policy["TargetTrackingScalingPolicyConfiguration"]
    assert (policy["ResourceId"], policy["PolicyType"], tracking["TargetValue"]) == (
        resource_id,
        "TargetTrackingScaling",
        600.0,
    )
    assert tracking["PredefinedMetricSpecification"]["PredefinedMetricType"] == "SageMakerVariantInvocationsPerInstance"
    (alarm,) = aws.client("cloudwatch").describe_alarms()["MetricAlarms"]
    assert alarm["AlarmName"] == emulated["AWS::CloudWatch::Alarm"].physical_id
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {
        "EndpointName": _outputs(aws)["EndpointName"],
        "VariantName": "AllTraffic",
    }
    assert (alarm["Threshold"], alarm["EvaluationPeriods"]) == (1_000_000.0, 2)


def test_dropped_properties_are_listed_not_hidden(aws: LocalAws) -> None:
    assert aws.report is not None
    gaps = {gap.logical_id for gap in aws.report.stack("LocalDemo").unemulated}
    assert gaps == {"Endpoint.DeploymentConfig"}
    assert "NOT emulated Endpoint.DeploymentConfig" in aws.report.format()


def test_update_instance_count_then_delete_keeps_retained_bucket(aws: LocalAws, tmp_path: Path) -> None:
    name = _outputs(aws)["EndpointName"]
    bucket = _outputs(aws)["BucketName"]
    aws.client("s3").put_object(Bucket=bucket, Key="keep/me.txt", Body=b"data")

    report = aws.deploy(build_endpoint_stack(str(tmp_path), instance_count=3))

    stack = report.stack("LocalDemo")
    assert stack.status == "UPDATE_COMPLETE"
    # moto replaces the endpoint config but leaves the endpoint on the old, deleted config (it has no
    # UpdateEndpoint); the engine re-creates the endpoint on the new config under the same name and says so.
    assert any(item.logical_id == "Endpoint" and "CreateEndpoint" in item.api for item in stack.emulated)
    endpoint = aws.client("sagemaker").describe_endpoint(EndpointName=name)
    assert endpoint["EndpointStatus"] == "InService"
    assert endpoint["EndpointConfigName"] == stack.physical_id("Config").split("/")[-1]
    assert endpoint["ProductionVariants"][0]["DesiredInstanceCount"] == 3
    assert report.endpoints[0].variants[0].instance_count == 3
    assert (
        len(
            aws.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")[
                "ScalableTargets"
            ]
        )
        == 1
    )

    aws.destroy("LocalDemo")

    s3 = aws.client("s3")
    assert s3.get_object(Bucket=bucket, Key="keep/me.txt")["Body"].read() == b"data"
    assert aws.client("sagemaker").list_endpoints()["Endpoints"] == []
    assert (
        aws.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
        == []
    )
    assert aws.client("cloudwatch").describe_alarms()["MetricAlarms"] == []


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("assembly")
    build_endpoint_stack(str(outdir), name="Broken", broken="ref").node.root.synth()
    return outdir


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            "ref",
            r"stack BrokenRef: template error: resource Endpoint \(AWS::SageMaker::Endpoint\): "
            r"Ref to undefined 'NoSuchConfig'",
        ),
        (
            "missing",
            r"stack BrokenMissing: resource Endpoint \(AWS::SageMaker::Endpoint\) failed to create: "
            r"missing or unresolvable 'EndpointConfigName'",
        ),
    ],
)
def test_broken_template_names_resource_and_reason(aws: LocalAws, tmp_path: Path, broken: str, message: str) -> None:
    stack = build_endpoint_stack(str(tmp_path), name=f"Broken{broken.title()}", broken=broken)
    with pytest.raises(StackDeployError, match=message) as raised:
        aws.deploy(stack)
    assert "\n" not in str(raised.value)


def test_unknown_stack_lists_known_ones(assembly: Path) -> None:
    with pytest.raises(StackNotFoundError, match=r"no stack named 'Nope' in the assembly; known stacks: Broken$"):
        deploy_app(assembly_dir=str(assembly), stacks=["Nope"], out=None)


def test_port_in_use(assembly: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServerError, match=rf"cannot start moto on 127.0.0.1:{port}: port in use"):
            MotoServer(port).start()
        code, _out, err = _cli(["local", "deploy", "--assembly", str(assembly), "--port", str(port)])
    # the last stderr line is the one-line error (a library warning may precede it when tests run in parallel)
    assert code == 1 and err.strip().splitlines()[-1] == f"error: cannot start moto on 127.0.0.1:{port}: port in use"


def test_app_that_does_not_synthesize_shows_its_stderr() -> None:
    app = f"{sys.executable} -c \"import sys; sys.stderr.write('first\\nKeyError: boom\\n'); sys.exit(3)\""
    with pytest.raises(SynthError, match=r"failed to synthesize \(exit 3\): first \| KeyError: boom$"):
        deploy_app(app=app, out=None)


def _cli(argv: list[str], stop: threading.Event | None = None) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="cdk-sagemaker")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = args.func(args) if stop is None else args.func(args, stop=stop)
    finally:
        sys.stdout, sys.stderr = saved
    return code, out.getvalue(), err.getvalue()


def test_cli_synthesizes_app_deploys_and_keeps_running(tmp_path: Path) -> None:
    app = tmp_path / "app.py"
    app.write_text(
        "import sys\n"
        f"sys.path[:0] = [{str(Path(__file__).parent)!r}]\n"
        "from local_apps import build_kinds_stack\n"
        "import os\n"
        "build_kinds_stack(os.environ['CDK_OUTDIR']).node.root.synth()\n"
    )
    stop = threading.Event()
    stop.set()  # return from --keep-running at once
    code, out, err = _cli(["local", "deploy", "--app", f"{sys.executable} {app}", "--keep-running"], stop=stop)
    assert code == 0, err
    assert "LocalKinds  CREATE_COMPLETE" in out
    assert "Serverless" not in out or "AllTraffic:serverless(2048 MB x5)" in out
    assert "export AWS_ENDPOINT_URL=http://127.0.0.1:" in out
    assert "export AWS_ACCESS_KEY_ID=testing" in out
    assert "[local] LocalKinds: deploying" in err


def test_cli_unknown_stack_is_one_line_error(assembly: Path) -> None:
    code, out, err = _cli(["local", "deploy", "--assembly", str(assembly), "--stack", "Nope"])
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == ["error: no stack named 'Nope' in the assembly; known stacks: Broken"]


def test_assembly_manifest_is_read(assembly: Path) -> None:
    manifest = json.loads((assembly / "manifest.json").read_text())
    assert manifest["artifacts"]["Broken"]["type"] == "aws:cloudformation:stack"
