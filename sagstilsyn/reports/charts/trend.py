"""Udvikling over kvartaler (a trend): a requirement's share per quarter with its 95 % interval as a
band, the municipality's target as a dashed line, n under each quarter, a marker (▲ or ▼) only where the
change from the quarter before is significant, and "Ikke sammenlignelig" where the comparison with the
quarter before is broken (a rule or questionnaire version took effect, the law change of 1 January 2024)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from sagstilsyn.reports.charts.svg import (
    BLUE,
    GRID,
    TARGET,
    TEXT,
    circle,
    label,
    line,
    percent,
    polygon,
    svg_open,
)

WIDTH, HEIGHT = 680, 290
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 18, 74
LEGEND = (
    "Linjen er andelen, båndet 95 %-intervallet; ▲/▼ markerer en ændring fra kvartalet før, "
    "der ikke skyldes tilfældighed."
)


@dataclass(frozen=True)
class TrendValue:
    """One quarter: its label ('2025Q1'), and where it has a figure the share, interval and n (shares in
    [0, 1]); `change` 'op'/'ned' for a significant change, `not_comparable` when the comparison with the
    quarter before is broken."""

    label: str
    share: float | None = None
    low: float | None = None
    high: float | None = None
    n: int = 0
    change: str = ""
    not_comparable: bool = False


def _runs(values: Sequence[TrendValue]) -> list[list[int]]:
    """Consecutive quarters with figures, broken where a quarter has none or the comparison breaks."""
    runs: list[list[int]] = []
    for index, value in enumerate(values):
        if value.share is None:
            continue
        if runs and runs[-1][-1] == index - 1 and not value.not_comparable:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def trend_svg(
    values: Sequence[TrendValue], *, target: float, title: str, desc: str, ident: str
) -> SafeString:
    """The trend chart as an SVG element (safe to put into a page as it is)."""
    step = (WIDTH - LEFT - RIGHT) / max(len(values), 1)
    bottom = HEIGHT - BOTTOM

    def x(index: int) -> float:
        return LEFT + step * (index + 0.5)

    def y(share: float | None) -> float:
        return TOP + (1 - (share or 0.0)) * (bottom - TOP)

    parts = [svg_open("trend", width=WIDTH, height=HEIGHT, ident=ident, title=title, desc=desc)]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(line(LEFT, y(tick), WIDTH - RIGHT, y(tick), stroke=GRID, stroke_width=1))
        parts.append(label(LEFT - 6, y(tick) + 4, percent(tick), text_anchor="end", fill=TEXT))
    for run in _runs(values):
        if len(run) > 1:
            band = [(x(i), y(values[i].high)) for i in run] + [
                (x(i), y(values[i].low)) for i in reversed(run)
            ]
            parts.append(polygon(band, fill=BLUE, fill_opacity=0.16, stroke="none"))
            points = " ".join(f"{x(i):.1f},{y(values[i].share):.1f}" for i in run)
            parts.append(f'<polyline points="{points}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
        for i in run:  # each quarter's own interval as a whisker too, so a lone quarter shows it
            parts.append(
                line(
                    x(i),
                    y(values[i].low),
                    x(i),
                    y(values[i].high),
                    stroke=BLUE,
                    stroke_width=1.5,
                    stroke_opacity=0.6,
                )
            )
    parts.append(
        line(
            LEFT, y(target), WIDTH - RIGHT, y(target), stroke=TARGET, stroke_width=1.5, stroke_dasharray="6 4"
        )
    )
    parts.append(
        label(WIDTH - RIGHT, y(target) - 5, f"Mål {percent(target)}", text_anchor="end", fill=TARGET)
    )
    for index, value in enumerate(values):
        parts += _quarter(value, x(index), y, LEFT + step * index, bottom)
    parts.append(label(LEFT, HEIGHT - 8, LEGEND, fill=TEXT, font_size=11))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _quarter(value: TrendValue, cx: float, y: object, edge: float, bottom: float) -> list[str]:
    """One quarter's point, marker, break and labels."""
    to_y = y  # the plot's y scale
    parts = []
    if value.not_comparable:
        parts.append(line(edge, TOP, edge, bottom, stroke=TEXT, stroke_width=1, stroke_dasharray="2 3"))
        parts.append(label(edge + 4, TOP + 12, "Ikke sammenlignelig", fill=TEXT, font_size=11))
    if value.share is not None:
        cy: float = to_y(value.share)  # type: ignore[operator]
        parts.append(circle(cx, cy, 4, fill=BLUE))
        if value.change:
            sign = -1 if value.change == "op" else 1
            tip = min(max(cy + sign * 20, TOP), bottom)
            base = min(max(cy + sign * 12, TOP), bottom)
            parts.append(polygon([(cx, tip), (cx - 6, base), (cx + 6, base)], fill=TEXT))
    parts.append(label(cx, bottom + 18, value.label, text_anchor="middle", fill=TEXT))
    n_text = f"n={value.n}" if value.share is not None else "ingen"
    parts.append(label(cx, bottom + 36, n_text, text_anchor="middle", fill=TEXT, font_size=11))
    return parts
