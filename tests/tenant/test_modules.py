"""Actions Modules through the Tenant API: shared code with its own secrets, imported by
actions from ``actions_modules``, pinned per action version, sealed and redacted."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from jupyter_actions.errors import CodeError, ConflictError, InvalidInputError, NotFoundError
from jupyter_actions.triggers import get_trigger

SAMPLE = get_trigger("post-login").sample_payload()
SERVICE_KEY = "module-api-key-7f3a9c21"

# Ported by renaming from Auth0's "Write Your First Action Module"
# (https://auth0.com/docs/customize/actions/modules/write-your-first-action-module): a module
# with the secrets SERVICE_URL and API_KEY, read as actions.secrets.*, whose sendLog POSTs
# {code, message} with an X-API-Key header and logs them; fetch is httpx here.
LOGGER_MODULE = """
import json
import httpx

async def send_log(code, message):
    try:
        async with httpx.AsyncClient() as client:
            await client.post(
                actions.secrets.SERVICE_URL,
                headers={"X-API-Key": actions.secrets.API_KEY},
                content=json.dumps({"code": code, "message": message}),
            )
        print({"code": code, "message": message})
    except Exception:
        raise RuntimeError("External service failure")
"""
LOGGER_ACTION = """
from actions_modules import logger

async def on_execute_post_login(event, api):
    await logger.send_log("login", f"{event.user.user_id} logged in")
"""

VERSIONED_MODULE = 'VERSION = "{n}"\n\ndef describe():\n    return "module version " + VERSION\n'
VERSIONED_ACTION = """
from actions_modules import versioned

async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("module", versioned.describe())
"""


class _Recorder(http.server.BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        _Recorder.received.append((self.headers["X-API-Key"], body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def service() -> Iterator[str]:
    _Recorder.received = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/logs"
    httpd.shutdown()
    httpd.server_close()


def _logger(tenant, url: str) -> None:
    tenant.save_module("logger", LOGGER_MODULE, secrets=["SERVICE_URL", "API_KEY"])
    tenant.set_module_secret("logger", "SERVICE_URL", url)
    tenant.set_module_secret("logger", "API_KEY", SERVICE_KEY)
    tenant.deploy_module("logger")


def _versioned(tenant, n: int) -> None:
    tenant.save_module("versioned", VERSIONED_MODULE.format(n=n))
    tenant.deploy_module("versioned")


def test_auth0_sample_module_reads_its_own_secrets(tenant, service) -> None:
    _logger(tenant, service)
    tenant.save_draft("log-logins", "post-login", LOGGER_ACTION, modules=["logger"])
    execution = tenant.test("log-logins")
    assert execution.results[0]["response"]["error"] is None, execution.results[0]["response"]["error"]
    assert _Recorder.received == [
        (SERVICE_KEY, {"code": "login", "message": "auth0|5f7c8ec7c33c6c004bbafe82 logged in"})
    ]
    tenant.deploy("log-logins")
    tenant.bind("post-login", ["log-logins"])
    assert tenant.run_flow("post-login", SAMPLE).results[0]["response"]["error"] is None
    assert len(_Recorder.received) == 2


def test_module_secret_is_not_in_logs_records_or_errors(tenant, service) -> None:
    _logger(tenant, service)
    leaky = LOGGER_ACTION + (
        "    print('key is', logger.actions.secrets.API_KEY)\n"
        "    raise ValueError('failed with ' + logger.actions.secrets.API_KEY)\n"
    )
    tenant.save_draft("leaky", "post-login", leaky, modules=["logger"])
    execution = tenant.test("leaky")
    response = execution.results[0]["response"]
    assert "key is [REDACTED]" in response["logs"]
    assert response["error"]["message"] == "failed with [REDACTED]"
    stored = tenant.execution(execution.id)
    assert SERVICE_KEY not in json.dumps(stored.to_json())
    assert SERVICE_KEY not in json.dumps(tenant.get_module("logger").to_json())
    assert SERVICE_KEY not in json.dumps([v.to_json() for v in tenant.module_versions("logger")])
    with tenant.store.read() as conn:  # at rest only as ciphertext
        for table in ("module_secrets", "module_versions", "executions", "execution_results"):
            assert SERVICE_KEY not in json.dumps([list(r) for r in conn.execute(text(f"SELECT * FROM {table}"))])


def test_a_module_secret_value_is_recognised_where_values_are_refused(tenant, service) -> None:
    _logger(tenant, service)
    assert tenant.secret_in(f"token={SERVICE_KEY}") == "secret API_KEY of module logger"
    assert tenant.secret_in("nothing secret") is None


def test_module_secrets_reach_only_actions_that_import_it(tenant, service) -> None:
    _logger(tenant, service)
    snoop = """
import sys

