"""``api.transaction``: transaction metadata, target scopes and the reset result URL.

Transaction metadata (post-login) is mirrored into ``event.transaction.metadata`` at once and
shared with later actions of the same execution; it is not persisted. Limits (Auth0 docs):
key <= 64 characters, string/number/boolean values (None removes), value <= 8 KB, all
metadata <= 16 KB, safe integers only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._api import Namespace, is_number, option
from ._claims import MAX_SCOPE_COUNT, valid_scope
from ._redirect import url_with_query

MAX_KEY_LENGTH = 64
MAX_VALUE_BYTES = 8 * 1024
MAX_TOTAL_BYTES = 16 * 1024
MAX_SAFE_INTEGER = 2**53 - 1
NOT_IMPLEMENTED = "Method not implemented."
LOGIN_TARGET_SCOPES_FLAG = "actions_pl_transaction_target_scopes"
EXCHANGE_METADATA_FLAG = "actions_cte_transaction_metadata"


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode("utf-8"))


class _TransactionBase(Namespace):
    namespace = "transaction"

    def _transaction(self) -> dict:
        """``event.transaction``, created when missing (it is optional on the event)."""
        transaction = self._event.get("transaction")
        if not isinstance(transaction, dict):
            transaction = self._event["transaction"] = {}
        return transaction

    def _mirror(self, command: dict) -> None:
        self._session.mirror(lambda event: mirror(event, command))

    def _require_flag(self, flag: str | None) -> None:
        if flag is not None and flag not in self._session.feature_flags:
            raise NotImplementedError(NOT_IMPLEMENTED)


class _MetadataMixin(_TransactionBase):
    metadata_flag: str | None = None

    def set_metadata(self, key: str, value: str | float | bool | None) -> None:
        """Share ``key`` with later actions through ``event.transaction.metadata``."""
        self._require_flag(self.metadata_flag)
        if not isinstance(key, str):
            raise TypeError("The transaction metadata key must be a string.")
        if len(key) > MAX_KEY_LENGTH:
            raise ValueError(f"The transaction metadata key exceeds the maximum length of {MAX_KEY_LENGTH} characters.")
        if value is not None and not isinstance(value, (str, bool)) and not is_number(value):
            raise TypeError(
                "The transaction metadata value must be a string, number or boolean "
                "(serialise objects with json.dumps), or None to remove the key."
            )
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INTEGER:
            raise ValueError("The transaction metadata value must be a safe integer (at most 2**53 - 1).")
        if value is not None and _size(value) > MAX_VALUE_BYTES:
            raise ValueError(f"The transaction metadata value exceeds the maximum size of {MAX_VALUE_BYTES} bytes.")
        if _size(_updated_metadata(self._transaction().get("metadata"), key, value)) > MAX_TOTAL_BYTES:
            raise ValueError(f"The transaction metadata exceeds the maximum total size of {MAX_TOTAL_BYTES} bytes.")
        self._mirror(self._record("set_metadata", key=key, value=value))


class _TargetScopesMixin(_TransactionBase):
    """The live target scope set, mirrored into ``event.transaction.target_scopes``."""

    target_scopes_flag: str | None = None

    def _scopes(self) -> list[str]:
        return _current_scopes(self._event)

    def _store(self, method: str, **fields: Any) -> None:
        self._mirror(self._record(method, **fields))

    def add_target_scope(self, scope: str) -> None:
        self._require_flag(self.target_scopes_flag)
        scope = valid_scope(scope)
        scopes = self._scopes()
        if scope not in scopes:
            if len(scopes) >= MAX_SCOPE_COUNT:
                raise ValueError(f"The number of scopes exceeds the allowed maximum of {MAX_SCOPE_COUNT}.")
        self._store("add_target_scope", scope=scope)

    def remove_target_scope(self, scope: str) -> None:
        self._require_flag(self.target_scopes_flag)
        scope = valid_scope(scope)
        self._store("remove_target_scope", scope=scope)

    def set_target_scopes(self, scopes: list[str]) -> None:
        self._require_flag(self.target_scopes_flag)
        if not isinstance(scopes, (list, tuple)):
            raise TypeError("The value for scopes must be an array.")
        if not scopes:
            return self.clear_target_scopes()
        unique: list[str] = []
        for scope in [valid_scope(s) for s in scopes]:
            if scope not in unique:
                unique.append(scope)
        if len(unique) > MAX_SCOPE_COUNT:
            raise ValueError(f"The number of scopes exceeds the allowed maximum of {MAX_SCOPE_COUNT}.")
        self._store("set_target_scopes", scopes=list(unique))

    def clear_target_scopes(self) -> None:
        self._require_flag(self.target_scopes_flag)
        self._store("clear_target_scopes")


class LoginTransactionApi(_MetadataMixin, _TargetScopesMixin):
    """post-login: metadata; target scopes only behind Auth0's feature flag."""

    target_scopes_flag = LOGIN_TARGET_SCOPES_FLAG


class ExchangeTransactionApi(_TargetScopesMixin):
    """credentials-exchange: target scopes (intersected with the client grant by Auth0)."""


class TokenExchangeTransactionApi(_MetadataMixin):
    """custom-token-exchange: metadata only behind Auth0's feature flag."""

    metadata_flag = EXCHANGE_METADATA_FLAG


class ResetTransactionApi(_TransactionBase):
    """password-reset-post-challenge: where the user goes after the reset."""

    def set_result_url(self, url: str, options: Mapping | None = None, *, query: Mapping | None = None) -> None:
        self._record("set_result_url", url=url_with_query(url, option(options, "query", query)))


MIRRORED_COMMANDS = frozenset(
    {
        "transaction.set_metadata",
        "transaction.add_target_scope",
        "transaction.remove_target_scope",
        "transaction.set_target_scopes",
        "transaction.clear_target_scopes",
    }
)


def mirror(event: dict, command: dict) -> None:
    """Mirror one transaction command into ``event.transaction`` as Auth0 does at once: the
    api calls this for the running action, the flow for the actions after it."""
    kind = command["type"]
    transaction = event.get("transaction")
    if not isinstance(transaction, dict):
        transaction = event["transaction"] = {}
    if kind == "transaction.set_metadata":
        transaction["metadata"] = _updated_metadata(transaction.get("metadata"), command["key"], command["value"])
        return
    scopes = _current_scopes(event)
    if kind == "transaction.add_target_scope":
        if command["scope"] not in scopes:
            scopes.append(command["scope"])
    elif kind == "transaction.remove_target_scope":
        scopes = [s for s in scopes if s != command["scope"]]
    elif kind == "transaction.set_target_scopes":
        scopes = list(command["scopes"])
    else:
        scopes = []
    transaction["target_scopes"] = scopes


def _updated_metadata(current: Any, key: str, value: Any) -> dict:
    metadata = dict(current) if isinstance(current, dict) else {}
    if value is None:
        metadata.pop(key, None)
    else:
        metadata[key] = value
    return metadata


def _current_scopes(event: dict) -> list[str]:
    """The live target scopes: ``event.transaction.target_scopes`` once set, else the token's."""
    transaction = event.get("transaction")
    scopes = transaction.get("target_scopes") if isinstance(transaction, dict) else None
    if not isinstance(scopes, list):
        token = event.get("accessToken")
        initial = token.get("scope") if isinstance(token, dict) else None
        scopes = list(initial) if isinstance(initial, list) else []
    return list(scopes)
