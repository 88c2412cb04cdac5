"""The OpenAPI document served at /openapi.json equals the route table."""

from __future__ import annotations

import httpx

from jupyter_actions.server.routes import ROUTES


def test_openapi_lists_exactly_the_routes_with_their_scopes(server):
    document = httpx.get(server.url + "/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    served = {
        (method.upper(), path, op["x-scope"]) for path, ops in document["paths"].items() for method, op in ops.items()
    }
    assert served == {(r.method, "/api/v2" + r.path, r.scope) for r in ROUTES}
    for ops in document["paths"].values():
        for op in ops.values():
            if "requestBody" in op:
                name = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
                assert name in document["components"]["schemas"]
    assert httpx.get(server.url + "/healthz").json() == {"status": "ok"}
