"""``jupyter-actions serve``: the REST API on its own tornado server, not a Jupyter server
(no kernels, files or terminals), with bearer tokens.

Tornado because jupyter_server already brings it (no new dependency) and it streams request
bodies, so an oversized body is refused from its Content-Length before it is read. Tenant calls
run in a bounded pool of threads (``Pool``); past its capacity a request is answered 503 with
``Retry-After`` instead of queueing without bound. SIGTERM stops accepting connections, lets
the requests under way finish, then closes the tenant.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler, stream_request_body

from ..errors import InvalidInputError
from ..store import integrity
from . import dispatch, openapi
from .core import MAX_BODY_BYTES, Response
from .errors import ApiError
from .pool import Overloaded, Pool, overloaded
from .tokens import GRANTS, TokenError, Verifier

if TYPE_CHECKING:
    from ..tenant import Tenant

log = logging.getLogger("jupyter_actions.server")

API_ROOT = "/api/v2"
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8090
SHUTDOWN_GRACE_S = 30.0
MAX_THREADS = 256


class _Base(RequestHandler):
    def set_default_headers(self) -> None:
        self.clear_header("Server")
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")

    def send(self, response: Response) -> None:
        self.set_status(response.status)
        for name, value in response.headers.items():
            self.set_header(name, value)
        if response.body is None or response.status == 204:
            self.clear_header("Content-Type")
            self.finish()
        else:
            self.finish(orjson.dumps(response.body))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Tornado's own errors (a malformed request line, ...) in Auth0's shape, no traceback."""
        self.finish(orjson.dumps(dispatch.errors.body(status_code, self._reason, "bad_request")))


@stream_request_body
class ApiHandler(_Base):
    """Every /api/v2 route: token, route and scope checked before the body is read."""

    def initialize(self, tenant: Tenant, verifier: Verifier, pool: Pool) -> None:
        self.tenant, self.verifier, self.pool = tenant, verifier, pool
        self.chunks: list[bytes] = []
        self.size = 0
        self.refused: ApiError | None = None

    def prepare(self) -> None:
        """Refusals are answered once the body is read: answering earlier makes tornado close a
        connection with unread bytes, which resets it and can lose the answer."""
        try:
            token = self.verifier.verify(self.request.headers.get("Authorization"))
        except TokenError as exc:
            self.refused = ApiError(
                401, str(exc), "invalid_token", {"WWW-Authenticate": 'Bearer realm="jupyter-actions"'}
            )
            return
        try:
            self.route, self.params = dispatch.resolve(self.request.method, self.path_args[0])
            if self.route.scope not in GRANTS[token.scope]:
                raise ApiError(
                    403,
                    f"Insufficient scope: this endpoint needs a {self.route.scope} token (or manage); "
                    f"token {token.name} has {token.scope}",
                    "insufficient_scope",
                )
            declared = int(self.request.headers.get("Content-Length") or 0)
            if declared > MAX_BODY_BYTES:
                raise dispatch.too_large(declared)
        except ValueError:
            self.refused = ApiError(400, "Bad request: Content-Length is not a number", "bad_request")
        except ApiError as exc:
            self.refused = exc

    def data_received(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.refused is None and self.size > MAX_BODY_BYTES:
            self.refused = dispatch.too_large(self.size)
        if self.refused is None:
            self.chunks.append(chunk)
        else:
            self.chunks = []

    async def _answer(self, *_: str) -> None:
        if self.refused is not None:
            return self.send(dispatch.error_response(self.refused))
        query = {k: [v.decode("utf-8", "replace") for v in vs] for k, vs in self.request.query_arguments.items()}
        try:
            response = await self.pool.run(
                dispatch.call, self.tenant, self.route, self.params, query, b"".join(self.chunks)
            )
        except Overloaded:
            response = overloaded()
        self.send(response)

    get = post = patch = put = delete = head = options = _answer


class HealthHandler(_Base):
    def get(self) -> None:
        self.finish(b'{"status":"ok"}')


class OpenApiHandler(_Base):
    def get(self) -> None:
        self.finish(orjson.dumps(openapi.document(API_ROOT)))


class NotFoundHandler(_Base):
    def prepare(self) -> None:
        self.send(
            dispatch.error_response(
                ApiError(
                    404,
                    f"Not found: {self.request.path[:200]}; the API is under {API_ROOT}/ (see /openapi.json)",
                    "inexistent_endpoint",
                )
            )
        )


def make_app(tenant: Tenant, pool: Pool) -> Application:
    verifier = Verifier(tenant)
    return Application(
        [
            (API_ROOT + r"(/.*)", ApiHandler, {"tenant": tenant, "verifier": verifier, "pool": pool}),
            (r"/healthz", HealthHandler),
            (r"/openapi\.json", OpenApiHandler),
        ],
        default_handler_class=NotFoundHandler,
        xheaders=False,
        compress_response=False,
    )


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    certfile: str | None = None,
    keyfile: str | None = None,
    tenant: Tenant | None = None,
    *,
    threads: int | None = None,
    backlog: int | None = None,
    on_ready: Callable[[int], None] | None = None,
) -> None:
    """Serve until SIGTERM or SIGINT; ``on_ready(port)`` is called once listening (port 0 picks one)."""
    from ..tenant import Tenant

    if (certfile is None) != (keyfile is None):
        raise InvalidInputError("give both --certfile and --keyfile for HTTPS, or neither")
    if threads is not None and not 1 <= threads <= MAX_THREADS:
        raise InvalidInputError(f"--threads is {threads}: give 1 to {MAX_THREADS} (default: 4 per core)")
    owned = tenant is None
    tenant = tenant or Tenant()
    pool = Pool(threads, backlog)
    try:
        _check_key(tenant)
        asyncio.run(_serve(make_app(tenant, pool), host, port, _tls(certfile, keyfile), pool, on_ready))
    finally:
        pool.shutdown()
        if owned:
            tenant.close()


def _check_key(tenant: Tenant) -> None:
    """Refuse to start with a master key that is not the tenant's: a replica started with the
    wrong key would otherwise fail every login that needs a secret (docs/serving.md, Replicas)."""
    with tenant.store.read() as conn:
        integrity.check_key(conn, tenant.cipher)


def _tls(certfile: str | None, keyfile: str | None) -> ssl.SSLContext | None:
    if certfile is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    return context


async def _serve(
    app: Application,
    host: str,
    port: int,
    tls: ssl.SSLContext | None,
    pool: Pool,
    on_ready: Callable[[int], None] | None,
) -> None:
    server = HTTPServer(app, ssl_options=tls, max_body_size=MAX_BODY_BYTES * 16, idle_connection_timeout=60)
    sockets = bind_sockets(port, host)
    server.add_sockets(sockets)
    bound = sockets[0].getsockname()[1]
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("jupyter-actions API on %s://%s:%d%s/", "https" if tls else "http", host, bound, API_ROOT)
    if on_ready is not None:
        on_ready(bound)
    await stop.wait()
    server.stop()  # no new connections
    deadline = loop.time() + SHUTDOWN_GRACE_S
    while pool.in_flight and loop.time() < deadline:
        await asyncio.sleep(0.02)
    await server.close_all_connections()
