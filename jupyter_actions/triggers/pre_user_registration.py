"""pre-user-registration (v2): before a database or passwordless user is created."""

from __future__ import annotations

import copy

from . import _fields as f
from . import _fold as fold
from ._access import RegistrationDenyApi, RegistrationValidationApi
from ._samples import CLIENT, CONNECTION, CUSTOM_DOMAIN, REQUEST, SECURITY_CONTEXT, SUPPLEMENTAL_ONLY, TENANT_ID
from ._schema import DICT, STR, Obj
from ._trigger import Trigger
from ._user import RegistrationUserApi

SCHEMA = Obj(
    {
        "authentication?": f.SUPPLEMENTAL_ONLY,
        "client?": f.CLIENT,
        "connection": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "request": f.REQUEST_WITH_BODY,
        "secrets?": f.SECRETS,
        "security_context?": f.SECURITY_CONTEXT,
        "tenant": f.TENANT,
        "transaction?": f.REGISTRATION_TRANSACTION,
        "user": Obj(
            {
                "app_metadata?": DICT,
                "email?": STR,
                "family_name?": STR,
                "given_name?": STR,
                "name?": STR,
                "nickname?": STR,
                "phone_number?": STR,
                "picture?": STR,
                "user_metadata?": DICT,
                "username?": STR,
            }
        ),
    }
)

SAMPLE = {
    "authentication": copy.deepcopy(SUPPLEMENTAL_ONLY),
    "request": dict(REQUEST, body={"ulp-custom-field": "UlpCustomField"}),
    "transaction": {
        "acr_values": [],
        "correlation_id": "1234567890",
        "locale": "en",
        "requested_scopes": [],
        "ui_locales": ["en"],
        "protocol": "oidc-basic-profile",
    },
    "connection": copy.deepcopy(CONNECTION),
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "tenant": {"id": TENANT_ID},
    "configuration": {},
    "secrets": {},
    "client": copy.deepcopy(CLIENT),
    "user": {
        "app_metadata": {},
        "email": "j+smith@example.com",
        "family_name": "Smith",
        "given_name": "John",
        "name": "John Smith",
        "nickname": "j+smith",
        "picture": "http://www.gravatar.com/avatar/?d=identicon",
        "user_metadata": {},
        "username": "j+smith",
        "phone_number": "+14255550123",
    },
    "security_context": copy.deepcopy(SECURITY_CONTEXT),
}

TRIGGER = Trigger(
    id="pre-user-registration",
    version="v2",
    handler="on_execute_pre_user_registration",
    continue_handler=None,
    blocking=True,
    title="Pre User Registration",
    description="Runs before a user is added to a database or passwordless connection: deny the signup, "
    "show a validation error, set metadata or the user id.",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces={"access": RegistrationDenyApi, "user": RegistrationUserApi, "validation": RegistrationValidationApi},
    outcome={
        "app_metadata": fold.merged("user.set_app_metadata"),
        "user_metadata": fold.merged("user.set_user_metadata"),
        "user_id": fold.last_field("user.set_user_id", "user_id"),
        "validation_error": fold.last("validation.error"),
    },
    user_metadata_in_event=True,
)
