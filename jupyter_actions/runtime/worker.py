"""The worker process: runs the steps of ONE action (one version or a draft) for its whole life.

Started by ``isolation.BOOTSTRAP`` as ``python -I -S``; it enters the sandbox before it imports
anything else (``sandbox.boot``), then reads frames from one pipe and writes frames to another
(stdout and stderr are /dev/null, so action output cannot reach the protocol).

Messages in (JSON): ``{"load"?: {"name", "code", "secrets", "modules"?: [{"name", "code",
"secrets"}]}, "jobs": [job...]}``, the action (and the Actions Modules it imports,
runtime/modules.py) once, in the first message; a job is ``{"id": n, "n": nonce, "t": trigger id, "h": handler,
"p": phase, "e": event | "x": blob number, "v": [commands of the earlier steps], "c": cache,
"d": directory}``, or ``{"id", "n", "x", "v"}`` when all else is as in the job before it.
Out: ``{"hello": boot_ms, "layers": {...}}`` once, then ``{"id": n, "n": nonce, "r": step
result, "retire"?: 1}`` per job, or ``{"fatal": reason}`` before exiting on an error of the
worker itself. The parent trusts none of it (runtime/steps.py checks every frame).
"""

from __future__ import annotations

import asyncio
import inspect
import linecache
import logging
import os
import sys
import time
from collections.abc import Callable
from time import perf_counter
from types import ModuleType
from typing import Any

import orjson

from ..outcome import ErrorClass, Phase, StepError, WorkerResult
from . import fetch, limits, modules, sandbox
from .capture import Capture, CaptureHandler
from .protocol import Closed, FrameReader, pack, unpack, write_all
from .redaction import Redactor
from .tracebacks import action_filename, describe, register_source

_RESERVE_BYTES = 1 << 20  # freed on MemoryError, so that the error can still be reported
EXIT_BOOT_FAILED = 78


def main(argv: list[str]) -> None:
    fd_in, fd_out = int(argv[0]), int(argv[1])
    started = perf_counter()
    try:
        policy = sandbox.Policy.from_json(argv[2])
        layers = sandbox.boot(policy, keep_fds=(fd_in, fd_out))
        sys.path.extend(argv[4:])
        worker = Worker(fd_in, fd_out, int(argv[3]), policy.memory_mb)
    except BaseException as exc:  # noqa: BLE001 - tell the parent why, it cannot read our stderr
        reason = str(exc) if isinstance(exc, sandbox.SandboxUnavailable) else f"{type(exc).__name__}: {exc}"
        write_all(fd_out, pack({"boot_error": reason}))
        os._exit(EXIT_BOOT_FAILED)
    worker.send({"hello": round((perf_counter() - started) * 1000.0, 3), "layers": dict(layers)})
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


def _nothing() -> None:
    """The continue handler of an action that defines none."""


class _Failure(Exception):
    """A step error that is already an error object (missing handler, module init error)."""

    def __init__(self, error: StepError) -> None:
        super().__init__(error["message"])
        self.error = error


class Action:
    """The worker's one action: its module (loaded on first use) and its secrets."""

    __slots__ = (
        "name",
        "filename",
        "code",
        "lines",
        "module",
        "failure",
        "secrets",
        "values",
        "checked",
        "modules",
        "sources",
    )

    def __init__(self, name: str, code: str, secrets: dict[str, str], imported: list[dict] | None = None) -> None:
        self.name = name
        self.filename = action_filename(name)
        self.code = code  # until load() runs it: the source is not kept after
        self.lines = register_source(self.filename, code)
        self.module: ModuleType | None = None
        self.failure: StepError | None = None
        self.secrets = secrets
        self.modules = imported or []  # Actions Modules (runtime/modules.py), loaded with the action
        self.sources = modules.register(self.modules)  # the modules' (filename, linecache entry)
        module_values = [value for m in self.modules for value in m["secrets"].values()]
        self.values = Redactor([*secrets.values(), *module_values])
        self.checked: dict[str, tuple[Callable[..., Any], bool, int]] = {}  # name -> (function, async?, takes)

    def load(self, on_error: Callable[[BaseException, Action], StepError]) -> None:
        """Run the module-level code once; an error in it is kept and raised on every call."""
        module = ModuleType(self.name)
        code, self.code = self.code, ""
        try:
            if self.modules:
                sources, self.modules = self.modules, []
                modules.install(self.name, sources)
            exec(compile(code, self.filename, "exec", dont_inherit=True), module.__dict__)  # noqa: S102 - the action's code, in its sandboxed worker
        except BaseException as exc:  # noqa: BLE001 - whatever the action's module raises is its step's error
            self.failure = on_error(exc, self)
        self.module = module

    def handler(self, name: str, optional: bool = False) -> tuple[Callable[..., Any], bool, int]:
        """The handler, whether it is a coroutine function, and how many of ``(event, api)`` it
        takes (checked once per function); an ``optional`` one that is not defined does nothing."""
        if self.failure is not None:
            raise _Failure(self.failure)
        handler = self.module.__dict__.get(name)
        checked = self.checked.get(name)
        if checked is not None and checked[0] is handler:
            return checked
        if handler is None and optional:
            return _nothing, False, 0
        if handler is None:
            raise _Failure(
                limits.error(
                    "TypeError",
                    f"the action {self.name!r} does not define the handler {name}: add 'async def {name}(event, api):'",
                    ErrorClass.ACTION_ERROR,
                )
            )
        if not callable(handler):
            raise _Failure(
                limits.error(
                    "TypeError",
                    f"{name} in the action {self.name!r} is not a function (it is "
                    f"{type(handler).__name__}): define 'async def {name}(event, api):'",
                    ErrorClass.ACTION_ERROR,
                )
            )
        checked = self.checked[name] = (handler, inspect.iscoroutinefunction(handler), _takes(handler))
        return checked