async def on_execute_post_login(event, api):
    print(sorted(m for m in sys.modules if m.startswith("actions_modules")))
    print(dict(event.secrets))
"""
    tenant.save_draft("snoop", "post-login", snoop)
    logs = tenant.test("snoop").results[0]["response"]["logs"]
    assert logs == "[]\n{}\n"


def test_pinned_until_the_action_is_deployed_again(tenant) -> None:
    _versioned(tenant, 1)
    tenant.save_draft("uses-module", "post-login", VERSIONED_ACTION, modules=["versioned"])
    tenant.deploy("uses-module")
    tenant.bind("post-login", ["uses-module"])
    claim = "module"

    def flow_claim() -> str:
        return tenant.run_flow("post-login", SAMPLE).outcome["id_token_claims"][claim]

    assert flow_claim() == "module version 1"
    _versioned(tenant, 2)
    assert flow_claim() == "module version 1"  # a new module version changes nothing deployed
    tenant.save_draft("uses-module", "post-login", VERSIONED_ACTION, modules=["versioned"])
    tenant.deploy("uses-module")
    assert flow_claim() == "module version 1"  # a bare name keeps the pin
    action, changed = tenant.save_draft("uses-module", "post-login", VERSIONED_ACTION, modules=["versioned@2"])
    assert changed and [str(m) for m in action.modules] == ["versioned@2"]
    assert not tenant.get_action("uses-module").all_changes_deployed
    assert flow_claim() == "module version 1"  # saved, not deployed
    deployed = tenant.deploy("uses-module").version
    assert [m.to_json()["module_version_number"] for m in deployed.modules] == [2]
    assert flow_claim() == "module version 2"
    tenant.rollback("uses-module", 1)
    assert flow_claim() == "module version 1"  # a rollback brings the old pin back


def test_new_action_pins_the_latest_version(tenant) -> None:
    _versioned(tenant, 1)
    _versioned(tenant, 2)
    action, _ = tenant.save_draft("fresh", "post-login", VERSIONED_ACTION, modules=["versioned"])
    assert [str(m) for m in action.modules] == ["versioned@2"]
    assert tenant.test("fresh").outcome["id_token_claims"]["module"] == "module version 2"


def test_module_importing_a_module_is_refused(tenant) -> None:
    _versioned(tenant, 1)
    for code in ("from actions_modules import versioned\n", "import actions_modules.versioned as v\n"):
        with pytest.raises(CodeError, match=r"^module wrapper imports actions_modules \(versioned\): a module cannot"):
            tenant.save_module("wrapper", code)
    with pytest.raises(NotFoundError):
        tenant.get_module("wrapper")


def test_module_cannot_import_another_at_run_time(tenant) -> None:
    """Even an import the save check cannot see (built by name) fails in the worker."""
    _versioned(tenant, 1)
    tenant.save_module("sneaky", "import importlib\nimportlib.import_module('actions_' + 'modules.versioned')\n")
    tenant.deploy_module("sneaky")
    code = "from actions_modules import sneaky, versioned\n\nasync def on_execute_post_login(event, api):\n    pass\n"
    tenant.save_draft("two", "post-login", code, modules=["versioned", "sneaky"])
    error = tenant.test("two").results[0]["response"]["error"]
    assert error["message"] == "module sneaky imports actions_modules: a module cannot import other modules"
    assert "<module sneaky>" in error["stack"]


def test_bad_inputs_leave_the_store_as_it_was(tenant) -> None:
    _versioned(tenant, 1)
    tenant.save_draft(
        "plain",
        "post-login",
        VERSIONED_ACTION.replace("from actions_modules import versioned\n", "").replace("versioned.describe()", "'x'"),
    )
    before = tenant.get_action("plain")
    cases = [
        (["missing"], NotFoundError, "module 'missing' does not exist"),
        (["versioned@7"], NotFoundError, "module versioned has no version 7"),
        (["versioned@two"], InvalidInputError, "invalid module version in 'versioned@two'"),
        (["versioned@0"], InvalidInputError, "invalid module version"),
        (["Bad-Name"], InvalidInputError, "invalid module name 'Bad-Name'"),
    ]
    for specs, error, message in cases:
        with pytest.raises(error, match=message):
            tenant.save_draft("plain", "post-login", before.code, modules=specs)
        assert tenant.get_action("plain") == before
    with pytest.raises(CodeError, match="imports module 'versioned' from actions_modules but does not declare it"):
        tenant.save_draft("plain", "post-login", VERSIONED_ACTION)
    assert tenant.get_action("plain") == before
    tenant.save_module("undeployed", "X = 1\n")
    with pytest.raises(ConflictError, match="module undeployed has no version yet: deploy it"):
        tenant.save_draft("plain", "post-login", before.code, modules=["undeployed"])
    with pytest.raises(InvalidInputError, match="invalid module name"):
        tenant.save_module("has-dash", "X = 1\n")
    with pytest.raises(CodeError, match=r"^syntax error in module broken at line 1: 'return' outside function$"):
        tenant.save_module("broken", "return 1\n")
    with pytest.raises(
        CodeError, match=r"^syntax error in <module broken> at line 1, column 2: '\(' was never closed$"
    ):
        tenant.save_module("broken", "(((\n)")
    with pytest.raises(NotFoundError):
        tenant.get_module("broken")


def test_missing_module_secret_refuses_deploy(tenant) -> None:
    tenant.save_module("needs", "KEY = actions.secrets.KEY\n", secrets=["KEY"])
    with pytest.raises(ConflictError, match="secret KEY of module needs has no value"):
        tenant.deploy_module("needs")
    assert tenant.module_versions("needs") == []
    assert [s.to_json()["is_set"] for s in tenant.module_secrets("needs")] == [False]


def test_versions_are_numbered_and_listed(tenant) -> None:
    _versioned(tenant, 1)
    _versioned(tenant, 2)
    assert [v.number for v in tenant.module_versions("versioned")] == [2, 1]
    assert 'VERSION = "1"' in tenant.get_module_version("versioned", 1).code
    module = tenant.get_module("versioned")
    assert module.to_json()["latest_version_number"] == 2 and module.all_changes_published
    tenant.save_module("versioned", VERSIONED_MODULE.format(n=3))
    assert not tenant.get_module("versioned").all_changes_published
    assert [m.name for m in tenant.list_modules()] == ["versioned"]
    with pytest.raises(NotFoundError, match="module versioned has no version 9"):
        tenant.get_module_version("versioned", 9)


def _tamper(tenant, sql: str) -> None:
    with tenant.store.write() as conn:
        conn.execute(text(sql))


def test_tampered_module_version_is_refused_at_run_time(tenant) -> None:
    _versioned(tenant, 1)
    tenant.save_draft("uses-module", "post-login", VERSIONED_ACTION, modules=["versioned"])
    tenant.deploy("uses-module")
    tenant.bind("post-login", ["uses-module"])
    _tamper(tenant, "UPDATE module_versions SET code = 'VERSION = \"evil\"\ndef describe(): return VERSION\n'")
    for execution in (tenant.run_flow("post-login", SAMPLE), tenant.test("uses-module")):
        error = execution.results[0]["response"]["error"]
        assert error["name"] == "IntegrityError"
        assert error["message"].startswith(
            "version 1 of module versioned used by uses-module failed its integrity check"
        )
        assert "module" not in execution.outcome["id_token_claims"]


def test_repointed_action_version_is_refused(tenant) -> None:
    """A version's module pins are covered by its MAC: repointing them in the store is tampering."""
    _versioned(tenant, 1)
    _versioned(tenant, 2)
    tenant.save_draft("uses-module", "post-login", VERSIONED_ACTION, modules=["versioned@1"])
    tenant.deploy("uses-module")
    tenant.bind("post-login", ["uses-module"])
    _tamper(
        tenant,
        "UPDATE versions SET modules = replace(modules, '\"module_version_number\": 1', '\"module_version_number\": 2')",
    )
    error = tenant.run_flow("post-login", SAMPLE).results[0]["response"]["error"]
    assert (
        error["name"] == "IntegrityError" and "version 1 of uses-module failed its integrity check" in error["message"]
    )


