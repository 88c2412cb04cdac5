"""The worker sandbox: the Linux layers a worker puts around itself before any action code runs.

Standard library and ctypes only, and nothing from ``jupyter_actions``: a fresh, single-threaded
``python -I -S`` worker imports this module first and calls `boot`, which splits the process in
two. The original process stays outside as a small trusted supervisor (exit relay, one memory
limit for the whole tree, cleanup when the host dies); its child, PID 1 of new namespaces where
the kernel allows them, drops every privilege, enters Landlock and returns to run the action.
The host side uses `worker_pid`, `protect_host` and `probe`. docs/security.md explains each layer.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import json
import os
import resource
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import NoReturn

EXIT_MEMORY = 121
"""The supervisor's exit status when the worker's processes together used more than memory_mb."""
EXIT_PROCESSES = 122
"""The supervisor's exit status when the worker's tree held more than max_processes tasks (the
kernel's RLIMIT_NPROC does not bind uid 0, so the supervisor counts too)."""

MODES = ("strict", "best-effort")
LAYERS = (
    "namespaces",
    "proc",
    "tmpfs",
    "rlimits",
    "capabilities",
    "no_new_privs",
    "seccomp",
    "landlock",
    "network",
    "dumpable",
    "supervisor",
)
REQUIRED = ("rlimits", "capabilities", "no_new_privs", "landlock", "dumpable")
"""Layers strict mode refuses to run without (plus ``network`` when the policy is not "open")."""
ACTIVE = "active"
WATCH_INTERVAL_S = 0.02  # while the worker has processes of its own
IDLE_WATCH_INTERVAL_S = 0.1  # while it is alone
OPEN_FILES = 1024

_LINUX = sys.platform.startswith("linux")
_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

# prctl options, clone flags, mount flags (include/uapi/linux/{prctl,sched,mount}.h)
PR_SET_PDEATHSIG, PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_CAPBSET_DROP = 1, 3, 4, 24
PR_SET_SECUREBITS, PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS = 28, 36, 38, 39
PR_SET_SECCOMP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 22, 47, 4
SECUREBITS_LOCKED_NOROOT = 0xEF  # NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE, KEEP_CAPS off, all locked
CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER = 0x00020000, 0x08000000, 0x10000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
CLONE_NEW_ANY = 0x7E020080  # NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 0x40000

# Landlock (include/uapi/linux/landlock.h); the syscall numbers are shared by every architecture
_NR_LANDLOCK_CREATE, _NR_LANDLOCK_ADD, _NR_LANDLOCK_RESTRICT = 444, 445, 446
_RULE_PATH_BENEATH, _RULE_NET_PORT = 1, 2
LL_EXECUTE, LL_WRITE_FILE, LL_READ_FILE, LL_READ_DIR = 1, 2, 4, 8
LL_REFER, LL_TRUNCATE, LL_IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
LL_BIND_TCP, LL_CONNECT_TCP = 1, 2
LL_SCOPE_ABSTRACT_UNIX, LL_SCOPE_SIGNAL = 1, 2
_LL_FILE_ONLY = LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE | LL_TRUNCATE | LL_IOCTL_DEV
_LL_READ_ONLY = LL_EXECUTE | LL_READ_FILE | LL_READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class _NetPortAttr(ctypes.Structure):
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


class _SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


class SandboxUnavailable(Exception):
    """Strict mode, and a layer it requires is missing on this machine."""


class Report(dict):
    """Layer name -> "active", or one line saying why the layer is missing."""

    def missing(self) -> list[str]:
        return [name for name, state in self.items() if state != ACTIVE]


@dataclass(frozen=True)
class Policy:
    """What one worker may do; passed on its argv as JSON (paths and numbers only)."""

    read_only: tuple[str, ...]
    tmp: str
    memory_mb: int
    max_processes: int = 32
    network: str = "open"
    mode: str = "strict"

    def __post_init__(self) -> None:
        object.__setattr__(self, "read_only", tuple(str(path) for path in self.read_only))
        try:
            object.__setattr__(self, "network", parse_network(self.network))
        except ValueError as exc:
            raise ValueError(f"sandbox network {exc}") from None
        if self.mode not in MODES:
            raise ValueError(f"sandbox mode must be strict or best-effort, not {self.mode!r}")
        for name in ("memory_mb", "max_processes"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"sandbox {name} must be a positive integer, not {value!r}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Policy:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a sandbox policy is a JSON object")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ValueError(f"bad sandbox policy: {exc}") from None


def parse_network(value: str) -> str:
    """ "open", "deny", or a comma list of TCP ports, normalised; ValueError saying what it
    must be otherwise."""
    text = str(value).strip().lower()
    if text in ("open", "deny"):
        return text
    ports = [part.strip() for part in text.split(",")]
    if not all(part.isdigit() and 0 < int(part) < 65536 for part in ports):
        raise ValueError(f"must be open, deny or a comma list of TCP ports (1-65535), not {value!r}")
    return ",".join(str(int(part)) for part in ports)


def _ports(network: str) -> tuple[int, ...]:
    return tuple(int(port) for port in network.split(",")) if network not in ("open", "deny") else ()


# --- system calls -------------------------------------------------------------------------------


def _check(result: int, what: str) -> int:
    """A libc or syscall(2) result: -1 means failure, and only then is errno meaningful."""
    if result == -1:
        code = ctypes.get_errno()
        raise OSError(code, f"{what}: {errno.errorcode.get(code, str(code))}")
    return result


def _prctl(option: int, arg: int = 0, arg3: int = 0, what: str = "prctl") -> int:
    return _check(
        _libc.prctl(
            ctypes.c_int(option), ctypes.c_ulong(arg), ctypes.c_ulong(arg3), ctypes.c_ulong(0), ctypes.c_ulong(0)
        ),
        what,
    )


def _unshare(flags: int) -> None:
    _check(_libc.unshare(ctypes.c_int(flags)), "unshare")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(
        _libc.mount(
            source.encode(),
            os.fsencode(target),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        f"mount {target}",
    )


def _reason(exc: BaseException) -> str:
    """One line for a report: the failing call and its errno name."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror if exc.filename is None else f"{exc.strerror}: {exc.filename}"
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


# --- paths ---------------------------------------------------------------------------------------

_SYSTEM_FILES = (
    "/etc/ssl/certs",
    "/etc/ssl/openssl.cnf",
    "/etc/ca-certificates",
    "/usr/share/ca-certificates",
    "/etc/pki/tls/certs",
    "/etc/resolv.conf",
    "/etc/hosts",
    "/etc/nsswitch.conf",
    "/etc/gai.conf",
    "/etc/host.conf",
    "/etc/services",
    "/etc/protocols",
    "/etc/localtime",
    "/usr/share/zoneinfo",
    "/etc/ld.so.cache",
    "/etc/passwd",
    "/etc/group",
    "/sys/devices/system/cpu",
    "/dev/null",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
)
_LIBRARY_DIRS = ("/lib", "/lib64", "/usr/lib", "/usr/lib64")


def default_read_only(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """What any Python worker reads: the standard library without site-packages, the interpreter
    and its shared libraries, TLS and DNS files, a few devices, then ``extra``. Paths that do
    not exist are left out; the host's site-packages never appear."""
    added = (os.path.realpath(path) for path in extra)
    return tuple(dict.fromkeys([*_base_paths(), *(path for path in added if os.path.exists(path))]))


@functools.lru_cache(maxsize=1)
def _base_paths() -> tuple[str, ...]:
    import sysconfig

    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    stdlib = os.path.realpath(os.path.join(sys.base_prefix, "lib", version))
    if not os.path.isdir(stdlib):
        stdlib = os.path.realpath(os.path.dirname(os.__file__))
    paths = [os.path.realpath(sys.executable), *_entries(stdlib)]
    libdir = sysconfig.get_config_var("LIBDIR") or ""
    library = sysconfig.get_config_var("LDLIBRARY") or ""
    if sysconfig.get_config_var("Py_ENABLE_SHARED") and os.path.isdir(libdir):
        paths += [
            os.path.join(libdir, name)
            for name in sorted(os.listdir(libdir))
            if name.startswith(library.split(".so")[0]) and ".so" in name
        ]
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for directory in dict.fromkeys(os.path.realpath(path) for path in _LIBRARY_DIRS):
        arch = os.path.join(directory, multiarch)
        if multiarch and os.path.isdir(arch):
            paths += [arch, os.path.join(directory, "locale"), os.path.join(directory, "ssl")]
        else:
            paths += _entries(directory)
    paths += (os.path.realpath(path) for path in _SYSTEM_FILES)
    return tuple(path for path in paths if os.path.exists(path))


def _entries(directory: str) -> list[str]:
    """The entries of a directory except Python package folders (site-packages, dist-packages,
    other Pythons' trees): Landlock cannot carve a folder out of a granted one."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    skip = ("site-packages", "dist-packages")
    return [
        os.path.join(directory, name)
        for name in names
        if name not in skip and not (directory.endswith("lib") and name.startswith("python"))
    ]


# --- boot ------------------------------------------------------------------------------------------


def boot(policy: Policy, keep_fds: tuple[int, ...] = ()) -> Report:
    """Enter the sandbox; first thing in a fresh, single-threaded worker process.

    Returns in the worker proper (the child); the original process becomes the supervisor and
    never returns. SandboxUnavailable in strict mode when a required layer is missing.
    """
    _close_fds(keep_fds)
    if not _LINUX:
        report = Report({layer: f"not available on {sys.platform}" for layer in LAYERS})
        os.chdir(policy.tmp)
        _enforce(policy, report)
        return report
    if thread_count() != 1:
        raise RuntimeError("sandbox: boot() must run before the worker starts any thread")
    report = Report((layer, "not attempted") for layer in LAYERS)
    userns = _user_and_pid_namespaces(report)
    _split(policy, keep_fds, pid_namespace=userns, report=report)
    _enclose(policy, report, userns)
    _enforce(policy, report)
    return report


def _close_fds(keep: tuple[int, ...]) -> None:
    low = 3
    for fd in sorted({fd for fd in keep if fd > 2}):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def _user_and_pid_namespaces(report: Report) -> bool:
    """New user and PID namespaces, identity-mapped; the caller becomes the supervisor."""
    uid, gid = os.getuid(), os.getgid()
    try:
        _unshare(CLONE_NEWUSER | CLONE_NEWPID)
        for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
            with open(f"/proc/self/{name}", "w") as file:
                file.write(text)
    except OSError as exc:
        report["namespaces"] = _reason(exc)
        return False
    return True


def _split(policy: Policy, keep_fds: tuple[int, ...], pid_namespace: bool, report: Report) -> None:
    """Fork; the parent supervises and never returns."""
    host = os.getppid()
    child = os.fork()
    if child:
        _supervise(child, host, policy, keep_fds, pid_namespace)
    report["supervisor"] = ACTIVE
    _prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), what="prctl(PR_SET_PDEATHSIG)")


def _enclose(policy: Policy, report: Report, userns: bool) -> None:
    """The worker's layers, in order; each records itself in the report."""
    mount_ns = userns and _layer(
        report,
        "namespaces",
        lambda: _unshare(CLONE_NEWNS | CLONE_NEWIPC | (CLONE_NEWNET if policy.network == "deny" else 0)),
    )
    if mount_ns:
        _layer(report, "proc", _fresh_proc)
        _layer(
            report,
            "tmpfs",
            lambda: _mount("tmpfs", policy.tmp, "tmpfs", MS_NOSUID | MS_NODEV, f"size={policy.memory_mb}m,mode=0700"),
        )
    else:
        reason = "no mount namespace" if userns else "no user namespace"
        report["proc"] = f"{reason}: /proc of the host, hidden by Landlock"
        report["tmpfs"] = f"{reason}: the private directory is an ordinary host folder"
    os.chdir(policy.tmp)
    _layer(report, "rlimits", lambda: _set_rlimits(policy, userns))
    if not userns:
        _prctl(PR_SET_CHILD_SUBREAPER, 1, what="prctl(PR_SET_CHILD_SUBREAPER)")
    _layer(report, "capabilities", _drop_capabilities)
    _layer(report, "no_new_privs", _no_new_privs)
    _layer(report, "seccomp", _install_seccomp)
    net = policy.network
    netns = mount_ns and net == "deny"
    _layer(report, "landlock", lambda: _landlock(policy, report["proc"] == ACTIVE, netns))
    report["network"] = _network_state(net, netns, report["landlock"] == ACTIVE)
    _layer(report, "dumpable", _not_dumpable)


def _layer(report: Report, name: str, apply: Callable[[], object]) -> bool:
    try:
        apply()
    except OSError as exc:
        report[name] = _reason(exc)
        return False
    report[name] = ACTIVE
    return True


def _enforce(policy: Policy, report: Report) -> None:
    if policy.mode != "strict":
        return
    required = REQUIRED + (("network",) if policy.network != "open" else ())
    missing = [name for name in required if report.get(name) != ACTIVE]
    if missing:
        first = missing[0]
        raise SandboxUnavailable(
            f"sandbox layer {first} is missing ({report.get(first, 'not available')}): set the tenant "
            f"setting sandbox to best-effort to run without it"
        )


def _fresh_proc() -> None:
    _mount("none", "/", None, MS_REC | MS_PRIVATE)
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)


def _set_rlimits(policy: Policy, userns: bool) -> None:
    """soft = hard, so the action cannot raise them. RLIMIT_NPROC counts every process of the
    uid, except in a fresh user namespace: without one it would count the user's whole session."""
    size = policy.memory_mb << 20
    limits = {
        resource.RLIMIT_AS: size,
        resource.RLIMIT_FSIZE: size,
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_NOFILE: OPEN_FILES,
    }
    if userns:
        limits[resource.RLIMIT_NPROC] = policy.max_processes + 1  # + the supervisor
    for kind, value in limits.items():
        hard = resource.getrlimit(kind)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        try:
            resource.setrlimit(kind, (value, value))
        except ValueError as exc:
            raise OSError(errno.EINVAL, f"setrlimit: {exc}") from None


def _drop_capabilities() -> None:
    """Empty bounding, ambient, effective, permitted and inheritable sets: as root a process keeps
    reading /proc/PID/environ of others through CAP_PERFMON/CAP_SYS_ADMIN, Landlock or not."""
    with open("/proc/sys/kernel/cap_last_cap") as file:
        last = int(file.read())
    bounding = True
    for cap in range(last + 1):
        try:
            _prctl(PR_CAPBSET_DROP, cap, what="prctl(PR_CAPBSET_DROP)")
        except PermissionError:
            bounding = False  # no CAP_SETPCAP: nothing in it that exec could grant under no_new_privs
            break
    if bounding:
        _prctl(PR_SET_SECUREBITS, SECUREBITS_LOCKED_NOROOT, what="prctl(PR_SET_SECUREBITS)")
    _prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, what="prctl(PR_CAP_AMBIENT)")
    header = _CapHeader(0x20080522, 0)
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), data), "capset")
    held = _status_fields("CapInh", "CapPrm", "CapEff", "CapAmb")
    if any(int(value, 16) for value in held.values()):
        raise OSError(errno.EPERM, f"capabilities still held: {held}")


