"""One partition of a distributed batch, as a Dask worker runs it (executor/dask_run.py sends it).

A task carries names, ids, counts and the partition's event lines, never a secret or a
database URL: the Dask worker opens the tenant itself, from its own process's environment
(``JUPYTER_ACTIONS_DATABASE_URL``, ``JUPYTER_ACTIONS_MASTER_KEY``, docs/dask.md), and runs its
lines through the engine's batch path on sandboxed workers of its own, as a local run does.
Every event's execution id follows from the run and the event's index
(``_ids.batch_execution_id``), so a partition run again after its Dask worker died writes the
ids it wrote before, and the store keeps the first of each (engine/records.py).
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .._ids import batch_execution_id
from ..engine.lean import BatchResult
from ..errors import ExecutionError
from .batch import PROGRESS_EVERY_S, result_line
from .summary import BatchSummary

if TYPE_CHECKING:
    from ..tenant import Tenant

Flow = tuple[tuple[str, int | None], ...]
"""A flow as both sides check it: each binding's id and the version it runs."""


@dataclass(frozen=True)
class PartitionTask:
    tenant: str
    trigger: str
    run: int  # _ids.new_batch_run()
    number: int  # the partition's place in the batch
    first_index: int  # its first event's index in the batch
    lines: tuple[bytes, ...]  # its events' lines, each a JSON object
    flow: Flow  # the flow the run started with
    topic: str  # the Dask event topic of the run's progress

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.lines) - 1


@dataclass(frozen=True)
class PartitionResult:
    number: int
    results: bytes  # the results file's lines for these events, in input order
    summary: BatchSummary
    malformed: tuple[tuple[int, str], ...]  # (event index, problem) of lines that are not JSON objects
    recorded_before: int  # executions of this partition an earlier attempt recorded


def flow_of(tenant: Tenant, trigger: str) -> Flow:
    return tuple((binding.id, binding.version_number) for binding in tenant.flow(trigger))


def run_partition(task: PartitionTask) -> PartitionResult:
    """Run a partition on this Dask worker (one partition at a time per tenant and process: the
    sandboxed workers are the parallelism) and commit its records before returning."""
    with worker_lock:
        tenant = worker_tenant(task.tenant)
        _report(task, {"started": True})
        check_worker_tenant(tenant, task.trigger, task.flow)
        recorded_before = tenant.executions_recorded(
            batch_execution_id(task.run, task.first_index), batch_execution_id(task.run, task.last_index)
        )
        summary = BatchSummary(task.trigger)
        results: list[BatchResult | None] = [None] * (task.last_index - task.first_index + 1)
        last = 0.0
        ids = functools.partial(_execution_id, task.run, task.first_index)
        for local in tenant.run_flow_lines(task.trigger, task.lines, ids=ids):
            result = replace(local, index=task.first_index + local.index)
            summary.add(result)
            results[local.index] = result
            if time.monotonic() - last > PROGRESS_EVERY_S:
                last = time.monotonic()
                _report(task, {"done": summary.events})
        tenant.flush()  # every record committed before the partition counts as done
        _report(task, {"done": summary.events})
    ordered = [result for result in results if result is not None]
    return PartitionResult(
        task.number,
        "".join(result_line(result) + "\n" for result in ordered).encode(),
        summary,
        tuple((result.index, result.malformed) for result in ordered if result.malformed),
        recorded_before,
    )


def _execution_id(run: int, first_index: int, index: int) -> str:
    return batch_execution_id(run, first_index + index)


def check_worker_tenant(tenant: Tenant, trigger: str, flow: Flow) -> None:
    """The Dask worker's tenant is the run's: on PostgreSQL, with the flow the run started with."""
    from distributed import get_worker

    where = f"Dask worker {get_worker().address}"
    if tenant.on_sqlite:
        raise ExecutionError(
            f"the {where} opened tenant {tenant.name!r} in a SQLite file of its own: set "
            "JUPYTER_ACTIONS_DATABASE_URL in the workers' environment to the tenant's PostgreSQL (docs/dask.md)"
        )
    if flow_of(tenant, trigger) != flow:
        raise ExecutionError(
            f"the {where} sees another {trigger} flow in tenant {tenant.name!r} than the run started "
            "with: give the workers the tenant's database URL (docs/dask.md), and bind or deploy after the run"
        )


def _report(task: PartitionTask, message: dict) -> None:
    """Progress to the client, through the scheduler's event log: counts only."""
    from distributed import get_worker

    get_worker().log_event(task.topic, {"partition": task.number, **message})


worker_lock = threading.Lock()
"""One partition at a time per Dask worker process (its sandboxed workers are the parallelism)."""
_tenants: dict[str, Tenant] = {}


def worker_tenant(name: str) -> Tenant:
    """The tenant, opened once per Dask worker process: its sandboxed workers stay warm for
    the next partition (and end with the process)."""
    if name not in _tenants:
        from ..tenant import Tenant

        _tenants[name] = Tenant(name)
    return _tenants[name]
