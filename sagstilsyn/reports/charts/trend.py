"""Udvikling over kvartaler (a trend): a requirement's share per quarter with its 95 % interval as a
band, the municipality's target as a dashed line, n under each quarter, a marker (▲ or ▼) only where the
change from the quarter before is significant, and "Ikke sammenlignelig" where the comparison with the
quarter before is broken (a rule or questionnaire version took effect, the law change of 1 January 2024)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from sagstilsyn.reports.charts.svg import BLUE, FONT, GRID, TARGET, TEXT, number, percent, text

WIDTH, HEIGHT = 680, 290
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 18, 74


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


def trend_svg(
    values: Sequence[TrendValue], *, target: float, title: str, desc: str, ident: str
) -> SafeString:
    """The trend chart as an SVG element (safe to put into a page as it is)."""
    count = max(len(values), 1)
    step = (WIDTH - LEFT - RIGHT) / count
    plot_bottom = HEIGHT - BOTTOM

    def x(index: int) -> float:
        return LEFT + step * (index + 0.5)

    def y(share: float) -> float:
        return TOP + (1 - share) * (plot_bottom - TOP)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-trend" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">',
        f'<title id="{ident}-title">{text(title)}</title>',
        f'<desc id="{ident}-desc">{text(desc)}</desc>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{number(y(tick))}" y2="{number(y(tick))}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{number(y(tick) + 4)}" text-anchor="end" fill="{TEXT}">{percent(tick)}</text>'
        )
    # The band and the line, broken where a quarter has no figure or the comparison is broken.
    runs: list[list[int]] = []
    for index, value in enumerate(values):
        if value.share is None:
            continue
        if runs and runs[-1][-1] == index - 1 and not value.not_comparable:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        upper = [f"{number(x(i))},{number(y(values[i].high or 0))}" for i in run]
        lower = [f"{number(x(i))},{number(y(values[i].low or 0))}" for i in reversed(run)]
        if len(run) > 1:
            parts.append(
                f'<polygon points="{" ".join(upper + lower)}" fill="{BLUE}" fill-opacity="0.16" stroke="none"/>'
            )
            line = " ".join(f"{number(x(i))},{number(y(values[i].share or 0))}" for i in run)
            parts.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
        for i in run:  # each quarter's own interval as a whisker too, so a lone quarter shows it
            parts.append(
                f'<line x1="{number(x(i))}" x2="{number(x(i))}" y1="{number(y(values[i].low or 0))}" '
                f'y2="{number(y(values[i].high or 0))}" stroke="{BLUE}" stroke-width="1.5" stroke-opacity="0.6"/>'
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{number(y(target))}" y2="{number(y(target))}" '
        f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{WIDTH - RIGHT}" y="{number(y(target) - 5)}" text-anchor="end" fill="{TARGET}">'
        f"Mål {percent(target)}</text>"
    )
    for index, value in enumerate(values):
        cx = number(x(index))
        if value.not_comparable:
            edge = number(LEFT + step * index)
            parts.append(
                f'<line x1="{edge}" x2="{edge}" y1="{TOP}" y2="{plot_bottom}" stroke="{TEXT}" '
                f'stroke-width="1" stroke-dasharray="2 3"/>'
                f'<text x="{number(LEFT + step * index + 4)}" y="{TOP + 12}" fill="{TEXT}" font-size="11">'
                "Ikke sammenlignelig</text>"
            )
        if value.share is not None:
            cy = y(value.share)
            parts.append(f'<circle cx="{cx}" cy="{number(cy)}" r="4" fill="{BLUE}"/>')
            if value.change:
                tip = cy - 12 if value.change == "op" else cy + 12
                base = cy - 20 if value.change == "op" else cy + 20
                base = min(max(base, TOP), plot_bottom)
                tip = min(max(tip, TOP), plot_bottom)
                if value.change == "op":
                    points = f"{cx},{number(base)} {number(x(index) - 6)},{number(tip)} {number(x(index) + 6)},{number(tip)}"
                else:
                    points = f"{number(x(index) - 6)},{number(tip)} {number(x(index) + 6)},{number(tip)} {cx},{number(base)}"
                parts.append(f'<polygon points="{points}" fill="{TEXT}"/>')
        parts.append(
            f'<text x="{cx}" y="{plot_bottom + 18}" text-anchor="middle" fill="{TEXT}">{text(value.label)}</text>'
            f'<text x="{cx}" y="{plot_bottom + 36}" text-anchor="middle" fill="{TEXT}" font-size="11">'
            f"{'n=' + str(value.n) if value.share is not None else 'ingen'}</text>"
        )
    parts.append(
        f'<text x="{LEFT}" y="{HEIGHT - 8}" fill="{TEXT}" font-size="11">Linjen er andelen, båndet '
        f"95 %-intervallet; ▲/▼ markerer en ændring fra kvartalet før, der ikke skyldes tilfældighed.</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
