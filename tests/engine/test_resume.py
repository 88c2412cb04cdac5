"""Resuming suspended flows, several MFA commands and refused redirects, through real workers.

Each action is an Auth0 documentation sample ported by renaming camelCase to snake_case; the
page is named in the test.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from jupyter_actions import ConflictError, PayloadError

from .test_flow_semantics import hs256, names

MFA_SELECTION = (
    "https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-selection-universal-login"
)
MFA_ENROLLMENT = (
    "https://auth0.com/docs/secure/multi-factor-authentication/customize-mfa/customize-mfa-enrollments-universal-login"
)
REDIRECTS = (
    "https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/"
    "redirect-with-actions"
)

# MFA_SELECTION, "Use roles to determine challenge method"
ROLES_CHALLENGE = """
async def on_execute_post_login(event, api):
    api.authentication.challenge_with({"type": "otp"})

    is_admin = "admin" in (event.authorization.roles if event.authorization else [])
    if is_admin:
        api.authentication.challenge_with({"type": "phone"})
"""

# MFA_ENROLLMENT, "Sequenced and contextual flows", Action 1 and Action 2
ENROLL_ACTION_1 = """
async def on_execute_post_login(event, api):
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
"""
ENROLL_ACTION_2 = """
import time
from datetime import datetime

async def on_execute_post_login(event, api):
    def performed(type):
        return any(
            m.name == "mfa"
            and m.type == type
            and time.time() * 1000 - datetime.fromisoformat(m.timestamp).timestamp() * 1000 < 5000
            for m in event.authentication.methods
        )

    if event.user.app_metadata.isAdmin:
        # enforce both factors are used by challenging the one that has not been used yet
        if not performed("webauthn-roaming"):
            api.authentication.challenge_with({"type": "webauthn-roaming"})
        elif not performed("otp"):
            api.authentication.challenge_with({"type": "otp"})
"""

# https://auth0.com/docs/customize/forms/render, "Fields and shared variables data in Actions"
FORM = """
async def on_execute_post_login(event, api):
    api.prompt.render("ap_fuVuFiiQWN3mTEujWTy966")

async def on_continue_post_login(event, api):
    api.user.set_user_metadata("company_name", event.prompt.fields.company_name)
"""
FORM_PROMPT = {  # the page's "Example of event.prompt object"
    "id": "ap_fuVuFiiQWN3mTEujWTy966",
    "fields": {"first_name": "Jane", "company_name": "Okta"},
    "vars": {"external_crm_uuid": "f8f32e6f-2329-49bd-bf21-fa8b0bea2652", "api_hostname": "api.example.com"},
}

# REDIRECTS, "Start a redirect" and "Pass information back to the Action"
START_REDIRECT = """
async def on_execute_post_login(event, api):
    api.redirect.send_user_to("https://my-app.exampleco.com")

async def on_continue_post_login(event, api):
    pass
"""
VALIDATE_FROM_BODY = """
async def on_execute_post_login(event, api):
    api.redirect.send_user_to("https://my-app.exampleco.com")

async def on_continue_post_login(event, api):
    payload = api.redirect.validate_token(
        {"secret": event.secrets.PRECONFIGURED_SECRET, "tokenParameterName": "my_token"}
    )

    # use the data encoded in the token, such as:
    api.id_token.set_custom_claim("color", payload["favorite_color"])
