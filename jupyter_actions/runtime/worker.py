"""The worker process: runs the jobs the pool sends, one step after the other.

Started by ``isolation.BOOTSTRAP`` as ``python -I -S``; reads frames from one pipe and writes
frames to another (stdout and stderr are /dev/null, so action output cannot reach the protocol).
Per job it streams one frame per finished step, then a last frame with the event and cache, so
that the parent keeps the finished steps when it has to kill the worker halfway.

Messages (JSON): in ``{"jobs": [job...], "drop": [key...]}`` with job ``{"t": trigger id,
"e": event, "c": cache, "d": directory, "p": phase, "s": [step...]}`` (a lean job has ``"x":
blob number`` for ``"e"``, and is just ``{"x": blob number}`` when all else is as in the job
before it) and step ``{"k": key,
"n": action name, "h": handler, "code"?: source, "secrets"?: {name: value}}`` (code and
secrets only when this worker has not got them yet); out ``{"hello": boot_ms}`` once, then
``{"j": job index, "r": step result}`` per step but the last, and ``{"j": job index,
"r": last step result, "done": 1, "c": cache, "e"?: event, "retire"?: 1}`` where the event
is left out when no step issued an api command (then it is the event the parent sent), or
``{"j": job index, "fatal": reason}`` before exiting on an error of the worker itself.
"""

from __future__ import annotations

import asyncio
import mmap
import inspect
import linecache
import logging
import os
import sys
import threading
import time
from time import perf_counter
from types import ModuleType
from typing import Any, Callable

from . import fetch, limits
from .capture import Capture, CaptureHandler, redact, secret_values
from .lean import run_lean
from .protocol import Closed, FrameReader, pack, unpack, write_all
from .tracebacks import action_filename, describe, register_source

_RESERVE_BYTES = 1 << 20  # freed on MemoryError, so that the error can still be reported


def main(argv: list[str]) -> None:
    fd_in, fd_out, fd_progress, memory_mb, log_limit = (int(arg) for arg in argv[:5])
    started = perf_counter()
    try:
        limits.apply(memory_mb)
        sys.path.extend(argv[5:])
        worker = Worker(fd_in, fd_out, memory_mb, log_limit)
        worker.progress = mmap.mmap(fd_progress, 8)
    except BaseException as exc:  # tell the parent why, it cannot read our stderr
        write_all(fd_out, pack({"boot_error": f"{type(exc).__name__}: {exc}"}))
        raise
    worker.send({"hello": round((perf_counter() - started) * 1000.0, 3)})
    worker.serve()


class _Timestamps:
    """ISO-8601 UTC with microseconds and a Z; the part up to the second is formatted once
    per second (two timestamps per step, strftime would cost more than the rest of a no-op)."""

    second = -1
    prefix = ""

    def __call__(self, seconds: float) -> str:
        whole = int(seconds)
        if whole != self.second:
            self.second = whole
            self.prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        return f"{self.prefix}.{int((seconds - whole) * 1e6):06d}Z"


_iso = _Timestamps()


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 3)


def _watch_parent(parent: int) -> None:
    """Exit when the parent is gone, even while an action loops forever."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


class _Failure(Exception):
    """A step error that is already an error object (missing handler, module init error)."""

    def __init__(self, error: dict) -> None:
        super().__init__(error["message"])
        self.error = error


class Action:
    """One key's code in this worker: its module (loaded on first use) and its secrets."""

    __slots__ = ("name", "filename", "code", "lines", "module", "failure", "secrets", "values", "checked")

    def __init__(self, name: str, code: str) -> None:
        self.name = name
        self.filename = action_filename(name)
        self.code: str | None = code
        self.lines = register_source(self.filename, code)
        self.module: ModuleType | None = None
        self.failure: dict | None = None
        self.secrets: dict[str, str] = {}
        self.values: tuple[str, ...] = ()
        self.checked: dict[str, tuple[Callable[..., Any], bool]] = {}  # handler name -> (function, async?)

    def set_secrets(self, secrets: dict[str, str]) -> None:
        self.secrets = secrets
        self.values = secret_values(secrets)

    def load(self, on_error: Callable[[BaseException, "Action"], dict]) -> None:
        """Run the module-level code once; an error in it is kept and raised on every call."""
        module = ModuleType(self.name)
        code, self.code = self.code, None
        try:
            exec(compile(code, self.filename, "exec", dont_inherit=True), module.__dict__)
        except BaseException as exc:
            self.failure = on_error(exc, self)
        self.module = module

    def handler(self, name: str) -> tuple[Callable[..., Any], bool]:
        """The handler and whether it is a coroutine function (checked once per function)."""
        if self.failure is not None:
            raise _Failure(self.failure)
        handler = self.module.__dict__.get(name)  # type: ignore[union-attr]
        checked = self.checked.get(name)
        if checked is not None and checked[0] is handler:
            return checked
        if handler is None:
            raise _Failure(limits.error(
                "TypeError", f"the action {self.name!r} does not define the handler {name}: "
                f"add 'async def {name}(event, api):'", limits.ACTION_ERROR))
        if not callable(handler):
            raise _Failure(limits.error(
                "TypeError", f"{name} in the action {self.name!r} is not a function (it is "
                f"{type(handler).__name__}): define 'async def {name}(event, api):'",
                limits.ACTION_ERROR))
        checked = self.checked[name] = (handler, inspect.iscoroutinefunction(handler))
        return checked


