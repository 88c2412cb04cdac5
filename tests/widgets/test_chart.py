"""The pure parts of the logs chart."""

from __future__ import annotations

from jupyter_actions.model import Execution
from jupyter_actions.widgets._chart import buckets, outcome_latency_svg, percentile, runs


def execution(created_at: str, status: str, duration: float) -> Execution:
    return Execution("id", "post-login", "flow", "final", {"status": status}, (), {}, duration, created_at, created_at)


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0 and percentile([], 50) is None


def test_buckets_split_the_time_span():
    found = buckets(
        [
            execution("2025-01-15T09:00:00.000000Z", "allowed", 10),
            execution("2025-01-15T09:00:30.000000Z", "denied", 30),
            execution("2025-01-15T10:00:00.000000Z", "allowed", 20),
        ],
        count=4,
    )
    assert [b.counts for b in found] == [{"allowed": 1, "denied": 1}, {}, {}, {"allowed": 1}]
    assert found[0].durations == [10, 30]


def test_an_empty_chart_says_so():
    assert "no executions" in outcome_latency_svg([])


def test_latency_lines_break_where_a_slice_is_empty():
    assert runs([1.0, None, None, 2.0, 3.0, None]) == [[(0, 1.0)], [(3, 2.0), (4, 3.0)]]
    svg = outcome_latency_svg(
        [
            execution("2025-01-15T09:00:00.000000Z", "allowed", 10),
            execution("2025-01-15T10:00:00.000000Z", "allowed", 20),
        ],
        count=4,
    )
    assert svg.count("<polyline") == 4  # p50 and p95, each in two pieces
