"""The attack suite: each test is a hostile action author's code, run through the public
``Tenant`` API, that must not get what it wants; afterwards a victim action still runs right.

Isolation issue, "Must be shown by tests"; docs/security.md maps each test to the layer that
stops it. The action reports what it got as a claim (``got``: its findings as JSON, hex-encoded
so that no redaction can hide a leak) and the test looks for the host's secrets in the whole
execution. Host paths and pids are written into the action's code by the test: the sandboxed
action's cwd is a private tmp dir and, under a PID namespace, ``os.getppid()`` says nothing.

Run as root and, by .ci/run, again as uid 65534.
"""

from __future__ import annotations

import json
import os
import signal
import site
import sqlite3
import subprocess
import sys
import sysconfig
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

from jupyter_actions import Tenant
from jupyter_actions.triggers import get_trigger

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox layers are Linux only")

VALUE = "S3CR3T-victim-token-" + uuid.uuid4().hex
"""The victim's secret: an attacker that finds it anywhere has won."""

WORKER_MARK = b"jupyter_actions.runtime.worker"
REPO = Path(__file__).resolve().parents[2]

VICTIM_CODE = """
import hashlib, os, sys
KEEP = []  # module state that holds the secret, for as long as the worker lives

async def on_execute_post_login(event, api):
    token = event.secrets.TOKEN
    KEEP.append(token)
    api.id_token.set_custom_claim("victim", hashlib.sha256(token.encode()).hexdigest())
    api.id_token.set_custom_claim("where", [os.getpid(), id(token) + sys.getsizeof("") - 1, len(token)])
    api.access.deny("victim denies")
"""

# What every hostile action starts with: constants from the test, then helpers.
PRELUDE = '''
import ctypes, json, os, sys, time

def attempt(fn, *args):
    """{"ok": value} or {"err": "Name: message"}: the attacker keeps going either way."""
    try:
        return {"ok": fn(*args)}
    except BaseException as exc:
        return {"err": f"{type(exc).__name__}: {exc}"[:300]}

def read(path, size=1 << 20):
    with open(path, "rb") as f:
        return f.read(size).hex()
'''

HANDLER = """
async def on_execute_post_login(event, api):
    try:
        got = attack()
    except BaseException as exc:
        got = {"raised": f"{type(exc).__name__}: {exc}"}
    api.id_token.set_custom_claim("got", json.dumps(got, default=repr).encode().hex())
"""


def hostile(body: str, **constants: object) -> str:
    """An action whose ``attack()`` (in ``body``) runs with ``constants`` as module globals."""
    names = "".join(f"{name} = {value!r}\n" for name, value in constants.items())
    return PRELUDE + names + textwrap.dedent(body) + HANDLER


def report(execution) -> object:
    """What the attacker reported, or None when its step did not finish."""
    claims = execution.outcome.get("id_token_claims") or {}
    if "got" not in claims:
        return None
    return json.loads(bytes.fromhex(claims["got"]))


def everything(execution) -> str:
    """The whole execution as text, with the attacker's hex findings decoded (twice: files
    and memory are reported as hex inside the hex-encoded JSON)."""
    text = json.dumps(execution.to_json(), default=repr)
    found = report(execution)
    if found is not None:
        decoded = json.dumps(found)
        text += decoded
        for word in decoded.replace('"', " ").replace(",", " ").replace(":", " ").split():
            if len(word) >= 8 and len(word) % 2 == 0:
                try:
                    text += bytes.fromhex(word).decode("latin-1")
                except ValueError:
                    pass
    return text


def assert_not_leaked(execution, *secrets: str | bytes) -> None:
    text = everything(execution)
    for secret in secrets:
        secret = secret.decode("latin-1") if isinstance(secret, bytes) else secret
        assert secret not in text, f"the attacker got {secret[:24]}...: {report(execution)}"


def run_attack(tenant: Tenant, code: str, name: str = "attacker", *, ran: bool = True):
    """Save the hostile draft and test it; ``ran``: its step must have reported."""
    tenant.save_draft(name, "post-login", code)
    execution = tenant.test(name)
    if ran:
        assert report(execution) is not None, execution.results[0]["response"]
    return execution


def error_of(execution) -> dict | None:
    for result in execution.results:
        if result["response"]["error"] is not None:
            return result["response"]["error"]
    return None


# the victim ------------------------------------------------------------------------------------------
def add_victim(
    tenant: Tenant, name: str = "victim", *, secret: str = VALUE, code: str = VICTIM_CODE, **options
) -> None:
    tenant.save_draft(name, "post-login", code, secrets=["TOKEN"], **options)
    tenant.set_secret(name, "TOKEN", secret)


def assert_victim_ok(tenant: Tenant, name: str = "victim", *, secret: str = VALUE, flow: bool = False):
    """The victim's next run is right: its secret usable by itself, its deny denying."""
    import hashlib

    execution = tenant.run_flow("post-login", sample()) if flow else tenant.test(name)
    assert error_of(execution) is None, error_of(execution)
    assert execution.outcome["deny"] is not None and execution.outcome["deny"]["reason"] == "victim denies"
    assert execution.outcome["id_token_claims"]["victim"] == hashlib.sha256(secret.encode()).hexdigest()
    return execution


