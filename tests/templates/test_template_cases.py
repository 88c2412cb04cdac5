"""Every test case of every template, through the real Tenant.test (workers, secrets, HTTP)."""

from __future__ import annotations

import pytest

from jupyter_actions.templates import list_templates

from .casecheck import check_case, needs_packages, run_case


def _cases() -> list:
    params = []
    for template in list_templates():
        # Dependencies are pinned and installed from the package index.
        marks = [pytest.mark.network] if needs_packages(template) else []
        params += [
            pytest.param(template, case, id=f"{template.id}: {case.name}", marks=marks) for case in template.cases
        ]
    return params


@pytest.mark.parametrize(("template", "case"), _cases())
def test_case(tenant, provider, template, case) -> None:
    execution = run_case(tenant, template, case, provider)
    check_case(case, execution, provider)


def test_a_wrong_expectation_fails(tenant, provider) -> None:
    """The checks can fail: the allowlist template's denial case, expected to be allowed."""
    template = next(t for t in list_templates() if t.id == "ip-allowlist")
    denied = next(c for c in template.cases if c.expect_outcome["status"] == "denied")
    execution = run_case(tenant, template, denied, provider)
    wrong = type(denied)(name="wrong", payload=denied.payload, expect_outcome={"status": "allowed"})
    with pytest.raises(AssertionError, match="does not contain"):
        check_case(wrong, execution, provider)