def _takes(handler: Callable[..., Any]) -> int:
    """How many of ``(event, api)`` a handler takes: Auth0 calls ``async (event) =>`` and
    ``async () =>`` too (its loader: "We can't assume that there will be 2 arguments")."""
    try:
        parameters = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):  # no signature to read: called with both, as before
        return 2
    positional = 0
    for parameter in parameters:
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return 2
        if parameter.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD):
            positional += 1
    return min(positional, 2)


class _Seal:
    """What the runtime looked like before any action code ran: the attributes of the api
    classes and of the runtime's own modules. An action that assigned to one of them changed
    its worker, which is then replaced (a fresh worker starts from the real runtime).

    After a step only the core (the worker's own classes and functions, the event and api base
    classes) and the namespace classes the action touched are compared, a few microseconds; a
    class patched but not used in that step is found in the first step that uses it."""

    def __init__(self, functions: list[tuple[Any, str]], core: list[type], classes: list[type]) -> None:
        self._functions = [(vars(module), name, getattr(module, name)) for module, name in functions]
        self._core = [(vars(cls), tuple(vars(cls).values())) for cls in core]
        self._classes = {cls: tuple(vars(cls).values()) for cls in classes}

    def intact(self, api: Any) -> bool:
        if not all(namespace.get(name) is value for namespace, name, value in self._functions):
            return False
        if not all(tuple(d.values()) == values for d, values in self._core):
            return False
        touched = vars(api).values() if api is not None else ()
        for namespace in touched:
            for cls in type(namespace).__mro__:
                values = self._classes.get(cls)
                if values is not None and tuple(vars(cls).values()) != values:
                    return False
        return True


