"""The sandbox layers against a hostile worker: real processes, no mocks.

Each test starts a fresh ``python -I -S`` that loads sandbox.py by path, boots a Policy and runs
attack code, reporting on stdout. Most tests run twice: with namespaces, and with ``unshare``
denied by a seccomp filter (the fallback of Docker, Ubuntu's AppArmor userns restriction).
Must pass as root and as an unprivileged user (``.ci/run`` repeats this file as nobody).
"""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("the sandbox layers are Linux only", allow_module_level=True)

SANDBOX_PY = Path(__file__).resolve().parents[2] / "jupyter_actions" / "runtime" / "sandbox.py"
_spec = importlib.util.spec_from_file_location("_sandbox_under_test", SANDBOX_PY)
sandbox = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = sandbox
_spec.loader.exec_module(sandbox)

if sandbox.landlock_abi() == 0:
    pytest.skip("this kernel has no Landlock", allow_module_level=True)

ROOT = os.geteuid() == 0
CONFIGS = {"namespaces": {}, "no-namespaces": {"unshare": errno.EPERM}}

RUNNER = r"""
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("sandbox", sys.argv[1])
sandbox = importlib.util.module_from_spec(spec)
sys.modules["sandbox"] = sandbox
spec.loader.exec_module(sandbox)
setup = json.loads(sys.argv[3])
if setup["deny"]:
    sandbox._deny_syscalls(setup["deny"])
try:
    report = sandbox.boot(sandbox.Policy.from_json(sys.argv[2]), ())
except sandbox.SandboxUnavailable as exc:
    print(json.dumps({"unavailable": str(exc)}), flush=True)
    sys.exit(0)
out = {"report": dict(report), "pid": os.getpid()}
exec(PRELUDE + setup["code"], {"sandbox": sandbox, "out": out, "args": setup["args"]})
print(json.dumps(out), flush=True)
"""

PRELUDE = r"""
import ctypes, errno, os, socket, subprocess, sys, time
def attempt(fn, *a):
    try:
        fn(*a)
        return "ok"
    except OSError as exc:
        return errno.errorcode.get(exc.errno, type(exc).__name__)
    except Exception as exc:
        return type(exc).__name__
def read(path):
    with open(path, "rb") as file:
        return file.read()
def write(path, data=b"x"):
    with open(path, "wb") as file:
        file.write(data)
"""


def command(
    tmp_path: Path,
    code: str,
    *,
    config: str = "namespaces",
    args: dict | None = None,
    deny: dict[str, int] | None = None,
    **policy,
) -> list[str]:
    """The argv of a worker that boots ``policy`` then runs ``code``; its private tmp is
    tmp_path/worker, and it may read the standard library, the interpreter and ``sleep``."""
    work = tmp_path / "worker"
    work.mkdir(exist_ok=True)
    read_only = sandbox.default_read_only([shutil.which("sleep") or "/bin/sleep"])
    text = sandbox.Policy(read_only=read_only, tmp=str(work), **{"memory_mb": 512, **policy}).to_json()
    setup = json.dumps({"deny": deny or CONFIGS[config], "code": code, "args": args or {}})
    return [sys.executable, "-I", "-S", "-c", RUNNER.replace("PRELUDE", repr(PRELUDE)), str(SANDBOX_PY), text, setup]


def start(tmp_path: Path, code: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        command(tmp_path, code, **options),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path / "worker",
        env={"PATH": "/usr/bin:/bin"},
        start_new_session=True,
    )


def run(tmp_path: Path, code: str, **options) -> dict:
    proc = start(tmp_path, code, **options)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    return json.loads(out.decode().splitlines()[-1])


def host_files(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    (home / "master.key").write_text("a-master-key")
    (home / "tenant.db").write_bytes(b"SQLite format 3\x00")
    return {"key": str(home / "master.key"), "db": str(home / "tenant.db"), "home": str(home)}


def gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as file:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in file)
    except FileNotFoundError:
        return True


@pytest.fixture(params=list(CONFIGS))
def config(request) -> str:
    return request.param


