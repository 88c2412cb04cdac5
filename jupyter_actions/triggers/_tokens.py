"""HS256 JSON Web Tokens for ``api.redirect.encode_token`` / ``validate_token``.

Standard library only (hmac, hashlib, base64). Rejection reasons follow the wording of the
``jsonwebtoken`` package that Node.js actions use (``jwt expired``, ``invalid signature`` ...).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class TokenError(ValueError):
    """A token that does not validate; ``reason`` is the short jsonwebtoken-style reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _key(secret: Any, message: str) -> bytes:
    if isinstance(secret, bytes) and secret:
        return secret
    if isinstance(secret, str) and secret:
        return secret.encode("utf-8")
    raise ValueError(message)


def _sign(signing_input: str, key: bytes) -> str:
    return _b64encode(hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest())


def encode_hs256(payload: dict, secret: str | bytes) -> str:
    """``header.payload.signature`` with ``{"alg": "HS256", "typ": "JWT"}``."""
    key = _key(secret, "secretOrPrivateKey must have a value")
    header = _b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64encode(json.dumps(payload, separators=(",", ":"), allow_nan=False).encode("utf-8"))
    signing_input = f"{header}.{body}"
    return f"{signing_input}.{_sign(signing_input, key)}"


def decode_hs256(token: Any, secret: str | bytes, now_s: float) -> dict:
    """Verify signature and expiry; return the claims or raise TokenError."""
    key = _key(secret, "secret or public key must be provided")
    if not isinstance(token, str) or token.count(".") != 2:
        raise TokenError("jwt malformed")
    header_b64, body_b64, signature = token.split(".")
    try:
        header = json.loads(_b64decode(header_b64))
        claims = json.loads(_b64decode(body_b64))
    except (ValueError, UnicodeDecodeError):
        raise TokenError("jwt malformed") from None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise TokenError("jwt malformed")
    if header.get("alg") != "HS256":
        raise TokenError("invalid algorithm")
    if not hmac.compare_digest(signature, _sign(f"{header_b64}.{body_b64}", key)):
        raise TokenError("invalid signature")
    exp = claims.get("exp")
    if exp is not None:
        if isinstance(exp, bool) or not isinstance(exp, (int, float)):
            raise TokenError("invalid exp value")
        if now_s >= exp:
            raise TokenError("jwt expired")
    return claims