"""


@pytest.fixture
def deploy_code(tenant):
    def make(name: str, code: str, secrets: dict | None = None) -> None:
        tenant.save_draft(name, "post-login", code, secrets=list(secrets or ()))
        for key, value in (secrets or {}).items():
            tenant.set_secret(name, key, value)
        tenant.deploy(name)

    return make


def mfa(type_: str) -> dict:
    return {"name": "mfa", "type": type_, "timestamp": datetime.now(UTC).isoformat()}


def test_a_flow_that_suspends_twice_resumes_with_the_methods_of_each_challenge(tenant, deploy_code, login):
    """The two actions of the enrolment sample (MFA_ENROLLMENT): an admin enrolled with OTP is
    challenged and asked to enrol a security key (first suspension); after that, Action 2 sees
    only OTP among the recent methods and challenges with the key (second suspension); after
    that, both were performed and the login completes. Each suspension's outcome carries only
    what it waits for."""
    deploy_code("enroll", ENROLL_ACTION_1)
    deploy_code("enforce", ENROLL_ACTION_2)
    tenant.bind("post-login", ["enroll", "enforce"])
    login["user"]["enrolledFactors"] = [{"type": "otp"}]
    login["user"]["app_metadata"] = {"isAdmin": True}

    first = tenant.run_flow("post-login", login)
    assert first.outcome["status"] == "suspended" and names(first) == ["enroll"]
    assert [c["method"] for c in first.outcome["mfa_commands"]] == ["challenge_with_any", "enroll_with"]
    assert first.outcome["enrollment"]["factor"] == {"type": "webauthn-roaming"}

    methods = [*login["authentication"]["methods"], mfa("otp")]
    second = tenant.continue_flow(first.id, {"query": {"state": "s1"}, "authentication": {"methods": methods}})
    assert second.id == first.id and second.outcome["status"] == "suspended"
    assert names(second) == ["enroll", "enroll", "enforce"]  # enroll resumed (it has no continue handler)
    assert second.outcome["mfa_commands"] == [
        {"method": "challenge_with", "factor": {"type": "webauthn-roaming"}, "additional_factors": []}
    ]
    assert second.outcome["enrollment"] is None  # acted on at the first suspension
    assert second.outcome["challenge"]["factor"] == {"type": "webauthn-roaming"}

    methods.append(mfa("webauthn-roaming"))
    third = tenant.continue_flow(first.id, {"query": {"state": "s1"}, "authentication": {"methods": methods}})
    assert third.outcome["status"] == "allowed" and third.status == "final"
    assert names(third) == ["enroll", "enroll", "enforce", "enforce"]
    assert third.outcome["mfa_commands"] == [] and third.outcome["challenge"] is None
    assert all(r["response"]["error"] is None for r in third.results)
    with pytest.raises(ConflictError, match="not suspended"):
        tenant.continue_flow(first.id, None)


def test_after_a_redirect_and_a_challenge_the_redirect_is_not_carried_again(tenant, deploy_code, login):
    """A redirect (REDIRECTS, "Start a redirect") then the roles challenge (MFA_SELECTION): the
    second suspension waits for the challenge only, so an application does not redirect the user
    again; after the last continue nothing waits."""
    deploy_code("redirect", START_REDIRECT)
    deploy_code("step-up", ROLES_CHALLENGE)
    tenant.bind("post-login", ["redirect", "step-up"])
    login["authorization"] = {"roles": ["admin"]}

    first = tenant.run_flow("post-login", login)
    assert first.outcome["redirect"] == {"url": "https://my-app.exampleco.com/"}
    assert first.outcome["mfa_commands"] == []
    second = tenant.continue_flow(first.id, {"query": {"state": "s1"}})
    assert second.outcome["status"] == "suspended" and second.outcome["redirect"] is None
    assert [c["factor"]["type"] for c in second.outcome["mfa_commands"]] == ["otp", "phone"]
    done = tenant.continue_flow(first.id, {"query": {"state": "s1"}})
    assert done.outcome["status"] == "allowed"
    assert (done.outcome["redirect"], done.outcome["challenge"], done.outcome["mfa_commands"]) == (None, None, [])
    assert tenant.execution(first.id).outcome["redirect"] is None  # as stored


def test_a_form_resume_gives_the_action_event_prompt(tenant, deploy_code, login):
    """https://auth0.com/docs/customize/forms/render: "Fields and shared variables data collected,
    in your forms, is automatically available with the event.prompt in the resume function"."""
    deploy_code("form", FORM)
    tenant.bind("post-login", ["form"])
    suspended = tenant.run_flow("post-login", login)
    assert suspended.outcome["prompt"] == {"prompt_id": "ap_fuVuFiiQWN3mTEujWTy966", "options": {}}

    resumed = tenant.continue_flow(suspended.id, {"query": {"state": "s1"}, "prompt": FORM_PROMPT})
    assert resumed.outcome["status"] == "allowed"
    assert resumed.outcome["user_metadata"] == {"company_name": "Okta"}
    assert resumed.outcome["prompt"] is None


def test_the_continue_request_brings_the_continue_body_and_keeps_the_rest_of_the_request(
    tenant, deploy_code, deploy, login
):
    """REDIRECTS, "Pass information back to the Action": the token comes back in the body of a
    POST to /continue (tokenParameterName my_token). The resumed event.request has the
    /continue method, query and body; its other fields (hostname, ip ...) stay those of the
    login, and the login's query is gone."""
    secret = "preconfigured-secret-0123456789"
    deploy_code("colors", VALIDATE_FROM_BODY, secrets={"PRECONFIGURED_SECRET": secret})
    deploy(
        "after",
        'api.id_token.set_custom_claim("https://x/request", [event.request.method, event.request.hostname, '
        "sorted(event.request.query), sorted(event.request.body)])",
    )
    tenant.bind("post-login", ["colors", "after"])
    suspended = tenant.run_flow("post-login", login)
    token = hs256(
        {
            "sub": login["user"]["user_id"],
            "iss": login["request"]["hostname"],
            "state": "s1",
            "favorite_color": "green",
            "exp": int(time.time()) + 60,
        },
        secret,
    )
    resumed = tenant.continue_flow(suspended.id, {"method": "POST", "body": {"state": "s1", "my_token": token}})
    assert resumed.outcome["status"] == "allowed", resumed.outcome["error"]
    assert resumed.outcome["id_token_claims"] == {
        "color": "green",
        "https://x/request": ["POST", login["request"]["hostname"], [], ["my_token", "state"]],
    }


