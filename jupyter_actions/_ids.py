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
    random_bits = _random.getrandbits(80)  # 12 bits beside the version, 62 after the variant
    milliseconds = time.time_ns() // 1_000_000
    value = milliseconds << 80 | _VERSION_7 | (random_bits >> 68) << 64 | _VARIANT | random_bits & _LOW_62
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
