"""Deploy a CDK cloud assembly to a local AWS (moto) through its CloudFormation API, then fill moto's gaps."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError

from cdk_sagemaker.local.assembly import FileAsset, StackArtifact, read_assembly, select_stacks
from cdk_sagemaker.local.emulate import (
    EMULATORS,
    IGNORED_TYPES,
    MOTO_HONOURED_PROPERTIES,
    Made,
    deployed_attribute,
    for_moto,
)
from cdk_sagemaker.local.errors import LocalDeployError, StackDeployError, StackDestroyError
from cdk_sagemaker.local.report import (
    DeployReport,
    Emulated,
    EndpointReport,
    Resource,
    StackReport,
    Unemulated,
    Variant,
)
from cdk_sagemaker.local.resolver import Resolver, UnresolvableError, references, undefined_references
from cdk_sagemaker.local.server import Clients, last_server_exception
from cdk_sagemaker.local.teardown import DestroyReport, retained_ids, sweep

BOOTSTRAP_VERSION = "30"
DEFAULT_BOOTSTRAP_PARAMETER = "/cdk-bootstrap/hnb659fds/version"
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
STACK_TIMEOUT_S = 300.0
_MOTO_RESOURCE_FRAMES = ("parse_and_create_resource", "parse_and_update_resource", "parse_and_delete_resource")


class Deployer:
    """Deploys stacks of cloud assemblies to the local AWS behind ``clients``; remembers what it emulated."""

    def __init__(self, clients: Clients, *, progress: TextIO | None = sys.stderr) -> None:
        self.clients = clients
        self._progress = progress
        self._made: dict[str, dict[str, tuple[str, Made]]] = {}
        self._bootstrapped: set[tuple[str, str]] = set()
        self._account: str | None = None

    # --- public ---------------------------------------------------------------------------------------------
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
            report.endpoints.extend(self.endpoints(stack_report, artifact.template))
        return report

    def deploy_stack(self, artifact: StackArtifact) -> StackReport:
        """Create (or update) one stack, publish its assets first, emulate what moto skipped."""
        started = time.monotonic()
        region = artifact.region or self.clients.region
        report = StackReport(name=artifact.stack_name, region=region)
        self._say(f"{artifact.stack_name}: deploying to {region}", started)
        problems = undefined_references(artifact.template)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise StackDeployError(f"stack {artifact.stack_name}: template error: {problems[0]}{more}")
        self._bootstrap(region, artifact.bootstrap_parameter)
        for asset in artifact.files:
            self._publish(asset, region)
        report.images_not_built = [
            f"{image.display_name} ({self._substitute(image.repository, region)}:{image.tag})"
            for image in artifact.images
        ]
        for image in report.images_not_built:
            self._say(
                f"{artifact.stack_name}: warning: Docker image asset not built (no Docker here): {image}", started
            )
        moto_template, narrowed = for_moto(artifact.template)
        report.status = self._create_or_update(artifact, region, started, moto_template)
        report.unemulated.extend(Unemulated(logical_id=lid, type=type_, reason=reason)
                                 for lid, type_, reason in narrowed)
        report.resources = self._resources(artifact.stack_name, region)
        description = self._cfn(region).describe_stacks(StackName=artifact.stack_name)["Stacks"][0]
        report.outputs = {item["OutputKey"]: item.get("OutputValue", "") for item in description.get("Outputs", [])}
        resolver = self._resolver(artifact, region, report, description)
        self._fill_gaps(artifact, region, report, resolver)
        report.elapsed_s = time.monotonic() - started
        self._say(
            f"{artifact.stack_name}: {report.status}, {len(report.resources)} resources, "
            f"{len(report.emulated)} emulated, {len(report.unemulated)} not emulated",
            started,
        )
        return report

    def destroy_stack(self, stack_name: str, region: str | None = None) -> DestroyReport:
        """Undo the emulated resources of a stack, delete the stack, then check that every resource the template does
        not retain is gone, deleting through service APIs what moto's CloudFormation left (see
        :mod:`cdk_sagemaker.local.teardown`).

        Returns the :class:`DestroyReport`; raises :class:`StackDestroyError` (carrying it) naming each resource that
        is still there, with the reason."""
        region = region or self.clients.region
        started = time.monotonic()
        self._say(f"{stack_name}: deleting", started)
        cfn = self._cfn(region)
        recorded = self._resources(stack_name, region)  # moto forgets the stack, also when its delete fails
        try:
            template = cfn.get_template(StackName=stack_name)["TemplateBody"]
            template = json.loads(template) if isinstance(template, str) else dict(template)
        except (ClientError, ValueError):
            template = {}
        kept = retained_ids(template)
        report = DestroyReport(name=stack_name, region=region,
                               retained=[r for r in recorded if r.logical_id in kept], cleaned=[], left=[])
        for _logical_id, (_type, made) in reversed(list(self._made.pop(stack_name, {}).items())):
            with contextlib.suppress(ClientError, BotoCoreError):  # already gone
                made.undo()
        self._detach_managed_policies(stack_name, region)
        try:
            cfn.delete_stack(StackName=stack_name)
            self._wait_deleted(cfn, stack_name)
        except ClientError as error:
            report.cloudformation_error = error.response["Error"].get("Message", str(error))
            self._say(f"{stack_name}: moto's CloudFormation delete failed ({report.cloudformation_error}); "
                      "deleting the rest through service APIs", started)
        except StackDeployError as error:
            report.cloudformation_error = str(error)
        cleaned, left = sweep(self._client_for(region), [r for r in recorded if r.logical_id not in kept],
                              cloudformation_failed=report.cloudformation_error is not None)
        report.cleaned, report.left = cleaned, left
        for resource in cleaned:
            self._say(f"{stack_name}: deleted {resource.logical_id} ({resource.type}), which moto's CloudFormation "
                      "left behind", started)
        for resource in report.retained or []:
            self._say(f"{stack_name}: kept {resource.logical_id} ({resource.type}) {resource.physical_id} "
                      "(DeletionPolicy)", started)
        if left:
            detail = "; ".join(f"{r.logical_id} ({r.type}) {r.physical_id}: {r.reason}" for r in left)
            raise StackDestroyError(f"stack {stack_name}: destroy left {len(left)} resource(s): {detail}",
                                    destroy_report=report)
        self._say(f"{stack_name}: deleted", started)
        return report

    @staticmethod
    def _wait_deleted(cfn: Any, stack_name: str) -> None:
        deadline = time.monotonic() + STACK_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                status = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"]
            except ClientError:
                return  # moto forgets deleted stacks
            if status == "DELETE_COMPLETE":
                return
            if not status.endswith("IN_PROGRESS"):
                raise StackDeployError(f"stack {stack_name}: delete ended in {status}")
            time.sleep(0.2)
        raise StackDeployError(f"stack {stack_name}: delete did not finish in {STACK_TIMEOUT_S:.0f} s")

    def _detach_managed_policies(self, stack_name: str, region: str) -> None:
        """moto's CloudFormation deletes a role before detaching the stack's managed policies from it and then fails
        with ``DeleteConflict``; real CloudFormation orders this itself. Detach them first."""
        cfn = self._cfn(region)
        iam = self.clients.client("iam", region)
        resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
        for resource in resources:
            if resource.get("ResourceType") != "AWS::IAM::ManagedPolicy":
                continue
            arn = resource.get("PhysicalResourceId", "")
            with contextlib.suppress(ClientError, BotoCoreError):
                entities = iam.list_entities_for_policy(PolicyArn=arn)
                for role in entities.get("PolicyRoles", []):
                    iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=arn)
                for user in entities.get("PolicyUsers", []):
                    iam.detach_user_policy(UserName=user["UserName"], PolicyArn=arn)
                for group in entities.get("PolicyGroups", []):
                    iam.detach_group_policy(GroupName=group["GroupName"], PolicyArn=arn)

    def endpoints(self, report: StackReport, template: Mapping[str, Any]) -> list[EndpointReport]:
        """One entry per SageMaker endpoint of a deployed stack, read back from the SageMaker API."""
        sagemaker = self.clients.client("sagemaker", report.region)
        found: list[EndpointReport] = []
        # Instance types as the template has them (moto holds a stand-in for a type it does not list).
        wanted: dict[tuple[str, str], str] = {}
        for resource in report.resources:
            if resource.type == "AWS::SageMaker::EndpointConfig":
                props = template.get("Resources", {}).get(resource.logical_id, {}).get("Properties", {})
                for variant in props.get("ProductionVariants", []) if isinstance(props, dict) else []:
                    if isinstance(variant, dict) and isinstance(variant.get("InstanceType"), str):
                        key = (resource.physical_id.split("/")[-1], str(variant.get("VariantName")))
                        wanted[key] = variant["InstanceType"]
        for resource in report.resources:
            if resource.type != "AWS::SageMaker::Endpoint":
                continue
            endpoint = sagemaker.describe_endpoint(EndpointName=resource.physical_id.split("/")[-1])
            config = sagemaker.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
            is_async = bool(config.get("AsyncInferenceConfig"))
            live = {variant["VariantName"]: variant for variant in endpoint.get("ProductionVariants", [])}
            variants: list[Variant] = []
            for variant in config.get("ProductionVariants", []):
                name = variant["VariantName"]
                serverless = variant.get("ServerlessConfig")
                if serverless:
                    variants.append(
                        Variant(
                            name=name,
                            kind="serverless",
                            memory_size_mb=serverless.get("MemorySizeInMB"),
                            max_concurrency=serverless.get("MaxConcurrency"),
                        )
                    )
                    continue
                count = live.get(name, {}).get("DesiredInstanceCount", variant.get("InitialInstanceCount"))
                local_type = variant.get("InstanceType")
                template_type = wanted.get((endpoint["EndpointConfigName"], name), local_type)
                variants.append(
                    Variant(
                        name=name,
                        kind="async" if is_async else "instance",
                        instance_type=template_type,
                        instance_count=None if count is None else int(count),
                        local_instance_type=local_type if local_type != template_type else None,
                    )
                )
            found.append(
                EndpointReport(
                    stack=report.name,
                    logical_id=resource.logical_id,
                    name=endpoint["EndpointName"],
                    status=endpoint["EndpointStatus"],
                    config_name=endpoint["EndpointConfigName"],
                    variants=tuple(variants),
                )
            )
        return found

    # --- steps ------------------------------------------------------------------------------------------------
    def _say(self, message: str, started: float) -> None:
        if self._progress is not None:
            print(f"[local] {message} ({time.monotonic() - started:.1f}s)", file=self._progress, flush=True)

    def _cfn(self, region: str) -> Any:
        return self.clients.client("cloudformation", region)

    def _account_id(self) -> str:
        if self._account is None:
            self._account = str(self.clients.client("sts").get_caller_identity()["Account"])
        return self._account

    def _substitute(self, text: str, region: str) -> str:
        return (
            text.replace("${AWS::AccountId}", self._account_id())
            .replace("${AWS::Region}", region)
            .replace("${AWS::Partition}", "aws")
        )

    def _bootstrap(self, region: str, parameter: str | None) -> None:
        name = parameter or DEFAULT_BOOTSTRAP_PARAMETER
        if (region, name) in self._bootstrapped:
            return
        ssm = self.clients.client("ssm", region)
        ssm.put_parameter(Name=name, Value=BOOTSTRAP_VERSION, Type="String", Overwrite=True)
        self._bootstrapped.add((region, name))

    def _publish(self, asset: FileAsset, region: str) -> None:
        bucket = self._substitute(asset.bucket, region)
        key = self._substitute(asset.key, region)
        s3 = self.clients.client("s3", region)
        if (region, bucket) not in self._bootstrapped:
            try:
                if region == "us-east-1":
                    s3.create_bucket(Bucket=bucket)
                else:
                    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
            except ClientError as error:
                if error.response["Error"]["Code"] not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
            self._bootstrapped.add((region, bucket))
        if not asset.path.exists():
            raise LocalDeployError(f"asset {asset.display_name}: {asset.path} does not exist in the assembly")
        s3.put_object(Bucket=bucket, Key=key, Body=_package(asset))

    def _create_or_update(self, artifact: StackArtifact, region: str, started: float,
                          template: Mapping[str, Any]) -> str:
        cfn = self._cfn(region)
        arguments: dict[str, Any] = {
            "StackName": artifact.stack_name,
            "TemplateBody": json.dumps(template),
            "Capabilities": CAPABILITIES,
            "Parameters": [{"ParameterKey": k, "ParameterValue": v} for k, v in artifact.parameters.items()],
        }
        exists = self._stack_status(cfn, artifact.stack_name) not in (None, "DELETE_COMPLETE")
        action = "update" if exists else "create"
        last_server_exception()  # forget older server errors
        try:
            if exists:
                cfn.update_stack(**arguments)
            else:
                cfn.create_stack(**arguments)
        except ClientError as error:
            message = error.response["Error"].get("Message", str(error))
            if exists and "No updates are to be performed" in message:
                return str(self._stack_status(cfn, artifact.stack_name))
            raise StackDeployError(f"stack {artifact.stack_name}: {action} rejected: {message}") from None
        except Exception as error:  # HTTP 500 from moto's server, or moto's own exception in-process
            raise StackDeployError(self._crash_message(artifact, action, error)) from None
        deadline = time.monotonic() + STACK_TIMEOUT_S
        next_note = time.monotonic() + 5.0
        while True:
            status = str(self._stack_status(cfn, artifact.stack_name))
            if not status.endswith("IN_PROGRESS"):
                break
            if time.monotonic() > deadline:
                raise StackDeployError(f"stack {artifact.stack_name}: still {status} after {STACK_TIMEOUT_S:.0f} s")
            if time.monotonic() > next_note:
                self._say(f"{artifact.stack_name}: {status}", started)
                next_note += 5.0
            time.sleep(0.2)
        if status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
            raise StackDeployError(f"stack {artifact.stack_name}: {status}: {self._failure_reason(cfn, artifact)}")
        return status

    @staticmethod
    def _stack_status(cfn: Any, name: str) -> str | None:
        try:
            return str(cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"])
        except ClientError:
            return None

    @staticmethod
    def _failure_reason(cfn: Any, artifact: StackArtifact) -> str:
        events = cfn.describe_stack_events(StackName=artifact.stack_name)["StackEvents"]
        for event in reversed(events):  # oldest first: the first failure is the cause
            if event.get("ResourceStatus", "").endswith("FAILED") and event.get("LogicalResourceId") != (
                artifact.stack_name
            ):
                return (
                    f"resource {event.get('LogicalResourceId')} ({event.get('ResourceType')}) "
                    f"{event['ResourceStatus']}: {event.get('ResourceStatusReason', 'no reason given')}"
                )
        return "no failed resource in the stack events"

    @staticmethod
    def _crash_message(artifact: StackArtifact, action: str, error: BaseException) -> str:
        cause = last_server_exception() or error  # server mode: the exception behind the HTTP 500
        logical_id = _failing_logical_id(cause)
        reason = f"{type(cause).__name__}: {cause}"
        if isinstance(cause, KeyError):
            reason = f"missing or unresolvable {cause}"
        if logical_id is None:
            return f"stack {artifact.stack_name}: moto failed to {action} the stack: {reason}"
        resource_type = artifact.template.get("Resources", {}).get(logical_id, {}).get("Type", "?")
        return f"stack {artifact.stack_name}: resource {logical_id} ({resource_type}) failed to {action}: {reason}"

    def _resources(self, stack_name: str, region: str) -> list[Resource]:
        listed = self._cfn(region).describe_stack_resources(StackName=stack_name)["StackResources"]
        return [
            Resource(
                logical_id=item["LogicalResourceId"], type=item["ResourceType"], physical_id=item["PhysicalResourceId"]
            )
            for item in listed
            if item.get("LogicalResourceId") and item.get("PhysicalResourceId")  # moto lists skipped ones blank
        ]

    def _resolver(
        self, artifact: StackArtifact, region: str, report: StackReport, description: Mapping[str, Any]
    ) -> Resolver:
        deployed = {resource.logical_id: resource for resource in report.resources}
        made = self._made.setdefault(artifact.stack_name, {})
        client_for = self._client_for(region)

        def ref(logical_id: str) -> Any:
            if logical_id in made:
                return made[logical_id][1].physical_id
            if logical_id in deployed:
                return deployed[logical_id].physical_id
            raise UnresolvableError(f"Ref to {logical_id!r}, which was not created")

        def get_att(logical_id: str, attribute: str) -> Any:
            if logical_id in made:
                attributes = made[logical_id][1].attributes
                if attribute in attributes:
                    return attributes[attribute]
                raise UnresolvableError(f"Fn::GetAtt {logical_id}.{attribute}: unknown attribute")
            if logical_id in deployed:
                resource = deployed[logical_id]
                return deployed_attribute(client_for, resource.type, resource.physical_id, attribute)
            raise UnresolvableError(f"Fn::GetAtt {logical_id}.{attribute}: {logical_id} was not created")

        def import_value(name: str) -> Any:
            paginator = self._cfn(region).get_paginator("list_exports")
            for page in paginator.paginate():
                for export in page.get("Exports", []):
                    if export["Name"] == name:
                        return export["Value"]
            raise UnresolvableError(f"Fn::ImportValue: no export named {name!r}")

        pseudo = {
            "AWS::AccountId": self._account_id(),
            "AWS::Region": region,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": artifact.stack_name,
            "AWS::StackId": description.get("StackId", ""),
            "AWS::NotificationARNs": [],
        }
        parameters = {
            item["ParameterKey"]: item.get("ParameterValue", "") for item in description.get("Parameters", [])
        }
        return Resolver(
            artifact.template,
            parameters=parameters,
            pseudo=pseudo,
            ref=ref,
            get_att=get_att,
            import_value=import_value,
        )

    def _client_for(self, region: str) -> Any:
        def client_for(service: str) -> Any:
            return self.clients.client(service, region)

        return client_for

    def _fill_gaps(self, artifact: StackArtifact, region: str, report: StackReport, resolver: Resolver) -> None:
        resources: Mapping[str, Any] = artifact.template.get("Resources", {})
        deployed = {resource.logical_id for resource in report.resources}
        made = self._made.setdefault(artifact.stack_name, {})
        skipped: list[str] = []
        for logical_id, body in resources.items():
            resource_type = str(body.get("Type", ""))
            if resource_type in IGNORED_TYPES or not _enabled(resolver, logical_id):
                continue
            if logical_id in deployed:
                for name in sorted(
                    set(body.get("Properties", {})) - MOTO_HONOURED_PROPERTIES.get(resource_type, set())
                ):
                    if resource_type in MOTO_HONOURED_PROPERTIES:
                        report.unemulated.append(
                            Unemulated(
                                logical_id=f"{logical_id}.{name}",
                                type=resource_type,
                                reason="property ignored by moto's CloudFormation",
                            )
                        )
            else:
                skipped.append(logical_id)
        for logical_id in list(made):  # removed from the template by an update
            if logical_id not in resources:
                made.pop(logical_id)[1].undo()
        client_for = self._client_for(region)
        for logical_id in _dependency_order(skipped, resources):
            resource_type = str(resources[logical_id]["Type"])
            emulator = EMULATORS.get(resource_type)
            if emulator is None:
                report.unemulated.append(
                    Unemulated(
                        logical_id=logical_id, type=resource_type, reason="not supported by moto's CloudFormation"
                    )
                )
                continue
            try:
                properties = resolver.resolve(resources[logical_id].get("Properties", {}))
                result = emulator(client_for, artifact.stack_name, logical_id, properties)
            except (UnresolvableError, ClientError, BotoCoreError, KeyError, ValueError) as error:
                report.unemulated.append(
                    Unemulated(logical_id=logical_id, type=resource_type, reason=f"API emulation failed: {error}")
                )
                continue
            made[logical_id] = (resource_type, result)
            report.emulated.append(
                Emulated(logical_id=logical_id, type=resource_type, physical_id=result.physical_id, api=result.api)
            )
        self._repoint_endpoints(artifact, region, report, resolver)

    def _repoint_endpoints(self, artifact: StackArtifact, region: str, report: StackReport, resolver: Resolver) -> None:
        """moto keeps an updated endpoint on its old (deleted) config and has no UpdateEndpoint: recreate it."""
        sagemaker = self.clients.client("sagemaker", region)
        resources: Mapping[str, Any] = artifact.template.get("Resources", {})
        for resource in report.resources:
            if resource.type != "AWS::SageMaker::Endpoint":
                continue
            try:
                wanted = str(resolver.resolve(resources[resource.logical_id]["Properties"]["EndpointConfigName"]))
            except (UnresolvableError, KeyError):
                continue
            name = resource.physical_id.split("/")[-1]
            endpoint = sagemaker.describe_endpoint(EndpointName=name)
            if endpoint["EndpointConfigName"] == wanted:
                continue
            tags = sagemaker.list_tags(ResourceArn=endpoint["EndpointArn"]).get("Tags", [])
            sagemaker.delete_endpoint(EndpointName=name)
            sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=wanted, **({"Tags": tags} if tags else {}))
            report.emulated.append(
                Emulated(
                    logical_id=resource.logical_id,
                    type=resource.type,
                    physical_id=resource.physical_id,
                    api="sagemaker:DeleteEndpoint+CreateEndpoint (update to the new endpoint config)",
                )
            )


def _enabled(resolver: Resolver, logical_id: str) -> bool:
    try:
        return resolver.resource_enabled(logical_id)
    except UnresolvableError:
        return True


def _dependency_order(logical_ids: list[str], resources: Mapping[str, Any]) -> list[str]:
    """``logical_ids`` ordered so that each comes after the others it refers to or depends on."""
    wanted = set(logical_ids)
    ordered: list[str] = []

    def visit(logical_id: str, path: tuple[str, ...]) -> None:
        if logical_id in ordered or logical_id in path:
            return
        body = resources[logical_id]
        depends = body.get("DependsOn", [])
        needed = {name for _, name in references(body)} | set([depends] if isinstance(depends, str) else depends)
        for name in sorted(needed & wanted):
            visit(name, (*path, logical_id))
        ordered.append(logical_id)

    for logical_id in logical_ids:
        visit(logical_id, ())
    return ordered


def _failing_logical_id(error: BaseException) -> str | None:
    """The logical id of the resource moto was working on when it raised ``error`` (innermost one)."""
    found: str | None = None
    traceback = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code.co_name in _MOTO_RESOURCE_FRAMES and isinstance(frame.f_locals.get("logical_id"), str):
            found = frame.f_locals["logical_id"]
        traceback = traceback.tb_next
    return found


def _package(asset: FileAsset) -> bytes:
    """The bytes to upload: the file itself, or a directory zipped (sorted, fixed timestamps) as the CDK does."""
    if asset.path.is_file():
        return asset.path.read_bytes()
    if asset.packaging != "zip":
        raise LocalDeployError(
            f"asset {asset.display_name}: {asset.path} is a directory but packaging is {asset.packaging!r}"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(asset.path.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(path.relative_to(asset.path).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def deploy_assembly(
    assembly_dir: str | Path,
    *,
    clients: Clients,
    stacks: Sequence[str] | None = None,
    progress: TextIO | None = sys.stderr,
) -> DeployReport:
    """Deploy the assembly in ``assembly_dir`` to the local AWS behind ``clients``."""
    return Deployer(clients, progress=progress).deploy(assembly_dir, stacks)
