"""The complete user test file in docs/testing-in-ci.md runs under pytest with the plugin, and can fail."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, plugin_args

DOC = ROOT / "docs" / "testing-in-ci.md"


def _example() -> str:
    text = DOC.read_text()
    section = text.split("## A complete test file", 1)[1]
    match = re.search(r"^```python\n(.*?)^```", section, re.S | re.M)
    assert match is not None, "docs/testing-in-ci.md lost its complete test file"
    return match.group(1)


def test_doc_example_is_short_and_complete() -> None:
    code = [line for line in _example().splitlines() if line.strip()]
    assert len(code) < 20
    assert {"cdk_snapshot", "cdk_compliance", "cdk_lint"} <= set(re.findall(r"\bcdk_\w+", _example()))


def test_doc_example_runs_with_pytest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_my_stack=_example())
    args = [*plugin_args(), "-p", "no:cacheprovider", "-q"]
    written = pytester.runpytest(*args, "--snapshot-update")
    written.assert_outcomes(passed=3)
    snapshot = pytester.path / "__snapshots__" / "test_my_stack" / "test_template_matches_snapshot.json"
    assert '"AWS::S3::Bucket"' in snapshot.read_text()
    pytester.runpytest(*args).assert_outcomes(passed=3)

    pytester.makepyfile(test_my_stack=_example().replace("enforce_ssl=True", "enforce_ssl=False"))
    failed = pytester.runpytest(*args)
    failed.assert_outcomes(failed=2, passed=1)  # the template is still valid CloudFormation: cfn-lint passes
    failed.stdout.fnmatch_lines(["*template does not match its snapshot*"])
    failed.stdout.fnmatch_lines(["*AwsSolutions-S10 at MyStack/Data/Resource*"])
