"""Endpoints beyond Auth0's, under ``/api/v2/jupyter-actions/``: flow execution for
applications, execution listing, secret names, dependency status, templates (and new actions
from them), trigger sample events, saved test cases, replay.

Flow execution answers with the outcome to apply (``jupyter_actions.outcome.Outcome``); it is
the one response that may hold a secret value (a claim an action set from one), exactly as
``Tenant.run_flow`` returns it. Everything else is redacted as the tenant records it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..frontends.cells import existing_action_cell
from ..model import Execution
from ..templates import get_template, list_templates
from ..triggers import get_trigger
from .core import Request, Response, page
from .management import action_of, invalid, only_fields

if TYPE_CHECKING:
    from ..tenant import Tenant

PREFIX = "/jupyter-actions"


def run_flow(tenant: Tenant, request: Request) -> Response:
    body = only_fields(request.json(), {"event"}, "flow execution")
    event = body.get("event")
    if not isinstance(event, dict):
        raise invalid("'event' must be an object: the trigger's event")
    return Response(200, _outcome(tenant.run_flow(request.params["trigger"], event)))


def continue_flow(tenant: Tenant, request: Request) -> Response:
    body = only_fields(request.json(required=False), {"request"}, "flow continuation")
    resumed = body.get("request")
    if resumed is not None and not isinstance(resumed, dict):
        raise invalid("'request' must be an object: what the user sent back to /continue")
    return Response(200, _outcome(tenant.continue_flow(request.params["id"], resumed)))


def _outcome(execution: Execution) -> dict[str, Any]:
    return {
        "id": execution.id,
        "trigger_id": execution.trigger_id,
        "status": execution.status,
        "outcome": execution.outcome,
    }


def list_executions(tenant: Tenant, request: Request) -> Response:
    per_page = request.integer("per_page", 20, 1, 100)
    number = request.integer("page", 0, 0, 1_000_000)
    found = tenant.executions(
        trigger=request.arg("triggerId"),
        kind=request.arg("kind"),
        status=request.arg("status"),
        since=request.arg("since"),
        until=request.arg("until"),
        action=request.arg("actionName"),
        limit=per_page,
        offset=number * per_page,
    )
    return Response(200, {"executions": [e.to_json() for e in found], "page": number, "per_page": per_page})


def list_secrets(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    return Response(200, {"secrets": [s.to_json() for s in tenant.list_secrets(action.name)]})


def set_secret(tenant: Tenant, request: Request) -> Response:
    """Write-only: the value is stored encrypted; the answer holds the name and time only."""
    action = action_of(tenant, request)
    body = only_fields(request.json(), {"value"}, "secret")
    value = body.get("value")
    if not isinstance(value, str):
        raise invalid("'value' must be a string")
    return Response(200, tenant.set_secret(action.name, request.params["name"], value).to_json())


def delete_secret(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    tenant.delete_secret(action.name, request.params["name"])
    return Response(204)


def dependency_status(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    return Response(
        200,
        {"status": tenant.dependency_status(action.name), "dependencies": [d.to_json() for d in action.dependencies]},
    )


def list_test_cases(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    return Response(200, page(tenant.test_cases(action.name), request, "test_cases"))


def run_test_cases(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    return Response(200, {"results": [r.to_json() for r in tenant.run_test_cases(action.name)]})


def replay(tenant: Tenant, request: Request) -> Response:
    body = only_fields(request.json(), {"candidate", "since", "limit"}, "replay")
    candidate = body.get("candidate")
    if not isinstance(candidate, str):
        raise invalid("'candidate' must be a string: ACTION, ACTION@draft or ACTION@N")
    limit = body.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise invalid("'limit' must be a whole number")
    since = body.get("since")
    if since is not None and not isinstance(since, str):
        raise invalid("'since' must be a duration such as 12h or 7d")
    report = tenant.replay(request.params["trigger"], candidate, since=since, limit=limit)
    return Response(200, report.to_json())


def list_template_summaries(tenant: Tenant, request: Request) -> Response:
    return Response(200, page(list_templates(), request, "templates"))


def get_template_json(tenant: Tenant, request: Request) -> Response:
    return Response(200, get_template(request.params["id"]).to_json())


def create_from_template(tenant: Tenant, request: Request) -> Response:
    body = only_fields(request.json(required=False), {"name", "module_secrets"}, "create from template")
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise invalid("'name' must be a string: the new action's name (default: the template id)")
    module_secrets = body.get("module_secrets", {})
    if not isinstance(module_secrets, dict) or not all(
        isinstance(values, dict) and all(isinstance(v, str) for v in values.values())
        for values in module_secrets.values()
    ):
        raise invalid("'module_secrets' must map each module of the template to {secret name: value}")
    created = tenant.create_from_template(request.params["id"], name, module_secrets=module_secrets)
    return Response(201, created.to_json())


def trigger_sample(tenant: Tenant, request: Request) -> Response:
    trigger = get_trigger(request.params["triggerId"])
    return Response(200, {"trigger_id": trigger.id, "payload": trigger.sample_payload()})


def action_cell(tenant: Tenant, request: Request) -> Response:
    return Response(200, {"source": existing_action_cell(action_of(tenant, request))})
