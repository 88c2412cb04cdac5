"""Exceptions of action code as Auth0-style error objects, showing only the action's frames."""

from __future__ import annotations

import linecache
import traceback
from collections.abc import Collection

from ..outcome import ErrorClass, StepError
from .limits import error


def action_filename(action_name: str) -> str:
    return f"<action {action_name}>"


def register_source(filename: str, code: str) -> tuple:
    """A linecache entry for ``filename`` (mtime None: ``checkcache`` leaves it alone)."""
    entry = (len(code), None, code.splitlines(True), filename)
    linecache.cache[filename] = entry
    return entry


def describe(exc: BaseException, filename: str, message: str | None = None, also: Collection[str] = ()) -> StepError:
    """``response.error`` for ``exc``; the stack keeps the frames of ``filename`` (and of the
    files ``also`` names: the action's modules) only."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__, lookup_lines=False)
    _keep_frames(te, {filename, *also})
    stack = "".join(te.format())
    if message is None:
        try:
            message = str(exc)
        except Exception:  # noqa: BLE001 - the action's exception class may fail any way
            message = f"<{type(exc).__name__} whose str() failed>"
    return error(type(exc).__name__, message, ErrorClass.ACTION_ERROR, stack)


def _keep_frames(te: traceback.TracebackException, filenames: set[str]) -> None:
    seen: set[int] = set()
    todo = [te]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.stack = traceback.StackSummary.from_list(
            [frame for frame in current.stack if frame.filename in filenames]
        )
        todo += [t for t in (current.__cause__, current.__context__) if t is not None]
        todo += getattr(current, "exceptions", None) or ()
