"""The Test panel driven from Python: edit the payload, Run, save and run test cases."""

from __future__ import annotations

import json

from jupyter_actions.widgets import test_panel as open_test_panel  # a test_* name would be collected

from .conftest import plain


def test_run_shows_outcome_commands_logs_and_stats(tenant, action):
    panel = open_test_panel(tenant, action)
    assert panel.editor.fields["user email"].value == "j+smith@example.com"
    panel.editor.fields["user email"].value = "ada@example.com"
    assert json.loads(panel.editor.json.value)["user"]["email"] == "ada@example.com"

    panel.run_button.click()

    text = plain(panel.result.value)
    assert "allowed" in text
    assert "id_token.set_custom_claim" in text and "ada@example.com" in text
    assert "checking ada@example.com" in text  # the logs
    assert "action_duration_ms" in text  # the stats
    assert panel.last.outcome["id_token_claims"] == {"https://example.com/email": "ada@example.com"}
    assert [e.id for e in tenant.executions(kind="test")] == [panel.last.id]


def test_json_edits_update_the_quick_fields(tenant, action):
    panel = open_test_panel(tenant, action)
    payload = json.loads(panel.editor.json.value)
    payload["authorization"]["roles"] = ["admin", "support"]
    payload["request"]["geoip"]["countryCode"] = "FR"
    panel.editor.json.value = json.dumps(payload)
    assert panel.editor.fields["roles"].value == "admin, support"
    assert panel.editor.fields["country"].value == "FR"

    panel.editor.fields["app_metadata"].value = '{"plan": "gold"}'
    panel.editor.fields["roles"].value = "viewer"
    edited = json.loads(panel.editor.json.value)
    assert edited["user"]["app_metadata"] == {"plan": "gold"} and edited["authorization"]["roles"] == ["viewer"]


def test_an_invalid_quick_field_leaves_the_payload_unchanged(tenant, action):
    panel = open_test_panel(tenant, action)
    before = panel.editor.json.value
    panel.editor.fields["app_metadata"].value = '{"plan": gold}'
    assert panel.editor.json.value == before
    assert "app_metadata is not valid JSON: Expecting value at line 1, column 10" in plain(panel.editor.error.value)


def test_invalid_json_names_line_and_column_and_disables_run(tenant, action):
    panel = open_test_panel(tenant, action)
    panel.editor.json.value = '{\n  "user": {"email": "a@b.c",}\n}'
    assert not panel.editor.valid and panel.run_button.disabled
    assert (
        "the payload is not valid JSON: Expecting property name enclosed in double quotes at line 2, column 29"
        in plain(panel.editor.error.value)
    )

    panel.run_button.click()  # a click that raced the disabling is refused too
    assert "line 2, column 29" in plain(panel.message.value)
    assert panel.result.value == "" and tenant.executions() == []

    panel.editor.json.value = '{"user": {"email": "a@b.c"}}'
    assert panel.editor.valid and not panel.run_button.disabled and panel.editor.error.value == ""


def test_a_payload_the_trigger_refuses_shows_the_tenant_error(tenant, action):
    panel = open_test_panel(tenant, action)
    payload = json.loads(panel.editor.json.value)
    payload["user"]["email"] = 5
    panel.editor.json.value = json.dumps(payload)
    panel.run_button.click()
    assert "error" in panel.message.value and "$.user.email" in plain(panel.message.value)
    assert panel.result.value == ""


def test_presets_change_the_payload_and_the_outcome(tenant, action):
    panel = open_test_panel(tenant, action)
    assert {"admin user", "new country", "disposable email", "blocked IP"} <= set(panel.editor.preset.options)

    panel.editor.preset.value = "admin user"
    panel.editor.apply_preset_button.click()
    panel.editor.preset.value = "blocked IP"
    panel.editor.apply_preset_button.click()  # presets add up
    payload = json.loads(panel.editor.json.value)
    assert payload["authorization"]["roles"] == ["admin"] and payload["request"]["ip"] == "198.51.100.23"
    panel.run_button.click()
    assert panel.last.outcome["multifactor"]["provider"] == "any"

    panel.editor.preset.value = "new country"
    panel.editor.apply_preset_button.click()
    assert panel.editor.fields["country"].value == "BR"
    panel.run_button.click()
    assert "denied" in plain(panel.result.value) and "logins from BR are blocked" in plain(panel.result.value)

    panel.editor.preset.value = "sample payload"
    panel.editor.apply_preset_button.click()
    assert panel.editor.fields["roles"].value == "" and panel.editor.fields["country"].value == "US"


def test_run_a_chosen_version(tenant, action):
    tenant.deploy(action)
    tenant.save_draft(action, "post-login", "async def on_execute_post_login(event, api):\n    api.access.deny('v2')\n")
    panel = open_test_panel(tenant, action)
    assert panel.version.options == (("draft", "draft"), ("v1 (deployed)", 1))

    panel.run_button.click()
    assert panel.last.outcome["status"] == "denied"
    panel.version.value = 1
    panel.run_button.click()
    assert panel.last.outcome["status"] == "allowed"
    assert "geo-mfa (v1)" in plain(panel.result.value)


def test_an_error_shows_its_traceback_and_output_is_escaped(tenant):
    tenant.save_draft(
        "boom",
        "post-login",
        (
            "async def on_execute_post_login(event, api):\n"
            "    print('<script>alert(1)</script>')\n"
            "    raise ValueError('bad <b>input</b>')\n"
        ),
    )
    panel = open_test_panel(tenant, "boom")
    panel.run_button.click()
    assert "failed" in plain(panel.result.value)
    assert "action_error: ValueError: bad &lt;b&gt;input&lt;/b&gt;" in panel.result.value
    assert "Traceback (most recent call last)" in panel.result.value and "line 3" in panel.result.value
    assert "<script>" not in panel.result.value and "&lt;script&gt;" in panel.result.value


