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
    sdk = Auth0(base_url=f"http://127.0.0.1:{jp_http_port}{jp_base_url}jupyter-actions/api/v2",
                token=jp_serverapp.identity_provider.token, max_retries=0)
    created = await asyncio.to_thread(sdk.actions.create, name="a", code=CODE,
                                      supported_triggers=[{"id": "post-login"}])
    version = await asyncio.to_thread(sdk.actions.deploy, created.id)
    assert version.number == 1
    listed = await asyncio.to_thread(lambda: [a.name for a in sdk.actions.list()])
    assert listed == ["a"]


async def test_every_route_needs_jupyter_credentials(jp_fetch, jp_serverapp):
    for route in ROUTES:
        path = route.path.replace("{", "").replace("}", "").lstrip("/").split("/")
        with pytest.raises(HTTPClientError) as refused:
            await jp_fetch("jupyter-actions", "api", "v2", *path, method=route.method,
                           body=b"{}" if route.method in ("POST", "PUT", "PATCH") else None,
                           headers={"Authorization": ""}, allow_nonstandard_methods=True)
        assert refused.value.code in (401, 403), route.path
        body = json.loads(refused.value.response.body)
        assert set(body) == {"statusCode", "error", "message", "errorCode"}

