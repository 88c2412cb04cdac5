"""custom-phone-provider (v1): deliver Auth0's SMS and voice messages through your own provider."""

from __future__ import annotations

import copy

from . import _fields as f
from ._providers import NAMESPACES, OUTCOME
from ._samples import BRANDED_TENANT, CLIENT, CONNECTION, CUSTOM_DOMAIN, IDENTITY, ORGANIZATION, REQUEST, USER_PROFILE
from ._schema import STR, Enum, Obj
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "client": f.CLIENT,
        "connection?": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "notification": Obj(
            {
                "as_text": STR,
                "as_voice": STR,
                "code?": STR,
                "delivery_method": Enum("text", "voice"),
                "from?": STR,
                "locale?": STR,
                "message_type": Enum(
                    "otp_verify", "otp_enroll", "blocked_account", "change_password", "password_breach"
                ),
                "recipient": STR,
            }
        ),
        "organization?": f.ORGANIZATION,
        "request": f.REQUEST,
        "secrets?": f.SECRETS,
        "tenant": f.BRANDED_TENANT,
        "transaction?": f.CORRELATION,
        "user": f.USER_WITH_IDENTITIES,
    }
)

SAMPLE = {
    "client": copy.deepcopy(CLIENT),
    "notification": {
        "as_text": "Your verification code is 482913",
        "as_voice": "Your verification code is 4. 8. 2. 9. 1. 3.",
        "delivery_method": "text",
        "message_type": "otp_verify",
        "recipient": "+14255550123",
        "code": "482913",
        "locale": "en_US",
        "from": "+14255550100",
    },
    "request": copy.deepcopy(REQUEST),
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "tenant": copy.deepcopy(BRANDED_TENANT),
    "transaction": {"correlation_id": "abcefg123"},
    "user": dict(copy.deepcopy(USER_PROFILE), phone_verified=True, identities=[copy.deepcopy(IDENTITY)]),
    "organization": copy.deepcopy(ORGANIZATION),
    "connection": copy.deepcopy(CONNECTION),
    "configuration": {},
    "secrets": {},
}

TRIGGER = Trigger(
    id="custom-phone-provider",
    version="v1",
    handler="on_execute_custom_phone_provider",
    continue_handler=None,
    blocking=True,
    title="Custom Phone Provider",
    description="Sends Auth0's SMS and voice messages (OTP, blocked account ...) through your own provider; "
    "api.notification.retry/drop report a failed delivery.",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces=NAMESPACES,
    outcome=OUTCOME,
)
