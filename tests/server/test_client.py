"""`jupyter_actions.client` against a real `serve`: run and continue flows, typed outcomes."""

from __future__ import annotations

import asyncio
import socket

import httpx
import pytest

from jupyter_actions.client import ApiError, AsyncClient, Client
from jupyter_actions.server import tokens
from jupyter_actions.triggers import get_trigger

TERMS = """
async def on_execute_post_login(event, api):
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("blocked domain")
        return
    api.id_token.set_custom_claim("https://example.com/plan", "pro")
    if not event.user.app_metadata.get("accepted_terms"):
        api.redirect.send_user_to("https://example.com/terms")

async def on_continue_post_login(event, api):
    api.user.set_app_metadata("accepted_terms", True)
"""


@pytest.fixture
def login_flow(tenant):
    tenant.save_draft("terms", "post-login", TERMS, deploy=True)
    tenant.bind("post-login", ["terms"])
    return get_trigger("post-login").sample_payload()


def test_run_flow_returns_the_outcome_and_continue_resumes_it(server, login_flow):
    with Client(server.url, server.tokens["execute"]) as client:
        suspended = client.run_flow("post-login", login_flow)
        assert suspended.status == "suspended" and suspended.outcome["status"] == "suspended"
        assert suspended.outcome["redirect"]["url"].startswith("https://example.com/terms")
        assert suspended.outcome["id_token_claims"] == {"https://example.com/plan": "pro"}
        resumed = client.continue_flow(suspended.id, login_flow["request"])
        assert resumed.id == suspended.id and resumed.outcome["status"] == "allowed"
        assert resumed.outcome["app_metadata"] == {"accepted_terms": True}

        blocked = dict(login_flow, user=dict(login_flow["user"], email="eve@blocked.example"))
        denied = client.run_flow("post-login", blocked)
        assert denied.outcome["status"] == "denied" and denied.outcome["deny"]["reason"] == "blocked domain"

        with pytest.raises(ApiError) as refused:
            client.request("GET", "/actions/actions")  # an execute token reads nothing
        assert refused.value.status == 403 and refused.value.error_code == "insufficient_scope"


# https://auth0.com/docs/customize/forms/render ("Fields and shared variables data in Actions"), renamed
FORM = """
async def on_execute_post_login(event, api):
    api.prompt.render("ap_fuVuFiiQWN3mTEujWTy966")

async def on_continue_post_login(event, api):
    api.user.set_user_metadata("company_name", event.prompt.fields.company_name)
"""


def test_continue_carries_the_forms_prompt_and_refuses_a_bad_one(server, tenant):
    """The Forms sample of https://auth0.com/docs/customize/forms/render over HTTP: the continue
    request's ``prompt`` becomes ``event.prompt``; a prompt without an id is a 400 in one line."""
    tenant.save_draft("form", "post-login", FORM, deploy=True)
    tenant.bind("post-login", ["form"])
    with Client(server.url, server.tokens["execute"]) as client:
        suspended = client.run_flow("post-login", get_trigger("post-login").sample_payload())
        assert suspended.outcome["prompt"]["prompt_id"] == "ap_fuVuFiiQWN3mTEujWTy966"
        with pytest.raises(ApiError) as refused:
            client.continue_flow(suspended.id, {"prompt": {"fields": {"company_name": "Okta"}}})
        assert refused.value.status == 400 and "$.prompt.id" in refused.value.message
        prompt = {"id": "ap_fuVuFiiQWN3mTEujWTy966", "fields": {"company_name": "Okta"}, "vars": {}}
        resumed = client.continue_flow(suspended.id, {"query": {"state": "s1"}, "prompt": prompt})
        assert resumed.outcome["status"] == "allowed" and resumed.outcome["prompt"] is None
        assert resumed.outcome["user_metadata"] == {"company_name": "Okta"}


def test_the_async_client_runs_flows_concurrently(server, login_flow):
    async def main() -> list:
        async with AsyncClient(server.url, server.tokens["execute"]) as client:
            return await asyncio.gather(*(client.run_flow("post-login", login_flow) for _ in range(8)))

    results = asyncio.run(main())
    assert len({r.id for r in results}) == 8 and all(r.status == "suspended" for r in results)


def test_connection_errors_are_retried_then_raised_and_answers_never_retried(server, tenant, login_flow):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with Client(f"http://127.0.0.1:{closed_port}", "jat_x", retries=1) as client, pytest.raises(httpx.ConnectError):
        client.run_flow("post-login", login_flow)
    _, token = tokens.create(tenant, "other", "execute")
    with Client(server.url, token) as client, pytest.raises(ApiError) as bad:
        client.run_flow("post-login", {"not": "an event"})
    assert bad.value.status == 400
    assert tenant.executions() == []  # the refused event was not run
