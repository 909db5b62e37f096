"""Enhederne side om side (a forest plot): each unit's share as a point with its 95 % interval as a
whisker, the municipality's target as a vertical dashed line. Rows keep the order given (the dashboard
sorts by unit name: never a league table ranked by share). Rows resting on few cases are drawn hollow
and labelled with the LQAS traffic light instead of the percentage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from sagstilsyn.reports.charts.svg import BLUE, GRID, TARGET, TEXT, circle, label, line, percent, svg_open

WIDTH = 900
LABEL, RIGHT, TOP, ROW, AXIS = 320, 210, 12, 30, 40


@dataclass(frozen=True)
class ForestRow:
    """One unit: label, share, interval (shares in [0, 1]), n, and for few cases the traffic light's
    Danish label (`light`)."""

    label: str
    share: float
    low: float
    high: float
    n: int
    light: str = ""


def forest_svg(rows: Sequence[ForestRow], *, target: float, title: str, desc: str, ident: str) -> SafeString:
    """The forest plot as an SVG element."""
    bottom = TOP + ROW * max(len(rows), 1)
    right_edge = WIDTH - RIGHT

    def x(share: float) -> float:
        return LABEL + share * (right_edge - LABEL)

    parts = [svg_open("forest", width=WIDTH, height=bottom + AXIS, ident=ident, title=title, desc=desc)]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(line(x(tick), TOP, x(tick), bottom, stroke=GRID))
        parts.append(label(x(tick), bottom + 16, percent(tick), text_anchor="middle", fill=TEXT))
    for index, row in enumerate(rows):
        cy = TOP + ROW * index + ROW / 2
        parts.append(label(LABEL - 8, cy + 4, row.label, text_anchor="end", fill=TEXT))
        parts.append(line(x(row.low), cy, x(row.high), cy, stroke=BLUE, stroke_width=2))
        for end in (row.low, row.high):
            parts.append(line(x(end), cy - 5, x(end), cy + 5, stroke=BLUE, stroke_width=2))
        fill = "#ffffff" if row.light else BLUE
        parts.append(circle(x(row.share), cy, 5, fill=fill, stroke=BLUE, stroke_width=2))
        note = f"n={row.n} · " + (f"få sager: {row.light}" if row.light else percent(row.share))
        parts.append(label(right_edge + 10, cy + 4, note, fill=TEXT, font_size=11))
    dashed = {"stroke": TARGET, "stroke_width": 1.5, "stroke_dasharray": "6 4"}
    parts.append(line(x(target), TOP - 4, x(target), bottom, **dashed))
    parts.append(label(x(target), bottom + 32, f"Mål {percent(target)}", text_anchor="middle", fill=TARGET))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
