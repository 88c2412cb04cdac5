"""Replays, and batches of a flow that uses ``api.cache``, on a real Dask cluster
(``distributed.LocalCluster``, two worker processes) and a real PostgreSQL tenant: the local
replay's report and output in its order, no event or secret in a task, the refusals, and a
cache-using flow run in one ordered partition with the inline executor's results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_actions import Tenant
from jupyter_actions.executor.batch import execute_batch
from jupyter_actions.triggers import get_trigger
from tests.executor.test_dask import GraphRecorder, login, results_by_index
from tests.postgres import MASTER_KEY

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow  # a PostgreSQL server and a Dask cluster

TENANT = "daskreplay"
SECRET = "Replay-Secret-Value-41c7aa"
GATE = """
async def on_execute_post_login(event, api):
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("blocked")
"""
CANDIDATE = """
async def on_execute_post_login(event, api):
    if event.user.email.endswith("@blocked.example") or event.stats.logins_count > 90:
        api.access.deny("blocked")
    api.id_token.set_custom_claim("https://x/checked", True)
"""
TOKEN_CLAIM = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://x/token", event.secrets.TOKEN)
    api.id_token.set_custom_claim("https://x/roles", list(event.authorization.roles))
"""
COUNTER = """
async def on_execute_post_login(event, api):
    key = "logins-" + event.request.hostname
    found = api.cache.get(key)
    count = int(found["value"]) + 1 if found else 1
    api.cache.set(key, str(count))
    api.id_token.set_custom_claim("https://x/count", count)
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")  # the tests' and the Dask workers'


@pytest.fixture(scope="module")
def cluster(home, postgres_url):
    """Two Dask worker processes that get the tenant's database URL and master key from their
    environment (they inherit it when they start)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_ACTIONS_HOME", str(home))
        env.setenv("JUPYTER_ACTIONS_DATABASE_URL", postgres_url)
        env.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, scheduler_port=0
        )
    recorder = GraphRecorder()
    cluster.scheduler.add_plugin(recorder)
    yield cluster, recorder
    cluster.close()


@pytest.fixture
def env(cluster, home, postgres_url, monkeypatch):
    monkeypatch.setenv("JUPYTER_ACTIONS_HOME", str(home))
    monkeypatch.setenv("JUPYTER_ACTIONS_DATABASE_URL", postgres_url)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)
    return cluster


def events_file(path: Path, count: int, hostname: str = "example.auth0.com") -> Path:
    sample = get_trigger("post-login").sample_payload()
    with path.open("w") as handle:
        for i in range(count):
            event = login(sample, i)
            event["request"] = {**sample["request"], "hostname": hostname}
            handle.write(json.dumps(event) + "\n")
    return path


