"""send-phone-message (v2): deliver SMS / voice MFA codes through your own provider."""

from __future__ import annotations

import copy

from . import _fields as f
from ._samples import CLIENT, CUSTOM_DOMAIN, IDENTITY, REQUEST, SECURITY_CONTEXT, TENANT_ID, USER_PROFILE
from ._schema import STR, Enum, Obj
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "client?": f.CLIENT,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "message_options": Obj(
            {
                "action": Enum("enrollment", "second-factor-authentication"),
                "code": STR,
                "message_type": Enum("sms", "voice"),
                "recipient": STR,
                "text": STR,
            }
        ),
        "request": f.REQUEST,
        "secrets?": f.SECRETS,
        "security_context?": f.SECURITY_CONTEXT,
        "tenant": f.TENANT,
        "transaction?": f.CORRELATION,
        "user": f.USER_WITH_IDENTITIES,
    }
)

SAMPLE = {
    "message_options": {
        "action": "enrollment",
        "code": "1234556ADSFA547865",
        "message_type": "sms",
        "recipient": "+1-808-555-5555",
        "text": "Here is your one time password!",
    },
    "client": copy.deepcopy(CLIENT),
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "request": copy.deepcopy(REQUEST),
    "tenant": {"id": TENANT_ID},
    "user": dict(
        copy.deepcopy(USER_PROFILE),
        multifactor=["guardian"],
        phone_number="+1-808-555-5555",
        identities=[copy.deepcopy(IDENTITY)],
    ),
    "configuration": {},
    "secrets": {},
    "security_context": copy.deepcopy(SECURITY_CONTEXT),
    "transaction": {"correlation_id": "abcdef123456"},
}

TRIGGER = Trigger(
    id="send-phone-message",
    version="v2",
    handler="on_execute_send_phone_message",
    continue_handler=None,
    blocking=True,
    title="Send Phone Message",
    description="Sends the SMS or voice message of MFA enrollment and challenge through a custom provider.",
    sample=SAMPLE,
    schema=SCHEMA,
)
