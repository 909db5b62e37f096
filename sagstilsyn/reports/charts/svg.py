"""The pieces every chart shares: colours, escaping, numbers in Danish, and the SVG elements."""

from __future__ import annotations

from django.utils.html import escape

#: DKFDS colours: the primary blue, a dark grey for text and axes, light grey for the grid, and the
#: error red for the target line (a line the figures are judged against).
BLUE = "#0059b3"
TEXT = "#1a1a1a"
GRID = "#cccccc"
TARGET = "#b51d09"
FONT = 'font-family="IBM Plex Sans, Arial, sans-serif"'


def percent(share: float) -> str:
    """A share as a Danish whole percentage: 0.905 -> '91 %'."""
    return f"{round(share * 100):d} %"


def text(value: str) -> str:
    return str(escape(value))


def number(value: float) -> str:
    """A coordinate with one decimal."""
    return f"{value:.1f}"


def _attributes(values: dict[str, object]) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{number(v) if isinstance(v, float) else v}"'
        for name, v in values.items()
    )


def line(x1: float, y1: float, x2: float, y2: float, **attributes: object) -> str:
    """A <line> (attribute names with _ for -: stroke_width)."""
    ends = f'x1="{number(x1)}" y1="{number(y1)}" x2="{number(x2)}" y2="{number(y2)}"'
    return f"<line {ends} {_attributes(attributes)}/>"


def label(x: float, y: float, content: str, **attributes: object) -> str:
    """A <text> with escaped content."""
    return f'<text x="{number(x)}" y="{number(y)}" {_attributes(attributes)}>{text(content)}</text>'


def circle(cx: float, cy: float, r: float, **attributes: object) -> str:
    return f'<circle cx="{number(cx)}" cy="{number(cy)}" r="{number(r)}" {_attributes(attributes)}/>'


def polygon(points: list[tuple[float, float]], **attributes: object) -> str:
    joined = " ".join(f"{number(x)},{number(y)}" for x, y in points)
    return f'<polygon points="{joined}" {_attributes(attributes)}/>'


def svg_open(kind: str, *, width: int, height: int, ident: str, title: str, desc: str) -> str:
    """The <svg> element's start with its accessible name and description."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="12">'
        f'<title id="{ident}-title">{text(title)}</title><desc id="{ident}-desc">{text(desc)}</desc>'
    )
