"""Flow editor driven from Python: nothing changes until Apply; Discard; whole-flow cases."""

from __future__ import annotations

from jupyter_actions.widgets import flow_editor

from .conftest import plain


def claim_action(value: str) -> str:
    return (
        "async def on_execute_post_login(event, api):\n"
        f"    api.id_token.set_custom_claim('https://x/last', '{value}')\n"
    )


DENY = "async def on_execute_post_login(event, api):\n    api.access.deny('closed')\n"


def deployed(tenant, *names: str) -> None:
    for name in names:
        tenant.save_draft(name, "post-login", claim_action(name), deploy=True)


def flow_names(tenant) -> list[str]:
    return [binding.action.name for binding in tenant.flow("post-login")]


def test_shows_the_flow_with_versions_and_what_can_be_added(tenant):
    deployed(tenant, "alpha", "beta", "gamma")
    tenant.save_draft("beta", "post-login", claim_action("beta2"), deploy=True)
    tenant.bind("post-login", ["beta", "alpha"])
    editor = flow_editor(tenant, "post-login")
    rows = plain(editor.listing.value)
    assert rows.index("beta") < rows.index("alpha") and "v2" in rows and "v1" in rows
    assert editor.available.options == (("gamma (v1)", "gamma"),)
    assert editor.bound.options == ("beta", "alpha")
    assert "no pending changes" in plain(editor.changes.value) and editor.apply_button.disabled
    assert editor.summary() == "Flow of post-login: beta v2, alpha v1"


def test_edits_are_pending_until_apply(tenant):
    deployed(tenant, "alpha", "beta", "gamma")
    tenant.bind("post-login", ["alpha", "beta"])
    editor = flow_editor(tenant, "post-login")

    editor.bound.value = "beta"
    editor.up_button.click()
    editor.available.value = "gamma"
    editor.add_button.click()
    editor.bound.value = "alpha"
    editor.remove_button.click()

    assert editor.pending == ["beta", "gamma"]
    assert flow_names(tenant) == ["alpha", "beta"]  # nothing applied yet
    changes = plain(editor.changes.value)
    assert "add gamma" in changes and "remove alpha" in changes and "beta → gamma" in changes
    assert "new" in plain(editor.listing.value) and not editor.apply_button.disabled

    editor.apply_button.click()
    assert flow_names(tenant) == ["beta", "gamma"]
    assert "post-login runs beta → gamma" in plain(editor.message.value)
    assert "no pending changes" in plain(editor.changes.value)
    assert tenant.run_flow("post-login", editor.editor.parsed()).outcome["id_token_claims"] == {
        "https://x/last": "gamma"
    }


def test_reorder_is_reported_and_discard_reverts(tenant):
    deployed(tenant, "alpha", "beta")
    tenant.bind("post-login", ["alpha", "beta"])
    editor = flow_editor(tenant, "post-login")
    editor.bound.value = "alpha"
    editor.down_button.click()
    editor.down_button.click()  # already last: stays
    assert editor.pending == ["beta", "alpha"] and editor.bound.value == "alpha"
    assert "new order" in plain(editor.changes.value) and "moved" in plain(editor.listing.value)

    editor.discard_button.click()
    assert editor.pending == ["alpha", "beta"] and flow_names(tenant) == ["alpha", "beta"]
    assert "no pending changes" in plain(editor.changes.value)


def test_apply_with_an_undeployed_action_shows_the_refusal(tenant):
    deployed(tenant, "alpha")
    tenant.save_draft("draft-only", "post-login", claim_action("draft-only"))
    tenant.bind("post-login", ["alpha"])
    editor = flow_editor(tenant, "post-login")
    assert ("draft-only (not deployed)", "draft-only") in editor.available.options

    editor.available.value = "draft-only"
    editor.add_button.click()
    editor.apply_button.click()

    assert "draft-only has no deployed version" in plain(editor.message.value)
    assert flow_names(tenant) == ["alpha"] and editor.pending == ["alpha", "draft-only"]


def test_whole_flow_cases_fail_when_the_flow_changes(tenant):
    deployed(tenant, "alpha", "beta")
    tenant.save_draft("closer", "post-login", DENY, deploy=True)
    tenant.bind("post-login", ["alpha", "beta"])
    editor = flow_editor(tenant, "post-login")
    editor.editor.fields["user email"].value = "flow@example.com"
    editor.cases.name.value = "beta has the last word"
    editor.cases.save_button.click()

    [case] = tenant.flow_test_cases("post-login")
    assert case.payload["user"]["email"] == "flow@example.com"
    assert case.expected == {"status": "allowed", "id_token_claims": {"https://x/last": "beta"}}
    editor.cases.run_button.click()
    assert "1 cases: 1 passed, 0 failed" in plain(editor.cases.message.value)

    editor.bound.value = "alpha"
    editor.down_button.click()
    editor.available.value = "closer"
    editor.add_button.click()
    editor.apply_button.click()
    editor.cases.run_button.click()
    assert "1 cases: 0 passed, 1 failed" in plain(editor.cases.message.value)
    assert "closed" in plain(editor.cases.listing.value)
