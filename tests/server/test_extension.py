"""The jupyter_server extension, in a real Jupyter server started by pytest-jupyter."""

from __future__ import annotations

import asyncio
import json

import pytest
from auth0.management import Auth0
from tornado.httpclient import HTTPClientError

from jupyter_actions.server.routes import ROUTES

pytest_plugins = ("pytest_jupyter.jupyter_server",)

CODE = 'async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim("x", 1)\n'


@pytest.fixture
def jp_server_config(jp_server_config):
    return {"ServerApp": {"jpserver_extensions": {"jupyter_actions.server": True}}}


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
