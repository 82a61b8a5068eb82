"""Internal: validators shared by several constructs. Each returns :class:`~cdk_sagemaker.errors.Problem` values
(``"<param> <constraint>, got <value!r>"``) for the caller's :class:`~cdk_sagemaker.errors.Problems` (which adds the
construct path).

- :func:`schedule_problems`: one validator for every schedule expression the library renders, EventBridge rules
  (``BatchTransform(schedule=...)``) and Application Auto Scaling scheduled actions (``ScheduledScaling``); it lives
  in :mod:`cdk_sagemaker._schedules` (no aws-cdk import), shared with the readiness rules.
- :func:`check_duration`: a plain number where an ``aws_cdk.Duration`` is expected (the unit would be a guess).
"""

from __future__ import annotations

from aws_cdk import Duration

from cdk_sagemaker._schedules import schedule_problems
from cdk_sagemaker.constructs._jsii import is_unresolved
from cdk_sagemaker.errors import Problem

__all__ = ["check_duration", "render_seconds", "schedule_expression_problems", "schedule_problems",
           "to_seconds"]


def schedule_expression_problems(expression: str, *, param: str, allow_at: bool = False) -> list[Problem]:
    """:func:`schedule_problems` as :class:`~cdk_sagemaker.errors.Problem` values (the shared validator returns
    messages, the form the readiness rules report)."""
    return [Problem.parse(m) for m in schedule_problems(expression, param=param, allow_at=allow_at)]


def to_seconds(value: object) -> float | None:
    """For validation: the seconds of ``value``, an ``int`` when whole, else a ``float``; ``None`` when not given,
    not a ``Duration`` (:func:`check_duration` reports that) or a token. With :func:`render_seconds`, the library's
    one Duration-to-seconds."""
    if not isinstance(value, Duration):
        return None
    seconds = value.to_seconds(integral=False)
    if is_unresolved(seconds):
        return None
    return int(seconds) if float(seconds).is_integer() else float(seconds)


def render_seconds(value: Duration | None) -> float | None:
    """For templates: the whole seconds of ``value`` (validated before), a token kept as a token; ``None`` when not
    given."""
    if value is None:
        return None
    seconds = value.to_seconds(integral=False)
    return seconds if is_unresolved(seconds) else int(seconds)


def check_duration(param: str, value: object) -> Problem | None:
    """A problem when ``value`` is given but is not a ``Duration`` (``None`` and tokens pass)."""
    if value is None or isinstance(value, Duration):
        return None
    hint = f" (e.g. Duration.seconds({value!r}) or Duration.minutes(...))" if isinstance(value, int | float) \
        and not isinstance(value, bool) else ""
    return Problem.of(param, f"must be an aws_cdk.Duration{hint}", value)


def import_problems(kind: str, *, name: str | None, arn: str | None) -> list[Problem]:
    """Problems with the name and ARN given to ``from_<kind>_name`` / ``from_<kind>_arn`` style imports: one of
    them is needed, and each must fit botocore's ``<Kind>Name`` / ``<Kind>Arn`` shape (``kind`` is ``"model"`` or
    ``"endpoint"``)."""
    from cdk_sagemaker import _limits

    shape = kind.capitalize()
    out: list[Problem] = []
    if name is None and arn is None:
        out.append(Problem(f"{kind}_name", f"or {kind}_arn must be given", repr(None)))
    if name is not None and not is_unresolved(name) and not _limits.matches(f"{shape}Name", name):
        out.append(Problem.of(f"{kind}_name", f"must match {_limits.pattern(f'{shape}Name')} with at most "
                              f"{_limits.bounds(f'{shape}Name')[1]} characters", name))
    if arn is not None and not is_unresolved(arn) and not _limits.matches(f"{shape}Arn", arn):
        out.append(Problem.of(f"{kind}_arn", f"must be {'an' if kind[0] in 'aeiou' else 'a'} {kind} ARN matching "
                              f"{_limits.pattern(f'{shape}Arn')}", arn))
    return out
