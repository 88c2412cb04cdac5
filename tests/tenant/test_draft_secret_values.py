"""``save_draft(secret_values=...)``: the draft and its secret values in one transaction."""

from __future__ import annotations

import pytest

from jupyter_actions import InvalidInputError, SecretsError, Tenant
from jupyter_actions.cipher import MAX_VALUE_CHARS
from tests.conftest import POST_LOGIN_CODE, READS_SECRETS, digest
from tests.store_rows import snapshot

VALUE = "v4lue-Distinctive-7e21"
OTHER = "0ther-Distinctive-93bd"


def test_a_draft_saved_with_values_runs_with_them_and_an_update_keeps_the_others(tenant):
    action, changed = tenant.save_draft("keyed", "post-login", READS_SECRETS, secret_values={"API_KEY": VALUE})
    assert changed and [(s.name, s.is_set) for s in action.secrets] == [("API_KEY", True)]
    tenant.save_draft("keyed", "post-login", READS_SECRETS, secret_values={"OTHER": OTHER})
    assert [(s.name, s.is_set) for s in tenant.list_secrets("keyed")] == [("API_KEY", True), ("OTHER", True)]
    claims = tenant.test("keyed").outcome["id_token_claims"]
    assert claims == {"API_KEY": digest(VALUE), "OTHER": digest(OTHER)}


def test_deploy_in_the_same_call_snapshots_the_values(tenant):
    action, _ = tenant.save_draft(
        "keyed", "post-login", READS_SECRETS, secret_values={"API_KEY": VALUE, "OTHER": OTHER}, deploy=True
    )
    assert action.deployed_version is not None and action.deployed_version.number == 1
    tenant.bind("post-login", ["keyed"])
    from jupyter_actions.triggers import get_trigger

    outcome = tenant.run_flow("post-login", get_trigger("post-login").sample_payload()).outcome
    assert outcome["id_token_claims"] == {"API_KEY": digest(VALUE), "OTHER": digest(OTHER)}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"API_KEY": "x" * (MAX_VALUE_CHARS + 1)}, "the limit is"),
        ({"API_KEY": 1234}, "must be text"),
        ({"API_KEY": VALUE, "OTHER": "abc"}, "shorter than"),
        ({"1BAD": VALUE}, "invalid secret name"),
        ([("API_KEY", VALUE)], "must be a mapping"),
    ],
)
def test_a_refused_value_writes_nothing(tenant, values, message):
    tenant.save_draft("keyed", "post-login", POST_LOGIN_CODE, secret_values={"API_KEY": OTHER})
    before = snapshot(tenant)
    for name in ("keyed", "new"):
        with pytest.raises(InvalidInputError, match=message) as refused:
            tenant.save_draft(name, "post-login", READS_SECRETS, secrets=["DECLARED"], secret_values=values)
        assert VALUE not in str(refused.value)
    assert snapshot(tenant) == before


def test_a_failure_while_writing_the_values_leaves_no_draft_behind(tenant, monkeypatch):
    """The values are written after the draft, in its transaction: a key that cannot encrypt
    them (the wrong master key) rolls the draft back too."""
    from cryptography.fernet import Fernet

    tenant.save_draft("keyed", "post-login", POST_LOGIN_CODE, secret_values={"API_KEY": OTHER})
    before = snapshot(tenant)
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", Fernet.generate_key().decode())
    with Tenant() as wrong_key:
        for name in ("keyed", "new"):
            with pytest.raises(SecretsError, match="does not match"):
                wrong_key.save_draft(name, "post-login", READS_SECRETS, secret_values={"API_KEY": VALUE})
    assert snapshot(tenant) == before
