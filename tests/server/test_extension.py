"""The jupyter_server extension, in a real Jupyter server started by pytest-jupyter."""

from __future__ import annotations

import asyncio
import json

import pytest
from auth0.management import Auth0
from jupyter_server.auth import Authorizer
from tornado.httpclient import HTTPClientError

from jupyter_actions.server.extension import NAME
from jupyter_actions.server.routes import ROUTES
from jupyter_actions.triggers import get_trigger
from tests.store_rows import snapshot

pytest_plugins = ("pytest_jupyter.jupyter_server",)

CODE = 'async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim("x", 1)\n'


@pytest.fixture
def jp_server_config(jp_server_config, request):
    """The extension enabled; a test parametrized indirectly names the Authorizer class too."""
    authorizer = {"authorizer_class": request.param} if hasattr(request, "param") else {}
    return {"ServerApp": {"jpserver_extensions": {"jupyter_actions.server": True}, **authorizer}}


async def test_the_sdk_works_through_jupyter(jp_serverapp, jp_fetch, jp_http_port, jp_base_url):
    await jp_fetch("api", "status")  # the server is listening
    sdk = Auth0(
        base_url=f"http://127.0.0.1:{jp_http_port}{jp_base_url}jupyter-actions/api/v2",
        token=jp_serverapp.identity_provider.token,
        max_retries=0,
    )
    created = await asyncio.to_thread(
        sdk.actions.create, name="a", code=CODE, supported_triggers=[{"id": "post-login"}]
    )
    version = await asyncio.to_thread(sdk.actions.deploy, created.id)
    assert version.number == 1
    listed = await asyncio.to_thread(lambda: [a.name for a in sdk.actions.list()])
    assert listed == ["a"]


async def test_every_route_needs_jupyter_credentials(jp_fetch, jp_serverapp):
    for route in ROUTES:
        path = route.path.replace("{", "").replace("}", "").lstrip("/").split("/")
        with pytest.raises(HTTPClientError) as refused:
            await jp_fetch(
                "jupyter-actions",
                "api",
                "v2",
                *path,
                method=route.method,
                body=b"{}" if route.method in ("POST", "PUT", "PATCH") else None,
                headers={"Authorization": ""},
                allow_nonstandard_methods=True,
            )
        assert refused.value.code in (401, 403), route.path
        body = json.loads(refused.value.response.body)
        assert set(body) == {"statusCode", "error", "message", "errorCode"}


async def test_a_browser_session_needs_the_xsrf_token_to_write(jp_serverapp, jp_fetch, jp_http_port, jp_base_url):
    import httpx

    await jp_fetch("api", "status")
    base = f"http://127.0.0.1:{jp_http_port}{jp_base_url}"
    body = {"name": "from-lab", "supported_triggers": [{"id": "post-login"}], "code": CODE}

    def browser() -> tuple[httpx.Response, httpx.Response, list[str]]:
        with httpx.Client(base_url=base, follow_redirects=False, timeout=60) as http:
            http.get("login")  # sets the _xsrf cookie
            xsrf = http.cookies["_xsrf"]
            login = http.post("login", data={"password": jp_serverapp.identity_provider.token, "_xsrf": xsrf})
            assert login.status_code == 302, login.text
            url = "jupyter-actions/api/v2/actions/actions"
            without = http.post(url, json=body)
            with_token = http.post(url, json=body, headers={"X-XSRFToken": xsrf})
            names = [a["name"] for a in http.get(url).json()["actions"]]
            return without, with_token, names

    without, with_token, names = await asyncio.to_thread(browser)
    assert without.status_code == 403 and json.loads(without.text)["statusCode"] == 403
    assert with_token.status_code == 201, with_token.text
    assert names == ["from-lab"]


# a deployment's Authorizer ---------------------------------------------------------------
class ReadOnly(Authorizer):
    """Grants reading the project's resource and nothing else."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read" and resource == NAME


class ReadAndExecute(Authorizer):
    """A login application's grant: read, and run flows (the ``:execute`` resource); no management."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return (action, resource) in {("read", NAME), ("write", f"{NAME}:execute")}


