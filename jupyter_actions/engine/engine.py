"""Test runs and flow executions, recorded in the store.

Every run goes the same way: the plan (which code, secrets and environment each action has),
the runtime's step rules (runtime/steps.py) on this engine's own workers, one assembly of the
``Execution`` (``_assemble``), and the record writer. A single run, an ordered batch and a
parallel batch differ only in how the runtime schedules the steps.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import _json_input as json_input
from .._clock import iso_from_epoch
from .._ids import new_execution_id
from ..errors import (
    ActionsError,
    ConflictError,
    ExecutionError,
    MalformedInputError,
    PayloadError,
    Remedy,
)
from ..model import Execution
from ..outcome import EXECUTION_STATUS, Control, ErrorClass, JobOutput, Outcome, Phase, Status, StepResult
from ..runtime import Job, Step, WorkerPool, limits
from ..runtime.redaction import Redactor, redactor_for
from ..secrets import Cipher
from ..store import Store
from ..store.hot import HotReader
from ..store.rows import action_row
from ..tenant import settings
from ..triggers import Trigger, get_trigger
from ..triggers import _outcome as outcome
from . import lean, plan, records
from .lean import BatchResult, RowMaker
from .plan import PlannedStep
from .pools import new_pool
from .records import Rows
from .runner import EnvResolver, Limits, limits_from, runnable
from . import writer as writers
from .writer import Pending, RecordWriter

RECORDS_PER_FRAME = 64  # a batch's executions go to the record sink this many at a time


class Engine:
    """Runs a tenant's actions on workers of its own; one per `Tenant`."""

    def __init__(self, store: Store, cipher: Cipher, env_for: EnvResolver):
        self.store = store
        self.cipher = cipher
        self.env_for = env_for
        self._plans: dict[str, FlowPlan] = {}
        self._last_prune = 0.0
        self._pool: WorkerPool | None = None
        self._writer: RecordWriter | None = None
        self.hot = HotReader(store, cipher.decrypt_or_none)

    @property
    def writer(self) -> RecordWriter:
        """The record writer this engine holds a lease on (shared with this process's other
        engines on the same database)."""
        writer = self._writer
        if writer is None or writer.dead:
            if writer is not None:
                writers.release(writer)
            writer = self._writer = writers.acquire(self.store)
        return writer

    @property
    def pool(self) -> WorkerPool:
        """This engine's workers (a tenant's actions never share a worker with another's)."""
        if self._pool is None or self._pool.closed:
            self._pool = new_pool()
        return self._pool

    def close(self) -> None:
        """Stop this engine's workers and give back its writer lease (the last one flushes
        and ends the sink process); the engine starts them again if used after."""
        if self._pool is not None:
            self._pool.close()
        writer, self._writer = self._writer, None
        if writer is not None:
            writers.release(writer)

    # public operations -------------------------------------------------------------------
    def warm(self, trigger_id: str) -> None:
        """Start a worker for each action bound to the trigger that has none (no wait)."""
        trigger = get_trigger(trigger_id)
        try:
            self._flow_plan(trigger, self._hot_state(trigger)[0])
        except ExecutionError:
            pass  # nothing bound, or a draft that cannot build: the run will say so

    def test(self, name: str, payload: dict | None, version: int | None, directory: dict | None,
             record: bool = True) -> Execution:
        """Run an action's draft (or one version) on a payload (None: the trigger's sample), like
        Auth0's Test panel."""
        with self.store.read() as conn:
            trigger = get_trigger(action_row(conn, name).trigger_id)
            if version is None:
                planned = [plan.draft_step(conn, self.cipher, name, trigger.handler)]
            else:
                planned = [plan.version_step(conn, self.cipher, name, version, trigger.handler)]
            limits = limits_from(settings.load(conn))
            values = plan.redaction_values(conn, self.cipher, trigger.id, planned)
        if payload is None:
            event = trigger.sample_payload()
        else:
            event = json_input.check_object(payload, f"the {trigger.id} payload")
        trigger.validate_payload(event)
        execution = self._execute("test", trigger, event, planned, runnable(planned, self.env_for), limits, directory,
                                  values, record=record)
        return records.redacted(execution, values)

    def redactor(self, trigger_id: str) -> Redactor:
        """The redactor of every secret value the trigger's actions hold (see
        ``plan.redaction_values``)."""
        with self.store.read() as conn:
            return redactor_for(plan.redaction_values(conn, self.cipher, trigger_id, ()))

    def run_flow(self, trigger_id: str, event: dict, directory: dict | None = None,
                 replace: dict[str, PlannedStep] | None = None, record: bool = True, kind: str = "flow",
                 redacted: bool = False) -> Execution:
        """Run the trigger's flow on one event; ``replace`` swaps actions for candidates (replay);
        ``redacted`` for a view: the flow's secret values gone, as recorded."""
        trigger = get_trigger(trigger_id)
        event = json_input.check_object(event, f"the {trigger.id} event")
        trigger.validate_payload(event)
        generation, cache = self._hot_state(trigger)
        flow = self._flow_plan(trigger, generation, replace)
        execution = self._execute(kind, trigger, event, flow.planned, flow.steps, flow.limits, directory, flow.values,
                                  record=record, cache=cache)
        return records.redacted(execution, flow.values) if redacted else execution

    def run_batch(self, trigger_id: str, events: Iterable[Any], *, directory: dict | None = None,
                  record: bool = True, replace: dict[str, PlannedStep] | None = None,
                  kind: str = "flow", redacted: bool = False) -> Iterator[tuple[int, Execution | ActionsError]]:
        """Run the flow over many events, yielding ``(index, execution)`` as each finishes.

        An event that is not plain JSON (docs/input.md) yields ``(index, MalformedInputError)``,
        one that does not fit the trigger ``(index, PayloadError)``. Events run on
        every worker at once unless an action may use ``api.cache`` (decided from its syntax
        when it was saved): then they run one after the other, in order, so that each
        execution sees the cache writes of the one before (as a sequence of logins would).
        """
        trigger = get_trigger(trigger_id)
        events = (_plain(event, f"the {trigger.id} event") for event in events)
        generation, cache = self._hot_state(trigger)
        flow = self._flow_plan(trigger, generation, replace)
        if any(p.uses_cache for p in flow.planned):
            results = self._ordered_batch(trigger, events, flow, directory, record, kind)
        else:
            results = self._parallel_batch(trigger, ((event, None) for event in events), flow, cache, directory, kind,
                                           self._submitter(record, flow.values))
        for index, result in results:
            if redacted and not isinstance(result, ActionsError):
                result = records.redacted(result, flow.values)
            yield index, result

    def run_lines(self, trigger_id: str, lines: Iterable[bytes | str], *, record: bool = True,
                  kind: str = "flow") -> Iterator[BatchResult]:
        """The executor's batch: each line a JSON event; yields a BatchResult per line as it
        finishes. Lines are handed to the workers as the text they are (see engine/lean.py).

        Each line is decoded by the one policy (docs/input.md) and checked against the trigger
        before either scheduling strategy sees it, so both classify every line alike: malformed
        (refused by the policy), invalid (does not fit the trigger) or run."""
        trigger = get_trigger(trigger_id)
        generation, cache = self._hot_state(trigger)
        flow = self._flow_plan(trigger, generation)
        events = (_line_event(line) for line in lines)
        if any(p.uses_cache for p in flow.planned):
            for index, result in self._ordered_batch(trigger, (event for event, _ in events), flow, None, record, kind):
                if isinstance(result, Execution):
                    result = records.redacted(result, flow.values)
                yield _batch_result(index, result)
            return
        rows = RowMaker(flow.values)
        unsent: list[Rows] = []
        texts: dict[str, str] = {}

        def store(execution: Execution, event_text: bytes | None) -> None:
            made, texts[execution.id] = rows.rows(execution, event_text or b"")
            if record:
                unsent.append(made)
                if len(unsent) >= RECORDS_PER_FRAME:
                    self.writer.submit_rows(unsent)
                    unsent.clear()

        try:
            for index, result in self._parallel_batch(trigger, events, flow, cache, None, kind, store):
                yield _batch_result(index, result, texts.pop(result.id) if isinstance(result, Execution) else None)
        finally:
            self.writer.submit_rows(unsent)

    def _ordered_batch(self, trigger: Trigger, events: Iterable[dict | ActionsError], flow: FlowPlan,
                       directory: dict | None, record: bool, kind: str) -> Iterator[tuple[int, Execution | ActionsError]]:
        for index, event in enumerate(events):
            checked = _checked(trigger, event)
            if isinstance(checked, ActionsError):
                yield index, checked
                continue
            yield index, self._execute(kind, trigger, checked, flow.planned, flow.steps, flow.limits, directory,
                                       flow.values, record=record)

    def _parallel_batch(self, trigger: Trigger, events: Iterable[tuple[dict | ActionsError, bytes | None]],
                        flow: FlowPlan, cache: dict, directory: dict | None, kind: str,
                        store: Callable[[Execution, bytes | None], None],
                        ) -> Iterator[tuple[int, Execution | ActionsError]]:
        """Every event on the workers at once; ``store(execution, event_text)`` records each.
        Only for flows whose actions do not use ``api.cache``: the cache cannot change here.
        An event given as an error (refused already) yields ``(index, error)``."""
        accepted: list[tuple[int, bytes | None, dict]] = []  # job position -> event index, text, event
        refused: list[tuple[int, ActionsError]] = []

        def jobs() -> Iterator[Job]:
            for index, (event, text) in enumerate(events):
                checked = _checked(trigger, event)
                if isinstance(checked, ActionsError):
                    refused.append((index, checked))
                    continue
                accepted.append((index, text, checked))
                yield Job(trigger_id=trigger.id, event=checked, steps=flow.steps, cache=cache, directory=directory,
                          timeout_s=flow.limits.timeout_s, event_json=text, spec=flow.limits.spec)

        for position, output in self.pool.map(jobs()):
            while refused:
                yield refused.pop(0)
            index, text, event = accepted[position]
            accepted[position] = (index, None, {})  # let the event go
            execution = self._assemble(kind, trigger, event, output)
            store(execution, text)
            yield index, execution
        while refused:
            yield refused.pop(0)

    def _submitter(self, record: bool, secret_values: list[str]) -> Callable[[Execution, bytes | None], None]:
        def submit(execution: Execution, _text: bytes | None) -> None:
            if record:
                self.writer.submit(Pending(execution, None, secret_values))
        return submit

    def continue_flow(self, execution_id: str, request: dict | None, directory: dict | None,
                      redacted: bool = False) -> Execution:
        """Resume a suspended execution in the same action's continue handler, then the rest."""
        self.writer.flush()
        with self.store.read() as conn:
            previous, state = records.get(conn, execution_id)
            if previous.outcome.get("status") != Status.SUSPENDED or not state:
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
            limits = limits_from(settings.load(conn))
            values = plan.redaction_values(conn, self.cipher, trigger.id, planned)
        event = copy.deepcopy(state["event"])
        if request is not None:
            event["request"] = json_input.check_object(request, "the continue request (the new event.request)")
        execution = self._execute("flow", trigger, event, planned, runnable(planned, self.env_for), limits, directory,
                                  values, previous=previous, phase=Phase.CONTINUE)
        return records.redacted(execution, values) if redacted else execution

    # internals ---------------------------------------------------------------------------
    def _flow_plan(self, trigger: Trigger, generation: int, replace: dict[str, PlannedStep] | None = None) -> FlowPlan:
        """The flow's plan, cached per store generation (a new plan starts a worker for each
        bound action that has none); ``replace`` swaps actions for candidates."""
        cached = self._plans.get(trigger.id)
        if cached is None or cached.generation != generation:
            with self.store.read() as conn:
                generation = self.store.generation(conn)
                planned = plan.flow_steps(conn, self.cipher, trigger.id, trigger.handler)
                limits = limits_from(settings.load(conn))
                values = plan.redaction_values(conn, self.cipher, trigger.id, planned)
            cached = self._plans[trigger.id] = FlowPlan(generation, planned, limits, runnable(planned, self.env_for),
                                                        values)
            self.pool.prewarm(cached.steps, limits.spec)
        if not cached.planned:
            raise ExecutionError(f"the {trigger.id} flow has no bound actions",
                                 remedy=Remedy("bind some", "flows bind", (trigger.id, "ACTION", "...")))
        if not replace:
            return cached
        planned = [replace.get(p.step.action_name, p) for p in cached.planned]
        return FlowPlan(generation, planned, cached.limits, runnable(planned, self.env_for),
                        [*cached.values, *plan.secret_values(planned)])

    def _hot_state(self, trigger: Trigger) -> tuple[int, dict]:
        """The store generation and the trigger's live cache (after this process's own writes)."""
        if self.writer.pending_cache[trigger.id]:
            self.writer.flush()
        return self.hot.generation_and_cache(trigger.id, int(time.time() * 1000))

    def _execute(self, kind: str, trigger: Trigger, event: dict, planned: Sequence[PlannedStep],
                 steps: tuple[Step, ...], limits: Limits, directory: dict | None, values: list[str], *,
                 previous: Execution | None = None, phase: Phase = Phase.EXECUTE, record: bool = True,
                 cache: dict | None = None) -> Execution:
        """One run; recorded with ``values`` (``plan.redaction_values``) redacted."""
        cache_before = self._hot_state(trigger)[1] if cache is None else cache
        job = Job(trigger_id=trigger.id, event=event, steps=steps, cache=cache_before, directory=directory,
                  phase=phase, timeout_s=limits.timeout_s, spec=limits.spec)
        output = self.pool.run(job)
        execution = self._assemble(kind, trigger, event, output, previous)
        if record:
            state = _suspension_state(execution, output, planned, values) if kind == "flow" else None
            first = len(previous.results) if previous else 0
            change = records.cache_change(trigger.id, cache_before, output["cache"], self.cipher.encrypt)
            self.writer.submit(Pending(execution, state, values, first), change)
            self._maybe_prune()
            if state is not None:
                self.writer.flush()  # a continue may come from another process
        return execution

    def _assemble(self, kind: str, trigger: Trigger, event: dict, output: JobOutput,
                  previous: Execution | None = None) -> Execution:
        """The one place an Execution is made from a run's output (and the run it continues)."""
        new = output["results"]
        results = (list(previous.results) if previous else []) + new
        folded = _fold(trigger, results, output["event"])
        execution_id = previous.id if previous else new_execution_id()
        duration = sum(r["response"]["stats"]["total_request_duration_ms"] for r in new)
        now = iso_from_epoch(time.time())
        return Execution(
            id=execution_id, trigger_id=trigger.id, kind=kind,
            status=EXECUTION_STATUS[folded["status"]], outcome={**folded, "execution_id": execution_id},
            results=tuple(results), event=previous.event if previous else event,
            duration_ms=round((previous.duration_ms if previous else 0.0) + duration, 3),
            created_at=previous.created_at if previous else (new[0]["started_at"] if new else now),
            updated_at=new[-1]["ended_at"] if new else now,
        )

    def _maybe_prune(self) -> None:
        """Apply the retention setting every ten minutes of activity."""
        if time.monotonic() - self._last_prune > 600:
            self._last_prune = time.monotonic()
            with self.store.write(lifecycle=False) as conn:
                records.prune(conn, settings.load(conn)["execution_retention_days"])


