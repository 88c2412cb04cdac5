"""The flow editor of the JupyterLab extension, in a real JupyterLab driven by Chromium.

Three deployed actions are bound through the Python API; the test drags the third card to the
first place with the mouse, sees it marked moved, applies, and reads the new order back with
`jupyter-actions flows show` and the Python API. Discard and keyboard reordering too.
Screenshots go to test-artifacts/browser/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jupyter_actions.tenant import Tenant

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

NAMES = ["alpha", "bravo", "charlie"]
CODE = 'async def on_execute_post_login(event, api):\n    print("{name} ran")\n'


@pytest.fixture(scope="module")
def bound(lab):
    with Tenant(home=lab.home) as tenant:
        for name in NAMES:
            tenant.save_draft(name, "post-login", CODE.format(name=name), deploy=True)
        tenant.save_draft("delta", "post-login", CODE.format(name="delta"), deploy=True)  # deployed, not bound
        tenant.bind("post-login", NAMES)
    return lab


def flow_of_cli(lab) -> list[str]:
    """The order `jupyter-actions flows show post-login --json` prints, with the test's home."""
    cli = Path(sys.executable).parent / "jupyter-actions"
    env = {**os.environ, "JUPYTER_ACTIONS_HOME": str(lab.home)}
    for name in ("JUPYTER_ACTIONS_TENANT", "JUPYTER_ACTIONS_DATABASE_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [str(cli), "flows", "show", "post-login", "--json"], env=env, capture_output=True, text=True, check=True
    )
    return [b["action"]["name"] for b in json.loads(done.stdout)["bindings"]]


def flow_of_api(lab) -> list[str]:
    with Tenant(home=lab.home) as tenant:
        return [b.action.name for b in tenant.flow("post-login")]


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def run_command(page, label: str) -> None:
    """Run a command from the command palette, as a user does. A palette closed under the
    test's feet (a tab the layout restorer activates takes the focus) is opened again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where browser tests run

    for attempt in range(3):
        page.keyboard.press("Control+Shift+C")
        palette = page.locator(".lm-CommandPalette-input")
        try:
            palette.wait_for(timeout=10_000)
            palette.fill(label)
            page.locator(".lm-CommandPalette-item", has_text=label).first.click(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def open_lab(page, lab) -> None:
    page.goto(f"{lab.url}/lab?token={lab.token}")
    page.locator("#jp-main-dock-panel .lm-TabBar-tab").first.wait_for()  # a tab: the layout is restored


def card_names(panel) -> list[str]:
    return panel.locator(".jp-ActionsFlow-card").evaluate_all("cards => cards.map(c => c.dataset.action)")


def expect_cards(panel, names: list[str], timeout: float = 5.0) -> None:
    """The cards show `names` in this order (React renders after the event: wait a little)."""
    deadline = time.monotonic() + timeout
    while card_names(panel) != names and time.monotonic() < deadline:
        time.sleep(0.05)
    assert card_names(panel) == names


def drag(page, source, target, above: bool = True) -> None:
    """Press on `source`, move in steps to just above (or below) `target`'s middle, release."""
    box, goal = source.bounding_box(), target.bounding_box()
    assert box is not None and goal is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    y = goal["y"] + (goal["height"] * (0.25 if above else 0.75))
    page.mouse.move(goal["x"] + goal["width"] / 2, y, steps=12)
    page.mouse.up()


