"""The pieces every chart shares: colours, escaping, numbers in Danish."""

from __future__ import annotations

from django.utils.html import escape

#: DKFDS colours: the primary blue, a dark grey for text and axes, light grey for the grid, and the
#: error red for the target line (a line the figures are judged against).
BLUE = "#0059b3"
TEXT = "#1a1a1a"
GRID = "#cccccc"
TARGET = "#b51d09"
GREEN = "#358000"
AMBER = "#8a5a00"
FONT = 'font-family="IBM Plex Sans, Arial, sans-serif"'


def percent(share: float) -> str:
    """A share as a Danish whole percentage: 0.905 -> '91 %'."""
    return f"{round(share * 100):d} %"


def text(value: str) -> str:
    return str(escape(value))


def number(value: float) -> str:
    """A coordinate with one decimal."""
    return f"{value:.1f}"
