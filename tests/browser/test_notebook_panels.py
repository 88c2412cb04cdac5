"""In a real JupyterLab: %%action (and the Actions sidebar listing what it saves), the Test panel,
the version history and the flow editor.

Screenshots go to test-artifacts/browser/ (gitignored), one per step.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from jupyter_actions.tenant import Tenant

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

GEO = """%%action geo-block --trigger post-login
async def on_execute_post_login(event, api):
    country = event.request.geoip.countryCode
    print("login from", country)
    if country != "US":
        api.access.deny(f"logins from {country} are blocked")
"""
AUDIT = """%%action audit --trigger post-login
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/audited", True)
"""
CELLS = [
    "%load_ext jupyter_actions",
    GEO,
    AUDIT,
    "%action deploy geo-block\n%action deploy audit\n%action bind post-login geo-block audit",
    "%action test geo-block",
    "%action versions geo-block",
    "%action flow post-login",
]
TEST, HISTORY, FLOW = 4, 5, 6


def write_notebook(path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    nbformat.write(notebook, path)


def run_cell(page, index: int):
    """Run one cell with Shift+Enter and wait for its execution count; returns the cell.

    A key press that JupyterLab dropped (the cell shows neither ``[*]`` nor a number) is
    repeated; one that was taken is never sent twice.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only where browser tests run

    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    taken = cell.locator(".jp-InputPrompt", has_text=re.compile(r"\[(\*|\d+)\]"))
    for _ in range(3):
        cell.locator(".jp-InputArea-editor").click()
        cell.locator(".cm-editor.cm-focused").wait_for()  # keys go to this cell, not to the page
        page.keyboard.press("Shift+Enter")
        try:
            taken.wait_for(timeout=10_000)
            break
        except PlaywrightTimeout:
            continue
    cell.locator(".jp-InputPrompt", has_text=f"[{index + 1}]").wait_for()
    errors = cell.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    return cell


def shoot(page, part, name: str) -> None:
    """A screenshot of the page with ``part`` scrolled into view."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    part.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_panels_in_jupyterlab(lab, page):
    write_notebook(lab.root / "panels.ipynb")
    page.goto(lab.open_url("panels.ipynb"))
    page.locator(".jp-Notebook .jp-Cell").nth(len(CELLS) - 1).wait_for()
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for()  # the kernel is connected

    # The Actions sidebar (the Lab extension) is open while the %%action cells save drafts: each
    # new action is listed within 2 s of its cell's run.
    page.get_by_role("tab", name="Actions").click()
    sidebar = page.locator("#jupyter-actions-sidebar")
    for index in range(TEST):
        cell = run_cell(page, index)
        for name in {GEO: ["geo-block"], AUDIT: ["audit"]}.get(CELLS[index], []):
            sidebar.locator(f".jp-ActionsSidebar-item[data-action='{name}']").wait_for(timeout=2_000)
    cell.locator(".jp-OutputArea-output").first.wait_for()
    sidebar.locator(".jp-ActionsSidebar-item[data-action='audit'] .jp-ActionsSidebar-badge", has_text="v1").wait_for()
    shoot(page, sidebar, "0-sidebar-after-cells")

    # The Test panel: edit the JSON payload, Run, read the outcome.
    test = run_cell(page, TEST)
    payload_box = test.locator(".widget-textarea textarea").first  # the payload (a Continue request box follows)
    payload = json.loads(payload_box.input_value())
    payload["request"]["geoip"]["countryCode"] = "FR"
    payload_box.fill(json.dumps(payload, indent=2))
    test.locator(".widget-text", has_text="country").locator("input").wait_for()
    test.get_by_title("Run", exact=True).click()
    test.get_by_text("logins from FR are blocked").first.wait_for()
    assert test.get_by_text("login from FR").count() >= 1  # the logs
    assert test.locator(".widget-text", has_text="country").locator("input").input_value() == "FR"
    shoot(page, test.get_by_text("Commands").first, "1-test-panel")

    # The version history: v1 deployed, view its code.
    history = run_cell(page, HISTORY)
    history.get_by_text("Version history of geo-block").first.wait_for()
    history.get_by_title("View code", exact=True).click()
    history.get_by_text("Code of v1").first.wait_for()
    shoot(page, history.get_by_text("Code of v1").first, "2-version-history")

    # The flow editor: move audit up, Apply.
    flow = run_cell(page, FLOW)
    flow.locator(".widget-select select").select_option("audit")
    flow.get_by_title("Up", exact=True).click()
    flow.get_by_text("pending (not applied)").first.wait_for()
    shoot(page, flow.get_by_text("Flow of post-login").first, "3-flow-pending")
    flow.get_by_title("Apply", exact=True).click()
    flow.get_by_text("applied: post-login runs audit → geo-block").first.wait_for()
    shoot(page, flow.get_by_text("Flow of post-login").first, "4-flow-applied")

    with Tenant(home=lab.home) as tenant:
        assert [binding.action.name for binding in tenant.flow("post-login")] == ["audit", "geo-block"]
        assert [e.outcome["status"] for e in tenant.executions(kind="test")] == ["denied", "allowed"]