def _status_fields(*names: str) -> dict[str, str]:
    with open("/proc/self/status") as file:
        pairs = (line.split(":", 1) for line in file)
        return {key: value.strip() for key, value in pairs if key in names}


def _no_new_privs() -> None:
    _prctl(PR_SET_NO_NEW_PRIVS, 1, what="prctl(PR_SET_NO_NEW_PRIVS)")
    if _prctl(PR_GET_NO_NEW_PRIVS) != 1:
        raise OSError(errno.EPERM, "no_new_privs did not stick")


def _not_dumpable() -> None:
    _prctl(PR_SET_DUMPABLE, 0, what="prctl(PR_SET_DUMPABLE)")
    if _prctl(PR_GET_DUMPABLE) != 0:
        raise OSError(errno.EPERM, "the process is still dumpable")


def _network_state(network: str, netns: bool, landlock: bool) -> str:
    abi = landlock_abi() if landlock else 0
    if network == "open":
        return ACTIVE if abi >= 4 else f"listening not denied: needs Landlock ABI 4, have {abi}"
    if network == "deny" and netns:
        return ACTIVE
    if abi < 4:
        return f"outbound network {network!r} not enforced: needs Landlock ABI 4, have {abi}"
    if network == "deny":
        return "only TCP denied (UDP stays open): no network namespace"
    return ACTIVE


