"""``api.redirect``: send the user away (suspends the flow) and sign/verify session tokens."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ._api import Namespace, is_number, option, to_json
from ._tokens import TokenError, decode_hs256, encode_hs256

DEFAULT_SESSION_TOKEN_EXP = 15 * 60
DEFAULT_SESSION_TOKEN_PARAM = "session_token"  # noqa: S105 - a query parameter's name, not a secret
NO_REDIRECT_PROTOCOLS = ("oauth2-resource-owner", "oauth2-refresh-token", "oauth2-password", "oauth2-webauthn")
RENDER_AND_REDIRECT = "Redirect and render commands cannot be used in the same action."
INTERACTION_REQUIRED = "interaction_required"  # the OAuth error a refused redirect ends with


def redirect_refusal(event: Mapping) -> str | None:
    """Why this transaction cannot redirect the user (None: it can), as Auth0 decides it:
    ``prompt=none`` in the request ("any redirection will result in an
    error=interaction_required"), or a protocol without a browser to redirect (refresh-token
    and password exchanges, ROPG, WebAuthn: Auth0's ``canRedirect`` list)."""
    request = event.get("request")
    query = request.get("query") if isinstance(request, dict) else None
    if isinstance(query, dict) and query.get("prompt") == "none":
        return (
            "api.redirect.send_user_to was called in a request with prompt=none: the authorization fails "
            f"with error={INTERACTION_REQUIRED}"
        )
    transaction = event.get("transaction")
    protocol = (transaction.get("protocol") if isinstance(transaction, dict) else None) or "unknown-protocol"
    if protocol in NO_REDIRECT_PROTOCOLS:
        return f"api.redirect.send_user_to was called during a {protocol} exchange, which cannot redirect: it fails"
    return None


def _js_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return str(value)


def url_with_query(url: Any, query: Mapping | None) -> str:
    """Like ``new URL(url)`` then ``searchParams.set(k, v)`` for each query item."""
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or not parts.scheme or (parts.scheme in ("http", "https") and not parts.netloc):
        raise TypeError(f"Invalid URL: {url!r}")
    path = parts.path or ("/" if parts.netloc else "")
    search = parts.query
    if query:
        if not isinstance(query, Mapping):
            raise TypeError("The query must be a dict of strings.")
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        for key, value in query.items():
            key, value = str(key), _js_string(value)
            kept = [(k, v) for k, v in pairs if k != key]
            first = next((i for i, (k, _) in enumerate(pairs) if k == key), None)
            if first is None:
                kept.append((key, value))
            else:
                kept.insert(sum(1 for k, _ in pairs[:first] if k != key), (key, value))
            pairs = kept
        search = urlencode(pairs)
    return urlunsplit((parts.scheme, parts.netloc, path, search, parts.fragment))


class RedirectApi(Namespace):
    """password-reset-post-challenge: ``send_user_to`` returns nothing, no ``can_redirect``."""

    namespace = "redirect"
    chainable = False

    def send_user_to(self, url: str, options: Mapping | None = None, *, query: Mapping | None = None) -> Any:
        """Redirect after this action ends; the flow resumes in on_continue_* of this action."""
        if any(c.get("type") == "prompt.render" for c in self._session.commands):
            raise ValueError(RENDER_AND_REDIRECT)
        fields = {"url": url_with_query(url, option(options, "query", query))}
        refused = self._refusal()
        if refused is not None:
            fields["refused"] = refused  # the flow stops, denied with interaction_required
        self._record("send_user_to", **fields)
        return self._api if self.chainable else None

    def _refusal(self) -> str | None:
        """Why a redirect fails in this transaction (post-challenge has no such rule)."""
        return None

    def _request(self) -> dict:
        request = self._event.get("request")
        return request if isinstance(request, dict) else {}

    def _user_id(self) -> Any:
        user = self._event.get("user")
        return user.get("user_id") if isinstance(user, dict) else None

    def encode_token(
        self,
        options: Mapping | None = None,
        *,
        secret: str | None = None,
        payload: Mapping | None = None,
        expires_in_seconds: float | None = None,
    ) -> str:
        """An HS256 session token: ``{iat, iss, sub, exp, ip, **payload}``, 15 minutes by default."""
        secret = option(options, "secret", secret)
        payload = option(options, "payload", payload) or {}
        lifetime = option(options, "expires_in_seconds", expires_in_seconds)
        if not isinstance(payload, Mapping):
            raise TypeError("The payload must be a dict.")
        if lifetime is None:
            lifetime = DEFAULT_SESSION_TOKEN_EXP
        if not is_number(lifetime):
            raise TypeError("expires_in_seconds must be a number.")
        issued_at = self._session.now_ms() // 1000
        claims = {
            "iat": issued_at,
            "iss": self._request().get("hostname"),
            "sub": self._user_id(),
            "exp": issued_at + lifetime,
            "ip": self._request().get("ip"),
        }
        claims = {k: v for k, v in claims.items() if v is not None}  # JSON.stringify drops undefined
        claims.update(to_json(dict(payload), "The payload"))
        return encode_hs256(claims, secret)

    def validate_token(
        self, options: Mapping | None = None, *, secret: str | None = None, token_parameter_name: str | None = None
    ) -> dict:
        """Verify the token sent back to /continue; returns its claims."""
        secret = option(options, "secret", secret)
        name = option(options, "token_parameter_name", token_parameter_name) or DEFAULT_SESSION_TOKEN_PARAM
        request = self._request()
        params: dict = {}
        for source in (request.get("query"), request.get("body")):
            if isinstance(source, dict):
                params.update(source)
        token = params.get(name)
        if not token:
            raise ValueError(
                f"There is no parameter called '{name}' available in either the POST body or query string."
            )
        try:
            claims = decode_hs256(token, secret, self._session.now_ms() / 1000)
            self._expect(claims, "iss", request.get("hostname"), "issuer")
            self._expect(claims, "sub", self._user_id(), "subject")
            if claims.get("state") != params.get("state"):
                raise TokenError(f"jwt state invalid. expected: {params.get('state')}")
        except (TokenError, ValueError) as error:
            raise ValueError(f"The session token is invalid: {error}") from None
        return claims

    @staticmethod
    def _expect(claims: dict, claim: str, expected: Any, label: str) -> None:
        if expected is not None and claims.get(claim) != expected:
            raise TokenError(f"jwt {label} invalid. expected: {expected}")


class LoginRedirectApi(RedirectApi):
    """post-login: ``send_user_to`` returns ``api``; ``can_redirect`` is available."""

    chainable = True

    def can_redirect(self) -> bool:
        """False with ``prompt=none`` and for protocols that cannot redirect (ROPG, refresh ...):
        exactly when ``send_user_to`` would fail the transaction."""
        return self._refusal() is None

    def _refusal(self) -> str | None:
        return redirect_refusal(self._event)
