"""moto in-process mode (mock_aws). Kept apart: leaving mock_aws resets moto's state for the whole process,
including a ThreadedMotoServer's."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_apps import build_endpoint_stack, build_kinds_stack

from cdk_sagemaker.local import StackDeployError, deploy_app, local_aws

pytestmark = [pytest.mark.deploy, pytest.mark.filterwarnings("ignore:Tried to parse")]


def test_variant_kinds_serverless_and_async(tmp_path: Path) -> None:
    stack = build_kinds_stack(str(tmp_path))
    with local_aws(stack, server=False) as aws:  # in-process moto
        assert aws.endpoint_url is None and aws.report is not None
        kinds = {
            e.logical_id: [(v.kind, v.memory_size_mb, v.instance_type) for v in e.variants]
            for e in aws.report.endpoints
        }
    assert kinds == {"Serverless": [("serverless", 2048, None)], "Async": [("async", None, "ml.m5.xlarge")]}


def test_deploy_app_in_process_reports_endpoints(tmp_path: Path) -> None:
    build_kinds_stack(str(tmp_path), name="InProcess").node.root.synth()
    report = deploy_app(assembly_dir=str(tmp_path), out=None)
    assert report.ok and report.endpoint_url is None
    assert sorted(e.status for e in report.endpoints) == ["InService", "InService"]
    assert "InProcess  CREATE_COMPLETE" in report.format()


def test_in_process_crash_names_the_resource(tmp_path: Path) -> None:
    """moto in-process raises its own exception (no HTTP 500): diagnose.py still names the resource."""
    stack = build_endpoint_stack(str(tmp_path), name="BrokenInProcess", broken="missing")
    message = (r"stack BrokenInProcess: resource Endpoint \(AWS::SageMaker::Endpoint\) failed to create: "
               r"missing or unresolvable 'EndpointConfigName'$")
    with pytest.raises(StackDeployError, match=message), local_aws(stack, server=False):
        pass


def test_local_aws_clients_share_one_botocore_loader_whose_search_path_does_not_grow() -> None:
    """Every local AWS reads service models through one loader (made once per process); each boto3 session adds
    boto3's data directory to it, which must not accumulate."""
    from cdk_sagemaker.local.server import Clients, _shared_loader

    first = Clients(None)
    before = list(_shared_loader().search_paths)
    for _ in range(5):
        Clients(None)
    after = _shared_loader().search_paths
    assert after == before and len(set(after)) == len(after)
    assert first.session._session.get_component("data_loader") is _shared_loader()
