"""What Auth0 users rely on from JavaScript, in real workers: a writable event of the action's
own, api attributes of its own, a handler that takes ``event`` alone, extra api arguments.
The samples are Auth0's, ported by renaming camelCase to snake_case. The attack angle: what an
action writes to its event or its api must not reach a later action, a later run, or the record.
"""

from __future__ import annotations

import copy

from jupyter_actions.runtime import WorkerPool

from .conftest import job, step

H = "on_execute_post_login"


def action(body: str, name: str, signature: str = "event, api", handler: str = H, **options) -> object:
    indented = "\n".join("    " + line for line in body.splitlines())
    return step(f"async def {handler}({signature}):\n{indented}\n", name=name, handler=handler, **options)


def logs(result: dict, index: int = 0) -> str:
    return result["results"][index]["response"]["logs"]


def errors(result: dict) -> list:
    return [r["response"]["error"] for r in result["results"]]


def test_a_post_change_password_handler_may_take_event_alone(pool: WorkerPool) -> None:
    """https://auth0.com/docs/customize/actions/flows-and-triggers/post-change-password-flow:
    ``exports.onExecutePostChangePassword = async (event) => { ... event.user.email ... }``."""
    handler = "on_execute_post_change_password"
    sample = action(
        "print('revoke sessions of', event.user.email, 'on', event.connection.name)",
        "notify",
        signature="event",
        handler=handler,
        trigger="post-change-password",
    )
    result = pool.run(job(sample, trigger="post-change-password"))
    assert errors(result) == [None]
    assert logs(result) == "revoke sessions of j+smith@example.com on Username-Password-Authentication\n"


def test_a_post_login_handler_may_take_event_alone_or_nothing(pool: WorkerPool) -> None:
    """Auth0's loader: "We can't assume that there will be 2 arguments, because customers can
    omit those" (auth0/auth0-actions src/_shared/_XK5Fidc.js, isAction)."""
    alone = action("print(event.user.email)", "alone", signature="event")
    nothing = action("print('no arguments')", "nothing", signature="")
    keyword_api = action("print(api is None)", "defaulted", signature="event, api=None")
    result = pool.run(job(alone, nothing, keyword_api))
    assert errors(result) == [None, None, None]
    assert [logs(result, i) for i in range(3)] == ["j+smith@example.com\n", "no arguments\n", "False\n"]


def test_a_write_to_the_event_is_the_writing_actions_alone(pool: WorkerPool) -> None:
    """Attack: an action rewrites its event (user, metadata, roles, protocol, a list) to steer
    a later action or the record; only its own view changes, as in Auth0's harness, which
    clones the event per execution "so mutations in one execution don't leak into the next"
    (auth0/auth0-actions src/post-change-password/v2/test/index.js, getDefaultArguments)."""
    writer = action(
        "event.user.email = 'attacker@example.com'\n"
        "event.user.app_metadata['plan'] = 'enterprise'\n"
        "event['authorization'] = {'roles': ['admin']}\n"
        "event.transaction.protocol = 'oauth2-refresh-token'\n"
        "event.user.identities.append({'provider': 'forged'})\n"
        "del event.tenant\n"
        "print(event.user.email, event.user.app_metadata.plan, event.authorization.roles[0], len(event.user.identities))",
        "writer",
    )
    reader = action(
        "print(event.user.email, event.user.app_metadata.plan, len(event.authorization.roles), "
        "event.transaction.protocol, len(event.user.identities), event.tenant.id)",
        "reader",
    )
    sent = job(writer, reader)
    before = copy.deepcopy(sent.event)
    result = pool.run(sent)
    assert errors(result) == [None, None]
    assert logs(result, 0) == "attacker@example.com enterprise admin 2\n"
    assert logs(result, 1) == "j+smith@example.com None 0 oidc-basic-profile 1 dev-tenant\n"
    assert result["event"] == {k: v for k, v in before.items() if k != "secrets"}  # the record: untouched
    assert sent.event == before


def test_the_api_reads_its_own_event_whatever_the_action_wrote(pool: WorkerPool) -> None:
    """Attack: an action writes the fields api methods check (metadata must be an object, the
    transaction metadata's size) before calling them; the api checks the event as it came, and
    its mirrored changes reach the action's written event too."""
    writer = action(
        "event.user.app_metadata = 'not an object'\n"
        "event.transaction.metadata = {'big': 'x' * 20000}\n"
        "api.user.set_app_metadata('plan', 'gold')\n"
        "api.transaction.set_metadata('step', 1)\n"
        "print(sorted(event.transaction.metadata))",
        "writer",
    )
    reader = action("print(event.user.app_metadata.plan, dict(event.transaction.metadata))", "reader")
    result = pool.run(job(writer, reader))
    assert errors(result) == [None, None]
    assert logs(result, 0) == "['big', 'step']\n"
    assert logs(result, 1) == "gold {'step': 1}\n"
    assert result["event"]["transaction"]["metadata"] == {"step": 1}


def test_written_secrets_and_api_attributes_do_not_survive_into_the_next_run(overlay_dir) -> None:
    """Attack: one run writes its secrets and gives the api an attribute to reach the next run
    of the same action in the same worker; neither survives (each run has its own)."""
    code = action(
        "print(event.secrets.API_KEY, getattr(api, 'noop', 'no noop'))\n"
        "event.secrets.API_KEY = 'overwritten'\n"
        "api.noop = 'left behind'\n"
        "api.access = None",
        "stateful",
        secrets={"API_KEY": "k-123"},
    )
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as solo:
        first = solo.run(job(code))
        worker = next(iter(solo._live))
        second = solo.run(job(code))
        assert next(iter(solo._live)) is worker  # the same worker ran both: it was not replaced
    assert errors(first) == errors(second) == [None]
    assert logs(first) == logs(second) == "[REDACTED] no noop\n"


def test_an_attribute_on_the_api_class_still_replaces_the_worker(overlay_dir) -> None:
    """docs/security.md: an action that changed the runtime (an api class) loses its worker;
    an attribute on the api instance of one run does not count as such a change."""
    patcher = action("type(api).noop = 'everywhere'\ntype(api.access).deny = lambda self, *a: None", "patcher")
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as solo:
        patched = solo.run(job(patcher))
        following = solo.run(job(action("print(hasattr(api, 'noop'))\napi.access.deny('no')", "patcher")))
    assert "[sandbox] the action changed the runtime" in logs(patched)
    assert logs(following) == "False\n"
    assert following["results"][0]["control"] == "stop"


def test_extra_api_arguments_are_ignored_and_named_in_one_warning_line(pool: WorkerPool) -> None:
    """Auth0's credentials-exchange sample calls ``api.access.deny('invalid_request', "Access
    from North America is not allowed.")``
    (https://auth0.com/docs/customize/actions/explore-triggers/machine-to-machine-trigger/credentials-exchange-trigger);
    ported to post-login, whose ``deny(reason)`` takes one argument, JavaScript ignores the
    second: so does the port, saying so once in the execution's logs."""
    sample = action(
        "if event.request.geoip.continentCode == 'NA':\n"
        "    api.access.deny('invalid_request', 'Access from North America is not allowed.')\n"
        "    api.access.deny('invalid_request', 'twice')",
        "geo",
    )
    result = pool.run(job(sample))
    assert errors(result) == [None]
    assert logs(result) == (
        "WARNING:jupyter_actions.api:api.access.deny takes 1 positional argument: "
        "1 extra argument ignored, as JavaScript ignores them\n"
    )
    assert result["results"][0]["commands"][0] == {"type": "access.deny", "reason": "invalid_request"}
    assert result["results"][0]["control"] == "stop"