# --- Landlock --------------------------------------------------------------------------------------


def _landlock_syscall(nr: int, *args: object) -> int:
    return _check(_libc.syscall(ctypes.c_long(nr), *args), f"landlock syscall {nr}")


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 when Landlock is missing or disabled."""
    if not _LINUX:
        return 0
    result = _libc.syscall(ctypes.c_long(_NR_LANDLOCK_CREATE), None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(int(result), 0)


def _landlock_version() -> int:
    """As landlock_abi, but an OSError that names the errno when missing."""
    result = _libc.syscall(ctypes.c_long(_NR_LANDLOCK_CREATE), None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return _check(result, "landlock_create_ruleset")


def _fs_rights(abi: int) -> int:
    rights = (1 << 13) - 1
    if abi >= 2:
        rights |= LL_REFER
    if abi >= 3:
        rights |= LL_TRUNCATE
    if abi >= 5:
        rights |= LL_IOCTL_DEV
    return rights


_proc_pin = -1
"""An O_PATH descriptor on /proc/<worker pid>, kept open without a fresh /proc: it pins the
dentry that carries the worker's one Landlock rule under the host's /proc."""


def _landlock(policy: Policy, fresh_proc: bool, netns: bool) -> None:
    """Read+execute on read_only, read+write (no execute) on tmp, TCP listening denied, TCP
    connect limited to the policy's ports, signals and abstract sockets scoped to the domain."""
    global _proc_pin
    abi = _landlock_version()
    handled = _fs_rights(abi)
    attr = _RulesetAttr(handled_access_fs=handled)
    ports = _ports(policy.network)
    if abi >= 4:
        connect = bool(ports) or (policy.network == "deny" and not netns)
        attr.handled_access_net = LL_BIND_TCP | (LL_CONNECT_TCP if connect else 0)
    if abi >= 6:
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL
    ruleset = _landlock_syscall(
        _NR_LANDLOCK_CREATE, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), ctypes.c_uint32(0)
    )
    try:
        for path in policy.read_only:
            rights = LL_READ_FILE | LL_WRITE_FILE if path == "/dev/null" else _LL_READ_ONLY
            _allow_path(ruleset, path, rights & handled)
        _allow_path(ruleset, policy.tmp, handled & ~LL_EXECUTE)
        # the import system lists the standard library's folder; its files are granted one by
        # one (default_read_only) so that the site-packages inside it stay unreadable
        _allow_path(ruleset, os.path.dirname(os.path.realpath(os.__file__)), LL_READ_DIR)
        if fresh_proc:
            _allow_path(ruleset, "/proc", LL_READ_FILE | LL_READ_DIR)
        else:
            _proc_pin = os.open("/proc/self", os.O_PATH | os.O_CLOEXEC)
            _allow_fd(ruleset, _proc_pin, LL_READ_FILE | LL_READ_DIR)
        for port in ports if abi >= 4 else ():
            rule = _NetPortAttr(LL_CONNECT_TCP, port)
            _landlock_syscall(
                _NR_LANDLOCK_ADD,
                ctypes.c_int(ruleset),
                ctypes.c_int(_RULE_NET_PORT),
                ctypes.byref(rule),
                ctypes.c_uint32(0),
            )
        _landlock_syscall(_NR_LANDLOCK_RESTRICT, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)


