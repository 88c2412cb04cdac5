"""How the CLI ends when something goes wrong: one line on stderr, never a traceback.

A user's error is ``error: <message>`` (status 1, 2 for usage). An unexpected exception is a
bug: its traceback goes to a log file of its own (mode 0600, under the home's ``logs/`` or the
temporary directory) and the one line names that file. A reader of stdout that went away
(``jupyter-actions executions list | head``) ends the command quietly with status 141, what a
shell reports for a process ended by SIGPIPE (the Python docs' "Note on SIGPIPE").
"""

from __future__ import annotations

import os
import select
import signal
import sys
import tempfile
import traceback
from pathlib import Path

BROKEN_PIPE_STATUS = 128 + signal.SIGPIPE
LOG_PREFIX = "jupyter-actions-error-"


def one_line(message: str) -> str:
    """A message of several lines (a driver's, say) as one."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def fail(message: str, status: int = 1) -> int:
    print(f"error: {one_line(message)}", file=sys.stderr)
    return status


def crashed(exc: BaseException) -> int:
    """An unexpected exception: the traceback into a log file, one line that names it."""
    details = "".join(traceback.format_exception(exc))
    path = _write_log(details)
    where = f"the traceback is in {path}" if path else "no log file could be written"
    return fail(f"internal error ({type(exc).__name__}), a bug in jupyter-actions: {where}; please report it")


def stdout_gone() -> bool:
    """Whether stdout is a pipe whose reader has closed it (poll reports POLLERR on its end)."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by an object without a descriptor
        return False
    poller = select.poll()
    poller.register(fd, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def end_quietly() -> int:
    """After a broken pipe on stdout: what is still buffered goes nowhere (the interpreter
    flushes stdout at exit and would complain again)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE_STATUS


def _write_log(details: str) -> Path | None:
    from ..store.paths import actions_home

    for folder in (actions_home() / "logs", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=LOG_PREFIX, suffix=".log", dir=folder)  # mode 0600
        except OSError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(details)
        return Path(name)
    return None
