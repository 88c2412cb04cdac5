"""Shared parts of custom-email-provider and custom-phone-provider."""

from __future__ import annotations

from . import _fold as fold
from ._notification import NotificationApi

NAMESPACES = {"notification": NotificationApi}
OUTCOME = {"notification": fold.notification}