def _allow_path(ruleset: int, path: str, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except FileNotFoundError:
        return  # gone since the host listed it: nothing to allow
    try:
        _allow_fd(ruleset, fd, rights)
    finally:
        os.close(fd)


def _allow_fd(ruleset: int, fd: int, rights: int) -> None:
    import stat

    if not stat.S_ISDIR(os.fstat(fd).st_mode):
        rights &= _LL_FILE_ONLY
    rule = _PathBeneathAttr(rights, fd)
    _landlock_syscall(
        _NR_LANDLOCK_ADD,
        ctypes.c_int(ruleset),
        ctypes.c_int(_RULE_PATH_BENEATH),
        ctypes.byref(rule),
        ctypes.c_uint32(0),
    )


# --- seccomp ----------------------------------------------------------------------------------------

_DENIED_SYSCALLS = (
    "keyctl",
    "add_key",
    "request_key",
    "unshare",
    "setns",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "mount",
    "umount2",
    "pivot_root",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "open_tree",
    "move_mount",
    "mount_setattr",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
)
_SYSCALLS = {  # machine -> (AUDIT_ARCH_*, numbers), from asm/unistd_64.h and asm-generic/unistd.h
    "x86_64": (
        0xC000003E,
        dict(
            keyctl=250,
            add_key=248,
            request_key=249,
            unshare=272,
            setns=308,
            clone=56,
            clone3=435,
            io_uring_setup=425,
            io_uring_enter=426,
            io_uring_register=427,
            bpf=321,
            perf_event_open=298,
            userfaultfd=323,
            mount=165,
            umount2=166,
            pivot_root=155,
            fsopen=430,
            fsconfig=431,
            fsmount=432,
            fspick=433,
            open_tree=428,
            move_mount=429,
            mount_setattr=442,
            ptrace=101,
            process_vm_readv=310,
            process_vm_writev=311,
            kexec_load=246,
            kexec_file_load=320,
            init_module=175,
            finit_module=313,
            delete_module=176,
        ),
    ),
    "aarch64": (
        0xC00000B7,
        dict(
            keyctl=219,
            add_key=217,
            request_key=218,
            unshare=97,
            setns=268,
            clone=220,
            clone3=435,
            io_uring_setup=425,
            io_uring_enter=426,
            io_uring_register=427,
            bpf=280,
            perf_event_open=241,
            userfaultfd=282,
            mount=40,
            umount2=39,
            pivot_root=41,
            fsopen=430,
            fsconfig=431,
            fsmount=432,
            fspick=433,
            open_tree=428,
            move_mount=429,
            mount_setattr=442,
            ptrace=117,
            process_vm_readv=270,
            process_vm_writev=271,
            kexec_load=104,
            kexec_file_load=294,
            init_module=105,
            finit_module=273,
            delete_module=106,
        ),
    ),
}
_BPF_LD_ABS, _BPF_JEQ, _BPF_JGE, _BPF_JSET, _BPF_RET = 0x20, 0x15, 0x35, 0x45, 0x06
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_X32_BIT = 0x40000000


def _install_seccomp() -> None:
    """A deny-list for kernel surface Landlock does not cover: keyrings, new namespaces,
    io_uring, bpf, perf, userfaultfd, the mount family, ptrace and cross-process memory."""
    machine = os.uname().machine
    if machine not in _SYSCALLS:
        raise OSError(errno.ENOSYS, f"seccomp: no syscall table for {machine}")
    arch, numbers = _SYSCALLS[machine]
    denied = {numbers[name]: errno.EPERM for name in _DENIED_SYSCALLS}
    denied[numbers["clone3"]] = errno.ENOSYS  # its flags sit behind a pointer; libc falls back to clone
    _load_filter(_program(arch, denied, numbers["clone"], x32=machine == "x86_64"))


def _program(arch: int, denied: dict[int, int], clone: int, x32: bool) -> list[tuple[int, int, int, int]]:
    """Classic BPF: foreign architectures and x32 refused, ``denied`` syscalls answer their errno,
    clone with any CLONE_NEW* flag answers EPERM, everything else is allowed."""
    program = [
        (_BPF_LD_ABS, 0, 0, 4),
        (_BPF_JEQ, 1, 0, arch),
        (_BPF_RET, 0, 0, _RET_ERRNO | errno.EPERM),
        (_BPF_LD_ABS, 0, 0, 0),
    ]
    if x32:
        program += [(_BPF_JGE, 0, 1, _X32_BIT), (_BPF_RET, 0, 0, _RET_ERRNO | errno.EPERM)]
    for number, code in denied.items():
        program += [(_BPF_JEQ, 0, 1, number), (_BPF_RET, 0, 0, _RET_ERRNO | code)]
    program += [
        (_BPF_JEQ, 0, 3, clone),
        (_BPF_LD_ABS, 0, 0, 16),
        (_BPF_JSET, 0, 1, CLONE_NEW_ANY),
        (_BPF_RET, 0, 0, _RET_ERRNO | errno.EPERM),
        (_BPF_RET, 0, 0, _RET_ALLOW),
    ]
    return program


def _load_filter(program: list[tuple[int, int, int, int]]) -> None:
    """Install a filter on the calling thread (needs no_new_privs or CAP_SYS_ADMIN)."""
    filters = (_SockFilter * len(program))(*(_SockFilter(*insn) for insn in program))
    fprog = _SockFprog(len(program), filters)
    _prctl(PR_SET_NO_NEW_PRIVS, 1, what="prctl(PR_SET_NO_NEW_PRIVS)")
    _check(
        _libc.prctl(
            ctypes.c_int(PR_SET_SECCOMP), ctypes.c_ulong(2), ctypes.byref(fprog), ctypes.c_ulong(0), ctypes.c_ulong(0)
        ),
        "prctl(PR_SET_SECCOMP)",
    )


def _deny_syscalls(names: dict[str, int]) -> None:
    """Make syscalls answer an errno in this process; tests use it to simulate a kernel
    without Landlock (ENOSYS) or without user namespaces (EPERM on unshare)."""
    numbers = {"landlock_create_ruleset": _NR_LANDLOCK_CREATE}
    arch, table = _SYSCALLS[os.uname().machine]
    numbers.update(table)
    _load_filter(_program(arch, {numbers[name]: code for name, code in names.items()}, table["clone"], x32=False))


# --- the supervisor ------------------------------------------------------------------------------


def _supervise(child: int, host: int, policy: Policy, keep_fds: tuple[int, ...], pid_namespace: bool) -> NoReturn:
    """Relay the child's end, hold the tree to one memory limit, end it when the host dies.

    Idle cost: one wake-up per IDLE_WATCH_INTERVAL_S while the worker is alone, per
    WATCH_INTERVAL_S while it has processes of its own."""
    try:
        for fd in keep_fds:
            os.close(fd)
        _prctl(PR_SET_DUMPABLE, 0)
        if not pid_namespace:
            _prctl(PR_SET_CHILD_SUBREAPER, 1)
        wanted = {signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
        signal.pthread_sigmask(signal.SIG_BLOCK, wanted)
        interval = WATCH_INTERVAL_S
        while True:
            got = signal.sigtimedwait(wanted, interval)
            if got is None:
                if os.getppid() != host:
                    _end_tree(child, pid_namespace)
                    os._exit(1)
                alone = _watch(child, policy, pid_namespace)
                interval = IDLE_WATCH_INTERVAL_S if alone else WATCH_INTERVAL_S
            elif got.si_signo == signal.SIGCHLD:
                status = _reap_child(child)
                if status is not None:
                    if not pid_namespace:
                        _end_children()
                    _relay(status)
            else:
                _end_tree(child, pid_namespace)
                _relay_signal(got.si_signo)
    except BaseException as exc:  # noqa: BLE001 - never fall back into the worker's code path
        _log(f"supervisor failed: {_reason(exc)}")
        _end_tree(child, pid_namespace)
        os._exit(1)


def _watch(child: int, policy: Policy, pid_namespace: bool) -> bool:
    """Check the tree's limits; True when the worker is alone (its RLIMIT_AS holds it, so the
    next look can wait longer: an idle worker costs fewer wake-ups)."""
    pids, tasks = _tree(child)
    if tasks > policy.max_processes:
        _log(f"the worker's processes and threads ({tasks}) exceeded the limit of {policy.max_processes}")
        _end_tree(child, pid_namespace)
        os._exit(EXIT_PROCESSES)
    if len(pids) > 1:  # one process is held by its RLIMIT_AS
        used = sum(_rss(pid) for pid in pids)
        if used > policy.memory_mb << 20:
            _log(f"the worker's processes used {used >> 20} MiB together, over the limit of {policy.memory_mb} MiB")
            _end_tree(child, pid_namespace)
            os._exit(EXIT_MEMORY)
    return len(pids) == 1


def _tree(root: int) -> tuple[list[int], int]:
    """``root`` and its descendants (host PIDs), and how many tasks (threads) they hold."""
    pids, tasks, index = [root], 0, 0
    while index < len(pids):
        pid = pids[index]
        index += 1
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        tasks += len(tids)
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as file:
                    pids.extend(map(int, file.read().split()))
            except OSError:
                pass
    return pids, tasks


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as file:
            return int(file.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _reap_child(child: int) -> int | None:
    """Reap every finished child; the worker's wait status once it has ended."""
    status = None
    while True:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return status
        if pid == 0:
            return status
        if pid == child:
            status = code


def _end_tree(child: int, pid_namespace: bool) -> None:
    """SIGKILL the worker (as PID 1 of its namespace that ends every process in it), reap."""
    try:
        os.kill(child, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if pid_namespace:
        try:
            os.waitpid(child, 0)
        except ChildProcessError:
            pass
    else:
        _end_children()


def _relay(status: int) -> NoReturn:
    if os.WIFSIGNALED(status):
        _relay_signal(os.WTERMSIG(status))
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)


def _relay_signal(number: int) -> NoReturn:
    """End by the same signal, so that the host's Popen.returncode is the same negative number."""
    if number not in (signal.SIGKILL, signal.SIGSTOP):
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {number})
    os.kill(os.getpid(), number)
    os._exit(128 + number)


def _log(message: str) -> None:
    try:
        os.write(2, f"sandbox: {message}\n".encode())
    except OSError:
        pass


# --- after each step -------------------------------------------------------------------------------


def after_step(baseline_threads: int) -> tuple[int, int]:
    """End every descendant the step left; (processes ended, threads beyond the baseline).

    PID 1 of a PID namespace kills the whole namespace with kill(-1); without one, the worker
    is a subreaper and kills its children generation by generation (never kill(-1) there)."""
    if not _LINUX:
        return _reap_finished(), max(0, _threading_count() - baseline_threads)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # SIG_IGN would let PIDs be reused under us
    if os.getpid() == 1:
        ended = _end_namespace()
    else:
        ended = _end_children()
    return ended, max(0, thread_count() - baseline_threads)


def _end_namespace() -> int:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return 0
    ended = 1 if pid else 0
    os.kill(-1, signal.SIGKILL)
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return ended
        ended += 1


def _end_children() -> int:
    """Kill our children, reap them, repeat: orphans come back to us as the subreaper. Only the
    parent reaps a child, so a PID read from our children list stays ours until we reap it."""
    ended = 0
    while True:
        children = _own_children()
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            pid, _ = os.waitpid(-1, 0 if children else os.WNOHANG)
        except ChildProcessError:
            return ended
        ended += 1 if pid else 0


def _own_children() -> list[int]:
    children: list[int] = []
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/children", "rb") as file:
                children.extend(map(int, file.read().split()))
        except OSError:
            pass
    return children


def _reap_finished() -> int:
    ended = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return ended
        if not pid:
            return ended
        ended += 1


def thread_count() -> int:
    """Threads of this process, native ones included (the kernel's count, not threading's)."""
    if not _LINUX:
        return _threading_count()
    return len(os.listdir("/proc/self/task"))


def _threading_count() -> int:
    import threading

    return threading.active_count()


# --- host side ---------------------------------------------------------------------------------------


def worker_pid(supervisor_pid: int) -> int | None:
    """The worker (PID 1 of its namespace) as the host sees it; None without a PID namespace
    or before the supervisor has forked. SIGKILL on it ends every process of the worker."""
    try:
        with open(f"/proc/{supervisor_pid}/task/{supervisor_pid}/children", "rb") as file:
            children = file.read().split()
        with open(f"/proc/{int(children[0])}/status", "rb") as file:
            for line in file:
                if line.startswith(b"NSpid:"):
                    ids = line.split()[1:]
                    return int(children[0]) if len(ids) > 1 and ids[-1] == b"1" else None
    except (OSError, IndexError, ValueError):
        return None
    return None


def protect_host() -> None:
    """Make the calling (host) process non-dumpable: no same-user process reads its memory,
    environment or descriptors through /proc or ptrace. Idempotent; a no-op outside Linux."""
    if _LINUX:
        _prctl(PR_SET_DUMPABLE, 0, what="prctl(PR_SET_DUMPABLE)")


_PROBE = """\
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("_sandbox_probe", sys.argv[1])
sandbox = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = sandbox
spec.loader.exec_module(sandbox)
report = sandbox.boot(sandbox.Policy.from_json(sys.argv[2]), ())
report["landlock_abi"] = str(sandbox.landlock_abi())
print(json.dumps(report), flush=True)
"""


@functools.lru_cache(maxsize=1)
def probe() -> dict[str, str]:
    """Which layers work on this machine: the real boot sequence, best-effort, in a throwaway
    worker (network "deny", to see whether a network namespace is possible). Cached."""
    if not _LINUX:
        return {**{layer: f"not available on {sys.platform}" for layer in LAYERS}, "landlock_abi": "0"}
    import shutil
    import subprocess
    import tempfile

    tmp = tempfile.mkdtemp(prefix="jupyter-actions-probe-")
    policy = Policy(read_only=default_read_only(), tmp=tmp, memory_mb=256, network="deny", mode="best-effort")
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-S", "-c", _PROBE, os.path.abspath(__file__), policy.to_json()],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            cwd=tmp,
            env={},
            timeout=30,
        )
        result = json.loads(done.stdout)
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        return {"probe": f"the probe worker failed: {_reason(exc)}", "landlock_abi": str(landlock_abi())}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {str(key): str(value) for key, value in result.items()}


def diagnose(layers: dict[str, str], mode: str, network: str) -> dict[str, object]:
    """What ``jupyter-actions doctor`` shows: the probed layers, with the network layer as the
    tenant's policy needs it, and whether a worker in ``mode`` would run action code."""
    states = {name: layers.get(name, "not probed") for name in LAYERS}
    states["network"] = _network_state(network, layers.get("namespaces") == ACTIVE, layers.get("landlock") == ACTIVE)
    required = REQUIRED + (("network",) if network != "open" else ())
    missing = [name for name in required if states[name] != ACTIVE]
    system = os.uname()
    return {
        "platform": f"{system.sysname} {system.release} {system.machine}",
        "uid": os.getuid(),
        "landlock_abi": int(layers.get("landlock_abi", "0")),
        "layers": states,
        "sandbox": mode,
        "outbound_network": network,
        "missing_required": missing,
        "runs_action_code": mode != "strict" or not missing,
    }


def diagnosis_text(info: dict) -> str:
    width = max(map(len, LAYERS))
    lines = [f"sandbox layers on {info['platform']}, as uid {info['uid']}:"]
    lines += [f"  {name:<{width}}  {state}" for name, state in info["layers"].items()]
    lines.append(f"Landlock ABI: {info['landlock_abi'] or 'none'}")
    lines.append(f"tenant: sandbox = {info['sandbox']}, outbound_network = {info['outbound_network']}")
    missing = ", ".join(info["missing_required"])
    if not missing:
        lines.append(f"{info['sandbox']} mode: action code runs with every required layer")
    elif info["runs_action_code"]:
        lines.append(f"best-effort mode: action code runs without {missing}")
    else:
        lines.append(
            f"strict mode: action code is refused, {missing} missing "
            "(jupyter-actions settings set sandbox best-effort runs it anyway)"
        )
    return "\n".join(lines)