def test_every_layer_is_active_here(tmp_path):
    out = run(tmp_path, "out['status'] = read('/proc/self/status').decode()")
    assert sandbox.Report(out["report"]).missing() == []
    fields = dict(line.split(":\t", 1) for line in out["status"].splitlines() if ":\t" in line)
    assert fields["NoNewPrivs"].strip() == "1"
    assert fields["Seccomp"].strip() == "2"
    assert int(fields["CapEff"], 16) == int(fields["CapPrm"], 16) == int(fields["CapBnd"], 16) == 0


def test_without_user_namespaces_the_rest_still_holds(tmp_path):
    out = run(tmp_path, "", config="no-namespaces")
    report = sandbox.Report(out["report"])
    assert report["namespaces"] == "unshare: EPERM"
    assert set(report.missing()) == {"namespaces", "proc", "tmpfs"}


def test_files_of_the_host_are_out_of_reach(tmp_path, config):
    files = host_files(tmp_path)
    pth = os.path.join(sysconfig.get_paths()["purelib"], f"zz_sandbox_test_{os.getpid()}.pth")
    code = """
out["key"] = attempt(read, args["key"])
out["db"] = attempt(read, args["db"])
out["db_rw"] = attempt(os.open, args["db"], os.O_RDWR)
out["listdir_home"] = attempt(os.listdir, args["home"])
out["write_home"] = attempt(write, args["home"] + "/planted.py")
out["pth"] = attempt(write, args["pth"], b"import os")
out["write_tmp"] = attempt(write, "own.txt", b"mine")
out["read_tmp"] = read("own.txt").decode()
out["rename_out"] = attempt(os.rename, "own.txt", args["home"] + "/own.txt")
write("tool", read(sys.executable))
os.chmod("tool", 0o700)
out["exec_tmp"] = attempt(subprocess.run, ["./tool", "-c", "pass"])
out["stdlib"] = attempt(__import__, "json")
"""
    try:
        out = run(tmp_path, code, config=config, args={**files, "pth": pth})
    finally:
        if os.path.exists(pth):
            os.unlink(pth)
            pytest.fail("the worker wrote a .pth file into the host's site-packages")
    assert out["key"] == out["db"] == out["db_rw"] == out["listdir_home"] == "EACCES"
    assert out["write_home"] == out["pth"] == out["exec_tmp"] == "EACCES"
    assert out["rename_out"] in ("EACCES", "EXDEV")
    assert out["write_tmp"] == out["stdlib"] == "ok" and out["read_tmp"] == "mine"


def test_host_packages_cannot_be_imported(tmp_path, config):
    spec = importlib.util.find_spec("cryptography")
    if spec is None or spec.origin is None:
        pytest.skip("cryptography is not installed on the host")
    code = """
sys.path.append(args["site"])
sys.path.append(args["repo"])
out["cryptography"] = attempt(__import__, "cryptography")
out["jupyter_actions"] = attempt(__import__, "jupyter_actions")
"""
    site = str(Path(spec.origin).parent.parent)
    out = run(tmp_path, code, config=config, args={"site": site, "repo": str(SANDBOX_PY.parents[2])})
    assert out["cryptography"] in ("ModuleNotFoundError", "EACCES")
    assert out["jupyter_actions"] in ("ModuleNotFoundError", "EACCES")