def test_saved_cases_pass_then_fail_when_the_behaviour_changes(tenant, action):
    panel = open_test_panel(tenant, action)
    panel.editor.preset.value = "admin user"
    panel.editor.apply_preset_button.click()
    panel.cases.name.value = "admin gets MFA"
    panel.cases.save_button.click()
    panel.editor.preset.value = "new country"
    panel.editor.apply_preset_button.click()
    panel.cases.name.value = "brazil is denied"
    panel.cases.save_button.click()

    stored = {case.name: case for case in tenant.test_cases(action)}
    assert stored["admin gets MFA"].payload["authorization"]["roles"] == ["admin"]
    assert stored["admin gets MFA"].expected["multifactor"]["provider"] == "any"
    assert stored["brazil is denied"].expected["status"] == "denied"
    assert stored["brazil is denied"].expected["deny"]["reason"] == "logins from BR are blocked"
    assert panel.cases.chosen.options == ("admin gets MFA", "brazil is denied")

    panel.cases.run_button.click()
    assert "2 cases: 2 passed, 0 failed" in plain(panel.cases.message.value)
    assert plain(panel.cases.listing.value).count("passed") == 2

    tenant.save_draft(action, "post-login", "async def on_execute_post_login(event, api):\n    pass\n")
    panel.cases.run_button.click()
    assert "2 cases: 0 passed, 2 failed" in plain(panel.cases.message.value)
    listing = plain(panel.cases.listing.value)
    assert 'status: expected "denied", got "allowed"' in listing
    assert "multifactor: expected" in listing


def test_case_name_is_checked_by_the_tenant_and_cases_load_and_delete(tenant, action):
    panel = open_test_panel(tenant, action)
    panel.cases.save_button.click()  # no name
    assert "a test case needs a name" in plain(panel.cases.message.value)
    assert tenant.test_cases(action) == []

    panel.editor.fields["user email"].value = "saved@example.com"
    panel.cases.name.value = "saved"
    panel.cases.save_button.click()
    panel.editor.preset.value = "sample payload"
    panel.editor.apply_preset_button.click()
    panel.cases.chosen.value = "saved"
    panel.cases.load_button.click()
    assert panel.editor.fields["user email"].value == "saved@example.com"

    panel.cases.delete_button.click()
    assert tenant.test_cases(action) == [] and panel.cases.chosen.options == ()


def test_summary_is_the_text_fallback(tenant, action):
    panel = open_test_panel(tenant, action)
    bundle = panel._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == "Test panel of geo-mfa (post-login)"


def test_saved_cases_run_on_the_chosen_version(tenant, action):
    tenant.deploy(action)
    panel = open_test_panel(tenant, action)
    panel.cases.name.value = "sample"
    panel.cases.save_button.click()
    tenant.save_draft(action, "post-login", "async def on_execute_post_login(event, api):\n    api.access.deny('no')\n")
    panel.cases.run_button.click()
    assert "0 passed, 1 failed" in plain(panel.cases.message.value)
    panel.version.value = 1
    panel.cases.run_button.click()
    assert "1 passed, 0 failed" in plain(panel.cases.message.value)


def test_the_editor_applies_the_input_policy(tenant, action):
    """Deep nesting (a RecursionError in the widget's callback before) and NaN are refused in
    the error line, as everywhere else (docs/input.md)."""
    panel = open_test_panel(tenant, action)
    panel.editor.json.value = "[" * 100_000
    assert not panel.editor.valid and "nested too deep" in plain(panel.editor.error.value)
    panel.editor.json.value = '{"user": NaN}'
    assert not panel.editor.valid and "NaN" in plain(panel.editor.error.value)


# https://auth0.com/docs/customize/forms/render ("Fields and shared variables data in Actions"), renamed
FORM = """
async def on_execute_post_login(event, api):
    api.prompt.render("ap_fuVuFiiQWN3mTEujWTy966")

async def on_continue_post_login(event, api):
    api.user.set_user_metadata("company_name", event.prompt.fields.company_name)
"""


def test_a_suspended_run_continues_with_the_forms_prompt(tenant):
    """The Forms sample of https://auth0.com/docs/customize/forms/render: the draft's run waits
    for the form; Continue with the form's event.prompt runs on_continue_post_login."""
    tenant.save_draft("form", "post-login", FORM)
    panel = open_test_panel(tenant, "form")
    assert panel.resuming.layout.display == "none"
    panel.run_button.click()
    assert panel.last.outcome["status"] == "suspended" and panel.resuming.layout.display == "flex"

    panel.continue_request.value = "{not json"
    panel.continue_button.click()
    assert "the continue request is not valid JSON" in plain(panel.message.value)

    prompt = {"id": "ap_fuVuFiiQWN3mTEujWTy966", "fields": {"company_name": "Okta"}, "vars": {}}
    panel.continue_request.value = json.dumps({"query": {"state": "s1"}, "prompt": {"fields": {}}})
    panel.continue_button.click()
    assert "$.prompt.id" in plain(panel.message.value) and panel.last.outcome["status"] == "suspended"

    panel.continue_request.value = json.dumps({"query": {"state": "s1"}, "prompt": prompt})
    panel.continue_button.click()
    assert panel.last.outcome["status"] == "allowed" and panel.last.outcome["user_metadata"] == {"company_name": "Okta"}
    assert panel.resuming.layout.display == "none" and "company_name" in plain(panel.result.value)
    assert [r["action_name"] for r in tenant.execution(panel.last.id).results] == ["form", "form"]
