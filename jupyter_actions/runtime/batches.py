"""``WorkerPool.map``: batches of jobs on every worker at once, results streamed per job.

One thread drives all workers with poll(2) and never blocks on a pipe: writes are non-blocking
and resume when the pipe has room, so a worker busy writing results and a parent busy writing
jobs cannot wait on each other. Each worker has up to two batches in hand, so that it starts
the next one the moment it finishes the last, without waiting for the parent.
"""

from __future__ import annotations

import os
import select
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import ExecutionError
from ..triggers import get_trigger
from .jobs import Job
from .process import WorkerProcess
from .protocol import Closed, Timeout, unpack
from .results import Flight

if TYPE_CHECKING:
    from .pool import WorkerPool


class _Lane:
    """One worker in a map: jobs sent and not finished (in order), bytes not yet written."""

    __slots__ = ("worker", "rfd", "wfd", "queue", "out")

    def __init__(self, worker: WorkerProcess) -> None:
        self.worker = worker
        self.rfd = worker.reader.fd
        self.wfd = worker.writer.fd
        self.queue: deque[Flight] = deque()
        self.out = memoryview(b"")

    def enqueue(self, pool: "WorkerPool", flights: list[Flight]) -> None:
        message = pool._message(self.worker, [flight.job for flight in flights])
        if not self.queue and self.worker.ready:
            flights[0].start()
        self.queue.extend(flights)
        self.out = memoryview(bytes(self.out) + message if self.out else message)

    def flush(self) -> bool:
        """Write what the pipe takes now; True when nothing is left to write."""
        while self.out:
            try:
                self.out = self.out[os.write(self.wfd, self.out):]
            except BlockingIOError:
                return False
        return True

    def wake(self) -> float:
        """When this lane needs attention even if its worker says nothing."""
        return self.queue[0].deadline if self.worker.ready else self.worker.boot_deadline

    def receive(self) -> Iterator[tuple[int, dict]]:
        """Read what the worker wrote; yield each job it finished."""
        worker, queue = self.worker, self.queue
        try:
            worker.reader.fill()
        except Closed:
            if not worker.ready:
                worker.boot_failed()
            raise
        while (frame := worker.reader.take()) is not None:
            data = unpack(frame)
            if not worker.ready:
                worker.hello(data)
                if queue:
                    queue[0].start()
                continue
            result = queue[0].receive(data)
            if result is not None:
                flight = queue.popleft()
                if "retire" in data:
                    worker.retired = True
                elif queue:
                    queue[0].start()
                yield flight.index, result


def run_batches(pool: "WorkerPool", jobs: Iterable[Job],
                batch_size: int) -> Iterator[tuple[int, dict]]:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    source = enumerate(jobs)
    pending: deque[tuple[int, Job]] = deque()
    exhausted = False
    owners: dict[int, _Lane] = {}  # read and write descriptors -> lane
    lanes: list[_Lane] = []
    poller = select.poll()

    def add(worker: WorkerProcess) -> None:
        lane = _Lane(worker)
        lanes.append(lane)
        owners[lane.rfd] = lane
        poller.register(lane.rfd, select.POLLIN)

    def flush(lane: _Lane) -> None:
        """Write now; watch for room in the pipe while bytes are left."""
        try:
            done = lane.flush()
        except OSError:  # the worker is gone: its results, then its EOF, tell the rest
            lane.out = memoryview(b"")
            done = True
        if done and lane.wfd in owners:
            poller.unregister(lane.wfd)
            del owners[lane.wfd]
        elif not done and lane.wfd not in owners:
            poller.register(lane.wfd, select.POLLOUT)
            owners[lane.wfd] = lane

    def replace(lane: _Lane) -> None:
        for fd in (lane.rfd, lane.wfd):
            if owners.pop(fd, None) is not None:
                poller.unregister(fd)
        lanes.remove(lane)
        pending.extendleft(reversed([(flight.index, flight.job) for flight in lane.queue]))
        pool._discard(lane.worker)
        worker = pool._checkout(wait=not lanes)
        if worker is not None:
            add(worker)

    def fault(lane: _Lane, exc: BaseException) -> Iterator[tuple[int, dict]]:
        if lane.queue:
            flight = lane.queue.popleft()
            yield flight.index, pool._fault(lane.worker, flight, exc)
        else:
            lane.worker.kill()

    add(pool._checkout())
    while (extra := pool._checkout(wait=False)) is not None:
        add(extra)
    try:
        while True:
            while not exhausted and len(pending) < 2 * batch_size * len(lanes):
                item = next(source, None)
                if item is None:
                    exhausted = True
                else:
                    get_trigger(item[1].trigger_id)
                    pending.append(item)
            for lane in lanes:
                if pending and len(lane.queue) <= batch_size:
                    size = min(batch_size, -(-len(pending) // len(lanes)))
                    lane.enqueue(pool, [Flight(*pending.popleft()) for _ in range(size)])
                    flush(lane)
            busy = [lane for lane in lanes if lane.queue]
            if not busy:
                return
            wake = min(lane.wake() for lane in busy)
            ended: list[_Lane] = []
            for fd, _ in poller.poll(max(wake - time.monotonic(), 0.0) * 1000.0):
                lane = owners.get(fd)
                if lane is None or lane in ended:
                    continue
                try:
                    if fd == lane.wfd:
                        flush(lane)
                    else:
                        yield from lane.receive()
                except ExecutionError:
                    raise
                except Exception as exc:  # the worker is untrusted: any bad frame ends it
                    yield from fault(lane, exc)
                if not lane.worker.alive:
                    ended.append(lane)
            now = time.monotonic()
            for lane in busy:
                if lane in ended or not lane.queue:
                    continue
                if not lane.worker.ready:
                    if lane.worker.boot_deadline <= now:
                        lane.worker.wait_ready()  # times out: ExecutionError
                elif lane.queue[0].deadline <= now:
                    yield from fault(lane, Timeout())
                    ended.append(lane)
            for lane in ended:
                replace(lane)
    finally:
        for lane in lanes:
            if lane.queue:
                lane.worker.kill()  # the caller stopped early: its jobs are abandoned
            pool._checkin(lane.worker)
