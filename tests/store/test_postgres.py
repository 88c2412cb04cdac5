"""The same store on a real PostgreSQL server, started by the test on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jupyter_actions import Tenant
from tests.conftest import POST_LOGIN_CODE
from tests.postgres import MASTER_KEY

pytestmark = pytest.mark.slow  # each test starts or fills a PostgreSQL server


@pytest.fixture(autouse=True)
def _one_master_key(monkeypatch):
    """The module's tests share one database, each with a home of its own: one key for all of
    them (a tenant holding ciphertext never gets a new key file)."""
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", MASTER_KEY)


def test_lifecycle_and_flow_on_postgres(postgres_url, actions_home):
    with Tenant("pg", database_url=postgres_url) as tenant:
        tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, secrets=["K"])
        tenant.set_secret("hello", "K", "pg-secret")
        assert tenant.deploy("hello").version.number == 1
        tenant.bind("post-login", ["hello"])
        from jupyter_actions.triggers import get_trigger

        execution = tenant.run_flow("post-login", get_trigger("post-login").sample_payload())
        assert execution.outcome["id_token_claims"] == {"https://example.com/email": "j+smith@example.com"}
        assert [e.id for e in tenant.executions()] == [execution.id]
        listed = tenant.list_actions()  # four queries for all actions (store/rows.all_actions)
        assert listed == [tenant.get_action("hello")] and listed[0].all_changes_deployed
        tenant.delete_action("hello", force=True)
        assert tenant.list_actions() == []


DEPLOYER = """
import sys
from jupyter_actions import Tenant
url, worker = sys.argv[1], sys.argv[2]
code = sys.stdin.read()
with Tenant("pg", database_url=url) as tenant:
    for i in range(10):
        tenant.save_draft("shared", "post-login", code + f"\\n# {worker} {i}\\n", deploy=True)
"""


def test_concurrent_deploys_number_without_gaps_on_postgres(postgres_url, actions_home):
    with Tenant("pg", database_url=postgres_url) as tenant:
        tenant.configure("max_versions", 1000)
        tenant.save_draft("shared", "post-login", POST_LOGIN_CODE)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", DEPLOYER, postgres_url, str(w)],
                stdin=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for w in range(4)
        ]
        for proc in procs:
            proc.stdin.write(POST_LOGIN_CODE)
            proc.stdin.close()
        for proc in procs:
            assert proc.wait(timeout=120) == 0, proc.stderr.read()
        assert sorted(v.number for v in tenant.versions("shared")) == list(range(1, 41))


def test_batch_records_and_their_updates_reach_postgres(postgres_url, actions_home):
    """The record sink writes tuples straight to the driver: a batch's rows and the update of
    a continued execution, with PostgreSQL's placeholders."""
    import json
    from dataclasses import replace

    from jupyter_actions.engine import records
    from jupyter_actions.triggers import get_trigger

    code = "async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim('https://x/e', event.user.email)\n"
    with Tenant("pg", database_url=postgres_url) as tenant:  # no secrets: the database's key is the first test's
        tenant.save_draft("hello", "post-login", code, deploy=True)
        tenant.bind("post-login", ["hello"])
        sample = get_trigger("post-login").sample_payload()
        lines = [json.dumps({**sample, "user": {**sample["user"], "email": f"u{i}@example.com"}}) for i in range(70)]
        results = list(tenant.engine.run_lines("post-login", lines))
        assert sorted(r.status for r in results) == ["allowed"] * 70
        stored = {e.id: e for e in tenant.executions(limit=200)}  # the database is shared with the test above
        assert {r.execution_id for r in results} <= set(stored)
        first = stored[results[0].execution_id]
        assert first.results[0]["action_name"] == "hello" and first.results[0]["version_number"] == 1

        later = replace(
            first,
            status="final",
            outcome={**first.outcome, "status": "denied"},
            duration_ms=9.5,
            results=first.results + first.results,
        )
        with tenant.store.write(lifecycle=False) as conn:
            records.write_batch(conn, [records.rows_of(later, None, [], first_position=1)])
        with tenant.store.read() as conn:
            updated, _ = records.get(conn, first.id)
        assert (updated.outcome["status"], updated.duration_ms, len(updated.results)) == ("denied", 9.5, 2)


def test_a_login_survives_postgresql_dropping_every_connection(postgres_url, actions_home):
    """The hot-path read (store/hot.py) holds a connection of its own per thread: one the server
    dropped is replaced at the next login, as the pool's are."""
    from jupyter_actions.triggers import get_trigger

    event = get_trigger("post-login").sample_payload()
    with Tenant("pg", database_url=postgres_url) as tenant:
        tenant.save_draft("survivor", "post-login", POST_LOGIN_CODE, deploy=True)
        tenant.bind("post-login", ["survivor"])
        assert tenant.run_flow("post-login", event).outcome["status"] == "allowed"
        tenant.flush()
        with tenant.store.read() as conn:
            dropped = conn.exec_driver_sql(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND datname = current_database()"
            ).scalar()
        assert dropped >= 2  # the hot path's and the record sink's at least
        assert tenant.run_flow("post-login", event).outcome["status"] == "allowed"
        tenant.bind("post-login", [])


def test_a_read_transaction_sees_one_state_while_another_process_writes(postgres_url, actions_home):
    """A flow plan is read in several statements: all of them see the state of the first, as on
    SQLite, however many lifecycle writes commit meanwhile."""
    with Tenant("pg", database_url=postgres_url) as reader, Tenant("pg", database_url=postgres_url) as writer:
        with reader.store.read() as conn:
            before = reader.store.generation(conn)
            writer.configure("max_versions", 50)  # a lifecycle write: the generation moves
            assert reader.store.generation(conn) == before
        with reader.store.read() as conn:
            assert reader.store.generation(conn) == before + 1
