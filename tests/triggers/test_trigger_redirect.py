import base64
import hashlib
import hmac
import json

import pytest

from jupyter_actions.triggers import get_trigger

from .helpers import NOW_MS, api_for

SECRET = "keyboard-cat"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(claims: dict, secret: str = SECRET, alg: str = "HS256") -> str:
    head = b64(json.dumps({"alg": alg, "typ": "JWT"}).encode())
    body = b64(json.dumps(claims).encode())
    signature = b64(hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{signature}"


def pad(part: str) -> str:
    return part + "=" * (-len(part) % 4)


def decode(token: str) -> tuple[dict, dict]:
    head, body, _ = token.split(".")
    return json.loads(base64.urlsafe_b64decode(pad(head))), json.loads(base64.urlsafe_b64decode(pad(body)))


def continue_event(token=None, state="abc", where="query", name="session_token"):
    event = get_trigger("post-login").sample_payload()
    params = {"state": state}
    if token is not None:
        params[name] = token
    event["request"][where] = params
    return event


def test_encode_token_claims_and_signature():
    api, _ = api_for("post-login")
    token = api.redirect.encode_token(secret=SECRET, payload={"color": "blue", "state": "abc"})
    header, claims = decode(token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    iat = NOW_MS // 1000
    assert claims == {
        "iat": iat,
        "iss": "dev-tenant.auth0.com",
        "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
        "exp": iat + 900,
        "ip": "13.33.86.47",
        "color": "blue",
        "state": "abc",
    }
    head, body, signature = token.split(".")
    assert signature == b64(hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())


def test_encode_token_accepts_auth0_style_options():
    api, _ = api_for("post-login")
    token = api.redirect.encode_token({"secret": SECRET, "payload": {}, "expiresInSeconds": 60})
    assert decode(token)[1]["exp"] == NOW_MS // 1000 + 60


def test_round_trip_through_continue():
    api, _ = api_for("post-login")
    token = api.redirect.encode_token(secret=SECRET, payload={"state": "abc", "answer": 42})
    for where in ("query", "body"):
        api2, _ = api_for("post-login", event=continue_event(token, where=where), phase="continue")
        claims = api2.redirect.validate_token(secret=SECRET)
        assert claims["answer"] == 42 and claims["sub"] == "auth0|5f7c8ec7c33c6c004bbafe82"


def test_custom_token_parameter_name():
    token = sign(
        {
            "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
            "iss": "dev-tenant.auth0.com",
            "state": "abc",
            "exp": NOW_MS // 1000 + 60,
        }
    )
    api, _ = api_for("post-login", event=continue_event(token, name="t"))
    assert api.redirect.validate_token({"secret": SECRET, "tokenParameterName": "t"})["state"] == "abc"


def valid_claims(**changes):
    claims = {
        "sub": "auth0|5f7c8ec7c33c6c004bbafe82",
        "iss": "dev-tenant.auth0.com",
        "state": "abc",
        "exp": NOW_MS // 1000 + 60,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize(
    "token, reason",
    [
        (sign(valid_claims(), secret="other"), "invalid signature"),
        (sign(valid_claims(exp=NOW_MS // 1000)), "jwt expired"),
        (sign(valid_claims(iss="evil.example.com")), "jwt issuer invalid. expected: dev-tenant.auth0.com"),
        (sign(valid_claims(sub="auth0|someone-else")), "jwt subject invalid. expected: auth0|5f7c8ec7c33c6c004bbafe82"),
        (sign(valid_claims(state="other")), "jwt state invalid. expected: abc"),
        (sign(valid_claims(), alg="none"), "invalid algorithm"),
        ("not-a-jwt", "jwt malformed"),
        ("a.b.c", "jwt malformed"),
    ],
)
def test_validate_token_rejections(token, reason):
    api, _ = api_for("post-login", event=continue_event(token))
    with pytest.raises(ValueError) as error:
        api.redirect.validate_token(secret=SECRET)
    assert str(error.value) == f"The session token is invalid: {reason}"


def test_validate_token_without_the_parameter():
    api, _ = api_for("post-login", event=continue_event(None))
    with pytest.raises(ValueError) as error:
        api.redirect.validate_token(secret=SECRET)
    assert (
        str(error.value)
        == "There is no parameter called 'session_token' available in either the POST body or query string."
    )


def test_encode_token_needs_a_secret():
    api, _ = api_for("post-login")
    with pytest.raises(ValueError, match="secretOrPrivateKey must have a value"):
        api.redirect.encode_token(payload={})


def test_send_user_to_applies_the_query():
    api, session = api_for("post-login")
    result = api.redirect.send_user_to("https://example.com/verify?a=1&b=2", query={"a": "9", "c": "x y", "ok": True})
    assert result is api
    assert session.commands == [
        {"type": "redirect.send_user_to", "url": "https://example.com/verify?a=9&b=2&c=x+y&ok=true"}
    ]
    api.redirect.send_user_to("https://example.com")
    assert session.commands[-1]["url"] == "https://example.com/"


def test_send_user_to_rejects_invalid_urls():
    api, _ = api_for("post-login")
    with pytest.raises(TypeError, match="Invalid URL"):
        api.redirect.send_user_to("/relative/path")


def test_redirect_and_render_are_exclusive_in_one_action():
    api, _ = api_for("post-login")
    api.prompt.render("my-form")
    with pytest.raises(ValueError, match="^Redirect and render commands cannot be used in the same action.$"):
        api.redirect.send_user_to("https://example.com")
    api, _ = api_for("post-login")
    api.redirect.send_user_to("https://example.com")
    with pytest.raises(ValueError, match="^Redirect and render commands cannot be used in the same action.$"):
        api.prompt.render("my-form")


def test_can_redirect():
    api, session = api_for("post-login")
    assert api.redirect.can_redirect() is True
    session.event["request"]["query"]["prompt"] = "none"
    assert api.redirect.can_redirect() is False
    session.event["request"]["query"]["prompt"] = "login"
    for protocol in ("oauth2-resource-owner", "oauth2-refresh-token", "oauth2-password", "oauth2-webauthn"):
        session.event["transaction"]["protocol"] = protocol
        assert api.redirect.can_redirect() is False
    del session.event["transaction"]
    assert api.redirect.can_redirect() is True
