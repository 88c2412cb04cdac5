"""An authoring notebook in a CI pipeline: test cases, then deploy to `prod`, secrets from the environment."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

SECRET = "Pipeline-Secret-3f9a1b"
ACTION = """%%action gate --trigger post-login --secret API_TOKEN
async def on_execute_post_login(event, api):
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("blocked")
    api.id_token.set_custom_claim("https://x/token-length", len(event.secrets.API_TOKEN))
"""


def authoring_notebook(path, *, expect: str) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        new_code_cell("%load_ext jupyter_actions"),
        new_code_cell("stage = 'ci'", metadata={"tags": ["parameters"]}),
        new_code_cell(ACTION),
        new_code_cell("%action secret gate API_TOKEN --from-env GATE_TOKEN"),
        new_code_cell(
            "from jupyter_actions.triggers import get_trigger\n"
            "blocked = get_trigger('post-login').sample_payload()\n"
            "blocked['user']['email'] = 'eve@blocked.example'\n"
            "%action test gate --payload blocked --save-case 'blocked domain'"
        ),
        new_code_cell(
            "results = %action test gate --cases\n"
            f"assert all(r.passed for r in results) and results[0].execution.outcome['status'] == '{expect}', results"
        ),
        # magic lines are not expanded ({} stays as typed): build a line with a parameter in Python
        new_code_cell("get_ipython().run_line_magic('action', f\"deploy gate --message 'from CI, stage {stage}'\")"),
    ]
    nbformat.write(nb, path)


@pytest.mark.slow
def test_pipeline_deploys_to_the_named_tenant_without_leaking_the_secret(tmp_path, cli):
    from jupyter_actions import Tenant

    notebook = tmp_path / "gate.ipynb"
    authoring_notebook(notebook, expect="denied")
    run = cli(
        "notebook", "run", str(notebook), "--tenant", "prod", "-p", "stage", "release", env={"GATE_TOKEN": SECRET}
    )
    assert run.status == 0, run.err
    output = tmp_path / "gate.executed.ipynb"
    assert f"executed notebook: {output}" in run.out
    with Tenant("prod") as prod:
        version = prod.versions("gate")[0]
        assert version.number == 1 and version.message == "from CI, stage release"
    with Tenant("default") as default:
        assert default.list_actions() == []
    executed = output.read_text()
    assert SECRET not in executed and SECRET not in run.out + run.err
    assert nbformat.reads(executed, as_version=4).metadata.papermill.parameters == {"stage": "release"}


@pytest.mark.slow
def test_a_failing_case_stops_the_pipeline_before_deploy(tmp_path, cli):
    from jupyter_actions import Tenant

    notebook = tmp_path / "gate.ipynb"
    authoring_notebook(notebook, expect="allowed")  # wrong on purpose
    run = cli("notebook", "run", str(notebook), "--tenant", "prod", env={"GATE_TOKEN": SECRET})
    assert run.status == 1
    errors = [line for line in run.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "failed in cell" in errors[0] and "AssertionError" in errors[0]
    with Tenant("prod") as prod:
        assert prod.versions("gate") == []


@pytest.mark.parametrize("name", ["API_TOKEN", "slack_webhook_url", "db_password"])
def test_secret_like_parameters_are_refused(tmp_path, cli, name):
    notebook = tmp_path / "gate.ipynb"
    authoring_notebook(notebook, expect="denied")
    run = cli("notebook", "run", str(notebook), "-p", name, "x")
    assert run.status == 1 and "looks like a secret" in run.err and "--from-env" in run.err


WEBHOOK = "https://hooks.slack.example/services/T0001/B0002/Xq8vW3Slack-Webhook-Secret"
OLD_WEBHOOK = "https://hooks.slack.example/services/T0001/B0002/Rotated-Away-But-Deployed"


@pytest.fixture
def prod_with_secrets():
    """prod: `notify` deployed with OLD_WEBHOOK, its draft's secret rotated to WEBHOOK since."""
    from jupyter_actions import Tenant

    with Tenant("prod") as prod:
        prod.save_draft("notify", "post-login", ACTION.split("\n", 1)[1], secrets=["SLACK_URL"])
        prod.set_secret("notify", "SLACK_URL", OLD_WEBHOOK)
        prod.deploy("notify")
        prod.set_secret("notify", "SLACK_URL", WEBHOOK)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (WEBHOOK, "secret SLACK_URL of action notify"),
        (f"see {WEBHOOK}#channel", "secret SLACK_URL of action notify"),
        (OLD_WEBHOOK, "secret SLACK_URL of action notify (version 1)"),
        (SECRET, "the environment variable GATE_TOKEN (the notebook reads it with --from-env)"),
    ],
    ids=["equal", "contained", "only in a deployed version", "read with --from-env, not stored yet"],
)
def test_a_parameter_holding_a_secret_value_is_refused_whatever_its_name(
    tmp_path, cli, prod_with_secrets, value, label
):
    notebook = tmp_path / "gate.ipynb"
    authoring_notebook(notebook, expect="denied")
    run = cli(
        "notebook", "run", str(notebook), "--tenant", "prod", "-p", "slack_url", value, env={"GATE_TOKEN": SECRET}
    )
    assert (run.status, run.out) == (1, ""), run
    assert run.err == (
        f"error: parameter 'slack_url' is or contains the value of {label}: papermill writes parameters into the "
        "output notebook in plain text; export it as an environment variable and read it with `%action secret "
        "ACTION NAME --from-env VAR` instead\n"
    )
    assert not (tmp_path / "gate.executed.ipynb").exists()
    assert value not in run.err and WEBHOOK not in run.err
