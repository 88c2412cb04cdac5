"""Version history driven from Python: list, view, diff, roll back (confirmed), restore."""

from __future__ import annotations

from jupyter_actions.widgets import history_panel

from .conftest import plain

V1 = "async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim('v', 1)\n"
V2 = "async def on_execute_post_login(event, api):\n    if 1 < 2:\n        api.id_token.set_custom_claim('v', 2)\n"
DRAFT = "async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim('v', 'draft')\n"


def three_states(tenant) -> str:
    tenant.save_draft("versioned", "post-login", V1)
    tenant.deploy("versioned", message="first <release>")
    tenant.save_draft("versioned", "post-login", V2)
    tenant.deploy("versioned", message="sha 1f2e3d")
    tenant.save_draft("versioned", "post-login", DRAFT)
    return "versioned"


def claim(tenant, name: str, version: int | None = None):
    return tenant.test(name, version=version).outcome["id_token_claims"]["v"]


def test_lists_versions_with_marker_status_date_and_message(tenant):
    panel = history_panel(tenant, three_states(tenant))
    rows = [plain(row) for row in panel.listing.value.split("<tr>")[2:]]
    assert rows[0].startswith("draft") and "not deployed" in rows[0]
    assert rows[1].startswith("v2") and "deployed" in rows[1] and "built" in rows[1] and "sha 1f2e3d" in rows[1]
    assert rows[2].startswith("v1") and "first <release>" in rows[2] and "deployed" not in rows[2]
    assert "first &lt;release&gt;" in panel.listing.value  # escaped
    assert panel.chosen.options == (("v2 (deployed)", 2), ("v1", 1))
    assert (panel.chosen.value, panel.old.value, panel.new.value) == (2, 2, "draft")  # ready to View or Compare
    assert panel.summary().splitlines()[1].startswith("  v2 (deployed)")


def test_view_code_and_side_by_side_diff(tenant):
    panel = history_panel(tenant, three_states(tenant))
    panel.chosen.value = 1
    panel.view_button.click()
    assert "Code of v1" in plain(panel.code.value) and "set_custom_claim(&#x27;v&#x27;, 1)" in panel.code.value

    panel.old.value, panel.new.value = 1, 2
    panel.compare_button.click()
    assert "<table" in panel.diff.value and 'class="diff_add"' in panel.diff.value
    assert "if&nbsp;1&nbsp;&lt;&nbsp;2:" in panel.diff.value  # escaped by HtmlDiff
    assert "v1" in panel.diff.value and "v2" in panel.diff.value

    panel.old.value, panel.new.value = 2, "draft"
    panel.compare_button.click()
    assert """<span class="diff_chg">'draft'</span>""" in panel.diff.value

    panel.old.value = panel.new.value = "draft"
    panel.compare_button.click()
    assert "draft and draft are identical" in plain(panel.diff.value)


def test_rollback_waits_for_confirmation(tenant):
    name = three_states(tenant)
    panel = history_panel(tenant, name)
    panel.chosen.value = 1
    panel.rollback_button.click()
    assert panel.confirmation.waiting and panel.confirmation.layout.display == "flex"
    assert "Deploy a copy of v1 as a new version and reset the draft to it?" in plain(panel.confirmation.question.value)
    assert [v.number for v in tenant.versions(name)] == [2, 1]  # nothing happened yet

    panel.confirmation.cancel_button.click()
    assert not panel.confirmation.waiting and panel.confirmation.layout.display == "none"
    assert [v.number for v in tenant.versions(name)] == [2, 1]

    panel.rollback_button.click()
    panel.confirmation.confirm_button.click()
    versions = tenant.versions(name)
    assert [(v.number, v.deployed) for v in versions] == [(3, True), (2, False), (1, False)]
    assert versions[0].code == V1 and versions[0].message == "Rollback to version 1"
    assert tenant.get_action(name).code == V1  # the dashboard's Revert also resets the draft
    assert "v3 is deployed with the content of v1" in plain(panel.message.value)
    assert panel.chosen.options[0] == ("v3 (deployed)", 3) and panel.chosen.value == 1  # the choice is kept


def test_rollback_can_keep_the_draft(tenant):
    name = three_states(tenant)
    panel = history_panel(tenant, name)
    panel.chosen.value = 1
    panel.reset_draft.value = False
    panel.rollback_button.click()
    assert "(the draft stays as it is)" in plain(panel.confirmation.question.value)
    panel.confirmation.confirm_button.click()
    assert tenant.versions(name)[0].code == V1 and tenant.get_action(name).code == DRAFT
    assert claim(tenant, name, version=3) == 1


def test_restore_into_the_draft_changes_only_the_draft(tenant):
    name = three_states(tenant)
    panel = history_panel(tenant, name)
    panel.chosen.value = 1
    panel.restore_button.click()
    assert tenant.get_action(name).code == DRAFT  # waits for confirmation
    panel.confirmation.confirm_button.click()
    assert tenant.get_action(name).code == V1
    assert [(v.number, v.deployed) for v in tenant.versions(name)] == [(2, True), (1, False)]
    assert claim(tenant, name) == 1
    assert "deploy it to make it live" in plain(panel.message.value)


def test_a_refused_rollback_shows_the_tenant_error(tenant):
    name = three_states(tenant)
    panel = history_panel(tenant, name)
    panel.chosen.value = 1
    panel.rollback_button.click()
    tenant.delete_action(name)  # gone before the user confirms (another process, say)
    panel.confirmation.confirm_button.click()
    assert "error" in panel.message.value and "versioned" in plain(panel.message.value)
