"""Name the resource moto's CloudFormation crashed on, by creating the template again resource by resource.

moto 5.2.5 behaviour: when its CloudFormation raises something that is not an AWS error while it creates a resource
(``KeyError`` for a missing required property, ...), it answers HTTP 500 (server mode) or lets the exception out
(in-process), records no event for the resource and leaves the stack ``CREATE_IN_PROGRESS``: nothing in its API
says which resource it was. So :class:`CrashLocator` creates the template again, in throwaway accounts of the same
moto (state there cannot clash with, or leak into, the user's account), with only the first ``n`` resources in
dependency order, bisecting on ``n``: the shortest prefix that crashes ends with the resource that crashes.
Checked by ``tests/deploy/test_moto_workarounds.py::test_moto_crash_names_no_resource``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from cdk_sagemaker.local.ordering import dependency_order
from cdk_sagemaker.local.server import Clients, last_server_exception

_SCRATCH_ACCOUNTS = itertools.count(990000000001)
_CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


def is_crash(error: BaseException) -> bool:
    """True for what moto raises when it crashes, as opposed to an AWS error it answers on purpose."""
    if isinstance(error, ClientError):
        return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400)) >= 500
    return isinstance(error, Exception)


class CrashLocator:
    """Finds the resource of a template that makes moto's CloudFormation crash (see the module docstring)."""

    def __init__(self, clients: Clients, region: str) -> None:
        self._clients = clients
        self._region = region

    def locate(self, template: Mapping[str, Any], parameters: Mapping[str, str]) -> str | None:
        """The logical id of the resource moto crashes on, or None when the whole template does not crash alone
        (the crash came from the stack, its outputs or the state of the account)."""
        resources: Mapping[str, Any] = template.get("Resources", {})
        order = dependency_order(resources, resources)
        template = {**template, "Parameters": self._plain_parameters(template.get("Parameters", {}))}
        try:
            if not order or not self._crashes(template, order, parameters):
                return None
            low, high = 1, len(order)  # the first `high` resources crash
            while low < high:
                middle = (low + high) // 2
                if self._crashes(template, order[:middle], parameters):
                    high = middle
                else:
                    low = middle + 1
            return order[high - 1]
        finally:
            last_server_exception()  # the probes' server errors are not the user's

    def _crashes(self, template: Mapping[str, Any], logical_ids: list[str], parameters: Mapping[str, str]) -> bool:
        resources = template.get("Resources", {})
        body = {key: value for key, value in template.items() if key not in ("Resources", "Outputs")}
        body["Resources"] = {lid: resources[lid] for lid in logical_ids}
        try:
            self._scratch_cloudformation().create_stack(
                StackName="cdk-sagemaker-probe", TemplateBody=json.dumps(body), Capabilities=_CAPABILITIES,
                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
        except Exception as error:
            return is_crash(error)
        return False

    def _plain_parameters(self, declared: Mapping[str, Any]) -> dict[str, Any]:
        """``declared`` with SSM-typed parameters (the CDK's ``BootstrapVersion``) made plain strings defaulting to
        their value in the user's account: a scratch account has no SSM parameters."""
        plain: dict[str, Any] = {}
        for name, declaration in declared.items():
            kind = str(declaration.get("Type", ""))
            if kind.startswith("AWS::SSM::Parameter::Value<") and "Default" in declaration:
                try:
                    found = self._clients.client("ssm", self._region).get_parameter(Name=declaration["Default"])
                    value = str(found["Parameter"]["Value"])
                except ClientError:
                    value = ""
                declaration = {"Type": "String", "Default": value}
            plain[name] = declaration
        return plain

    def _scratch_cloudformation(self) -> Any:
        """A CloudFormation client of a fresh account of the same moto (moto keeps one state per account)."""
        account = next(_SCRATCH_ACCOUNTS)
        credentials = self._clients.client("sts").assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/cdk-sagemaker-probe", RoleSessionName="cdk-sagemaker-probe",
        )["Credentials"]
        session = boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                                aws_secret_access_key=credentials["SecretAccessKey"],
                                aws_session_token=credentials["SessionToken"], region_name=self._region)
        return session.client("cloudformation", endpoint_url=self._clients.endpoint_url,
                              config=Config(retries={"total_max_attempts": 1}))
