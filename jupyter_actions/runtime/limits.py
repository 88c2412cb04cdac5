"""The words for each way a worker's step can end (the limits themselves are sandbox.py's),
and the caps on an error's texts (whose fault an error is: ``outcome.ErrorClass``).

The message functions run in either process, so that a fault reads the same whether the
worker could still report it or the parent saw it die. The worker cuts an error's name,
message and stack to ``ERROR_CHARS`` after redacting them (a cut before redaction could leave
part of a secret); the parent refuses an answer whose texts are longer.
"""

from __future__ import annotations

import signal
from typing import Literal

from ..outcome import ErrorClass, StepError

_CRASHES: dict[int, str] = {  # signals a process raises on itself when it crashes
    signal.SIGSEGV: "segmentation fault",
    signal.SIGBUS: "bus error",
    signal.SIGABRT: "aborted",
    signal.SIGFPE: "floating point exception",
    signal.SIGILL: "illegal instruction",
    signal.SIGSYS: "bad system call",
}


ERROR_CHARS: dict[Literal["name", "message", "stack"], int] = {"name": 256, "message": 8 * 1024, "stack": 64 * 1024}
MARK_CHARS = 64  # room for clip's marker


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with a marker saying how many went."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} [... {len(text) - limit} characters dropped]"


def bounded(error: StepError) -> StepError:
    """``error`` with its name, message and stack within ``ERROR_CHARS``."""
    if all(len(error[field]) <= cap for field, cap in ERROR_CHARS.items()):
        return error
    clipped = error.copy()
    for field, cap in ERROR_CHARS.items():
        clipped[field] = clip(error[field], cap)
    return clipped


def timeout_message(timeout_s: float) -> str:
    return f"the execution exceeded the {timeout_s:g} s limit"


def memory_message(memory_mb: int) -> str:
    return f"the action exceeded the worker memory limit of {memory_mb} MiB"


def tree_memory_message(memory_mb: int) -> str:
    return f"the action exceeded the memory limit of {memory_mb} MiB for its worker and the processes it started"


def processes_message(max_processes: int) -> str:
    return (
        f"the action exceeded the limit of {max_processes} processes and threads for its worker and the "
        "processes it started"
    )


def death_message(returncode: int | None) -> str:
    """What a ``Popen.returncode`` says about how a worker ended that the pool did not end
    (the sandbox supervisor's own statuses are read by ``WorkerProcess.death_message``)."""
    if returncode is None:
        return "the worker stopped answering"
    if returncode >= 0:
        return f"the worker exited with status {returncode}"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    crash = _CRASHES.get(-returncode)
    if crash:
        return f"the worker crashed with {name} ({crash})"
    culprits = (
        "another process or the system's out-of-memory killer" if -returncode == signal.SIGKILL else "another process"
    )
    return f"the worker was ended by signal {name} from outside jupyter-actions ({culprits})"


def error(name: str, message: str, error_class: ErrorClass, stack: str | None = None) -> StepError:
    """The ``response.error`` object of internals.md section 2."""
    if stack is None:
        stack = f"{name}: {message}"
    return {"name": name, "message": message, "stack": stack, "error_class": error_class}
