"""Auth0's Management API for Actions Modules (``/actions/modules``), over ``Tenant``: the
paths and JSON shapes that ``auth0-python``'s ``actions.modules`` client calls.

Differences from Auth0 (docs/modules.md): module code is Python and a module name is a Python
identifier; ``api_version`` is accepted and ignored; deleting a module and rolling one back are
not offered (a version is never deleted: deployed actions stay pinned to it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import NotFoundError
from .core import Request, Response, page
from .errors import ApiError
from .management import invalid, only_fields, parse_secrets, requirement, string_field

if TYPE_CHECKING:
    from ..model import Module
    from ..tenant import Tenant

_CREATE_KEYS = {"name", "code", "secrets", "dependencies", "api_version", "publish"}
_UPDATE_KEYS = {"code", "secrets", "dependencies"}


def list_modules(tenant: Tenant, request: Request) -> Response:
    return Response(200, page(tenant.list_modules(), request, "modules"))


def create_module(tenant: Tenant, request: Request) -> Response:
    body = only_fields(request.json(), _CREATE_KEYS, "module create")
    name = string_field(body, "name", required=True)
    code = string_field(body, "code", required=True)
    publish = body.get("publish", False)
    if not isinstance(publish, bool):
        raise invalid("'publish' must be true or false")
    if _exists(tenant, name):
        raise ApiError(409, f"A module named {name} exists: update it with PATCH /actions/modules/{{id}}", "conflict")
    declared, values = parse_secrets(body)
    created, _ = tenant.save_module(
        name, code, secrets=declared, secret_values=values, dependencies=_dependencies(body), deploy=publish
    )
    return Response(201, created.to_json())


def get_module(tenant: Tenant, request: Request) -> Response:
    return Response(200, _module(tenant, request).to_json())


def update_module(tenant: Tenant, request: Request) -> Response:
    module = _module(tenant, request)
    body = only_fields(request.json(), _UPDATE_KEYS, "module update")
    code = string_field(body, "code") if "code" in body else module.code
    declared, values = parse_secrets(body)
    updated, _ = tenant.save_module(
        module.name, code, secrets=declared, secret_values=values, dependencies=_dependencies(body)
    )
    return Response(200, updated.to_json())


def list_module_actions(tenant: Tenant, request: Request) -> Response:
    return Response(200, page(tenant.module_importers(_module(tenant, request).name), request, "actions"))


def list_module_versions(tenant: Tenant, request: Request) -> Response:
    return Response(200, page(tenant.module_versions(_module(tenant, request).name), request, "versions"))


def create_module_version(tenant: Tenant, request: Request) -> Response:
    """Auth0's publish: a new immutable version of the module's draft (no body)."""
    module = _module(tenant, request)
    only_fields(request.json(required=False) or {}, set(), "module version create")
    return Response(201, tenant.deploy_module(module.name).to_json())


def get_module_version(tenant: Tenant, request: Request) -> Response:
    module = _module(tenant, request)
    number = tenant.module_version_number(module.name, request.params["versionId"])
    return Response(200, tenant.get_module_version(module.name, number).to_json())


def _module(tenant: Tenant, request: Request) -> Module:
    return tenant.get_module_by_id(request.params["id"])


def _exists(tenant: Tenant, name: str) -> bool:
    try:
        tenant.get_module(name)
    except NotFoundError:
        return False
    return True


def _dependencies(body: dict[str, Any]) -> list[str] | None:
    if "dependencies" not in body:
        return None
    value = body["dependencies"]
    if not isinstance(value, list):
        raise invalid("'dependencies' must be an array")
    return [requirement(d) for d in value]


def module_specs(tenant: Tenant, refs: Any) -> list[str]:
    """An action body's ``modules`` (``[{module_id, module_version_id?}]``, Auth0's
    ``ActionModuleReference``) as ``NAME@N`` specs for ``Tenant.save_draft``; without a
    version id, the version the action is pinned to already, else the latest."""
    if not isinstance(refs, list):
        raise invalid("'modules' must be an array of {module_id, module_version_id}")
    specs = []
    for index, ref in enumerate(refs):
        if not isinstance(ref, dict) or not isinstance(ref.get("module_id"), str):
            raise invalid(f"modules[{index}] needs a module_id")
        module = tenant.get_module_by_id(ref["module_id"])
        version_id = ref.get("module_version_id")
        if version_id is None:
            specs.append(module.name)
        elif isinstance(version_id, str):
            specs.append(f"{module.name}@{tenant.module_version_number(module.name, version_id)}")
        else:
            raise invalid(f"modules[{index}].module_version_id must be a string")
    return specs
