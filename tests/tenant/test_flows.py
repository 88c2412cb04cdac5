"""Bindings: replace the ordered list; only deployed actions, each once, at most N."""

from __future__ import annotations

import pytest

from jupyter_actions import ActionNotFound, ConflictError, InvalidInputError, LimitExceeded, TriggerNotFound
from jupyter_actions.triggers import get_trigger
from tests.conftest import POST_LOGIN_CODE


@pytest.fixture
def deployed(tenant):
    for name in ("first", "second", "third"):
        tenant.save_draft(name, "post-login", POST_LOGIN_CODE)
        tenant.deploy(name)
    return tenant


def test_bind_replaces_the_ordered_list_and_keeps_binding_ids(deployed):
    bound = deployed.bind("post-login", ["first", "second"])
    assert [b.display_name for b in bound] == ["first", "second"]
    ids = {b.display_name: b.id for b in bound}
    rebound = deployed.bind("post-login", ["third", "first"])
    assert [b.display_name for b in rebound] == ["third", "first"]
    assert rebound[1].id == ids["first"]
    assert [b.version_number for b in rebound] == [1, 1]
    assert deployed.bind("post-login", []) == []


def test_flow_follows_the_deployed_version(deployed):
    deployed.bind("post-login", ["first"])
    deployed.save_draft("first", "post-login", POST_LOGIN_CODE + "\n# 2\n")
    deployed.deploy("first")
    assert deployed.flow("post-login")[0].version_number == 2


@pytest.mark.parametrize(
    ("names", "error", "message"),
    [
        (["first", "ghost"], ActionNotFound, "That action does not exist: 'ghost'"),
        (["first", "first"], InvalidInputError, "listed twice"),
        (["draft-only"], ConflictError, "has no deployed version"),
    ],
)
def test_bad_bindings_change_nothing(deployed, names, error, message):
    deployed.save_draft("draft-only", "post-login", POST_LOGIN_CODE)
    deployed.bind("post-login", ["second"])
    with pytest.raises(error, match=message):
        deployed.bind("post-login", names)
    assert [b.display_name for b in deployed.flow("post-login")] == ["second"]


def test_binding_limit_and_unknown_trigger(deployed):
    deployed.configure("max_bindings", 2)
    with pytest.raises(LimitExceeded, match="at most 2"):
        deployed.bind("post-login", ["first", "second", "third"])
    with pytest.raises(TriggerNotFound):
        deployed.bind("post-logout", ["first"])
    assert deployed.flow("post-login") == []


def test_binding_an_action_of_another_trigger_is_refused(deployed):
    deployed.save_draft(
        "m2m", "credentials-exchange", "async def on_execute_credentials_exchange(event, api):\n    pass\n"
    )
    deployed.deploy("m2m")
    with pytest.raises(ConflictError, match="is for trigger credentials-exchange"):
        deployed.bind("post-login", ["m2m"])


def test_a_process_that_runs_flows_starts_the_workers_of_a_changed_flow_at_once(deployed):
    """Warm workers for bound actions: a bind or a deploy in a process whose engine runs
    flows starts the new version's worker then, not at the next login."""

    def warm_versions() -> set[str]:
        return {worker.key[0] for worker in list(deployed.engine.pool._live)}

    deployed.bind("post-login", ["first"])
    deployed.run_flow("post-login", get_trigger("post-login").sample_payload())
    deployed.bind("post-login", ["first", "second"])
    second = deployed.versions("second")[0]
    assert second.id in warm_versions()
    deployed.save_draft("first", "post-login", POST_LOGIN_CODE + "\n# v2\n")
    version = deployed.deploy("first").version
    assert version.number == 2 and version.id in warm_versions()


def test_a_process_that_ran_no_flow_starts_no_worker_on_bind(deployed):
    deployed.bind("post-login", ["first"])
    assert deployed._engine is None
