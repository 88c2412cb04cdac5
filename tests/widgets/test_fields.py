"""Quick fields and presets follow each trigger's sample payload."""

from __future__ import annotations

import pytest

from jupyter_actions.triggers import TRIGGER_IDS, get_trigger
from jupyter_actions.widgets import test_panel as open_test_panel  # a test_* name would be collected
from jupyter_actions.widgets._fields import QUICK_FIELDS, fields_for, presets_for


def labels(items) -> list[str]:
    return [item.label if hasattr(item, "label") else item.name for item in items]


def test_post_login_gets_every_quick_field_and_preset():
    sample = get_trigger("post-login").sample_payload()
    assert labels(fields_for(sample)) == labels(QUICK_FIELDS)
    assert {"admin user", "new country", "disposable email", "blocked IP"} <= set(labels(presets_for(sample)))


def test_fields_exist_only_where_the_trigger_has_them():
    phone = get_trigger("send-phone-message").sample_payload()
    assert "roles" not in labels(fields_for(phone)) and "admin user" not in labels(presets_for(phone))
    assert labels(fields_for(get_trigger("event-stream").sample_payload())) == []


def test_a_field_writes_into_missing_objects_and_refuses_non_objects():
    [roles] = [f for f in QUICK_FIELDS if f.label == "roles"]
    payload: dict = {}
    roles.write_into(payload, " admin ,, ops ")
    assert payload == {"authorization": {"roles": ["admin", "ops"]}} and roles.format(payload) == "admin, ops"
    with pytest.raises(ValueError, match="authorization is not an object"):
        roles.write_into({"authorization": "x"}, "admin")


@pytest.mark.parametrize("trigger_id", TRIGGER_IDS)
def test_every_trigger_gets_a_test_panel_that_runs(tenant, trigger_id):
    trigger = get_trigger(trigger_id)
    tenant.save_draft("t", trigger_id, f"def {trigger.handler}(event, api):\n    print('ran')\n")
    panel = open_test_panel(tenant, "t")
    panel.run_button.click()
    assert panel.message.value == "" and panel.last.results[0]["response"]["logs"] == "ran\n"
