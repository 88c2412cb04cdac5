"""An action made from a template brings the template's test cases (``Tenant.create_from_template``,
``save_draft(template=...)``), and they pass on the template's code."""

from __future__ import annotations

import pytest

from jupyter_actions.errors import ConflictError, InvalidInputError, NotFoundError
from jupyter_actions.templates import get_template, list_templates
from tests.store_rows import snapshot

from .casecheck import module_provider_secrets, needs_packages, provider_secrets


def _templates() -> list:
    # Dependencies are pinned and installed from the package index.
    return [
        pytest.param(t, id=t.id, marks=[pytest.mark.network] if needs_packages(t) else []) for t in list_templates()
    ]


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


LOGGER_VALUES = {"SERVICE_URL": "http://127.0.0.1:9/logs", "API_KEY": "logger-key-5e1b"}


def test_an_identical_module_is_reused_and_its_values_kept(tenant) -> None:
    first = tenant.create_from_template("log-logins-module", name="first", module_secrets={"logger": LOGGER_VALUES})
    second = tenant.create_from_template("log-logins-module", name="second")
    assert first.modules == second.modules and second.modules[0].module_version_number == 1
    assert len(tenant.module_versions("logger")) == 1
    assert tenant.module_importers("logger")[1]["action_name"] == "second"


def test_a_module_saved_but_not_deployed_is_deployed_with_its_values(tenant) -> None:
    template = get_template("log-logins-module")
    module = template.modules[0]
    tenant.save_module("logger", module.code, secrets=module.secrets, secret_values=LOGGER_VALUES)
    action = tenant.create_from_template("log-logins-module")
    assert action.modules[0].module_version_number == 1


def test_a_module_with_other_code_is_refused_and_nothing_changes(tenant) -> None:
    tenant.save_module("logger", "def send_log(code, message):\n    pass\n", deploy=True)
    before = snapshot(tenant)
    with pytest.raises(ConflictError, match=r"a module named logger exists already with other code.*\(its version 1\)"):
        tenant.create_from_template("log-logins-module", module_secrets={"logger": LOGGER_VALUES})
    assert snapshot(tenant) == before


@pytest.mark.parametrize(
    ("module_secrets", "error", "message"),
    [
        ({}, InvalidInputError, "module logger of template log-logins-module needs a value for its secret SERVICE_URL"),
        (
            {"logger": {"SERVICE_URL": "http://127.0.0.1:9/logs"}},
            InvalidInputError,
            "needs a value for its secret API_KEY",
        ),
        ({"other": {}}, InvalidInputError, "template log-logins-module has no module other: its modules are logger"),
        ({"logger": {**LOGGER_VALUES, "EXTRA": "extra-value"}}, InvalidInputError, "has no secret EXTRA"),
        ({"logger": {**LOGGER_VALUES, "API_KEY": ""}}, InvalidInputError, "secret API_KEY: the value"),
        ({"logger": []}, InvalidInputError, "secret values must be a mapping"),
    ],
)
def test_bad_module_secret_values_are_refused_before_anything_is_written(tenant, module_secrets, error, message):
    before = snapshot(tenant)
    with pytest.raises(error, match=message) as raised:
        tenant.create_from_template("log-logins-module", module_secrets=module_secrets)
    assert "\n" not in str(raised.value)
    assert snapshot(tenant) == before


def test_values_for_a_reused_module_are_refused(tenant) -> None:
    tenant.create_from_template("log-logins-module", name="first", module_secrets={"logger": LOGGER_VALUES})
    with pytest.raises(InvalidInputError, match="exists already \\(version 1\\) with its own secret values"):
        tenant.create_from_template("log-logins-module", name="second", module_secrets={"logger": LOGGER_VALUES})
    assert [a.name for a in tenant.list_actions()] == ["first"]


def test_a_taken_name_is_refused_before_the_module_is_made(tenant) -> None:
    tenant.save_draft("taken", "post-login", get_template("mfa-for-admins").code)
    with pytest.raises(ConflictError, match="an action named taken exists already"):
        tenant.create_from_template("log-logins-module", name="taken", module_secrets={"logger": LOGGER_VALUES})
    assert tenant.list_modules() == []