def test_the_fifth_mfa_command_of_a_flow_fails_it_even_across_a_suspension(tenant, deploy_code, deploy, login):
    """MFA_SELECTION: "Actions (or series of Actions) in a tenant can only execute four of the
    following commands per user flow ... If this limit is exceeded (i.e., a fifth command of this
    type attempts to execute), an authentication error will occur." Two from the roles sample,
    then three more after the continue: the flow fails closed at the action that made the fifth."""
    deploy_code("step-up", ROLES_CHALLENGE)
    deploy(
        "more",
        'for factor in ("email", "push-notification", "webauthn-roaming"):\n'
        '    api.authentication.challenge_with({"type": factor})',
    )
    tenant.bind("post-login", ["step-up", "more"])
    login["authorization"] = {"roles": ["admin"]}
    first = tenant.run_flow("post-login", login)
    assert len(first.outcome["mfa_commands"]) == 2
    failed = tenant.continue_flow(first.id, {"query": {"state": "s1"}})
    assert failed.outcome["status"] == "failed" and failed.status == "partial"
    error = failed.outcome["error"]
    assert (error["action_name"], error["error_class"], error["name"]) == ("more", "action_error", "LimitError")
    assert "5 enroll_with" in error["message"] and "at most 4 per flow" in error["message"]
    assert failed.outcome["mfa_commands"] == []  # nothing waits: the flow failed
    assert len(failed.results[-1]["commands"]) == 3  # what broke the limit stays in the record


def test_four_mfa_commands_in_one_action_suspend_and_a_fifth_fails(tenant, deploy):
    deploy("four", 'for f in ("otp", "email", "phone", "push-notification"):\n    api.authentication.challenge_with(f)')
    four = tenant.test("four", None)
    assert four.outcome["status"] == "suspended" and len(four.outcome["mfa_commands"]) == 4
    deploy(
        "five",
        'for f in ("otp", "phone", "push-notification", "recovery-code", "webauthn-platform"):\n    api.authentication.enroll_with(f)',
    )
    five = tenant.test("five", None)
    assert five.outcome["status"] == "failed" and five.outcome["error"]["name"] == "LimitError"


@pytest.mark.parametrize(
    "change",
    [
        lambda event: event["request"]["query"].update(prompt="none"),
        lambda event: event["transaction"].update(protocol="oauth2-refresh-token"),
    ],
    ids=["prompt=none", "refresh-token"],
)
def test_a_redirect_that_cannot_happen_denies_with_interaction_required(tenant, deploy_code, deploy, login, change):
    """REDIRECTS, "Flows where prompt=none" and "Refresh tokens": the redirect sample fails the
    authorization (error=interaction_required) instead of suspending; no later action runs and
    there is nothing to continue."""
    deploy_code("redirect", START_REDIRECT)
    deploy("after", 'api.id_token.set_custom_claim("https://x/after", True)')
    tenant.bind("post-login", ["redirect", "after"])
    change(login)
    execution = tenant.run_flow("post-login", login)
    assert execution.outcome["status"] == "denied" and execution.status == "final"
    assert execution.outcome["deny"]["code"] == "interaction_required"
    assert execution.outcome["redirect"] is None and names(execution) == ["redirect"]
    with pytest.raises(ConflictError, match="not suspended"):
        tenant.continue_flow(execution.id, {"query": {}})


@pytest.mark.parametrize(
    "request_, message",
    [
        ({"authentication": [mfa("otp")]}, '"authentication" must be {"methods": [...]}'),
        ({"authentication": {"methods": [mfa("otp")], "riskAssessment": {}}}, '"authentication" must be'),
        ({"authentication": {"methods": [{"type": "otp"}]}}, "$.authentication.methods[0].name"),
        ({"prompt": {"fields": {}}}, "$.prompt.id"),
        ({"prompt": "ap_1"}, "$.prompt"),
        ({"method": 7}, "$.request.method"),
    ],
)
def test_a_bad_continue_request_is_refused_in_one_line_and_the_execution_stays_suspended(
    tenant, deploy_code, login, request_, message
):
    deploy_code("form", FORM)
    tenant.bind("post-login", ["form"])
    suspended = tenant.run_flow("post-login", login)
    with pytest.raises(PayloadError) as refused:
        tenant.continue_flow(suspended.id, request_)
    line = str(refused.value)
    assert "\n" not in line and line.startswith("the continue request") and message in line
    assert tenant.execution(suspended.id).outcome["status"] == "suspended"
