"""Diagrammer (charts) for the compliance dashboards: server-rendered, accessible SVG (role="img" with
<title> and <desc>); every chart stands beside a table with the same numbers (ADR 0038). No Django
models, no requests: plain values in, a safe SVG string out."""

from sagstilsyn.reports.charts.forest import ForestRow, forest_svg
from sagstilsyn.reports.charts.trend import TrendValue, trend_svg

__all__ = ["ForestRow", "TrendValue", "forest_svg", "trend_svg"]
