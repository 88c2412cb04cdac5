"""Actions Modules inside a real worker: ``from actions_modules import NAME``, each module's own
``actions.secrets``, redaction of module secrets, and the import rules (runtime/modules.py)."""

from __future__ import annotations

from dataclasses import replace

from jupyter_actions.runtime import WorkerPool
from jupyter_actions.runtime.jobs import ModuleSource

from .conftest import job, step

H = "on_execute_post_login"
KEY = "runtime-module-Secret-3141"


def _run(pool: WorkerPool, code: str, *modules: ModuleSource, secrets: dict | None = None) -> dict:
    planned = replace(step(code, secrets=secrets), modules=modules)
    return pool.run(job(planned))["results"][0]


def test_each_module_reads_its_own_secrets_and_they_are_redacted(pool: WorkerPool) -> None:
    keys = ModuleSource(
        "keys", "def key():\n    return actions.secrets.KEY\nOTHER = actions.secrets.ACTION_SECRET\n", {"KEY": KEY}
    )
    plain = ModuleSource("plain", "def secrets():\n    return dict(actions.secrets)\n", {})
    code = (
        "from actions_modules import keys, plain\n"
        f"async def {H}(event, api):\n"
        "    print('module key', keys.key(), 'action sees', sorted(event.secrets), keys.OTHER, plain.secrets())\n"
        "    api.id_token.set_custom_claim('len', len(keys.key()))\n"
    )
    result = _run(pool, code, keys, plain, secrets={"ACTION_SECRET": "action-only-Value-2718"})
    assert result["response"]["error"] is None, result["response"]["error"]
    assert result["response"]["logs"] == "module key [REDACTED] action sees ['ACTION_SECRET'] None {}\n"
    assert [c for c in result["commands"] if c.get("value") == len(KEY)]  # the real value reached the code


def test_an_undeclared_module_is_a_one_line_import_error(pool: WorkerPool) -> None:
    declared = ModuleSource("declared", "X = 1\n", {})
    code = f"async def {H}(event, api):\n    from actions_modules import other\n"
    error = _run(pool, code, declared)["response"]["error"]
    assert (error["name"], error["message"]) == (
        "ImportError",
        "the action 'action' does not declare the module 'other': save it with --module other",
    )


def test_a_module_cannot_import_another(pool: WorkerPool) -> None:
    first = ModuleSource("first", "X = 1\n", {})
    second = ModuleSource("second", "from actions_modules import first\n", {})
    error = _run(pool, f"async def {H}(event, api):\n    pass\n", first, second)["response"]["error"]
    assert error["message"] == "module second imports actions_modules: a module cannot import other modules"
    assert '"<module second>", line 1' in error["stack"]


def test_module_code_runs_once_per_worker(pool: WorkerPool) -> None:
    counter = ModuleSource("counter", "LOADS = []\nLOADS.append(1)\n", {})
    code = f"from actions_modules import counter\nasync def {H}(event, api):\n    print(len(counter.LOADS))\n"
    logs = [_run(pool, code, counter)["response"]["logs"] for _ in range(3)]
    assert logs == ["1\n", "1\n", "1\n"]