@pytest.fixture
def victim(tenant) -> Tenant:
    """The tenant, with a victim action that has run once (its secret is in a worker)."""
    add_victim(tenant)
    assert_victim_ok(tenant)
    return tenant


def sample(email: str | None = None) -> dict:
    event = get_trigger("post-login").sample_payload()
    if email is not None:
        event["user"]["email"] = email
    return event


# the host's view of processes -------------------------------------------------------------------------
def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def descendants(root: int | None = None) -> list[int]:
    root = os.getpid() if root is None else root
    children: dict[int, list[int]] = {}
    for pid in _pids():
        stat = _read(f"/proc/{pid}/stat")
        if stat:
            ppid = int(stat.rsplit(b")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def worker_pids() -> list[int]:
    return [pid for pid in descendants() if WORKER_MARK in _read(f"/proc/{pid}/cmdline")]


def marked(mark: str) -> list[int]:
    """Processes anywhere whose command line or name holds ``mark``."""
    needle = mark.encode()
    return [
        pid
        for pid in _pids()
        if pid != os.getpid() and (needle in _read(f"/proc/{pid}/cmdline") or needle in _read(f"/proc/{pid}/comm"))
    ]


def wait_gone(mark: str, seconds: float = 2.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := marked(mark)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def kill_marked(mark: str) -> None:
    """Clean up after a failed containment: only the processes carrying this test's mark."""
    for pid in marked(mark):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def host_site_dirs() -> list[str]:
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    user = site.getusersitepackages()
    if user:
        paths.add(user)
    return sorted(p for p in paths if os.path.isdir(p))


# reading ------------------------------------------------------------------------------------------------
@linux
def test_master_key_file_cannot_be_read(victim) -> None:
    key_file = victim.directory / "master.key"
    key = key_file.read_bytes().strip()
    execution = run_attack(
        victim,
        hostile(
            """
        def attack():
            return {"by_path": attempt(read, KEY_FILE),
                    "listing": attempt(os.listdir, os.path.dirname(KEY_FILE))}
    """,
            KEY_FILE=str(key_file),
        ),
    )
    assert "ok" not in report(execution)["by_path"]
    assert_not_leaked(execution, key, VALUE)
    assert_victim_ok(victim)


ENVIRON_ATTACK = """
def attack():
    mark = b"JUPYTER_ACTIONS_MASTER_KEY="
    found = {}
    for pid in sorted({HOST_PID, os.getppid(), *[int(p) for p in os.listdir("/proc") if p.isdigit()]}):
        got = attempt(read, f"/proc/{pid}/environ")
        if "ok" in got:
            for entry in bytes.fromhex(got["ok"]).split(b"\\0"):
                if entry.startswith(mark):
                    found[pid] = entry.hex()
        elif pid in (HOST_PID, os.getppid()):
            found[f"error {pid}"] = got["err"]
    return {"environ": found, "own": {k: v for k, v in os.environ.items() if "KEY" in k or "JUPYTER" in k}}
"""

HOST_SCRIPT = """
import json, os, sys
from jupyter_actions import Tenant
code = sys.stdin.read().replace("HOST_PID_HERE", str(os.getpid()))
with Tenant() as tenant:
    tenant.save_draft("attacker", "post-login", code)
    print(json.dumps(tenant.test("attacker").to_json()))
"""


@pytest.mark.slow
@linux
def test_master_key_is_not_in_the_hosts_or_own_environment(victim, tmp_path) -> None:
    """The host (a CLI, a kernel) got the key through its environment, as docs allow: the
    action reads the host's /proc/PID/environ (the initial environment: a monkeypatched
    os.environ would not show there, so the host is a real process started with the key)."""
    from cryptography.fernet import Fernet

    key = Fernet.generate_key().decode()
    code = hostile(ENVIRON_ATTACK, HOST_PID=0).replace("HOST_PID = 0", "HOST_PID = HOST_PID_HERE")
    env = {**os.environ, "JUPYTER_ACTIONS_MASTER_KEY": key, "JUPYTER_ACTIONS_HOME": str(tmp_path / "cli-home")}
    done = subprocess.run(
        [sys.executable, "-c", HOST_SCRIPT],
        input=code,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]

    class Recorded:
        def __init__(self, data: dict) -> None:
            self.data, self.outcome = data, data["outcome"]

        def to_json(self) -> dict:
            return self.data

    execution = Recorded(json.loads(done.stdout.strip().splitlines()[-1]))
    assert report(execution) is not None, execution.data["results"]
    assert report(execution)["own"] == {}
    assert_not_leaked(execution, key)
    assert_victim_ok(victim)


@linux
def test_tenant_db_cannot_be_read_by_path_or_inherited_descriptor(victim) -> None:
    db = victim.directory / "tenant.db"
    victim.get_action("victim")  # the host holds the store open
    execution = run_attack(
        victim,
        hostile(
            """
        def attack():
            import sqlite3, stat
            found = {"by_path": attempt(read, DB, 64)}
            def query():
                return sqlite3.connect(DB).execute("select name, code from actions").fetchall()
            found["sqlite"] = attempt(query)
            for where in (f"/proc/{HOST_PID}/fd", "/proc/self/fd"):
                names = attempt(os.listdir, where)
                for name in names.get("ok", []):
                    path = f"{where}/{name}"
                    link = attempt(os.readlink, path)
                    found[path] = {"link": link}
                    target = link.get("ok", "")
                    if target.startswith("/") and not target.startswith("/dev/"):  # files, never pipes
                        found[path]["open"] = attempt(read, path, 64)
                    if where == "/proc/self/fd" and name.isdigit():
                        def header(fd=int(name)):
                            if not stat.S_ISREG(os.fstat(fd).st_mode):
                                return "not a file"
                            return os.pread(fd, 64, 0).hex()
                        found[path]["pread"] = attempt(header)
            return found
    """,
            DB=str(db),
            HOST_PID=os.getpid(),
        ),
    )
    found = report(execution)
    assert "ok" not in found["by_path"] and "ok" not in found["sqlite"]
    for path, probe in found.items():
        if path.startswith("/proc/self/fd/"):
            assert "tenant.db" not in json.dumps(probe["link"]) and "master.key" not in json.dumps(probe["link"])
    assert_not_leaked(execution, "SQLite format 3", VALUE, "victim denies")
    assert_victim_ok(victim)


MEMORY_ATTACK = """
class IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("size", ctypes.c_size_t)]

def vm_read(pid, address, size):
    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(size)
    local = IOVec(ctypes.cast(buffer, ctypes.c_void_p), size)
    remote = IOVec(address, size)
    got = libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    if got < 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return buffer.raw[:got].hex()

def mem_read(pid, address, size):
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as f:
        f.seek(address)
        return f.read(size).hex()

def attack():
    found = {}
    for pid, address, size in TARGETS:
        found[f"{pid}@{address}"] = {"vm": attempt(vm_read, pid, address, size),
                                     "mem": attempt(mem_read, pid, address, size),
                                     "maps": attempt(read, f"/proc/{pid}/maps", 4096)}
    return found
"""


@linux
def test_host_and_other_workers_memory_cannot_be_read(tenant) -> None:
    host_secret = b"HOST-MEMORY-" + uuid.uuid4().hex.encode()
    host_address = id(host_secret) + sys.getsizeof(b"") - 1
    add_victim(tenant)
    tenant.deploy("victim")
    tenant.bind("post-login", ["victim"])  # a bound action: its worker stays warm
    where = assert_victim_ok(tenant, flow=True).outcome["id_token_claims"]["where"]
    _, address, size = where
    targets = [(os.getpid(), host_address, len(host_secret))]
    targets += [(pid, address, size) for pid in worker_pids()]  # the victim's worker among them
    assert len(targets) > 1
    execution = run_attack(tenant, hostile(MEMORY_ATTACK, TARGETS=targets))
    for probe in report(execution).values():
        assert "ok" not in probe["vm"] and "ok" not in probe["mem"], probe
    assert_not_leaked(execution, host_secret, VALUE)
    assert_victim_ok(tenant, flow=True)


GC_ATTACK = """
import gc
NEEDLE = "S3CR3" + "T-victim"  # the shape of the token sought (not spelt out: this source is a str too)

def attack():
    found = set()
    def keep(value):
        if isinstance(value, str) and NEEDLE in value:
            found.add(value)
        elif isinstance(value, (bytes, bytearray)) and NEEDLE.encode() in value:
            found.add(bytes(value).decode("latin-1"))
    for obj in gc.get_objects():
        try:
            if isinstance(obj, dict):
                for k, v in list(obj.items()):
                    keep(k)
                    keep(v)
            elif isinstance(obj, (list, tuple, set, frozenset)):
                for v in list(obj):
                    keep(v)
            else:
                for v in list(getattr(obj, "__dict__", {}).values()):
                    keep(v)
        except Exception:
            pass
    for module in list(sys.modules.values()):
        for v in list(getattr(module, "__dict__", {}).values()):
            keep(v)
            if isinstance(v, (list, tuple)):
                for item in v:
                    keep(item)
    return {"found": sorted(s.encode().hex() for s in found), "modules": len(sys.modules)}
"""


def found_secrets(found: list[str]) -> list[str]:
    return [text for text in (bytes.fromhex(h).decode("latin-1") for h in found) if VALUE in text]


def test_other_actions_secret_is_not_in_gc_or_module_state(victim) -> None:
    for _ in range(3):  # wherever the victim ran, the attacker looks there too
        execution = run_attack(victim, hostile(GC_ATTACK))
        assert found_secrets(report(execution)["found"]) == []
        assert_not_leaked(execution, VALUE)
        assert_victim_ok(victim)


def test_files_in_the_users_home_and_tenant_home_cannot_be_read(tmp_path, monkeypatch, actions_home) -> None:
    user_home = tmp_path / "user"
    (user_home / ".ssh").mkdir(parents=True)
    home_secret = "HOME-FILE-" + uuid.uuid4().hex
    (user_home / ".netrc").write_text(f"machine example.com password {home_secret}\n")
    (user_home / ".ssh" / "id_ed25519").write_text(home_secret + "\n")
    monkeypatch.setenv("HOME", str(user_home))
    with Tenant() as tenant:
        notes_secret = "TENANT-HOME-" + uuid.uuid4().hex
        (tenant.directory / "notes.txt").write_text(notes_secret)
        add_victim(tenant)
        assert_victim_ok(tenant)
        key = (tenant.directory / "master.key").read_bytes().strip()
        execution = run_attack(
            tenant,
            hostile(
                """
            def attack():
                found = {}
                for root in (os.path.expanduser("~"), USER_HOME, TENANT_HOME):
                    for folder, dirs, files in os.walk(root):
                        for name in files:
                            path = os.path.join(folder, name)
                            found[path] = attempt(read, path, 4096)
                    found[root] = attempt(os.listdir, root)
                for path in (USER_HOME + "/.netrc", TENANT_HOME):
                    found["direct " + path] = attempt(read, path, 4096)
                return found
        """,
                USER_HOME=str(user_home),
                TENANT_HOME=str(actions_home),
            ),
        )
        sensitive = {
            str(user_home / ".netrc"),
            str(user_home / ".ssh" / "id_ed25519"),
            str(tenant.directory / "notes.txt"),
            str(tenant.directory / "master.key"),
            str(tenant.directory / "tenant.db"),
            "direct " + str(user_home / ".netrc"),
        }
        read_ok = [path for path, probe in report(execution).items() if path in sensitive and "ok" in probe]
        assert read_ok == []
        assert_not_leaked(execution, home_secret, notes_secret, key, VALUE)
        assert_victim_ok(tenant)


# writing ------------------------------------------------------------------------------------------------
@linux
def test_tenant_db_and_other_actions_stored_code_cannot_be_written(victim) -> None:
    victim.deploy("victim")
    victim.bind("post-login", ["victim"])
    db = victim.directory / "tenant.db"
    execution = run_attack(
        victim,
        hostile(
            """
        def attack():
            import sqlite3
            def write():
                with sqlite3.connect(DB, timeout=2) as conn:
                    conn.execute("create table pwned (x)")
                    conn.execute("update actions set code = replace(code, 'victim denies', 'pwned')")
                    conn.execute("update versions set code = replace(code, 'api.access.deny', 'print')")
                return "written"
            def append():
                with open(DB, "ab") as f:
                    f.write(b"")
                return "opened for writing"
            return {"sqlite": attempt(write), "append": attempt(append)}
    """,
            DB=str(db),
        ),
    )
    found = report(execution)
    assert "ok" not in found["sqlite"] and "ok" not in found["append"], found
    with sqlite3.connect(db) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
    assert "pwned" not in tables
    assert victim.get_action("victim").code == VICTIM_CODE
    assert victim.get_version("victim", 1).code == VICTIM_CODE
    assert_victim_ok(victim)
    assert_victim_ok(victim, flow=True)


@linux
def test_a_pth_file_cannot_be_dropped_into_the_hosts_site_packages(victim, tmp_path) -> None:
    token = uuid.uuid4().hex[:12]
    canary = tmp_path / "pth-ran"
    dirs = host_site_dirs()
    assert dirs
    try:
        execution = run_attack(
            victim,
            hostile(
                """
            def attack():
                found = {}
                for folder in SITE_DIRS:
                    def drop(folder=folder):
                        path = os.path.join(folder, f"zz_attack_{TOKEN}.pth")
                        with open(path, "w") as f:
                            f.write(f"import os; open({CANARY!r}, 'w').close()\\n")
                        return path
                    found[folder] = attempt(drop)
                return found
        """,
                SITE_DIRS=dirs,
                TOKEN=token,
                CANARY=str(canary),
            ),
        )
        subprocess.run([sys.executable, "-c", "pass"], check=True, timeout=60)
        dropped = [p for d in dirs for p in Path(d).glob(f"zz_attack_{token}.pth")]
        assert dropped == [] and not canary.exists(), report(execution)
    finally:
        for folder in dirs:
            for path in Path(folder).glob(f"zz_attack_{token}.pth"):
                path.unlink()
    assert_victim_ok(victim)


@linux
def test_the_runtimes_files_cannot_be_written(victim) -> None:
    """Every folder on the worker's sys.path but its own tmp: no new file, no existing file
    opened for writing (nothing is written: a success is closed untouched and removed)."""
    token = uuid.uuid4().hex[:12]
    execution = run_attack(
        victim,
        hostile(
            """
        def attack():
            import tempfile
            own = {os.path.realpath(os.getcwd()), os.path.realpath(tempfile.gettempdir())}
            folders = []
            for entry in sys.path:
                if not entry or not os.path.isdir(entry) or os.path.realpath(entry) in own:
                    continue
                folders.append(entry)
                for package in ("jupyter_actions", "jupyter_actions/runtime", "httpx", "orjson"):
                    if os.path.isdir(os.path.join(entry, package)):
                        folders.append(os.path.join(entry, package))
            found = {"sys.path": sys.path, "created": [], "opened": []}
            for folder in folders:
                path = os.path.join(folder, f"zz_attack_{TOKEN}.py")
                try:
                    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
                    os.remove(path)
                    found["created"].append(path)
                except OSError:
                    pass
                existing = sorted(n for n in attempt(os.listdir, folder).get("ok", []) if n.endswith(".py"))[:1]
                for name in existing:
                    try:
                        os.close(os.open(os.path.join(folder, name), os.O_WRONLY | os.O_APPEND))
                        found["opened"].append(os.path.join(folder, name))
                    except OSError:
                        pass
            return found
    """,
            TOKEN=token,
        ),
    )
    found = report(execution)
    leftovers = [p for p in found["created"] if os.path.exists(p)]
    for path in leftovers:
        os.remove(path)
    assert len(found["sys.path"]) > 1
    assert found["created"] == [] and found["opened"] == [], found
    assert_victim_ok(victim)


DEP_VICTIM = VICTIM_CODE.replace("import hashlib, os, sys", "import hashlib, os, sys, ja_hello").replace(
    '    api.access.deny("victim denies")',
    '    api.id_token.set_custom_claim("hello", ja_hello.__version__)\n    api.access.deny("victim denies")',
)


@pytest.mark.slow
@linux
def test_a_shared_dependency_environment_cannot_be_written(offline, actions_home) -> None:
    add_victim(offline, code=DEP_VICTIM, dependencies=["ja-hello==1.0"])
    assert assert_victim_ok(offline).outcome["id_token_claims"]["hello"] == "1.0"
    module = next(actions_home.rglob("ja_hello/__init__.py"))
    before = module.read_bytes()
    attacker = hostile("""
        import ja_hello
        def attack():
            target = ja_hello.__file__
            folder = os.path.dirname(os.path.dirname(target))
            def tamper():
                with open(target, "a") as f:
                    f.write("\\n__version__ = 'pwned'\\n")
                return target
            def plant():
                with open(os.path.join(folder, "ja_planted.py"), "w") as f:
                    f.write("PWNED = 1\\n")
                return folder
            def swap():
                os.remove(target)
                return "removed"
            return {"tamper": attempt(tamper), "plant": attempt(plant), "swap": attempt(swap)}
    """)
    offline.save_draft("attacker", "post-login", attacker, dependencies=["ja-hello==1.0"])
    execution = offline.test("attacker")
    found = report(execution)
    assert found is not None, execution.results[0]["response"]
    assert module.exists() and module.read_bytes() == before, found
    assert not list(actions_home.rglob("ja_planted.py")), found
    offline.close()  # its workers stop: the next run imports the environment afresh
    assert assert_victim_ok(offline).outcome["id_token_claims"]["hello"] == "1.0"


# importing the host's packages ---------------------------------------------------------------------------
@linux
def test_the_hosts_tenant_and_cryptography_cannot_be_imported(victim) -> None:
    execution = run_attack(
        victim,
        hostile(
            """
        def attack():
            import importlib
            for folder in HOST_PATHS:
                if folder not in sys.path:
                    sys.path.insert(0, folder)
            for name in [n for n in sys.modules if n == "jupyter_actions" or n.startswith("jupyter_actions.")]:
                del sys.modules[name]
            importlib.invalidate_caches()
            found = {"cryptography": attempt(lambda: importlib.import_module("cryptography.fernet").__file__)}
            def tenant():
                module = importlib.import_module("jupyter_actions")
                with module.Tenant(home=ACTIONS_HOME) as t:
                    return [a.name for a in t.list_actions()]
            def secrets():  # what a host Tenant would hand over: every action's decrypted secrets
                module = importlib.import_module("jupyter_actions")
                with module.Tenant(home=ACTIONS_HOME) as t:
                    from jupyter_actions.engine import plan
                    with t.store.read() as conn:
                        step = plan.draft_step(conn, t.cipher, "victim", "onExecutePostLogin").step
                    return {k: v.encode().hex() for k, v in dict(step.secrets).items()}
            found["tenant"] = attempt(tenant)
            found["secrets"] = attempt(secrets)
            found["sqlalchemy"] = attempt(lambda: importlib.import_module("sqlalchemy").__file__)
            return found
    """,
            HOST_PATHS=[*host_site_dirs(), str(REPO)],
            ACTIONS_HOME=str(victim.home),
        ),
    )
    found = report(execution)
    assert "ok" not in found["cryptography"], found
    assert "ok" not in found["tenant"], found
    assert_not_leaked(execution, VALUE)
    assert_victim_ok(victim)


# two tenants in one process -------------------------------------------------------------------------------
PATCH_ATTACK = (
    GC_ATTACK.replace("def attack():", "def walk():")
    + """
def attack():
    return {"walk": walk()}

ORIGINAL = {}

async def on_execute_post_login(event, api):
    found = {"walk": walk()}
    cls = type(api.access)
    cls.deny = lambda self, *args, **kwargs: None  # every deny becomes an allow
    setter = ORIGINAL.setdefault("set", type(api.id_token).set_custom_claim)
    setter(api.id_token, "got", json.dumps(found).encode().hex())
    type(api.id_token).set_custom_claim = lambda self, key, value: None
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("jupyter_actions"):
            for name, value in list(vars(module).items()):
                if isinstance(value, type) and name in ("Access", "AccessApi", "PostLoginApi"):
                    try:
                        value.deny = lambda self, *args, **kwargs: None
                    except Exception:
                        pass
"""
)


@pytest.mark.slow
def test_two_tenants_in_one_process_reach_nothing_of_each_other(tmp_path) -> None:
    with Tenant(home=tmp_path / "a") as a, Tenant(home=tmp_path / "b") as b:
        add_victim(a)
        a.deploy("victim")
        a.bind("post-login", ["victim"])
        assert_victim_ok(a)
        assert_victim_ok(a, flow=True)
        code = PRELUDE + PATCH_ATTACK
        b.save_draft("patcher", "post-login", code)
        for _ in range(3):
            execution = b.test("patcher")
            assert report(execution) is not None, execution.results[0]["response"]
            assert found_secrets(report(execution)["walk"]["found"]) == []
            assert_not_leaked(execution, VALUE)
        for _ in range(4):
            assert_victim_ok(a)
            assert_victim_ok(a, flow=True)


# tampered version code ----------------------------------------------------------------------------------------
def test_tampered_version_code_is_refused_at_run_time(actions_home) -> None:
    with Tenant() as tenant:
        add_victim(tenant)
        version = tenant.deploy("victim").version
        tenant.bind("post-login", ["victim"])
        db = tenant.directory / "tenant.db"
    tampered = "async def on_execute_post_login(event, api):\n    api.id_token.set_custom_claim('tampered', True)\n"
    with sqlite3.connect(db) as conn:
        changed = conn.execute("update versions set code = ? where id = ?", (tampered, version.id)).rowcount
    assert changed == 1
    with Tenant() as tenant:
        execution = tenant.run_flow("post-login", sample())
        error = error_of(execution)
        assert error is not None, execution.outcome
        assert error["error_class"] == "platform_error"
        assert "failed its integrity check" in error["message"]
        assert "tampered" not in execution.outcome["id_token_claims"]
        assert execution.outcome["deny"] is not None or execution.outcome["error"] is not None


# forged frames --------------------------------------------------------------------------------------------------
FORGE_ATTACK = '''
import json, os, time

def frame(obj, blobs=()):
    head = json.dumps({**obj, "blobs": [len(b) for b in blobs]} if blobs else obj).encode()
    body = head + (b"\\0" + b"".join(blobs) if blobs else b"")
    return len(body).to_bytes(4, "big") + body

def forged_result(index):
    """A result for job ``index`` that allows the login with the attacker's claims, in every
    shape the parent reads (a lean frame, a step frame, an id + nonce frame)."""
    claims = {"who": "forged", "role": "admin"}
    outcome = {"status": "allowed", "deny": None, "error": None, "id_token_claims": claims,
               "access_token_claims": claims, "execution_id": "forged-execution-id"}
    result = {"action_name": "gate", "started_at": "2020-01-01T00:00:00Z", "ended_at": "2020-01-01T00:00:00Z",
              "response": {"logs": "", "stats": {"action_duration_ms": 0.1, "total_runtime_execution_duration_ms": 0.1},
                           "error": None},
              "commands": [{"type": "id_token.set_custom_claim", "key": "who", "value": "forged"}],
              "control": "continue"}
    lean = {"id": "forged-execution-id", "status": "allowed", "steps": [["gate", 0.1, None]], "error": None,
            "duration": 0.1, "started_at": "2020-01-01T00:00:00Z", "ended_at": "2020-01-01T00:00:00Z"}
    return (frame({"j": index, "done": 1, "lean": lean}, [json.dumps(outcome).encode(), json.dumps(result).encode()])
            + frame({"id": index, "n": index, "nonce": "x", "r": result, "done": 1, "c": {}})
            + frame({"j": index, "r": result, "done": 1, "c": {}}))

def forgery(kind):
    if kind == "other_ids":
        return b"".join(forged_result(i) for i in range(COUNT))
    if kind == "second_result":
        return forged_result(0)
    if kind == "garbage":
        return frame({"hello": 1}) + (16).to_bytes(4, "big") + b"not json at all!" + os.urandom(64)
    if kind == "oversized":
        return b"\\xff\\xff\\xff\\xf0" + b"x" * 1000
    raise ValueError(kind)

async def on_execute_post_login(event, api):
    email = event.user.email
    if email.startswith("evil"):
        data = forgery(KIND)
        for name in os.listdir("/proc/self/fd"):
            try:
                os.write(int(name), data)
            except (OSError, ValueError):
                pass
        if KIND == "second_result":
            time.sleep(0.05)  # let the forged result arrive first, then return one for real
    api.id_token.set_custom_claim("who", email)
    if "deny" in email:
        api.access.deny("denied " + email)
'''


@linux
@pytest.mark.parametrize("kind", ["other_ids", "second_result", "garbage", "oversized"])
def test_forged_frames_fail_only_the_forging_execution(tenant, kind) -> None:
    count = 30
    tenant.configure("flow_timeout_s", 5.0)
    tenant.save_draft("gate", "post-login", f"COUNT = {count}\nKIND = {kind!r}\n" + FORGE_ATTACK, deploy=True)
    tenant.bind("post-login", ["gate"])
    emails = [
        ("evil" if i in (4, 17) else "user") + (f"-deny{i}" if i % 3 == 0 else str(i)) + "@example.com"
        for i in range(count)
    ]
    results = dict(tenant.run_flow_batch("post-login", [sample(email) for email in emails]))
    assert sorted(results) == list(range(count))
    for index, execution in results.items():
        assert not isinstance(execution, Exception), (index, execution)
        email = emails[index]
        if email.startswith("evil"):
            error = error_of(execution)
            assert error is not None and error["error_class"] == "platform_error", (email, execution.outcome)
            assert execution.outcome["id_token_claims"].get("who") != "forged"
            continue
        assert error_of(execution) is None, (email, error_of(execution))
        assert execution.outcome["id_token_claims"] == {"who": email}, (email, execution.outcome)
        assert (execution.outcome["deny"] is not None) == ("deny" in email), (email, execution.outcome)
    # every execution was recorded, the forged execution id replaced none of them
    recorded = {e.id: e for e in tenant.executions(trigger="post-login", limit=10_000)}
    for index, execution in results.items():
        if not emails[index].startswith("evil"):
            assert execution.id in recorded, (emails[index], execution.id)
            assert recorded[execution.id].outcome["id_token_claims"] == {"who": emails[index]}
    assert "forged-execution-id" not in recorded
    assert len({e.id for e in results.values()}) == count


# descendants and resources --------------------------------------------------------------------------------------
@linux
def test_a_sleep_child_is_gone_at_step_end(victim) -> None:
    mark = "ja-sleep-" + uuid.uuid4().hex[:10]
    try:
        execution = run_attack(
            victim,
            hostile(
                """
            def attack():
                import shutil, subprocess
                def spawn():
                    child = subprocess.Popen([MARK, "1000"], executable=shutil.which("sleep") or "/bin/sleep",
                                             start_new_session=True, stdin=subprocess.DEVNULL,
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    return child.pid
                return {"spawned": attempt(spawn)}
        """,
                MARK=mark,
            ),
        )
        assert wait_gone(mark) == [], "the sleep child outlived its step"
        if "ok" in report(execution)["spawned"]:
            assert "that the action left running" in execution.results[0]["response"]["logs"]
    finally:
        kill_marked(mark)
    assert_victim_ok(victim)


@pytest.mark.slow
@linux
def test_a_forked_detached_child_is_gone_at_step_end(victim) -> None:
    mark = "jafork" + uuid.uuid4().hex[:8]  # a process name: at most 15 bytes
    try:
        execution = run_attack(
            victim,
            hostile(
                """
            def attack():
                pid = os.fork()
                if pid == 0:
                    try:
                        os.setsid()  # out of the worker's process group
                        if os.fork() == 0:
                            ctypes.CDLL(None).prctl(15, MARK.encode(), 0, 0, 0)
                            time.sleep(30)
                    finally:
                        os._exit(0)
                os.waitpid(pid, 0)
                return {"forked": pid}
        """,
                MARK=mark,
            ),
        )
        assert wait_gone(mark) == [], "the forked child outlived its step"
        assert "that the action left running" in execution.results[0]["response"]["logs"]
    finally:
        kill_marked(mark)
    assert_victim_ok(victim)


@linux
def test_a_fork_bomb_is_capped_and_cleaned_up(victim) -> None:
    mark = "jabomb" + uuid.uuid4().hex[:8]
    attempts = 1500
    try:
        execution = run_attack(
            victim,
            hostile(
                """
            def attack():
                libc = ctypes.CDLL(None)
                forked, refused, started = 0, None, time.monotonic()
                while forked < ATTEMPTS and time.monotonic() - started < 8:
                    try:
                        pid = os.fork()
                    except OSError as exc:
                        refused = f"{type(exc).__name__}: {exc}"
                        break
                    if pid == 0:
                        try:
                            libc.prctl(15, MARK.encode(), 0, 0, 0)
                            time.sleep(20)  # bounded, should every layer fail
                        finally:
                            os._exit(0)
                    forked += 1
                return {"forked": forked, "refused": refused}
        """,
                MARK=mark,
                ATTEMPTS=attempts,
            ),
            ran=False,
        )
        found = report(execution)
        if found is not None:  # the step finished: the bomb met a cap
            assert found["refused"] is not None and found["forked"] < attempts, found
        assert wait_gone(mark, 5.0) == [], "the bomb's processes outlived their step"
        assert subprocess.run(["true"], timeout=30).returncode == 0  # the host can still fork
    finally:
        kill_marked(mark)
    assert_victim_ok(victim)


@pytest.mark.slow
@linux
def test_three_children_of_400_mb_hit_the_workers_one_memory_limit(victim) -> None:
    victim.configure("worker_memory_mb", 512)
    execution = run_attack(
        victim,
        hostile("""
        def attack():
            children = []
            for _ in range(3):
                pid = os.fork()
                if pid == 0:
                    try:
                        block = b"\\x01" * (400 << 20)  # written, so resident
                        time.sleep(2)
                    finally:
                        os._exit(0)
                children.append(pid)
            return {"statuses": [os.waitpid(pid, 0)[1] for pid in children]}
    """),
        ran=False,
    )
    error = error_of(execution)
    assert error is not None, report(execution)
    assert error["error_class"] == "platform_error", error
    assert "memory limit" in error["message"], error
    assert_victim_ok(victim)


@linux
def test_a_spinning_thread_is_stopped_the_next_run_gets_a_fresh_worker(victim) -> None:
    code = """
import threading, uuid
TOKEN = uuid.uuid4().hex  # module level: runs again in a fresh worker

def spin():
    while True:
        pass

async def on_execute_post_login(event, api):
    threading.Thread(target=spin, daemon=True).start()
    api.id_token.set_custom_claim("token", TOKEN)
"""
    victim.save_draft("spinner", "post-login", code)
    first = victim.test("spinner").outcome["id_token_claims"]["token"]
    second = victim.test("spinner").outcome["id_token_claims"]["token"]
    assert first != second, "the second run reused the worker whose thread still spins"
    assert_victim_ok(victim)


EXIT_CODE = """
import os

async def on_execute_post_login(event, api):
    n = int(event.user.email.split("@")[0][4:])
    if n % 50 == 7:
        os._exit(3)
    api.id_token.set_custom_claim("n", n)
"""


def batch_events(count: int) -> list[dict]:
    return [sample(f"user{i}@example.com") for i in range(count)]


@pytest.mark.slow
@linux
def test_a_batch_where_two_percent_call_os_exit_gives_every_event_a_result(tenant) -> None:
    count = 300
    tenant.configure("flow_timeout_s", 5.0)
    tenant.save_draft("exiter", "post-login", EXIT_CODE, deploy=True)
    tenant.bind("post-login", ["exiter"])
    started = time.monotonic()
    results = dict(tenant.run_flow_batch("post-login", batch_events(count)))
    assert time.monotonic() - started < 30
    assert sorted(results) == list(range(count))
    for index, execution in results.items():
        assert not isinstance(execution, Exception), (index, execution)
        if index % 50 == 7:
            assert error_of(execution)["error_class"] == "platform_error", (index, execution.outcome)
        else:
            assert error_of(execution) is None and execution.outcome["deny"] is None, (index, execution.outcome)
            assert execution.outcome["id_token_claims"] == {"n": index}


@pytest.mark.slow
@linux
def test_a_batch_survives_all_its_workers_killed_at_once(tenant) -> None:
    count = 200
    tenant.configure("flow_timeout_s", 5.0)
    code = EXIT_CODE.replace("os._exit(3)", "pass").replace(
        "    api.id_token", "    time.sleep(0.01)\n    api.id_token"
    )
    tenant.save_draft("slow", "post-login", "import time\n" + code, deploy=True)
    tenant.bind("post-login", ["slow"])
    killed: list[int] = []
    seen = threading.Event()

    def kill_all() -> None:
        seen.wait(20)  # ten results are in: the batch runs on warm workers, which are killed now
        pids = worker_pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except OSError:
                pass

    killer = threading.Thread(target=kill_all)
    killer.start()
    results = {}
    try:
        for index, execution in tenant.run_flow_batch("post-login", batch_events(count)):
            results[index] = execution
            if len(results) >= 10:
                seen.set()
    finally:
        seen.set()
        killer.join()
    assert killed, "no worker to kill"
    assert sorted(results) == list(range(count))
    for index, execution in results.items():
        assert not isinstance(execution, Exception), (index, execution)
        error = error_of(execution)
        if error is not None:
            assert error["error_class"] == "platform_error", error
        else:
            assert execution.outcome["id_token_claims"] == {"n": index}
    assert tenant.run_flow("post-login", sample("user1@example.com")).outcome["id_token_claims"] == {"n": 1}
