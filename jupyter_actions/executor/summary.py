"""The audit of a batch: counts, latency percentiles, slowest actions, failures."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.lean import BatchResult
from ..outcome import Status, error_summary

LATENCY_QUANTILES = (0.5, 0.9, 0.99)
INVALID = "invalid"
"""A batch line's status when its event did not run (not JSON, or does not fit the trigger);
the others are ``Status`` values."""


def percentiles(values: list[float], *qs: float) -> list[float]:
    """Nearest-rank percentiles from one sort (a batch has 100,000 values and more)."""
    if not values:
        return [0.0] * len(qs)
    ordered = sorted(values)
    return [ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in qs]


@dataclass
class BatchSummary:
    trigger_id: str
    events: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    refused: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    action_durations: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    distributed: dict[str, Any] | None = None  # a Dask run: its partitions and those run again

    MAX_LISTED = 50

    def add(self, result: BatchResult) -> None:
        self.events += 1
        if result.execution_id is None:
            self.statuses[INVALID] += 1
            if len(self.refused) < self.MAX_LISTED:
                self.refused.append({"index": result.index, "message": result.invalid or result.malformed})
            return
        self.statuses[result.status] += 1
        self.durations.append(result.duration_ms)
        for name, duration, _ in result.steps:
            self.action_durations[name].append(duration)
        if result.status == Status.FAILED and len(self.failures) < self.MAX_LISTED:
            self.failures.append({"index": result.index, "execution_id": result.execution_id, **(result.error or {})})

    def merge(self, other: BatchSummary) -> None:
        """Add a partition's summary (partitions merged in input order)."""
        self.events += other.events
        self.statuses.update(other.statuses)
        self.refused = (self.refused + other.refused)[: self.MAX_LISTED]
        self.failures = (self.failures + other.failures)[: self.MAX_LISTED]
        self.durations += other.durations
        for name, values in other.action_durations.items():
            self.action_durations[name] += values

    @property
    def failed(self) -> int:
        return self.statuses[Status.FAILED] + self.statuses[INVALID]

    def to_json(self) -> dict[str, Any]:
        return {
            "trigger_id": self.trigger_id,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "events_per_second": round(self.events / self.seconds, 1) if self.seconds else None,
            "statuses": dict(self.statuses),
            "failed": self.failed,
            "latency_ms": {
                f"p{int(q * 100)}": round(value, 3)
                for q, value in zip(LATENCY_QUANTILES, percentiles(self.durations, *LATENCY_QUANTILES), strict=True)
            },
            "slowest_actions": self.slowest_actions(),
            "failures": self.failures,
            "refused": self.refused,
            **({"distributed": self.distributed} if self.distributed is not None else {}),
        }

    def slowest_actions(self) -> list[dict[str, Any]]:
        rows = []
        for name, values in self.action_durations.items():
            p50, p99, top = percentiles(values, 0.5, 0.99, 1.0)
            rows.append(
                {
                    "action_name": name,
                    "runs": len(values),
                    "p50_ms": round(p50, 3),
                    "p99_ms": round(p99, 3),
                    "max_ms": round(top, 3),
                }
            )
        return sorted(rows, key=lambda r: r["p99_ms"], reverse=True)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2))

    def markdown(self) -> str:
        data = self.to_json()
        lines = [
            f"## {self.trigger_id}: {self.events} events in {data['seconds']} s"
            + (f" ({data['events_per_second']} events/s)" if data["events_per_second"] else ""),
            "",
            "| outcome | executions |",
            "|---|---|",
        ]
        lines += [f"| {status} | {count} |" for status, count in sorted(self.statuses.items())]
        lines += ["", "| latency | ms |", "|---|---|"] + [f"| {k} | {v} |" for k, v in data["latency_ms"].items()]
        lines += [
            "",
            "### Slowest actions",
            "",
            "| action | runs | p50 ms | p99 ms | max ms |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r['action_name']} | {r['runs']} | {r['p50_ms']} | {r['p99_ms']} | {r['max_ms']} |"
            for r in data["slowest_actions"]
        ]
        lines += ["", f"### Failed executions ({self.statuses[Status.FAILED]})", ""]
        if self.failures:
            lines += ["| event | execution | action | error |", "|---|---|---|---|"]
            lines += [
                f"| {f['index']} | {f['execution_id']} | {f.get('action_name')} | {_cell(error_summary(f))} |"
                for f in self.failures
            ]
        else:
            lines.append("None.")
        if self.refused:
            lines += [
                "",
                f"### Events that do not fit the trigger ({self.statuses[INVALID]})",
                "",
                "| event | problem |",
                "|---|---|",
            ]
            lines += [f"| {r['index']} | {_cell(r['message'])} |" for r in self.refused]
        if self.distributed is not None:
            lines += ["", "### Dask", "", distributed_text(self.distributed)]
        return "\n".join(lines)


def distributed_text(distributed: dict[str, Any]) -> str:
    """What a Dask run did: where, in how many partitions, and which ran again."""
    where = f"on {distributed['workers']} Dask workers of {distributed['scheduler']}"
    if distributed.get("ordered"):
        text = f"1 partition, its events in input order (an action of the flow uses api.cache), {where}"
    else:
        text = f"{distributed['partitions']} partitions {where}"
    for rerun in distributed.get("reran", ()):
        text += (
            f"; partition {rerun['partition']} (events {rerun['first_index']}-{rerun['last_index']}) ran "
            f"{rerun['attempts']} times (its worker died): {rerun['recorded_before']} of its executions were "
            "recorded by an earlier attempt and kept, none twice"
        )
    return text


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")[:300]
