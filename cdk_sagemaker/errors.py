"""Errors raised while constructs are built (synth time), before any template exists."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["NotConfiguredError", "Problems", "ValidationError"]


class ValidationError(ValueError):
    """Bad input to a construct, reported at synth time.

    ``path`` is the construct path (``Stack/Endpoint``), ``problems`` the individual messages, each of the form
    ``"<param> <constraint>, got <value!r>"``. All problems of one construct are raised together.
    """

    def __init__(self, path: str, problems: Iterable[str]) -> None:
        self.path = path
        self.problems: tuple[str, ...] = tuple(problems)
        if len(self.problems) == 1:
            message = f"{path}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = f"{path}: {len(self.problems)} problems:\n{lines}"
        super().__init__(message)


class NotConfiguredError(AttributeError):
    """An attribute of a construct was read although the option that creates it was not given.

    Attributes that exist because of an option (``AsyncEndpoint.success_topic`` with notifications,
    ``BatchTransform.rule`` with a schedule, ...) are typed without ``None``; reading one that was not configured
    raises this error, naming the construct path and the option that creates it (as ``ec2.Vpc.vpc_cidr_block`` of an
    imported VPC does in the CDK). It is an ``AttributeError``, so ``getattr(construct, name, None)`` and ``hasattr``
    tell whether the attribute exists.
    """

    def __init__(self, path: str, attribute: str, how: str) -> None:
        self.path = path
        self.attribute = attribute
        super().__init__(f"{path}: {attribute} is not available: {how}")


class Problems:
    """Collects the problems of one construct and raises them together as one :class:`ValidationError`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._items: list[str] = []

    def add(self, param: str, constraint: str, value: Any) -> None:
        """Record ``"<param> <constraint>, got <value!r>"``."""
        self._items.append(f"{param} {constraint}, got {value!r}")

    def add_message(self, message: str) -> None:
        """Record a message that does not fit the ``param/constraint/value`` form (e.g. a relation of two params)."""
        self._items.append(message)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            raise ValidationError(self.path, self._items)
