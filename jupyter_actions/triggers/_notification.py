"""``api.notification`` (custom email and phone providers): retry or drop a delivery."""

from __future__ import annotations

from typing import Any

from ._api import Namespace

MAX_REASON_LENGTH = 1024


def _reason(reason: Any) -> str:
    if not isinstance(reason, str):
        raise TypeError("The reason must be a string.")
    return reason[:MAX_REASON_LENGTH]


class NotificationApi(Namespace):
    """If several calls are made, only the last one counts; reasons are cut at 1024."""

    namespace = "notification"

    def retry(self, reason: str) -> None:
        """The delivery failed but may work later: Auth0 retries up to 5 times."""
        self._record("retry", reason=_reason(reason))

    def drop(self, reason: str) -> None:
        """The delivery failed for good: no retry, the error is logged."""
        self._record("drop", reason=_reason(reason))
