"""Replay of recorded executions against a candidate version."""

from __future__ import annotations

import json

import pytest

from jupyter_actions import ConflictError, InvalidInputError

V1 = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://x/email", event.user.email)
"""
V2 = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://x/email", event.user.email)
    api.id_token.set_custom_claim("https://x/tier", "gold")
    if event.user.email == "bob@example.com":
        api.access.deny("bob is suspended")
"""


@pytest.fixture
def recorded(tenant, login):
    tenant.save_draft("claims", "post-login", V1, deploy=True)
    tenant.save_draft(
        "other",
        "post-login",
        'async def on_execute_post_login(event, api):\n    api.access_token.set_custom_claim("https://x/o", 1)\n',
        deploy=True,
    )
    tenant.bind("post-login", ["claims", "other"])
    for email in ("ann@example.com", "bob@example.com", "cat@example.com"):
        tenant.run_flow("post-login", {**login, "user": {**login["user"], "email": email}})
    return tenant


def test_candidate_reports_exactly_its_changes(recorded, cli):
    recorded.save_draft("claims", "post-login", V2)
    report = recorded.replay("post-login", "claims@draft")
    # bob: denied now, so the later action no longer adds its access token claim
    assert report.totals() == {"replayed": 3, "changed": 3, "claim": 4, "status": 1}
    by_user = {e.user: e for e in report.executions}
    assert [c.to_json() for c in by_user["ann@example.com"].changes] == [
        {"kind": "claim", "key": "id_token_claims.https://x/tier", "before": None, "after": "gold"}
    ]
    bob = {c.key: c for c in by_user["bob@example.com"].changes}
    assert (bob["status"].before, bob["status"].after) == ("allowed", "denied")
    assert bob["id_token_claims.https://x/tier"].after == "gold"
    assert (bob["access_token_claims.https://x/o"].before, bob["access_token_claims.https://x/o"].after) == (1, None)
    # the other binding stays, and nothing was recorded
    assert by_user["cat@example.com"].replayed.outcome["access_token_claims"] == {"https://x/o": 1}
    assert len(recorded.executions()) == 3
    ran = cli("replay", "post-login", "--candidate", "claims@draft", "--json", "--fail-on-change")
    assert ran.status == 1 and json.loads(ran.out)["totals"]["changed"] == 3
    assert cli("replay", "post-login", "--candidate", "claims", "--limit", "1").status == 0


def test_identical_candidate_reports_nothing(recorded, cli):
    assert recorded.replay("post-login", "claims@1").changed == []
    assert recorded.replay("post-login", "claims@draft", limit=2).totals() == {"replayed": 2, "changed": 0}
    assert cli("replay", "post-login", "--candidate", "claims@1", "--fail-on-change").status == 0


@pytest.mark.parametrize(
    ("candidate", "kwargs", "error", "message"),
    [
        ("ghost@draft", {}, ConflictError, "not bound to the post-login flow"),
        ("claims@x", {}, InvalidInputError, "after @ write 'draft' or a version number"),
        ("claims@9", {}, Exception, "has no version 9"),
        ("claims", {"since": "yesterday"}, InvalidInputError, "invalid duration"),
        ("claims", {"limit": 0}, InvalidInputError, "limit must be a whole number from 1 to 2147483647, not 0"),
    ],
)
def test_replay_input_errors(recorded, candidate, kwargs, error, message):
    with pytest.raises(error, match=message):
        recorded.replay("post-login", candidate, **kwargs)
    with pytest.raises(error, match=message):  # the ids of a distributed replay are refused alike
        recorded.replay_ids("post-login", candidate, **kwargs)


def test_a_replay_of_given_ids_is_that_part_of_the_replay(recorded):
    """A distributed replay's partitions: the ids the replay would re-run, each part replayed
    alone, joined, give the whole report."""
    recorded.save_draft("claims", "post-login", V2)
    whole = recorded.replay("post-login", "claims@draft")
    ids = recorded.replay_ids("post-login", "claims@draft")
    assert ids == [e.execution_id for e in whole.executions]  # oldest first
    assert recorded.replay_ids("post-login", "claims@draft", limit=2) == ids[1:]  # the most recent
    parts = [recorded.replay("post-login", "claims@draft", ids=part) for part in (ids[:1], ids[1:])]
    assert [e.to_json() for part in parts for e in part.executions] == [e.to_json() for e in whole.executions]
    backwards = recorded.replay(
        "post-login", "claims@draft", ids=[ids[2], "01000000-0000-7000-8000-000000000000", ids[0]]
    )
    assert [e.execution_id for e in backwards.executions] == [ids[2], ids[0]]  # in the order given; unknown ids skipped


def test_since_filters_recorded_executions(recorded):
    assert recorded.replay("post-login", "claims", since="1h").totals()["replayed"] == 3
    assert recorded.replay("post-login", "claims", since="0.0001s").totals()["replayed"] == 0
