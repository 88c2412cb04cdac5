"""The ``%action`` magics in a real IPython shell: text, HTML and the state of every widget."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from IPython.testing import globalipapp

from .actions import ACTIONS, ENDINGS
from .views import Views

REPLAYED = 10  # the most recent flow executions: every kind of event, before and after the rotation


class Shell:
    """Runs ``%action`` lines; every result's display (all its formats) becomes a view."""

    def __init__(self, shell: Any, views: Views) -> None:
        self.shell = shell
        self.views = views

    def __call__(self, line: str) -> Any:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            result = self.shell.run_cell(line)
        if result.error_in_exec is not None:
            raise result.error_in_exec
        shown = self.shell.display_formatter.format(result.result)[0] if result.result is not None else {}
        self.views.add("magics", line, out.getvalue() + err.getvalue() + json.dumps(shown, default=str))
        return result.result

    def panel(self, name: str, widget: Any) -> None:
        """The synced state of a panel and every widget in it, as it is now."""
        states = [json.dumps(w.get_state(), default=str) for w in _descendants(widget)]
        self.views.add("magics", f"panel {name}", "\n".join(states))

    def every_widget(self) -> None:
        """The state a notebook saves: every widget alive in the kernel."""
        import ipywidgets

        state = ipywidgets.Widget.get_manager_state(drop_defaults=False)
        self.views.add("magics", "widget state", json.dumps(state, default=str))


def _descendants(widget: Any) -> Iterator[Any]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


@contextmanager
def shell(views: Views) -> Iterator[Shell]:
    globalipapp.start_ipython()  # once per process
    ip = globalipapp.get_ipython()
    ip.run_line_magic("load_ext", "jupyter_actions")
    try:
        yield Shell(ip, views)
    finally:
        ip.run_line_magic("unload_ext", "jupyter_actions")


def exercise(run: Shell, events: dict[str, Path]) -> None:
    """Every ``%action`` view of the hostile actions: tests, saved cases, flow runs, logs,
    replay, and the panels with their buttons pressed and each execution opened."""
    tested = run("%action test talker")
    tested.panel.run_button.click()
    tested.panel.cases.run_button.click()
    run.panel("test talker", tested.panel)
    for name in ACTIONS:
        run(f"%action test {name} --payload {events['allow']}")
        run(f"%action test {name} --cases")
    for mode in ENDINGS:
        run(f"%action test ender --payload {events[mode]}")
    run(f"%action test shaper --save-case magic-shaper --payload {events['allow']}")
    runs = [run(f"%action run post-login --event {path}").id for path in events.values()]
    for execution_id in runs:
        run(f"%action logs {execution_id}")
    logs = run("%action logs")
    for _, execution_id in logs.chosen.options:
        logs.chosen.value = execution_id
        run.panel(f"logs {execution_id}", logs.details)
    editor = run("%action flow post-login")
    editor.cases.run_button.click()
    run.panel("flow post-login", editor)
    run(f"%action replay post-login --candidate keeper@1 --limit {REPLAYED}")
    replay = run("%action replay post-login")
    replay.candidate.value = "keeper@1"
    replay.limit.value = REPLAYED
    replay.replay_button.click()
    for _, execution_id in replay.chosen.options:
        replay.chosen.value = execution_id
        run.panel(f"replay {execution_id}", replay.details)
    run.every_widget()
