"""post-change-password (v2): after a database user changed or reset the password; non-blocking."""

from __future__ import annotations

import copy

from . import _fields as f
from ._samples import CONNECTION, CUSTOM_DOMAIN, DATE, REQUEST, SUPPLEMENTAL_ONLY, TENANT_ID, USER_ID
from ._schema import BOOL, STR, Obj
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "authentication?": f.SUPPLEMENTAL_ONLY,
        "connection": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "request": f.REQUEST,
        "secrets?": f.SECRETS,
        "tenant": f.TENANT,
        "transaction?": f.CORRELATION,
        "user": Obj(
            {
                "email?": STR,
                "email_verified?": BOOL,
                "last_password_reset?": STR,
                "phone_number?": STR,
                "phone_verified?": BOOL,
                "user_id?": STR,
                "username?": STR,
            }
        ),
    }
)

SAMPLE = {
    "authentication": copy.deepcopy(SUPPLEMENTAL_ONLY),
    "connection": copy.deepcopy(CONNECTION),
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "request": dict(REQUEST, ip="10.12.13.1"),
    "tenant": {"id": TENANT_ID},
    "transaction": {"correlation_id": "abcefg123"},
    "user": {
        "id": "5f7c8ec7c33c6c004bbafe82",
        "user_id": USER_ID,
        "email": "j+smith@example.com",
        "email_verified": True,
        "phone_number": "+13205550100",
        "phone_verified": True,
        "last_password_reset": DATE,
        "username": "j+smith",
    },
    "configuration": {},
    "secrets": {},
}

TRIGGER = Trigger(
    id="post-change-password",
    version="v2",
    handler="on_execute_post_change_password",
    continue_handler=None,
    blocking=False,
    title="Post Change Password",
    description="Runs after a database user changed or reset the password (notify, revoke elsewhere); "
    "non-blocking: it cannot change the outcome.",
    sample=SAMPLE,
    schema=SCHEMA,
)
