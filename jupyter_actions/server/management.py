"""Auth0's Management API for Actions, over ``Tenant``: paths, JSON shapes, pagination.

Reference rest-and-lab A2-A5 and auth0-actions 8.2-8.3. Where the tenant differs from Auth0 it
says so in one line (docs/serving.md): code is Python and the runtime is ``python3.11``; an
action targets one trigger; PATCH ``secrets`` sets the values it names and keeps the others.
Actions Modules have their own module (``modules_api.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import cipher as secret_rules
from ..errors import ActionNotFound, VersionNotFound
from ..model import RUNTIME, Action, ActionVersion
from ..triggers import all_triggers, get_trigger
from .core import Request, Response, page
from .errors import ApiError

if TYPE_CHECKING:
    from ..tenant import Tenant

_CREATE_KEYS = {"name", "supported_triggers", "code", "dependencies", "runtime", "secrets", "modules", "deploy"}
_UPDATE_KEYS = _CREATE_KEYS - {"deploy"}


# actions ---------------------------------------------------------------------------------
def list_actions(tenant: Tenant, request: Request) -> Response:
    trigger = request.arg("triggerId")
    if trigger is not None:
        get_trigger(trigger)
    name = request.arg("actionName")
    deployed = request.flag("deployed", None)
    installed = request.flag("installed", None)
    found = [
        a
        for a in tenant.list_actions(trigger)
        if (name is None or a.name == name)
        and (deployed is None or (a.deployed_version is not None) == deployed)
        and installed is not True
    ]  # no marketplace actions here
    return Response(200, page(found, request, "actions"))


def create_action(tenant: Tenant, request: Request) -> Response:
    body = only_fields(request.json(), _CREATE_KEYS, "create")
    name = string_field(body, "name", required=True)
    trigger = _trigger_of(body, required=True)
    code = string_field(body, "code") if "code" in body else _starter_code(trigger)
    deploy = _boolean(body, "deploy")
    spec = _draft_spec(tenant, body)
    if _exists(tenant, name):
        raise ApiError(409, f"An action named {name} exists: update it with PATCH /actions/actions/{{id}}", "conflict")
    created, _ = tenant.save_draft(
        name,
        trigger,
        code,
        secrets=spec.declared,
        secret_values=spec.secret_values,
        dependencies=spec.dependencies,
        deploy=deploy,
        modules=spec.modules,
    )
    return Response(201, created.to_json())


def get_action(tenant: Tenant, request: Request) -> Response:
    return Response(200, action_of(tenant, request).to_json())


def update_action(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    body = only_fields(request.json(), _UPDATE_KEYS, "update")
    if "name" in body and string_field(body, "name") != action.name:
        raise ApiError(
            400, "Payload validation error: renaming an action is not supported; create a new one", "invalid_body"
        )
    trigger = _trigger_of(body) if "supported_triggers" in body else action.trigger_id
    code = string_field(body, "code") if "code" in body else action.code
    spec = _draft_spec(tenant, body)
    updated, _ = tenant.save_draft(
        action.name,
        trigger,
        code,
        secrets=spec.declared,
        secret_values=spec.secret_values,
        dependencies=spec.dependencies,
        modules=spec.modules,
    )
    return Response(200, updated.to_json())


def delete_action(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    tenant.delete_action(action.name, force=bool(request.flag("force")))
    return Response(204)


def deploy_action(tenant: Tenant, request: Request) -> Response:
    """Auth0 sends no body; ours may carry ``{message}``, kept on the version it makes."""
    action = action_of(tenant, request)
    body = only_fields(request.json(required=False) or {}, {"message"}, "deploy")
    message = string_field(body, "message") if "message" in body else None
    return Response(202, tenant.deploy(action.name, message=message or None).version.to_json())


def test_action(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request)
    body = only_fields(request.json(), {"payload"}, "test")
    payload = body.get("payload")
    if payload is not None and not isinstance(payload, dict):
        raise invalid("'payload' must be an object")
    execution = tenant.test(action.name, payload)
    return Response(200, {"payload": execution.to_json()})


# versions --------------------------------------------------------------------------------
def list_versions(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request, "actionId")
    return Response(200, page(tenant.versions(action.name), request, "versions"))


def get_version(tenant: Tenant, request: Request) -> Response:
    action = action_of(tenant, request, "actionId")
    return Response(200, _version(tenant, action, request.params["id"]).to_json())


def deploy_version(tenant: Tenant, request: Request) -> Response:
    """Rollback: a new deployed version identical to this one; ``update_draft`` resets the draft."""
    action = action_of(tenant, request, "actionId")
    version = _version(tenant, action, request.params["id"])
    body = only_fields(request.json(required=False) or {}, {"update_draft"}, "version deploy")
    restored = tenant.rollback(action.name, version.number, update_draft=_boolean(body, "update_draft"))
    return Response(202, restored.to_json())


# triggers and bindings -------------------------------------------------------------------
def list_triggers(tenant: Tenant, request: Request) -> Response:
    return Response(
        200,
        {
            "triggers": [
                {
                    "id": t.id,
                    "version": t.version,
                    "status": "CURRENT",
                    "runtimes": [RUNTIME],
                    "default_runtime": RUNTIME,
                    "compatible_triggers": [],
                    "binding_policy": "trigger-bound",
                }
                for t in all_triggers()
            ]
        },
    )


def list_bindings(tenant: Tenant, request: Request) -> Response:
    return Response(200, page(tenant.flow(request.params["triggerId"]), request, "bindings"))


def update_bindings(tenant: Tenant, request: Request) -> Response:
    """Replace the trigger's ordered bindings. ``ref`` names an action by id or name, or an
    existing binding by id; ``display_name`` is the action's name here (or omitted)."""
    trigger = request.params["triggerId"]
    body = only_fields(request.json(), {"bindings"}, "bindings update")
    refs = _array(body, "bindings")  # required: an omitted list must not unbind everything
    current = {b.id: b.action.name for b in tenant.flow(trigger)}
    names = [_bound_name(tenant, current, item, i) for i, item in enumerate(refs)]
    bound = tenant.bind(trigger, names)
    return Response(200, {"bindings": [b.to_json() for b in bound]})


