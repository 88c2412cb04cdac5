"""The one route table: both doors, the OpenAPI document and the tests read it.

Paths are relative to ``/api/v2``. Scopes: ``read`` for GETs, ``manage`` for writes,
``execute`` for flow execution (an application's token can do nothing else).
"""

from __future__ import annotations

from . import extras as x
from . import management as m
from . import modules_api as mod
from .core import Route, Router

_A = "/actions/actions"
_M = "/actions/modules"
_X = x.PREFIX
_PAGING = ("page", "per_page", "include_totals")

ROUTES: tuple[Route, ...] = (
    Route(
        "GET",
        _A,
        m.list_actions,
        "read",
        "List actions",
        query=("triggerId", "actionName", "deployed", "installed", *_PAGING),
    ),
    Route(
        "POST", _A, m.create_action, "manage", "Create an action", status=201, body="CreateAction", body_required=True
    ),
    Route("GET", _A + "/{id}", m.get_action, "read", "Get an action"),
    Route(
        "PATCH",
        _A + "/{id}",
        m.update_action,
        "manage",
        "Update an action's draft",
        body="UpdateAction",
        body_required=True,
    ),
    Route("DELETE", _A + "/{id}", m.delete_action, "manage", "Delete an action", status=204, query=("force",)),
    Route("POST", _A + "/{id}/deploy", m.deploy_action, "manage", "Deploy the draft", status=202, body="DeployAction"),
    Route("POST", _A + "/{id}/test", m.test_action, "manage", "Test the draft", body="TestAction", body_required=True),
    Route("GET", _A + "/{actionId}/versions", m.list_versions, "read", "List versions", query=_PAGING),
    Route("GET", _A + "/{actionId}/versions/{id}", m.get_version, "read", "Get a version"),
    Route(
        "POST",
        _A + "/{actionId}/versions/{id}/deploy",
        m.deploy_version,
        "manage",
        "Roll back: deploy a copy of a version",
        status=202,
        body="DeployVersion",
    ),
    Route("GET", "/actions/triggers", m.list_triggers, "read", "List triggers"),
    Route(
        "GET",
        "/actions/triggers/{triggerId}/bindings",
        m.list_bindings,
        "read",
        "List a trigger's bindings",
        query=_PAGING,
    ),
    Route(
        "PATCH",
        "/actions/triggers/{triggerId}/bindings",
        m.update_bindings,
        "manage",
        "Replace a trigger's bindings",
        body="UpdateBindings",
        body_required=True,
    ),
    Route("GET", "/actions/executions/{id}", m.get_execution, "read", "Get an execution"),
    *(
        Route("GET", _M, mod.list_modules, "read", "List Actions Modules", query=_PAGING),
        Route(
            "POST",
            _M,
            mod.create_module,
            "manage",
            "Create a module",
            status=201,
            body="CreateModule",
            body_required=True,
        ),
        Route("GET", _M + "/{id}", mod.get_module, "read", "Get a module"),
        Route(
            "PATCH",
            _M + "/{id}",
            mod.update_module,
            "manage",
            "Update a module's draft",
            body="UpdateModule",
            body_required=True,
        ),
        Route(
            "GET", _M + "/{id}/actions", mod.list_module_actions, "read", "Actions that import a module", query=_PAGING
        ),
        Route(
            "GET", _M + "/{id}/versions", mod.list_module_versions, "read", "List a module's versions", query=_PAGING
        ),
        Route(
            "POST",
            _M + "/{id}/versions",
            mod.create_module_version,
            "manage",
            "Deploy (publish) a module version",
            status=201,
        ),
        Route("GET", _M + "/{id}/versions/{versionId}", mod.get_module_version, "read", "Get a module version"),
    ),
    # ours
    Route(
        "POST",
        _X + "/flows/{trigger}/executions",
        x.run_flow,
        "execute",
        "Run a flow on one event",
        body="RunFlow",
        body_required=True,
    ),
    Route(
        "POST",
        _X + "/flows/executions/{id}/continue",
        x.continue_flow,
        "execute",
        "Continue a suspended execution",
        body="ContinueFlow",
    ),
    Route(
        "POST",
        _X + "/flows/{trigger}/replay",
        x.replay,
        "manage",
        "Replay recorded executions with a candidate",
        body="Replay",
        body_required=True,
    ),
    Route(
        "GET",
        _X + "/executions",
        x.list_executions,
        "read",
        "List executions",
        query=("triggerId", "kind", "status", "since", "until", "actionName", "page", "per_page"),
    ),
    Route("GET", _X + "/actions/{id}/secrets", x.list_secrets, "read", "List secret names and status"),
    Route(
        "PUT",
        _X + "/actions/{id}/secrets/{name}",
        x.set_secret,
        "manage",
        "Set a secret value (write-only)",
        body="SecretValue",
        body_required=True,
    ),
    Route("DELETE", _X + "/actions/{id}/secrets/{name}", x.delete_secret, "manage", "Delete a secret", status=204),
    Route("GET", _X + "/actions/{id}/dependencies", x.dependency_status, "read", "Dependency build status"),
    Route("GET", _X + "/actions/{id}/cell", x.action_cell, "read", "The %%action cell that holds the draft"),
    Route("GET", _X + "/actions/{id}/test-cases", x.list_test_cases, "read", "List saved test cases", query=_PAGING),
    Route("POST", _X + "/actions/{id}/test-cases/runs", x.run_test_cases, "manage", "Run the saved test cases"),
    Route("GET", _X + "/templates", x.list_template_summaries, "read", "List templates", query=_PAGING),
    Route("GET", _X + "/templates/{id}", x.get_template_json, "read", "Get a template"),
    Route(
        "POST",
        _X + "/templates/{id}/actions",
        x.create_from_template,
        "manage",
        "Create an action from a template",
        status=201,
        body="FromTemplate",
    ),
    Route("GET", _X + "/triggers/{triggerId}/sample", x.trigger_sample, "read", "A trigger's sample event"),
)

ROUTER = Router(ROUTES)