def test_the_host_process_is_out_of_reach(tmp_path, config):
    files = host_files(tmp_path)
    code = """
host = args["host"]
for name in ("environ", "mem", "maps", f"fd/{args['fd']}"):
    out[name] = attempt(read, f"/proc/{host}/{name}")
out["kill"] = attempt(os.kill, host, 0)
class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
libc = ctypes.CDLL(None, use_errno=True)
buf = ctypes.create_string_buffer(8)
local, remote = IoVec(ctypes.addressof(buf), 8), IoVec(0x400000, 8)
got = libc.process_vm_readv(host, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
out["process_vm_readv"] = "ok" if got != -1 else errno.errorcode[ctypes.get_errno()]
out["proc"] = attempt(os.listdir, "/proc")
out["visible"] = sorted(int(name) for name in os.listdir("/proc") if name.isdigit()) if out["proc"] == "ok" else []
out["unshare"] = "ok" if libc.unshare(0x10000000) == 0 else errno.errorcode[ctypes.get_errno()]
"""
    with open(files["db"], "rb") as held:
        fd = held.fileno()
        out = run(tmp_path, code, config=config, args={"host": os.getpid(), "fd": fd})
    for name in ("environ", "mem", "maps", f"fd/{fd}"):
        assert out[name] in ("EACCES", "ENOENT"), name  # ENOENT: the host's PID is not in the namespace
    assert out["kill"] in ("EPERM", "ESRCH")
    assert out["process_vm_readv"] == "EPERM"
    assert out["unshare"] == "EPERM"
    if config == "namespaces":
        assert out["visible"] == [1]  # a fresh /proc: only the worker itself
    else:
        assert out["proc"] == "EACCES" and out["kill"] == "EPERM"


@pytest.fixture
def listeners():
    servers = [socket.create_server(("127.0.0.1", 0)) for _ in range(2)]
    yield [server.getsockname()[1] for server in servers]
    for server in servers:
        server.close()


NETWORK_CODE = """
def connect(port):
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
def listen():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
out["connect"] = [attempt(connect, port) for port in args["ports"]]
out["listen"] = attempt(listen)
"""


def test_network_is_open_by_default_but_listening_is_denied(tmp_path, config, listeners):
    out = run(tmp_path, NETWORK_CODE, config=config, args={"ports": listeners})
    assert out["connect"] == ["ok", "ok"]
    assert out["listen"] == "EACCES"


def test_network_deny(tmp_path, config, listeners):
    mode = "strict" if config == "namespaces" else "best-effort"  # strict refuses TCP-only denial
    out = run(tmp_path, NETWORK_CODE, config=config, network="deny", mode=mode, args={"ports": listeners})
    assert out["connect"] == (["ENETUNREACH"] * 2 if config == "namespaces" else ["EACCES"] * 2)
    if config == "no-namespaces":
        assert out["report"]["network"].startswith("only TCP denied")


def test_network_deny_is_refused_in_strict_mode_without_a_network_namespace(tmp_path):
    out = run(tmp_path, "", config="no-namespaces", network="deny")
    assert out["unavailable"].startswith("sandbox layer network is missing (only TCP denied")


def test_network_port_list(tmp_path, config, listeners):
    out = run(tmp_path, NETWORK_CODE, config=config, network=str(listeners[0]), args={"ports": listeners})
    assert out["connect"] == ["ok", "EACCES"]


DESCENDANTS_CODE = """
sleeper = subprocess.Popen(["sleep", "300"])
started, holding = os.pipe()  # close-on-exec: read gets EOF once the grandchild runs `sleep`
middle = os.fork()
if middle == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(args["sleep"], ["sleep", "301"])
    os._exit(0)
os.close(holding)
os.waitpid(middle, 0)
os.read(started, 1)
out["ended"], out["threads"] = sandbox.after_step(1)
out["sleeper"] = attempt(os.kill, sleeper.pid, 0)
out["children"] = [attempt(os.listdir, "/proc/self/task")]
costs = []
for _ in range(2000):
    started = time.perf_counter()
    sandbox.after_step(1)
    costs.append(time.perf_counter() - started)
out["after_step_us"] = sorted(costs)[len(costs) // 2] * 1e6
"""


def test_descendants_are_gone_after_the_step(tmp_path, config):
    out = run(tmp_path, DESCENDANTS_CODE, config=config, args={"sleep": shutil.which("sleep")})
    assert out["ended"] == 2  # the sleep child and the setsid grandchild
    assert out["sleeper"] == "ESRCH"
    assert out["threads"] == 0
    assert out["after_step_us"] < 200


