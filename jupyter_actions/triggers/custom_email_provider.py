"""custom-email-provider (v1): deliver Auth0's emails through your own provider."""

from __future__ import annotations

import copy

from . import _fields as f
from ._providers import NAMESPACES, OUTCOME
from ._samples import BRANDED_TENANT, CLIENT, CONNECTION, CUSTOM_DOMAIN, GEOIP, HOSTNAME, ORGANIZATION, USER_PROFILE
from ._schema import BOOL, DICT, STR, Enum, Obj
from ._trigger import Trigger

MESSAGE_TYPES = (
    "verify_email",
    "verify_email_by_code",
    "reset_email",
    "reset_email_by_code",
    "welcome_email",
    "verification_code",
    "mfa_oob_code",
    "enrollment_email",
    "blocked_account",
    "stolen_credentials",
    "try_provider_configuration_email",
    "organization_invitation",
)

SCHEMA = Obj(
    {
        "client": f.CLIENT,
        "connection?": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "notification": Obj(
            {
                "from": STR,
                "html": STR,
                "locale": STR,
                "message_type": Enum(*MESSAGE_TYPES),
                "subject": STR,
                "text": STR,
                "to": STR,
            }
        ),
        "organization?": f.ORGANIZATION,
        "request": Obj({"geoip?": f.GEOIP, "hostname?": STR, "ip?": STR, "query?": DICT, "user_agent?": STR}),
        "secrets?": f.SECRETS,
        "tenant": f.BRANDED_TENANT,
        "transaction?": f.CORRELATION,
        "user": Obj(
            {
                "app_metadata": DICT,
                "email?": STR,
                "email_verified": BOOL,
                "family_name?": STR,
                "given_name?": STR,
                "name?": STR,
                "nickname?": STR,
                "picture?": STR,
                "user_id": STR,
                "user_metadata": DICT,
                "username?": STR,
            }
        ),
    }
)

_USER_FIELDS = (
    "app_metadata",
    "email",
    "email_verified",
    "family_name",
    "given_name",
    "name",
    "nickname",
    "picture",
    "user_id",
    "user_metadata",
    "username",
)

SAMPLE = {
    "client": copy.deepcopy(CLIENT),
    "notification": {
        "message_type": "verify_email",
        "to": "j+smith@example.com",
        "locale": "en_US",
        "html": '<p>Please verify your email: <a href="https://login.example.com/u/email-verification?ticket=abc123">verify</a></p>',
        "text": "Please verify your email: https://login.example.com/u/email-verification?ticket=abc123",
        "subject": "Verify your email",
        "from": "no-reply@example.com",
    },
    "request": {
        "geoip": copy.deepcopy(GEOIP),
        "ip": "13.33.86.47",
        "user_agent": "Mozilla/5.0",
        "query": {"ext-test": "test"},
        "hostname": HOSTNAME,
    },
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "tenant": copy.deepcopy(BRANDED_TENANT),
    "transaction": {"correlation_id": "abcefg123"},
    "user": {k: copy.deepcopy(USER_PROFILE[k]) for k in _USER_FIELDS},
    "organization": copy.deepcopy(ORGANIZATION),
    "connection": copy.deepcopy(CONNECTION),
    "configuration": {},
    "secrets": {},
}

TRIGGER = Trigger(
    id="custom-email-provider",
    version="v1",
    handler="on_execute_custom_email_provider",
    continue_handler=None,
    blocking=True,
    title="Custom Email Provider",
    description="Sends Auth0's emails (verification, reset, MFA codes ...) through your own provider; "
    "api.notification.retry/drop report a failed delivery.",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces=NAMESPACES,
    outcome=OUTCOME,
)
