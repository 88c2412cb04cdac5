"""The OpenAPI 3.1 document, built from the route table so that it cannot drift from it."""

from __future__ import annotations

import re
from typing import Any

from .. import __version__
from .core import MAX_PER_PAGE
from .routes import ROUTES

_OBJECT: dict[str, Any] = {"type": "object"}
_TRIGGERS = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
    },
}
_SECRETS = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "value": {"type": "string", "writeOnly": True}},
    },
}
_DEPENDENCIES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name", "version"],
        "properties": {"name": {"type": "string"}, "version": {"type": "string"}},
    },
}
_DRAFT = {
    "name": {"type": "string", "minLength": 1},
    "supported_triggers": _TRIGGERS,
    "code": {"type": "string"},
    "dependencies": _DEPENDENCIES,
    "runtime": {"type": "string"},
    "secrets": _SECRETS,
    "modules": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["module_id"],
            "properties": {"module_id": {"type": "string"}, "module_version_id": {"type": "string"}},
        },
    },
}
_MODULE_DRAFT = {"code": {"type": "string"}, "secrets": _SECRETS, "dependencies": _DEPENDENCIES}

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "required": ["statusCode", "error", "message", "errorCode"],
        "properties": {
            "statusCode": {"type": "integer"},
            "error": {"type": "string"},
            "message": {"type": "string"},
            "errorCode": {"type": "string"},
        },
    },
    "CreateAction": {
        "type": "object",
        "required": ["name", "supported_triggers"],
        "additionalProperties": False,
        "properties": {**_DRAFT, "deploy": {"type": "boolean"}},
    },
    "UpdateAction": {"type": "object", "additionalProperties": False, "properties": _DRAFT},
    "CreateModule": {
        "type": "object",
        "required": ["name", "code"],
        "additionalProperties": False,
        "properties": {
            **_MODULE_DRAFT,
            "name": {"type": "string", "minLength": 1},
            "api_version": {"type": "string"},
            "publish": {"type": "boolean"},
        },
    },
    "UpdateModule": {"type": "object", "additionalProperties": False, "properties": _MODULE_DRAFT},
    "TestAction": {"type": "object", "additionalProperties": False, "properties": {"payload": _OBJECT}},
    "DeployAction": {"type": "object", "additionalProperties": False, "properties": {"message": {"type": "string"}}},
    "DeployVersion": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"update_draft": {"type": "boolean"}},
    },
    "UpdateBindings": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "bindings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["ref"],
                    "properties": {
                        "ref": {
                            "type": "object",
                            "required": ["value"],
                            "properties": {
                                "type": {"enum": ["action_id", "action_name", "binding_id"]},
                                "value": {"type": "string"},
                            },
                        },
                        "display_name": {"type": "string"},
                    },
                },
            }
        },
    },
    "RunFlow": {
        "type": "object",
        "required": ["event"],
        "additionalProperties": False,
        "properties": {"event": _OBJECT},
    },
    "ContinueFlow": {"type": "object", "additionalProperties": False, "properties": {"request": _OBJECT}},
    "Replay": {
        "type": "object",
        "required": ["candidate"],
        "additionalProperties": False,
        "properties": {
            "candidate": {"type": "string"},
            "since": {"type": "string"},
            "limit": {"type": "integer", "minimum": 1},
        },
    },
    "FromTemplate": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "module_secrets": {
                "type": "object",
                "description": "secret values of the template's modules that are created, by module name",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "string", "writeOnly": True},
                },
            },
        },
    },
    "SecretValue": {
        "type": "object",
        "required": ["value"],
        "additionalProperties": False,
        "properties": {"value": {"type": "string", "writeOnly": True}},
    },
}

_QUERY_SCHEMAS = {
    "page": {"type": "integer", "minimum": 0},
    "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
    "include_totals": {"type": "boolean"},
    "deployed": {"type": "boolean"},
    "installed": {"type": "boolean"},
    "force": {"type": "boolean"},
}
_ERRORS = {
    "400": "Bad request",
    "401": "Missing or invalid token",
    "403": "Insufficient scope",
    "404": "Not found",
    "409": "Conflict",
    "413": "Body too large",
    "503": "Overloaded: retry after Retry-After",
}


def document(api_root: str = "/api/v2") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        operation: dict[str, Any] = {
            "operationId": route.handler.__name__,
            "summary": route.summary,
            "x-scope": route.scope,
            "parameters": [
                {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                for name in re.findall(r"\{(\w+)\}", route.path)
            ]
            + [
                {"name": name, "in": "query", "required": False, "schema": _QUERY_SCHEMAS.get(name, {"type": "string"})}
                for name in route.query
            ],
            "responses": {
                str(route.status): {"description": "Success"}
                if route.status == 204
                else {"description": "Success", "content": {"application/json": {"schema": _OBJECT}}},
                **{
                    code: {
                        "description": text,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    }
                    for code, text in _ERRORS.items()
                },
            },
        }
        if route.body:
            operation["requestBody"] = {
                "required": route.body_required,
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{route.body}"}}},
            }
        paths.setdefault(api_root + route.path, {})[route.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "jupyter-actions",
            "version": __version__,
            "description": "Auth0's Management API for Actions, and flow execution for applications.",
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    }
