"""The record sink: records are idempotent by execution id; one bad record (a forged execution
id, a refused value) loses no other, and what reports it names the execution and the error
class, never any content."""

from __future__ import annotations

import uuid

import pytest

from jupyter_actions import ExecutionError
from jupyter_actions.engine import records, sink
from jupyter_actions.engine.records import CacheChange
from jupyter_actions.engine.writer import Pending, RecordWriter
from jupyter_actions.model import Execution
from jupyter_actions.store import Store, sqlite_url

CONTENT = "EVENT-CONTENT-do-not-print"
NOW = "2026-01-02T03:04:05.000000Z"


def execution(execution_id: str | None = None) -> Execution:
    return Execution(
        id=execution_id or str(uuid.uuid4()),
        trigger_id="post-login",
        kind="flow",
        status="final",
        outcome={"status": "allowed", "note": CONTENT},
        results=({"action_name": "a", "response": {"logs": CONTENT, "error": None}, "commands": []},),
        event={"user": {"email": CONTENT}},
        duration_ms=1.0,
        created_at=NOW,
        updated_at=NOW,
    )


def rows(execution_id: str | None = None) -> records.Rows:
    return records.rows_of(execution(execution_id), None, [])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    url = sqlite_url(tmp_path / "tenant.db") if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    opened = Store(url)
    yield opened
    opened.dispose()


def stored_ids(store: Store) -> set[str]:
    with store.read() as conn:
        return set(conn.exec_driver_sql("SELECT id FROM executions").scalars())


def test_a_record_stored_already_is_kept_as_it_was(store):
    """Written again (a distributed partition run again after its worker died), an execution id
    stored already changes nothing: neither its row nor its results, and no error."""
    first, good = rows(), rows()
    assert sink.commit(store, [("rows", [first])]) == []
    again = records.rows_of(Execution(**{**execution(first.execution[0]).__dict__, "duration_ms": 99.0}), None, [])
    assert sink.commit(store, [("rows", [again, good])]) == []
    assert {first.execution[0], good.execution[0]} == stored_ids(store)
    with store.read() as conn:
        durations = conn.exec_driver_sql("SELECT duration_ms FROM executions").scalars().all()
        results = conn.exec_driver_sql("SELECT count(*) FROM execution_results").scalar()
    assert sorted(durations) == [1.0, 1.0] and results == 2


def test_records_and_caches_of_a_failed_batch_are_kept_one_by_one(store, capfd):
    """A row the database refuses (a forged id too long for PostgreSQL, a missing trigger on
    SQLite) among records sent as Pending executions with cache changes."""
    forged = "x" * 40
    good, twin = execution(), execution()
    bad = execution(forged)
    if store.is_sqlite:  # SQLite keeps a string of any length
        bad = Execution(**{**bad.__dict__, "trigger_id": None})
    cache = CacheChange("post-login", (), {"k": {"value": "v", "expires_at": 2**40}})
    items = [
        ("record", Pending(good, None, []), cache),
        ("record", Pending(twin, None, []), None),
        ("record", Pending(bad, None, []), None),
        ("flush", 1),
    ]
    errors = sink.commit(store, items)
    assert {good.id, twin.id} <= stored_ids(store) and forged not in stored_ids(store)
    assert len(errors) == 1 and CONTENT not in errors[0]
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT key FROM cache_entries").scalars().all() == ["k"]
    assert sink.summary(errors + errors) == errors[0] + " and 1 more"
    assert sink.summary([]) is None
    assert CONTENT not in "".join(capfd.readouterr())


def test_a_record_that_cannot_be_serialised_is_dropped_alone(store):
    good, broken = execution(), execution()
    broken = Execution(**{**broken.__dict__, "outcome": {"status": "allowed", "x": object()}})
    errors = sink.commit(
        store, [("record", Pending(broken, None, []), None), ("record", Pending(good, None, []), None)]
    )
    assert errors == [f"execution {broken.id} was not recorded (TypeError)"]
    assert stored_ids(store) >= {good.id} and broken.id not in stored_ids(store)


def test_the_writer_reports_a_refused_record_by_id_and_keeps_the_rest(tmp_path, capfd):
    """Through the sink process: the flush error names the id and class only."""
    url = sqlite_url(tmp_path / "tenant.db")
    Store(url).dispose()
    writer = RecordWriter(url)
    first, good = rows(), rows()
    writer.submit_rows([first])
    writer.flush()
    refused = records.rows_of(Execution(**{**execution().__dict__, "trigger_id": None}), None, [])
    writer.submit_rows([refused, rows(first.execution[0]), good])
    with pytest.raises(ExecutionError) as raised:
        writer.flush()
    assert str(raised.value) == (
        f"recording executions failed: execution {refused.execution[0]} was not recorded (IntegrityError)"
    )
    writer.flush()  # reported once
    writer.close()
    assert {first.execution[0], good.execution[0]} <= stored_ids(Store(url))
    out, err = capfd.readouterr()
    assert CONTENT not in out + err
