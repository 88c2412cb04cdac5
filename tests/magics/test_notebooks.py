"""The tutorial and the example notebooks: executed by papermill, checked by nbval, and no leaks."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from jupyter_actions import tutorial
from jupyter_actions.frontends.cells import template_cell
from jupyter_actions.webhook_receiver import WebhookReceiver

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.slow


def test_the_notebooks_are_there() -> None:
    assert {n.name for n in NOTEBOOKS} >= {"first_action.ipynb", "roles_and_mfa.ipynb", "registration_screening.ipynb"}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda n: n.stem)
def test_papermill_runs_the_notebook_headless(notebook, tmp_path, monkeypatch) -> None:
    import papermill

    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.delenv("SLACK_WEBHOOK_URL", raising=False)
    output = tmp_path / notebook.name
    executed = papermill.execute_notebook(
        str(notebook), str(output), cwd=str(notebook.parent), kernel_name="python3", progress_bar=False
    )  # raises PapermillExecutionError on a failing cell
    assert all(cell.get("execution_count") for cell in executed.cells if cell.cell_type == "code")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda n: n.stem)
def test_nbval_passes(notebook, tmp_path) -> None:
    env = {**os.environ, "JUPYTER_ACTIONS_HOME": str(tmp_path / "home"), "IPYTHONDIR": str(tmp_path / "ipython")}
    env.pop("SLACK_WEBHOOK_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval-lax",
            "--nbval-current-env",
            "-p",
            "no:cacheprovider",
            "-q",
            str(notebook),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout


def test_the_tutorial_keeps_the_secret_out_of_every_file(tmp_path, monkeypatch) -> None:
    """A real webhook in the environment: its URL (random, distinctive) must appear nowhere."""
    with WebhookReceiver() as slack:
        secret = slack.url
        monkeypatch.setenv("SLACK_WEBHOOK_URL", secret)
        run = tutorial.run_tutorial(tmp_path / "home", tmp_path / "executed.ipynb")
        assert slack.messages == ["Logging in: ada@example.com"] * 2  # the test and the login through the flow
    checked = [str(path) for path in tutorial.written_files(run)]
    assert any(path.endswith("history.sqlite") for path in checked)
    assert any(path.endswith("tenant.db") for path in checked)
    assert run.leaks == []
    assert secret not in run.papermill_log and "deployed my-slack-action version 1" in run.papermill_log
    history = next(Path(p) for p in checked if p.endswith("history.sqlite"))
    with sqlite3.connect(history) as db:
        lines = [row[0] for row in db.execute("select source_raw from history")]
    assert any("%action secret my-slack-action SLACK_WEBHOOK_URL --from-env" in line for line in lines)


def test_the_leak_check_finds_a_planted_value(tmp_path) -> None:
    planted = tmp_path / "tenant.db"
    planted.write_bytes(b"\x00header http://127.0.0.1:1/services/abc trailer")
    assert tutorial._files_containing(b"http://127.0.0.1:1/services/abc", [planted]) == [str(planted)]


def test_the_main_job_runs_the_tutorial_and_prints_a_summary(tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SLACK_WEBHOOK_URL", "JUPYTER_ACTIONS_HOME")}
    output = tmp_path / "tutorial.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "jupyter_actions.tutorial", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"executed notebook: {output}" in done.stdout
    assert "my-slack-action  post-login  version 1 (the draft has undeployed changes)" in done.stdout
    assert "post-login flow:   my-slack-action@v1" in done.stdout
    assert "Slack messages received by the local receiver (2):" in done.stdout
    assert "found in none of them" in done.stdout
    assert output.is_file()


def test_under_papermill_a_secret_without_from_env_is_a_usage_error(tmp_path) -> None:
    """nbclient refuses input requests: no prompt, a one-line UsageError that says what to do."""
    import nbformat
    import papermill
    from nbformat.v4 import new_code_cell, new_notebook

    notebook = tmp_path / "secret.ipynb"
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell("%load_ext jupyter_actions"),
                new_code_cell(
                    "%%action greet --trigger post-login --secret API_KEY\nasync def on_execute_post_login(event, api):\n    pass"
                ),
                new_code_cell("%action secret greet API_KEY"),
            ],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        ),
        notebook,
    )
    with pytest.raises(papermill.PapermillExecutionError):
        papermill.execute_notebook(
            str(notebook), str(tmp_path / "out.ipynb"), kernel_name="python3", progress_bar=False
        )
    failed = [
        c
        for c in nbformat.read(tmp_path / "out.ipynb", 4).cells
        if c.metadata.get("papermill", {}).get("status") == "failed"
    ]
    assert [c.source for c in failed] == ["%action secret greet API_KEY"]
    (shown,) = failed[0].outputs  # IPython shows a UsageError as one line on stderr, no traceback
    assert shown.name == "stderr" and shown.text.count("\n") == 1
    assert shown.text.startswith("UsageError: this kernel cannot prompt for API_KEY") and "--from-env VAR" in shown.text


def test_the_tutorial_shows_the_cell_that_new_inserts() -> None:
    import nbformat

    from jupyter_actions.templates import get_template

    cells = nbformat.read(NOTEBOOKS[0].with_name("first_action.ipynb"), 4).cells
    shown = next(c.source for c in cells if c.source.startswith("%%action count-logins"))
    assert shown == template_cell(get_template("login-counter"), "count-logins").rstrip("\n")
