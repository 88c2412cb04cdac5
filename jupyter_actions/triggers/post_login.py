"""post-login (v3): runs after a successful authentication, before tokens are issued."""

from __future__ import annotations

from . import _fields as f
from . import _fold as fold
from ._access import DenyApi, RulesApi, ValidationApi
from ._authentication import MFA_COMMANDS, LoginAuthenticationApi, MultifactorApi, mfa_command_limit
from ._claims import AccessTokenApi, IdTokenApi
from ._directory import GroupsApi, RolesApi
from ._prompt import PromptApi
from ._redirect import LoginRedirectApi
from ._saml import SamlResponseApi
from ._samples import AKAMAI, API_IDENTIFIER, CLIENT_ID, DATE, GEOIP, HOSTNAME, JWT_SAMPLE, TENANT_ID, USER_ID
from ._schema import BOOL, DICT, NUM, STR, STRINGS, Arr, DictOf, Enum, Obj, Union
from ._sessions import RefreshTokenApi, SessionApi
from ._transaction import LoginTransactionApi
from ._trigger import Trigger
from ._user import UserApi

_DEVICE = Obj(
    {
        k + "?": STR
        for k in ("initial_asn", "initial_ip", "initial_user_agent", "last_asn", "last_ip", "last_user_agent")
    }
)
_ASSESSMENT = Obj({"code": STR, "confidence": f.CONFIDENCE, "details?": DICT})

SCHEMA = Obj(
    {
        "agent?": f.AGENT,
        "authentication?": Obj(
            {
                "methods": Arr(f.AUTH_METHOD),
                "riskAssessment?": Obj(
                    {
                        "assessments": Obj(
                            {
                                "AgentDetection?": _ASSESSMENT.extend({"code": Enum("unknown", "verified_agent")}),
                                "ImpossibleTravel?": _ASSESSMENT.extend(
                                    {
                                        "code": Enum(
                                            "minimal_travel_from_last_login",
                                            "travel_from_last_login",
                                            "substantial_travel_from_last_login",
                                            "impossible_travel_from_last_login",
                                            "invalid_travel",
                                            "missing_geoip",
                                            "anonymous_proxy",
                                            "unknown_location",
                                            "initial_login",
                                            "location_history_not_found",
                                            "assessment_not_available",
                                        )
                                    }
                                ),
                                "NewDevice?": _ASSESSMENT.extend(
                                    {
                                        "code": Enum(
                                            "initial_login",
                                            "assessment_not_available",
                                            "match",
                                            "partial_match",
                                            "no_match",
                                            "unknown_device",
                                            "no_device_history",
                                        ),
                                        "details?": Obj(
                                            {
                                                "device?": Enum("unknown", "known"),
                                                "useragent?": Enum("unknown", "known"),
                                            }
                                        ),
                                    }
                                ),
                                "UntrustedIP?": _ASSESSMENT.extend(
                                    {
                                        "code": Enum(
                                            "assessment_not_available",
                                            "not_found_on_deny_list",
                                            "found_on_deny_list",
                                            "invalid_ip_address",
                                        ),
                                        "details?": Obj(
                                            {"category?": STR, "ip?": STR, "matches?": STR, "source?": STR}
                                        ),
                                    }
                                ),
                            }
                        ),
                        "confidence": f.CONFIDENCE,
                        "supplemental?": Obj({"akamai?": f.AKAMAI}),
                        "version": STR,
                    }
                ),
            }
        ),
        "authorization?": Obj({"roles": STRINGS}),
        "client": f.CLIENT.extend({"refresh_token?": Obj({"policies?": Arr(DICT)})}),
        "connection": f.CONNECTION,
        "custom_domain?": f.CUSTOM_DOMAIN,
        "organization?": f.ORGANIZATION,
        "prompt?": f.PROMPT,
        "refresh_token?": Obj(
            {
                "id": STR,
                "client_id?": STR,
                "created_at": STR,
                "device?": _DEVICE,
                "expires_at?": STR,
                "idle_expires_at?": STR,
                "last_exchanged_at?": STR,
                "metadata?": DICT,
                "resource_servers?": Arr(DICT),
                "rotating?": BOOL,
                "session_id?": STR,
                "session_transfer?": DICT,
                "user_id?": STR,
                "access?": Enum("offline", "online"),
            }
        ),
        "request": f.REQUEST_WITH_BODY_AND_QUERY,
        "resource_server?": f.RESOURCE_SERVER,
        "secrets?": f.SECRETS,
        "security_context?": f.SECURITY_CONTEXT,
        "session?": Obj(
            {
                "id": STR,
                "actor?": Obj({"sub": STR}),
                "authenticated_at?": STR,
                "clients?": Arr(DICT),
                "cookie?": Obj({"mode": Enum("persistent", "non-persistent")}),
                "created_at?": STR,
                "device?": _DEVICE,
                "expires_at?": STR,
                "idle_expires_at?": STR,
                "last_interacted_at?": STR,
                "metadata?": DICT,
                "session_transfer?": DICT,
                "updated_at?": STR,
                "user_id?": STR,
            }
        ),
        "session_transfer_token?": Obj(
            {
                "client_id": STR,
                "request": Obj({"asn?": STR, "geoip?": f.GEOIP, "ip": STR, "user_agent?": STR}),
                "scope": STRINGS,
            }
        ),
        "stats": Obj({"logins_count": NUM}),
        "tenant": f.TENANT,
        "transaction?": Obj(
            {
                "id?": STR,
                "acr_values?": STRINGS,
                "linking_id?": STR,
                "locale?": STR,
                "login_hint?": STR,
                "prompt?": STRINGS,
                "protocol?": f.PROTOCOL,
                "redirect_uri?": STR,
                "requested_authorization_details?": Arr(DICT),
                "requested_scopes?": STRINGS,
                "response_mode?": f.RESPONSE_MODE,
                "response_type?": STRINGS,
                "state?": STR,
                "ui_locales?": STRINGS,
                "actor?": Obj({"sub": STR}),
                "actor_token_type?": STR,
                "correlation_id?": STR,
                "metadata?": DictOf(Union(STR, NUM, BOOL)),
                "subject_token_type?": STR,
            }
        ),
        "user": f.USER_FULL,
    }
)

