"""Schema fragments shared by several triggers (reference section 6.0 and Appendix A)."""

from __future__ import annotations

from ._schema import BOOL, DICT, NUM, STR, STRINGS, Arr, DictOf, Enum, Obj, Union

CONFIDENCE = Enum("low", "medium", "high", "neutral")
PROTOCOL = Enum(
    "oidc-basic-profile",
    "oidc-ciba",
    "oidc-ciba-web-link",
    "oidc-implicit-profile",
    "oauth2-device-code",
    "oauth2-resource-owner",
    "oauth2-resource-owner-jwt-bearer",
    "oauth2-password",
    "oauth2-webauthn",
    "oauth2-access-token",
    "oauth2-refresh-token",
    "oauth2-token-exchange",
    "oidc-hybrid-profile",
    "samlp",
    "wsfed",
    "wstrust-usernamemixed",
)
RESPONSE_MODE = Enum("query", "fragment", "form_post", "web_message")

GEOIP = Obj(
    {
        "cityName?": STR,
        "continentCode?": STR,
        "countryCode?": STR,
        "countryCode3?": STR,
        "countryName?": STR,
        "latitude?": NUM,
        "longitude?": NUM,
        "subdivisionCode?": STR,
        "subdivisionName?": STR,
        "timeZone?": STR,
    }
)
AKAMAI = Obj(
    {
        "akamaiBot?": Obj(
            {
                "type?": STR,
                "action?": STR,
                "botCategory?": STRINGS,
                "botScore?": NUM,
                "botScoreResponseSegment?": STR,
                "botnetId?": STR,
            }
        ),
        "akamaiUserRisk?": Obj(
            {
                "action?": STR,
                "allow?": NUM,
                "emailDomain?": STR,
                "general?": DICT,
                "ouid?": STR,
                "requestid?": STR,
                "risk?": DICT,
                "score?": NUM,
                "status?": NUM,
                "trust?": DICT,
                "username?": STR,
                "uuid?": STR,
            }
        ),
    }
)
SUPPLEMENTAL_ONLY = Obj({"riskAssessment?": Obj({"supplemental?": Obj({"akamai?": AKAMAI})})})

CLIENT = Obj({"client_id": STR, "metadata": DictOf(STR), "name": STR})
CONNECTION = Obj({"id": STR, "metadata?": DICT, "name": STR, "strategy": STR})
CUSTOM_DOMAIN = Obj({"domain": STR, "domain_metadata": DICT})
ORGANIZATION = Obj({"id": STR, "display_name": STR, "metadata": DICT, "name": STR})
SECURITY_CONTEXT = Obj({"ja3?": STR, "ja4?": STR})
TENANT = Obj({"id": STR})
BRANDED_TENANT = TENANT.extend(
    {"friendly_name?": STR, "home_url?": STR, "logo_url?": STR, "support_email?": STR, "support_url?": STR}
)
RESOURCE_SERVER = Obj({"identifier": STR})
AGENT = Obj({"agent_id": STR, "agent_metadata": DICT, "name": STR})
SECRETS = DictOf(STR)
CORRELATION = Obj({"correlation_id?": STR})
PROMPT = Obj({"id": STR, "fields?": DICT, "vars?": DICT})

# request: the base, then variants with body / query
REQUEST = Obj({"geoip": GEOIP, "hostname?": STR, "ip": STR, "language?": STR, "method": STR, "user_agent?": STR})
REQUEST_WITH_BODY = REQUEST.extend({"body": DICT})
REQUEST_WITH_BODY_AND_QUERY = REQUEST.extend({"asn?": STR, "body": DICT, "query": DICT})

IDENTITY = Obj({"connection?": STR, "isSocial?": BOOL, "profileData?": DICT, "provider?": STR, "user_id?": STR})
ENROLLED_FACTOR = Obj({"type": STR, "options?": DICT})
AUTH_METHOD = Obj({"name": STR, "timestamp": Union(STR, NUM)})

# the full user profile (post-login, send-phone-message, custom-phone-provider ...)
USER_PROFILE = Obj(
    {
        "app_metadata": DICT,
        "created_at": STR,
        "email?": STR,
        "email_verified": BOOL,
        "family_name?": STR,
        "given_name?": STR,
        "last_password_reset?": STR,
        "name?": STR,
        "nickname?": STR,
        "phone_number?": STR,
        "phone_verified?": BOOL,
        "picture?": STR,
        "updated_at": STR,
        "user_id": STR,
        "user_metadata": DICT,
        "username?": STR,
    }
)
USER_WITH_IDENTITIES = USER_PROFILE.extend({"identities?": Arr(IDENTITY)})
USER_FULL = USER_PROFILE.extend(
    {"enrolledFactors?": Arr(ENROLLED_FACTOR), "multifactor?": STRINGS, "identities": Arr(IDENTITY)}
)

# the transaction of the registration triggers
REGISTRATION_TRANSACTION = Obj(
    {
        "acr_values": STRINGS,
        "locale": STR,
        "login_hint?": STR,
        "prompt?": STRINGS,
        "protocol?": PROTOCOL,
        "redirect_uri?": STR,
        "requested_scopes": STRINGS,
        "response_mode?": RESPONSE_MODE,
        "response_type?": STRINGS,
        "state?": STR,
        "ui_locales": STRINGS,
        "correlation_id?": STR,
    }
)
