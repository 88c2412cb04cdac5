"""The logs of the JupyterLab extension, in a real JupyterLab driven by Chromium.

Flows run through the Python API (allowed, denied, erroring); the test opens Action Logs from
the command palette, sees the chart, filters by status, opens an execution's details and reads
its logs; a secret value set on an action appears in no response and nowhere in the page.
Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import copy

import pytest

from jupyter_actions.tenant import Tenant
from jupyter_actions.triggers import get_trigger

from .test_lab_flows import open_lab, run_command, shoot

pytestmark = pytest.mark.browser

SECRET = "sk-live-SECRET-9f8e7d"
GREET = """async def on_execute_post_login(event, api):
    print("greeting", event.user.email, "with", event.secrets.API_KEY)
    api.id_token.set_custom_claim("https://example.com/key", event.secrets.API_KEY)
"""
GEO = """async def on_execute_post_login(event, api):
    country = event.request.geoip.countryCode
    print("login from", country)
    if country != "US":
        api.access.deny(f"logins from {country} are blocked")
"""
FRAGILE = """async def on_execute_post_login(event, api):
    print("checking", event.user.email)
    if event.user.email.startswith("broken"):
        raise RuntimeError("the profile service is down")
"""


def listed_after(page, panel, act) -> None:
    """Do `act` (a Search, a page button) and wait until the list it asked for has arrived."""
    table = panel.locator(".jp-ActionsLogs-table")
    before = int(table.get_attribute("data-generation") or 0)
    act()
    page.wait_for_function(
        "n => Number(document.querySelector('.jp-ActionsLogs-table').dataset.generation) > n", arg=before
    )


@pytest.fixture(scope="module")
def executed(lab):
    with Tenant(home=lab.home) as tenant:
        tenant.save_draft("greet", "post-login", GREET, secret_values={"API_KEY": SECRET}, deploy=True)
        tenant.save_draft("geo", "post-login", GEO, deploy=True)
        tenant.save_draft("fragile", "post-login", FRAGILE, deploy=True)
        tenant.bind("post-login", ["greet", "geo", "fragile"])
        sample = get_trigger("post-login").sample_payload()
        us = copy.deepcopy(sample)
        us["request"]["geoip"]["countryCode"] = "US"
        fr = copy.deepcopy(us)
        fr["request"]["geoip"]["countryCode"] = "FR"
        broken = copy.deepcopy(us)
        broken["user"]["email"] = "broken@example.com"
        runs = [tenant.run_flow("post-login", event) for event in (us, us, fr, broken)]
        assert [r.outcome["status"] for r in runs] == ["allowed", "allowed", "denied", "failed"]
        return {r.outcome["status"]: r.id for r in runs}


def test_logs_filters_details_and_no_secret(executed, lab, page):
    from playwright.sync_api import Error as PlaywrightError  # only where browser tests run

    bodies: list[str] = []

    def keep(response) -> None:
        if "/jupyter-actions/api/v2/" in response.url:
            try:
                bodies.append(response.text())
            except PlaywrightError:  # a response without a body (redirect, aborted)
                pass

    page.on("response", keep)
    open_lab(page, lab)
    run_command(page, "Open Action Logs")
    panel = page.locator(".jp-ActionsLogs")
    rows = panel.locator(".jp-ActionsLogs-row")
    rows.nth(3).wait_for()
    assert rows.count() == 4
    assert sorted(rows.evaluate_all("r => r.map(x => x.dataset.outcome)")) == ["allowed", "allowed", "denied", "failed"]
    # the chart: one stacked rectangle per outcome present, counting every listed execution
    chart = panel.locator(".jp-ActionsLogs-chart svg")
    assert chart.get_attribute("aria-label") == "Outcomes and median latency of 4 executions"
    assert sorted(set(chart.locator("rect").evaluate_all("r => r.map(x => x.dataset.status)"))) == [
        "allowed",
        "denied",
        "failed",
    ]
    assert chart.locator("polyline").count() == 1
    panel.locator(".jp-ActionsLogs-row[data-outcome='failed']").get_by_text(
        "fragile: RuntimeError: the profile service is down"
    ).wait_for()
    shoot(page, "logs-1-list")

    # Filter by status: denied only.
    panel.locator("select[name='status']").select_option("denied")
    listed_after(page, panel, panel.get_by_role("button", name="Search").click)
    assert rows.evaluate_all("r => r.map(x => x.dataset.execution)") == [executed["denied"]]
    assert "logins from FR are blocked" in rows.first.inner_text()
    shoot(page, "logs-2-filtered-denied")

    # Details of the denied one: each action's logs, the commands.
    rows.first.click()
    details = panel.locator(".jp-ActionsLogs-details")
    details.get_by_text(executed["denied"]).wait_for()
    geo = details.locator(".jp-ActionsLogs-step[data-action='geo']")
    assert geo.locator(".jp-ActionsLogs-logs").inner_text().strip() == "login from FR"
    assert "access.deny" in geo.locator(".jp-ActionsLogs-commands").inner_text()
    greet = details.locator(".jp-ActionsLogs-step[data-action='greet']")
    assert "greeting" in greet.locator(".jp-ActionsLogs-logs").inner_text()
    assert "[REDACTED]" in greet.locator(".jp-ActionsLogs-logs").inner_text()
    assert details.locator(".jp-ActionsLogs-step[data-action='fragile']").count() == 0  # the deny stopped the flow
    shoot(page, "logs-3-details-denied")

    # The erroring one, by keyboard: its error and traceback.
    panel.locator("select[name='status']").select_option("failed")
    listed_after(page, panel, panel.get_by_role("button", name="Search").click)
    assert rows.evaluate_all("r => r.map(x => x.dataset.execution)") == [executed["failed"]]
    rows.first.focus()
    page.keyboard.press("Enter")
    details.get_by_text(executed["failed"]).wait_for()
    fragile = details.locator(".jp-ActionsLogs-step[data-action='fragile']")
    assert fragile.locator(".jp-ActionsLogs-stepError").inner_text() == "RuntimeError: the profile service is down"
    assert "Traceback" in fragile.locator(".jp-ActionsLogs-stack").inner_text()
    assert fragile.locator(".jp-ActionsLogs-logs").inner_text().strip() == "checking broken@example.com"
    details.get_by_text("Input event (as recorded, redacted)").click()
    assert "broken@example.com" in details.locator(".jp-ActionsLogs-event pre").inner_text()
    shoot(page, "logs-4-details-failed")

    # A bad time filter is one line, and nothing is asked.
    panel.locator("input[name='since']").fill("2030-01-02T10:00")
    panel.locator("input[name='until']").fill("2030-01-01T10:00")
    panel.get_by_role("button", name="Search").click()
    assert panel.get_by_role("alert").inner_text().startswith("since (")

    # The secret's value: in no response of the API, nowhere in the page.
    assert bodies, "the panel made no API call"
    assert not [b for b in bodies if SECRET in b]
    assert SECRET not in page.content()
    assert SECRET not in page.evaluate("document.body.innerText")


def test_logs_paging(executed, lab, page):
    with Tenant(home=lab.home) as tenant:
        event = get_trigger("post-login").sample_payload()
        event["request"]["geoip"]["countryCode"] = "US"
        for _ in range(21):  # 25 in all: pages of 20 and 5
            tenant.run_flow("post-login", event)
    open_lab(page, lab)
    run_command(page, "Open Action Logs")
    panel = page.locator(".jp-ActionsLogs")
    rows = panel.locator(".jp-ActionsLogs-row")
    panel.get_by_text("Page 1").wait_for()
    rows.nth(19).wait_for()
    assert rows.count() == 20
    first_page = rows.evaluate_all("r => r.map(x => x.dataset.execution)")
    listed_after(page, panel, panel.get_by_role("button", name="Older").click)
    panel.get_by_text("Page 2").wait_for()
    assert rows.count() == 5
    second_page = rows.evaluate_all("r => r.map(x => x.dataset.execution)")
    assert not set(first_page) & set(second_page)
    assert panel.get_by_role("button", name="Older").is_disabled()
    shoot(page, "logs-5-page-2")
    listed_after(page, panel, panel.get_by_role("button", name="Newer").click)
    panel.get_by_text("Page 1").wait_for()
    assert rows.evaluate_all("r => r.map(x => x.dataset.execution)") == first_page
    rows.first.click()
    panel.locator(".jp-ActionsLogs-details").wait_for()

    run_command(page, "Use Theme: JupyterLab Dark")
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'")
    page.wait_for_timeout(500)  # the theme's stylesheet applies
    background = panel.evaluate("p => getComputedStyle(p).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    shoot(page, "logs-6-dark")


def test_live_lists_new_executions_without_a_search(executed, lab, page):
    """Live on: a flow run elsewhere (here the Python API, as an application would) shows up on
    the first page within a few seconds; Live off: the list stays as it was."""
    open_lab(page, lab)
    run_command(page, "Open Action Logs")
    panel = page.locator(".jp-ActionsLogs")
    rows = panel.locator(".jp-ActionsLogs-row")
    rows.first.wait_for()
    event = get_trigger("post-login").sample_payload()
    event["request"]["geoip"]["countryCode"] = "DE"
    with Tenant(home=lab.home) as tenant:
        unseen = tenant.run_flow("post-login", event).id
    page.wait_for_timeout(4_000)  # longer than Live's interval: nothing asks while Live is off
    assert panel.locator(f".jp-ActionsLogs-row[data-execution='{unseen}']").count() == 0
    panel.get_by_label("Live").check()
    panel.locator(f".jp-ActionsLogs-row[data-execution='{unseen}']").wait_for(timeout=10_000)
    with Tenant(home=lab.home) as tenant:
        newest = tenant.run_flow("post-login", event).id
    started = page.evaluate("performance.now()")
    panel.locator(f".jp-ActionsLogs-row[data-execution='{newest}']").wait_for(timeout=10_000)
    seconds = (page.evaluate("performance.now()") - started) / 1000
    assert rows.first.get_attribute("data-execution") == newest
    print(f"a new execution listed by Live after {seconds:.1f} s")
    shoot(page, "logs-7-live")
