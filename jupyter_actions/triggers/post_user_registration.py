"""post-user-registration (v2): after a user was created; non-blocking."""

from __future__ import annotations

import copy

from . import _fields as f
from ._samples import CONNECTION, CUSTOM_DOMAIN, REQUEST, SECURITY_CONTEXT, SUPPLEMENTAL_ONLY, TENANT_ID, USER_PROFILE
from ._schema import Obj
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "authentication?": f.SUPPLEMENTAL_ONLY,
        "connection": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "request?": f.REQUEST,
        "secrets?": f.SECRETS,
        "security_context?": f.SECURITY_CONTEXT,
        "tenant": f.TENANT,
        "transaction?": f.REGISTRATION_TRANSACTION,
        "user": f.USER_PROFILE,
    }
)

SAMPLE = {
    "authentication": copy.deepcopy(SUPPLEMENTAL_ONLY),
    "request": copy.deepcopy(REQUEST),
    "connection": copy.deepcopy(CONNECTION),
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "tenant": {"id": TENANT_ID},
    "transaction": {
        "acr_values": [],
        "correlation_id": "1234567890",
        "locale": "en",
        "requested_scopes": ["openid", "profile"],
        "ui_locales": ["en"],
        "protocol": "oidc-basic-profile",
        "redirect_uri": "https://app.example.com/callback",
        "response_mode": "query",
        "response_type": ["code"],
        "state": "AABBccddEEFFGGTTasrs",
    },
    # a new user has no last_password_reset yet
    "user": {k: copy.deepcopy(v) for k, v in USER_PROFILE.items() if k != "last_password_reset"},
    "configuration": {},
    "secrets": {},
    "security_context": copy.deepcopy(SECURITY_CONTEXT),
}

TRIGGER = Trigger(
    id="post-user-registration",
    version="v2",
    handler="on_execute_post_user_registration",
    continue_handler=None,
    blocking=False,
    title="Post User Registration",
    description="Runs after a user was added to a database or passwordless connection (notify, provision); "
    "non-blocking: it cannot change the signup.",
    sample=SAMPLE,
    schema=SCHEMA,
)