def _plain(event: Any, subject: str) -> dict | MalformedInputError:
    """An event given to the Python API, or why the decoding policy refuses it."""
    try:
        return json_input.check_object(event, subject)
    except MalformedInputError as error:
        return error


def _line_event(line: bytes | str) -> tuple[dict | MalformedInputError, bytes | None]:
    """A line of an events file: its event and its bytes (sent to the workers as they are), or
    why the decoding policy refuses it."""
    try:
        event = json_input.load_object(line, "the line")
    except MalformedInputError as error:
        return error, None
    return event, line if isinstance(line, bytes) else line.encode()


def _checked(trigger: Trigger, event: dict | ActionsError) -> dict | ActionsError:
    """An event that fits the trigger, or why not (an event refused already stays refused)."""
    if isinstance(event, ActionsError):
        return event
    try:
        trigger.validate_payload(event)
    except PayloadError as error:
        return error
    return event


def _batch_result(index: int, result: Execution | ActionsError, outcome_json: str | None = None) -> BatchResult:
    """One line of a batch as the executor counts it: malformed, invalid or run."""
    if isinstance(result, MalformedInputError):
        return BatchResult(index, malformed=result.problem)
    if isinstance(result, ActionsError):
        return lean.refused(index, result)
    return lean.summary(index, result, outcome_json)


