"""Run the tutorial notebook headless, against a fresh temporary tenant, and say what happened.

    python -m jupyter_actions.tutorial [--output NOTEBOOK]

papermill executes ``first_action.ipynb`` (the wheel carries the notebooks; a checkout runs
them from ``notebooks/``) in a new kernel whose tenant, IPython
history and Slack webhook are all temporary: a real ``$SLACK_WEBHOOK_URL`` is used when set,
else a local Slack-compatible receiver. Afterwards the runner reads the tenant back, lists what
the notebook created, and checks that the webhook URL (a secret) appears in none of the files
the run wrote: the executed notebook, papermill's log, IPython's history and the tenant store.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..webhook_receiver import WebhookReceiver

_HERE = Path(__file__).resolve().parent
NOTEBOOKS = _HERE / "notebooks" if (_HERE / "notebooks").is_dir() else _HERE.parents[1] / "notebooks"
"""The tutorial notebooks: in the installed wheel, or in the checkout of an editable install."""
NOTEBOOK = NOTEBOOKS / "first_action.ipynb"
SECRET_VARIABLE = "SLACK_WEBHOOK_URL"  # noqa: S105 - the variable's name, not its value


@dataclass
class TutorialRun:
    home: Path
    output: Path
    papermill_log: str
    messages: list[str] | None  # what the local receiver got; None with a real Slack webhook
    leaks: list[str] = field(default_factory=list)  # files that contain the secret value


def run_tutorial(home: Path, output: Path, notebook: Path = NOTEBOOK) -> TutorialRun:
    """Execute ``notebook`` with papermill against the tenant in ``home``; raises on a failed cell."""
    from ..executor.papermill_import import import_papermill

    papermill = import_papermill()

    if not notebook.is_file():
        raise FileNotFoundError(f"{notebook} not found: reinstall jupyter-actions (its wheel carries the notebooks)")
    (home / "ipython").mkdir(parents=True, exist_ok=True)
    receiver = None
    secret = os.environ.get(SECRET_VARIABLE)  # a real Slack webhook, else the local receiver
    if not secret:
        receiver = WebhookReceiver().start()
        secret = receiver.url
    environment = {"JUPYTER_ACTIONS_HOME": str(home), "IPYTHONDIR": str(home / "ipython"), SECRET_VARIABLE: secret}
    log = io.StringIO()
    try:
        with _environment(environment), _captured("papermill", log):
            # nbclient keeps the kernel's history in memory by default; write it to disk like an
            # interactive kernel does, so that the secret check covers it.
            papermill.execute_notebook(
                str(notebook),
                str(output),
                cwd=str(notebook.parent),
                kernel_name="python3",
                log_output=True,
                progress_bar=False,
                ipython_hist_file=str(home / "ipython" / "history.sqlite"),
            )
    finally:
        if receiver is not None:
            receiver.stop()
    run = TutorialRun(home, output, log.getvalue(), receiver.messages if receiver else None)
    run.leaks = _files_containing(secret.encode(), written_files(run)) + (
        ["papermill log"] if secret in run.papermill_log else []
    )
    return run


def written_files(run: TutorialRun) -> list[Path]:
    """The executed notebook, IPython's history database and the tenant store (with their journals)."""
    history = sorted((run.home / "ipython").rglob("history.sqlite*"))
    store = sorted((run.home / "tenants").rglob("tenant.db*"))
    return [run.output, *history, *store]


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set variables for the kernel papermill starts (it inherits this process's environment)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def _captured(logger_name: str, stream: io.StringIO) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    handler = logging.StreamHandler(stream)
    saved_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved_level)


def _files_containing(needle: bytes, paths: list[Path]) -> list[str]:
    return [str(path) for path in paths if path.is_file() and needle in path.read_bytes()]


def summary(run: TutorialRun) -> str:
    from ..tenant import Tenant

    with Tenant(home=run.home) as tenant:
        lines = [f"executed notebook: {run.output}", f"tenant home:       {run.home}", "", "actions:"]
        for action in tenant.list_actions():
            deployed = f"version {action.deployed_version.number}" if action.deployed_version else "draft only"
            draft = (
                " (the draft has undeployed changes)"
                if action.deployed_version and not action.all_changes_deployed
                else ""
            )
            lines.append(
                f"  {action.name:<16} {action.trigger_id:<11} {deployed}{draft}; "
                f"{len(tenant.versions(action.name))} version(s)"
            )
        flow = " -> ".join(f"{b.display_name}@v{b.version_number}" for b in tenant.flow("post-login"))
        lines += ["", f"post-login flow:   {flow or '(empty)'}", "", "executions (newest first):"]
        for execution in tenant.executions(limit=10):
            actions = ", ".join(
                f"{r['action_name']}@{'v' + str(r['version_number']) if r.get('version_number') else 'draft'}"
                for r in execution.results
            )
            lines.append(f"  {execution.kind:<5} {execution.trigger_id:<11} {execution.outcome['status']:<9} {actions}")
    if run.messages is None:
        lines += ["", f"Slack messages went to the webhook in ${SECRET_VARIABLE}"]
    else:
        lines += ["", f"Slack messages received by the local receiver ({len(run.messages)}):"]
        lines += [f"  {message}" for message in run.messages]
    where = ", ".join(run.leaks) if run.leaks else "found in none of them"
    lines += [
        "",
        f"secret check: the webhook URL was searched in the executed notebook, papermill's log, "
        f"IPython's history and the tenant store: {where}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jupyter_actions.tutorial", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, help="where to write the executed notebook (default: in the temporary tenant home)"
    )
    args = parser.parse_args(argv)
    home = Path(tempfile.mkdtemp(prefix="jupyter-actions-tutorial-"))
    output = (args.output or home / "first_action.executed.ipynb").resolve()
    print(f"running {NOTEBOOK.name} headless with papermill (a fresh kernel, a temporary tenant) ...", flush=True)
    try:
        run = run_tutorial(home, output)
    except Exception as exc:  # noqa: BLE001 - any failure is reported; papermill's names the failing cell
        print(f"the tutorial failed: {exc}\nthe partly executed notebook is {output}", file=sys.stderr)
        return 1
    print(summary(run))
    return 1 if run.leaks else 0
