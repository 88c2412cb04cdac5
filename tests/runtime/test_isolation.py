"""What a worker can import and see: stdlib, the overlay, its environment; never the host's."""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jupyter_actions.runtime import WorkerPool, isolation

from .conftest import assert_healthy, host_pids, live_workers, run_one

H = "on_execute_post_login"


def logged_json(result: dict) -> object:
    assert result["response"]["error"] is None, result["response"]["error"]
    return json.loads(result["response"]["logs"])


@pytest.mark.parametrize("package", ["sqlalchemy", "pytest", "jupyterlab", "packaging"])
def test_host_packages_are_not_importable(pool: WorkerPool, package: str) -> None:
    __import__(package)  # the host has it
    result = run_one(pool, f"import {package}\nasync def {H}(event, api):\n    pass\n")
    error = result["response"]["error"]
    assert (error["name"], error["message"]) == ("ModuleNotFoundError", f"No module named '{package}'")
    assert error["error_class"] == "action_error"


def test_sys_path_is_stdlib_then_overlay_then_environment(overlay_dir: Path, tmp_path: Path) -> None:
    env = tmp_path / "env"
    env.mkdir()
    (env / "mylib.py").write_text("VALUE = 'from the environment'\n")
    code = (
        f"import json, sys, mylib\ndef {H}(event, api):\n"
        "    print(json.dumps([sys.path, mylib.VALUE, 'site' in sys.modules, sys.flags.isolated]))\n"
    )
    with WorkerPool(sys_path=(env,), max_workers=1, overlay_dir=overlay_dir) as pool:
        path, value, site_loaded, isolated = logged_json(run_one(pool, code))
        assert value == "from the environment"
        assert not site_loaded and isolated
        assert path[-2:] == [str(pool.overlay), str(env)]
        assert not any("site-packages" in entry for entry in path)
        assert all(
            entry.startswith(os.path.realpath(os.__file__).rsplit("/", 2)[0]) or "python3" in entry
            for entry in path[:-2]
        )


def test_overlay_holds_only_the_worker_side_and_httpx_closure(pool: WorkerPool) -> None:
    names = {entry.name for entry in pool.overlay.iterdir()}
    packages = {name for name in names if not name.endswith(".dist-info")}
    assert {"jupyter_actions", "httpx", "httpcore", "h11", "anyio", "idna", "certifi"} <= packages
    assert not {"sqlalchemy", "pytest", "jupyterlab", "packaging", "cryptography"} & packages
    assert all((pool.overlay / name).is_symlink() for name in names - {"jupyter_actions"})
    copied = pool.overlay / "jupyter_actions"
    assert not copied.is_symlink()  # a copy of the worker side only: no tenant, store or key code
    assert sorted(p.name for p in copied.iterdir() if p.name != "__pycache__") == [
        "_json_numbers.py",
        "errors.py",
        "outcome.py",
        "runtime",
        "triggers",
    ]
    assert not (copied / "runtime" / "pool.py").exists() and not (copied / "__init__.py").exists()


def test_a_changed_overlay_copy_is_built_again(tmp_path: Path) -> None:
    first = isolation.overlay(tmp_path)
    (first / "jupyter_actions" / "errors.py").write_text("TAMPERED = True\n")
    again = isolation.overlay(tmp_path)
    assert again == first
    assert "TAMPERED" not in (again / "jupyter_actions" / "errors.py").read_text()


def test_overlay_is_created_once_and_atomically(tmp_path: Path) -> None:
    with ThreadPoolExecutor(8) as threads:
        made = set(threads.map(lambda _: isolation.overlay(tmp_path), range(16)))
    assert len(made) == 1
    assert [p.name for p in tmp_path.iterdir()] == [made.pop().name]  # no staging left over


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b'{"pong": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/ping"
    httpd.shutdown()
    httpd.server_close()


def test_httpx_is_built_in_and_timed_as_network(pool: WorkerPool, server: str) -> None:
    code = (
        "import httpx\n"
        f"async def {H}(event, api):\n"
        "    async with httpx.AsyncClient() as client:\n"
        f"        first = await client.get({server!r})\n"
        f"    second = httpx.get({server!r})\n"
        "    print(first.json()['pong'], second.status_code)\n"
    )
    result = run_one(pool, code)
    assert result["response"]["error"] is None, result["response"]["error"]
    assert result["response"]["logs"] == "True 200\n"
    stats = result["response"]["stats"]
    assert 0 < stats["network_duration_ms"] <= stats["action_duration_ms"]


def test_network_time_is_per_step(pool: WorkerPool, server: str) -> None:
    code = f"import httpx\nhttpx.get({server!r})\nasync def {H}(event, api):\n    pass\n"
    result = run_one(pool, code, name="module-level-fetch")
    assert result["response"]["stats"]["network_duration_ms"] > 0  # module-level call, same step
    assert run_one(pool, code, name="module-level-fetch")["response"]["stats"]["network_duration_ms"] == 0


def test_httpx_defaults_to_a_five_second_timeout_and_is_imported_lazily(overlay_dir: Path) -> None:
    code = (
        "import sys\n"
        f"def {H}(event, api):\n"
        "    before = 'httpx' in sys.modules\n"
        "    import httpx\n"
        "    print(before, httpx.Client().timeout, httpx.AsyncClient().timeout)\n"
    )
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as fresh:
        logs = run_one(fresh, code)["response"]["logs"]
    five = "Timeout(timeout=5.0)"
    assert logs == f"False {five} {five}\n"


def test_secrets_never_reach_argv_or_environment(overlay_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("JUPYTER_ACTIONS_MASTER_KEY", "host-master-key-value")
    secret = "s3cret-value-in-the-pipe-only"
    code = f"import os, json\ndef {H}(event, api):\n    print(json.dumps(dict(os.environ)))\n"
    with WorkerPool(max_workers=1, overlay_dir=overlay_dir) as pool:
        result = run_one(pool, code, secrets={"API_KEY": secret})
        environ = logged_json(result)
        assert "JUPYTER_ACTIONS_MASTER_KEY" not in environ
        assert set(environ) <= set(isolation.PASSED_ENVIRONMENT) | {"HOME", "TMPDIR"}
        assert environ["HOME"] == environ["TMPDIR"]  # its private folder
        (worker,) = live_workers(pool)
        pids = host_pids(worker)
        assert len(pids) == 2, "a supervisor and the worker, alive between jobs"
        for pid in pids:
            proc = Path(f"/proc/{pid}")
            for name in ("cmdline", "environ"):
                content = (proc / name).read_bytes()
                assert secret.encode() not in content
                assert b"host-master-key-value" not in content
            assert os.readlink(proc / "fd" / "1") == "/dev/null"
            assert os.readlink(proc / "fd" / "2") == "/dev/null"


def test_writing_to_file_descriptor_1_cannot_corrupt_the_protocol(pool: WorkerPool) -> None:
    code = (
        f"import os, sys\ndef {H}(event, api):\n"
        "    os.write(1, b'\\x00\\x00\\x00\\x05junk!')\n"
        "    os.write(2, b'more junk')\n"
        "    print('to the log', file=sys.__stdout__)\n"
        "    print('captured')\n"
    )
    result = run_one(pool, code)
    assert result["response"]["error"] is None
    assert result["response"]["logs"] == "captured\n"
    assert_healthy(pool)
