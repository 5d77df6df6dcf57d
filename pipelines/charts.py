"""Charts as inline SVG, drawn in Python: no script, no network, nothing to load at view time.

Each function takes plain data and returns one `<svg>` element as text. Text is escaped; the
fonts are the page's (a CJK family list, so Chinese labels render where a CJK font exists).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 340
MARGIN = {"left": 64, "right": 170, "top": 24, "bottom": 44}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
TIMELINESS_COLOURS = {"on_time": "#2ca02c", "late": "#d62728", "unknown": "#bdbdbd"}

Series = dict[str, dict[int, float]]  # name -> year -> value


def _svg(body: list[str], title: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: object, anchor: str = "start", size: int = 12, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}"{extra}>{escape(str(text))}</text>'


def _nice_max(value: float) -> float:
    """The smallest 1, 2 or 5 × 10^k at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


def _frame(x0: float, x1: float, y0: float, y1: float, top: float, percent: bool) -> list[str]:
    """Axes, horizontal grid lines and their labels (5 steps up to `top`)."""
    parts = [f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="#333"/>']
    for step in range(6):
        value = top * step / 5
        y = y0 - (y0 - y1) * step / 5
        parts.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        label = f"{value:.0%}" if percent else _number(value)
        parts.append(_text(x0 - 6, y + 4, label, "end", 11))
    return parts


def _legend(names: Sequence[str], colours: Sequence[str], x: float, y: float) -> list[str]:
    parts = []
    for i, (name, colour) in enumerate(zip(names, colours)):
        parts.append(f'<rect x="{x}" y="{y + i * 18}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 18, y + i * 18 + 10, name, size=12))
    return parts


def empty_chart(title: str, message: str) -> str:
    return _svg([_text(WIDTH / 2, HEIGHT / 2, message, "middle", 14, ' fill="#666"')], title, height=120)


def line_chart(title: str, series: Series, *, percent: bool = False) -> str:
    """One line per series over the years (a point per year that has a value)."""
    years = sorted({y for values in series.values() for y in values})
    if not years:
        return empty_chart(title, "no data")
    x0, x1 = MARGIN["left"], WIDTH - MARGIN["right"]
    y0, y1 = HEIGHT - MARGIN["bottom"], MARGIN["top"]
    top = 1.0 if percent else _nice_max(max(v for values in series.values() for v in values.values()))
    span = max(1, years[-1] - years[0])

    def x_of(year: int) -> float:
        return x0 + (x1 - x0) * ((year - years[0]) / span if len(years) > 1 else 0.5)

    parts = _frame(x0, x1, y0, y1, top, percent)
    parts += [_text(x_of(year), y0 + 18, year, "middle", 11) for year in years]
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    for values, colour in zip(series.values(), colours):
        points = [(x_of(y), y0 - (y0 - y1) * min(values[y], top) / top) for y in sorted(values)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>' for x, y in points]
    parts += _legend(list(series), colours, x1 + 16, y1)
    return _svg(parts, title)


def histogram(title: str, values: Sequence[float], bins: int = 20) -> str:
    """Counts of values in [0, 1] in `bins` equal bins (1.0 in the last; values outside are clamped)."""
    if not values:
        return empty_chart(title, "no data")
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int(value * bins)))] += 1
    x0, x1 = MARGIN["left"], WIDTH - MARGIN["right"]
    y0, y1 = HEIGHT - MARGIN["bottom"], MARGIN["top"]
    top = _nice_max(max(5, max(counts)))  # counts: whole-number grid lines
    width = (x1 - x0) / bins
    parts = _frame(x0, x1, y0, y1, top, False)
    for i, count in enumerate(counts):
        height = (y0 - y1) * count / top
        parts.append(
            f'<rect x="{x0 + i * width + 1:.1f}" y="{y0 - height:.1f}" width="{width - 2:.1f}" '
            f'height="{height:.1f}" fill="{PALETTE[0]}"><title>{i / bins:.0%}–{(i + 1) / bins:.0%}: {count}</title></rect>'
        )
    parts += [_text(x0 + (x1 - x0) * step / 5, y0 + 18, f"{step / 5:.0%}", "middle", 11) for step in range(6)]
    parts.append(_text(x1 + 16, y1 + 10, f"n = {len(values):,}", size=12))
    return _svg(parts, title)


def heat_map(title: str, cells: dict[tuple[str, int], tuple[float | None, str]]) -> str:
    """Rows (e.g. provinces) × years; each cell's shade is its share (0–1), its label printed."""
    if not cells:
        return empty_chart(title, "no data")
    rows = sorted({r for r, _ in cells})
    years = sorted({y for _, y in cells})
    cell_w = max(28.0, min(60.0, (WIDTH - 140) / len(years)))
    cell_h = 22.0
    left, top = 120.0, 30.0
    width = int(left + cell_w * len(years) + 20)
    height = int(top + cell_h * len(rows) + 20)
    parts = [_text(left + (i + 0.5) * cell_w, top - 8, y, "middle", 11) for i, y in enumerate(years)]
    for j, row in enumerate(rows):
        parts.append(_text(left - 6, top + (j + 0.5) * cell_h + 4, row, "end", 12))
        for i, year in enumerate(years):
            share, label = cells.get((row, year), (None, ""))
            fill = "#f0f0f0" if share is None else _blue(share)
            ink = "#fff" if share is not None and share > 0.6 else "#222"
            parts.append(
                f'<rect x="{left + i * cell_w:.1f}" y="{top + j * cell_h:.1f}" width="{cell_w - 1:.1f}" '
                f'height="{cell_h - 1:.1f}" fill="{fill}"><title>{escape(row)} {year}: {escape(label)}</title></rect>'
            )
            parts.append(
                _text(left + (i + 0.5) * cell_w, top + (j + 0.5) * cell_h + 4, label, "middle", 10, f' fill="{ink}"')
            )
    return _svg(parts, title, width, height)


def _blue(share: float) -> str:
    """White (0) to dark blue (1)."""
    share = max(0.0, min(1.0, share))
    r, g, b = (int(255 + (target - 255) * share) for target in (8, 69, 148))
    return f"#{r:02x}{g:02x}{b:02x}"


def stacked_bars(title: str, counts: dict[int, dict[str, int]], order: Sequence[str]) -> str:
    """One bar per year, stacked by category in `order` (colours of TIMELINESS_COLOURS or the palette)."""
    if not counts:
        return empty_chart(title, "no data")
    years = sorted(counts)
    x0, x1 = MARGIN["left"], WIDTH - MARGIN["right"]
    y0, y1 = HEIGHT - MARGIN["bottom"], MARGIN["top"]
    top = _nice_max(max(5, *(sum(c.values()) for c in counts.values())))
    slot = (x1 - x0) / len(years)
    colours = [TIMELINESS_COLOURS.get(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(order)]
    parts = _frame(x0, x1, y0, y1, top, False)
    for i, year in enumerate(years):
        base = float(y0)
        for name, colour in zip(order, colours):
            value = counts[year].get(name, 0)
            height = (y0 - y1) * value / top
            if value:
                parts.append(
                    f'<rect x="{x0 + i * slot + slot * 0.15:.1f}" y="{base - height:.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{height:.1f}" fill="{colour}"><title>{year} {escape(name)}: {value}</title></rect>'
                )
            base -= height
        parts.append(_text(x0 + (i + 0.5) * slot, y0 + 18, year, "middle", 11))
    parts += _legend(list(order), colours, x1 + 16, y1)
    return _svg(parts, title)