@dataclass(frozen=True)
class FlowPlan:
    """A flow's planned steps at one store generation, with what its runs redact."""

    generation: int
    planned: list[PlannedStep]
    limits: Limits
    steps: tuple[Step, ...]
    values: list[str]  # plan.redaction_values


def _fold(trigger: Trigger, results: list[StepResult], event: dict) -> Outcome:
    """The outcome; a fold that fails can only come from commands no api call makes (a worker
    forged them), so the last step is failed for it and its commands are not folded."""
    try:
        return outcome.fold(trigger, results, event)
    except Exception:
        last = results[-1]
        error = limits.error("PlatformError", "the action's worker sent commands that no api call makes",
                             ErrorClass.PLATFORM_ERROR)
        results[-1] = {**last, "response": {**last["response"], "error": error}, "commands": [], "control": Control.STOP}
        return outcome.fold(trigger, [{**r, "commands": []} for r in results], event)


def _suspension_state(execution: Execution, output: JobOutput, planned: Sequence[PlannedStep],
                      secret_values: list[str]) -> dict | None:
    if execution.outcome["status"] != Status.SUSPENDED:
        return None
    position = len(output["results"]) - 1
    suspended = planned[position].step
    return {
        "event": records.scrub_event(output["event"], secret_values),
        "suspended": {"version_id": suspended.version_id, "binding_id": suspended.binding_id},
        "remaining": [{"version_id": p.step.version_id, "binding_id": p.step.binding_id} for p in planned[position + 1:]],
    }
