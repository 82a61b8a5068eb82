"""A CI kit for CDK apps: normalized template snapshots, cdk-nag compliance, cfn-lint, local deploys to moto.

It works for any CDK app, not only stacks built from cdk-sagemaker constructs. Names are resolved lazily:
``import cdk_sagemaker.testing`` imports neither aws-cdk-lib, cdk-nag, cfn-lint nor moto; each loads when its helper
is first used. The pytest plugin (``cdk_sagemaker.testing.plugin``, registered on install) wraps these helpers as
fixtures: ``cdk_snapshot``, ``cdk_compliance``, ``cdk_lint`` and ``local_aws``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cdk_sagemaker.testing._packs import DEFAULT_PACKS, PACKS

_EXPORTS: dict[str, str] = {
    "ComplianceError": "cdk_sagemaker.testing.errors",
    "LintError": "cdk_sagemaker.testing.errors",
    "SynthesisError": "cdk_sagemaker.testing.errors",
    "NagFinding": "cdk_sagemaker.testing.errors",
    "LintFinding": "cdk_sagemaker.testing.errors",
    "normalized_template": "cdk_sagemaker.testing._template",
    "assert_compliant": "cdk_sagemaker.testing._nag",
    "lint": "cdk_sagemaker.testing._lint",
    "assert_lint_clean": "cdk_sagemaker.testing._lint",
    "lint_rule_ids": "cdk_sagemaker.testing._lint",
    "acknowledgements": "cdk_sagemaker.testing._acks",
    "Acknowledgement": "cdk_sagemaker.testing._acks",
    "local_aws": "cdk_sagemaker.local",
    "LocalAws": "cdk_sagemaker.local",
}

__all__ = ["DEFAULT_PACKS", "PACKS", *sorted(_EXPORTS)]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from cdk_sagemaker.local import LocalAws as LocalAws
    from cdk_sagemaker.local import local_aws as local_aws
    from cdk_sagemaker.testing._acks import Acknowledgement as Acknowledgement
    from cdk_sagemaker.testing._acks import acknowledgements as acknowledgements
    from cdk_sagemaker.testing._lint import assert_lint_clean as assert_lint_clean
    from cdk_sagemaker.testing._lint import lint as lint
    from cdk_sagemaker.testing._lint import lint_rule_ids as lint_rule_ids
    from cdk_sagemaker.testing._nag import assert_compliant as assert_compliant
    from cdk_sagemaker.testing._template import normalized_template as normalized_template
    from cdk_sagemaker.testing.errors import ComplianceError as ComplianceError
    from cdk_sagemaker.testing.errors import LintError as LintError
    from cdk_sagemaker.testing.errors import LintFinding as LintFinding
    from cdk_sagemaker.testing.errors import NagFinding as NagFinding
    from cdk_sagemaker.testing.errors import SynthesisError as SynthesisError


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'cdk_sagemaker.testing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
