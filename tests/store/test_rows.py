"""Listing actions reads them in a few queries; each listed action is the one read alone."""

from __future__ import annotations

from jupyter_actions.store.rows import action_model, action_row, all_actions

CODE = "def on_execute_post_login(event, api):\n    pass  # {}\n"
SIGNUP = "def on_execute_pre_user_registration(event, api):\n    pass\n"


def test_the_listing_equals_each_action_read_alone(offline):
    tenant = offline
    tenant.save_draft("deployed", "post-login", CODE.format(1), deploy=True)
    tenant.save_draft(
        "ahead", "post-login", CODE.format(2), secrets=["KEY"], secret_values={"KEY": "a-value"}, deploy=True
    )
    tenant.save_draft("ahead", "post-login", CODE.format(2), secrets=["KEY", "UNSET"])
    tenant.save_draft("pinned", "post-login", CODE.format(3), dependencies=["ja-hello==1.0"], deploy=True)
    tenant.save_draft("pinned", "post-login", CODE.format(4), dependencies=["ja-hello==1.0"])
    tenant.save_draft("draft-only", "post-login", CODE.format(5), secrets=["TOKEN"])
    tenant.save_draft("signup", "pre-user-registration", SIGNUP, deploy=True)
    for trigger in (None, "post-login", "pre-user-registration", "send-phone-message"):
        with tenant.store.read() as conn:
            listed = all_actions(conn, trigger)
            alone = [action_model(conn, action_row(conn, action.name)) for action in listed]
        assert listed == alone
    names = {a.name: a for a in tenant.list_actions()}
    assert sorted(names) == ["ahead", "deployed", "draft-only", "pinned", "signup"]
    assert names["deployed"].all_changes_deployed and not names["ahead"].all_changes_deployed
    assert [(s.name, s.is_set) for s in names["ahead"].secrets] == [("KEY", True), ("UNSET", False)]
    assert [str(d) for d in names["pinned"].dependencies] == ["ja-hello==1.0"]
    assert names["draft-only"].deployed_version is None
    assert [a.name for a in tenant.list_actions("pre-user-registration")] == ["signup"]
