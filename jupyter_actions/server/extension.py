"""The jupyter_server extension: the same routes under ``{base_url}jupyter-actions/api/v2/``.

Jupyter authenticates (its token, cookie or identity provider) and authorizes: every handler is
``@tornado.web.authenticated`` and ``@authorized`` on the resource ``jupyter_actions`` (or
``jupyter_actions:execute`` for flow execution), so a deployment's Authorizer can grant read
(GET) and write separately. XSRF is checked as jupyter_server checks it for every APIHandler.
Errors keep Auth0's body shape, Jupyter's own 403s included.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import tornado.web
from jupyter_server.auth.decorator import authorized
from jupyter_server.auth.utils import HTTP_METHOD_TO_AUTH_ACTION
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.application import ExtensionApp
from jupyter_server.extension.handler import ExtensionHandlerMixin

from . import dispatch, errors, openapi
from .core import Response, Route
from .errors import ApiError
from .pool import Overloaded, Pool, overloaded

NAME = "jupyter_actions"
ROOT = "jupyter-actions/api/v2"


def authorized_per_request(method: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
    """jupyter_server's ``@authorized`` with this request's action (from its HTTP method) and
    resource (from its route). The bare decorator keeps the resource of the first request each
    method answered (it stores it in its closure), so a flow run answered first would let every
    later POST pass as a flow run; naming both per request keeps each route on its own resource."""

    @functools.wraps(method)
    async def inner(self: ActionsHandler, *args: Any) -> None:
        action = HTTP_METHOD_TO_AUTH_ACTION[self.request.method or "GET"]
        await authorized(action, self.auth_resource)(method)(self, *args)

    return inner


class ActionsHandler(ExtensionHandlerMixin, APIHandler):
    """Every route of the route table; ``auth_resource`` is set per request from its scope."""

    auth_resource = NAME
    route: Route | None = None
    params: dict[str, str]
    refused: ApiError | None = None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Jupyter's errors (403 without credentials or XSRF, ...) in Auth0's shape, no traceback."""
        self.set_header("Content-Type", "application/json")
        message = self._reason
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, tornado.web.HTTPError) and exc.log_message:
            message = exc.log_message % exc.args if exc.args else exc.log_message
        code = {401: "invalid_token", 403: "forbidden"}.get(status_code, "bad_request")
        self.finish(orjson.dumps(errors.body(status_code, message, code)))

    def prepare(self) -> Any:  # type: ignore[override]  # (jupyter_server types it as returning None or an awaitable)
        path = self.request.path.split(ROOT, 1)[1] if ROOT in self.request.path else ""
        try:
            self.route, self.params = dispatch.resolve(self.request.method, path)
        except ApiError as exc:
            self.route, self.refused = None, exc
        else:
            self.refused = None
            if self.route.scope == "execute":
                self.auth_resource = f"{NAME}:execute"
        return super().prepare()

    def send(self, response: Response) -> None:
        self.set_status(response.status)
        for name, value in response.headers.items():
            self.set_header(name, value)
        if response.body is None or response.status == 204:
            self.finish()
        else:
            self.set_header("Content-Type", "application/json")
            self.finish(orjson.dumps(response.body))

    async def _answer(self, *_: Any) -> None:
        if self.refused is not None:
            return self.send(dispatch.error_response(self.refused))
        query = {k: [v.decode("utf-8", "replace") for v in vs] for k, vs in self.request.query_arguments.items()}
        try:
            response = await self.settings["jupyter_actions_pool"].run(
                dispatch.call,
                self.settings["jupyter_actions_tenant"],
                self.route,
                self.params,
                query,
                self.request.body,
            )
        except Overloaded:
            response = overloaded()
        self.send(response)

    @tornado.web.authenticated
    @authorized_per_request
    async def get(self, *args: Any) -> None:
        await self._answer()

    @tornado.web.authenticated
    @authorized_per_request
    async def post(self, *args: Any) -> None:
        await self._answer()

    @tornado.web.authenticated
    @authorized_per_request
    async def put(self, *args: Any) -> None:
        await self._answer()

    @tornado.web.authenticated
    @authorized_per_request
    async def patch(self, *args: Any) -> None:
        await self._answer()

    @tornado.web.authenticated
    @authorized_per_request
    async def delete(self, *args: Any) -> None:
        await self._answer()


class OpenApiHandler(ExtensionHandlerMixin, APIHandler):
    auth_resource = NAME

    @tornado.web.authenticated
    @authorized
    def get(self) -> None:
        base = self.settings.get("base_url", "/").rstrip("/")
        self.finish(orjson.dumps(openapi.document(f"{base}/{ROOT}")))


class ActionsExtension(ExtensionApp):
    """Opens the tenant (``Tenant()``: ``JUPYTER_ACTIONS_TENANT``, ``JUPYTER_ACTIONS_HOME``) once
    and serves it; the pool of threads keeps the server's event loop free."""

    name = NAME
    handlers = [
        (r"jupyter-actions/openapi\.json", OpenApiHandler),
        (ROOT + r"(/.*)", ActionsHandler),
    ]

    def initialize_settings(self) -> None:
        from ..tenant import Tenant

        self.tenant = Tenant()
        self.pool = Pool()
        self.settings.update(jupyter_actions_tenant=self.tenant, jupyter_actions_pool=self.pool)

    async def stop_extension(self) -> None:
        self.pool.shutdown()
        self.tenant.close()