def get_execution(tenant: Tenant, request: Request) -> Response:
    return Response(200, tenant.execution(request.params["id"]).to_json())


# helpers ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _DraftSpec:
    """The dependency pins, secret names and values of a create or update body; ``save_draft``
    checks the values by the secret rules and sets them in the draft's own transaction."""

    dependencies: list[str] | None
    secret_values: dict[str, str]
    declared: list[str]
    modules: list[str] | None  # NAME@N specs; None keeps the draft's


def _draft_spec(tenant: Tenant, body: dict[str, Any]) -> _DraftSpec:
    if "runtime" in body and body["runtime"] != RUNTIME:
        raise invalid(f"'runtime' must be {RUNTIME!r} (actions here are Python), not {body['runtime']!r:.40}")
    dependencies = None
    if "dependencies" in body:
        dependencies = [requirement(d) for d in _array(body, "dependencies")]
    declared, values = parse_secrets(body)
    specs = None
    if "modules" in body:
        from .modules_api import module_specs

        specs = module_specs(tenant, body["modules"])
    return _DraftSpec(dependencies, values, declared, specs)


def parse_secrets(body: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """A body's ``secrets``: the names declared without a value, and the values given."""
    values: dict[str, str] = {}
    declared: list[str] = []
    for item in _array(body, "secrets") if "secrets" in body else []:
        if not isinstance(item, dict):
            raise invalid("each secret must be {name, value}")
        name = secret_rules.check_name(item.get("name"))
        if item.get("value") is None:
            declared.append(name)
        else:
            values[name] = item["value"]
    return declared, values


def requirement(item: Any) -> str:
    if not isinstance(item, dict):
        raise invalid("each dependency must be {name, version}")
    return f"{string_field(item, 'name', required=True)}=={string_field(item, 'version', required=True)}"


def _bound_name(tenant: Tenant, current: dict[str, str], item: Any, index: int) -> str:
    ref = item.get("ref") if isinstance(item, dict) else None
    if not isinstance(ref, dict) or not isinstance(ref.get("value"), str):
        raise invalid(f"bindings[{index}] needs a ref {{type, value}} naming an action")
    kind, value = ref.get("type", "action_id"), ref["value"]
    if kind == "action_name":
        return value
    if kind == "action_id":
        return tenant.get_action_by_id(value).name
    if kind == "binding_id":
        if value not in current:
            raise ApiError(
                404, f"That binding does not exist: {value!r} is not bound to this trigger", "inexistent_binding"
            )
        return current[value]
    raise invalid(f"bindings[{index}].ref.type must be action_id, action_name or binding_id, not {kind!r:.40}")


def action_of(tenant: Tenant, request: Request, param: str = "id") -> Action:
    return tenant.get_action_by_id(request.params[param])


def _version(tenant: Tenant, action: Action, version_id: str) -> ActionVersion:
    for version in tenant.versions(action.name):
        if version.id == version_id:
            return version
    raise VersionNotFound(f"The action version does not exist: action {action.name} has no version {version_id!r}")


def _exists(tenant: Tenant, name: str) -> bool:
    try:
        tenant.get_action(name)
    except ActionNotFound:
        return False
    return True


def _trigger_of(body: dict[str, Any], required: bool = False) -> str:
    triggers = _array(body, "supported_triggers")
    if len(triggers) != 1 or not isinstance(triggers[0], dict) or not isinstance(triggers[0].get("id"), str):
        raise invalid("'supported_triggers' must hold exactly one {id, version}: an action targets one trigger")
    trigger = get_trigger(triggers[0]["id"])
    version = triggers[0].get("version")
    if version is not None and version != trigger.version:
        raise invalid(f"trigger {trigger.id} is at version {trigger.version} here, not {version!r:.20}")
    return trigger.id


def _starter_code(trigger_id: str) -> str:
    """The code of an action created without any (Auth0 creates it empty): a handler that does nothing."""
    return f"async def {get_trigger(trigger_id).handler}(event, api):\n    pass\n"


def only_fields(body: dict[str, Any] | None, allowed: set[str], what: str) -> dict[str, Any]:
    body = body or {}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise invalid(f"unknown field {unknown[0]!r:.60} for {what}; allowed: {', '.join(sorted(allowed))}")
    return body


def string_field(body: dict[str, Any], key: str, required: bool = False) -> str:
    value = body.get(key)
    if not isinstance(value, str) or (required and not value):
        raise invalid(f"'{key}' must be a {'non-empty ' if required else ''}string")
    return value


def _boolean(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise invalid(f"'{key}' must be true or false")
    return value


def _array(body: dict[str, Any], key: str) -> list[Any]:
    value = body.get(key)
    if not isinstance(value, list):
        raise invalid(f"'{key}' must be an array" + ("" if key in body else ", and it is required"))
    return value


def invalid(problem: str) -> ApiError:
    return ApiError(400, f"Payload validation error: {problem}", "invalid_body")