@pytest.fixture(scope="module")
def recorded(cluster, home, postgres_url, tmp_path_factory):
    """A flow of two actions (one with a secret) that ran 1,200 logins, and a candidate draft."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("JUPYTER_ACTIONS_HOME", str(home))
        env.setenv("JUPYTER_ACTIONS_DATABASE_URL", postgres_url)
        env.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)
        with Tenant(TENANT) as tenant:
            tenant.save_draft("gate", "post-login", GATE)
            tenant.deploy("gate")
            tenant.save_draft("claims", "post-login", TOKEN_CLAIM, secrets=["TOKEN"], secret_values={"TOKEN": SECRET})
            tenant.deploy("claims")
            tenant.bind("post-login", ["gate", "claims"])
            tenant.save_draft("gate", "post-login", CANDIDATE)
        folder = tmp_path_factory.mktemp("recorded")
        events = events_file(folder / "events.jsonl", 1_200)
        execute_batch(TENANT, "post-login", str(events), str(folder / "results.jsonl"))
    return cluster


@pytest.fixture
def replay_flow(recorded, env):
    """The recorded flow bound (a test of the cache binds another)."""
    with Tenant(TENANT) as tenant:
        tenant.bind("post-login", ["gate", "claims"])
    return env


def replay_args(*more: str) -> tuple[str, ...]:
    return ("replay", "post-login", "--candidate", "gate@draft", "--tenant", TENANT, *more)


def test_a_replay_on_dask_is_the_local_replay(replay_flow, cli):
    cluster, recorder = replay_flow
    recorder.pickled.clear()
    local = cli(*replay_args("--json"))
    on_dask = cli(*replay_args("--json", "--scheduler", cluster.scheduler_address))
    assert local.status == on_dask.status == 0, on_dask.err
    report, dask_report = json.loads(local.out), json.loads(on_dask.out)
    assert dask_report.pop("distributed") == {
        "scheduler": cluster.scheduler_address,
        "workers": 2,
        "partitions": 3,  # 1,200 ids, at least 500 a partition
    }
    assert dask_report == report  # the same executions, changes and totals, in the same order
    assert report["totals"]["replayed"] >= 1_200 and report["totals"]["claim"] >= 1_200
    assert report["totals"]["status"] > 0  # logins_count > 90 is denied now
    ids = [execution["execution_id"] for execution in report["executions"]]
    tasks = recorder.pickled
    assert len(tasks) == 3 and all(any(i.encode() in task for task in tasks) for i in ids)  # the ids travel
    for task in tasks:  # the events and the secrets do not: each Dask worker loads its own
        assert b"auth0|" not in task and b"@example.com" not in task
        assert SECRET.encode() not in task and MASTER_KEY.encode() not in task
    assert SECRET not in local.out + on_dask.out


def test_the_replay_table_on_dask_is_the_local_one(replay_flow, cli):
    cluster, _ = replay_flow
    local = cli(*replay_args("--limit", "700"))
    on_dask = cli(*replay_args("--limit", "700", "--scheduler", cluster.scheduler_address))
    assert local.status == on_dask.status == 0, on_dask.err
    *table, where = on_dask.out.rstrip("\n").split("\n")
    assert "\n".join(table) + "\n" == local.out
    assert where == f"2 partitions on 2 Dask workers of {cluster.scheduler_address}"
    assert "replayed 700 executions with gate@draft: 700 would change" in local.out


def test_a_failing_candidate_fails_the_gate_on_dask_too(replay_flow, cli):
    cluster, _ = replay_flow
    gate = cli(*replay_args("--limit", "50", "--fail-on-change", "--scheduler", cluster.scheduler_address))
    assert gate.status == 1 and "50 would change" in gate.out


def test_a_sqlite_tenant_is_refused_before_the_replay(env, refused, monkeypatch):
    cluster, _ = env
    monkeypatch.delenv("JUPYTER_ACTIONS_DATABASE_URL")
    monkeypatch.delenv("JUPYTER_ACTIONS_MASTER_KEY")
    with Tenant("local") as tenant:
        tenant.save_draft("gate", "post-login", GATE)
        tenant.deploy("gate")
        tenant.bind("post-login", ["gate"])
        tenant.run_flow("post-login", get_trigger("post-login").sample_payload())
    line = refused(
        "replay", "post-login", "--candidate", "gate", "--tenant", "local", "--scheduler", cluster.scheduler_address
    )
    assert line.startswith("error: tenant 'local' is stored in a SQLite file") and "PostgreSQL" in line


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        ("gate@draft", "error: cannot reach the Dask scheduler at tcp://127.0.0.1:9 ("),
        ("nobody@draft", "error: action nobody is not bound to the post-login flow"),  # checked first
    ],
)
def test_an_unreachable_scheduler_or_a_bad_candidate_is_one_line(replay_flow, refused, candidate, message):
    line = refused(
        "replay", "post-login", "--candidate", candidate, "--tenant", TENANT, "--scheduler", "tcp://127.0.0.1:9"
    )
    assert line.startswith(message)


def test_a_flow_using_the_cache_runs_in_one_ordered_partition(env, cli, tmp_path):
    """Each login counts the logins before it in ``api.cache``: in partitions side by side the
    counts would restart; in one ordered partition they are the inline executor's."""
    cluster, _ = env
    with Tenant(TENANT) as tenant:
        tenant.save_draft("counter", "post-login", COUNTER)
        tenant.deploy("counter")
        tenant.bind("post-login", ["counter"])
    count = 600  # two partitions, were the flow not using the cache
    inline = events_file(tmp_path / "inline.jsonl", count, hostname="inline.example")
    on_dask = events_file(tmp_path / "dask.jsonl", count, hostname="dask.example")  # a count of its own
    results = tmp_path / "dask.results.jsonl"
    execute_batch(TENANT, "post-login", str(inline), str(tmp_path / "inline.results.jsonl"))
    run = cli(
        "flows", "run", "post-login", "--events", str(on_dask), "--tenant", TENANT, "--results", str(results),
        "--executor", "dask", "--scheduler", cluster.scheduler_address, "--output", str(tmp_path / "audit.ipynb"),
    )  # fmt: skip
    assert run.status == 0, run.err
    dask_results = results_by_index(results)
    assert dask_results == results_by_index(tmp_path / "inline.results.jsonl")
    counts = [line["outcome"]["id_token_claims"]["https://x/count"] for line in dask_results]
    assert counts == list(range(1, count + 1))
    assert (
        "1 partition, its events in input order (an action of the flow uses api.cache), "
        f"on 2 Dask workers of {cluster.scheduler_address}"
    ) in run.out
    distributed_summary = json.loads(Path(f"{results}.summary.json").read_text())["distributed"]
    assert distributed_summary["partitions"] == 1 and distributed_summary["ordered"] is True
