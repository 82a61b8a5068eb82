"""Errors raised while constructs are built (synth time), before any template exists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["NotConfiguredError", "Problem", "Problems", "ValidationError"]

_GOT = ", got "


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a construct's input, shown as ``"<param> <constraint>, got <value!r>"``.

    Every validator of the library returns a list of these (``AutoScaling.problems(variant)``,
    ``DataCapture.problems()``, ...); a construct collects them in :class:`Problems` and raises one
    :class:`ValidationError` with all of them. ``got`` is the offending value as shown (its ``repr``), or ``None``
    when the constraint names the values itself (a relation of two params: ``"model and variants are exclusive"``).
    Build one with :meth:`of` (a value) or :meth:`parse` (a message already in the form).
    """

    param: str
    constraint: str
    got: str | None = None

    @classmethod
    def of(cls, param: str, constraint: str, value: Any) -> Problem:
        """``param`` must meet ``constraint`` and is ``value``."""
        return cls(param, constraint, repr(value))

    @classmethod
    def parse(cls, message: str) -> Problem:
        """A message in the library's form (``"<param> <constraint>[, got <value>]"``) as a Problem; ``str()`` of the
        result is ``message`` again."""
        param, _, rest = message.partition(" ")
        constraint, sep, got = rest.rpartition(_GOT)
        return cls(param, constraint, got) if sep else cls(param, rest)

    def __str__(self) -> str:
        head = f"{self.param} {self.constraint}" if self.constraint else self.param
        return head if self.got is None else f"{head}{_GOT}{self.got}"


class ValidationError(ValueError):
    """Bad input to a construct, reported at synth time.

    ``path`` is the construct path (``Stack/Endpoint``), ``problems`` the individual messages, each of the form
    ``"<param> <constraint>, got <value!r>"``. All problems of one construct are raised together.
    """

    def __init__(self, path: str, problems: Iterable[str | Problem]) -> None:
        self.path = path
        #: The problems, each a :class:`Problem` (param, constraint, value).
        self.details: tuple[Problem, ...] = tuple(p if isinstance(p, Problem) else Problem.parse(p) for p in problems)
        #: The problems as messages.
        self.problems: tuple[str, ...] = tuple(str(p) for p in self.details)
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
        self._items: list[Problem] = []

    def add(self, param: str, constraint: str, value: Any) -> None:
        """Record ``"<param> <constraint>, got <value!r>"``."""
        self._items.append(Problem.of(param, constraint, value))

    def extend(self, problems: Iterable[Problem | None]) -> None:
        """Record the problems a validator returned (``None`` entries, "no problem", are skipped)."""
        self._items.extend(p for p in problems if p is not None)

    def add_message(self, message: str | Problem) -> None:
        """Record one problem given as a message in the library's form (or as a :class:`Problem`)."""
        self._items.append(message if isinstance(message, Problem) else Problem.parse(message))

    @property
    def items(self) -> tuple[Problem, ...]:
        """The problems recorded so far."""
        return tuple(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raise_if_any(self) -> None:
        if self._items:
            raise ValidationError(self.path, self._items)
