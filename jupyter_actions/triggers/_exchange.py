"""``api.authentication`` of custom-token-exchange: pick the user, organization and actor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._api import Namespace, option, to_json
from ._checks import E, O, S, T, check

ACTOR_MAX_DEPTH = 5
ACTOR_MAX_CUSTOM_PROPERTIES = 5
ACTOR_MAX_SUB_LENGTH = 512
ACTOR_MAX_KEY_LENGTH = 64
ACTOR_MAX_STRING_LENGTH = 64

_USER_ATTRIBUTES = O(
    {
        "email": T("string"),
        "email_verified": T("boolean"),
        "family_name": S(1, 150),
        "given_name": S(1, 150),
        "name": S(1, 300),
        "nickname": S(1, 300),
        "phone_number": T("string"),
        "phone_verified": T("boolean"),
        "picture": T("string"),
        "user_id": S(1, 255),
        "username": S(1, 128),
        "verify_email": T("boolean"),
    },
    required=("user_id",),
    extra=True,
    max_props=24,
)
_BY_CONNECTION = O(
    {
        "connection_name": S(1, 512),
        "options": O(
            {"creation_behavior": E("create_if_not_exists", "none"), "update_behavior": E("replace", "none")},
            required=("creation_behavior", "update_behavior"),
        ),
        "user_attributes": _USER_ATTRIBUTES,
    },
    required=("connection_name", "user_attributes", "options"),
)
_ONE_USER = "Exactly one of set_user_by_id and set_user_by_connection must be called."


def _validate_actor_level(level: Mapping) -> None:
    sub = level.get("sub")
    if not isinstance(sub, str) or not sub:
        raise ValueError("The actor object must contain a sub claim.")
    if len(sub) > ACTOR_MAX_SUB_LENGTH:
        raise ValueError(f"Invalid set_actor arguments: sub must NOT have more than {ACTOR_MAX_SUB_LENGTH} characters")
    custom = {k: v for k, v in level.items() if k not in ("sub", "act", "type")}
    if len(custom) > ACTOR_MAX_CUSTOM_PROPERTIES:
        raise ValueError(
            f"No more than {ACTOR_MAX_CUSTOM_PROPERTIES} custom properties are allowed in the actor object."
        )
    for key, value in custom.items():
        if not isinstance(value, (str, int, float, bool)):
            raise ValueError("Custom property in an actor object must be a string, number, or boolean.")
        if len(key) > ACTOR_MAX_KEY_LENGTH:
            raise ValueError(
                f"Custom property key in an actor object must NOT have more than {ACTOR_MAX_KEY_LENGTH} characters."
            )
        if isinstance(value, str) and len(value) > ACTOR_MAX_STRING_LENGTH:
            raise ValueError(
                f"Custom string property value in an actor object must NOT have more than {ACTOR_MAX_STRING_LENGTH} characters."
            )


def validate_actor(actor: Any) -> None:
    """Auth0's actor rules: ``{sub, act?}`` nested at most 5 levels, <= 5 custom properties."""
    if not isinstance(actor, Mapping):
        raise ValueError("The actor must be a plain object.")
    _validate_actor_level(actor)
    level = actor
    for _ in range(2, ACTOR_MAX_DEPTH + 1):
        if level.get("act") is None:
            return
        if not isinstance(level["act"], Mapping):
            raise ValueError("The act claim must be a plain object.")
        _validate_actor_level(level["act"])
        level = level["act"]
    if level.get("act") is not None:
        raise ValueError(f"Actor nesting must not exceed {ACTOR_MAX_DEPTH} levels.")


class TokenExchangeAuthenticationApi(Namespace):
    namespace = "authentication"

    def _user_selected(self) -> None:
        if self._recorded("set_user_by_id", "set_user_by_connection"):
            raise ValueError(_ONE_USER)

    def set_user_by_id(self, user_id: str) -> None:
        """Issue tokens for an existing user."""
        check(
            O({"user_id": S(1, 512)}, required=("user_id",)), {"user_id": user_id}, "Invalid set_user_by_id arguments"
        )
        self._user_selected()
        self._record("set_user_by_id", user_id=user_id)

    def set_user_by_connection(
        self,
        connection_name: str,
        user_attributes: Mapping,
        options: Mapping | None = None,
        *,
        creation_behavior: str | None = None,
        update_behavior: str | None = None,
    ) -> None:
        """Find (and maybe create or update) the user ``user_attributes["user_id"]`` in a connection."""
        behaviour = {
            "creation_behavior": option(options, "creation_behavior", creation_behavior),
            "update_behavior": option(options, "update_behavior", update_behavior),
        }
        if options is None and creation_behavior is None and update_behavior is None:
            behaviour = None  # type: ignore[assignment]
        check(
            _BY_CONNECTION,
            {"connection_name": connection_name, "user_attributes": user_attributes, "options": behaviour},
            "Invalid set_user_by_connection arguments",
        )
        self._user_selected()
        self._record(
            "set_user_by_connection",
            connection_name=connection_name,
            user_attributes=to_json(dict(user_attributes), "user_attributes"),
            **behaviour,
        )

    def set_organization(self, organization_id_or_name: str) -> None:
        check(
            O({"organization_id_or_name": S(1, 50)}, required=("organization_id_or_name",)),
            {"organization_id_or_name": organization_id_or_name},
            "Invalid set_organization arguments",
        )
        self._record("set_organization", organization_id_or_name=organization_id_or_name)

    def set_actor(self, actor: Mapping) -> None:
        """Delegation: becomes the ``act`` claim (no refresh token is issued with an actor)."""
        validate_actor(actor)
        self._record("set_actor", actor=to_json(dict(actor), "The actor"))
