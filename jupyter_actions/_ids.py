"""Execution ids: UUIDs of version 7 (RFC 9562), which sort by the time they were made.

Standard library only: workers make them too. A random UUID (version 4) lands anywhere in
the store's primary-key index, so every commit of a batch of records rewrote pages all over
that index; a time-ordered id is appended at its end (in SQLite this halved the cost of
writing a record). Python has ``uuid.uuid7`` only from 3.14.
"""

from __future__ import annotations

import os
import random
import time

_VERSION_7 = 0x7 << 76
_VARIANT = 0x2 << 62
_LOW_62 = (1 << 62) - 1

# Uniqueness, not secrecy: a generator of our own (os.urandom per id was a system call of
# ~5 us in a worker's budget of ~150 us per execution), seeded from the system, reseeded in a
# forked child so that parent and child never share a sequence, and out of reach of an
# action's random.seed().
_random = random.Random()  # noqa: S311 - see above
os.register_at_fork(after_in_child=_random.seed)


def new_execution_id() -> str:
    """48 bits of Unix milliseconds, then 74 random bits, with the version and variant bits."""
    return _uuid7(time.time_ns() // 1_000_000, _random.getrandbits(80))


BATCH_INDEX_BITS = 40
_NONCE_BITS = 74 - BATCH_INDEX_BITS  # 34 random bits tell apart the runs of one millisecond


def new_batch_run() -> int:
    """A distributed batch's run: its start in Unix milliseconds and a random nonce, from which
    ``batch_execution_id`` names every event's execution."""
    return (time.time_ns() // 1_000_000) << _NONCE_BITS | _random.getrandbits(_NONCE_BITS)


def batch_execution_id(run: int, index: int) -> str:
    """The execution id of event ``index`` of a run: the same wherever and however often it is
    computed (a partition run again writes the ids it wrote before), a version 7 UUID like the
    others, and in input order within the run."""
    if not 0 <= index < 1 << BATCH_INDEX_BITS:
        raise ValueError(f"a batch holds at most {1 << BATCH_INDEX_BITS} events")
    milliseconds, nonce = run >> _NONCE_BITS, run & ((1 << _NONCE_BITS) - 1)
    low = 62 - BATCH_INDEX_BITS  # nonce bits after the variant, the rest beside the version
    return _uuid7(milliseconds, (nonce >> low) << 68 | (nonce & ((1 << low) - 1)) << BATCH_INDEX_BITS | index)


def _uuid7(milliseconds: int, bits: int) -> str:
    """The UUID of 48 bits of milliseconds and 74 of ``bits``: its top 12 (of 80) beside the
    version, its low 62 after the variant (the 6 between are dropped)."""
    value = milliseconds << 80 | _VERSION_7 | (bits >> 68) << 64 | _VARIANT | bits & _LOW_62
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
