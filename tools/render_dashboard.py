"""Render the CloudWatch dashboard of an example stack offline, as SVG, from its synthesized ``DashboardBody``.

Plain Python (no matplotlib): each widget is drawn where the dashboard places it (24 columns), with its title, the
label of every metric and math expression it graphs (with its statistic), its horizontal annotations (alarm
thresholds, scaling limits) and, for alarm-status widgets, the alarms. The curves are illustrative (deterministic
from the labels): CloudWatch draws the real data. The SVG carries the SHA-256 of the dashboard body it was drawn from,
so a test can tell a stale picture.

    python tools/render_dashboard.py [STACK] [--output PATH]   # default: CdkSagemakerMonitored
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import math
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STACK = "CdkSagemakerMonitored"
OUTPUT = ROOT / "docs" / "images" / "monitoring-dashboard.svg"
COL, ROW, PAD = 52, 42, 6  # pixels per dashboard column / row, and inner padding
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


def _token(value: Any) -> str:
    """A CloudFormation value inside the body, as readable text."""
    if isinstance(value, dict):
        if "Ref" in value:
            ref = str(value["Ref"])
            return "${" + ref.removeprefix("AWS::").lower() + "}" if ref.startswith("AWS::") else f"<{ref}>"
        if "Fn::GetAtt" in value:
            target, attribute = value["Fn::GetAtt"]
            return f"<{target}.{attribute}>"
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return str(sep).join(_token(p) for p in parts)
    return str(value)


def dashboard_body(template: dict[str, Any]) -> dict[str, Any]:
    """The (only) dashboard of ``template``, its tokens replaced by ``<LogicalId>`` placeholders."""
    found = [r for r in template["Resources"].values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    if len(found) != 1:
        raise SystemExit(f"expected one AWS::CloudWatch::Dashboard, found {len(found)}")
    body = found[0]["Properties"]["DashboardBody"]
    text = _token(body) if isinstance(body, dict) else str(body)
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def body_digest(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def svg_digest(svg: str) -> str | None:
    match = re.search(r"<!-- dashboard-sha256: ([0-9a-f]{64}) -->", svg)
    return match.group(1) if match else None


def _series_labels(props: dict[str, Any]) -> list[tuple[str, str]]:
    """``(label, axis)`` of every visible metric line of a graph widget."""
    out = []
    for row in props.get("metrics", []):
        options = row[-1] if row and isinstance(row[-1], dict) else {}
        if options.get("visible") is False:
            continue
        if "expression" in options:
            label = options.get("label") or options["expression"]
        else:
            names = [x for x in row if isinstance(x, str)]
            name = names[1] if len(names) > 1 else (names[0] if names else "?")
            label = options.get("label") or name
            stat = options.get("stat")
            if stat and stat not in str(label):
                label = f"{label} ({stat})"
        out.append((str(label), str(options.get("yAxis", "left"))))
    return out


def _curve(seed: str, x0: float, y0: float, w: float, h: float, level: float) -> str:
    """A smooth illustrative line across the plot, deterministic from ``seed``, around ``level`` (0-1)."""
    digest = hashlib.sha256(seed.encode()).digest()
    points = []
    for i in range(25):
        t = i / 24
        wobble = sum(math.sin((t * (k + 1) * 3.1) + digest[k] / 40) * (digest[k + 8] / 255) / (k + 2)
                     for k in range(4))
        v = min(max(level + 0.12 * wobble, 0.02), 0.98)
        points.append(f"{x0 + t * w:.1f},{y0 + h - v * h:.1f}")
    return " ".join(points)


def _text(x: float, y: float, text: str, *, size: int = 11, weight: str = "normal", color: str = "#16191f",
          anchor: str = "start", max_chars: int | None = None) -> str:
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" fill="{color}" '
            f'text-anchor="{anchor}">{html.escape(text)}</text>')


def _graph(props: dict[str, Any], x: float, y: float, w: float, h: float) -> list[str]:
    out = [_text(x + PAD, y + 16, props.get("title", ""), size=12, weight="bold", max_chars=int(w / 7))]
    labels = _series_labels(props)
    legend_rows = len(labels)
    px, py = x + PAD + 4, y + 24
    pw, ph = w - 2 * PAD - 8, h - 34 - 13 * legend_rows
    out.append(f'<rect x="{px:.1f}" y="{py:.1f}" width="{pw:.1f}" height="{ph:.1f}" fill="#fafafa" '
               'stroke="#d5dbdb"/>')
    for i in range(1, 4):
        gy = py + ph * i / 4
        out.append(f'<line x1="{px:.1f}" y1="{gy:.1f}" x2="{px + pw:.1f}" y2="{gy:.1f}" stroke="#eaeded"/>')
    lines = (props.get("annotations") or {}).get("horizontal", [])
    top = max([float(a["value"]) for a in lines if isinstance(a.get("value"), int | float)] or [0.0])
    for i, (label, _) in enumerate(labels):
        color = PALETTE[i % len(PALETTE)]
        level = 0.25 + 0.45 * (hashlib.sha256(label.encode()).digest()[0] / 255)
        out.append(f'<polyline points="{_curve(label, px, py, pw, ph, level)}" fill="none" stroke="{color}" '
                   'stroke-width="1.5"/>')
        ly = py + ph + 12 + 13 * i
        out.append(f'<rect x="{px:.1f}" y="{ly - 8:.1f}" width="10" height="3" fill="{color}"/>')
        out.append(_text(px + 14, ly - 3, label, size=10, max_chars=int(pw / 6)))
    for annotation in lines:
        value = annotation.get("value")
        if not isinstance(value, int | float) or top <= 0:
            continue
        frac = 0.85 * float(value) / top
        ay = py + ph - frac * ph
        color = annotation.get("color") or "#7f7f7f"
        out.append(f'<line x1="{px:.1f}" y1="{ay:.1f}" x2="{px + pw:.1f}" y2="{ay:.1f}" stroke="{color}" '
                   'stroke-dasharray="5,3"/>')
        text = f"{annotation.get('label', '')} = {value:g}"
        out.append(_text(px + pw - 3, ay - 3, text, size=9, color=color, anchor="end"))
    return out


def _alarms(props: dict[str, Any], x: float, y: float, w: float, h: float) -> list[str]:
    out = [_text(x + PAD, y + 16, props.get("title", "Alarms"), size=12, weight="bold")]
    alarms = [re.sub(r"^<|(\.Arn)?>$", "", str(arn)) for arn in props.get("alarms", [])]
    # Logical ids without their hash suffix and the prefix they share (the monitoring construct's id).
    names = [re.sub(r"[0-9A-F]{8}$", "", a) for a in alarms]
    prefix = names[0] if names else ""
    for n in names:
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    per_row = max(1, int((w - 2 * PAD) // 190))
    for i, full in enumerate(names):
        name = full[len(prefix):] or full
        cx = x + PAD + (i % per_row) * 190
        cy = y + 30 + (i // per_row) * 18
        out.append(f'<circle cx="{cx + 5:.1f}" cy="{cy - 4:.1f}" r="5" fill="#1d8102"/>')
        out.append(_text(cx + 14, cy, name, size=10, max_chars=28))
    return out


def render(body: dict[str, Any], *, stack: str) -> str:
    widgets = body["widgets"]
    bottom = max(w["y"] + w["height"] for w in widgets)
    width, height = 24 * COL, bottom * ROW + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">',
             f'<rect width="{width}" height="{height}" fill="#f2f3f3"/>']
    for widget in widgets:
        x, y = widget["x"] * COL, widget["y"] * ROW
        w, h = widget["width"] * COL, widget["height"] * ROW
        props = widget.get("properties", {})
        parts.append(f'<rect x="{x + 2}" y="{y + 2}" width="{w - 4}" height="{h - 4}" fill="#ffffff" '
                     'stroke="#d5dbdb" rx="2"/>')
        if widget["type"] == "text":
            markdown = str(props.get("markdown", "")).lstrip("#").strip()
            heading = str(props.get("markdown", "")).startswith("# ")
            parts.append(_text(x + PAD + 4, y + h / 2 + 5, markdown, size=16 if heading else 13, weight="bold"))
        elif widget["type"] == "metric" and "alarms" in props:
            parts.extend(_alarms(props, x, y, w, h))
        elif widget["type"] == "metric":
            parts.extend(_graph(props, x, y, w, h))
        elif widget["type"] == "alarm":
            parts.extend(_alarms(props, x, y, w, h))
    parts.append(_text(8, height - 14, f"Dashboard of {stack}, drawn from its synthesized DashboardBody by "
                       "tools/render_dashboard.py: layout, titles, metrics, statistics, alarm and scaling lines are "
                       "the template's; the curves are illustrative.", size=11, color="#545b64"))
    parts.append("</svg>")
    return f"<!-- dashboard-sha256: {body_digest(body)} -->\n" + "\n".join(parts) + "\n"


def template_of(stack: str) -> dict[str, Any]:
    import aws_cdk as cdk

    from cdk_sagemaker.stacks import STACKS

    app = cdk.App()
    STACKS[stack](app, stack)
    template: dict[str, Any] = app.synth().get_stack_by_name(stack).template
    return template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", nargs="?", default=DEFAULT_STACK)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    svg = render(dashboard_body(template_of(args.stack)), stack=args.stack)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(svg)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
