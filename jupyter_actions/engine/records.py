"""Execution records and the trigger cache in the store.

A record holds Auth0's execution shape (reference 9.2) plus the outcome and the input event.
Every secret value of the actions that ran is redacted from all of it before it is written,
and the event's own ``secrets`` are reduced to their names.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson
from sqlalchemy import Select, delete, func, select
from sqlalchemy.engine import Connection, Row

from .._clock import iso_from_epoch
from ..errors import ExecutionNotFound, Remedy
from ..model import Execution
from ..outcome import ExecutionStatus, Status, StepResult, error_class_of
from ..runtime.redaction import REDACTED, Redactor, redactor_for
from ..store.schema import cache_entries, execution_results, executions


@dataclass(frozen=True)
class CacheChange:
    """What an execution changed in its trigger's cache: the keys it removed, and the entries
    it set, their values already encrypted with the tenant key (``{"value", "expires_at"}``)."""

    trigger_id: str
    removed: tuple[str, ...]
    written: dict[str, dict[str, Any]]


def cache_change(trigger_id: str, before: dict, after: dict, encrypt: Callable[[str], str]) -> CacheChange | None:
    """What an execution changed in the trigger's cache, its new values encrypted (a value may
    be, or hold, a secret: ``api.cache.set("token", secret)``); None when nothing changed."""
    removed = tuple(key for key in before if key not in after)
    written = {
        key: {**entry, "value": encrypt(entry["value"])} for key, entry in after.items() if before.get(key) != entry
    }
    return CacheChange(trigger_id, removed, written) if removed or written else None


def save_cache(conn: Connection, change: CacheChange) -> None:
    """Write what an execution changed in the trigger's cache (last writer wins per key)."""
    trigger_id = change.trigger_id
    doomed = [*change.removed, *change.written]
    if doomed:
        conn.execute(
            delete(cache_entries).where(cache_entries.c.trigger_id == trigger_id, cache_entries.c.key.in_(doomed))
        )
    if change.written:
        conn.execute(
            cache_entries.insert(),
            [{"trigger_id": trigger_id, "key": key, **entry} for key, entry in change.written.items()],
        )


def secret_names_only(event: dict[str, Any]) -> dict[str, Any]:
    """A shallow copy of the event whose ``secrets`` keep their names, not their values."""
    stored = dict(event)
    if isinstance(stored.get("secrets"), dict):
        stored["secrets"] = {name: REDACTED for name in stored["secrets"]}
    return stored


def scrub_event(event: dict[str, Any], secret_values: list[str]) -> dict[str, Any]:
    """The event as stored: secret names kept, every secret value gone."""
    return redactor_for(secret_values).value(secret_names_only(event))


EXECUTION_COLUMNS = tuple(column.name for column in executions.columns)
RESULT_COLUMNS = tuple(column.name for column in execution_results.columns)
_UPDATED_COLUMNS = ("status", "outcome_status", "outcome", "state", "duration_ms", "updated_at")


@dataclass(frozen=True)
class Rows:
    """One execution serialised for the store, as tuples in the tables' column order (they
    travel to the record sink and into ``executemany`` as they are): a new execution, or the
    update of a continued one (``_UPDATED_COLUMNS`` then its id), and its step results."""

    execution: tuple | None
    update: tuple | None
    results: list[tuple]


def _dumps(value: Any, secret_values: list[str]) -> str:
    return redacted_json(value, redactor_for(secret_values), json_bytes)