def test_nothing_survives_in_the_namespace(tmp_path):
    code = (
        DESCENDANTS_CODE.split('out["ended"]')[0]
        + """
sandbox.after_step(1)
out["left"] = sorted(int(name) for name in os.listdir("/proc") if name.isdigit())
"""
    )
    out = run(tmp_path, code, args={"sleep": shutil.which("sleep")})
    assert out["left"] == [1]


def test_a_spinning_thread_is_reported(tmp_path, config):
    code = """
import threading
baseline = sandbox.thread_count()
threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=True).start()
out["ended"], out["threads"] = sandbox.after_step(baseline)
"""
    out = run(tmp_path, code, config=config)
    assert out == {**out, "ended": 0, "threads": 1}


FORK_BOMB = """
me = os.getpid()
end = time.monotonic() + 1.0
refused = 0
while time.monotonic() < end:
    try:
        os.fork()
    except BlockingIOError:
        refused += 1
        time.sleep(0.005)
if os.getpid() != me:
    time.sleep(60)
    os._exit(0)
out["refused"] = refused
out["ended"], _ = sandbox.after_step(1)
"""


def test_a_fork_bomb_is_capped(tmp_path, config):
    proc = start(tmp_path, FORK_BOMB, config=config, max_processes=16)
    stdout, stderr = proc.communicate(timeout=60)
    if ROOT or config == "no-namespaces":
        # RLIMIT_NPROC binds neither uid 0 nor a uid outside a fresh user namespace: the
        # supervisor counts the tree every 20 ms and ends it
        assert proc.returncode == sandbox.EXIT_PROCESSES, stderr.decode()
        assert b"exceeded the limit of 16" in stderr
    else:
        assert proc.returncode == 0, stderr.decode()
        out = json.loads(stdout.decode().splitlines()[-1])
        assert out["refused"] > 0 and 0 < out["ended"] <= 16
    assert subprocess.run(["true"]).returncode == 0  # the host can still fork


HOG = "import time; block = b'x' * ({mb} << 20); print('holding', flush=True); time.sleep(30)"
MEMORY_CODE = """
hogs = [subprocess.Popen([sys.executable, "-I", "-S", "-c", args["hog"]], stdout=subprocess.PIPE)
        for _ in range(args["count"])]
for hog in hogs:
    hog.stdout.readline()  # it holds its block now (or it has ended)
time.sleep(args["wait"])  # the time the supervisor has to end an oversized worker
out["alive"] = [hog.poll() is None for hog in hogs]
out["ended"], _ = sandbox.after_step(1)
"""


def test_three_children_of_400_mb_hit_one_limit(tmp_path, config):
    proc = start(
        tmp_path, MEMORY_CODE, config=config, memory_mb=512, args={"hog": HOG.format(mb=400), "count": 3, "wait": 10}
    )
    started = time.monotonic()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == sandbox.EXIT_MEMORY, stderr.decode()
    assert b"over the limit of 512 MiB" in stderr
    assert time.monotonic() - started < 9


def test_one_child_of_100_mb_is_fine(tmp_path, config):
    out = run(
        tmp_path, MEMORY_CODE, config=config, memory_mb=512, args={"hog": HOG.format(mb=100), "count": 1, "wait": 0}
    )
    assert out["alive"] == [True] and out["ended"] == 1


def test_strict_mode_refuses_a_missing_layer_in_one_line(tmp_path):
    code = "out['ran'] = True"
    no_landlock = {"landlock_create_ruleset": errno.ENOSYS}  # a kernel built without Landlock
    out = run(tmp_path, code, deny=no_landlock)
    best = run(tmp_path, code, deny=no_landlock, mode="best-effort")
    assert out == {
        "unavailable": (
            "sandbox layer landlock is missing (landlock_create_ruleset: ENOSYS): set the tenant setting "
            "sandbox to best-effort to run without it"
        )
    }
    assert best["ran"] is True
    assert best["report"]["landlock"] == "landlock_create_ruleset: ENOSYS"
    assert best["report"]["network"].startswith("listening not denied")


