"""The words for each way a worker's step can end (the limits themselves are sandbox.py's).

The message functions run in either process, so that a fault reads the same whether the
worker could still report it or the parent saw it die.
"""

from __future__ import annotations

import signal

ACTION_ERROR = "action_error"
ACTION_TIMEOUT = "action_timeout"
PLATFORM_ERROR = "platform_error"

_SIGNAL_NOTES = {
    signal.SIGSEGV: "segmentation fault",
    signal.SIGBUS: "bus error",
    signal.SIGABRT: "aborted",
    signal.SIGFPE: "floating point exception",
    signal.SIGILL: "illegal instruction",
}


def timeout_message(timeout_s: float) -> str:
    return f"the execution exceeded the {timeout_s:g} s limit"


def memory_message(memory_mb: int) -> str:
    return f"the action exceeded the worker memory limit of {memory_mb} MiB"


def death_message(returncode: int | None, memory_mb: int) -> str:
    """What a ``Popen.returncode`` says about how a worker ended (that we did not kill)."""
    if returncode is None:
        return "the worker stopped answering"
    if returncode >= 0:
        return f"the worker exited with status {returncode}"
    if -returncode == signal.SIGKILL:  # the kernel's out-of-memory killer, as a rule
        return f"{memory_message(memory_mb)} (the worker was killed by SIGKILL)"
    try:
        name = signal.Signals(-returncode).name
    except ValueError:
        name = f"signal {-returncode}"
    note = _SIGNAL_NOTES.get(-returncode)
    return f"the worker was killed by {name}" + (f" ({note})" if note else "")


def error(name: str, message: str, error_class: str, stack: str | None = None) -> dict:
    """The ``response.error`` object of internals.md section 2."""
    if stack is None:
        stack = f"{name}: {message}"
    return {"name": name, "message": message, "stack": stack, "error_class": error_class}