def json_bytes(value: Any) -> bytes:
    """orjson's text; the standard library's for what orjson refuses (an action's integer
    beyond 64 bits), escaping strings the same way so that redaction finds secrets in both."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def redacted_json(value: Any, redactor: Redactor, dumps: Callable[[Any], bytes]) -> str:
    """``value`` as JSON text with the secret values redacted from its decoded strings. Most
    values hold no form of a secret at all: that is checked on the text itself, and only a
    value that may hold one is walked and encoded again. ``dumps`` must not escape non-ASCII."""
    text = dumps(value)
    if redactor and redactor.may_hold(text):
        text = dumps(redactor.value(value))
    return text.decode()


def rows_of(execution: Execution, state: dict | None, secret_values: list[str], first_position: int = 0) -> Rows:
    """Serialise (and redact) an execution; done by the record sink, off the caller's path."""
    outcome = _dumps(execution.outcome, secret_values)
    state_json = json.dumps(state) if state is not None else None
    results = [
        (
            execution.id,
            position,
            result["action_name"],
            result.get("action_id"),
            result.get("version_id"),
            result.get("version_number"),
            result.get("binding_id"),
            error_class_of(result),
            _dumps(result, secret_values),
        )
        for position, result in enumerate(execution.results[first_position:], first_position)
    ]
    if first_position:
        update = (
            execution.status,
            execution.outcome["status"],
            outcome,
            state_json,
            execution.duration_ms,
            execution.updated_at,
            execution.id,
        )
        return Rows(None, update, results)
    inserted = (
        execution.id,
        execution.trigger_id,
        execution.kind,
        execution.status,
        execution.outcome["status"],
        outcome,
        _dumps(secret_names_only(execution.event), secret_values),
        state_json,
        execution.duration_ms,
        execution.created_at,
        execution.updated_at,
    )
    return Rows(inserted, None, results)


def redacted(execution: Execution, secret_values: list[str]) -> Execution:
    """A copy for reports: secret values gone from the outcome, results and event."""
    redactor = redactor_for(secret_values)
    if not redactor:
        return execution
    return replace(
        execution,
        outcome=redactor.value(execution.outcome),
        results=tuple(redactor.value(list(execution.results))),
        event=scrub_event(execution.event, secret_values),
    )


def write_batch(conn: Connection, batch: list[Rows]) -> None:
    """Write many executions with one ``executemany`` per table, straight to the driver: the
    record sink's main job, where building statements row by row cost as much as SQLite."""
    inserts = [rows.execution for rows in batch if rows.execution]
    if inserts:
        conn.exec_driver_sql(_insert_sql(conn, executions.name, EXECUTION_COLUMNS), inserts)
    updates = [rows.update for rows in batch if rows.update]
    if updates:
        mark = _placeholder(conn)
        assignments = ", ".join(f"{column} = {mark}" for column in _UPDATED_COLUMNS)
        conn.exec_driver_sql(f"UPDATE {executions.name} SET {assignments} WHERE id = {mark}", updates)  # noqa: S608 (names from the schema, values bound)
    results = [result for rows in batch for result in rows.results]
    if results:
        conn.exec_driver_sql(_insert_sql(conn, execution_results.name, RESULT_COLUMNS), results)


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _insert_sql(conn: Connection, table: str, columns: tuple[str, ...]) -> str:
    """An insert that keeps a row already there: records are idempotent by execution id, so a
    partition of a distributed batch run again (its Dask worker died) writes nothing twice
    (its ids are the same, executor/partitions.py). SQLite and PostgreSQL both say it so."""
    marks = ", ".join([_placeholder(conn)] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) ON CONFLICT DO NOTHING"  # noqa: S608 (names from the schema, values bound)


def get(conn: Connection, execution_id: str) -> tuple[Execution, dict | None]:
    row = conn.execute(select(executions).where(executions.c.id == execution_id)).first()
    if row is None:
        raise ExecutionNotFound(
            f"execution {execution_id!r} does not exist (executions are kept for the retention period)",
            remedy=Remedy("list them", "executions list"),
        )
    results = conn.execute(
        select(execution_results.c.result)
        .where(execution_results.c.execution_id == execution_id)
        .order_by(execution_results.c.position)
    ).scalars()
    return _model(row, [json.loads(r) for r in results]), json.loads(row.state) if row.state else None


IDS_PER_QUERY = 10_000  # well under PostgreSQL's 65,535 and SQLite's 32,766 bound parameters a statement


