"""The pytest plugin: cheap to load, clear without syrupy, registered by the package's entry point, fixtures."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import PLUGIN, ROOT, plugin_args

PLAIN_TEST = """
def test_lint(cdk_lint):
    cdk_lint({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})

def test_snapshot(cdk_snapshot):
    cdk_snapshot({"Resources": {}})
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)


def test_loading_the_plugin_and_the_kit_imports_nothing_heavy() -> None:
    done = _python(
        f"import sys, {PLUGIN}, cdk_sagemaker.testing as t\n"
        "heavy = {'aws_cdk', 'cdk_nag', 'cfnlint', 'syrupy', 'moto', 'jsii'} & {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(heavy)); print(t.local_aws.__module__)"
    )
    assert done.stdout.splitlines() == ["[]", "cdk_sagemaker.local"], done.stderr


def test_without_syrupy_the_plugin_loads_and_cdk_snapshot_says_why(
    pytester: pytest.Pytester, kit_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeconftest("import sys\nsys.modules['syrupy'] = None  # as if syrupy were not installed\n")
    pytester.makepyfile(test_user=PLAIN_TEST)
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    result = pytester.runpytest_subprocess("-p", PLUGIN, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*the cdk_snapshot fixture needs syrupy: pip install 'cdk-sagemaker[[]test[]]'*"])


def test_installing_the_package_registers_the_plugin(
    pytester: pytest.Pytester, kit_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pyproject entry point, as pip writes it into the installed metadata, makes pytest load the plugin."""
    entry_points = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]["pytest11"]
    assert entry_points == {"cdk_sagemaker": PLUGIN}
    site = pytester.mkdir("site")
    dist_info = Path(site) / "cdk_sagemaker_probe-0.0.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: cdk-sagemaker-probe\nVersion: 0.0.0\n")
    lines = [f"{name} = {target}" for name, target in entry_points.items()]
    (dist_info / "entry_points.txt").write_text("[pytest11]\n" + "\n".join(lines) + "\n")
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}:{site}")
    pytester.makepyfile(test_user=PLAIN_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--snapshot-update")
    result.assert_outcomes(passed=2)


def test_snapshot_equality_form_shows_the_diff_and_names_tell_snapshots_apart(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user="""
from cdk_sagemaker.testing import normalized_template

def test_two(cdk_snapshot):
    template = {"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "one"}}}}
    assert normalized_template(template) == cdk_snapshot
    cdk_snapshot({"Resources": {}}, name="empty")
""")
    args = [*plugin_args(), "-p", "no:cacheprovider"]
    pytester.runpytest(*args, "--snapshot-update").assert_outcomes(passed=1)
    stored = sorted(p.name for p in (pytester.path / "__snapshots__" / "test_user").iterdir())
    assert stored == ["test_two.json", "test_two[empty].json"]
    source = (pytester.path / "test_user.py").read_text()
    (pytester.path / "test_user.py").write_text(source.replace('"one"', '"two"'))
    result = pytester.runpytest(*args)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*template does not match its snapshot*"])


def test_fixtures_mark_their_tests_and_ini_options_set_defaults(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncdk_lint_allow = W3005\n")
    pytester.makepyfile(test_user="""
BAD = {"Resources": {"A": {"Type": "AWS::SNS::Topic"},
                     "B": {"Type": "AWS::SNS::Topic", "DependsOn": "A", "Properties": {"TopicName": {"Ref": "A"}}}}}

def test_lint_allowed_by_ini(cdk_lint):
    cdk_lint(BAD)

def test_deploys(local_aws):
    pass

def test_nothing():
    pass
""")
    args = [*plugin_args(), "-p", "no:cacheprovider"]
    pytester.runpytest(*args, "-m", "cdk_lint").assert_outcomes(passed=1, deselected=2)
    pytester.runpytest(*args, "-m", "local_aws").assert_outcomes(passed=1, deselected=2)


@pytest.mark.deploy
def test_local_aws_fixture_deploys_a_plain_stack(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user="""
import aws_cdk as cdk
from aws_cdk import aws_sns as sns

def test_topic_exists(local_aws):
    stack = cdk.Stack(cdk.App(), "Topics")
    topic = sns.Topic(stack, "Topic")
    cdk.CfnOutput(stack, "TopicArn", value=topic.topic_arn)
    aws = local_aws(stack)
    arn = aws.report.stacks[0].outputs["TopicArn"]
    assert [t["TopicArn"] for t in aws.client("sns").list_topics()["Topics"]] == [arn]
""")
    pytester.runpytest(*plugin_args(), "-p", "no:cacheprovider").assert_outcomes(passed=1)
