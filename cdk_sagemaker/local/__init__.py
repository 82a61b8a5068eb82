"""Deploy synthesized CDK apps offline to a local AWS (moto), for demos and for users' own tests.

Needs the ``local`` extra (``pip install 'cdk-sagemaker[local]'``, which brings ``moto[server,cloudformation]``); moto
is imported only when a local AWS starts, and without it that raises :class:`ServerError` naming the extra. This
package does not import ``aws_cdk``; pass it a ``Stack`` object and it only calls ``stack.node.root.synth()``.

>>> with local_aws(stack) as aws:                                  # doctest: +SKIP
...     aws.client("sagemaker").describe_endpoint(EndpointName=aws.report.stacks[0].outputs["EndpointName"])
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from cdk_sagemaker.local.assembly import read_assembly, select_stacks
from cdk_sagemaker.local.deploy import Deployer
from cdk_sagemaker.local.errors import (
    LocalDeployError,
    ServerError,
    StackDeployError,
    StackDestroyError,
    StackNotFoundError,
    SynthError,
)
from cdk_sagemaker.local.report import (
    DeployReport,
    DestroyReport,
    Emulated,
    EndpointReport,
    Leftover,
    Resource,
    StackReport,
    Unemulated,
    Variant,
)
from cdk_sagemaker.local.server import DEFAULT_REGION, FAKE_CREDENTIALS, Clients, MotoServer, in_process_moto
from cdk_sagemaker.local.synth import synth_command, synth_stack

__all__ = [
    "DeployReport",
    "DestroyReport",
    "Emulated",
    "EndpointReport",
    "Leftover",
    "LocalAws",
    "LocalDeployError",
    "MotoServer",
    "Resource",
    "ServerError",
    "StackDeployError",
    "StackDestroyError",
    "StackNotFoundError",
    "StackReport",
    "SynthError",
    "Unemulated",
    "Variant",
    "deploy_app",
    "local_aws",
]


def deploy_app(
    *,
    app: str | None = None,
    assembly_dir: str | Path | None = None,
    stacks: Sequence[str] | None = None,
    endpoint_url: str | None = None,
    out: TextIO | None = sys.stderr,
    cwd: str | Path | None = None,
) -> DeployReport:
    """Deploy a CDK app (``app``: a command such as ``"python3 app.py"``, run in ``cwd``) or an existing cloud
    assembly (``assembly_dir``) to a local AWS.

    ``stacks``: names or ``*`` patterns (default: every stack; dependencies come along). ``endpoint_url``: a running
    moto server to deploy to (resources stay there); None deploys to a moto in this process that lives for this call
    only (a check that the app deploys; note that moto's in-process and server modes share one state per process,
    and leaving in-process mode resets it). ``out``: progress lines (None: quiet).
    Raises :class:`LocalDeployError` (one-line message) on bad input or a failed stack.
    """
    if (app is None) == (assembly_dir is None):
        raise LocalDeployError("give exactly one of app (a command) or assembly_dir (a cloud assembly)")
    with tempfile.TemporaryDirectory(prefix="cdk-sagemaker-synth-") as scratch:
        directory = Path(assembly_dir) if assembly_dir is not None else synth_command(str(app), scratch, cwd=cwd)
        select_stacks(read_assembly(directory), list(stacks) if stacks else None)  # bad input fails before moto
        if endpoint_url is not None:
            return Deployer(Clients(endpoint_url), progress=out).deploy(directory, stacks)
        with in_process_moto():
            return Deployer(Clients(None), progress=out).deploy(directory, stacks)


class LocalAws:
    """A running local AWS: clients bound to it, the last deploy report, deploy/destroy helpers."""

    def __init__(
        self, endpoint_url: str | None, *, region: str = DEFAULT_REGION, progress: TextIO | None = None
    ) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self._clients = Clients(endpoint_url, region=region, retries=True)
        self._deployer = Deployer(Clients(endpoint_url, region=region), progress=progress)
        self.report: DeployReport | None = None

    @property
    def session(self) -> Any:
        """A ``boto3.Session`` with fake credentials (clients from it need ``endpoint_url=self.endpoint_url``)."""
        return self._clients.session

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client for ``service`` bound to this local AWS."""
        return self._clients.client(service, region)

    def environment(self) -> dict[str, str]:
        """Environment variables that point AWS SDKs and CLIs at this local AWS."""
        env = {
            "AWS_ACCESS_KEY_ID": FAKE_CREDENTIALS["aws_access_key_id"],
            "AWS_SECRET_ACCESS_KEY": FAKE_CREDENTIALS["aws_secret_access_key"],
            "AWS_SESSION_TOKEN": FAKE_CREDENTIALS["aws_session_token"],
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }
        if self.endpoint_url is not None:
            env["AWS_ENDPOINT_URL"] = self.endpoint_url
        return env

    def deploy(
        self, target: Any = None, *, assembly_dir: str | Path | None = None, stacks: Sequence[str] | None = None
    ) -> DeployReport:
        """Deploy (create or update) an ``aws_cdk.Stack`` (``target``) or stacks of an assembly directory."""
        if target is not None:
            directory, name = synth_stack(target)
            self.report = self._deployer.deploy(directory, [name])
        elif assembly_dir is not None:
            self.report = self._deployer.deploy(assembly_dir, stacks)
        else:
            raise LocalDeployError("give a Stack or an assembly_dir to deploy")
        return self.report

    def destroy(self, stack_name: str) -> DestroyReport:
        """Delete a deployed stack (and the resources the engine emulated for it), then check that everything its
        template does not retain is gone. Raises :class:`StackDestroyError` naming each resource left behind."""
        return self._deployer.destroy_stack(stack_name)


@contextlib.contextmanager
def local_aws(
    stack: Any = None,
    *,
    assembly_dir: str | Path | None = None,
    stacks: Sequence[str] | None = None,
    server: bool = True,
    port: int | None = None,
    region: str = DEFAULT_REGION,
    progress: TextIO | None = None,
) -> Iterator[LocalAws]:
    """A local AWS for a test: moto's server on 127.0.0.1 (``server=False``: moto in-process), stopped on exit.

    With ``stack`` (an ``aws_cdk.Stack``) or ``assembly_dir`` it is deployed first; ``.report`` holds the result.
    """
    if server:
        with MotoServer(port) as moto:
            aws = LocalAws(moto.endpoint_url, region=region, progress=progress)
            _initial_deploy(aws, stack, assembly_dir, stacks)
            yield aws
    else:
        with in_process_moto():
            aws = LocalAws(None, region=region, progress=progress)
            _initial_deploy(aws, stack, assembly_dir, stacks)
            yield aws


def _initial_deploy(aws: LocalAws, stack: Any, assembly_dir: str | Path | None, stacks: Sequence[str] | None) -> None:
    if stack is not None or assembly_dir is not None:
        aws.deploy(stack, assembly_dir=assembly_dir, stacks=stacks)
