"""terms-redirect end to end in a flow: suspend at the redirect, continue with a signed token."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

from jupyter_actions.templates import get_template
from jupyter_actions.triggers._tokens import encode_hs256

SECRET = "terms-signing-secret"


def _deploy_and_bind(tenant) -> dict:
    template = get_template("terms-redirect")
    tenant.save_draft("terms", template.trigger, template.code, secrets=template.secrets)
    tenant.set_secret("terms", "TERMS_TOKEN_SECRET", SECRET)
    tenant.deploy("terms")
    tenant.bind("post-login", ["terms"])
    return template.payload(template.cases[0])


def _continue_request(event: dict, accepted: bool) -> dict:
    now = int(time.time())
    token = encode_hs256(
        {
            "iss": event["request"]["hostname"],
            "sub": event["user"]["user_id"],
            "iat": now,
            "exp": now + 60,
            "state": "s1",
            "terms_version": "2024-06",
            "accepted": accepted,
        },
        SECRET,
    )
    return dict(event["request"], query={"state": "s1", "session_token": token})


def test_accepting_the_terms_continues_the_login_and_records_it(tenant) -> None:
    event = _deploy_and_bind(tenant)
    suspended = tenant.run_flow("post-login", event)
    assert suspended.outcome["status"] == "suspended"
    url = urlsplit(suspended.outcome["redirect"]["url"])
    assert url.geturl().startswith("https://example.com/terms?")
    assert parse_qs(url.query)["session_token"]

    resumed = tenant.continue_flow(suspended.id, _continue_request(event, accepted=True))
    assert resumed.outcome["status"] == "allowed"
    assert resumed.outcome["app_metadata"] == {"terms_accepted": "2024-06"}


def test_declining_the_terms_denies_the_login(tenant) -> None:
    event = _deploy_and_bind(tenant)
    suspended = tenant.run_flow("post-login", event)
    resumed = tenant.continue_flow(suspended.id, _continue_request(event, accepted=False))
    assert resumed.outcome["status"] == "denied"
    assert resumed.outcome["deny"]["reason"] == "The terms of service were not accepted."
