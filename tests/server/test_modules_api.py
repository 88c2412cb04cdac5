"""Actions Modules over REST: auth0-python's ``actions.modules`` client, unchanged, against `serve`."""

from __future__ import annotations

import json

import pytest
from auth0.management import Auth0
from auth0.management.core.api_error import ApiError
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from jupyter_actions.triggers import get_trigger

MODULE_SECRET = "rest-module-Secret-8080"
MODULE = 'def plan():\n    return "gold-" + actions.secrets.PLAN_KEY[:4]\n'
ACTION = """
from actions_modules import plans

async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("plan", plans.plan())
"""


@pytest.fixture
def sdk(server) -> Auth0:
    return Auth0(base_url=server.api, token=server.tokens["manage"], max_retries=0)


def test_the_sdk_creates_publishes_and_pins_a_module(sdk, server, tenant) -> None:
    created = sdk.actions.modules.create(
        name="plans", code=MODULE, secrets=[{"name": "PLAN_KEY", "value": MODULE_SECRET}], publish=True
    )
    assert created.latest_version_number == 1 and [s.name for s in created.secrets] == ["PLAN_KEY"]
    second = sdk.actions.modules.versions.create(created.id)
    assert second.version_number == 2 and second.module_id == created.id
    versions = sdk.actions.modules.versions.list(created.id)
    first = next(v for v in versions if v.version_number == 1)
    assert sdk.actions.modules.versions.get(created.id, first.id).code == MODULE
    assert [m.name for m in sdk.actions.modules.list()] == ["plans"]

    action = sdk.actions.create(
        name="plan-claim",
        supported_triggers=[{"id": "post-login"}],
        code=ACTION,
        modules=[{"module_id": created.id, "module_version_id": first.id}],
    )
    assert [(m.module_name, m.module_version_number) for m in action.modules] == [("plans", 1)]
    deployed = sdk.actions.deploy(action.id)
    assert [m.module_version_number for m in deployed.modules] == [1]
    tested = sdk.actions.test(action.id, payload=get_trigger("post-login").sample_payload())
    assert tested.payload["outcome"]["id_token_claims"] == {"plan": "gold-rest"}
    users = list(sdk.actions.modules.list_actions(created.id))
    assert [(u.action_name, u.module_version_number) for u in users] == [("plan-claim", 1)]

    updated = sdk.actions.modules.update(created.id, code=MODULE.replace("gold", "silver"))
    assert updated.all_changes_published is False
    with server.client() as client:  # no response holds the module's secret value
        for path in ("/actions/modules", f"/actions/modules/{created.id}", f"/actions/modules/{created.id}/versions"):
            assert MODULE_SECRET not in client.get(path).text
    assert MODULE_SECRET not in server.log()


def test_bad_module_requests_are_auth0_errors(sdk, tenant) -> None:
    created = sdk.actions.modules.create(name="plans", code=MODULE)
    with pytest.raises(ConflictError):
        sdk.actions.modules.create(name="plans", code=MODULE)
    with pytest.raises(NotFoundError):
        sdk.actions.modules.get("no-such-id")
    with pytest.raises(NotFoundError):
        sdk.actions.modules.versions.get(created.id, "no-such-version")
    with pytest.raises(BadRequestError, match="a module cannot import other modules"):
        sdk.actions.modules.create(name="nested", code="from actions_modules import plans\n")
    with pytest.raises(ApiError) as refused:  # actions.create has no class of its own for a 409
        sdk.actions.create(
            name="too-early",
            supported_triggers=[{"id": "post-login"}],
            code=ACTION,
            modules=[{"module_id": created.id}],
        )
    assert refused.value.status_code == 409 and "module plans has no version yet" in refused.value.body["message"]
    with pytest.raises(BadRequestError, match="imports module 'plans' from actions_modules but does not declare it"):
        sdk.actions.create(name="undeclared", supported_triggers=[{"id": "post-login"}], code=ACTION)
    assert [a.name for a in tenant.list_actions()] == []
    assert json.dumps([m.to_json() for m in tenant.list_modules()]).count('"name": "plans"') == 1
