"""From a method, path and body to a response: what both doors do after authenticating.

``resolve`` runs on the event loop (cheap: a regex match); ``call`` runs the handler and is
what goes to the thread pool. Every exception becomes Auth0's error body here, nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from . import errors
from .core import MAX_BODY_BYTES, Request, Response, Route
from .errors import ApiError
from .routes import ROUTER

if TYPE_CHECKING:
    from ..tenant import Tenant


def resolve(method: str, path: str) -> tuple[Route, dict[str, str]]:
    """The route and path parameters for ``path`` (relative to /api/v2); ApiError 404/405."""
    return ROUTER.match(method, path)


def too_large(size: int) -> ApiError:
    return ApiError(
        413,
        f"Request entity too large: the body has {size:,} bytes and may have {MAX_BODY_BYTES:,} at most",
        "payload_too_large",
    )


def call(
    tenant: Tenant, route: Route, params: Mapping[str, str], query: Mapping[str, Sequence[str]], body: bytes
) -> Response:
    """Run the route's handler; any failure is an Auth0-shaped error response."""
    try:
        if len(body) > MAX_BODY_BYTES:
            raise too_large(len(body))
        return route.handler(tenant, Request(params, query, body))
    except Exception as exc:  # noqa: BLE001 - mapped once, here
        return error_response(exc)


def error_response(exc: BaseException) -> Response:
    mapped = errors.to_response(exc)
    return Response(mapped.status, errors.body(mapped.status, mapped.message, mapped.error_code), mapped.headers)
