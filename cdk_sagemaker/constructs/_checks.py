"""Internal: validators shared by several constructs. Each returns problem messages in the library's one form,
``"<param> <constraint>, got <value!r>"``, for the caller's :class:`~cdk_sagemaker.errors.Problems` (which adds the
construct path).

- :func:`schedule_problems`: one validator for every schedule expression the library renders, EventBridge rules
  (``BatchTransform(schedule=...)``) and Application Auto Scaling scheduled actions (``ScheduledScaling``); it lives
  in :mod:`cdk_sagemaker._schedules` (no aws-cdk import), shared with the readiness rules.
- :func:`duration_problem`: a plain number where an ``aws_cdk.Duration`` is expected (the unit would be a guess).
"""

from __future__ import annotations

from aws_cdk import Duration

from cdk_sagemaker._schedules import schedule_problems

__all__ = ["duration_problem", "schedule_problems"]


def duration_problem(param: str, value: object) -> str | None:
    """A problem message when ``value`` is given but is not a ``Duration`` (``None`` and tokens pass)."""
    if value is None or isinstance(value, Duration):
        return None
    hint = f" (e.g. Duration.seconds({value!r}) or Duration.minutes(...))" if isinstance(value, int | float) \
        and not isinstance(value, bool) else ""
    return f"{param} must be an aws_cdk.Duration{hint}, got {value!r}"