class Worker:
    def __init__(self, fd_in: int, fd_out: int, log_limit: int, memory_mb: int) -> None:
        from .. import triggers
        from ..triggers import _api

        self.get_trigger = triggers.get_trigger
        self.ApiSession = _api.ApiSession
        self.reader = FrameReader(fd_in)
        self.fd_out = fd_out
        self.memory_mb = memory_mb
        self.action: Action | None = None
        self.triggers: dict[str, Any] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.spawned: list[asyncio.Task] = []
        self.retire = False  # answer this job, then exit: the parent starts a fresh worker
        self.reserve: bytearray | None = bytearray(_RESERVE_BYTES)
        self.capture = Capture(log_limit)
        self.log_handler = CaptureHandler(self.capture)
        self._configure_logging()
        fetch.install()
        self.seal: _Seal | None = None
        self.api: Any = None  # the last step's api object: the seal checks what it touched
        self.threads = sandbox.thread_count()

    def _seal(self, trigger: Any) -> _Seal:
        """Sealed before the action's module code first runs (it may patch at import)."""
        from ..triggers import _api, _event

        redaction, protocol = sys.modules[Redactor.__module__], sys.modules[FrameReader.__module__]
        functions = [
            (sandbox, "after_step"),
            (sandbox, "thread_count"),
            (redaction, "forms"),
            (redaction, "_escaped"),
            (protocol, "pack"),
            (protocol, "write_all"),
            (fetch, "clock"),
            (limits, "error"),
            (sys.modules[describe.__module__], "describe"),
        ]
        core = [
            Worker,
            Action,
            _Seal,
            Capture,
            CaptureHandler,
            Redactor,
            _api.Api,
            _api.ApiSession,
            _api.Namespace,
            _event.EventView,
            _event.EventList,
        ]
        classes = {
            cls
            for namespace in trigger.api_namespaces.values()
            for cls in getattr(namespace, "__mro__", ())
            if cls.__module__.startswith("jupyter_actions.")
        }
        return _Seal(functions, core, sorted(classes, key=lambda cls: cls.__qualname__))

    def _configure_logging(self) -> None:
        root = logging.getLogger()
        root.handlers[:] = [self.log_handler]
        root.setLevel(logging.INFO)
        for noisy in ("httpx", "httpcore", "asyncio"):
            logging.getLogger(noisy).setLevel(logging.WARNING)

    def send(self, obj: dict) -> None:
        write_all(self.fd_out, pack(obj))

    def serve(self) -> None:
        while True:
            try:
                message = unpack(self.reader.read())
            except Closed:
                os._exit(0)
            load = message.get("load")
            if load is not None and self.action is None:
                self.action = Action(load["name"], load["code"], load["secrets"], load.get("modules"))
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
        self.spawned = []  # not this task: only those the action starts
        blobs = message.get("blob_data", ())
        shared: dict = {}  # the last job sent in full
        for job in message["jobs"]:
            if "t" in job:
                shared = {**job, "c": dict(job["c"])}
            else:  # like the job before it but for its event and the earlier steps' commands
                job = {**shared, **job, "c": dict(shared["c"])}  # (api.cache replaces entries whole)
            try:
                result = await self.run_job(job, blobs)
            except Exception as exc:  # noqa: BLE001 - our fault, not the action's: say so, then go
                self.reserve = None
                why = (
                    limits.memory_message(self.memory_mb)
                    if isinstance(exc, MemoryError)
                    else limits.clip(f"{type(exc).__name__}: {exc}", limits.ERROR_CHARS["message"])
                )
                self.send({"fatal": why})
                os._exit(70)
            frame: dict[str, Any] = {"id": job["id"], "n": job["n"], "r": result}
            if self.retire:
                frame["retire"] = 1
            try:
                self.send(frame)
            except (TypeError, ValueError):  # an action put a non-JSON value into a command
                frame["r"] = {**result, "commands": _jsonable(result["commands"])}
                self.send(frame)
            if self.retire:
                os._exit(0)

    async def run_job(self, job: dict, blobs: Any) -> WorkerResult:
        trigger = self.triggers.get(job["t"])
        if trigger is None:
            trigger = self.triggers[job["t"]] = self.get_trigger(job["t"])
        if self.seal is None:
            self.seal = self._seal(trigger)
        if "x" in job:
            event = orjson.loads(blobs[job["x"]])
        else:
            event = job["e"]
        prior = job.get("v") or []
        if prior:  # what the earlier actions of the flow made visible (metadata ...)
            trigger.after_action(event, prior)
        result = await self.run_step(
            trigger, job["h"], event, job["c"], job.get("d"), job.get("p", Phase.EXECUTE), prior
        )
        self._hygiene(result)
        return result

    def _hygiene(self, result: WorkerResult) -> None:
        """End what the action left behind; a worker that cannot be trusted to be as it was
        is retired after this step (the parent starts a fresh one)."""
        ended, extra_threads = sandbox.after_step(self.threads)
        notes = []
        if ended:
            notes.append(f"[sandbox] ended {ended} process{'es' if ended != 1 else ''} that the action left running")
        if extra_threads > 0:
            notes.append(
                f"[sandbox] the action left {extra_threads} thread{'s' if extra_threads != 1 else ''} "
                "running: its worker is replaced"
            )
            self.retire = True
        if self.seal is not None and not self.seal.intact(self.api):
            notes.append(
                "[sandbox] the action changed the runtime (an api class or a runtime module): its worker is replaced"
            )
            self.retire = True
        if ended or result["response"]["error"] is not None:
            self.retire = True
        if notes:
            response = result["response"]
            logs = response["logs"]
            response["logs"] = logs + ("" if not logs or logs.endswith("\n") else "\n") + "\n".join(notes) + "\n"

    async def run_step(
        self, trigger: Any, handler_name: str, event: dict, cache: dict, directory: Any, phase: Phase, prior: list[dict]
    ) -> WorkerResult:
        action = self.action
        if action is None:
            raise RuntimeError("no action was loaded into this worker")
        linecache.cache[action.filename] = action.lines
        for filename, lines in action.sources:
            linecache.cache[filename] = lines
        capture, values = self.capture, action.values
        capture.begin(values)
        sys.stdout = sys.stderr = capture
        root = logging.root
        handlers = root.handlers
        if root.level != logging.INFO or len(handlers) != 1 or handlers[0] is not self.log_handler:
            self._configure_logging()
        fetch.clock.seconds = 0.0
        self.api = None
        commands: list[dict] = []
        error: StepError | None = None
        boot = handler_time = 0.0
        started_at = time.time()
        started = perf_counter()
        try:
            if action.module is None:
                action.load(self._error)
                boot = perf_counter() - started
            # Auth0's MFA and Forms samples define no continue handler: resuming them does nothing.
            handler, is_async, takes = action.handler(handler_name, optional=phase == Phase.CONTINUE)
            event["secrets"] = dict(action.secrets)  # the run's own: the action may write to it
            session = self.ApiSession(
                event=event,
                commands=commands,
                cache=cache,
                directory=directory,
                phase=phase,
                prior_commands=prior,
                copy_event=_json_copy,
            )
            api = self.api = trigger.new_api(session)
            arguments = (session.event_view(), api)[:takes]
            begun = perf_counter()
            try:
                await self._call(handler, is_async, handler_name, arguments)
            finally:
                handler_time = perf_counter() - begun
        except _Failure as failure:
            error = failure.error
        except BaseException as exc:  # noqa: BLE001 - anything the action raises is its step's error
            error = self._error(exc, action)
        if error is not None and values:
            redacted = error.copy()
            for field in limits.ERROR_CHARS:  # the error's texts
                redacted[field] = values.text(error[field])
            error = redacted
        if error is not None:
            error = limits.bounded(error)  # after redaction: a cut must not leave part of a secret
        logs = capture.finish()
        total = perf_counter() - started
        return {
            "started_at": _iso(started_at),
            "ended_at": _iso(time.time()),
            "response": {
                "logs": logs,
                "stats": {
                    "action_duration_ms": _ms(handler_time),
                    "boot_duration_ms": _ms(boot),
                    "network_duration_ms": _ms(fetch.clock.seconds),
                    "runtime_processing_duration_ms": _ms(total - boot - handler_time),
                    "total_runtime_execution_duration_ms": _ms(total),
                },
                "error": error,
            },
            "commands": commands,
        }

    async def _call(self, handler: Callable[..., Any], is_async: bool, name: str, arguments: tuple) -> None:
        if is_async:
            try:
                await handler(*arguments)
            finally:
                await self._cancel_leftovers()
            return
        returned = handler(*arguments)
        if inspect.iscoroutine(returned):
            returned.close()
            raise _Failure(
                limits.error(
                    "TypeError",
                    f"{name} is a plain def that returned a coroutine it never awaited: "
                    f"declare it 'async def {name}(event, api):' or await the coroutine inside it",
                    ErrorClass.ACTION_ERROR,
                )
            )

    async def _cancel_leftovers(self) -> None:
        """Cancel the tasks an action started and left running: they must not outlive its step
        (and the worker is replaced: a task may have changed what it shares with the next)."""
        if not self.spawned:
            return
        current = asyncio.current_task()
        tasks = [task for task in self.spawned if task is not current and not task.done()]
        self.spawned = []
        for task in tasks:
            task.cancel()
        if tasks:
            self.retire = True
            await asyncio.gather(*tasks, return_exceptions=True)

    def _error(self, exc: BaseException, action: Action) -> StepError:
        if isinstance(exc, MemoryError):
            return self._memory_error(exc)
        if isinstance(exc, SystemExit):
            return describe(
                exc,
                action.filename,
                message=(
                    f"the action called sys.exit({exc.code!r}): return from the handler instead, "
                    f"and use api.access.deny(reason) to refuse the login"
                ),
            )
        return describe(exc, action.filename, also=[filename for filename, _ in action.sources])

    def _memory_error(self, exc: MemoryError) -> StepError:
        self.reserve = None
        exc.__traceback__ = None
        self.retire = True
        return limits.error("MemoryError", limits.memory_message(self.memory_mb), ErrorClass.PLATFORM_ERROR)


def _json_copy(event: dict) -> dict:
    """A copy of a worker's event (plain JSON until the action writes to it: it is copied
    before that), several times faster than copy.deepcopy."""
    return orjson.loads(orjson.dumps(event))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)
