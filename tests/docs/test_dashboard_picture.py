"""docs/images/monitoring-dashboard.svg is the current dashboard of CdkSagemakerMonitored, drawn by
tools/render_dashboard.py (plain Python: no plotting library in CI)."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("render_dashboard", ROOT / "tools" / "render_dashboard.py")
assert _spec is not None and _spec.loader is not None
render_dashboard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_dashboard)
PICTURE = ROOT / "docs" / "images" / "monitoring-dashboard.svg"


def test_picture_is_drawn_from_the_current_dashboard(example_templates: dict[str, Any]) -> None:
    body = render_dashboard.dashboard_body(example_templates["CdkSagemakerMonitored"])
    assert render_dashboard.svg_digest(PICTURE.read_text()) == render_dashboard.body_digest(body), \
        "docs/images/monitoring-dashboard.svg is stale: run python tools/render_dashboard.py"
    assert "images/monitoring-dashboard.svg" in (ROOT / "docs" / "monitoring.md").read_text()


def test_rendering_shows_titles_series_and_thresholds(example_templates: dict[str, Any]) -> None:
    body = render_dashboard.dashboard_body(example_templates["CdkSagemakerMonitored"])
    svg = render_dashboard.render(body, stack="CdkSagemakerMonitored")
    root = ET.fromstring(svg.split("\n", 1)[1])  # after the digest comment
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "AllTraffic: error rates (%)" in texts and "5XX errors %" in texts
    assert "latency_p99 alarm = 200000" in texts
    assert {"max_capacity = 4", "min_capacity = 2"} <= set(texts)
    assert "LatencyP99" in texts  # the alarm status row
