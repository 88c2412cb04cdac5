from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import jupyter_actions
from jupyter_actions.deps import CURRENT_PYTHON, EnvironmentCache, IndexConfig, Lock, _installers
from jupyter_actions.deps._cache import METADATA
from jupyter_actions.errors import DependencyError

SOURCE_ROOT = str(Path(jupyter_actions.__file__).resolve().parents[1])

HELLO = Lock((("ja-dep", "1.0"), ("ja-hello", "2.0")), CURRENT_PYTHON)
MISSING = Lock((("ja-hello", "9.9"),), CURRENT_PYTHON)


def import_from(env: Path, code: str) -> str:
    """Run `code` in a clean interpreter that sees only the standard library and `env`."""
    script = f"import sys; sys.path.insert(0, {str(env)!r}); {code}"
    done = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def entries(cache: EnvironmentCache) -> list[str]:
    return sorted(p.name for p in cache.root.iterdir())


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_build_installs_the_lock_importably(cache: EnvironmentCache, index: IndexConfig, installer: str) -> None:
    assert cache.status(HELLO) == "pending"
    result = cache.build(HELLO, index, installer=installer)
    assert (result.status, result.reason, result.installer) == ("built", None, installer)
    assert result.path == cache.path_for(HELLO) == cache.root / HELLO.hash
    assert cache.status(HELLO) == "built"
    code = "import ja_hello, ja_dep; print(ja_hello.__version__, ja_dep.greet('you'))"
    assert import_from(result.path, code) == "2.0 hello you"
    assert entries(cache) == [HELLO.hash, f"{HELLO.hash}.lock"]  # no temporary folder left


def test_rebuild_is_a_fast_no_op(cache: EnvironmentCache, index: IndexConfig) -> None:
    first = cache.build(HELLO, index, installer="pip")
    marker = first.path / METADATA
    written = marker.stat().st_mtime_ns
    started = time.perf_counter()
    again = cache.build(HELLO, index, installer="uv")
    assert time.perf_counter() - started < 0.1
    assert again.seconds < 0.1
    assert (again.status, again.path, again.installer) == ("built", first.path, "pip")
    assert marker.stat().st_mtime_ns == written


def test_empty_lock_builds_an_empty_environment(cache: EnvironmentCache, index: IndexConfig) -> None:
    result = cache.build(Lock((), CURRENT_PYTHON), index)
    assert result.status == "built"
    assert [p.name for p in result.path.iterdir()] == [METADATA]


@pytest.mark.parametrize(
    ("package", "why"),
    [
        ("ja-native", "platform wheel cp3"),
        ("ja-sneaky", "shared library ja_sneaky/_speedups.so"),
    ],
)
def test_native_code_is_refused_unless_allowed(
    cache: EnvironmentCache, index: IndexConfig, package: str, why: str
) -> None:
    native = Lock(((package, "1.0"), ("ja-hello", "1.0")), CURRENT_PYTHON)
    with pytest.raises(DependencyError) as raised:
        cache.build(native, index)
    message = str(raised.value)
    assert f"'{package}' ({why}" in message
    assert "ja-hello" not in message
    assert "let the tenant allow native packages" in message
    assert cache.status(native) == "failed"
    assert cache.failure_reason(native) == message
    assert not cache.path_for(native).exists()

    allowed = cache.build(native, index, allow_native=True)
    assert allowed.status == "built"
    assert cache.status(native) == "built"
    assert cache.failure_reason(native) is None
    with pytest.raises(DependencyError, match=package):  # built for another tenant: still refused
        cache.build(native, index)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_failed_build_records_the_installer_reason(cache: EnvironmentCache, index: IndexConfig, installer: str) -> None:
    result = cache.build(MISSING, index, installer=installer)
    assert (result.status, result.installer) == ("failed", installer)
    assert "ja-hello" in result.reason and "9.9" in result.reason
    assert cache.status(MISSING) == "failed"
    assert cache.failure_reason(MISSING) == result.reason
    assert entries(cache) == [f"{MISSING.hash}.failed", f"{MISSING.hash}.lock"]
    assert cache.failure_reason(HELLO) is None


def test_a_build_past_its_timeout_fails(cache: EnvironmentCache, index: IndexConfig) -> None:
    result = cache.build(HELLO, index, installer="pip", timeout=0.001)
    assert result.status == "failed"
    assert result.reason.endswith(" did not finish within 0.001 s")
    assert cache.status(HELLO) == "failed"
    assert cache.build(HELLO, index).status == "built"  # building again retries
    assert cache.failure_reason(HELLO) is None


def test_pip_is_used_when_uv_is_missing(
    cache: EnvironmentCache, index: IndexConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_installers, "_uv_binary", lambda: None)
    with pytest.raises(DependencyError, match="uv is not installed: install it"):
        cache.build(HELLO, index, installer="uv")
    assert cache.build(HELLO, index).installer == "pip"


def test_status_is_building_while_the_build_lock_is_held(cache: EnvironmentCache, index: IndexConfig) -> None:
    cache.root.mkdir()
    with open(cache.root / f"{HELLO.hash}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        assert cache.status(HELLO) == "building"
    assert cache.status(HELLO) == "pending"


def test_a_crashed_build_leaves_nothing_that_counts(cache: EnvironmentCache, index: IndexConfig) -> None:
    stale = cache.root / f".tmp-{HELLO.hash}-crashed"
    (stale / "ja_hello").mkdir(parents=True)
    assert cache.status(HELLO) == "pending"
    assert cache.build(HELLO, index).status == "built"
    assert not stale.exists()


BUILDER = """
import sys
from jupyter_actions.deps import EnvironmentCache, IndexConfig, Lock
lock = Lock.from_json(sys.argv[1])
index = IndexConfig(find_links=[sys.argv[3]], offline=True)
print("ready", flush=True)
sys.stdin.readline()
result = EnvironmentCache(sys.argv[2]).build(lock, index, installer="pip")
print(result.status, result.path)
"""


def test_concurrent_builds_of_one_lock_leave_one_complete_environment(
    cache: EnvironmentCache, wheelhouse: Path
) -> None:
    cache.root.mkdir()
    argv = [sys.executable, "-c", BUILDER, HELLO.to_json(), str(cache.root), str(wheelhouse)]
    env = {**os.environ, "PYTHONPATH": SOURCE_ROOT}
    builders = [
        subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    for builder in builders:
        assert builder.stdout.readline() == "ready\n"
    for builder in builders:  # release both at once
        builder.stdin.write("go\n")
        builder.stdin.flush()
    outputs = [builder.communicate(timeout=120)[0] for builder in builders]
    assert [b.returncode for b in builders] == [0, 0]
    assert outputs == [f"built {cache.path_for(HELLO)}\n"] * 2
    assert entries(cache) == [HELLO.hash, f"{HELLO.hash}.lock"]
    assert import_from(cache.path_for(HELLO), "import ja_hello; print(ja_hello.__version__)") == "2.0"
