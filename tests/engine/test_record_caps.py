"""The tester's case: a few 30 MB claims grew the store to 273 MB. Now the step fails at the
call, naming the cap, and the store does not grow (real workers, a real SQLite file)."""

from __future__ import annotations

import sqlite3

from jupyter_actions.triggers import get_trigger

CLAIMS = "for i in range(3):\n    api.id_token.set_custom_claim(f'https://x/{i}', 'x' * (30 * 2 ** 20))"
MESSAGE = (
    "the ID token's custom claims would take 30 MiB, over the limit of 100 KiB per token, as on Auth0: set "
    "smaller values"
)


def stored_bytes(tenant) -> int:
    """The store's size once its write-ahead log is folded into the file."""
    tenant.flush()
    path = tenant.directory / "tenant.db"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages, size = conn.execute("PRAGMA page_count").fetchone()[0], conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return pages * size


def test_30_mb_claims_fail_at_the_call_and_the_store_does_not_grow(tenant, deploy):
    deploy("big", CLAIMS)
    tenant.bind("post-login", ["big"])
    login = get_trigger("post-login").sample_payload()
    tenant.run_flow("post-login", login)  # the first record allocates the tables' first pages
    before = stored_bytes(tenant)
    executions = [tenant.run_flow("post-login", login) for _ in range(3)] + [tenant.test("big")]
    for execution in executions:
        assert execution.outcome["status"] == "failed"
        assert execution.outcome["error"]["message"] == MESSAGE
        assert execution.outcome["id_token_claims"] == {}
    assert stored_bytes(tenant) - before < 64 * 1024
