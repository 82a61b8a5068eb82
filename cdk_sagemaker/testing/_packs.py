"""cdk-nag pack names (plain data, so the pytest plugin can read them without importing aws-cdk-lib)."""

from __future__ import annotations

__all__ = ["DEFAULT_PACKS", "PACKS"]

#: cdk-nag 3 packs by the names this kit accepts (each is the pack's ``name``, the prefix of its rule ids).
PACKS: tuple[str, ...] = (
    "AwsSolutions",
    "NIST.800.53.R5",
    "HIPAA.Security",
    "NIST.800.53.R4",
    "PCI.DSS.321",
    "Serverless",
)

#: The packs every cdk-sagemaker example stack passes with zero findings; the default of ``assert_compliant``.
DEFAULT_PACKS: tuple[str, ...] = ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security")
