"""Test runs and flow executions, recorded in the store."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .._clock import iso_from_epoch
from .._ids import new_execution_id
from ..errors import ActionsError, ConflictError, ExecutionError, PayloadError
from ..runtime import Job
from ..model import Execution
from ..secrets import Cipher
from ..store import Store
from ..store.rows import action_row
from ..tenant import settings
from ..triggers import Trigger, get_trigger
from ..store.hot import HotReader
from ..triggers import _outcome as outcome
from . import lean, plan, records
from .lean import BatchResult
from .records import Rows
from .writer import CacheChange, Pending, RecordWriter, writer_for
from .plan import PlannedStep
from .pools import pool_for
from .runner import EnvResolver, Limits, run_steps


RECORDS_PER_FRAME = 64  # a batch's executions go to the record sink this many at a time


class Engine:
    """Runs a tenant's actions; one per `Tenant`."""

    def __init__(self, store: Store, cipher: Cipher, env_for: EnvResolver):
        self.store = store
        self.cipher = cipher
        self.env_for = env_for
        self._plans: dict[str, tuple[int, list[PlannedStep], dict]] = {}
        self._last_prune = 0.0
        self.hot = HotReader(store)

    @property
    def writer(self) -> RecordWriter:
        return writer_for(self.store)

    # public operations -------------------------------------------------------------------
    def test(self, name: str, payload: dict | None, version: int | None, directory: dict | None,
             record: bool = True) -> Execution:
        """Run an action's draft (or one version) on a payload, like Auth0's Test panel."""
        with self.store.read() as conn:
            trigger = get_trigger(action_row(conn, name).trigger_id)
            if version is None:
                planned = [plan.draft_step(conn, self.cipher, name, trigger.handler)]
            else:
                planned = [plan.version_step(conn, self.cipher, name, version, trigger.handler)]
            limits = _limits(settings.load(conn))
        event = self._event(trigger, payload)
        return self._execute("test", trigger, event, planned, limits, directory, record=record)

    def run_flow(self, trigger_id: str, event: dict, directory: dict | None = None,
                 replace: dict[str, PlannedStep] | None = None, record: bool = True, kind: str = "flow") -> Execution:
        """Run the trigger's flow on one event; ``replace`` swaps actions for candidates (replay)."""
        trigger = get_trigger(trigger_id)
        event = self._event(trigger, event)
        generation, cache = self._hot_state(trigger)
        planned, limits = self._flow_plan(trigger, generation)
        if replace:
            planned = [replace.get(p.step.action_name, p) for p in planned]
        return self._execute(kind, trigger, event, planned, limits, directory, record=record, cache=cache)

    def run_batch(self, trigger_id: str, events: Iterable[dict], *, directory: dict | None = None,
                  record: bool = True, replace: dict[str, PlannedStep] | None = None,
                  kind: str = "flow", redacted: bool = False) -> Iterator[tuple[int, Execution | ActionsError]]:
        """Run the flow over many events, yielding ``(index, execution)`` as each finishes.

        An event that does not fit the trigger yields ``(index, PayloadError)``. Events run on
        every worker at once when the flow's actions share one environment and none of them
        uses ``api.cache``; otherwise they run one after the other, in order, so that each
        execution sees the cache writes of the one before (as a sequence of logins would).
        """
        trigger = get_trigger(trigger_id)
        generation, cache = self._hot_state(trigger)
        planned, limits = self._flow_plan(trigger, generation)
        if replace:
            planned = [replace.get(p.step.action_name, p) for p in planned]
        environments = {self.env_for(p.lock) for p in planned}
        if len(environments) > 1 or any("cache" in p.step.code for p in planned):
            results = self._ordered_batch(trigger, events, planned, limits, directory, record, kind)
        else:
            results = self._parallel_batch(trigger, events, planned, limits, cache, directory, record, kind,
                                           environments.pop())
        if not redacted:
            yield from results
            return
        secret_values = plan.secret_values(planned)
        for index, result in results:
            yield index, result if isinstance(result, ActionsError) else records.redacted(result, secret_values)

    def run_lines(self, trigger_id: str, lines: Iterable[str], *, record: bool = True,
                  kind: str = "flow") -> Iterator[BatchResult]:
        """The executor's batch: each line a JSON event; yields a BatchResult per line as it
        finishes. Lines are handed to the workers as text (see engine/lean.py)."""
        trigger = get_trigger(trigger_id)
        generation, cache = self._hot_state(trigger)
        planned, limits = self._flow_plan(trigger, generation)
        environments = {self.env_for(p.lock) for p in planned}
        if len(environments) > 1 or any("cache" in p.step.code for p in planned):
            yield from self._decoded_lines(trigger_id, lines, record, kind)
            return
        pool = pool_for(environments.pop(), memory_mb=limits.memory_mb, log_limit=limits.log_limit)
        steps = tuple(p.step for p in planned)
        secret_values = plan.secret_values(planned)
        texts: list[str] = []

        def jobs() -> Iterator[Job]:
            for line in lines:
                texts.append(line)
                yield Job(trigger_id=trigger.id, event=None, event_json=line, steps=steps, cache=cache,
                          timeout_s=limits.timeout_s)

        unsent: list[Rows] = []
        try:
            for index, output in pool.map(jobs()):
                result, rows = lean.from_lean(index, output, trigger, planned, texts[index], secret_values, kind)
                texts[index] = ""
                if rows is not None and record:
                    unsent.append(rows)
                    if len(unsent) >= RECORDS_PER_FRAME:
                        self.writer.submit_rows(unsent)
                        unsent = []
                yield result
        finally:
            self.writer.submit_rows(unsent)

    def _decoded_lines(self, trigger_id: str, lines: Iterable[str], record: bool, kind: str) -> Iterator[BatchResult]:
        malformed: dict[int, str] = {}

        def events() -> Iterator[dict | None]:
            for index, line in enumerate(lines):
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    malformed[index] = f"not valid JSON: {getattr(exc, 'msg', exc)}"
                    value = None
                else:
                    if not isinstance(value, dict):
                        malformed[index] = f"an event must be a JSON object, not {type(value).__name__}"
                        value = None
                yield value

        for index, result in self.run_batch(trigger_id, events(), record=record, kind=kind, redacted=True):
            if index in malformed:
                yield lean.BatchResult(index, malformed=malformed.pop(index))
            else:
                yield lean.from_execution(index, result)

    def _ordered_batch(self, trigger: Trigger, events: Iterable[dict], planned: list[PlannedStep], limits: Limits,
                       directory: dict | None, record: bool, kind: str) -> Iterator[tuple[int, Execution | ActionsError]]:
        for index, event in enumerate(events):
            try:
                checked = self._event(trigger, event)
            except PayloadError as error:
                yield index, error
                continue
            yield index, self._execute(kind, trigger, checked, planned, limits, directory, record=record)

    def _parallel_batch(self, trigger: Trigger, events: Iterable[dict], planned: list[PlannedStep], limits: Limits,
                        cache: dict, directory: dict | None, record: bool, kind: str,
                        sys_path: tuple[str, ...]) -> Iterator[tuple[int, Execution | ActionsError]]:
        pool = pool_for(sys_path, memory_mb=limits.memory_mb, log_limit=limits.log_limit)
        steps = tuple(p.step for p in planned)
        accepted: list[tuple[int, dict]] = []  # job position -> (event index, event)
        refused: list[tuple[int, ActionsError]] = []

        def jobs() -> Iterator[Job]:
            for index, event in enumerate(events):
                try:
                    checked = self._event(trigger, event)
                except PayloadError as error:
                    refused.append((index, error))
                    continue
                accepted.append((index, checked))
                yield Job(trigger_id=trigger.id, event=checked, steps=steps, cache=cache, directory=directory,
                          timeout_s=limits.timeout_s)

        secret_values = plan.secret_values(planned)
        for position, output in pool.map(jobs()):
            while refused:
                yield refused.pop(0)
            index, event = accepted[position]
            accepted[position] = (index, {})  # let the event go
            execution = self._from_output(kind, trigger, event, output)
            if record:
                changed = output["cache"] != cache
                self.writer.submit(Pending(execution, None, secret_values),
                                   CacheChange(trigger.id, cache, output["cache"]) if changed else None)
            yield index, execution
        while refused:
            yield refused.pop(0)

    def _from_output(self, kind: str, trigger: Trigger, event: dict, output: dict) -> Execution:
        results = output["results"]
        folded = outcome.fold(trigger, results, output["event"])
        execution_id = new_execution_id()
        duration = sum(r["response"]["stats"].get("total_request_duration_ms", 0.0) for r in results)
        started = results[0]["started_at"] if results else iso_from_epoch(time.time())
        ended = results[-1]["ended_at"] if results else started
        return Execution(
            id=execution_id, trigger_id=trigger.id, kind=kind, status=outcome.EXECUTION_STATUS[folded["status"]],
            outcome={**folded, "execution_id": execution_id}, results=tuple(results), event=event,
            duration_ms=round(duration, 3), created_at=started, updated_at=ended,
        )

    def continue_flow(self, execution_id: str, request: dict | None, directory: dict | None) -> Execution:
        """Resume a suspended execution in the same action's continue handler, then the rest."""
        self.writer.flush()
        with self.store.read() as conn:
            previous, state = records.get(conn, execution_id)
            if previous.outcome.get("status") != outcome.STATUS_SUSPENDED or not state:
                raise ConflictError(
                    f"execution {execution_id} is {previous.outcome.get('status')}, not suspended: only a "
                    "suspended execution can be continued"
                )
            trigger = get_trigger(previous.trigger_id)
            if not trigger.continue_handler:
                raise ConflictError(f"trigger {trigger.id} has no continue handler")
            first = state["suspended"]
            planned = [plan.step_for_version_id(conn, self.cipher, first["version_id"], trigger.continue_handler, first.get("binding_id"))]
            planned += [plan.step_for_version_id(conn, self.cipher, r["version_id"], trigger.handler, r.get("binding_id"))
                        for r in state["remaining"]]
            limits = _limits(settings.load(conn))
        event = copy.deepcopy(state["event"])
        if request is not None:
            if not isinstance(request, dict):
                raise PayloadError("the continue request must be a JSON object (the new event.request)")
            event["request"] = request
        return self._execute("flow", trigger, event, planned, limits, directory, previous=previous, phase="continue")

    # internals ---------------------------------------------------------------------------
    def _event(self, trigger: Trigger, payload: dict | None) -> dict:
        event = trigger.sample_payload() if payload is None else payload
        if not isinstance(event, dict):
            raise PayloadError(f"the {trigger.id} payload must be a JSON object, not {type(event).__name__}")
        trigger.validate_payload(event)
        return event

    def _flow_plan(self, trigger: Trigger, generation: int) -> tuple[list[PlannedStep], Limits]:
        cached = self._plans.get(trigger.id)
        if cached is None or cached[0] != generation:
            with self.store.read() as conn:
                generation = self.store.generation(conn)
                planned = plan.flow_steps(conn, self.cipher, trigger.id, trigger.handler)
                cached = self._plans[trigger.id] = (generation, planned, settings.load(conn))
        planned, values = cached[1], cached[2]
        if not planned:
            raise ExecutionError(f"the {trigger.id} flow has no bound actions: bind some with `jupyter-actions flows bind {trigger.id} ACTION...`")
        return planned, _limits(values)

    def _hot_state(self, trigger: Trigger) -> tuple[int, dict]:
        """The store generation and the trigger's live cache (after this process's own writes)."""
        if self.writer.pending_cache[trigger.id]:
            self.writer.flush()
        return self.hot.generation_and_cache(trigger.id, int(time.time() * 1000))

    def _execute(self, kind: str, trigger: Trigger, event: dict, planned: Sequence[PlannedStep], limits: Limits,
                 directory: dict | None, *, previous: Execution | None = None, phase: str = "execute",
                 record: bool = True, cache: dict | None = None) -> Execution:
        started = time.time()
        cache_before = self._hot_state(trigger)[1] if cache is None else cache
        run = run_steps(trigger, event, planned, cache=cache_before, directory=directory, phase=phase,
                        limits=limits, env_for=self.env_for)
        results = (list(previous.results) if previous else []) + run.results
        folded = outcome.fold(trigger, results, run.event)
        ended = time.time()
        execution_id = previous.id if previous else new_execution_id()
        execution = Execution(
            id=execution_id, trigger_id=trigger.id, kind=kind,
            status=outcome.EXECUTION_STATUS[folded["status"]], outcome={**folded, "execution_id": execution_id},
            results=tuple(results), event=previous.event if previous else event,
            duration_ms=round((previous.duration_ms if previous else 0.0) + (ended - started) * 1000, 3),
            created_at=previous.created_at if previous else iso_from_epoch(started), updated_at=iso_from_epoch(ended),
        )
        if record:
            self._record(execution, previous, cache_before, run, planned, kind)
        return execution

    def _record(self, execution: Execution, previous: Execution | None, cache_before: dict, run, planned, kind: str) -> None:  # noqa: ANN001
        secret_values = plan.secret_values(planned)
        state = _suspension_state(execution.outcome, run, planned, secret_values) if kind == "flow" else None
        first = len(previous.results) if previous else 0
        cache = CacheChange(execution.trigger_id, cache_before, run.cache) if run.cache != cache_before else None
        self.writer.submit(Pending(execution, state, secret_values, first), cache)
        self._maybe_prune()
        if state is not None:
            self.writer.flush()  # a continue may come from another process

    def _maybe_prune(self) -> None:
        """Apply the retention setting every ten minutes of activity."""
        if time.monotonic() - self._last_prune > 600:
            self._last_prune = time.monotonic()
            with self.store.write(lifecycle=False) as conn:
                records.prune(conn, settings.load(conn)["execution_retention_days"])


def _suspension_state(folded: dict, run, planned: Sequence[PlannedStep], secret_values: list[str]) -> dict | None:  # noqa: ANN001
    if folded["status"] != outcome.STATUS_SUSPENDED:
        return None
    position = len(run.results) - 1
    suspended = planned[position].step
    return {
        "event": records.scrub_event(run.event, secret_values),
        "suspended": {"version_id": suspended.version_id, "binding_id": suspended.binding_id},
        "remaining": [{"version_id": p.step.version_id, "binding_id": p.step.binding_id} for p in planned[position + 1:]],
    }


def _limits(values: dict[str, Any]) -> Limits:
    return Limits(timeout_s=values["flow_timeout_s"], memory_mb=values["worker_memory_mb"], log_limit=values["log_limit_bytes"])