def test_module_error_shows_module_frames(tenant) -> None:
    tenant.save_module("broken", "def boom():\n    raise KeyError('nope')\n")
    tenant.deploy_module("broken")
    code = "from actions_modules import broken\n\nasync def on_execute_post_login(event, api):\n    broken.boom()\n"
    tenant.save_draft("calls-broken", "post-login", code, modules=["broken"])
    error = tenant.test("calls-broken").results[0]["response"]["error"]
    assert error["name"] == "KeyError"
    assert '"<module broken>", line 2' in error["stack"] and '"<action calls-broken>", line 4' in error["stack"]


@pytest.mark.slow  # starts a PostgreSQL server
def test_modules_and_their_pins_on_postgres(postgres_url, actions_home) -> None:
    from jupyter_actions import Tenant

    with Tenant("pg-modules", database_url=postgres_url) as pg:
        _versioned(pg, 1)
        pg.save_draft("uses-module", "post-login", VERSIONED_ACTION, modules=["versioned"])
        pg.deploy("uses-module")
        pg.bind("post-login", ["uses-module"])
        _versioned(pg, 2)
        assert pg.run_flow("post-login", SAMPLE).outcome["id_token_claims"]["module"] == "module version 1"
        assert [v.number for v in pg.module_versions("versioned")] == [2, 1]
