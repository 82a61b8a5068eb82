"""pytest plugin: fixtures that snapshot, nag, lint and locally deploy CDK stacks.

Registered on install (entry point ``cdk_sagemaker`` in the ``pytest11`` group; disable with
``-p no:cdk_sagemaker``). Loading it imports nothing heavy: aws-cdk-lib, cdk-nag, cfn-lint, syrupy and moto load
when a fixture is used. Fixtures:

- ``cdk_snapshot``: ``cdk_snapshot(stack)`` asserts the normalized template equals its syrupy JSON snapshot
  (``assert normalized_template(stack) == cdk_snapshot`` works too); ``--snapshot-update`` writes it. Needs syrupy.
- ``cdk_compliance``: ``cdk_compliance(app_or_stack, packs=None)``; packs default to the ``cdk_nag_packs`` ini option.
- ``cdk_lint``: ``cdk_lint(stack_or_template, allow=())``; ``allow`` adds to the ``cdk_lint_allow`` ini option. The
  readiness rules (``cdk_sagemaker.rules``) run too unless the ``cdk_lint_readiness`` ini option is false.
- ``local_aws``: ``local_aws(stack)`` deploys the stack to moto and returns a ``LocalAws`` (clients, report).

Each test that uses one of these fixtures gets a marker of the same name, e.g. ``-m "not local_aws"``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

from cdk_sagemaker.testing._packs import DEFAULT_PACKS

if TYPE_CHECKING:
    from cdk_sagemaker.local import LocalAws

__all__ = ["CdkSnapshot"]

_MARKERS = {
    "cdk_snapshot": "compares a normalized CDK template with its syrupy snapshot (cdk_snapshot fixture)",
    "cdk_compliance": "checks a CDK app or stack with cdk-nag packs (cdk_compliance fixture)",
    "cdk_lint": "runs cfn-lint on a CDK template (cdk_lint fixture)",
    "local_aws": "deploys a CDK stack to a local AWS (moto) (local_aws fixture)",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("cdk_nag_packs", "cdk-nag packs for cdk_compliance", type="args", default=list(DEFAULT_PACKS))
    parser.addini("cdk_lint_allow", "cfn-lint rule ids cdk_lint allows everywhere", type="args", default=[])
    parser.addini("cdk_lint_regions", "regions cdk_lint checks templates for (default: the stack's region, else "
                  "us-east-1)", type="args", default=[])
    parser.addini("cdk_lint_readiness", "cdk_lint also runs the cdk-sagemaker readiness rules", type="bool",
                  default=True)


def pytest_configure(config: pytest.Config) -> None:
    for name, text in _MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = getattr(item, "fixturenames", ())
        for name in _MARKERS:
            if name in used:
                item.add_marker(name)


class CdkSnapshot:
    """A syrupy JSON snapshot of a normalized template: call it with a stack, or compare a template with ``==``."""

    __hash__ = None  # type: ignore[assignment]  # compared with ==, never hashed

    def __init__(self, assertion: Any) -> None:
        self._assertion = assertion
        self._last: Any = assertion

    def __call__(self, stack_or_template: Any, *, name: str | None = None) -> None:
        """Assert that the normalized template of ``stack_or_template`` equals the snapshot (``name``: a suffix
        that tells several snapshots of one test apart; Default: numbered in call order)."""
        __tracebackhide__ = True
        if not self._matches(stack_or_template, name=name):
            raise AssertionError("\n".join(self.diff()))

    def __eq__(self, other: object) -> bool:
        return self._matches(other, name=None)

    def _matches(self, other: Any, *, name: str | None) -> bool:
        from cdk_sagemaker.testing._template import normalized_template

        self._last = self._assertion(name=name) if name else self._assertion
        return bool(self._last == normalized_template(other))

    def diff(self) -> list[str]:
        """Lines that explain the last failed comparison (syrupy's diff, snapshot vs template)."""
        return ["template does not match its snapshot (run pytest with --snapshot-update to accept it):",
                *self._last.get_assert_diff()]

    def __repr__(self) -> str:
        return f"CdkSnapshot({self._last!r})"


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    if op == "==":
        for side in (left, right):
            if isinstance(side, CdkSnapshot):
                return side.diff()
    return None


@pytest.fixture
def cdk_snapshot(request: pytest.FixtureRequest) -> CdkSnapshot:
    """A syrupy JSON snapshot of a normalized CDK template (see :func:`cdk_sagemaker.testing.normalized_template`).

    ``cdk_snapshot(stack)`` asserts equality; ``pytest --snapshot-update`` writes new snapshots. Needs syrupy.
    """
    try:
        from syrupy.extensions.json import JSONSnapshotExtension
    except ImportError:
        pytest.fail("the cdk_snapshot fixture needs syrupy: pip install 'cdk-sagemaker[test]'", pytrace=False)
    try:
        snapshot = request.getfixturevalue("snapshot")
    except pytest.FixtureLookupError:
        pytest.fail("the cdk_snapshot fixture needs syrupy's pytest plugin, which is disabled (-p no:syrupy?)",
                    pytrace=False)
    return CdkSnapshot(snapshot.use_extension(JSONSnapshotExtension))


@pytest.fixture
def cdk_compliance(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``cdk_compliance(app_or_stack, packs=None)``: :func:`cdk_sagemaker.testing.assert_compliant`.

    Default packs: the ``cdk_nag_packs`` ini option (Default: AwsSolutions, NIST.800.53.R5, HIPAA.Security).
    """
    default_packs = list(request.config.getini("cdk_nag_packs"))

    def check(target: Any, packs: Iterable[str] | None = None) -> None:
        __tracebackhide__ = True
        from cdk_sagemaker.testing._nag import assert_compliant

        assert_compliant(target, packs=default_packs if packs is None else packs)

    return check


@pytest.fixture
def cdk_lint(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``cdk_lint(stack_or_template, allow=())``: :func:`cdk_sagemaker.testing.assert_lint_clean`.

    ``allow`` adds rule ids to the ``cdk_lint_allow`` ini option; regions come from ``cdk_lint_regions``
    (Default: the stack's own region when it has one, else us-east-1). The readiness rules run too (Default:
    ``cdk_lint_readiness = true``; set it false, or pass ``readiness=False``, for cfn-lint's own rules only).
    """
    base_allow = list(request.config.getini("cdk_lint_allow"))
    regions = list(request.config.getini("cdk_lint_regions"))
    default_readiness = bool(request.config.getini("cdk_lint_readiness"))

    def check(target: Any | Mapping[str, Any], allow: Iterable[str] = (), informational: bool = False,
              readiness: bool | None = None) -> None:
        __tracebackhide__ = True
        from cdk_sagemaker.testing._lint import assert_lint_clean

        assert_lint_clean(target, allow=[*base_allow, *allow], regions=regions or None, informational=informational,
                          readiness=default_readiness if readiness is None else readiness)

    return check


@pytest.fixture
def local_aws() -> Iterator[Callable[..., LocalAws]]:
    """``local_aws(stack, server=False)``: deploy ``stack`` to a local AWS (moto) and return its ``LocalAws``
    (``.client(...)``, ``.report``); stopped after the test. Later calls in the same test deploy into the same
    local AWS. Default: moto in this process; ``server=True`` runs moto's server on 127.0.0.1. Needs
    ``moto[server,cloudformation]``.
    """
    with contextlib.ExitStack() as stack_of_contexts:
        started: list[tuple[LocalAws, bool]] = []

        def deploy(stack: Any = None, *, server: bool = False) -> LocalAws:
            from cdk_sagemaker.local import local_aws as start

            if not started:
                aws = stack_of_contexts.enter_context(start(stack, server=server, progress=None))
                started.append((aws, server))
                return aws
            aws, running_server = started[0]
            if server != running_server:
                raise ValueError(f"local_aws already runs with server={running_server}, got server={server!r}")
            if stack is not None:
                aws.deploy(stack)
            return aws

        yield deploy
