"""Two real `serve` processes, each with a home of its own (two hosts, as far as they can tell),
on one PostgreSQL tenant: they behave as one tenant (docs/serving.md, "Replicas")."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from jupyter_actions import Tenant
from jupyter_actions.client import Client
from jupyter_actions.server import tokens
from jupyter_actions.triggers import get_trigger
from tests.postgres import MASTER_KEY
from tests.waiting import wait_until

from .conftest import Server, start, stop

pytestmark = pytest.mark.slow  # PostgreSQL and two servers per test

CLAIM = "https://example.com/plan"
PLAN = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/plan", "{plan}")
"""
GATE = """
async def on_execute_post_login(event, api):
    api.access.deny("closed")
"""
SHARED_CACHE = """
async def on_execute_post_login(event, api):
    found = api.cache.get("shared")
    api.id_token.set_custom_claim("https://example.com/cached", found["value"] if found else None)
    if event.user.user_id.startswith("writer"):
        api.cache.set("shared", event.user.email)
"""
CACHE_SEEN_WITHIN_S = 5.0  # records and cache writes commit within milliseconds (benchmarks/README.md)


@dataclass
class Replicas:
    tenant: Tenant  # the set-up's own tenant object on the same database
    servers: tuple[Server, Server]

    def run(self, server: Server, event: dict) -> dict:
        with Client(server.url, server.tokens["execute"]) as client:
            return client.run_flow("post-login", event).outcome


@pytest.fixture
def database(postgres_url) -> str:
    """A database of its own on the module's PostgreSQL server: each test a fresh tenant."""
    name = f"tenant_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
    finally:
        admin.dispose()
    return make_url(postgres_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def replicas(database, tmp_path, monkeypatch) -> Iterator[Replicas]:
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)  # every replica holds the tenant's key
    with Tenant("pg", database_url=database) as tenant:
        tenant.configure("max_versions", 1000)
        made = {scope: tokens.create(tenant, f"{scope}-token", scope)[1] for scope in tokens.SCOPES}
        servers = []
        try:
            for host in ("a", "b"):
                log = tmp_path / f"serve-{host}.log"
                process, port = start(log, _host(tmp_path / f"host-{host}", database))
                servers.append(Server(f"http://127.0.0.1:{port}", process, log, made))
            yield Replicas(tenant, (servers[0], servers[1]))
        finally:
            for server in servers:
                stop(server.process)


