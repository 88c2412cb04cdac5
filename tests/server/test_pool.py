"""The bounded pool: past threads + backlog, a call is refused at once (503 + Retry-After)."""

from __future__ import annotations

import asyncio
import threading

import pytest

from jupyter_actions.server.pool import Overloaded, Pool, overloaded


def test_a_full_pool_refuses_instead_of_queueing():
    pool = Pool(threads=1, backlog=1)
    release = threading.Event()

    async def main() -> list:
        busy = [asyncio.ensure_future(pool.run(release.wait)) for _ in range(2)]  # one runs, one waits
        await asyncio.sleep(0.05)
        assert pool.in_flight == 2
        with pytest.raises(Overloaded):
            await pool.run(lambda: "never")
        release.set()
        done = await asyncio.gather(*busy)
        assert pool.in_flight == 0
        return done + [await pool.run(lambda: "after")]

    try:
        assert asyncio.run(main()) == [True, True, "after"]
    finally:
        pool.shutdown()
    refused = overloaded()
    assert refused.status == 503 and refused.headers["Retry-After"] == "1"
    assert refused.body["errorCode"] == "overloaded" and refused.body["error"] == "Service Unavailable"
