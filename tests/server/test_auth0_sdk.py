"""Auth0's own SDK (the real auth0-python package) works unchanged against `serve`."""

from __future__ import annotations

import pytest
from auth0.management import Auth0
from auth0.management.errors import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    UnauthorizedError,
)

CODE = """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/plan", "{plan}")
"""


@pytest.fixture
def sdk(server) -> Auth0:
    return Auth0(base_url=server.api, token=server.tokens["manage"], max_retries=0)


def _create(sdk: Auth0, name: str = "add-plan", plan: str = "free"):
    return sdk.actions.create(
        name=name,
        supported_triggers=[{"id": "post-login", "version": "v3"}],
        code=CODE.format(plan=plan),
        runtime="python3.11",
        secrets=[{"name": "API_KEY", "value": "k3y-value-0123"}],
    )


def test_the_sdk_creates_lists_updates_deploys_and_tests_an_action(sdk, tenant):
    created = _create(sdk)
    assert created.name == "add-plan" and created.supported_triggers[0].id == "post-login"
    assert [s.name for s in created.secrets] == ["API_KEY"]

    listed = list(sdk.actions.list(trigger_id="post-login", per_page=1))
    assert [a.id for a in listed] == [created.id]
    assert sdk.actions.get(created.id).code == CODE.format(plan="free")

    updated = sdk.actions.update(created.id, code=CODE.format(plan="pro"))
    assert "pro" in updated.code and updated.all_changes_deployed is False

    deployed = sdk.actions.deploy(created.id)
    assert deployed.number == 1 and deployed.action_id == created.id
    assert sdk.actions.get(created.id).all_changes_deployed is True
    assert tenant.get_action("add-plan").deployed_version.number == 1  # the tenant itself changed

    tested = sdk.actions.test(created.id, payload=_sample())
    assert tested.payload["outcome"]["id_token_claims"] == {"https://example.com/plan": "pro"}


def test_the_sdk_reads_versions_and_rolls_back_with_update_draft(sdk, tenant):
    created = _create(sdk)
    first = sdk.actions.deploy(created.id)
    sdk.actions.update(created.id, code=CODE.format(plan="pro"))
    sdk.actions.deploy(created.id)

    versions = list(sdk.actions.versions.list(created.id))
    assert sorted(v.number for v in versions) == [1, 2]
    assert sdk.actions.versions.get(created.id, first.id).number == 1

    restored = sdk.actions.versions.deploy(created.id, first.id, request={"update_draft": True})
    assert restored.number == 3 and "free" in restored.code
    assert "free" in tenant.get_action("add-plan").code  # the draft follows
    with pytest.raises(NotFoundError):
        sdk.actions.versions.get(created.id, "no-such-version")


def test_the_sdk_reads_triggers_and_reads_and_updates_bindings(sdk, tenant):
    one = _create(sdk, "first")
    two = _create(sdk, "second", plan="gold")
    for action in (one, two):
        sdk.actions.deploy(action.id)
    assert "post-login" in [t.id for t in sdk.actions.triggers.list().triggers]

    bound = sdk.actions.triggers.bindings.update_many(
        "post-login",
        bindings=[
            {"ref": {"type": "action_name", "value": "second"}},
            {"ref": {"type": "action_id", "value": one.id}},
        ],
    )
    assert [b.action.name for b in bound.bindings] == ["second", "first"]
    assert [b.display_name for b in tenant.flow("post-login")] == ["second", "first"]
    listed = list(sdk.actions.triggers.bindings.list("post-login"))
    assert [b.action.id for b in listed] == [two.id, one.id]

    execution = tenant.run_flow("post-login", _sample())
    tenant.flush()
    fetched = sdk.actions.executions.get(execution.id)
    assert fetched.trigger_id == "post-login" and [r.action_name for r in fetched.results] == ["second", "first"]


def test_the_sdk_deletes_and_maps_errors(sdk, server):
    created = _create(sdk)
    with pytest.raises(BadRequestError):
        sdk.actions.create(name="bad", supported_triggers=[{"id": "post-login"}], code="not python (")
    sdk.actions.delete(created.id)
    with pytest.raises(NotFoundError) as missing:
        sdk.actions.get(created.id)
    assert missing.value.body["errorCode"] == "inexistent_action"
    with pytest.raises(UnauthorizedError):
        Auth0(base_url=server.api, token="jat_0000000000000000_" + "x" * 43, max_retries=0).actions.list()
    with pytest.raises(ForbiddenError):
        Auth0(base_url=server.api, token=server.tokens["read"], max_retries=0).actions.deploy("any")


def _sample() -> dict:
    from jupyter_actions.triggers import get_trigger

    return get_trigger("post-login").sample_payload()
