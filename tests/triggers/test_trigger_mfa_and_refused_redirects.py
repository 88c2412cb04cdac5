"""Auth0 documentation samples, ported by renaming camelCase to snake_case: several MFA commands
in one flow (and the limit of four), and redirects the transaction refuses."""

from __future__ import annotations

import pytest

from jupyter_actions.triggers import get_trigger
from jupyter_actions.triggers._authentication import mfa_command_limit

from .helpers import run

LOGIN = get_trigger("post-login")


def with_roles(*roles: str) -> dict:
    event = LOGIN.sample_payload()
    event["authorization"] = {"roles": list(roles)}
    return event


# https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login
# ("Use roles to determine challenge method"), renamed.
async def challenge_admins_twice(event, api):
    api.authentication.challenge_with({"type": "otp"})

    is_admin = "admin" in event.authorization.roles
    if is_admin:
        api.authentication.challenge_with({"type": "phone"})


def test_an_admin_is_challenged_with_otp_then_phone_in_that_order():
    """The roles sample of
    https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login:
    "challenges all users with OTP. If a user has the Admin role ... they are challenged with an
    additional factor". The outcome carries both, in call order (before: only the phone)."""
    admin = run("post-login", challenge_admins_twice, with_roles("admin"))
    assert admin.control == "suspend"
    assert admin.outcome["mfa_commands"] == [
        {"method": "challenge_with", "factor": {"type": "otp"}, "additional_factors": []},
        {"method": "challenge_with", "factor": {"type": "phone"}, "additional_factors": []},
    ]
    assert admin.outcome["challenge"]["factor"] == {"type": "phone"}  # the last one, as in round one

    user = run("post-login", challenge_admins_twice, with_roles())
    assert [c["factor"] for c in user.outcome["mfa_commands"]] == [{"type": "otp"}]


# https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-enrollments-universal-login
# (Action 1 of "Sequenced and contextual flows"), renamed.
async def enroll_or_challenge(event, api):
    if len(event.user.enrolledFactors):
        # already enrolled, challenge
        api.authentication.challenge_with_any([{"type": m.type} for m in event.user.enrolledFactors])
        if event.user.app_metadata.isAdmin and not any(
            m.type == "webauthn-roaming" for m in event.user.enrolledFactors
        ):
            # if is admin and doesn't have a security key, meaning a different factor was used, enroll now
            api.authentication.enroll_with({"type": "webauthn-roaming"})
    else:
        # not enrolled; choose a factor to enroll now
        api.authentication.enroll_with_any([{"type": "webauthn-roaming"}, {"type": "otp"}])
        if event.user.app_metadata.isAdmin:
            # one more factor for admins
            api.authentication.enroll_with_any([{"type": "webauthn-roaming"}, {"type": "otp"}])


def test_challenges_and_enrolments_keep_their_order_across_kinds():
    """Action 1 of the enrolment sample at
    https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-enrollments-universal-login:
    an admin enrolled with OTP only is challenged first, then asked to enrol a security key."""
    event = LOGIN.sample_payload()
    event["user"]["enrolledFactors"] = [{"type": "otp"}]
    event["user"]["app_metadata"] = {"isAdmin": True}
    result = run("post-login", enroll_or_challenge, event)
    assert [(c["method"], c.get("factor") or c.get("factors")) for c in result.outcome["mfa_commands"]] == [
        ("challenge_with_any", [{"type": "otp"}]),
        ("enroll_with", {"type": "webauthn-roaming"}),
    ]
    assert result.outcome["challenge"]["method"] == "challenge_with_any"
    assert result.outcome["enrollment"]["method"] == "enroll_with"

    newcomer = LOGIN.sample_payload()
    newcomer["user"]["app_metadata"] = {"isAdmin": True}
    twice = run("post-login", enroll_or_challenge, newcomer)
    assert [c["method"] for c in twice.outcome["mfa_commands"]] == ["enroll_with_any", "enroll_with_any"]


def test_multifactor_enable_is_no_mfa_command():
    """``api.multifactor.enable`` is unchanged: it neither suspends nor counts as an MFA command."""
    result = run("post-login", lambda event, api: api.multifactor.enable("guardian"))
    assert result.control == "continue" and result.outcome["mfa_commands"] == []
    assert result.outcome["multifactor"]["provider"] == "guardian"