def list_recent(
    conn: Connection,
    *,
    trigger_id: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    since: str | None = None,
    until: str | None = None,
    action: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Execution]:
    query = _recent(select(executions), trigger_id, kind, status, since, until, action, limit, offset)
    return _models(conn, conn.execute(query).all())


def recent_ids(conn: Connection, *, trigger_id: str, kind: str, since: str | None = None, limit: int = 50) -> list[str]:
    """The ids ``list_recent`` would list, in its order, without loading the executions."""
    query = _recent(select(executions.c.id), trigger_id, kind, None, since, None, None, limit, 0)
    return list(conn.execute(query).scalars())


def listed(conn: Connection, ids: list[str]) -> list[Execution]:
    """The executions of ``ids`` that are recorded, in the order of ``ids``."""
    rows = {}
    for first in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[first : first + IDS_PER_QUERY]
        rows.update({row.id: row for row in conn.execute(select(executions).where(executions.c.id.in_(chunk)))})
    return _models(conn, [rows[execution_id] for execution_id in ids if execution_id in rows])


def _recent(
    query: Select,
    trigger_id: str | None,
    kind: str | None,
    status: str | None,
    since: str | None,
    until: str | None,
    action: str | None,
    limit: int,
    offset: int,
) -> Select:
    """Newest first (ties by id, so that two queries list them alike), with the filters given."""
    query = query.order_by(executions.c.created_at.desc(), executions.c.id.desc()).limit(limit).offset(offset)
    if until:
        query = query.where(executions.c.created_at < until)
    if action:
        query = query.where(
            executions.c.id.in_(
                select(execution_results.c.execution_id).where(execution_results.c.action_name == action)
            )
        )
    if trigger_id:
        query = query.where(executions.c.trigger_id == trigger_id)
    if kind:
        query = query.where(executions.c.kind == kind)
    if status:
        query = query.where(executions.c.outcome_status == status)
    if since:
        query = query.where(executions.c.created_at >= since)
    return query


def _models(conn: Connection, rows: Sequence[Row]) -> list[Execution]:
    """Executions of ``rows`` (in their order), with their step results."""
    if not rows:
        return []
    by_execution: dict[str, list[StepResult]] = {row.id: [] for row in rows}
    ids = list(by_execution)
    for first in range(0, len(ids), IDS_PER_QUERY):
        result_rows = conn.execute(
            select(execution_results.c.execution_id, execution_results.c.result)
            .where(execution_results.c.execution_id.in_(ids[first : first + IDS_PER_QUERY]))
            .order_by(execution_results.c.execution_id, execution_results.c.position)
        )
        for execution_id, result in result_rows:
            by_execution[execution_id].append(json.loads(result))
    return [_model(row, by_execution[row.id]) for row in rows]


def count_between(conn: Connection, first_id: str, last_id: str) -> int:
    return conn.execute(select(func.count()).where(executions.c.id.between(first_id, last_id))).scalar_one()


def prune(conn: Connection, retention_days: float) -> int:
    cutoff = iso_from_epoch(time.time() - retention_days * 86400)
    doomed = select(executions.c.id).where(executions.c.created_at < cutoff)
    conn.execute(delete(execution_results).where(execution_results.c.execution_id.in_(doomed)))
    return conn.execute(delete(executions).where(executions.c.created_at < cutoff)).rowcount


def _model(row, results: list[StepResult]) -> Execution:  # noqa: ANN001
    """An execution read back: its statuses as the enums they were written as (JSON and the
    store hold their strings)."""
    outcome = json.loads(row.outcome)
    outcome["status"] = Status(outcome["status"])
    return Execution(
        id=row.id,
        trigger_id=row.trigger_id,
        kind=row.kind,
        status=ExecutionStatus(row.status),
        outcome=outcome,
        results=tuple(results),
        event=json.loads(row.event),
        duration_ms=row.duration_ms,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
