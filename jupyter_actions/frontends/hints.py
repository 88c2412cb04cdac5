"""An error's message for a front end: its one line, and its remedy worded in that front end's
syntax (``jupyter-actions secrets set A N`` for the CLI, ``%action secret A N`` in a notebook).

Layers below the front ends raise errors whose message names no command; the `Remedy` they
attach names a command of the table, so a notebook user is never told to run a CLI command.
"""

from __future__ import annotations

import shlex

from ..errors import ActionsError, Remedy
from .commands import BY_KEY, CLI, LINE

PROGRAM = {CLI: "jupyter-actions", LINE: "%action"}


def command_line(remedy: Remedy, front_end: str) -> str | None:
    """The remedy as a line of ``front_end`` (None where that front end has no such command)."""
    words = BY_KEY[remedy.command].names.get(front_end)
    if words is None or front_end not in PROGRAM:
        return None
    return " ".join([PROGRAM[front_end], *words, *(shlex.quote(a) if a != "..." else a for a in remedy.arguments)])


def message(error: ActionsError, front_end: str) -> str:
    """The error in one line, with its remedy where ``front_end`` offers the command."""
    text = " ".join(part.strip() for part in str(error).splitlines() if part.strip())
    remedy = getattr(error, "remedy", None)
    line = command_line(remedy, front_end) if remedy else None
    if not line:
        return text
    return f"{text}: {remedy.doing} with `{line}`" if remedy.doing else f"{text} (`{line}`)"
