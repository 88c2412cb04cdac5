"""password-reset-post-challenge (v1): after the first reset challenge, before the new password."""

from __future__ import annotations

import copy

from . import _fields as f
from . import _fold as fold
from ._access import ResetDenyApi
from ._authentication import ChallengeApi
from ._prompt import PromptApi
from ._redirect import RedirectApi
from ._samples import (
    CLIENT,
    CLIENT_ID,
    CONNECTION,
    CUSTOM_DOMAIN,
    ORGANIZATION,
    REQUEST,
    SUPPLEMENTAL_ONLY,
    TENANT_ID,
    USER_PROFILE,
)
from ._schema import NUM, STR, STRINGS, Arr, Obj
from ._transaction import ResetTransactionApi
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "authentication": Obj(
            {"methods": Arr(f.AUTH_METHOD), "riskAssessment?": Obj({"supplemental?": Obj({"akamai?": f.AKAMAI})})}
        ),
        "authorization": Obj({"roles": STRINGS}),
        "client": f.CLIENT,
        "connection": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "organization?": f.ORGANIZATION,
        "prompt?": f.PROMPT,
        "request": f.REQUEST_WITH_BODY_AND_QUERY,
        "secrets?": f.SECRETS,
        "stats": Obj({"logins_count": NUM}),
        "tenant": f.TENANT,
        "transaction": Obj(
            {"correlation_id?": STR, "locale": STR, "login_hint?": STR, "state?": STR, "ui_locales": STRINGS}
        ),
        "user": f.USER_FULL,
    }
)

SAMPLE = {
    "authentication": dict(
        methods=[{"name": "pwd", "timestamp": "2025-01-15T09:29:12.000Z"}], **copy.deepcopy(SUPPLEMENTAL_ONLY)
    ),
    "authorization": {"roles": []},
    "client": copy.deepcopy(CLIENT),
    "configuration": {},
    "connection": copy.deepcopy(CONNECTION),
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "prompt": {"id": "prompt_1234567890", "fields": {}, "vars": {}},
    "request": dict(
        copy.deepcopy(REQUEST),
        method="GET",
        body={},
        query={"ticket": "nZniEmn3ejOpcV46_ac1CxJCuO_gAuwR", "client_id": CLIENT_ID},
    ),
    "secrets": {},
    "stats": {"logins_count": 62},
    "tenant": {"id": TENANT_ID},
    "user": dict(copy.deepcopy(USER_PROFILE), identities=[], enrolledFactors=[]),
    "transaction": {
        "correlation_id": "abcefg123",
        "locale": "en",
        "login_hint": "j+smith@example.com",
        "state": "AABBccddEEFFGGTTasrs",
        "ui_locales": ["en"],
    },
    "organization": copy.deepcopy(ORGANIZATION),
}

TRIGGER = Trigger(
    id="password-reset-post-challenge",
    version="v1",
    handler="on_execute_post_challenge",
    continue_handler="on_continue_post_challenge",
    blocking=True,
    title="Password Reset / Post Challenge",
    description="Runs after the first password-reset challenge (the email link), before the new password is set: "
    "deny, add an MFA challenge, redirect, render a prompt, choose where the user lands afterwards.",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces={
        "access": ResetDenyApi,
        "authentication": ChallengeApi,
        "redirect": RedirectApi,
        "prompt": PromptApi,
        "transaction": ResetTransactionApi,
    },
    outcome={
        "challenge": fold.last("authentication.challenge_with", "authentication.challenge_with_any"),
        "redirect": fold.last("redirect.send_user_to"),
        "prompt": fold.last("prompt.render"),
        "result_url": fold.last_field("transaction.set_result_url", "url"),
    },
    can_suspend=True,
)
