"""Execution logs panel: table, filters, paging, details and the outcome/latency chart."""

from __future__ import annotations

import re

import pytest

from jupyter_actions.tenant import Tenant
from jupyter_actions.triggers import get_trigger
from jupyter_actions.widgets import _logs, logs_panel

from .conftest import POST_LOGIN, plain

LOUD = (
    "async def on_execute_post_login(event, api):\n"
    "    print('seen', event.user.email)\n"
    "    if event.user.email.startswith('boom'):\n"
    "        raise RuntimeError('kaput')\n"
)


def event(email: str = "j+smith@example.com", country: str = "US") -> dict:
    payload = get_trigger("post-login").sample_payload()
    payload["user"]["email"] = email
    payload["request"]["geoip"]["countryCode"] = country
    return payload


@pytest.fixture
def flows(tenant) -> Tenant:
    tenant.save_draft("geo-mfa", "post-login", POST_LOGIN, deploy=True)
    tenant.save_draft("loud", "post-login", LOUD, deploy=True)
    tenant.bind("post-login", ["loud", "geo-mfa"])
    for i in range(22):
        tenant.run_flow("post-login", event(f"user{i}@example.com"))
    tenant.run_flow("post-login", event("denied@example.com", country="FR"))
    tenant.run_flow("post-login", event("boom@example.com"))
    return tenant


def rows(panel) -> list[str]:
    return [plain(row) for row in panel.listing.value.split("<tr>")[2:]]


def test_table_pages_through_recent_executions(flows):
    panel = logs_panel(flows)
    assert len(rows(panel)) == 20 and panel.page_label.value == "1–20"
    newest = rows(panel)[0]
    assert "post-login" in newest and "failed" in newest and "loud (error)" in newest and " ms" in newest
    assert "denied" in rows(panel)[1] and "logins from FR are blocked" in rows(panel)[1]
    assert panel.previous_button.disabled and not panel.next_button.disabled

    panel.next_button.click()
    assert len(rows(panel)) == 4 and panel.page_label.value == "21–24" and panel.next_button.disabled
    panel.previous_button.click()
    assert panel.page_label.value == "1–20"


@pytest.mark.slow
def test_filters(flows, monkeypatch):
    panel = logs_panel(flows)
    panel.status.value = "denied"
    assert len(rows(panel)) == 1 and "denied" in rows(panel)[0]
    panel.status.value = "any"
    panel.trigger.value = "pre-user-registration"
    assert rows(panel) == [] and "no executions match" in panel.listing.value

    panel.trigger.value = "any"
    panel.kind.value = "test"
    assert rows(panel) == []
    flows.test("geo-mfa")
    panel.refresh_button.click()
    assert len(rows(panel)) == 1 and "test" in rows(panel)[0]

    panel.kind.value = "any"
    panel.range.value = 3600
    assert panel.page_label.value == "1–20"
    real_time = _logs.time.time
    monkeypatch.setattr(_logs.time, "time", lambda: real_time() + 2 * 3600)  # two hours later
    panel.refresh_button.click()
    assert rows(panel) == [] and panel.filters()["since"] > max(e.created_at for e in flows.executions())


def test_filter_by_action(flows):
    flows.save_draft("other", "post-login", LOUD, deploy=True)
    flows.bind("post-login", ["other"])
    flows.run_flow("post-login", event())
    panel = logs_panel(flows)
    panel.action.value = "other"
    assert len(rows(panel)) == 1 and "other" in rows(panel)[0]
    panel.action.value = "geo-mfa"
    assert len(rows(panel)) == 20 and all("geo-mfa" in row for row in rows(panel))


def test_details_of_one_execution(flows):
    panel = logs_panel(flows)
    assert panel.chosen.value == panel.executions[0].id
    details = plain(panel.details.value)
    assert "loud (v1)" in details and "seen boom@example.com" in details
    assert "action_error: RuntimeError: kaput" in details and "Traceback" in details
    assert "input event" in details and "boom@example.com" in details

    panel.chosen.value = panel.executions[1].id
    details = plain(panel.details.value)
    assert "geo-mfa (v1)" in details and "access.deny" in details and "total_request_duration_ms" in details


def test_chart_has_outcome_bars_and_latency_lines(flows):
    panel = logs_panel(flows)
    svg = panel.chart.value
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    titles = re.findall(r"<title>(\w+): (\d+)</title>", svg)
    assert sum(int(n) for status, n in titles if status == "allowed") == 22
    assert sum(int(n) for status, n in titles if status == "denied") == 1
    assert sum(int(n) for status, n in titles if status == "failed") == 1
    assert "<polyline" in svg and "p50 latency" in svg and "p95 latency" in svg