@pytest.fixture
def seeded(tenant) -> dict[str, str]:
    """A deployed, bound action with a secret, a saved test case and a recorded execution, and a
    deployed Actions Module: a real id for every path parameter, so that each GET has something to answer."""
    from jupyter_actions.templates import list_templates

    action, _ = tenant.save_draft("a", "post-login", CODE, secret_values={"API_KEY": "k3y-value-0123"}, deploy=True)
    tenant.bind("post-login", ["a"])
    tenant.save_test_case("a", "smoke")
    execution = tenant.run_flow("post-login", get_trigger("post-login").sample_payload())
    tenant.flush()
    module, _ = tenant.save_module("m", "X = 1\n", deploy=True)
    return {
        "modules/{id}/versions/{versionId}": f"modules/{module.id}/versions/{module.latest_version.id}",
        "modules/{id}": f"modules/{module.id}",
        "{actionId}/versions/{id}": f"{action.id}/versions/{action.deployed_version.id}",
        "{actionId}": action.id,
        "executions/{id}": f"executions/{execution.id}",
        "templates/{id}": f"templates/{list_templates()[0].id}",
        "{id}": action.id,
        "{triggerId}": "post-login",
        "{trigger}": "post-login",
        "{name}": "API_KEY",
    }


def _concrete(path: str, ids: dict[str, str]) -> list[str]:
    for pattern, value in ids.items():  # most specific first
        path = path.replace(pattern, value)
    assert "{" not in path, path
    return path.lstrip("/").split("/")


async def _call(jp_fetch, route, ids: dict[str, str]):
    return await jp_fetch(
        "jupyter-actions",
        "api",
        "v2",
        *_concrete(route.path, ids),
        method=route.method,
        body=json.dumps(_WRITE_BODIES.get(route.path, {})) if route.method in ("POST", "PUT", "PATCH") else None,
        raise_error=False,
        allow_nonstandard_methods=True,
    )


_WRITE_BODIES = {  # bodies that would change the store, were the write allowed
    "/actions/actions": {"name": "b", "supported_triggers": [{"id": "post-login"}], "code": CODE},
    "/actions/actions/{id}": {"code": CODE.replace('"x", 1', '"x", 2')},
    "/actions/triggers/{triggerId}/bindings": {"bindings": []},
    "/jupyter-actions/flows/{trigger}/executions": {"event": get_trigger("post-login").sample_payload()},
    "/jupyter-actions/actions/{id}/secrets/{name}": {"value": "an0ther-value"},
}


@pytest.mark.parametrize("jp_server_config", [ReadOnly], indirect=True)
async def test_a_read_only_authorizer_allows_every_get_and_refuses_every_write(seeded, tenant, jp_serverapp, jp_fetch):
    assert type(jp_serverapp.authorizer) is ReadOnly
    before = snapshot(tenant)
    for route in ROUTES:
        response = await _call(jp_fetch, route, seeded)
        if route.method == "GET":
            assert response.code == 200, (route.path, response.body)
        else:
            assert response.code == 403, (route.method, route.path, response.body)
            body = json.loads(response.body)
            assert set(body) == {"statusCode", "error", "message", "errorCode"}
            assert (body["statusCode"], body["errorCode"]) == (403, "forbidden")
            assert "not authorized to write" in body["message"], body
    assert snapshot(tenant) == before


@pytest.mark.parametrize("jp_server_config", [ReadAndExecute], indirect=True)
async def test_an_execute_grant_runs_flows_and_manages_nothing_whichever_request_comes_first(seeded, tenant, jp_fetch):
    """The resource is chosen per request: a flow run answered before or after a create must
    not make the create pass as a flow run, nor the run fail as a create."""
    run = ("jupyter-actions", "api", "v2", "jupyter-actions", "flows", "post-login", "executions")
    create = ("jupyter-actions", "api", "v2", "actions", "actions")
    for path, status in [(create, 403), (run, 200), (create, 403), (run, 200)]:
        body = _WRITE_BODIES["/" + "/".join(path[3:]).replace("post-login", "{trigger}")]
        answer = await jp_fetch(*path, method="POST", body=json.dumps(body), raise_error=False)
        assert answer.code == status, (path, answer.body)
    assert [a.name for a in tenant.list_actions()] == ["a"]
