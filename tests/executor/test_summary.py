"""The audit's figures: nearest-rank percentiles, counts, slowest actions first."""

from __future__ import annotations

from jupyter_actions.engine.lean import BatchResult
from jupyter_actions.executor.summary import BatchSummary, percentiles


def test_percentiles_come_from_one_ordering() -> None:
    values = [float(v) for v in range(100, 0, -1)]  # 100 .. 1, unsorted input
    assert percentiles(values, 0.5, 0.9, 0.99, 1.0) == [51.0, 91.0, 100.0, 100.0]
    assert percentiles([], 0.5, 0.99) == [0.0, 0.0]
    assert values[0] == 100.0  # the input is left as it was


def test_summary_reports_latency_and_the_slowest_action_first() -> None:
    summary = BatchSummary("post-login")
    for i in range(1, 101):
        steps = (("quick", 0.01 * i, None), ("slow", 1.0 * i, None))
        summary.add(BatchResult(i, f"id-{i}", "denied" if i % 10 == 0 else "allowed", "{}", None, float(i), steps))
    summary.add(BatchResult(101, invalid="$.user: expected an object"))
    data = summary.to_json()
    assert data["statuses"] == {"allowed": 90, "denied": 10, "invalid": 1} and data["failed"] == 1
    assert data["latency_ms"] == {"p50": 51.0, "p90": 91.0, "p99": 100.0}
    assert [row["action_name"] for row in data["slowest_actions"]] == ["slow", "quick"]
    assert data["slowest_actions"][0] == {
        "action_name": "slow",
        "runs": 100,
        "p50_ms": 51.0,
        "p99_ms": 100.0,
        "max_ms": 100.0,
    }
