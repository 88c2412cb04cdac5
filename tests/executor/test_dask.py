"""Batches on a real Dask cluster (``distributed.LocalCluster``, two worker processes) and a real
PostgreSQL tenant: the same results as the inline executor, a worker killed mid-batch losing
and duplicating nothing, no secret in a task or a log, and the refusals."""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import nbformat
import pytest

from jupyter_actions import Tenant
from jupyter_actions.executor.batch import execute_batch
from jupyter_actions.triggers import get_trigger
from tests.postgres import MASTER_KEY

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow  # a PostgreSQL server and a Dask cluster

TENANT = "dask"
SECRET = "Dask-Secret-Value-9f3e71"
ACTIONS = {
    "deny-blocked": """
async def on_execute_post_login(event, api):
    print("checking with", event.secrets.TOKEN)
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("blocked " + event.user.email)
""",
    "roles-claim": """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://x/roles", list(event.authorization.roles))
    api.id_token.set_custom_claim("https://x/token", event.secrets.TOKEN)
""",
    "count-logins": """
async def on_execute_post_login(event, api):
    if event.user.email.startswith("fail"):
        raise ValueError("cannot count " + event.secrets.TOKEN)
    api.user.set_app_metadata("logins", event.stats.logins_count + 1)
""",
}


def login(sample: dict, i: int) -> dict:
    domain = "blocked.example" if i % 10 == 0 else "example.com"
    prefix = "fail" if i % 97 == 0 else "user"
    return {
        **sample,
        "user": {**sample["user"], "email": f"{prefix}{i}@{domain}", "user_id": f"auth0|{i:024d}"},
        "authorization": {"roles": ["admin"] if i % 7 == 0 else []},
        "stats": {"logins_count": i % 100},
    }


class GraphRecorder(distributed.diagnostics.plugin.SchedulerPlugin):
    """Every task the scheduler receives, pickled as the scheduler holds it."""

    def __init__(self) -> None:
        self.pickled: list[bytes] = []

    def update_graph(self, scheduler, *, tasks, **kwargs) -> None:
        from distributed.protocol.pickle import dumps

        self.pickled += [dumps(scheduler.tasks[key].run_spec) for key in tasks if key in scheduler.tasks]


