"""event-stream (v1): runs for subscribed tenant events (CloudEvents); non-blocking."""

from __future__ import annotations

from . import _fields as f
from ._schema import DICT, STR, Enum, Obj
from ._trigger import Trigger

SCHEMA = Obj(
    {
        "message": Obj(
            {
                "id": STR,
                "type": STR,
                "data?": DICT,
                "source": STR,
                "specversion": STR,
                "time?": STR,
                "a0tenant?": STR,
                "a0stream?": STR,
                "a0purpose?": Enum("test"),
            }
        ),
        "secrets?": f.SECRETS,
    }
)

SAMPLE = {
    "message": {
        "id": "evt_vjFVP5pVdfvsfRKatshkVV",
        "type": "user.created",
        "source": "urn:auth0:dev-tenant.auth0.com",
        "specversion": "1.0",
        "time": "2025-02-01T12:34:56Z",
        "data": {
            "object": {
                "user_id": "auth0|507f1f77bcf86cd799439020",
                "email": "john.doe@example.com",
                "email_verified": False,
                "username": "johndoe",
                "phone_number": "+15555555555",
                "phone_verified": False,
                "created_at": "2025-02-01T12:34:56Z",
                "updated_at": "2025-02-01T12:34:56Z",
                "identities": [
                    {
                        "connection": "Username-Password-Authentication",
                        "user_id": "507f1f77bcf86cd799439020",
                        "provider": "auth0",
                        "isSocial": False,
                    }
                ],
                "app_metadata": {"plan": "pro"},
                "user_metadata": {"hobby": "skydiving"},
                "picture": "https://www.gravatar.com/avatar/?d=identicon",
                "name": "John Doe",
                "nickname": "johndoe",
                "multifactor": [],
                "last_ip": "203.0.113.1",
                "last_login": "2025-02-01T12:34:56Z",
                "logins_count": 1,
                "blocked": False,
                "given_name": "John",
                "family_name": "Doe",
            },
            "context": {
                "client": {"id": "QG4F6eABIgDzPvcKCMKUjo8c9iet2Skc", "name": "My App", "metadata": {}},
                "connection": {
                    "id": "con_kFOHQUeaCSC1Kjqz",
                    "name": "Username-Password-Authentication",
                    "strategy": "auth0",
                },
                "request": {
                    "geo": {
                        "continent_code": "NA",
                        "country_code": "US",
                        "country_name": "United States",
                        "latitude": 37.3382,
                        "longitude": -121.8863,
                        "subdivision_code": "CA",
                        "subdivision_name": "California",
                        "city_name": "San Jose",
                        "time_zone": "America/Los_Angeles",
                    },
                    "hostname": "dev-tenant.auth0.com",
                    "custom_domain": "login.example.com",
                    "ip": "203.0.113.1",
                    "method": "POST",
                    "user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)",
                },
                "tenant": {"id": "dev-tenant"},
            },
        },
        "a0tenant": "dev-tenant",
        "a0stream": "est_vjFVP5pVdfvsfRKatshkVV",
        "a0purpose": "test",
    },
    "configuration": {},
    "secrets": {},
}

TRIGGER = Trigger(
    id="event-stream",
    version="v1",
    handler="on_execute_event_stream",
    continue_handler=None,
    blocking=False,
    title="Event Streams",
    description="Runs for each subscribed tenant event (user.created ...), delivered as a CloudEvent; "
    "non-blocking: forward it to your systems.",
    sample=SAMPLE,
    schema=SCHEMA,
)
