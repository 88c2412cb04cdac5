"""``api.access_token`` / ``api.id_token``: custom claims and access-token scopes."""

from __future__ import annotations

import json
import re
from typing import Any

from ._api import Namespace, to_json

RESERVED_CUSTOM_CLAIMS = ("scope",)
MAX_SCOPE_LENGTH = 280
MAX_SCOPE_COUNT = 1000
_WHITESPACE = re.compile(r"\s")


def valid_scope(scope: Any) -> str:
    """Auth0's scope checks; returns the trimmed scope."""
    if not isinstance(scope, str):
        raise TypeError("The value for the scope must be a string.")
    scope = scope.strip()
    if not scope:
        raise ValueError("The value for the scope is required.")
    if len(scope) > MAX_SCOPE_LENGTH:
        raise ValueError(f"The value for the scope exceeds the allowed maximum of {MAX_SCOPE_LENGTH} characters.")
    if _WHITESPACE.search(scope):
        raise ValueError("The value for the scope must not have whitespace.")
    return scope


class ClaimsApi(Namespace):
    """``set_custom_claim(key, value)``; ``reserved`` claims raise like Auth0's."""

    reserved: tuple[str, ...] = RESERVED_CUSTOM_CLAIMS

    def set_custom_claim(self, key: str, value: Any) -> Any:
        if key in self.reserved:
            raise ValueError(f"The {json.dumps(key)} claim cannot be set.")
        if not isinstance(key, str):
            raise TypeError("The claim name must be a string.")
        self._record("set_custom_claim", key=key, value=to_json(value, "The claim value"))
        return self._api


class IdTokenApi(ClaimsApi):
    namespace = "id_token"


class AccessTokenApi(ClaimsApi):
    """post-login access token: claims and scopes."""

    namespace = "access_token"

    def _modify_scope(self, method: str, scope: Any) -> None:
        scope = valid_scope(scope)
        last_op: dict[str, str] = {}
        for command in self._recorded("add_scope", "remove_scope"):
            last_op[command["scope"]] = command["type"].rsplit(".", 1)[1]
        last_op[scope] = method
        if sum(1 for op in last_op.values() if op == "add_scope") > MAX_SCOPE_COUNT:
            raise ValueError(f"The number of scopes exceeds the allowed maximum of {MAX_SCOPE_COUNT}.")
        self._record(method, scope=scope)

    def add_scope(self, scope: str) -> None:
        """Add a scope to the issued access token."""
        self._modify_scope("add_scope", scope)

    def remove_scope(self, scope: str) -> None:
        """Remove a scope from the issued access token."""
        self._modify_scope("remove_scope", scope)


class ExchangeAccessTokenApi(ClaimsApi):
    """credentials-exchange: Auth0's implementation has no reserved-claim check here."""

    namespace = "access_token"
    reserved = ()