_DEVICE_SAMPLE = {
    "initial_asn": "AS13322",
    "initial_ip": "0.0.0.1",
    "initial_user_agent": "sample-user-agent",
    "last_asn": "AS13335",
    "last_ip": "0.0.0.0",  # noqa: S104 - a sample event's IP address
    "last_user_agent": "sample-user-agent",
}

# Reference 2.1 (@auth0/actions post-login/v3 example event), placeholders filled in.
SAMPLE = {
    "transaction": {
        "id": "nZniEmn3ejOpcV46_ac1CxJCuO_gAuwR",
        "acr_values": [],
        "locale": "en",
        "requested_scopes": [],
        "ui_locales": ["en"],
        "protocol": "oidc-basic-profile",
        "redirect_uri": "http://someuri.com",
        "prompt": ["none"],
        "login_hint": "test@test.com",
        "response_mode": "form_post",
        "response_type": ["id_token"],
        "state": "AABBccddEEFFGGTTasrs",
        "requested_authorization_details": [{"type": "foo"}],
        "linking_id": "abc_dynamic_linking_id_123",
        "correlation_id": "abcefg123",
        "subject_token_type": "http://acme.com/subject-token",
        "actor": {
            "sub": "actor-sub",
            "act": {
                "sub": "actor-sub-level-2",
                "act": {
                    "sub": "actor-sub-level-3",
                    "act": {"sub": "actor-sub-level-4", "act": {"sub": "actor-sub-level-5"}},
                },
            },
        },
        "actor_token_type": "http://my-idp/id-token",
        "metadata": {},
    },
    "agent": {"agent_id": "agt_abc123", "name": "My Agent", "agent_metadata": {"env": "production"}},
    "anonymous_session": {
        "user_id": "anon@5bdbd57d-cb7a-4cbb-b938-c0499a31ad52",
        "session_id": "anon_sess@f727e268-46da-4c7d-ad57-b8c80318c295",
        "created_at": "2024-01-01T00:00:00.000Z",
        "expires_at": "2024-01-01T01:00:00.000Z",
        "metadata": {"source": "web"},
    },
    "authentication": {
        "methods": [
            {"name": "mfa", "timestamp": "2018-11-13T20:20:39+00:00", "type": "email"},
            {"name": "passkey", "timestamp": "2018-11-13T20:22:13+00:00"},
        ],
        "riskAssessment": {
            "confidence": "low",
            "version": "1",
            "assessments": {
                "UntrustedIP": {
                    "confidence": "low",
                    "code": "found_on_deny_list",
                    "details": {
                        "ip": "1.1.1.1",
                        "matches": "1.1.1.1/32",
                        "source": "STOPFORUMSPAM-1",
                        "category": "abuse",
                    },
                },
                "NewDevice": {
                    "confidence": "low",
                    "code": "no_match",
                    "details": {"device": "unknown", "useragent": "unknown"},
                },
                "ImpossibleTravel": {"confidence": "low", "code": "impossible_travel_from_last_login"},
                "AgentDetection": {
                    "code": "verified_agent",
                    "confidence": "neutral",
                    "details": {"provider": "openai"},
                },
            },
            "supplemental": {"akamai": AKAMAI},
        },
    },
    "authorization": {"roles": []},
    "connection": {
        "id": "con_fpe5kj482KO1eOzQ",
        "name": "Username-Password-Authentication",
        "strategy": "auth0",
        "metadata": {},
    },
    "custom_domain": {
        "domain": "login.example.com",
        "domain_metadata": {"environment": "production", "region": "us-west-2"},
    },
    "experiment": {
        "experiment_id": "exp_abc123",
        "variation_id": "var_abc123",
        "variation_name": "Treatment",
        "variation_description": "New login experience",
        "config": {"theme": {"value": "dark"}, "max_attempts": {"value": 5}, "feature_enabled": {"value": True}},
        "is_control": False,
    },
    "organization": {
        "display_name": "My Organization",
        "id": "org_juG7cAQ0CymOcVpV",
        "metadata": {},
        "name": "my-organization",
    },
    "prompt": {"id": "prompt_1234567890", "vars": {}, "fields": {}},
    "resource_server": {"identifier": API_IDENTIFIER},
    "tenant": {"id": TENANT_ID},
    "secrets": {},
    "session": {
        "id": "sess_123fake",
        "device": {
            "initial_asn": "AS13322",
            "last_asn": "AS13335",
            "initial_ip": "0.0.0.1",
            "last_ip": "0.0.0.0",  # noqa: S104 - Auth0's example event, placeholders as they are
            "initial_user_agent": "sample",
            "last_user_agent": "sample",
        },
        "user_id": USER_ID,
        "created_at": DATE,
        "updated_at": DATE,
        "authenticated_at": DATE,
        "idle_expires_at": DATE,
        "expires_at": DATE,
        "last_interacted_at": DATE,
        "clients": [{"client_id": CLIENT_ID}],
        "cookie": {"mode": "persistent"},
        "session_transfer": {
            "parent_refresh_token": {"id": "rt_456parent-fake", "metadata": {"foo": "bar", "fizz": "buzz"}}
        },
        "metadata": {"foo": "bar", "fizz": "buzz"},
        "actor": {"sub": "auth0|actor"},
    },
    "session_transfer_token": {
        "client_id": CLIENT_ID,
        "scope": ["sample-scope"],
        "request": {"ip": "0.0.0.1", "asn": "AS13322", "user_agent": "sample-user-agent", "geoip": GEOIP},
    },
    "refresh_token": {
        "id": "rt_123fake",
        "user_id": USER_ID,
        "created_at": DATE,
        "expires_at": DATE,
        "idle_expires_at": DATE,
        "client_id": CLIENT_ID,
        "session_id": "sess_123fake",
        "rotating": True,
        "resource_servers": [{"audience": f"{TENANT_ID}.auth0.com", "scopes": "scope"}],
        "device": _DEVICE_SAMPLE,
        "last_exchanged_at": DATE,
        "session_transfer": {"parent_refresh_token": {"id": "rt_456parent-fake"}},
        "metadata": {"foo": "bar", "fizz": "buzz"},
        "access": "offline",
    },
    "configuration": {},
    "client": {
        "authentication": {
            "type": "self_signed_tls_client_auth",
            "certificate": {
                "raw": "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----",
                "subject": "CN=client.example.com",
                "subjectAltName": "DNS:client.example.com, IP:127.0.0.1",
                "thumbprint256": "qrvM3e7_ABEiM0RVZneImaq7zN3u_wARIjNEVWZ3iJk",
            },
        },
        "client_id": CLIENT_ID,
        "external_client_id": "https://example.com/oauth-client.json",
        "name": "All Applications",
        "external_metadata_type": "cimd",
        "metadata": {},
        "refresh_token": {"policies": [{"audience": "https://my-test-api", "scope": ["read:notes"]}]},
    },
    "request": {
        "ip": "13.33.86.47",
        "asn": "AS13335",
        "method": "GET",
        "query": {
            "protocol": "oauth2",
            "client_id": CLIENT_ID,
            "response_type": "code",
            "connection": "Username-Password-Authentication",
            "prompt": "login",
            "scope": "openid profile",
            "redirect_uri": "https://example/tester/callback?connection=Username-Password-Authentication",
        },
        "body": {},
        "geoip": GEOIP,
        "hostname": HOSTNAME,
        "language": "en",
        "user_agent": "curl/7.64.1",
    },
    "stats": {"logins_count": 62},
    "user": {
        "app_metadata": {},
        "created_at": DATE,
        "email_verified": True,
        "email": "j+smith@example.com",
        "family_name": "Smith",
        "given_name": "John",
        "identities": [
            {
                "connection": "Username-Password-Authentication",
                "isSocial": False,
                "provider": "auth0",
                "userId": "5f7c8ec7c33c6c004bbafe82",
                "accessToken": JWT_SAMPLE,
                "profileData": {},
                "user_id": "5f7c8ec7c33c6c004bbafe82",
            }
        ],
        "last_password_reset": DATE,
        "name": "j+smith@example.com",
        "nickname": "j+smith",
        "phone_number": "18882352699",
        "phone_verified": False,
        "picture": "http://www.gravatar.com/avatar/?d=identicon",
        "updated_at": DATE,
        "user_id": USER_ID,
        "user_metadata": {},
        "username": "jsmith",
        "multifactor": [],
        "enrolledFactors": [],
    },
    "security_context": {"ja3": "c13a3e168d43e62e0ad96fae6347e2e4", "ja4": "t13d1516h2_8daaf6152771_02713d6af862"},
}

