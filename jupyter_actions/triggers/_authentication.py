"""``api.authentication`` (MFA challenge and enrollment, custom methods, account linking)
and ``api.multifactor``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ..outcome import Phase
from ._api import Namespace, option, to_json

CHALLENGE_FACTORS = (
    "otp",
    "email",
    "webauthn-platform",
    "webauthn-roaming",
    "recovery-code",
    "phone",
    "push",
    "push-notification",
)
RESET_CHALLENGE_FACTORS = ("otp", "email", "webauthn-platform", "webauthn-roaming", "recovery-code")
ENROLLMENT_FACTORS = (
    "otp",
    "webauthn-platform",
    "webauthn-roaming",
    "push",
    "push-notification",
    "recovery-code",
    "phone",
)
MFA_PROVIDERS = ("none", "guardian", "google-authenticator", "duo", "any")
MAX_USER_ID_LENGTH = 128

# Auth0: "Actions (or series of Actions) in a tenant can only execute four of the following
# commands per user flow ... If this limit is exceeded (i.e., a fifth command of this type
# attempts to execute), an authentication error will occur." The call itself does not throw
# (it only records a command, as Auth0's api does); the flow fails after that action.
MFA_COMMANDS = (
    "authentication.enroll_with",
    "authentication.enroll_with_any",
    "authentication.challenge_with",
    "authentication.challenge_with_any",
)
MAX_MFA_COMMANDS = 4


def mfa_command_limit(earlier: Iterable[dict], step: Iterable[dict]) -> str | None:
    """Why a step's MFA commands fail the flow (a fifth one in the flow), or None.
    ``earlier``: the commands of the flow before this step, resumed runs included."""
    added = sum(1 for c in step if c.get("type") in MFA_COMMANDS)
    if not added:
        return None
    total = added + sum(1 for c in earlier if c.get("type") in MFA_COMMANDS)
    if total <= MAX_MFA_COMMANDS:
        return None
    return (
        f"this flow issued {total} enroll_with, enroll_with_any, challenge_with or challenge_with_any "
        f"commands: Auth0 runs at most {MAX_MFA_COMMANDS} per flow, and the authentication fails at the fifth"
    )


def factor_selector(factor: Any, allowed: tuple[str, ...]) -> dict:
    """``{"type": ..., "options"?: {...}}``; a bare string is shorthand for ``{"type": s}``."""
    if isinstance(factor, str):
        factor = {"type": factor}
    if not isinstance(factor, Mapping) or factor.get("type") not in allowed:
        raise ValueError(f'A factor must be a dict whose "type" is one of {", ".join(allowed)}; got {factor!r}.')
    return to_json(dict(factor), "The factor")


def factor_list(factors: Any, allowed: tuple[str, ...], name: str) -> list[dict]:
    if not isinstance(factors, (list, tuple)):
        raise TypeError(f"The {name} must be a list of factors.")
    return [factor_selector(f, allowed) for f in factors]


class ChallengeApi(Namespace):
    """password-reset-post-challenge: MFA challenges (they suspend the flow)."""

    namespace = "authentication"
    challenge_factors: tuple[str, ...] = RESET_CHALLENGE_FACTORS

    def challenge_with(
        self, factor: Any, options: Mapping | None = None, *, additional_factors: list | None = None
    ) -> None:
        """Challenge with ``factor``; the user may pick one of ``additional_factors`` instead."""
        extra = option(options, "additional_factors", additional_factors)
        self._record(
            "challenge_with",
            factor=factor_selector(factor, self.challenge_factors),
            additional_factors=factor_list(extra or [], self.challenge_factors, "additional_factors"),
        )

    def challenge_with_any(self, factors: list) -> None:
        """Show the factor selector first (skipped when only one factor applies)."""
        self._record("challenge_with_any", factors=factor_list(factors, self.challenge_factors, "factors"))


class LoginAuthenticationApi(ChallengeApi):
    """post-login: challenge, enroll, record custom methods, change the primary user."""

    challenge_factors = CHALLENGE_FACTORS

    def enroll_with(
        self, factor: Any, options: Mapping | None = None, *, additional_factors: list | None = None
    ) -> None:
        extra = option(options, "additional_factors", additional_factors)
        self._record(
            "enroll_with",
            factor=factor_selector(factor, ENROLLMENT_FACTORS),
            additional_factors=factor_list(extra or [], ENROLLMENT_FACTORS, "additional_factors"),
        )

    def enroll_with_any(self, factors: list) -> None:
        self._record("enroll_with_any", factors=factor_list(factors, ENROLLMENT_FACTORS, "factors"))

    def record_method(self, provider_url: str) -> Any:
        """Record a completed custom authentication method (only in on_continue_post_login)."""
        if self._session.phase != Phase.CONTINUE:
            raise ValueError("api.authentication.record_method is only available in on_continue_post_login.")
        parts = urlsplit(provider_url) if isinstance(provider_url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("The provider_url must be an http or https URL.")
        self._record("record_method", provider_url=provider_url)
        return self._api

    def set_primary_user(self, primary_user_id: str) -> None:
        """Log in as ``primary_user_id`` (account linking); once per transaction."""
        earlier = self._session.prior_commands + self._session.commands
        if any(c.get("type") == "authentication.set_primary_user" for c in earlier):
            raise ValueError("The primary user can only be altered once per transaction")
        if not isinstance(primary_user_id, str) or not primary_user_id:
            raise ValueError("The provided primary_user_id must be a non-empty string")
        if len(primary_user_id) > MAX_USER_ID_LENGTH:
            raise ValueError("The provided primary_user_id exceeds the maximum length.")
        # Auth0: "Any userMetadata set in the same Action as setPrimaryUser is discarded".
        for command in self._session.commands:
            if command.get("type") == "user.set_user_metadata":
                command["discarded"] = True
        self._record("set_primary_user", primary_user_id=primary_user_id)


class MultifactorApi(Namespace):
    namespace = "multifactor"

    def enable(
        self,
        provider: str,
        options: Mapping | None = None,
        *,
        allow_remember_browser: bool | None = None,
        provider_options: Mapping | None = None,
    ) -> Any:
        """Require MFA at the end of the flow (not a suspension)."""
        if provider not in MFA_PROVIDERS:
            raise ValueError(f"The provider must be one of {', '.join(MFA_PROVIDERS)}; got {provider!r}.")
        remember = option(options, "allow_remember_browser", allow_remember_browser)
        extra = option(options, "provider_options", provider_options)
        if remember is not None and not isinstance(remember, bool):
            raise TypeError("allow_remember_browser must be a boolean.")
        if extra is not None and not isinstance(extra, Mapping):
            raise TypeError("provider_options must be a dict.")
        self._record(
            "enable",
            provider=provider,
            allow_remember_browser=bool(remember),
            provider_options=None if extra is None else to_json(dict(extra), "provider_options"),
        )
        return self._api