def test_flow_editor_reorders_applies_and_discards(bound, page):
    lab = bound
    open_lab(page, lab)
    run_command(page, "Open Flows")
    panel = page.locator(".jp-ActionsFlow")
    panel.locator(".jp-ActionsFlow-card").nth(2).wait_for()
    assert card_names(panel) == NAMES
    assert panel.locator(".jp-ActionsFlow-card .jp-ActionsFlow-version").all_inner_texts() == ["v1"] * 3
    assert panel.get_by_role("button", name="Apply").is_disabled()
    # the deployed action that is not bound is offered for adding; the bound ones are not
    assert panel.locator(".jp-ActionsFlow-add li").evaluate_all("l => l.map(x => x.dataset.action)") == ["delta"]
    shoot(page, "flow-1-loaded")

    # Drag the third card above the first.
    cards = panel.locator(".jp-ActionsFlow-card")
    drag(page, cards.nth(2), cards.nth(0))
    expect_cards(panel, ["charlie", "alpha", "bravo"])
    assert panel.locator(".jp-ActionsFlow-card[data-action='charlie']").get_attribute("data-state") == "moved"
    assert panel.locator(".jp-ActionsFlow-card[data-action='alpha']").get_attribute("data-state") == "unchanged"
    panel.get_by_text("1 pending change, not applied").wait_for()
    shoot(page, "flow-2-dragged-pending")
    assert flow_of_api(lab) == NAMES  # nothing changed on the server before Apply

    panel.get_by_role("button", name="Apply").click()
    panel.get_by_text("No pending changes").wait_for()
    assert flow_of_cli(lab) == ["charlie", "alpha", "bravo"]
    assert flow_of_api(lab) == ["charlie", "alpha", "bravo"]
    assert panel.locator(".jp-ActionsFlow-card[data-state='moved']").count() == 0
    shoot(page, "flow-3-applied")

    # Discard: drag, remove one, add one, then Discard restores the applied flow.
    drag(page, cards.nth(0), cards.nth(2), above=False)
    expect_cards(panel, ["alpha", "bravo", "charlie"])
    panel.get_by_role("button", name="Remove bravo").click()
    panel.get_by_role("button", name="Add delta").click()
    expect_cards(panel, ["alpha", "charlie", "delta"])
    assert panel.locator(".jp-ActionsFlow-card[data-action='delta']").get_attribute("data-state") == "added"
    assert panel.locator(".jp-ActionsFlow-removed li").evaluate_all("l => l.map(x => x.dataset.action)") == ["bravo"]
    shoot(page, "flow-4-pending-add-remove")
    panel.get_by_role("button", name="Discard").click()
    expect_cards(panel, ["charlie", "alpha", "bravo"])
    assert panel.locator(".jp-ActionsFlow-removed").count() == 0
    assert panel.get_by_role("button", name="Apply").is_disabled()
    assert flow_of_api(lab) == ["charlie", "alpha", "bravo"]

    # Keyboard: focus alpha, Alt+Down twice (it keeps the focus), Apply.
    panel.locator(".jp-ActionsFlow-card[data-action='alpha']").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect_cards(panel, ["charlie", "bravo", "alpha"])
    assert page.evaluate("document.activeElement.dataset.action") == "alpha"
    page.keyboard.press("Alt+ArrowDown")  # already last: nothing moves
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    expect_cards(panel, ["alpha", "charlie", "bravo"])
    assert panel.locator(".jp-ActionsFlow-card[data-action='alpha']").get_attribute("data-state") == "moved"
    shoot(page, "flow-5-keyboard-pending")
    panel.get_by_role("button", name="Apply").click()
    panel.get_by_text("No pending changes").wait_for()
    assert flow_of_cli(lab) == ["alpha", "charlie", "bravo"]
    assert flow_of_api(lab) == ["alpha", "charlie", "bravo"]

    # The dark theme: the panel follows JupyterLab's variables.
    panel.get_by_role("button", name="Remove bravo").click()
    run_command(page, "Use Theme: JupyterLab Dark")
    page.wait_for_function("document.body.dataset.jpThemeLight === 'false'")
    page.wait_for_timeout(500)  # the theme's stylesheet applies
    background = panel.locator(".jp-ActionsFlow-card").first.evaluate("c => getComputedStyle(c).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    shoot(page, "flow-7-dark-pending")
    panel.get_by_role("button", name="Discard").click()


def test_flow_editor_shows_a_refusal_as_one_line(bound, page):
    lab = bound
    open_lab(page, lab)
    run_command(page, "Open Flows")
    panel = page.locator(".jp-ActionsFlow")
    panel.locator(".jp-ActionsFlow-card").first.wait_for()
    with Tenant(home=lab.home) as tenant:
        tenant.save_draft("echo", "post-login", CODE.format(name="echo"), deploy=True)
    panel.locator(".jp-ActionsFlow-trigger[data-trigger='post-login']").click()  # reload the flow
    panel.get_by_role("button", name="Add echo").wait_for()
    panel.get_by_role("button", name="Add echo").click()
    with Tenant(home=lab.home) as tenant:  # deleted meanwhile, elsewhere: the server refuses the flow
        tenant.delete_action("echo")
    panel.get_by_role("button", name="Apply").click()
    error = panel.locator(".jp-ActionsFlow-error")
    error.wait_for()
    assert "echo" in error.inner_text()
    assert "\n" not in error.inner_text().strip()
    shoot(page, "flow-6-refused")
    # Another trigger is not opened over pending changes.
    panel.locator(".jp-ActionsFlow-trigger[data-trigger='credentials-exchange']").click()
    panel.get_by_text("The flow of post-login has pending changes").wait_for()
    assert panel.locator(".jp-ActionsFlow-card[data-action='echo']").count() == 1
    panel.get_by_role("button", name="Discard").click()
    panel.locator(".jp-ActionsFlow-trigger[data-trigger='credentials-exchange']").click()
    panel.get_by_text("Flow: credentials-exchange").wait_for()
    panel.get_by_text("No action runs on credentials-exchange").wait_for()
