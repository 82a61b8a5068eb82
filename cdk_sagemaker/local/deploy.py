"""Deploy the stacks of a CDK cloud assembly to a local AWS (moto): the steps in order.

For each stack, in dependency order: check references (:mod:`.workarounds.undefined_references`), publish assets
(:mod:`.assets`), rewrite the template for moto (:func:`.workarounds.for_moto`), register the model packages its
models run that the local AWS lacks (:mod:`.workarounds.model_packages`), create or update the stack and wait
(:mod:`.waiting`), name the resource if moto crashed (:mod:`.diagnose`), fill moto's gaps (:mod:`.gaps`), and read
the endpoints back (:mod:`.endpoints`). Destroying is :mod:`.destroy`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from botocore.exceptions import ClientError

from cdk_sagemaker.local.assembly import StackArtifact, read_assembly, select_stacks
from cdk_sagemaker.local.assets import AssetPublisher
from cdk_sagemaker.local.destroy import destroy_stack
from cdk_sagemaker.local.diagnose import CrashLocator, is_crash
from cdk_sagemaker.local.endpoints import read_endpoints
from cdk_sagemaker.local.errors import LocalDeployError, StackDeployError
from cdk_sagemaker.local.gaps import Emulations, stack_resolver
from cdk_sagemaker.local.report import DeployReport, DestroyReport, Resource, StackReport, Unemulated
from cdk_sagemaker.local.server import Clients, last_server_exception
from cdk_sagemaker.local.waiting import failure_reason, stack_status, wait_until_done
from cdk_sagemaker.local.workarounds import for_moto
from cdk_sagemaker.local.workarounds.base import ClientFor
from cdk_sagemaker.local.workarounds.model_packages import register_missing_packages
from cdk_sagemaker.local.workarounds.undefined_references import undefined_references

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


class Deployer:
    """Deploys stacks of cloud assemblies to the local AWS behind ``clients``; remembers what it emulated."""

    def __init__(self, clients: Clients, *, progress: TextIO | None = sys.stderr) -> None:
        self.clients = clients
        self._progress = progress
        self._assets = AssetPublisher(clients)
        self._emulations = Emulations()

    def deploy(self, assembly_dir: str | Path, stacks: Sequence[str] | None = None) -> DeployReport:
        """Deploy the selected stacks (default: all) of the assembly in dependency order.

        Raises :class:`StackDeployError` (with the partial report) at the first stack that fails.
        """
        selected = select_stacks(read_assembly(assembly_dir), list(stacks) if stacks else None)
        report = DeployReport(endpoint_url=self.clients.endpoint_url)
        for artifact in selected:
            try:
                stack_report = self.deploy_stack(artifact)
            except LocalDeployError as error:
                error.report = report
                raise
            report.stacks.append(stack_report)
            sagemaker = self.clients.client("sagemaker", stack_report.region)
            report.endpoints.extend(read_endpoints(sagemaker, stack_report, artifact.template))
        return report

    def deploy_stack(self, artifact: StackArtifact) -> StackReport:
        """Create (or update) one stack, publish its assets first, emulate what moto skipped."""
        started = time.monotonic()
        name = artifact.stack_name
        region = artifact.region or self.clients.region
        client_for = self._client_for(region)
        report = StackReport(name=name, region=region)
        self._say(f"{name}: deploying to {region}", started)
        problems = undefined_references(artifact.template)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise StackDeployError(f"stack {name}: template error: {problems[0]}{more}")
        report.images_not_built = self._assets.publish(artifact, region)
        for image in report.images_not_built:
            self._say(f"{name}: warning: Docker image asset not built (no Docker here): {image}", started)
        moto_template, notes = for_moto(artifact.template)
        account = self._assets.account_id()
        made, missing = register_missing_packages(
            artifact.template, client_for, account=account, region=region,
            pseudo={"AWS::AccountId": account, "AWS::Region": region, "AWS::Partition": "aws",
                    "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": name})
        report.emulated.extend(made)
        report.unemulated.extend(missing)
        for item in made:
            self._say(f"{name}: registered {item.physical_id}, which the local AWS lacked ({item.logical_id})",
                      started)
        report.status = self._create_or_update(artifact, region, moto_template, started)
        report.unemulated.extend(Unemulated(logical_id=lid, type=type_, reason=reason) for lid, type_, reason in notes)
        report.resources = _resources(client_for("cloudformation"), name)
        description = client_for("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
        report.outputs = {item["OutputKey"]: item.get("OutputValue", "") for item in description.get("Outputs", [])}
        pseudo = {"AWS::AccountId": self._assets.account_id(), "AWS::Region": region, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": name,
                  "AWS::StackId": description.get("StackId", ""), "AWS::NotificationARNs": []}
        parameters = {p["ParameterKey"]: p.get("ParameterValue", "") for p in description.get("Parameters", [])}
        resolver = stack_resolver(artifact.template, deployed=report.resources, made=self._emulations.of(name),
                                  client_for=client_for, pseudo=pseudo, parameters=parameters)
        self._emulations.fill(artifact.template, report, resolver, client_for)
        report.elapsed_s = time.monotonic() - started
        self._say(f"{name}: {report.status}, {len(report.resources)} resources, {len(report.emulated)} emulated, "
                  f"{len(report.unemulated)} not emulated", started)
        return report

    def destroy_stack(self, stack_name: str, region: str | None = None) -> DestroyReport:
        """Delete a deployed stack and what the engine made for it; see :func:`cdk_sagemaker.local.destroy`."""
        started = time.monotonic()
        client_for = self._client_for(region or self.clients.region)
        self._say(f"{stack_name}: deleting", started)
        return destroy_stack(stack_name, client_for=client_for, emulations=self._emulations,
                             resources=_resources(client_for("cloudformation"), stack_name),
                             say=lambda message: self._say(message, started))

    def _create_or_update(self, artifact: StackArtifact, region: str, template: dict[str, Any],
                          started: float) -> str:
        name = artifact.stack_name
        cfn = self.clients.client("cloudformation", region)
        arguments: dict[str, Any] = {
            "StackName": name, "TemplateBody": json.dumps(template), "Capabilities": CAPABILITIES,
            "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in artifact.parameters.items()],
        }
        exists = stack_status(cfn, name) not in (None, "DELETE_COMPLETE")
        action = "update" if exists else "create"
        last_server_exception()  # forget older server errors
        try:
            (cfn.update_stack if exists else cfn.create_stack)(**arguments)
        except Exception as error:
            if not is_crash(error) and isinstance(error, ClientError):
                message = error.response["Error"].get("Message", str(error))
                if exists and "No updates are to be performed" in message:
                    return str(stack_status(cfn, name))
                raise StackDeployError(f"stack {name}: {action} rejected: {message}") from None
            cause = last_server_exception() or error  # server mode: the exception behind the HTTP 500
            culprit = CrashLocator(self.clients, region).locate(template, artifact.parameters)
            raise StackDeployError(_crash_message(name, action, cause, culprit, template)) from None
        status = wait_until_done(cfn, name, note=lambda status: self._say(f"{name}: {status}", started))
        if status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            raise StackDeployError(f"stack {name}: {status}: {failure_reason(cfn, name)}")
        return status

    def _client_for(self, region: str) -> ClientFor:
        def client_for(service: str) -> Any:
            return self.clients.client(service, region)

        return client_for

    def _say(self, message: str, started: float) -> None:
        if self._progress is not None:
            print(f"[local] {message} ({time.monotonic() - started:.1f}s)", file=self._progress, flush=True)


def _resources(cfn: Any, stack_name: str) -> list[Resource]:
    listed = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    return [Resource(logical_id=item["LogicalResourceId"], type=item["ResourceType"],
                     physical_id=item["PhysicalResourceId"])
            for item in listed
            if item.get("LogicalResourceId") and item.get("PhysicalResourceId")]  # moto lists skipped ones blank


def _crash_message(stack_name: str, action: str, cause: BaseException, culprit: str | None,
                   template: dict[str, Any]) -> str:
    reason = f"missing or unresolvable {cause}" if isinstance(cause, KeyError) else f"{type(cause).__name__}: {cause}"
    if culprit is None:
        return f"stack {stack_name}: moto failed to {action} the stack: {reason}"
    resource_type = template.get("Resources", {}).get(culprit, {}).get("Type", "?")
    return f"stack {stack_name}: resource {culprit} ({resource_type}) failed to {action}: {reason}"
