"""A replay on a Dask cluster: the recorded executions' ids in partitions, each replayed by a
Dask worker.

The client checks the candidate and lists the ids the local replay would re-run, in its order;
a task carries names, the candidate's reference and a partition of those ids, never an event
or a secret. The Dask worker loads its partition's recorded events from the tenant's
PostgreSQL itself (opened from its own environment, as a batch partition's, docs/dask.md) and
replays them with ``Tenant.replay(..., ids=...)``, the engine code of a local replay; the
client joins the partitions' reports in order into one ``ReplayReport``. A replay records
nothing and keeps no cache write, so a partition run again after its worker died changes
nothing, and partitions running side by side see the same cache a local replay sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..engine.replay import ReplayReport
from ..triggers import get_trigger
from .dask_run import connect, partition_size, require_postgres, result_of
from .partitions import Flow, check_worker_tenant, flow_of, worker_lock, worker_tenant

if TYPE_CHECKING:
    from ..tenant import Tenant


@dataclass(frozen=True)
class ReplayTask:
    tenant: str
    trigger: str
    candidate: str  # ACTION, ACTION@draft or ACTION@N
    ids: tuple[str, ...]  # the recorded executions to replay, in the report's order
    flow: Flow  # the flow the replay started with


def replay_partition(task: ReplayTask) -> ReplayReport:
    """Replay a partition on this Dask worker (one partition at a time per process)."""
    with worker_lock:
        tenant = worker_tenant(task.tenant)
        check_worker_tenant(tenant, task.trigger, task.flow)
        return tenant.replay(task.trigger, task.candidate, ids=list(task.ids))


def replay_distributed(
    tenant: Tenant, trigger: str, candidate: str, scheduler: str, *, since: str | None = None, limit: int | None = None
) -> tuple[ReplayReport, dict[str, Any]]:
    """``tenant.replay`` on the Dask cluster at ``scheduler``: the same report, in the same
    order; and where it ran (scheduler, workers, partitions). Refused before anything runs on
    a SQLite tenant, a candidate the local replay refuses, or a scheduler out of reach."""
    require_postgres(tenant)
    ids = tenant.replay_ids(trigger, candidate, since=since, limit=limit)
    flow = flow_of(tenant, trigger)
    client = connect(scheduler)
    try:
        workers = len(client.scheduler_info()["workers"])
        size = partition_size(len(ids), workers)
        tasks = [
            ReplayTask(tenant.name, trigger, candidate, tuple(ids[first : first + size]), flow)
            for first in range(0, len(ids), size)
        ]
        futures = [client.submit(replay_partition, task, pure=False) for task in tasks]
        reports = [result_of(future, "replay", "nothing was recorded: run the replay again") for future in futures]
    finally:
        client.close()
    executions = tuple(execution for report in reports for execution in report.executions)
    where = {"scheduler": scheduler, "workers": workers, "partitions": len(tasks)}
    return ReplayReport(get_trigger(trigger).id, candidate, executions), where
