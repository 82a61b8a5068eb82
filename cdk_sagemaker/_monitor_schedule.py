"""Model Monitor schedule expressions: one validator for the constructs (``cdk_sagemaker.constructs.model_monitor``)
and the readiness rules (E9850). No aws-cdk import, so the cfn-lint rules load without starting jsii.

Model Monitor does not take EventBridge's cron grammar. It accepts exactly these forms (SageMaker developer guide,
"The cron expression for monitoring schedule",
https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-schedule-expression.html, and the botocore
documentation of ``ScheduleConfig.ScheduleExpression``):

- hourly: ``cron(0 * ? * * *)``;
- daily at an hour: ``cron(0 [00-23] ? * * *)``, e.g. ``cron(0 12 ? * * *)``;
- every N hours from an hour: ``cron(0 [00-23]/[01-24] ? * * *)``, e.g. ``cron(0 17/12 ? * * *)``;
- ``NOW``: one run, immediately; then ``DataAnalysisStartTime`` and ``DataAnalysisEndTime`` are required.

The analysis window offsets (``DataAnalysisStartTime`` / ``DataAnalysisEndTime``) are negative ISO 8601 durations
(``-PT5H``); the start must not precede the end by more than 24 hours (botocore ``ScheduleConfig``).
"""

from __future__ import annotations

import re

__all__ = ["HOURLY", "daily", "every_hours", "max_runtime_seconds", "monitor_schedule_problems", "offset_seconds"]

HOURLY = "cron(0 * ? * * *)"
_DAILY = re.compile(r"^cron\(0 (?P<hour>\d{1,2}) \? \* \* \*\)$")
_EVERY = re.compile(r"^cron\(0 (?P<hour>\d{1,2})/(?P<step>\d{1,2}) \? \* \* \*\)$")
_OFFSET = re.compile(r"^-P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$")
_TOKEN_MARKER = "Token["
_FORMS = ("one of cron(0 * ? * * *) (hourly), cron(0 <hour 0-23> ? * * *) (daily), cron(0 <hour 0-23>/<every "
          "1-24 hours> ? * * *) or NOW (Model Monitor accepts only these forms)")


def daily(hour: int) -> str:
    """``cron(0 <hour> ? * * *)``: once a day at ``hour`` UTC."""
    return f"cron(0 {hour} ? * * *)"


def every_hours(hours: int, *, starting_hour: int = 0) -> str:
    """``cron(0 <starting_hour>/<hours> ? * * *)``: every ``hours`` hours from ``starting_hour`` UTC."""
    return f"cron(0 {starting_hour}/{hours} ? * * *)"


#: Monitoring types whose hourly runs share their time with a ground-truth merge job (see :func:`max_runtime_seconds`).
_MERGING_TYPES = frozenset({"ModelQuality", "ModelBias"})


def max_runtime_seconds(expression: str, monitoring_type: str) -> int | None:
    """The longest ``StoppingCondition.MaxRuntimeInSeconds`` a ``monitoring_type`` job may have on the schedule
    ``expression``, or None when the expression sets no frequency (``NOW``, a token, a form Model Monitor rejects).

    "The MaxRuntimeInSeconds cannot exceed the frequency of the job. For data quality and model explainability,
    this can be up to 3600 seconds for an hourly schedule. For model bias and model quality hourly schedules, this
    can be up to 1800 seconds" (SageMaker API reference, MonitoringStoppingCondition,
    https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_MonitoringStoppingCondition.html; the model
    quality and bias runs first merge the captured data with the ground truth, "Schedule model quality monitoring
    jobs", https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-schedule.html)."""
    if expression == HOURLY:
        return 1800 if monitoring_type in _MERGING_TYPES else 3600
    if _DAILY.match(expression) is not None:
        return 24 * 3600
    every = _EVERY.match(expression)
    if every is not None and 1 <= int(every.group("step")) <= 24:
        step = int(every.group("step"))
        if step == 1:
            return 1800 if monitoring_type in _MERGING_TYPES else 3600
        return step * 3600
    return None


def offset_seconds(offset: str) -> int | None:
    """The seconds of a negative ISO 8601 offset such as ``-PT5H`` (a positive number: 5 h -> 18000), or None when
    it is not of that form."""
    m = _OFFSET.match(offset)
    if m is None or offset in ("-P", "-PT"):
        return None
    d, h, mi, s = (int(m.group(g) or 0) for g in ("d", "h", "m", "s"))
    return ((d * 24 + h) * 60 + mi) * 60 + s


def monitor_schedule_problems(expression: str, *, param: str = "schedule", start: str | None = None,
                              end: str | None = None, start_param: str = "data_analysis_start",
                              end_param: str = "data_analysis_end") -> list[str]:
    """Why ``expression`` (with the analysis window ``start``/``end``) is not a schedule Model Monitor accepts;
    empty when it is, or when it holds an unresolved CDK token."""
    out: list[str] = []
    if _TOKEN_MARKER not in expression:
        daily_m, every_m = _DAILY.match(expression), _EVERY.match(expression)
        if expression == "NOW":
            if start is None or end is None:
                out.append(f"{start_param}/{end_param} must both be given for a one-time schedule (NOW), got "
                           f"{start!r}/{end!r}")
        elif expression == HOURLY:
            pass
        elif daily_m is not None:
            if int(daily_m.group("hour")) > 23:
                out.append(f"{param} must start at an hour 0-23, got {expression!r}")
        elif every_m is not None:
            if int(every_m.group("hour")) > 23 or not 1 <= int(every_m.group("step")) <= 24:
                out.append(f"{param} must start at an hour 0-23 and repeat every 1-24 hours, got {expression!r}")
        else:
            out.append(f"{param} must be {_FORMS}, got {expression!r}")
    seconds: dict[str, int] = {}
    for name, value in ((start_param, start), (end_param, end)):
        if value is None or _TOKEN_MARKER in value:
            continue
        parsed = offset_seconds(value)
        if parsed is None:
            out.append(f"{name} must be a negative ISO 8601 duration such as '-PT5H' or '-P1D' (an offset before "
                       f"each run), got {value!r}")
        else:
            seconds[name] = parsed
    if (start is None) != (end is None) and expression != "NOW":
        out.append(f"{start_param}/{end_param} must be given together, got {start!r}/{end!r}")
    if len(seconds) == 2:
        s, e = seconds[start_param], seconds[end_param]
        if s <= e:
            out.append(f"{start_param} must be earlier than {end_param} ({end!r}), got {start!r}")
        elif s - e > 24 * 3600:
            out.append(f"{start_param} must not precede {end_param} ({end!r}) by more than 24 hours, got {start!r}")
    return out
