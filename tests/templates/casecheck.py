"""Running a template's test case through the real `Tenant.test`, and checking its expectations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jupyter_actions.model import Execution
from jupyter_actions.templates import Template, TemplateCase
from jupyter_actions.tenant import test_cases
from jupyter_actions.webhook_receiver import WebhookReceiver


def run_case(tenant: Any, template: Template, case: TemplateCase, provider: WebhookReceiver) -> Execution:
    """Make the action from the template (its modules deployed with their test secrets), set
    its test secrets, then test it ``case.runs`` times."""
    tenant.create_from_template(template.id, module_secrets=module_provider_secrets(template, provider.url))
    for name, value in provider_secrets(template, provider.url).items():
        tenant.set_secret(template.id, name, value)
    provider.respond(case.provider_status, case.provider_body)
    for _ in range(case.runs):
        execution = tenant.test(template.id, template.payload(case))
    return execution


def needs_packages(template: Template) -> bool:
    """Whether the template (or a module of it) has dependencies, installed from the package index."""
    return bool(template.dependencies) or any(module.dependencies for module in template.modules)


def provider_secrets(template: Template, provider_url: str) -> dict[str, str]:
    """The template's test secret values, ``{provider}`` replaced by the local provider's URL."""
    return {name: value.replace("{provider}", provider_url) for name, value in template.test_secrets.items()}


def module_provider_secrets(template: Template, provider_url: str) -> dict[str, dict[str, str]]:
    """The test secret values of each of the template's modules, as ``provider_secrets``."""
    return {
        module.name: {name: value.replace("{provider}", provider_url) for name, value in module.test_secrets.items()}
        for module in template.modules
    }


def check_case(case: TemplateCase, execution: Execution, provider: WebhookReceiver) -> None:
    """Assert the case's expectations; the messages say which one failed and why."""
    outcome = execution.outcome
    expects_failure = outcome_matches({"status": "failed"}, case.expect_outcome) or "error" in case.expect_outcome
    if not expects_failure:
        errors = [r["response"]["error"] for r in execution.results if r["response"].get("error")]
        assert not errors, f"the action failed: {errors}"
    assert outcome_matches(case.expect_outcome, outcome), f"outcome {outcome} does not contain {case.expect_outcome}"
    for path in case.expect_unset:
        value = _at(outcome, path)
        assert value in (None, {}, []), f"outcome {path} is {value!r}, expected it unset"
    if case.for_actions:  # an action made from the template saves it: it must state the whole outcome
        differences = test_cases.compare(case.expected(), outcome)
        assert not differences, f"the case as an action's saved test case fails: {differences}"
    if case.expect_requests is not None:
        bodies = [request.json for request in provider.requests]
        assert len(bodies) == len(case.expect_requests), f"the provider received {bodies}"
        for body, expected in zip(bodies, case.expect_requests, strict=True):
            assert outcome_matches(expected, body), f"request body {body} does not contain {expected}"
    if case.expect_logs is not None:
        logs = "".join(r["response"]["logs"] for r in execution.results)
        assert case.expect_logs in logs, f"logs {logs!r} do not contain {case.expect_logs!r}"


def outcome_matches(expected: Any, actual: Any) -> bool:
    """Tables match key by key (extra keys in ``actual`` are fine); anything else must be equal."""
    if isinstance(expected, Mapping):
        return isinstance(actual, Mapping) and all(
            k in actual and outcome_matches(v, actual[k]) for k, v in expected.items()
        )
    return expected == actual


def _at(outcome: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path (``multifactor.provider_options``), None where it stops."""
    value: Any = outcome
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value
