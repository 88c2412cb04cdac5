"""A walkthrough of the whole lifecycle through the CLI, in a fresh temporary tenant.

Run with ``python -m jupyter_actions.walkthrough``: it prints every command and what it
answered, and leaves the tenant folder in place so you can look around.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

from .cli import main as cli

ACTION = '''\
import logging

async def on_execute_post_login(event, api):
    logging.info("login of %s from %s", event.user.email, event.request.geoip.countryCode)
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("Access from this domain is not allowed.")
        return
    api.id_token.set_custom_claim("https://example.com/roles", list(event.authorization.roles))
    api.user.set_app_metadata("last_country", event.request.geoip.countryCode)
    print("token for", event.secrets.API_TOKEN)   # the secret value never reaches a log
'''


def run(*args: str, stdin: str | None = None) -> int:
    print(f"\n$ jupyter-actions {shlex.join(args)}")
    sys.stdout.flush()
    if stdin is not None:
        saved, sys.stdin = sys.stdin, _Text(stdin)
    try:
        status = cli(list(args))
    finally:
        if stdin is not None:
            sys.stdin = saved
    if status:
        print(f"(exit status {status})")
    return status


class _Text:
    """A non-interactive stdin holding ``text``."""

    def __init__(self, text: str):
        self._text = text

    def isatty(self) -> bool:
        return False

    def read(self) -> str:
        return self._text


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="jupyter-actions-walkthrough-"))
    os.environ["JUPYTER_ACTIONS_HOME"] = str(home)
    os.environ.pop("JUPYTER_ACTIONS_DATABASE_URL", None)
    print(f"tenant home: {home}")
    code = home / "roles_claim.py"
    code.write_text(ACTION)
    login = home / "login.json"
    from .triggers import get_trigger

    event = get_trigger("post-login").sample_payload()
    event["authorization"]["roles"] = ["admin"]
    login.write_text(json.dumps(event))
    blocked = dict(event, user=dict(event["user"], email="mallory@blocked.example"))
    (home / "blocked.json").write_text(json.dumps(blocked))

    failures = 0
    failures += run("save", "roles-claim", "--trigger", "post-login", "--code", str(code), "--secret", "API_TOKEN")
    failures += run("secrets", "set", "roles-claim", "API_TOKEN", stdin="walkthrough-token-value")
    failures += run("test", "roles-claim", "--payload", str(login))
    failures += run("deploy", "roles-claim", "--message", "first version")
    failures += run("flows", "bind", "post-login", "roles-claim")
    failures += run("flows", "run", "post-login", "--event", str(login))
    failures += run("flows", "run", "post-login", "--event", str(home / "blocked.json"))
    code.write_text(ACTION.replace("last_country", "country"))
    failures += run("save", "roles-claim", "--trigger", "post-login", "--code", str(code))
    failures += run("diff", "roles-claim", "1", "draft")
    failures += run("versions", "roles-claim")
    failures += run("executions", "list")
    print(f"\nwalkthrough finished with {failures} failing command(s); the tenant is in {home}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
