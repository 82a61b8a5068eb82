"""Internal: import an optional dependency, or say which extra of cdk-sagemaker brings it."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the ``pip install`` that brings it."""


def require(module: str, *, extra: str, needed_by: str) -> ModuleType:
    """``importlib.import_module(module)``, or :class:`MissingExtraError` naming ``cdk-sagemaker[extra]``."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        top = module.split(".", 1)[0]
        if err.name is not None and err.name.split(".", 1)[0] != top:
            raise
        raise MissingExtraError(f"{needed_by} needs the {top} package: pip install 'cdk-sagemaker[{extra}]'",
                                name=top) from None
