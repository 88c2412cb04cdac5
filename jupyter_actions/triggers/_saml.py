"""``api.saml_response``: SAML attributes and settings of the SAML response (post-login).

Every setter returns ``api``. Settings are validated like Auth0's
``PostLoginSetSAMLConfigurationInput`` schema; commands use the Python (snake_case) names.
"""

from __future__ import annotations

import json
from typing import Any

from ._api import Namespace, to_json
from ._checks import A, E, O, S, Spec, T, check

MAX_SAML_BYTES = 102400
MAX_SAML_ATTRIBUTES = 100

# setting name -> its schema (Auth0 limits: 512 / 2048 / 4096 characters ...)
SETTINGS: dict[str, Spec] = {
    "audience": S(max_len=2048),
    "recipient": S(max_len=2048),
    "create_upn_claim": T("boolean"),
    "passthrough_claims_with_no_mapping": T("boolean"),
    "map_unknown_claims_as_is": T("boolean"),
    "map_identities": T("boolean"),
    "signature_algorithm": E("rsa-sha256", "rsa-sha1"),
    "digest_algorithm": E("sha256", "sha1"),
    "destination": S(max_len=2048),
    "lifetime_in_seconds": T("number"),
    "sign_response": T("boolean"),
    "name_identifier_format": S(max_len=512),
    "name_identifier_probes": A(S(max_len=512), max_items=10),
    "authn_context_class_ref": S(max_len=512),
    "signing_cert": S(max_len=4096),
    "include_attribute_name_format": T("boolean"),
    "typed_attributes": T("boolean"),
    "encryption_cert": S(max_len=4096),
    "encryption_public_key": S(max_len=4096),
    "cert": S(max_len=4096),
    "key": S(max_len=4096),
    "relay_state": S(max_len=512),
    "issuer": S(max_len=512),
    "encryption_algorithm": E("aes256-gcm", "aes256-cbc"),
}
_ATTRIBUTE_INPUT = O(
    {
        "attribute": S(max_len=1024),
        "value": T(
            "string",
            "number",
            "boolean",
            "null",
            "array",
            max_len=2048,
            items=T("string", "number", "boolean", max_len=2048),
        ),
    },
    required=("attribute",),
)


def saml_attributes(commands: list[dict]) -> dict:
    """The attributes set so far (None = removed), later calls win."""
    attributes: dict[str, Any] = {}
    for command in commands:
        if command.get("type") == "saml_response.set_attribute":
            attributes[command["attribute"]] = command["value"]
    return attributes


class SamlResponseApi(Namespace):
    namespace = "saml_response"

    def set_attribute(self, attribute: str, value: Any) -> Any:
        """Set (or, with None, remove) a SAML attribute."""
        attributes = saml_attributes(self._session.prior_commands + self._session.commands)
        attributes[attribute] = value
        try:
            size = len(json.dumps(attributes, default=str).encode("utf-8"))
        except (TypeError, ValueError):
            size = 0  # the schema check below reports the bad value
        if size > MAX_SAML_BYTES:
            raise ValueError(f"The total size of the SAML attributes exceeds the limit of {MAX_SAML_BYTES} bytes.")
        check(_ATTRIBUTE_INPUT, {"attribute": attribute, "value": value})
        if len(attributes) > MAX_SAML_ATTRIBUTES:
            raise ValueError(f"The number of SAML attributes exceeds the limit of {MAX_SAML_ATTRIBUTES}.")
        self._record("set_attribute", attribute=attribute, value=to_json(value, "The SAML attribute value"))
        return self._api

    def _setting(self, name: str, value: Any) -> Any:
        # An invalid setting fails the execution (Auth0 discards the flow's other commands).
        check(O({name: SETTINGS[name]}), {name: value})
        self._record(f"set_{name}", **{name: to_json(value, name)})
        return self._api

    def set_audience(self, audience: str) -> Any:
        return self._setting("audience", audience)

    def set_recipient(self, recipient: str) -> Any:
        return self._setting("recipient", recipient)

    def set_create_upn_claim(self, create_upn_claim: bool) -> Any:
        return self._setting("create_upn_claim", create_upn_claim)

    def set_passthrough_claims_with_no_mapping(self, passthrough_claims_with_no_mapping: bool) -> Any:
        return self._setting("passthrough_claims_with_no_mapping", passthrough_claims_with_no_mapping)

    def set_map_unknown_claims_as_is(self, map_unknown_claims_as_is: bool) -> Any:
        return self._setting("map_unknown_claims_as_is", map_unknown_claims_as_is)

    def set_map_identities(self, map_identities: bool) -> Any:
        return self._setting("map_identities", map_identities)

    def set_signature_algorithm(self, signature_algorithm: str) -> Any:
        return self._setting("signature_algorithm", signature_algorithm)

    def set_digest_algorithm(self, digest_algorithm: str) -> Any:
        return self._setting("digest_algorithm", digest_algorithm)

    def set_destination(self, destination: str) -> Any:
        return self._setting("destination", destination)

    def set_lifetime_in_seconds(self, lifetime_in_seconds: float) -> Any:
        return self._setting("lifetime_in_seconds", lifetime_in_seconds)

    def set_sign_response(self, sign_response: bool) -> Any:
        return self._setting("sign_response", sign_response)

    def set_name_identifier_format(
        self, name_identifier_format: str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
    ) -> Any:
        return self._setting("name_identifier_format", name_identifier_format)

    def set_name_identifier_probes(self, name_identifier_probes: list) -> Any:
        return self._setting("name_identifier_probes", name_identifier_probes)

    def set_authn_context_class_ref(self, authn_context_class_ref: str) -> Any:
        return self._setting("authn_context_class_ref", authn_context_class_ref)

    def set_signing_cert(self, signing_cert: str) -> Any:
        return self._setting("signing_cert", signing_cert)

    def set_include_attribute_name_format(self, include_attribute_name_format: bool) -> Any:
        return self._setting("include_attribute_name_format", include_attribute_name_format)

    def set_typed_attributes(self, typed_attributes: bool) -> Any:
        return self._setting("typed_attributes", typed_attributes)

    def set_encryption_cert(self, encryption_cert: str) -> Any:
        return self._setting("encryption_cert", encryption_cert)

    def set_encryption_public_key(self, encryption_public_key: str) -> Any:
        return self._setting("encryption_public_key", encryption_public_key)

    def set_cert(self, cert: str) -> Any:
        return self._setting("cert", cert)

    def set_key(self, key: str) -> Any:
        """The private key (PEM): keep it in a secret."""
        return self._setting("key", key)

    def set_relay_state(self, relay_state: str) -> Any:
        return self._setting("relay_state", relay_state)

    def set_issuer(self, issuer: str) -> Any:
        return self._setting("issuer", issuer)

    def set_encryption_algorithm(self, encryption_algorithm: str) -> Any:
        return self._setting("encryption_algorithm", encryption_algorithm)