@pytest.fixture(scope="module")
def setup(postgres_url, tmp_path_factory):
    """The tenant on PostgreSQL with a three-action flow holding a secret, and a LocalCluster
    whose workers get the database URL and the master key from their environment."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_ACTIONS_HOME", str(home))
        env.setenv("JUPYTER_ACTIONS_DATABASE_URL", postgres_url)
        env.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)
        with Tenant(TENANT) as tenant:
            for name, code in ACTIONS.items():
                tenant.save_draft(name, "post-login", code, secrets=["TOKEN"], secret_values={"TOKEN": SECRET})
                tenant.deploy(name)
            tenant.bind("post-login", list(ACTIONS))
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, scheduler_port=0
        )
    recorder = GraphRecorder()
    cluster.scheduler.add_plugin(recorder)
    yield cluster, recorder, home
    cluster.close()


@pytest.fixture
def env(setup, postgres_url, monkeypatch):
    cluster, recorder, home = setup
    monkeypatch.setenv("JUPYTER_ACTIONS_HOME", str(home))
    monkeypatch.setenv("JUPYTER_ACTIONS_DATABASE_URL", postgres_url)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)
    return cluster, recorder


def events_file(path: Path, count: int, broken: dict[int, str] | None = None) -> Path:
    sample = get_trigger("post-login").sample_payload()
    with path.open("w") as handle:
        for i in range(count):
            handle.write((broken or {}).get(i) or json.dumps(login(sample, i)))
            handle.write("\n")
    return path


def results_by_index(path: Path) -> list[dict]:
    """The results file without what differs between two runs of an event: its execution id."""
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    for line in lines:
        line.pop("execution_id")
        if isinstance(line.get("outcome"), dict):
            line["outcome"].pop("execution_id", None)
    return sorted(lines, key=lambda line: line["index"])


def count_executions() -> int:
    with Tenant(TENANT) as tenant:
        tenant.flush()
        with tenant.store.read() as conn:
            return conn.exec_driver_sql("SELECT count(*) FROM executions").scalar_one()


def test_a_batch_on_dask_gives_the_inline_results_in_input_order(env, tmp_path):
    cluster, _ = env
    events = events_file(tmp_path / "events.jsonl", 20_000)
    inline = execute_batch(TENANT, "post-login", str(events), str(tmp_path / "inline.jsonl"))
    before = count_executions()
    seen: list[int] = []
    on_dask = execute_batch(
        TENANT,
        "post-login",
        str(events),
        str(tmp_path / "dask.jsonl"),
        on_progress=seen.append,
        scheduler=cluster.scheduler_address,
    )
    assert count_executions() - before == 20_000
    written = (tmp_path / "dask.jsonl").read_text().splitlines()
    assert [json.loads(line)["index"] for line in written] == list(range(20_000))  # input order
    assert results_by_index(tmp_path / "dask.jsonl") == results_by_index(tmp_path / "inline.jsonl")
    assert on_dask.statuses == inline.statuses and on_dask.statuses["failed"] > 0
    assert on_dask.distributed["partitions"] == 8 and on_dask.distributed["reran"] == []
    assert seen[-1] == 20_000 and len(seen) > 2  # the progress came in steps


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(env, tmp_path):
    cluster, _ = env
    events = events_file(tmp_path / "events.jsonl", 6_000)
    with distributed.Client(cluster.scheduler_address) as client:
        victim = next(iter(client.run(os.getpid).values()))
    killed = threading.Event()

    def kill_midway(done: int) -> None:
        if done >= 1_500 and not killed.is_set():
            killed.set()
            os.kill(victim, signal.SIGKILL)

    before = count_executions()
    summary = execute_batch(
        TENANT,
        "post-login",
        str(events),
        str(tmp_path / "results.jsonl"),
        on_progress=kill_midway,
        scheduler=cluster.scheduler_address,
    )
    assert killed.is_set()
    lines = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [line["index"] for line in lines] == list(range(6_000))
    ids = {line["execution_id"] for line in lines}
    assert len(ids) == 6_000
    assert count_executions() - before == 6_000  # nothing lost, nothing twice
    with Tenant(TENANT) as tenant, tenant.store.read() as conn:
        stored = conn.exec_driver_sql(
            "SELECT id, event FROM executions WHERE id BETWEEN %s AND %s", (min(ids), max(ids))
        ).all()
        results = conn.exec_driver_sql(
            "SELECT count(*) FROM execution_results WHERE execution_id BETWEEN %s AND %s", (min(ids), max(ids))
        ).scalar_one()
    assert {row.id for row in stored} == ids
    users = [json.loads(row.event)["user"]["user_id"] for row in stored]
    assert len(set(users)) == 6_000  # each event recorded once
    ran = sum(1 for line in lines if line["status"] != "failed" or "count-logins" in json.dumps(line))
    assert results >= ran  # every step result of every execution kept
    reran = summary.distributed["reran"]
    assert reran and all(r["attempts"] >= 2 for r in reran)
    assert "ran 2 times (its worker died)" in summary.markdown()


def test_no_secret_in_a_task_a_log_or_a_result(env, tmp_path):
    cluster, recorder = env
    events = events_file(tmp_path / "events.jsonl", 1_000)
    recorder.pickled.clear()
    execute_batch(
        TENANT, "post-login", str(events), str(tmp_path / "results.jsonl"), scheduler=cluster.scheduler_address
    )
    assert recorder.pickled and any(b"auth0|" in task for task in recorder.pickled)  # the events are there
    secrets = [SECRET.encode(), MASTER_KEY.encode()]
    for task in recorder.pickled:
        assert not any(secret in task for secret in secrets)
    with distributed.Client(cluster.scheduler_address) as client:
        logs = json.dumps([client.get_scheduler_logs(), client.get_worker_logs(), client.get_worker_logs(nanny=True)])
        logs += json.dumps(client.get_events(), default=str)
    assert "partition" in logs  # the progress events are in the scheduler's event log
    assert SECRET not in logs and MASTER_KEY not in logs
    results = (tmp_path / "results.jsonl").read_text()
    assert "[REDACTED]" in results and SECRET not in results


def test_the_cli_runs_the_executor_notebook_on_the_cluster(env, cli, tmp_path):
    cluster, _ = env
    events = events_file(tmp_path / "events.jsonl", 600)
    output, results = tmp_path / "audit.ipynb", tmp_path / "results.jsonl"
    run = cli(
        "flows", "run", "post-login", "--events", str(events), "--tenant", TENANT, "--output", str(output),
        "--results", str(results), "--executor", "dask", "--scheduler", cluster.scheduler_address,
    )  # fmt: skip
    assert run.status == 1, run.err  # the "fail..." logins fail
    assert f"2 partitions on 2 Dask workers of {cluster.scheduler_address}" in run.out
    assert [json.loads(line)["index"] for line in results.read_text().splitlines()] == list(range(600))
    notebook = nbformat.read(output, as_version=4)
    assert notebook.metadata.papermill.parameters["scheduler"] == cluster.scheduler_address
    assert "### Dask" in notebook.cells[-1].outputs[0]["data"]["text/markdown"]
    assert SECRET not in output.read_text() + results.read_text() + run.out + run.err


def test_a_sqlite_tenant_is_refused(env, refused, tmp_path, monkeypatch):
    cluster, _ = env
    monkeypatch.delenv("JUPYTER_ACTIONS_DATABASE_URL")
    monkeypatch.delenv("JUPYTER_ACTIONS_MASTER_KEY")
    with Tenant("local") as tenant:
        tenant.save_draft("a", "post-login", ACTIONS["roles-claim"], secrets=["TOKEN"], secret_values={"TOKEN": SECRET})
        tenant.deploy("a")
        tenant.bind("post-login", ["a"])
    events = events_file(tmp_path / "events.jsonl", 3)
    line = refused(
        "flows",
        "run",
        "post-login",
        "--events",
        str(events),
        "--tenant",
        "local",
        "--executor",
        "dask",
        "--scheduler",
        cluster.scheduler_address,
    )
    assert line.startswith("error: tenant 'local' is stored in a SQLite file") and "PostgreSQL" in line
    assert not (tmp_path / "events.results.jsonl").exists()


def test_an_unreachable_scheduler_is_one_line_before_any_event(env, refused, tmp_path):
    events = events_file(tmp_path / "events.jsonl", 3)
    before = count_executions()
    line = refused(
        "flows",
        "run",
        "post-login",
        "--events",
        str(events),
        "--tenant",
        TENANT,
        "--executor",
        "dask",
        "--scheduler",
        "tcp://127.0.0.1:9",
    )
    assert line.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 (")
    assert count_executions() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--executor", "dask"), "--executor dask needs --scheduler ADDRESS"),
        (("--executor", "inline", "--scheduler", "tcp://127.0.0.1:9"), "--scheduler is for --executor dask"),
    ],
)
def test_scheduler_and_executor_go_together(env, refused, tmp_path, arguments, message):
    events = events_file(tmp_path / "events.jsonl", 3)
    line = refused("flows", "run", "post-login", "--events", str(events), "--tenant", TENANT, *arguments)
    assert message in line


def test_an_unknown_executor_is_a_usage_error(refused, tmp_path):
    events = events_file(tmp_path / "events.jsonl", 1)
    line = refused("flows", "run", "post-login", "--events", str(events), "--executor", "spark", status=2)
    assert "invalid choice: 'spark'" in line and "dask" in line
