"""The REST API: Auth0's Management API for Actions plus flow execution, behind two doors.

- ``core``, ``routes``, ``management``, ``extras``, ``dispatch``: the request logic, plain
  functions over ``Tenant`` (parsed request in, response out, errors mapped once in ``errors``);
- ``standalone``: ``jupyter-actions serve`` (tornado, bearer tokens from ``tokens``);
- ``extension``: the jupyter_server extension (Jupyter's authentication, authorization, XSRF).

``standalone.serve`` and ``tokens.create|list_tokens|revoke`` are what the CLI calls
(jupyter_actions/cli/serve_cmd.py). Nothing here is imported by ``import
jupyter_actions``.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    from .extension import ActionsExtension

    return [{"module": "jupyter_actions.server", "app": ActionsExtension}]
