"""Enhederne side om side (a forest plot): each unit's share as a point with its 95 % interval as a
whisker, the municipality's target as a vertical dashed line. Rows keep the order given (the dashboard
sorts by unit name: never a league table ranked by share). Rows resting on few cases are drawn hollow
and labelled with the LQAS traffic light instead of the point alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from sagstilsyn.reports.charts.svg import BLUE, FONT, GRID, TARGET, TEXT, number, percent, text

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


def forest_svg(
    rows: Sequence[ForestRow], *, target: float, title: str, desc: str, ident: str
) -> SafeString:
    """The forest plot as an SVG element."""
    height = TOP + ROW * max(len(rows), 1) + AXIS
    right_edge = WIDTH - RIGHT

    def x(share: float) -> float:
        return LABEL + share * (right_edge - LABEL)

    bottom = TOP + ROW * max(len(rows), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-forest" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">',
        f'<title id="{ident}-title">{text(title)}</title>',
        f'<desc id="{ident}-desc">{text(desc)}</desc>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{number(x(tick))}" x2="{number(x(tick))}" y1="{TOP}" y2="{bottom}" stroke="{GRID}"/>'
            f'<text x="{number(x(tick))}" y="{bottom + 16}" text-anchor="middle" fill="{TEXT}">{percent(tick)}</text>'
        )
    for index, row in enumerate(rows):
        cy = TOP + ROW * index + ROW / 2
        parts.append(
            f'<text x="{LABEL - 8}" y="{number(cy + 4)}" text-anchor="end" fill="{TEXT}">{text(row.label)}</text>'
            f'<line x1="{number(x(row.low))}" x2="{number(x(row.high))}" y1="{number(cy)}" y2="{number(cy)}" '
            f'stroke="{BLUE}" stroke-width="2"/>'
            f'<line x1="{number(x(row.low))}" x2="{number(x(row.low))}" y1="{number(cy - 5)}" y2="{number(cy + 5)}" stroke="{BLUE}" stroke-width="2"/>'
            f'<line x1="{number(x(row.high))}" x2="{number(x(row.high))}" y1="{number(cy - 5)}" y2="{number(cy + 5)}" stroke="{BLUE}" stroke-width="2"/>'
        )
        if row.light:
            parts.append(
                f'<circle cx="{number(x(row.share))}" cy="{number(cy)}" r="5" fill="#ffffff" stroke="{BLUE}" stroke-width="2"/>'
            )
        else:
            parts.append(f'<circle cx="{number(x(row.share))}" cy="{number(cy)}" r="5" fill="{BLUE}"/>')
        note = f"n={row.n}" + (f" · få sager: {row.light}" if row.light else f" · {percent(row.share)}")
        parts.append(
            f'<text x="{right_edge + 10}" y="{number(cy + 4)}" fill="{TEXT}" font-size="11">{text(note)}</text>'
        )
    parts.append(
        f'<line x1="{number(x(target))}" x2="{number(x(target))}" y1="{TOP - 4}" y2="{bottom}" '
        f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{number(x(target))}" y="{bottom + 32}" text-anchor="middle" fill="{TARGET}">Mål {percent(target)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
