"""Helpers for driving panels from Python: no frontend, no kernel (comm's DummyComm)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import pytest

POST_LOGIN = """
async def on_execute_post_login(event, api):
    print("checking", event.user.email)
    api.id_token.set_custom_claim("https://example.com/email", event.user.email)
    if "admin" in (event.authorization.roles or []):
        api.multifactor.enable("any")
    if event.request.geoip.countryCode != "US":
        api.access.deny("logins from " + event.request.geoip.countryCode + " are blocked")
"""


def descendants(widget: Any) -> Iterator[Any]:
    """The widget and every widget inside it (boxes' children, recursively)."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def state_text(widget: Any) -> str:
    """Every synced trait of every descendant (value, description, options ...), as one text."""
    return "\n".join(repr(w.get_state()) for w in descendants(widget))


def plain(markup: str) -> str:
    """The text a reader sees in an HTML fragment: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.fixture
def action(tenant) -> str:
    tenant.save_draft("geo-mfa", "post-login", POST_LOGIN)
    return "geo-mfa"
