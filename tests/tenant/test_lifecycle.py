"""The action lifecycle through the Python API: save, deploy, rollback, diff, delete."""

from __future__ import annotations

import pytest

from jupyter_actions import (
    ActionNotFound,
    CodeError,
    ConflictError,
    InvalidInputError,
    TriggerNotFound,
    VersionNotFound,
)
from tests.conftest import POST_LOGIN_CODE

V2 = POST_LOGIN_CODE + "\n# v2\n"


def snapshot(tenant) -> list:
    """Everything stored about actions, to prove that a refused call changed nothing."""
    return [(a.to_json(), [v.to_json() for v in tenant.versions(a.name)]) for a in tenant.list_actions()]


def test_save_creates_then_updates_draft(tenant):
    action, changed = tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    assert changed and action.name == "hello" and action.trigger_id == "post-login"
    assert action.deployed_version is None and action.build.status == "built"
    again, changed = tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    assert not changed and again.updated_at == action.updated_at
    updated, changed = tenant.save_draft("hello", "post-login", V2)
    assert changed and updated.code == V2 and updated.id == action.id


def test_deploy_numbers_versions_and_skips_identical_drafts(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    first = tenant.deploy("hello", message="first")
    assert first.created and first.version.number == 1 and first.version.deployed
    same = tenant.deploy("hello")
    assert not same.created and same.version.id == first.version.id
    tenant.save_draft("hello", "post-login", V2)
    assert not tenant.get_action("hello").all_changes_deployed
    second = tenant.deploy("hello")
    assert second.created and second.version.number == 2
    history = tenant.versions("hello")
    assert [v.number for v in history] == [2, 1]
    assert [v.deployed for v in history] == [True, False]
    assert history[1].message == "first" and history[1].code == POST_LOGIN_CODE
    assert tenant.get_action("hello").all_changes_deployed


def test_saving_a_draft_leaves_the_deployed_version_alone(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.deploy("hello")
    tenant.save_draft("hello", "post-login", V2)
    action = tenant.get_action("hello")
    assert action.deployed_version.code == POST_LOGIN_CODE and action.code == V2


def test_rollback_creates_a_new_deployed_copy(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.deploy("hello")
    tenant.save_draft("hello", "post-login", V2)
    tenant.deploy("hello")
    rolled = tenant.rollback("hello", 1)
    assert rolled.number == 3 and rolled.deployed and rolled.code == POST_LOGIN_CODE
    assert rolled.message == "Rollback to version 1"
    assert tenant.get_action("hello").code == V2  # draft kept
    tenant.rollback("hello", 2, update_draft=True)
    assert tenant.get_action("hello").code == V2 and tenant.get_action("hello").deployed_version.number == 4
    tenant.rollback("hello", 1, update_draft=True)
    assert tenant.get_action("hello").code == POST_LOGIN_CODE


def test_diff_between_versions_and_draft(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.deploy("hello")
    tenant.save_draft("hello", "post-login", V2)
    text = tenant.diff("hello", 1, "draft")
    assert text.startswith("--- v1\n+++ draft\n") and "+# v2\n" in text
    tenant.deploy("hello")
    assert "+# v2" in tenant.diff("hello", 1, 2)
    assert tenant.diff("hello", 2, "draft") == ""


def test_version_cap_drops_oldest_non_deployed(tenant):
    tenant.configure("max_versions", 3)
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    for i in range(5):
        tenant.save_draft("hello", "post-login", POST_LOGIN_CODE + f"\n# {i}\n")
        tenant.deploy("hello")
    assert [v.number for v in tenant.versions("hello")] == [5, 4, 3]
    rolled = tenant.rollback("hello", 3)
    assert rolled.number == 6
    assert [v.number for v in tenant.versions("hello")] == [6, 5, 4]


def test_delete_refused_while_bound_unless_forced(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.deploy("hello")
    tenant.bind("post-login", ["hello"])
    before = snapshot(tenant)
    with pytest.raises(ConflictError, match="bound to the post-login flow"):
        tenant.delete_action("hello")
    assert snapshot(tenant) == before and len(tenant.flow("post-login")) == 1
    tenant.delete_action("hello", force=True)
    assert tenant.list_actions() == [] and tenant.flow("post-login") == []
    with pytest.raises(ActionNotFound):
        tenant.get_action("hello")


@pytest.mark.parametrize(
    ("name", "trigger", "code", "error", "message"),
    [
        ("Hello", "post-login", POST_LOGIN_CODE, InvalidInputError, "invalid action name 'Hello'"),
        ("", "post-login", POST_LOGIN_CODE, InvalidInputError, "invalid action name"),
        ("a" * 101, "post-login", POST_LOGIN_CODE, InvalidInputError, "1 to 100"),
        ("sp ace", "post-login", POST_LOGIN_CODE, InvalidInputError, "invalid action name"),
        ("hello", "post-logout", POST_LOGIN_CODE, TriggerNotFound, "post-logout"),
        (
            "hello",
            "post-login",
            "async def on_execute_post_login(event, api):\n    return (\n",
            CodeError,
            r"syntax error in hello at line 2, column 12",
        ),
        (
            "hello",
            "post-login",
            "async def handler(event, api):\n    pass\n",
            CodeError,
            "does not define on_execute_post_login",
        ),
        ("hello", "credentials-exchange", POST_LOGIN_CODE, CodeError, "on_execute_credentials_exchange"),
        ("hello", "post-login", POST_LOGIN_CODE + "#" * 102400, CodeError, "the limit is 100 kB"),
    ],
)
def test_bad_drafts_are_refused_and_change_nothing(tenant, name, trigger, code, error, message):
    tenant.save_draft("keep", "post-login", POST_LOGIN_CODE)
    before = snapshot(tenant)
    with pytest.raises(error, match=message):
        tenant.save_draft(name, trigger, code)
    assert snapshot(tenant) == before


def test_changing_an_actions_trigger_is_refused(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    with pytest.raises(ConflictError, match="is for trigger post-login"):
        tenant.save_draft(
            "hello", "post-user-registration", "async def on_execute_post_user_registration(e, a):\n    pass\n"
        )


def test_rollback_to_missing_version_and_unknown_action(tenant):
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE)
    tenant.deploy("hello")
    before = snapshot(tenant)
    with pytest.raises(VersionNotFound, match="has no version 7"):
        tenant.rollback("hello", 7)
    with pytest.raises(ActionNotFound, match="'nope' does not exist"):
        tenant.deploy("nope")
    assert snapshot(tenant) == before
