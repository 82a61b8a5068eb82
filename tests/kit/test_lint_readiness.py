"""lint / assert_lint_clean / cdk_lint run the readiness rules by default; ``readiness=False`` turns them off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import plugin_args

from cdk_sagemaker.testing import LintError, assert_lint_clean, lint, lint_rule_ids

FIXTURES = Path(__file__).resolve().parents[1] / "rules" / "fixtures"
BAD = json.loads((FIXTURES / "E9303" / "bad.json").read_text())
GOOD = json.loads((FIXTURES / "E9303" / "good.json").read_text())


def test_lint_includes_readiness_rules_by_default() -> None:
    assert [f.rule for f in lint(BAD)] == ["E9303"]
    assert lint(GOOD) == []
    with pytest.raises(LintError, match=r"E9303 Resources/Model/Properties/PrimaryContainer/Environment/"):
        assert_lint_clean(BAD)


def test_readiness_false_runs_cfn_lint_rules_only() -> None:
    assert lint(BAD, readiness=False) == []
    assert_lint_clean(BAD, readiness=False)


def test_allow_takes_readiness_rule_ids() -> None:
    assert "E9303" in lint_rule_ids()
    assert lint(BAD, allow=["E9303"]) == []


def test_cdk_lint_fixture_runs_readiness_rules_unless_ini_turns_them_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=f"""
        import json
        BAD = json.loads({json.dumps(json.dumps(BAD))})

        def test_bad(cdk_lint):
            cdk_lint(BAD)

        def test_bad_without_readiness(cdk_lint):
            cdk_lint(BAD, readiness=False)
    """)
    result = pytester.runpytest_inprocess(*plugin_args(), "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines(["*E9303*SAGEMAKER_PROGRAM*"])
    pytester.makeini("[pytest]\ncdk_lint_readiness = false\n")
    pytester.runpytest_inprocess(*plugin_args(), "-q", "-p", "no:cacheprovider").assert_outcomes(passed=2)