TRIGGER = Trigger(
    id="post-login",
    version="v3",
    handler="on_execute_post_login",
    continue_handler="on_continue_post_login",
    blocking=True,
    title="Login / Post Login",
    description="Runs after a user authenticates (login, signup, SSO, silent auth, refresh token, ROPG), "
    "before tokens are issued: deny, add claims and scopes, require MFA, redirect, update metadata.",
    sample=SAMPLE,
    schema=SCHEMA,
    namespaces={
        "access": DenyApi,
        "access_token": AccessTokenApi,
        "id_token": IdTokenApi,
        "authentication": LoginAuthenticationApi,
        "multifactor": MultifactorApi,
        "redirect": LoginRedirectApi,
        "user": UserApi,
        "saml_response": SamlResponseApi,
        "validation": ValidationApi,
        "rules": RulesApi,
        "prompt": PromptApi,
        "refresh_token": RefreshTokenApi,
        "session": SessionApi,
        "transaction": LoginTransactionApi,
        "groups": GroupsApi,
        "roles": RolesApi,
    },
    outcome={
        "access_token_claims": fold.merged("access_token.set_custom_claim"),
        "id_token_claims": fold.merged("id_token.set_custom_claim"),
        "scopes": fold.scopes,
        "app_metadata": fold.merged("user.set_app_metadata"),
        "user_metadata": fold.merged("user.set_user_metadata"),
        "multifactor": fold.last("multifactor.enable"),
        "redirect": fold.last("redirect.send_user_to"),
        "challenge": fold.last("authentication.challenge_with", "authentication.challenge_with_any"),
        "enrollment": fold.last("authentication.enroll_with", "authentication.enroll_with_any"),
        "mfa_commands": fold.sequence(*MFA_COMMANDS),
        "prompt": fold.last("prompt.render"),
        "recorded_methods": fold.collected("authentication.record_method", "provider_url"),
        "primary_user_id": fold.first_field("authentication.set_primary_user", "primary_user_id"),
        "saml_response": fold.saml_response,
        "session": fold.expiring("session", cookie=True),
        "refresh_token": fold.expiring("refresh_token"),
        "target_scopes": fold.target_scopes,
        "validation_error": fold.last("validation.error"),
    },
    can_suspend=True,
    user_metadata_in_event=True,
    flow_limits=(mfa_command_limit,),
)
