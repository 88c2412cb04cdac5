"""Test runs and flow executions, recorded in the store.

Every run goes the same way: the plan (which code, secrets and environment each action has),
the runtime's step rules (runtime/steps.py) on this engine's own workers, one assembly of the
``Execution`` (``_assemble``), and the record writer. A single run, an ordered batch and a
parallel batch differ only in how the runtime schedules the steps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection

from .. import _json_input as json_input
from .._clock import iso_from_epoch
from .._ids import new_execution_id
from ..cipher import Cipher
from ..errors import (
    ActionsError,
    ConflictError,
    ExecutionError,
    MalformedInputError,
    PayloadError,
    Remedy,
)
from ..model import DRAFT, Execution
from ..outcome import EXECUTION_STATUS, Control, ErrorClass, JobOutput, Outcome, Phase, Status, StepResult
from ..runtime import Job, Step, WorkerPool, limits
from ..runtime.redaction import Redactor, redactor_for
from ..store import Store, settings
from ..store.hot import HotReader
from ..store.rows import action_row, require_values
from ..triggers import Trigger, get_trigger
from ..triggers import _outcome as outcome
from . import lean, plan, records, replay, resume
from .lean import BatchResult, RowMaker
from .plan import PlannedStep
from .records import Rows
from .replay import ReplayReport
from .resources import Resources
from .runner import EnvResolver, Limits, limits_from, runnable
from .writer import Pending, RecordWriter

RECORDS_PER_FRAME = 64  # a batch's executions go to the record sink this many at a time


class Engine:
    """Runs a tenant's actions on workers of its own; one per `Tenant`."""

    def __init__(self, store: Store, cipher: Cipher, env_for: EnvResolver) -> None:
        self.store = store
        self.cipher = cipher
        self.env_for = env_for
        self._plans: dict[str, FlowPlan] = {}
        self._last_prune = 0.0
        self.resources = Resources(store.url)
        self.hot = HotReader(store, cipher.decrypt_or_none)

    @property
    def writer(self) -> RecordWriter:
        """This engine's record writer (``resources``)."""
        return self.resources.writer

    @property
    def pool(self) -> WorkerPool:
        """This engine's workers (``resources``): a tenant's actions never share a worker with
        another's."""
        return self.resources.pool

    def close(self) -> None:
        """Stop this engine's workers and its record sink (after its last commit) and close its
        hot-path connections; all start again if the engine is used after."""
        try:
            self.resources.close()
        finally:
            self.hot.close()

    # public operations -------------------------------------------------------------------
    def warm(self, trigger_id: str) -> None:
        """Start a worker for each action bound to the trigger that has none (no wait)."""
        trigger = get_trigger(trigger_id)
        try:
            self._flow_plan(trigger, self._hot_state(trigger)[0])
        except ExecutionError:
            pass  # nothing bound, or a draft that cannot build: the run will say so

    def test(
        self,
        name: str,
        payload: dict | None,
        version: int | None,
        directory: dict | None,
        record: bool = True,
        strict: bool = False,
    ) -> Execution:
        """Run an action's draft (or one version) on a payload, like Auth0's Test panel: the
        payload merged over the trigger's sample (None: the sample; ``strict``: as it is)."""
        with self.store.read() as conn:
            trigger = get_trigger(action_row(conn, name).trigger_id)
            if version is None:
                planned = [plan.draft_step(conn, self.cipher, name, trigger.handler)]
            else:
                planned = [plan.version_step(conn, self.cipher, name, version, trigger.handler)]
            steps = self._run_plan(conn, trigger, planned)
        if payload is not None:
            json_input.check_object(payload, f"the {trigger.id} payload")
        event = trigger.test_payload(payload, strict=strict)
        trigger.validate_payload(event)
        execution = self._execute(Run("test", trigger, event, steps, directory, record=record))
        return records.redacted(execution, steps.values)

    def redactor(self, trigger_id: str) -> Redactor:
        """The redactor of every secret value the trigger's actions hold (see
        ``plan.redaction_values``)."""
        with self.store.read() as conn:
            return redactor_for(plan.redaction_values(conn, self.cipher, trigger_id, ()))

    def run_flow(
        self,
        trigger_id: str,
        event: dict,
        directory: dict | None = None,
        replace: dict[str, PlannedStep] | None = None,
        record: bool = True,
        kind: str = "flow",
        redacted: bool = False,
    ) -> Execution:
        """Run the trigger's flow on one event; ``replace`` swaps actions for candidates (replay);
        ``redacted`` for a view: the flow's secret values gone, as recorded."""
        trigger = get_trigger(trigger_id)
        event = json_input.check_object(event, f"the {trigger.id} event")
        trigger.validate_payload(event)
        generation, cache = self._hot_state(trigger)
        flow = self._flow_plan(trigger, generation, replace)
        execution = self._execute(Run(kind, trigger, event, flow, directory, record=record, cache=cache))
        return records.redacted(execution, flow.values) if redacted else execution

    def run_batch(
        self,
        trigger_id: str,
        events: Iterable[Any],
        *,
        directory: dict | None = None,
        record: bool = True,
        replace: dict[str, PlannedStep] | None = None,
        kind: str = "flow",
        redacted: bool = False,
    ) -> Iterator[tuple[int, Execution | ActionsError]]:
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
        if flow.uses_cache:
            results = self._ordered_batch(trigger, events, flow, directory, record, kind)
        else:
            results = self._parallel_batch(
                trigger,
                ((event, None) for event in events),
                flow,
                cache,
                directory,
                kind,
                self._submitter(record, flow.values),
            )
        for index, result in results:
            if redacted and not isinstance(result, ActionsError):
                result = records.redacted(result, flow.values)
            yield index, result

    def run_lines(
        self,
        trigger_id: str,
        lines: Iterable[bytes | str],
        *,
        record: bool = True,
        kind: str = "flow",
        ids: Callable[[int], str] | None = None,
    ) -> Iterator[BatchResult]:
        """The executor's batch: each line a JSON event; yields a BatchResult per line as it
        finishes. Lines are handed to the workers as the text they are (see engine/lean.py).
        ``ids(index)`` names the execution of each line (a distributed run's partition run again
        writes the same ids; the store keeps the first), else each gets a new id.

        Each line is decoded by the one policy (docs/input.md) and checked against the trigger
        before either scheduling strategy sees it, so both classify every line alike: malformed
        (refused by the policy), invalid (does not fit the trigger) or run."""
        trigger = get_trigger(trigger_id)
        generation, cache = self._hot_state(trigger)
        flow = self._flow_plan(trigger, generation)
        events = (_line_event(line) for line in lines)
        if flow.uses_cache:
            ordered = self._ordered_batch(trigger, (event for event, _ in events), flow, None, record, kind, ids)
            for index, result in ordered:
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
            for index, result in self._parallel_batch(trigger, events, flow, cache, None, kind, store, ids):
                yield _batch_result(index, result, texts.pop(result.id) if isinstance(result, Execution) else None)
        finally:
            self.writer.submit_rows(unsent)

    def _ordered_batch(
        self,
        trigger: Trigger,
        events: Iterable[dict | ActionsError],
        flow: FlowPlan,
        directory: dict | None,
        record: bool,
        kind: str,
        ids: Callable[[int], str] | None = None,
    ) -> Iterator[tuple[int, Execution | ActionsError]]:
        for index, event in enumerate(events):
            checked = _checked(trigger, event)
            if isinstance(checked, ActionsError):
                yield index, checked
                continue
            execution_id = ids(index) if ids else None
            yield index, self._execute(Run(kind, trigger, checked, flow, directory, record=record, id=execution_id))

    def _parallel_batch(
        self,
        trigger: Trigger,
        events: Iterable[tuple[dict | ActionsError, bytes | None]],
        flow: FlowPlan,
        cache: dict,
        directory: dict | None,
        kind: str,
        store: Callable[[Execution, bytes | None], None],
        ids: Callable[[int], str] | None = None,
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
                yield Job(
                    trigger_id=trigger.id,
                    event=checked,
                    steps=flow.steps,
                    cache=cache,
                    directory=directory,
                    timeout_s=flow.limits.timeout_s,
                    event_json=text,
                    spec=flow.limits.spec,
                )

        for position, output in self.pool.map(jobs()):
            while refused:
                yield refused.pop(0)
            index, text, event = accepted[position]
            accepted[position] = (index, None, {})  # let the event go
            execution = self._assemble(kind, trigger, event, output, execution_id=ids(index) if ids else None)
            store(execution, text)
            yield index, execution
        while refused:
            yield refused.pop(0)

    def _submitter(self, record: bool, secret_values: list[str]) -> Callable[[Execution, bytes | None], None]:
        def submit(execution: Execution, _text: bytes | None) -> None:
            if record:
                self.writer.submit(Pending(execution, None, secret_values))

        return submit

    def replay(
        self, trigger_id: str, candidate: str, since: str | None, limit: int, ids: list[str] | None = None
    ) -> ReplayReport:
        """Re-run the flow's recorded executions (at most ``limit``, oldest first, those after
        ``since``; or those of ``ids``, in their order) with ``candidate`` in place of that bound
        action; nothing is recorded and both sides are compared redacted (engine/replay.py)."""
        started_after = replay.parse_since(since)
        trigger, name, step = self._replay_candidate(trigger_id, candidate)
        with self.store.read() as conn:
            if ids is None:
                recorded = records.list_recent(
                    conn, trigger_id=trigger.id, kind="flow", since=started_after, limit=limit
                )
                recorded.reverse()  # oldest first, as they happened
            else:
                recorded = records.listed(conn, ids)
        results = dict(
            self.run_batch(trigger.id, [e.event for e in recorded], record=False, replace={name: step}, redacted=True)
        )
        return replay.report(trigger.id, candidate, recorded, results)

    def flow_uses_cache(self, trigger_id: str) -> bool:
        """Whether the flow's batches run in order (``FlowPlan.uses_cache``)."""
        trigger = get_trigger(trigger_id)
        return self._flow_plan(trigger, self._hot_state(trigger)[0]).uses_cache

    def replay_ids(self, trigger_id: str, candidate: str, since: str | None, limit: int) -> list[str]:
        """The ids of the executions ``replay`` would re-run, in its order, the candidate checked
        first (a distributed replay's partitions: executor/dask_replay.py)."""
        started_after = replay.parse_since(since)
        trigger = self._replay_candidate(trigger_id, candidate)[0]
        with self.store.read() as conn:
            ids = records.recent_ids(conn, trigger_id=trigger.id, kind="flow", since=started_after, limit=limit)
        ids.reverse()
        return ids

    def _replay_candidate(self, trigger_id: str, candidate: str) -> tuple[Trigger, str, PlannedStep]:
        """The trigger, the candidate's action and its planned step, or the error that refuses it."""
        name, ref = replay.parse_candidate(candidate)
        trigger = get_trigger(trigger_id)
        try:
            bound = [p.step.action_name for p in self._flow_plan(trigger, self._hot_state(trigger)[0]).planned]
        except ExecutionError:
            bound = []  # no bound actions: the candidate is not bound either
        replay.check_bound(bound, name, trigger.id)
        self.writer.flush()
        with self.store.read() as conn:
            if ref == DRAFT:
                require_values(conn, action_row(conn, name), "replaying")
                return trigger, name, plan.draft_step(conn, self.cipher, name, trigger.handler)
            return trigger, name, plan.version_step(conn, self.cipher, name, int(ref), trigger.handler)

    def continue_flow(
        self, execution_id: str, request: dict | None, directory: dict | None, redacted: bool = False
    ) -> Execution:
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
            if first["version_id"] is None:  # a test run of a draft resumes in the draft as it is now
                planned = [plan.draft_step(conn, self.cipher, first["action_name"], trigger.continue_handler)]
            else:
                planned = [
                    plan.step_for_version_id(
                        conn, self.cipher, first["version_id"], trigger.continue_handler, first.get("binding_id")
                    )
                ]
            planned += [
                plan.step_for_version_id(conn, self.cipher, r["version_id"], trigger.handler, r.get("binding_id"))
                for r in state["remaining"]
            ]
            steps = self._run_plan(conn, trigger, planned)
        event = resume.resumed_event(trigger, state["event"], request)
        execution = self._execute(Run(previous.kind, trigger, event, steps, directory, previous=previous))
        return records.redacted(execution, steps.values) if redacted else execution

    # internals ---------------------------------------------------------------------------
    def _flow_plan(self, trigger: Trigger, generation: int, replace: dict[str, PlannedStep] | None = None) -> FlowPlan:
        """The flow's plan, cached per store generation (a new plan starts a worker for each
        bound action that has none); ``replace`` swaps actions for candidates."""
        cached = self._plans.get(trigger.id)
        if cached is None or cached.generation != generation:
            with self.store.read() as conn:
                generation = self.store.generation(conn)
                planned = plan.flow_steps(conn, self.cipher, trigger.id, trigger.handler)
                cached = self._plans[trigger.id] = self._run_plan(conn, trigger, planned, generation)
            self.pool.prewarm(cached.steps, cached.limits.spec)
        if not cached.planned:
            raise ExecutionError(
                f"the {trigger.id} flow has no bound actions",
                remedy=Remedy("bind some", "flows bind", (trigger.id, "ACTION", "...")),
            )
        if not replace:
            return cached
        planned = [replace.get(p.step.action_name, p) for p in cached.planned]
        return FlowPlan(
            planned,
            runnable(planned, self.env_for),
            cached.limits,
            [*cached.values, *plan.secret_values(planned)],
            generation,
        )

    def _run_plan(
        self, conn: Connection, trigger: Trigger, planned: list[PlannedStep], generation: int | None = None
    ) -> FlowPlan:
        """The planned steps made runnable, with the tenant's limits and what their runs redact."""
        limits = limits_from(settings.load(conn))
        values = plan.redaction_values(conn, self.cipher, trigger.id, planned)
        return FlowPlan(planned, runnable(planned, self.env_for), limits, values, generation)

    def _hot_state(self, trigger: Trigger) -> tuple[int, dict]:
        """The store generation and the trigger's live cache (after this process's own writes)."""
        if self.writer.pending_cache[trigger.id]:
            self.writer.flush()
        return self.hot.generation_and_cache(trigger.id, int(time.time() * 1000))

    def _execute(self, run: Run) -> Execution:
        """One run; recorded with its plan's ``values`` (``plan.redaction_values``) redacted."""
        trigger, flow, previous = run.trigger, run.plan, run.previous
        cache_before = self._hot_state(trigger)[1] if run.cache is None else run.cache
        job = Job(
            trigger_id=trigger.id,
            event=run.event,
            steps=flow.steps,
            cache=cache_before,
            directory=run.directory,
            phase=Phase.CONTINUE if previous else Phase.EXECUTE,
            timeout_s=flow.limits.timeout_s,
            spec=flow.limits.spec,
            resumed_commands=tuple(c for r in previous.results for c in r.get("commands", ())) if previous else (),
        )
        output = self.pool.run(job)
        execution = self._assemble(run.kind, trigger, run.event, output, previous, run.id)
        if run.record:
            state = _suspension_state(execution, output, flow.planned, flow.values)
            first = len(previous.results) if previous else 0
            change = records.cache_change(trigger.id, cache_before, output["cache"], self.cipher.encrypt)
            self.writer.submit(Pending(execution, state, flow.values, first), change)
            self._maybe_prune()
            if state is not None:
                self.writer.flush()  # a continue may come from another process
        return execution

    def _assemble(
        self,
        kind: str,
        trigger: Trigger,
        event: dict,
        output: JobOutput,
        previous: Execution | None = None,
        execution_id: str | None = None,
    ) -> Execution:
        """The one place an Execution is made from a run's output (and the run it continues);
        ``execution_id`` when the caller names it (else a new one)."""
        new = output["results"]
        results = (list(previous.results) if previous else []) + new
        folded = _fold(trigger, results, output["event"])
        execution_id = previous.id if previous else execution_id or new_execution_id()
        duration = sum(r["response"]["stats"]["total_request_duration_ms"] for r in new)
        now = iso_from_epoch(time.time())
        return Execution(
            id=execution_id,
            trigger_id=trigger.id,
            kind=kind,
            status=EXECUTION_STATUS[folded["status"]],
            outcome={**folded, "execution_id": execution_id},
            results=tuple(results),
            event=previous.event if previous else event,
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
    """Planned steps, runnable, with the limits of their runs and what those redact; a flow's
    plan is cached per store ``generation`` (None: a plan made for one run)."""

    planned: list[PlannedStep]
    steps: tuple[Step, ...]
    limits: Limits
    values: list[str]  # plan.redaction_values
    generation: int | None = None

    @property
    def uses_cache(self) -> bool:
        """An action may use ``api.cache``: the flow's events run one after the other, in order."""
        return any(p.uses_cache for p in self.planned)


@dataclass(frozen=True)
class Run:
    """One execution to run: what ``Engine._execute`` needs, in one request."""

    kind: str  # "flow" or "test"
    trigger: Trigger
    event: dict
    plan: FlowPlan
    directory: dict | None = None
    previous: Execution | None = None  # the suspended execution this run continues
    record: bool = True
    cache: dict | None = None  # the trigger's cache as already read (None: read it now)
    id: str | None = None  # the execution's id when the caller names it (None: a new one)


def _fold(trigger: Trigger, results: list[StepResult], event: dict) -> Outcome:
    """The outcome; a fold that fails can only come from commands no api call makes (a worker
    forged them), so the last step is failed for it and its commands are not folded."""
    try:
        return outcome.fold(trigger, results, event)
    except Exception:  # noqa: BLE001 (any failure of the fold comes from forged commands)
        last = results[-1]
        error = limits.error(
            "PlatformError", "the action's worker sent commands that no api call makes", ErrorClass.PLATFORM_ERROR
        )
        results[-1] = {
            **last,
            "response": {**last["response"], "error": error},
            "commands": [],
            "control": Control.STOP,
        }
        return outcome.fold(trigger, [{**r, "commands": []} for r in results], event)


def _suspension_state(
    execution: Execution, output: JobOutput, planned: Sequence[PlannedStep], secret_values: list[str]
) -> dict | None:
    if execution.outcome["status"] != Status.SUSPENDED:
        return None
    position = len(output["results"]) - 1
    suspended = planned[position].step
    return {
        "event": records.scrub_event(output["event"], secret_values),
        "suspended": {
            "version_id": suspended.version_id,
            "binding_id": suspended.binding_id,
            "action_name": suspended.action_name,
        },
        "remaining": [
            {"version_id": p.step.version_id, "binding_id": p.step.binding_id} for p in planned[position + 1 :]
        ],
    }
