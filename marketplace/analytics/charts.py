"""Chart geometry for server-rendered SVG: plain numbers the templates draw, no JavaScript, no chart library.

Each function takes figures from `services` and labels already in the reader's language, and returns a
dict with the canvas size and the shapes to draw; `templates/analytics/_charts.html` turns it into SVG.
"""
from __future__ import annotations

from collections.abc import Sequence


def mix(start: str, end: str, t: float) -> str:
    """Blend two #rrggbb colours; t=0 gives start, t=1 gives end."""
    t = max(0.0, min(1.0, t))
    a = [int(start[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(end[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b, strict=True))


def heat_fill(cell, max_needs: int) -> tuple[str, str]:
    """Return (fill, text colour) of a heatmap cell: red where demand outruns supply, green where it is met."""
    if cell.needs == 0:
        return ("#e3f1ea" if cell.supply else "#f3f5f7"), "#5b6675"
    t = cell.needs / max(max_needs, 1)
    if cell.gap:
        fill = mix("#fcd3b0", "#b3122b", 0.25 + 0.75 * t)
    else:
        fill = mix("#b7e1c8", "#0b6e4f", 0.25 + 0.75 * t)
    return fill, ("#ffffff" if t > 0.35 else "#1d2633")


def text_width(text: str, size: float = 12) -> float:
    """Estimate the drawn width of a label: full width for CJK characters, about 0.6 em for the rest."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


def heatmap_chart(hm, industry_label, column_label, column_link=None, cell_size: int = 32) -> dict:
    """Lay out the heatmap: rows are industries, columns stages or scenarios (labels rotated 55°); a column
    label is a link when `column_link` gives one (a stage's drill-down)."""
    row_texts = [industry_label(code) for code in hm.industries]
    col_texts = [column_label(code) for code in hm.columns]
    label_width = round(max((text_width(t) for t in row_texts), default=0) + 16)
    longest = max((text_width(t) for t in col_texts), default=0)
    head_height = round(longest * 0.82 + 20)
    right_pad = round(text_width(col_texts[-1]) * 0.58) if col_texts else 0
    cells = []
    for row, industry in enumerate(hm.industries):
        for col, column in enumerate(hm.columns):
            cell = hm.cell(industry, column)
            fill, ink = heat_fill(cell, hm.max_needs)
            cells.append({"x": label_width + col * cell_size, "y": head_height + row * cell_size,
                          "fill": fill, "ink": ink, "cell": cell, "gap": cell.gap,
                          "industry": row_texts[row], "column": col_texts[col]})
    rows = [{"x": label_width - 8, "y": head_height + row * cell_size + cell_size / 2 + 4, "text": text}
            for row, text in enumerate(row_texts)]
    cols = [{"x": label_width + col * cell_size + cell_size / 2 + 4, "y": head_height - 8, "text": text,
             "link": column_link(code) if column_link else None}
            for col, (code, text) in enumerate(zip(hm.columns, col_texts, strict=True))]
    return {"width": label_width + len(hm.columns) * cell_size + right_pad + 8,
            "height": head_height + len(hm.industries) * cell_size + 8,
            "size": cell_size, "cells": cells, "rows": rows, "cols": cols}


def bar_chart(rows: Sequence[tuple[str, float, str]], width: int = 560, label_width: int = 150,
              bar_height: int = 26, gap: int = 10) -> dict:
    """Lay out horizontal bars: rows are (label, value, value as text); the longest bar fills the width."""
    top = max((value for _, value, _ in rows), default=0) or 1
    room = width - label_width - 70
    bars = [{"label": label, "text": text, "x": label_width, "y": i * (bar_height + gap),
             "w": max(1.0, room * value / top) if value else 0, "h": bar_height,
             "ty": i * (bar_height + gap) + bar_height / 2 + 5}
            for i, (label, value, text) in enumerate(rows)]
    return {"width": width, "height": max(len(rows) * (bar_height + gap) - gap, bar_height),
            "bars": bars, "label_width": label_width}


def dot_chart(rows: list[tuple[str, float | None]], threshold: float, low: float = 0.70, high: float = 1.0,
              width: int = 560, label_width: int = 190, row_height: int = 24) -> dict:
    """Lay out a dot plot of similarities on a low–high axis with the threshold marked (None sits at low)."""
    room = width - label_width - 20

    def x(value: float) -> float:
        """Map a similarity onto the horizontal axis, clamped to low–high."""
        return label_width + room * (max(low, min(high, value)) - low) / (high - low)

    dots = [{"label": label, "x": x(value if value is not None else low), "y": 22 + i * row_height,
             "none": value is None} for i, (label, value) in enumerate(rows)]
    steps = int(round((high - low) / 0.05))
    ticks = [{"x": x(low + i * 0.05), "text": f"{low + i * 0.05:.2f}"} for i in range(steps + 1)]
    return {"width": width, "height": 30 + len(rows) * row_height, "dots": dots, "ticks": ticks,
            "threshold_x": x(threshold), "label_width": label_width, "axis_end": label_width + room}
