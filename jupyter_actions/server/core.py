"""Requests, responses and routes: what both doors (standalone server, Jupyter) share.

A handler is a plain function ``(tenant, request) -> Response``; it never sees HTTP machinery.
Bodies are decoded by the project's JSON input policy (``_json_input``), so the API refuses
exactly what every other input path refuses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import _json_input as json_input
from ..errors import MalformedInputError
from .errors import ApiError

if TYPE_CHECKING:
    from ..tenant import Tenant

MAX_BODY_BYTES = json_input.MAX_BYTES
"""The largest request body accepted (413 above it); the JSON policy's own limit."""

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 20


@dataclass(frozen=True)
class Request:
    """A parsed request: path parameters, query (every value of each key) and the raw body."""

    params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, Sequence[str]] = field(default_factory=dict)
    body: bytes = b""

    def json(self, required: bool = True) -> dict[str, Any] | None:
        """The body as a JSON object; None for an empty body unless ``required``."""
        if not self.body.strip():
            if required:
                raise ApiError(400, "Payload validation error: the request needs a JSON object body", "invalid_body")
            return None
        try:
            return json_input.load_object(self.body, "the request body")
        except MalformedInputError as exc:
            raise ApiError(400, f"Payload validation error: {exc}", "invalid_body") from None

    def arg(self, name: str) -> str | None:
        values = self.query.get(name)
        if not values:
            return None
        if len(values) > 1:
            raise _query_error(f"'{name}' is given {len(values)} times; give it once")
        return values[0]

    def flag(self, name: str, default: bool | None = False) -> bool | None:
        value = self.arg(name)
        if value is None:
            return default
        if value not in ("true", "false"):
            raise _query_error(f"'{name}' must be true or false, not {value!r}")
        return value == "true"

    def integer(self, name: str, default: int, minimum: int, maximum: int) -> int:
        value = self.arg(name)
        if value is None or value == "":
            return default
        if not re.fullmatch(r"\d{1,10}", value) or not minimum <= int(value) <= maximum:
            raise _query_error(f"'{name}' must be a whole number from {minimum} to {maximum}, not {value[:40]!r}")
        return int(value)


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: Any = None  # a JSON value, or None for no body
    headers: Mapping[str, str] = field(default_factory=dict)


Handler = Callable[["Tenant", Request], Response]


@dataclass(frozen=True)
class Route:
    """One endpoint. ``scope`` is what a token needs (execute, read, manage); ``body`` names the
    OpenAPI schema of its JSON body, when it takes one."""

    method: str
    path: str  # relative to /api/v2, with {param} segments
    handler: Handler
    scope: str
    summary: str
    status: int = 200
    body: str | None = None
    body_required: bool = False
    query: tuple[str, ...] = ()

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.path)


def _compile(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path) + "$")


class Router:
    """Finds the route and path parameters of a method and path (405 when only the method is wrong)."""

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = tuple(routes)
        self._compiled = [(route, route.pattern) for route in self.routes]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed = []
        for route, pattern in self._compiled:
            found = pattern.match(path)
            if found:
                if route.method == method:
                    return route, found.groupdict()
                allowed.append(route.method)
        if allowed:
            raise ApiError(
                405,
                f"Method not allowed: {path} takes {', '.join(allowed)}",
                "method_not_allowed",
                {"Allow": ", ".join(allowed)},
            )
        raise ApiError(404, f"Not found: no endpoint {path}; see /openapi.json", "inexistent_endpoint")


def page(items: Sequence[Any], request: Request, key: str) -> dict[str, Any]:
    """Auth0's paged wrapper ``{key: [...], total, page, per_page}``; a page past the end is empty."""
    number = request.integer("page", 0, 0, 1_000_000)
    per_page = request.integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    request.flag("include_totals")  # checked; the totals are always sent (the SDK needs the wrapper)
    start = number * per_page
    return {
        key: [item.to_json() if hasattr(item, "to_json") else item for item in items[start : start + per_page]],
        "total": len(items),
        "page": number,
        "per_page": per_page,
    }


def _query_error(problem: str) -> ApiError:
    return ApiError(400, f"Query validation error: {problem}", "invalid_query_string")