def _host(home: Path, database: str, **env: str) -> dict[str, str]:
    """The environment of a replica whose home is ``home`` (``env`` on top), once the tenant is
    made there (`tenants create`, as docs/serving.md says for each host)."""
    env = {
        **os.environ,
        "JUPYTER_ACTIONS_HOME": str(home),
        "JUPYTER_ACTIONS_DATABASE_URL": database,
        "JUPYTER_ACTIONS_TENANT": "pg",
        **env,
    }
    made = subprocess.run(
        [sys.executable, "-m", "jupyter_actions", "tenants", "create", "pg"], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    return env


def _event(user_id: str = "auth0|5f7c8ec7c33c6c004bbafe82", email: str = "j+smith@example.com") -> dict:
    event = get_trigger("post-login").sample_payload()
    return {**event, "user": {**event["user"], "user_id": user_id, "email": email}}


def test_a_deploy_or_a_flow_change_through_one_replica_is_in_force_through_the_other_at_once(replicas):
    a, b = replicas.servers
    replicas.tenant.save_draft("plan", "post-login", PLAN.format(plan="v1"), deploy=True)
    replicas.tenant.bind("post-login", ["plan"])
    assert replicas.run(b, _event())["id_token_claims"] == {CLAIM: "v1"}  # b has the flow planned

    with a.client() as manage:
        action_id = manage.get("/actions/actions", params={"actionName": "plan"}).json()["actions"][0]["id"]
        assert manage.patch(f"/actions/actions/{action_id}", json={"code": PLAN.format(plan="v2")}).status_code == 200
        deployed = manage.post(f"/actions/actions/{action_id}/deploy")
        assert deployed.status_code == 202 and deployed.json()["number"] == 2
    # no wait: the deploy is committed before its answer, and every login reads the tenant's generation
    assert replicas.run(b, _event())["id_token_claims"] == {CLAIM: "v2"}

    with a.client() as manage:
        gate = manage.post(
            "/actions/actions",
            json={"name": "gate", "supported_triggers": [{"id": "post-login"}], "code": GATE, "deploy": True},
        )
        assert gate.status_code == 201
        refs = [{"ref": {"type": "action_name", "value": name}} for name in ("plan", "gate")]
        assert manage.patch("/actions/triggers/post-login/bindings", json={"bindings": refs}).status_code == 200
    outcome = replicas.run(b, _event())
    assert outcome["status"] == "denied" and outcome["deny"]["reason"] == "closed"

    with b.client() as manage:  # and the other way round
        refs = [{"ref": {"type": "action_name", "value": "plan"}}]
        assert manage.patch("/actions/triggers/post-login/bindings", json={"bindings": refs}).status_code == 200
    assert replicas.run(a, _event())["status"] == "allowed"


def test_concurrent_deploys_through_both_replicas_number_versions_without_gaps(replicas):
    """4 clients x 25 deploys (Auth0's deploy of a version: each makes a new one), the clients
    taking turns between the replicas."""
    replicas.tenant.save_draft("shared", "post-login", PLAN.format(plan="v1"), deploy=True)
    first = replicas.tenant.versions("shared")[0]
    numbers: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def deployer(client_number: int) -> None:
        clients = [server.client() for server in replicas.servers]
        try:
            for i in range(25):
                answer = clients[(client_number + i) % 2].post(
                    f"/actions/actions/{first.action_id}/versions/{first.id}/deploy"
                )
                with lock:
                    if answer.status_code == 202:
                        numbers.append(answer.json()["number"])
                    else:
                        failures.append(answer.text)
        finally:
            for client in clients:
                client.close()

    threads = [threading.Thread(target=deployer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(numbers) == list(range(2, 102))  # version 1 is the set-up's deploy
    assert sorted(v.number for v in replicas.tenant.versions("shared")) == list(range(1, 102))
    with replicas.servers[1].client("read") as read:
        listed = read.get(f"/actions/actions/{first.action_id}/versions", params={"per_page": 1}).json()
    assert listed["total"] == 101
    assert replicas.tenant.get_action("shared").deployed_version.number == 101


def test_an_api_cache_entry_set_through_one_replica_is_read_through_the_other(replicas):
    a, b = replicas.servers
    replicas.tenant.save_draft("shared-cache", "post-login", SHARED_CACHE, deploy=True)
    replicas.tenant.bind("post-login", ["shared-cache"])
    claim = "https://example.com/cached"

    assert replicas.run(a, _event("writer|a", "a@replica.example"))["id_token_claims"] == {claim: None}
    wait_until(
        lambda: replicas.run(b, _event())["id_token_claims"] == {claim: "a@replica.example"},
        CACHE_SEEN_WITHIN_S,
        "replica b reading the entry set through replica a",
    )
    replicas.run(b, _event("writer|b", "b@replica.example"))
    wait_until(
        lambda: replicas.run(a, _event())["id_token_claims"] == {claim: "b@replica.example"},
        CACHE_SEEN_WITHIN_S,
        "replica a reading the entry set through replica b",
    )
    with replicas.tenant.store.read() as conn:  # one entry for the tenant, encrypted
        stored = conn.exec_driver_sql("SELECT key, value FROM cache_entries").all()
    assert [key for key, _ in stored] == ["shared"] and "b@replica.example" not in stored[0][1]


def test_executions_from_both_replicas_are_in_one_log(replicas):
    a, b = replicas.servers
    replicas.tenant.save_draft("plan", "post-login", PLAN.format(plan="v1"), deploy=True)
    replicas.tenant.bind("post-login", ["plan"])
    ran: dict[str, set[str]] = {}
    for server, name in ((a, "a"), (b, "b")):
        with Client(server.url, server.tokens["execute"]) as client:
            ran[name] = {client.run_flow("post-login", _event()).id for _ in range(5)}

    def listed(server: Server) -> set[str]:
        with server.client("read") as read:
            return {
                e["id"] for e in read.get("/jupyter-actions/executions", params={"per_page": 100}).json()["executions"]
            }

    everything = ran["a"] | ran["b"]
    for server in (a, b):
        wait_until(
            lambda s=server: listed(s) == everything, CACHE_SEEN_WITHIN_S, "one log of both replicas' executions"
        )
    with a.client("read") as read:
        for execution_id in ran["b"]:
            assert read.get(f"/actions/executions/{execution_id}").status_code == 200
    assert {e.id for e in replicas.tenant.executions(limit=100)} == everything


def test_a_replica_needs_no_local_state_but_the_tenant_key(replicas, tmp_path):
    """Nothing of the tenant is kept in a replica's home: no store file, no key file (the key
    comes from the environment); each answers a load balancer's health check."""
    replicas.tenant.save_draft("plan", "post-login", PLAN.format(plan="v1"), deploy=True)
    replicas.tenant.bind("post-login", ["plan"])
    for server in replicas.servers:
        assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
        assert replicas.run(server, _event())["status"] == "allowed"
    for host in ("a", "b"):
        home = tmp_path / f"host-{host}"
        kept = {p.name for p in Path(home).rglob("*") if p.is_file()}
        assert not kept & {"tenant.db", "master.key"}, kept


@pytest.mark.parametrize("key", ["another", "none"])
def test_a_replica_without_the_tenants_master_key_refuses_to_start(database, tmp_path, monkeypatch, key):
    """A replica given another key, or none, would decrypt nothing: it says so in one line and
    does not serve (nor makes a key of its own)."""
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)
    with Tenant("pg", database_url=database) as tenant:
        tenant.save_draft("plan", "post-login", PLAN.format(plan="v1"), secrets=["K"])
        tenant.set_secret("plan", "K", "value")
    from cryptography.fernet import Fernet

    given = Fernet.generate_key().decode() if key == "another" else ""
    env = _host(tmp_path / "host-c", database, JUPYTER_ACTIONS_MASTER_KEY=given)
    with pytest.raises(RuntimeError, match="serve did not start") as refused:
        process, _ = start(tmp_path / "serve-c.log", env)
        stop(process)
    message = str(refused.value).removeprefix("serve did not start: ")
    assert message.startswith("error: ") and message.count("\n") == 1, message
    assert "JUPYTER_ACTIONS_MASTER_KEY" in message
    assert not list((tmp_path / "host-c").rglob("master.key"))
