"""Test payloads as Auth0 users build them: a partial payload merged over the trigger's sample,
as ``@kilterset/auth0-actions-testing``'s ``auth0.mock.actions.postLogin({user: {...}})`` builds
its events (https://github.com/kilterset/auth0-actions-testing, src/mock/events/post-login.ts:
objects merge field by field, the rest comes from the mock)."""

from __future__ import annotations

import pytest

from jupyter_actions import PayloadError
from jupyter_actions.triggers import all_triggers, get_trigger


def test_a_partial_payload_is_merged_over_the_sample_at_any_depth():
    trigger = get_trigger("post-login")
    merged = trigger.test_payload({"user": {"email": "ana@example.com", "app_metadata": {"plan": "gold"}}})
    sample = trigger.sample_payload()
    assert merged["user"]["email"] == "ana@example.com"
    assert merged["user"]["app_metadata"] == {**sample["user"]["app_metadata"], "plan": "gold"}
    assert merged["user"]["user_id"] == sample["user"]["user_id"]
    assert {k: v for k, v in merged.items() if k != "user"} == {k: v for k, v in sample.items() if k != "user"}
    trigger.validate_payload(merged)


def test_arrays_and_values_replace_what_the_sample_has():
    merged = get_trigger("post-login").test_payload(
        {"user": {"identities": [{"provider": "google-oauth2"}]}, "authorization": {"roles": ["admin"]}}
    )
    assert merged["user"]["identities"] == [{"provider": "google-oauth2"}]
    assert merged["authorization"]["roles"] == ["admin"]


def test_the_sample_itself_is_never_changed_and_the_payload_is_copied():
    trigger = get_trigger("post-login")
    before = trigger.sample_payload()
    partial = {"user": {"app_metadata": {"tags": ["a"]}}}
    merged = trigger.test_payload(partial)
    merged["user"]["app_metadata"]["tags"].append("b")
    assert partial == {"user": {"app_metadata": {"tags": ["a"]}}}
    assert trigger.sample_payload() == before


def test_strict_takes_the_payload_as_it_is_and_validation_names_the_json_path():
    trigger = get_trigger("post-login")
    partial = {"user": {"email": "ana@example.com"}}
    assert trigger.test_payload(partial, strict=True) is partial
    with pytest.raises(PayloadError, match=r"^\$\.client: required field is missing$"):
        trigger.validate_payload(trigger.test_payload(partial, strict=True))
    with pytest.raises(PayloadError, match=r"^\$\.user\.email: expected a string, got 5$"):
        trigger.validate_payload(trigger.test_payload({"user": {"email": 5}}))


def test_no_payload_is_the_sample_and_no_object_is_left_for_validation_to_refuse():
    for trigger in all_triggers():
        assert trigger.test_payload() == trigger.sample_payload()
        trigger.validate_payload(trigger.test_payload({}))
    assert get_trigger("post-login").test_payload([1, 2]) == [1, 2]
