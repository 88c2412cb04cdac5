"""``api.user``: metadata updates, aggregated over the flow and applied once at the end.

Later actions see earlier updates in ``event.user`` (``Trigger.after_action``); a value of
None removes the key.
"""

from __future__ import annotations

from typing import Any

from ._api import Namespace, to_json
from ._checks import O, S, T, check


class _MetadataApi(Namespace):
    namespace = "user"

    def _set(self, kind: str, key: Any, value: Any) -> dict:
        if not isinstance(key, str):
            raise TypeError("The metadata key must be a string.")
        return self._record(f"set_{kind}", key=key, value=to_json(value, "The metadata value"))


class UserApi(_MetadataApi):
    """post-login: checks that the stored metadata is an object, returns ``api``."""

    def _require_object(self, field: str, message: str) -> None:
        user = self._event.get("user")
        if not isinstance(user, dict) or not isinstance(user.get(field), dict):
            raise ValueError(message)

    def set_app_metadata(self, key: str, value: Any) -> Any:
        self._require_object("app_metadata", "Unexpected app_metadata format. Must be a valid JSON object")
        self._set("app_metadata", key, value)
        return self._api

    def set_user_metadata(self, key: str, value: Any) -> Any:
        self._require_object("user_metadata", "Unexpected user_metadata format. Must be a valid JSON object.")
        command = self._set("user_metadata", key, value)
        if any(c.get("type") == "authentication.set_primary_user" for c in self._session.commands):
            command["discarded"] = True  # set in the same action as set_primary_user (Auth0 limit)
        return self._api


class RegistrationUserApi(_MetadataApi):
    """pre-user-registration: metadata of the user about to be created, and its user_id."""

    def set_app_metadata(self, key: str, value: Any) -> Any:
        self._set("app_metadata", key, value)
        return self._api

    def set_user_metadata(self, key: str, value: Any) -> Any:
        self._set("user_metadata", key, value)
        return self._api

    def set_user_id(self, user_id: str) -> Any:
        """The id part of the new user's ``user_id`` (Auth0 adds the connection prefix)."""
        check(
            O({"user_id": S(1, 255, r"^[a-zA-Z0-9@._+-]{1,255}$")}, required=("user_id",)),
            {"user_id": user_id},
            "Invalid set_user_id arguments",
        )
        self._record("set_user_id", user_id=user_id)
        return self._api


class TokenExchangeUserApi(_MetadataApi):
    """custom-token-exchange: metadata of the user the exchange selects; returns None."""

    def _checked(self, kind: str, key: Any, value: Any) -> None:
        check(O({"key": T("string")}, required=("key",)), {"key": key}, f"Invalid set_{kind} arguments")
        self._set(kind, key, value)

    def set_app_metadata(self, key: str, value: Any) -> None:
        self._checked("app_metadata", key, value)

    def set_user_metadata(self, key: str, value: Any) -> None:
        self._checked("user_metadata", key, value)
