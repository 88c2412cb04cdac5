from __future__ import annotations

import pytest


@pytest.fixture
def deploy(tenant):
    """Save and deploy an action from its handler body: ``deploy(name, body, trigger=...)``."""

    def make(name: str, body: str, trigger: str = "post-login", secrets: dict | None = None, prelude: str = "") -> None:
        from jupyter_actions.triggers import get_trigger

        handler = get_trigger(trigger).handler
        indented = "\n".join("    " + line for line in body.strip("\n").splitlines())
        code = f"{prelude}\nasync def {handler}(event, api):\n{indented}\n"
        tenant.save_draft(name, trigger, code, secrets=list(secrets or ()))
        for key, value in (secrets or {}).items():
            tenant.set_secret(name, key, value)
        tenant.deploy(name)

    return make


@pytest.fixture
def login(tenant):
    from jupyter_actions.triggers import get_trigger

    return get_trigger("post-login").sample_payload()