def _mfa(kind: str) -> dict:
    return {"type": f"authentication.{kind}", "factor": {"type": "otp"}}


def test_the_fifth_mfa_command_of_a_flow_breaks_the_limit_and_the_fourth_does_not():
    """ "Actions (or series of Actions) in a tenant can only execute four of the following commands
    per user flow ... a fifth command of this type ... an authentication error will occur"
    (https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login).
    The call itself does not raise: the parent fails the step that made the flow's fifth."""
    four = [_mfa("challenge_with"), _mfa("enroll_with"), _mfa("challenge_with_any"), _mfa("enroll_with_any")]
    assert mfa_command_limit([], four) is None
    assert mfa_command_limit(four[:3], four[3:]) is None
    message = mfa_command_limit(four, [_mfa("challenge_with")])
    assert message is not None and "5 enroll_with" in message and "at most 4 per flow" in message
    assert mfa_command_limit([], [*four, _mfa("enroll_with")]) is not None
    # other commands count for nothing, before or in the step
    others = [{"type": "multifactor.enable", "provider": "any"}, {"type": "redirect.send_user_to", "url": "x"}]
    assert mfa_command_limit([*four, *others], others) is None
    assert LOGIN.flow_limit_error(four, [_mfa("challenge_with")]) == message
    assert get_trigger("password-reset-post-challenge").flow_limit_error(four, [_mfa("challenge_with")]) is None

    def five_challenges(event, api):
        for factor in ("otp", "email", "phone", "push-notification", "webauthn-roaming"):
            api.authentication.challenge_with({"type": factor})
        api.user.set_app_metadata("after_the_fifth", True)  # the action runs on, as on Auth0

    result = run("post-login", five_challenges)
    assert len(result.outcome["mfa_commands"]) == 5 and result.outcome["app_metadata"] == {"after_the_fifth": True}


# https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/redirect-with-actions
# ("Start a redirect"), renamed.
async def send_to_my_app(event, api):
    api.redirect.send_user_to("https://my-app.exampleco.com")


def silent(event: dict) -> dict:
    event["request"]["query"]["prompt"] = "none"
    return event


def refreshing(event: dict) -> dict:
    event["transaction"]["protocol"] = "oauth2-refresh-token"
    return event


@pytest.mark.parametrize(
    "make, reason",
    [
        (silent, "prompt=none: the authorization fails with error=interaction_required"),
        (refreshing, "during a oauth2-refresh-token exchange, which cannot redirect"),
    ],
)
def test_a_redirect_the_transaction_cannot_make_denies_with_interaction_required(make, reason):
    """ "Any time api.redirect.sendUserTo() is called in an Action, if prompt=none was passed, then
    the authorization fails with error=interaction_required"; a refresh-token exchange "will also
    fail if attempting to redirect" (the redirect sample of
    https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/redirect-with-actions).
    The flow stops after the action, denied; it does not suspend with the URL."""
    result = run("post-login", send_to_my_app, make(LOGIN.sample_payload()))
    assert result.control == "stop"
    assert result.deny["code"] == "interaction_required" and result.deny["command"] == "redirect.send_user_to"
    assert reason in result.deny["reason"]
    assert result.commands[0]["url"] == "https://my-app.exampleco.com/"


@pytest.mark.parametrize("make", [silent, refreshing, lambda event: event])
def test_can_redirect_says_whether_a_redirect_would_suspend(make):
    """``api.redirect.can_redirect()`` agrees with what ``send_user_to`` then does."""

    def probe(event, api):
        answer = api.redirect.can_redirect()
        api.redirect.send_user_to("https://my-app.exampleco.com")
        return answer

    result = run("post-login", probe, make(LOGIN.sample_payload()))
    assert result.result is (result.control == "suspend")
    assert (result.deny is None) is result.result


def test_a_refused_redirect_after_a_deny_keeps_the_deny():
    """The first deny-like command of the flow is the deny, as for ``access.deny``."""

    def deny_then_redirect(event, api):
        api.access.deny("blocked")
        api.redirect.send_user_to("https://my-app.exampleco.com")

    result = run("post-login", deny_then_redirect, silent(LOGIN.sample_payload()))
    assert result.deny == {"reason": "blocked", "command": "access.deny"}
