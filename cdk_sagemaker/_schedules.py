"""Schedule expressions: one validator for the constructs (``ScheduledScaling``, ``BatchTransform(schedule=...)``)
and the readiness rules (E9409 on Application Auto Scaling scheduled actions, E9707 on EventBridge rules and
EventBridge Scheduler schedules). No aws-cdk import, so the cfn-lint rules load without starting jsii.

The grammar, from the services' documentation:

- ``cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)``: six fields; ``?`` in exactly one of
  day-of-month and day-of-week; ranges 0-59, 0-23, 1-31, 1-12 or JAN-DEC, 1-7 or SUN-SAT, 1970-2199. EventBridge user
  guide, "Cron expressions reference",
  https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html, which the Application Auto
  Scaling user guide ("Schedule recurring scaling actions using Application Auto Scaling",
  https://docs.aws.amazon.com/autoscaling/application/userguide/scheduled-scaling-using-cron-expressions.html) and
  EventBridge Scheduler ("Schedule types in EventBridge Scheduler",
  https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html) use too.
- ``rate(<value> <unit>)``: a positive integer and minute(s), hour(s) or day(s). For EventBridge rules "if the value
  is equal to 1, then the unit must be singular ... for values greater than 1, the unit must be plural" (``rate(1
  hours)`` is not valid); the library applies the same to Application Auto Scaling, whose ``PutScheduledAction``
  reference lists the units as ``minute | minutes | hour | hours | day | days``.
- ``at(yyyy-mm-ddThh:mm:ss)``: one-time schedules, for Application Auto Scaling scheduled actions and EventBridge
  Scheduler only (not EventBridge rules).
"""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["schedule_problems"]

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
# aws-cdk-lib encodes an unresolved string as "${Token[...]}" (core/lib/private/encoding.js): such an expression is
# known only at deploy time.
_TOKEN_MARKER = "Token["


def schedule_problems(expression: str, *, param: str = "schedule", allow_at: bool = False,
                      unit_agreement: bool = True) -> list[str]:
    """Why ``expression`` is not a valid schedule expression; empty when it is valid, or when it holds an unresolved
    CDK token. Each message reads ``"<param> <what is allowed>, got <expression!r>"``.

    ``allow_at``: accept one-time ``at(yyyy-mm-ddThh:mm:ss)`` (Application Auto Scaling, EventBridge Scheduler).
    ``unit_agreement``: require ``rate(1 <singular unit>)`` and ``rate(N <plural unit>)`` (EventBridge rules'
    documented restriction, applied by the library to scheduled scaling too)."""
    if _TOKEN_MARKER in expression:
        return []
    forms = "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), rate(<value> <unit>)"
    forms += " or at(yyyy-mm-ddThh:mm:ss)" if allow_at else ""
    if expression.startswith("rate("):
        match = _RATE.match(expression)
        if not match or int(match["value"]) < 1:
            return [f"{param} must be rate(<positive integer> <unit>) with unit minute(s), hour(s) or day(s), "
                    f"got {expression!r}"]
        amount, unit = int(match["value"]), match["unit"]
        if unit_agreement and (amount == 1) == unit.endswith("s"):
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
