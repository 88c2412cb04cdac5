"""A real HTTP provider on 127.0.0.1 for the templates that call one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jupyter_actions.webhook_receiver import WebhookReceiver


@pytest.fixture
def provider() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver
