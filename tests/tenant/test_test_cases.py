"""Saved test cases for an action and for a whole flow, through the API and the CLI."""

from __future__ import annotations

import json

import pytest

from jupyter_actions import InvalidInputError
from jupyter_actions.errors import TestCaseNotFound

GATE = """
async def on_execute_post_login(event, api):
    if "admin" in event.authorization.roles:
        api.multifactor.enable("any")
        api.id_token.set_custom_claim("https://x/admin", True)
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("blocked domain")
"""


@pytest.fixture
def gate(tenant):
    from jupyter_actions.triggers import get_trigger

    tenant.save_draft("gate", "post-login", GATE)
    admin = get_trigger("post-login").sample_payload()
    admin["authorization"]["roles"] = ["admin"]
    blocked = get_trigger("post-login").sample_payload()
    blocked["user"]["email"] = "eve@blocked.example"
    return admin, blocked


def test_cases_pass_then_fail_when_behaviour_changes(tenant, gate, cli):
    admin, blocked = gate
    case = tenant.save_test_case("gate", "admin gets MFA", admin)
    assert case.expected["status"] == "allowed" and case.expected["multifactor"]["provider"] == "any"
    assert case.expected["id_token_claims"] == {"https://x/admin": True}
    tenant.save_test_case("gate", "blocked domain denied", blocked)
    assert [r.passed for r in tenant.run_test_cases("gate")] == [True, True]
    assert cli("test", "gate", "--cases").status == 0

    tenant.save_draft("gate", "post-login", GATE.replace('api.multifactor.enable("any")', "pass"))
    results = {r.case.name: r for r in tenant.run_test_cases("gate")}
    assert results["blocked domain denied"].passed
    assert not results["admin gets MFA"].passed
    assert results["admin gets MFA"].differences[0].startswith("multifactor: expected")
    ran = cli("test", "gate", "--cases", "--json")
    assert ran.status == 1
    report = json.loads(ran.out)
    assert report["failed"] == 1 and report["passed"] == 1


def test_flow_cases_run_every_bound_action(tenant, gate, cli, tmp_path):
    admin, _ = gate
    tenant.deploy("gate")
    tenant.save_draft(
        "tagger",
        "post-login",
        'async def on_execute_post_login(event, api):\n    api.access_token.set_custom_claim("https://x/tag", "t")\n',
        deploy=True,
    )
    tenant.bind("post-login", ["gate", "tagger"])
    case = tenant.save_flow_test_case("post-login", "admin through the flow", admin)
    assert case.expected["access_token_claims"] == {"https://x/tag": "t"}
    assert case.expected["id_token_claims"] == {"https://x/admin": True}
    assert cli("flows", "test", "post-login").status == 0
    tenant.bind("post-login", ["gate"])
    failing = cli("flows", "test", "post-login")
    assert failing.status == 1 and "FAIL  admin through the flow" in failing.out
    assert "access_token_claims: expected" in failing.out


def test_case_input_errors(tenant, gate):
    with pytest.raises(InvalidInputError, match="needs a name"):
        tenant.save_test_case("gate", "", None)
    with pytest.raises(InvalidInputError, match="needs at least a status"):
        tenant.save_test_case("gate", "x", None, expected={"deny": None})
    with pytest.raises(TestCaseNotFound):
        tenant.delete_test_case("gate", "nope")
    assert tenant.test_cases("gate") == []


def test_cli_saves_a_case(tenant, gate, cli, tmp_path):
    _, blocked = gate
    path = tmp_path / "blocked.json"
    path.write_text(json.dumps(blocked))
    saved = cli("test", "gate", "--payload", str(path), "--save-case", "blocked")
    assert saved.status == 0 and '"denied"' in saved.out
    assert [c.name for c in tenant.test_cases("gate")] == ["blocked"]
