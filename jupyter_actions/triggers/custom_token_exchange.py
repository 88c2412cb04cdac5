"""custom-token-exchange (v1, Early Access): exchange a subject token for Auth0 tokens."""

from __future__ import annotations

import copy

from . import _fields as f
from . import _fold as fold
from ._access import TokenExchangeAccessApi
from ._exchange import TokenExchangeAuthenticationApi
from ._samples import API_IDENTIFIER, CLIENT, CUSTOM_DOMAIN, IDENTITY, REQUEST, TENANT_ID, USER_ID, USER_PROFILE
from ._schema import DICT, STR, STRINGS, Nullable, Obj
from ._transaction import TokenExchangeTransactionApi
from ._trigger import Trigger
from ._user import TokenExchangeUserApi

SCHEMA = Obj(
    {
        "client": f.CLIENT,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "organization?": f.ORGANIZATION,
        "request": f.REQUEST_WITH_BODY,
        "resource_server": f.RESOURCE_SERVER,
        "secrets?": f.SECRETS,
        "tenant": f.TENANT,
        "transaction": Obj(
            {
                "actor_token?": STR,
                "actor_token_type?": STR,
                "actor_token_user?": f.USER_FULL,
                "metadata?": DICT,
                "requested_scopes": STRINGS,
                "requested_token_type": Nullable(STR),
                "subject_token": STR,
                "subject_token_type": STR,
            }
        ),
    }
)

SAMPLE = {
    "client": copy.deepcopy(CLIENT),
    "tenant": {"id": TENANT_ID},
    "request": dict(
        copy.deepcopy(REQUEST),
        body={
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token_type": "http://auth0.com/oauth/token-type/third-party-artifact",
            "subject_token": "legacy-idp-artifact-5f7c8ec7",
            "audience": API_IDENTIFIER,
        },
    ),
    "transaction": {
        "subject_token_type": "http://auth0.com/oauth/token-type/third-party-artifact",
        "subject_token": "legacy-idp-artifact-5f7c8ec7",
        "requested_scopes": ["openid", "profile"],
        "requested_token_type": "urn:ietf:params:oauth:token-type:access_token",
        "actor_token": "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.actor-id-token.signature",
        "actor_token_type": "urn:ietf:params:oauth:token-type:id_token",
        "actor_token_user": dict(
            copy.deepcopy(USER_PROFILE),
            app_metadata={"plan": "premium"},
            user_metadata={"theme": "dark"},
            identities=[copy.deepcopy(IDENTITY)],
            multifactor=[],
            enrolledFactors=[],
            user_id=USER_ID,
        ),
    },
    "resource_server": {"identifier": API_IDENTIFIER},
    "secrets": {},
    "configuration": {},
    "organization": {
        "id": "org_1234567890",
        "name": "my-organization",
        "display_name": "My Organization",
        "metadata": {"key": "value"},
    },
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
}

TRIGGER = Trigger(
    id="custom-token-exchange",
    version="v1",
    handler="on_execute_custom_token_exchange",
    continue_handler=None,
    blocking=True,
    title="Custom Token Exchange",
    description="Validates a subject token from a token-exchange request and chooses the user (by id or by "
    "connection), organization and actor Auth0 issues tokens for (Early Access).",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces={
        "access": TokenExchangeAccessApi,
        "authentication": TokenExchangeAuthenticationApi,
        "user": TokenExchangeUserApi,
        "transaction": TokenExchangeTransactionApi,
    },
    outcome={
        "user": fold.token_exchange_user,
        "organization": fold.last_field("authentication.set_organization", "organization_id_or_name"),
        "actor": fold.last_field("authentication.set_actor", "actor"),
        "app_metadata": fold.merged("user.set_app_metadata"),
        "user_metadata": fold.merged("user.set_user_metadata"),
    },
)
