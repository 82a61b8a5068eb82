"""Internal: validators shared by several constructs. Each returns problem messages in the library's one form,
``"<param> <constraint>, got <value!r>"``, for the caller's :class:`~cdk_sagemaker.errors.Problems` (which adds the
construct path).

- :func:`schedule_problems`: one validator for every schedule expression the library renders, EventBridge rules
  (``BatchTransform(schedule=...)``) and Application Auto Scaling scheduled actions (``ScheduledScaling``). Both
  services use the same ``cron(...)`` (six fields) and ``rate(...)`` syntax: EventBridge user guide, "Schedule
  expressions for rules"; Application Auto Scaling user guide, "Scheduled scaling" (``PutScheduledAction``
  ``Schedule``: ``at(yyyy-mm-ddThh:mm:ss)``, ``rate(value unit)``, ``cron(fields)``). ``at(...)`` exists only for
  Application Auto Scaling.
- :func:`duration_problem`: a plain number where an ``aws_cdk.Duration`` is expected (the unit would be a guess).
"""

from __future__ import annotations

import re
from datetime import datetime

from aws_cdk import Duration

from cdk_sagemaker.constructs._jsii import is_unresolved

__all__ = ["duration_problem", "schedule_problems"]

# (name, characters allowed, lowest value, highest value) of the six cron fields, in order.
_CRON_FIELDS: tuple[tuple[str, str, int, int], ...] = (
    ("minutes", r"[0-9,*/-]+", 0, 59),
    ("hours", r"[0-9,*/-]+", 0, 23),
    ("day-of-month", r"[0-9,*/?LW-]+", 1, 31),
    ("month", r"[0-9A-Za-z,*/-]+", 1, 12),
    ("day-of-week", r"[0-9A-Za-z,*/?L#-]+", 1, 7),
    ("year", r"[0-9,*/-]+", 1970, 2199),
)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_NAMES: dict[str, tuple[str, ...]] = {"month": _MONTHS, "day-of-week": _DAYS}
_RATE = re.compile(r"^rate\((?P<value>\d+) (?P<unit>minutes?|hours?|days?)\)$")
_AT = re.compile(r"^at\((?P<when>[^)]*)\)$")
_AT_FORMAT = "%Y-%m-%dT%H:%M:%S"


def schedule_problems(expression: str, *, param: str = "schedule", allow_at: bool = False) -> list[str]:
    """Why ``expression`` (a ``Schedule.expression_string``) is not a valid schedule; empty when it is, or when it
    is an unresolved token. ``allow_at``: accept one-time ``at(yyyy-mm-ddThh:mm:ss)`` (Application Auto Scaling)."""
    if is_unresolved(expression):
        return []
    forms = "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), rate(<value> <unit>)"
    forms += " or at(yyyy-mm-ddThh:mm:ss)" if allow_at else ""
    if expression.startswith("rate("):
        match = _RATE.match(expression)
        if not match or int(match["value"]) < 1:
            return [f"{param} must be rate(<positive integer> <unit>) with unit minute(s), hour(s) or day(s), "
                    f"got {expression!r}"]
        amount, unit = int(match["value"]), match["unit"]
        if (amount == 1) == unit.endswith("s"):
            right = unit.rstrip("s") if amount == 1 else unit + "s"
            return [f"{param} rate unit must be singular for 1 and plural otherwise (rate({amount} {right})), "
                    f"got {expression!r}"]
        return []
    if expression.startswith("at("):
        match = _AT.match(expression)
        if not allow_at:
            return [f"{param} must be {forms} (one-time at(...) schedules are not available here), "
                    f"got {expression!r}"]
        try:
            datetime.strptime(match["when"] if match else "", _AT_FORMAT)
        except ValueError:
            return [f"{param} must be at(yyyy-mm-ddThh:mm:ss) with a real date and time, got {expression!r}"]
        return []
    if not (expression.startswith("cron(") and expression.endswith(")")):
        return [f"{param} must be {forms}, got {expression!r}"]
    fields = expression[len("cron("):-1].split()
    if len(fields) != len(_CRON_FIELDS):
        return [f"{param} cron expression must have 6 fields (minutes hours day-of-month month day-of-week year), "
                f"got {expression!r}"]
    out = []
    for value, (name, chars, lo, hi) in zip(fields, _CRON_FIELDS, strict=True):
        names = _NAMES.get(name, ())
        plain = value.upper()
        for word in names:
            plain = plain.replace(word, "1")
        numbers = [int(n) for n in re.findall(r"\d+", plain.split("/")[0].split("#")[0])]
        bad_word = any(w.upper() not in names and w not in ("L", "W", "LW") for w in re.findall(r"[A-Za-z]+", value))
        if not re.fullmatch(chars, value) or bad_word or any(n < lo or n > hi for n in numbers):
            allowed = f"values {lo}-{hi}" + (f" or {names[0]}-{names[-1]}" if names else "")
            out.append(f"{param} cron {name} field must use {chars[1:-2]} with {allowed}, got {value!r} "
                       f"in {expression!r}")
    if not out and (fields[2] == "?") == (fields[4] == "?"):
        out.append(f"{param} cron expression must have '?' in exactly one of day-of-month and day-of-week, "
                   f"got {expression!r}")
    return out


def duration_problem(param: str, value: object) -> str | None:
    """A problem message when ``value`` is given but is not a ``Duration`` (``None`` and tokens pass)."""
    if value is None or isinstance(value, Duration):
        return None
    hint = f" (e.g. Duration.seconds({value!r}) or Duration.minutes(...))" if isinstance(value, int | float) \
        and not isinstance(value, bool) else ""
    return f"{param} must be an aws_cdk.Duration{hint}, got {value!r}"
