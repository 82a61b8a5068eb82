"""The example app: every stack in STACKS by default, a subset with -c stacks=..., env-agnostic by default."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from cdk_sagemaker import ValidationError
from cdk_sagemaker.app import build_app, selected_stacks
from cdk_sagemaker.stacks import STACKS


def test_all_stacks_by_default() -> None:
    app = build_app(cdk.App())
    assert sorted(s.node.id for s in app.node.children if isinstance(s, cdk.Stack)) == sorted(STACKS)


def test_subset_and_env_from_context() -> None:
    first = next(iter(STACKS))
    app = build_app(cdk.App(context={"stacks": first, "account": "111122223333", "region": "eu-west-1"}))
    stacks = [s for s in app.node.children if isinstance(s, cdk.Stack)]
    assert [s.node.id for s in stacks] == [first]
    assert (stacks[0].account, stacks[0].region) == ("111122223333", "eu-west-1")


def test_env_agnostic_by_default() -> None:
    stack = next(s for s in build_app(cdk.App()).node.children if isinstance(s, cdk.Stack))
    assert cdk.Token.is_unresolved(stack.region) and cdk.Token.is_unresolved(stack.account)


def test_unknown_stack_lists_the_known_ones() -> None:
    with pytest.raises(ValidationError, match=r"stacks must name stacks from STACKS \(.*CdkSagemakerRealtimeBasic.*\), "
                                              r"got \['Nope'\]"):
        selected_stacks("Nope")


def test_app_py_rejects_an_unknown_stack_in_one_line(tmp_path) -> None:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({"stacks": "Nope"}), "CDK_OUTDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, str(root / "app.py")], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0
    assert done.stderr.strip().startswith("error: app: stacks must name stacks from STACKS (CdkSagemakerRealtimeBasic")
    assert "Traceback" not in done.stderr
