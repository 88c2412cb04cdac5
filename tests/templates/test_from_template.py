"""An action made from a template brings the template's test cases (``Tenant.create_from_template``,
``save_draft(template=...)``), and they pass on the template's code."""

from __future__ import annotations

import pytest

from jupyter_actions.errors import ConflictError, InvalidInputError, NotFoundError
from jupyter_actions.templates import get_template, list_templates

from .casecheck import module_provider_secrets, needs_packages, provider_secrets


def _templates() -> list:
    # Dependencies are pinned and installed from the package index.
    return [pytest.param(t, id=t.id, marks=[pytest.mark.network] if needs_packages(t) else []) for t in list_templates()]


@pytest.mark.parametrize("template", _templates())
def test_the_cases_it_brings_pass_once_its_secrets_are_set(tenant, provider, template) -> None:
    action = tenant.create_from_template(
        template.id, name="made", module_secrets=module_provider_secrets(template, provider.url)
    )
    assert (action.trigger_id, action.code) == (template.trigger, template.code)
    assert [(m.module_name, m.module_version_number) for m in action.modules] == [(m.name, 1) for m in template.modules]
    assert [s.name for s in action.secrets] == sorted(template.secrets)
    assert not any(s.is_set for s in action.secrets)  # values are the user's to set
    assert [d.name for d in action.dependencies] == list(template.dependencies)
    saved = tenant.test_cases("made")
    assert sorted(c.name for c in saved) == sorted(c.name for c in template.action_cases())
    for name, value in provider_secrets(template, provider.url).items():
        tenant.set_secret("made", name, value)
    results = tenant.run_test_cases("made")
    assert [(r.case.name, r.differences) for r in results if not r.passed] == []


def test_the_name_defaults_to_the_template_id(tenant) -> None:
    assert tenant.create_from_template("ip-allowlist").name == "ip-allowlist"
    assert len(tenant.test_cases("ip-allowlist")) == 2


def test_a_taken_name_is_refused_and_the_action_is_left_as_it_was(tenant) -> None:
    tenant.save_draft("mine", "post-login", get_template("mfa-for-admins").code)
    with pytest.raises(ConflictError, match="an action named mine exists already"):
        tenant.create_from_template("ip-allowlist", name="mine")
    assert tenant.get_action("mine").code == get_template("mfa-for-admins").code
    assert tenant.test_cases("mine") == []


def test_an_unknown_template_or_a_bad_name_changes_nothing(tenant) -> None:
    with pytest.raises(NotFoundError, match="unknown template 'nope'"):
        tenant.create_from_template("nope")
    with pytest.raises(InvalidInputError, match="invalid action name"):
        tenant.create_from_template("ip-allowlist", name="Bad Name")
    assert tenant.list_actions() == []


def test_a_draft_saved_with_a_template_brings_the_cases_only_when_it_creates_the_action(tenant) -> None:
    template = get_template("login-counter")
    tenant.save_draft("counter", "post-login", template.code, template="login-counter")
    assert len(tenant.test_cases("counter")) == 2
    tenant.delete_test_case("counter", "the first login counts 1")
    edited = template.code.replace("+ 1", "+ 2")
    _, changed = tenant.save_draft("counter", "post-login", edited, template="login-counter")
    assert changed
    assert [c.name for c in tenant.test_cases("counter")] == ["the fifth login counts 5"]  # the user's choice stays


def test_a_template_for_another_trigger_is_refused(tenant) -> None:
    with pytest.raises(
        InvalidInputError, match="template login-counter is for trigger post-login, not pre-user-registration"
    ):
        tenant.save_draft(
            "x", "pre-user-registration", get_template("block-disposable-email").code, template="login-counter"
        )
    assert tenant.list_actions() == []


def test_a_case_that_no_longer_holds_fails(tenant) -> None:
    """The brought cases check the behaviour: changing the code makes one fail."""
    template = get_template("login-counter")
    tenant.create_from_template("login-counter")
    tenant.save_draft("login-counter", "post-login", template.code.replace("+ 1", "+ 2"))
    failed = [r for r in tenant.run_test_cases("login-counter") if not r.passed]
    assert len(failed) == 2 and "app_metadata: expected" in failed[0].differences[0]