class Worker:
    def __init__(self, fd_in: int, fd_out: int, memory_mb: int, log_limit: int) -> None:
        from ..triggers import get_trigger
        from ..triggers._api import ApiSession
        from ..triggers._event import EventView

        self.get_trigger, self.ApiSession, self.EventView = get_trigger, ApiSession, EventView
        self.reader = FrameReader(fd_in)
        self.fd_out = fd_out
        self.memory_mb = memory_mb
        self.actions: dict[str, Action] = {}
        self.triggers: dict[str, Any] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.spawned: list[asyncio.Task] = []
        self.retire = False
        self.reserve: bytearray | None = bytearray(_RESERVE_BYTES)
        self.progress: Any = bytearray(8)  # replaced by the parent's shared memory in main()
        self.capture = Capture(log_limit)
        self.log_handler = CaptureHandler(self.capture)
        self._configure_logging()
        fetch.install()
        threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()

    def _configure_logging(self) -> None:
        root = logging.getLogger()
        root.handlers[:] = [self.log_handler]
        root.setLevel(logging.INFO)
        for noisy in ("httpx", "httpcore", "asyncio"):
            logging.getLogger(noisy).setLevel(logging.WARNING)

    def send(self, obj: dict, blobs: list[bytes] | None = None) -> None:
        try:
            frame = pack(obj, blobs)
        except (TypeError, ValueError):  # an action put a non-JSON value into the event
            frame = pack(_jsonable(obj), blobs)
        write_all(self.fd_out, frame)

    def serve(self) -> None:
        while True:
            try:
                message = unpack(self.reader.read())
            except Closed:
                os._exit(0)
            for key in message.get("drop", ()):
                self.actions.pop(key, None)
            self._event_loop().run_until_complete(self._serve_message(message))

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        loop = self.loop
        if loop is None or loop.is_closed():
            loop = self.loop = asyncio.new_event_loop()
            loop.set_task_factory(self._new_task)
            asyncio.set_event_loop(loop)
        return loop

    def _new_task(self, loop: asyncio.AbstractEventLoop, coro: Any, **options: Any) -> asyncio.Task:
        """Every task is noted, so that a step can cancel what its action left running
        without scanning all tasks after every step."""
        task = asyncio.Task(coro, loop=loop, **options)
        self.spawned.append(task)
        return task

    async def _serve_message(self, message: dict) -> None:
        """Every job of a message on one pass of the event loop: the handlers are awaited
        directly, so a step costs no loop start-up of its own."""
        self.spawned = []  # not this task: only those the actions start
        blobs = message.get("blob_data", ())
        shared: dict = {}  # the last job sent in full, with its cache as it came
        for index, job in enumerate(message["jobs"]):
            if "s" in job:
                self.deliver(job["s"])
                shared = {**job, "c": dict(job["c"])}
            else:  # a lean job like that one but for its event (actions replace cache entries whole)
                job = {**shared, "x": job["x"], "c": dict(shared["c"])}
            if "x" in job:
                job["x"] = blobs[job["x"]]
            try:
                await self.run_job(index, job)
            except Exception as exc:  # our fault, not the action's: say so, then go
                self.reserve = None
                why = (limits.memory_message(self.memory_mb) if isinstance(exc, MemoryError)
                       else f"{type(exc).__name__}: {exc}")
                self.send({"j": index, "fatal": why})
                os._exit(70)
            if self.retire:
                os._exit(0)

    async def run_job(self, index: int, job: dict) -> None:
        trigger = self.triggers.get(job["t"])
        if trigger is None:
            trigger = self.triggers[job["t"]] = self.get_trigger(job["t"])
        if "x" in job:
            frame, texts = await run_lean(self, index, job, trigger)
            self.send(frame, texts)
            return
        event, cache, directory = job["e"], job["c"], job.get("d")
        phase = job.get("p", "execute")
        prior: list[dict] = []
        result = None
        for position, spec in enumerate(job["s"]):
            if result is not None:
                self.send({"j": index, "r": result})
            result = await self.run_step(trigger, spec, event, cache, directory,
                                         phase if position == 0 else "execute", prior)
            prior += result["commands"]
            if result["control"] != "continue" or (
                    result["response"]["error"] is not None and trigger.blocking):
                break
        event.pop("secrets", None)
        done: dict[str, Any] = {"j": index, "r": result, "done": 1, "c": cache}
        if prior:  # only api calls change the event: without any, the parent has it already
            done["e"] = event
        if self.retire:
            done["retire"] = 1
        self.send(done)

    def deliver(self, specs: list[dict]) -> None:
        """Take the code and secrets a job brings: the parent counts every step's as delivered,
        also those of steps this job will not reach."""
        for spec in specs:
            if "code" in spec:
                self.actions[spec["k"]] = Action(spec["n"], spec["code"])
            if "secrets" in spec:
                self.actions[spec["k"]].set_secrets(spec["secrets"])

    async def run_step(self, trigger: Any, spec: dict, event: dict, cache: dict, directory: Any,
                 phase: str, prior: list[dict]) -> dict:
        action = self.actions[spec["k"]]  # delivered by run_job
        linecache.cache[action.filename] = action.lines  # two keys can share a name
        capture, values = self.capture, action.values
        capture.begin(values)
        sys.stdout = sys.stderr = capture
        root = logging.root
        handlers = root.handlers
        if root.level != logging.INFO or len(handlers) != 1 or handlers[0] is not self.log_handler:
            self._configure_logging()
        fetch.clock.seconds = 0.0
        commands: list[dict] = []
        error = None
        boot = handler_time = 0.0
        started_at = time.time()
        started = perf_counter()
        try:
            if action.module is None:
                action.load(self._error)
                boot = perf_counter() - started
            handler, is_async = action.handler(spec["h"])
            event["secrets"] = action.secrets
            session = self.ApiSession(event=event, commands=commands, cache=cache,
                                      directory=directory, phase=phase, prior_commands=prior)
            api = trigger.new_api(session)
            view = self.EventView(event)
            begun = perf_counter()
            try:
                await self._call(handler, is_async, spec["h"], view, api)
            finally:
                handler_time = perf_counter() - begun
            trigger.after_action(event, commands)
            control = trigger.control(commands)
        except _Failure as failure:
            error = failure.error
        except BaseException as exc:
            error = self._error(exc, action)
        if error is not None:
            control = "stop" if trigger.blocking else "continue"
            if values:
                error = {**error, "message": redact(error["message"], values),
                         "stack": redact(error["stack"], values)}
        logs = capture.finish()
        total = perf_counter() - started
        network = fetch.clock.seconds
        return {
            "started_at": _iso(started_at),
            "ended_at": _iso(time.time()),
            "response": {
                "logs": logs,
                "stats": {
                    "action_duration_ms": _ms(handler_time),
                    "boot_duration_ms": _ms(boot),
                    "network_duration_ms": _ms(network),
                    "runtime_processing_duration_ms": _ms(total - boot - handler_time),
                    "runtime_external_call_duration_ms": 0.0,  # the parent fills these two in
                    "total_runtime_execution_duration_ms": _ms(total),
                    "total_request_duration_ms": 0.0,
                },
                "error": error,
            },
            "commands": commands,
            "control": control,
        }

    async def _call(self, handler: Callable[..., Any], is_async: bool, name: str, event: Any, api: Any) -> None:
        if is_async:
            try:
                await handler(event, api)
            finally:
                await self._cancel_leftovers()
            return
        returned = handler(event, api)
        if inspect.iscoroutine(returned):
            returned.close()
            raise _Failure(limits.error(
                "TypeError", f"{name} is a plain def that returned a coroutine it never awaited: "
                f"declare it 'async def {name}(event, api):' or await the coroutine inside it",
                limits.ACTION_ERROR))

    async def _cancel_leftovers(self) -> None:
        """Cancel the tasks an action started and left running: they must not outlive its step."""
        if not self.spawned:
            return
        current = asyncio.current_task()
        tasks = [task for task in self.spawned if task is not current and not task.done()]
        self.spawned = []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    def _error(self, exc: BaseException, action: Action) -> dict:
        if isinstance(exc, MemoryError):
            return self._memory_error(exc)
        if isinstance(exc, SystemExit):
            return describe(exc, action.filename, message=(
                f"the action called sys.exit({exc.code!r}): return from the handler instead, "
                f"and use api.access.deny(reason) to refuse the login"))
        return describe(exc, action.filename)

    def _memory_error(self, exc: MemoryError) -> dict:
        self.reserve = None
        exc.__traceback__ = None
        self.retire = True
        return limits.error("MemoryError", limits.memory_message(self.memory_mb),
                            limits.PLATFORM_ERROR)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)
