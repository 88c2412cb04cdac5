"""credentials-exchange (v2): the Client Credentials flow, before the access token is issued."""

from __future__ import annotations

import copy

from . import _fields as f
from . import _fold as fold
from ._access import ExchangeDenyApi
from ._claims import ExchangeAccessTokenApi
from ._samples import API_IDENTIFIER, CUSTOM_DOMAIN, GEOIP, HOSTNAME, ORGANIZATION, TENANT_ID
from ._schema import DICT, STR, STRINGS, Obj
from ._transaction import ExchangeTransactionApi
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "accessToken": Obj({"customClaims": DICT, "scope": STRINGS}),
        "agent?": f.AGENT,
        "client": f.CLIENT,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "organization?": f.ORGANIZATION,
        "request": f.REQUEST_WITH_BODY,
        "resource_server": f.RESOURCE_SERVER,
        "secrets?": f.SECRETS,
        "tenant": f.TENANT,
        "transaction": Obj({"correlation_id?": STR, "requested_scopes": STRINGS, "target_scopes?": STRINGS}),
    }
)

SAMPLE = {
    "accessToken": {"scope": ["read:entity"], "customClaims": {}},
    "agent": {"agent_id": "agt_abc123", "name": "My Agent", "agent_metadata": {"env": "production"}},
    "transaction": {"requested_scopes": ["read:entity"], "correlation_id": "abcefg123"},
    "resource_server": {"identifier": API_IDENTIFIER},
    "tenant": {"id": TENANT_ID},
    "configuration": {},
    "secrets": {},
    "client": {"client_id": "xh7nVqIw3d2oPpb1GCVnmUHjIMsLJd0E", "name": "A Client Application", "metadata": {}},
    "custom_domain": copy.deepcopy(CUSTOM_DOMAIN),
    "request": {
        "ip": "10.12.13.1",
        "method": "POST",
        "body": {
            "client_id": "xh7nVqIw3d2oPpb1GCVnmUHjIMsLJd0E",
            "client_secret": "client-secret",
            "audience": API_IDENTIFIER,
            "grant_type": "client_credentials",
        },
        "geoip": GEOIP,
        "hostname": HOSTNAME,
        "language": "en",
        "user_agent": "curl/7.64.1",
    },
    "organization": dict(ORGANIZATION, metadata={"key": "value"}),
}

TRIGGER = Trigger(
    id="credentials-exchange",
    version="v2",
    handler="on_execute_credentials_exchange",
    continue_handler=None,
    blocking=True,
    title="Machine to Machine",
    description="Runs in the Client Credentials flow before the access token is returned: deny the exchange, "
    "add custom claims, change the target scopes.",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces={
        "access": ExchangeDenyApi,
        "access_token": ExchangeAccessTokenApi,
        "transaction": ExchangeTransactionApi,
    },
    outcome={
        "access_token_claims": fold.merged("access_token.set_custom_claim"),
        "target_scopes": fold.target_scopes,
    },
)
