"""Execution ids: RFC 9562 version 7, ordered by the millisecond they were made."""

from __future__ import annotations

import time
import uuid

import pytest

from jupyter_actions._ids import new_execution_id
from tests.waiting import wait_until


def test_ids_are_version_7_uuids_carrying_the_time_in_milliseconds() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid.UUID(new_execution_id())
    after = time.time_ns() // 1_000_000
    assert made.version == 7 and made.variant == uuid.RFC_4122
    assert before <= made.int >> 80 <= after
    text = new_execution_id()
    assert str(uuid.UUID(text)) == text  # canonical lower-case form


def test_ids_sort_by_time_and_do_not_repeat() -> None:
    first = [new_execution_id() for _ in range(2000)]
    made = time.time_ns() // 1_000_000  # the last of `first` was made in this millisecond or before
    wait_until(lambda: time.time_ns() // 1_000_000 > made, 1, "the next millisecond")
    later = [new_execution_id() for _ in range(2000)]
    assert len(set(first + later)) == 4000
    assert max(first) < min(later)  # text order is time order across milliseconds


def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    import os

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: send its next ids, then leave without running pytest's exit
        os.write(write, " ".join(new_execution_id() for _ in range(50)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    child = set(os.read(read, 1 << 16).decode().split())
    parent = {new_execution_id() for _ in range(50)}
    assert len(child) == 50 and {i[14:] for i in child}.isdisjoint({i[14:] for i in parent})


def test_batch_ids_follow_from_the_run_and_the_index() -> None:
    from jupyter_actions._ids import BATCH_INDEX_BITS, batch_execution_id, new_batch_run

    before = time.time_ns() // 1_000_000
    run, other = new_batch_run(), new_batch_run()
    indexes = [0, 1, 2, 99, 12_345, (1 << BATCH_INDEX_BITS) - 1]
    ids = [batch_execution_id(run, i) for i in indexes]
    assert ids == [batch_execution_id(run, i) for i in indexes]  # the same wherever computed
    assert ids == sorted(ids) and len(set(ids)) == len(ids)  # input order
    assert not set(ids) & {batch_execution_id(other, i) for i in indexes}
    for text in ids:
        made = uuid.UUID(text)
        assert made.version == 7 and made.variant == uuid.RFC_4122 and str(made) == text
        assert before <= made.int >> 80 <= time.time_ns() // 1_000_000
    for bad in (-1, 1 << BATCH_INDEX_BITS):
        with pytest.raises(ValueError, match="a batch holds at most"):
            batch_execution_id(run, bad)
