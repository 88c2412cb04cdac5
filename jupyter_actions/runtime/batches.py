"""``WorkerPool.map``: a batch of jobs through their steps, every step's workers busy at once.

Each step of a flow runs on workers of its own action, so a batch is a pipeline: the jobs at
step 1 go to the first action's workers in batches, each job that goes on joins the queue of
its next step, and so on. One thread drives all workers with poll(2) and never blocks on a
pipe: writes are non-blocking and resume when the pipe has room. Each worker (a *lane*) has up
to two batches in hand, so that it starts the next one the moment it finishes the last. The
flow rules are those of a single run (steps.FlowRun); only the scheduling differs.
"""

from __future__ import annotations

import os
import select
import time
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..errors import ExecutionError
from ..outcome import JobOutput
from ..triggers import get_trigger
from . import steps
from .jobs import Job
from .process import WorkerProcess
from .protocol import Closed, Timeout, unpack

if TYPE_CHECKING:
    from .pool import WorkerPool


class _Lane:
    """One worker in a map: the jobs it was sent and has not answered (in order), the bytes
    not yet written."""

    __slots__ = ("worker", "key", "rfd", "wfd", "queue", "out")

    def __init__(self, worker: WorkerProcess, key: tuple) -> None:
        self.worker = worker
        self.key = key
        self.rfd = worker.reader.fd
        self.wfd = worker.writer.fd
        self.queue: deque[steps.FlowRun] = deque()
        self.out = memoryview(b"")

    def enqueue(self, pool: WorkerPool, flows: list[steps.FlowRun]) -> None:
        message = pool.message(self.worker, flows[0].step, flows)
        if not self.queue and self.worker.ready:
            flows[0].start()
        self.queue.extend(flows)
        self.out = memoryview(bytes(self.out) + message if self.out else message)

    def flush(self) -> bool:
        """Write what the pipe takes now; True when nothing is left to write."""
        while self.out:
            try:
                self.out = self.out[os.write(self.wfd, self.out) :]
            except BlockingIOError:
                return False
        return True

    def wake(self) -> float:
        """When this lane needs attention even if its worker says nothing."""
        return self.queue[0].deadline if self.worker.ready else self.worker.boot_deadline

    def receive(self, pool: WorkerPool) -> Iterator[steps.FlowRun]:
        """Read what the worker wrote; yield each job whose step it finished."""
        worker, queue = self.worker, self.queue
        try:
            worker.reader.fill()
        except Closed:
            if not worker.ready and not worker.ended_by_signal():
                worker.boot_failed()
            raise  # a crash like one mid-step: the step fails, another worker takes the rest
        while (frame := worker.reader.take()) is not None:
            data = unpack(frame)
            if not worker.ready:
                worker.hello(data)
                pool.report_layers(worker)
                if queue:
                    queue[0].start()
                continue
            if not queue:
                raise Closed()  # an answer nobody asked for: the worker is not to be trusted
            flow = queue[0]
            flow.finish_step(flow.receive(data))
            queue.popleft()
            if "retire" in data:
                worker.retired = True
            elif queue:
                queue[0].start()
            yield flow


def run_batches(pool: WorkerPool, jobs: Iterable[Job], batch_size: int) -> Iterator[tuple[int, JobOutput]]:
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    source = enumerate(jobs)
    exhausted = False
    admitted = 0  # jobs taken from the source and not yet yielded
    admit_limit = 4 * batch_size * pool.max_workers
    waiting: dict[tuple, deque[steps.FlowRun]] = {}  # worker key -> jobs waiting at that step
    finished: deque[steps.FlowRun] = deque()
    lanes: list[_Lane] = []
    owners: dict[int, _Lane] = {}  # read and write descriptors -> lane
    poller = select.poll()

    def route(flow: steps.FlowRun) -> None:
        if flow.ended:
            finished.append(flow)
        else:
            waiting.setdefault(pool.identity(flow.step, flow.job.spec or pool.spec)[0], deque()).append(flow)

    def open_lanes() -> None:
        """A lane for every step that has jobs waiting and none; another for a step with a
        long queue while there are fewer lanes than ``max_workers``."""
        for key, queue in waiting.items():
            mine = sum(1 for lane in lanes if lane.key == key)
            while queue and not (mine and (len(lanes) >= pool.max_workers or len(queue) <= batch_size * mine)):
                head = queue[0]
                idle = not any(lane.queue for lane in lanes)
                worker = pool.checkout(head.step, head.job.spec or pool.spec, wait=idle and not mine)
                if worker is None:
                    break
                lane = _Lane(worker, key)
                lanes.append(lane)
                owners[lane.rfd] = lane
                poller.register(lane.rfd, select.POLLIN)
                mine += 1

    def flush(lane: _Lane) -> None:
        """Write now; watch for room in the pipe while bytes are left."""
        try:
            done = lane.flush()
        except OSError:  # the worker is gone: its EOF tells the rest
            lane.out = memoryview(b"")
            done = True
        if done and lane.wfd in owners:
            poller.unregister(lane.wfd)
            del owners[lane.wfd]
        elif not done and lane.wfd not in owners:
            poller.register(lane.wfd, select.POLLOUT)
            owners[lane.wfd] = lane

    def close_lane(lane: _Lane) -> None:
        """The lane's worker is gone or retired: its unanswered jobs wait for another."""
        for fd in (lane.rfd, lane.wfd):
            if owners.pop(fd, None) is not None:
                poller.unregister(fd)
        lanes.remove(lane)
        waiting.setdefault(lane.key, deque()).extendleft(reversed(lane.queue))
        lane.queue.clear()
        pool.checkin(lane.worker)

    def fault(lane: _Lane, exc: BaseException) -> None:
        if lane.queue:
            flow = lane.queue.popleft()
            pool.fault(lane.worker, flow, exc)
            route(flow)
        else:
            lane.worker.kill()

    try:
        while True:
            while not exhausted and admitted < admit_limit:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                admitted += 1
                index, job = item
                route(steps.begin(index, job, get_trigger(job.trigger_id), (job.spec or pool.spec).log_limit))
            while finished:
                flow = finished.popleft()
                admitted -= 1
                yield flow.index, flow.output()
            open_lanes()
            for lane in lanes:
                queue = waiting.get(lane.key)
                if queue and len(lane.queue) <= batch_size:
                    share = sum(1 for other in lanes if other.key == lane.key)
                    size = min(batch_size, -(-len(queue) // share))
                    lane.enqueue(pool, [queue.popleft() for _ in range(size)])
                    flush(lane)
            busy = [lane for lane in lanes if lane.queue]
            if not busy:
                if exhausted and not admitted:
                    return
                continue  # jobs finished without a worker (refused steps): yield them, take more
            wake = min(lane.wake() for lane in busy)
            ended: list[_Lane] = []
            for fd, _ in poller.poll(max(wake - time.monotonic(), 0.0) * 1000.0):
                if fd not in owners or owners[fd] in ended:
                    continue
                lane = owners[fd]
                try:
                    if fd == lane.wfd:
                        flush(lane)
                    else:
                        for flow in lane.receive(pool):
                            route(flow)
                except ExecutionError:
                    raise
                except Exception as exc:  # noqa: BLE001 - the worker is untrusted: any bad frame ends it
                    fault(lane, exc)
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
                    fault(lane, Timeout())
                    ended.append(lane)
            for lane in ended:
                close_lane(lane)
    finally:
        for lane in lanes:
            if lane.queue:
                lane.worker.kill()  # the caller stopped early: its jobs are abandoned
            pool.checkin(lane.worker)
