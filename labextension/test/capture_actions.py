"""Write fixtures/actions.json: what GET /actions/actions answers for one action in each state.

The states tests read the server's real JSON, not a hand-written copy of it. Run from the
repository root with the project's environment, after a change to ``Action.to_json``:

    .venv/bin/python labextension/test/capture_actions.py > labextension/test/fixtures/actions.json
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

CODE = "async def on_execute_post_login(event, api):\n    pass\n"
EDITED = "async def on_execute_post_login(event, api):\n    api.access.deny('edited')\n"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["JUPYTER_ACTIONS_HOME"] = str(Path(scratch) / "home")
        from jupyter_actions import Tenant
        from jupyter_actions.server import dispatch
        from tests.deps.wheelhouse import build_corrupt_wheelhouse

        with Tenant() as tenant:
            tenant.configure("find_links", str(build_corrupt_wheelhouse(Path(scratch), "ja-broken")))
            tenant.configure("offline", True)
            tenant.save_draft("draft-only", "post-login", CODE)
            tenant.save_draft("deployed", "post-login", CODE, secrets=["API_KEY"])
            tenant.set_secret("deployed", "API_KEY", "fixture-value-never-served")
            tenant.deploy("deployed")
            tenant.save_draft("ahead", "post-login", CODE, deploy=True)
            tenant.save_draft("ahead", "post-login", EDITED, deploy=True)
            tenant.save_draft("ahead", "post-login", CODE)
            tenant.save_draft("secret-missing", "post-login", CODE, secrets=["API_KEY", "WEBHOOK_TOKEN"])
            tenant.set_secret("secret-missing", "API_KEY", "fixture-value-never-served")
            exchange_code = CODE.replace("post_login", "credentials_exchange")
            tenant.save_draft("build-failed", "credentials-exchange", exchange_code)
            tenant.add_dependency("build-failed", "ja-broken")
            route, params = dispatch.resolve("GET", "/actions/actions")
            response = dispatch.call(tenant, route, params, {}, b"")
    if response.status != 200:
        sys.exit(f"GET /actions/actions answered {response.status}: {response.body}")
    json.dump(response.body, sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
