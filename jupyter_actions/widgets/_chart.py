"""An inline SVG chart of executions over time: outcomes as stacked bars, latency percentiles
as lines. No plotting library: the figure is a few dozen SVG elements."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .._clock import epoch_from_iso, iso_from_epoch
from ..frontends.present import short_time
from ..model import Execution
from ..outcome import Status
from ._html import TONES, Html, esc

OUTCOMES = (
    (Status.ALLOWED, TONES["good"]),
    (Status.DENIED, TONES["bad"]),
    (Status.SUSPENDED, TONES["warn"]),
    (Status.FAILED, "#6a1b9a"),
)
PERCENTILES = ((50, "#1565c0", ""), (95, "#000000", "4 3"))
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 220, 40, 56, 24, 28


@dataclass
class Bucket:
    start: float
    counts: dict[str, int] = field(default_factory=dict)
    durations: list[float] = field(default_factory=list)


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def buckets(executions: Sequence[Execution], count: int = 12) -> list[Bucket]:
    """``count`` equal time slices from the first execution to the last."""
    if not executions:
        return []
    times = [epoch_from_iso(e.created_at) for e in executions]
    first, last = min(times), max(times)
    width = max((last - first) / count, 1e-6)
    result = [Bucket(first + i * width) for i in range(count)]
    for when, execution in zip(times, executions, strict=True):
        bucket = result[min(int((when - first) / width), count - 1)]
        status = execution.outcome.get("status", Status.FAILED)
        bucket.counts[status] = bucket.counts.get(status, 0) + 1
        bucket.durations.append(execution.duration_ms)
    return result


def runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The stretches of consecutive values that are not None, with their positions."""
    found: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            found.append([])
        else:
            found[-1].append((i, value))
    return [run for run in found if run]


def outcome_latency_svg(executions: Sequence[Execution], count: int = 12) -> Html:
    slices = buckets(executions, count)
    if not slices:
        return Html("<i>no executions to chart</i>")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    bar_w = plot_w / len(slices)
    top_count = max(sum(b.counts.values()) for b in slices) or 1
    lines = {p: [percentile(b.durations, p) for b in slices] for p, _, _ in PERCENTILES}
    top_ms = max((v for values in lines.values() for v in values if v is not None), default=0) or 1
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' font-size='10' "
        "font-family='sans-serif' role='img' aria-label='outcomes and latency over time'>",
        f"<rect x='{LEFT}' y='{TOP}' width='{plot_w}' height='{plot_h}' fill='none' stroke='#ccc'/>",
    ]
    for i, bucket in enumerate(slices):
        y: float = TOP + plot_h
        for status, colour in OUTCOMES:
            n = bucket.counts.get(status, 0)
            if n:
                h = plot_h * n / top_count
                y -= h
                parts.append(
                    f"<rect x='{LEFT + i * bar_w + 1:.1f}' y='{y:.1f}' width='{bar_w - 2:.1f}' "
                    f"height='{h:.1f}' fill='{colour}' opacity='0.75'><title>{esc(status)}: {n}</title></rect>"
                )
    for p, colour, dash in PERCENTILES:
        for run in runs(lines[p]):  # a slice without executions breaks the line
            points = [(LEFT + (i + 0.5) * bar_w, TOP + plot_h * (1 - v / top_ms)) for i, v in run]
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2' "
                f"stroke-dasharray='{dash}' stroke-linecap='round'><title>p{p} latency</title></polyline>"
            )
    parts += [
        f"<text x='{LEFT - 4}' y='{TOP + 4}' text-anchor='end'>{top_count}</text>",
        f"<text x='{LEFT - 4}' y='{TOP + plot_h}' text-anchor='end'>0</text>",
        f"<text x='{WIDTH - RIGHT + 4}' y='{TOP + 4}'>{top_ms:.0f} ms</text>",
        f"<text x='{LEFT}' y='{HEIGHT - 8}'>{esc(short_time(iso_from_epoch(slices[0].start)))}</text>",
        f"<text x='{WIDTH - RIGHT}' y='{HEIGHT - 8}' text-anchor='end'>"
        f"{esc(short_time(max(e.created_at for e in executions)))}</text>",
    ]
    legend = [(status, colour, "") for status, colour in OUTCOMES] + [(f"p{p} ms", c, d) for p, c, d in PERCENTILES]
    for i, (label, colour, dash) in enumerate(legend):
        x = LEFT + i * 84
        parts.append(
            f"<line x1='{x}' y1='12' x2='{x + 14}' y2='12' stroke='{colour}' stroke-width='6' "
            f"stroke-dasharray='{dash}'/><text x='{x + 18}' y='15'>{esc(label)}</text>"
        )
    parts.append("</svg>")
    return Html("".join(parts))