@pytest.mark.parametrize(
    "code, expected",
    [
        ("sys.exit(7)", 7),
        ("ctypes.string_at(0)", -signal.SIGSEGV),
    ],
)
def test_the_supervisor_relays_the_end(tmp_path, config, code, expected):
    proc = start(tmp_path, code, config=config)
    proc.communicate(timeout=60)
    assert proc.returncode == expected


def test_pid_1_ignores_a_signal_it_sends_itself(tmp_path, config):
    """The kernel delivers to a namespace's PID 1 only the signals it handles, even its own:
    os.abort() then ends through glibc's fallback, a SIGSEGV."""
    killed = start(tmp_path, "os.kill(os.getpid(), 9); os._exit(3)", config=config)
    aborted = start(tmp_path, "os.abort()", config=config)
    killed.communicate(timeout=60)
    aborted.communicate(timeout=60)
    if config == "namespaces":
        assert (killed.returncode, aborted.returncode) == (3, -signal.SIGSEGV)
    else:
        assert (killed.returncode, aborted.returncode) == (-signal.SIGKILL, -signal.SIGABRT)


def test_the_host_ends_a_worker_through_its_pid(tmp_path, config):
    proc = start(tmp_path, "print('ready', flush=True); time.sleep(60)", config=config)
    assert proc.stdout.readline() == b"ready\n"
    child = sandbox.worker_pid(proc.pid)
    if config == "no-namespaces":
        assert child is None
        proc.terminate()
        proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGTERM
        return
    assert child is not None and child != proc.pid
    os.kill(child, signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


def test_the_worker_ends_when_the_host_dies(tmp_path, config):
    host = """
import subprocess, sys
proc = subprocess.Popen(ARGV, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
proc.stdout.readline()
with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as file:
    print(proc.pid, file.read(), flush=True)
"""
    argv = command(tmp_path, "print('ready', flush=True); time.sleep(60)", config=config)
    outer = subprocess.run(
        [sys.executable, "-I", "-S", "-c", host.replace("ARGV", repr(argv))],
        capture_output=True,
        timeout=60,
        cwd=tmp_path / "worker",
    )
    pids = [int(pid) for pid in outer.stdout.split()]
    assert len(pids) == 2, outer.stderr
    deadline = time.monotonic() + 5
    while not all(map(gone, pids)) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert all(map(gone, pids))


def test_protect_host_makes_the_caller_non_dumpable():
    code = (
        "import importlib.util, sys, ctypes\n"
        f"spec = importlib.util.spec_from_file_location('s', {str(SANDBOX_PY)!r})\n"
        "m = importlib.util.module_from_spec(spec); sys.modules['s'] = m; spec.loader.exec_module(m)\n"
        "m.protect_host(); m.protect_host()\n"
        "print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))\n"
    )
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "0", done.stderr


def test_probe_reports_every_layer():
    layers = sandbox.probe()
    assert layers["landlock"] == "active"
    assert layers["landlock_abi"] == str(sandbox.landlock_abi())
    assert set(sandbox.LAYERS) <= set(layers)


def test_default_read_only_leaves_out_site_packages():
    paths = sandbox.default_read_only(["/does/not/exist"])
    assert not any("site-packages" in path or "dist-packages" in path for path in paths)
    assert "/does/not/exist" not in paths
    assert os.path.realpath(sys.executable) in paths


def test_policy_round_trip_and_validation():
    policy = sandbox.Policy(read_only=("/usr",), tmp="/tmp/x", memory_mb=64, network=" 443, 8443")
    assert sandbox.Policy.from_json(policy.to_json()) == policy
    assert policy.network == "443,8443"
    for bad in ({"network": "80,http"}, {"network": "70000"}, {"mode": "lax"}, {"memory_mb": 0}):
        with pytest.raises(ValueError):
            sandbox.Policy(read_only=(), tmp="/tmp/x", **{"memory_mb": 64, **bad})
    with pytest.raises(ValueError):
        sandbox.Policy.from_json('{"tmp": "/tmp/x"}')
