"""``api.access``, ``api.validation`` and ``api.rules``: the calls that deny a transaction."""

from __future__ import annotations

from typing import Any

from ._api import Namespace
from ._checks import O, S, check

ACCESS_DENIED_CODES = ("invalid_scope", "invalid_request", "server_error")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"The {name} must be a string.")
    return value


class DenyApi(Namespace):
    """post-login, password-reset-post-challenge: ``deny(reason)``."""

    namespace = "access"
    chainable = True

    def deny(self, reason: str) -> Any:
        """Deny the transaction; this action runs to its end, then the flow stops."""
        self._record("deny", reason=_text(reason, "reason"))
        return self._api if self.chainable else None


class ResetDenyApi(DenyApi):
    chainable = False  # password-reset-post-challenge returns nothing


class RegistrationDenyApi(Namespace):
    """pre-user-registration: ``deny(reason, user_message)``."""

    namespace = "access"

    def deny(self, reason: str, user_message: str) -> Any:
        """``reason`` goes to the logs; ``user_message`` may be shown to the user."""
        self._record("deny", reason=_text(reason, "reason"), user_message=_text(user_message, "user_message"))
        return self._api


class ExchangeDenyApi(Namespace):
    """credentials-exchange: ``deny(code, reason)`` with Auth0's three codes."""

    namespace = "access"

    def deny(self, code: str, reason: str | None = None) -> Any:
        if code not in ACCESS_DENIED_CODES:
            raise ValueError(f"The code must be one of {', '.join(ACCESS_DENIED_CODES)}, got {code!r}.")
        self._record("deny", code=code, reason=None if reason is None else _text(reason, "reason"))
        return self._api


class TokenExchangeAccessApi(Namespace):
    """custom-token-exchange: ``deny(code, reason)`` and ``reject_invalid_subject_token``."""

    namespace = "access"

    def deny(self, code: str, reason: str) -> None:
        check(
            O({"code": S(1, 1024), "reason": S(1, 4096)}, required=("code", "reason")),
            {"code": code, "reason": reason},
            "Invalid deny arguments",
        )
        self._record("deny", code=code, reason=reason)

    def reject_invalid_subject_token(self, reason: str) -> None:
        """Reject with ``invalid_request`` and count a failed attempt for Attack Protection."""
        check(
            O({"reason": S(1, 4096)}, required=("reason",)),
            {"reason": reason},
            "Invalid reject_invalid_subject_token arguments",
        )
        self._record("reject_invalid_subject_token", reason=reason)


class ValidationApi(Namespace):
    """``api.validation.error(error_code, error_message)``: deny with a code shown to the user."""

    namespace = "validation"
    prefix: str | None = None

    def error(self, error_code: str, error_message: str) -> Any:
        check(
            O(
                {"error_code": S(max_len=100), "error_message": S(max_len=100)},
                required=("error_code", "error_message"),
            ),
            {"error_code": error_code, "error_message": error_message},
            self.prefix,
        )
        self._record("error", error_code=error_code, error_message=error_message)
        return self._api


class RegistrationValidationApi(ValidationApi):
    prefix = "Failed to add validation error"


class RulesApi(Namespace):
    namespace = "rules"

    def was_executed(self, rule_id: str) -> bool:
        """Always False: Rules (Auth0's predecessor of Actions) do not exist here."""
        return False
