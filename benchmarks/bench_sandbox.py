"""The cost of each sandbox layer, per worker start and per step.

Worker start: from Popen to the worker's "ready" line, for a plain ``python -I -S``, then with
each layer of ``sandbox.boot`` added in boot's order (cumulative), then the real ``boot``;
variants interleaved, median and p90 of --starts runs after two warm-up rounds. Per step:
``after_step`` with nothing left, and ``thread_count``, inside a booted worker. Idle: the
supervisor's CPU time and memory while its worker waits.

    python benchmarks/bench_sandbox.py [--starts 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SANDBOX_PY = Path(__file__).resolve().parent.parent / "jupyter_actions" / "runtime" / "sandbox.py"

WORKER = r"""
import sys, time
clock = time.perf_counter
spent = {}
def timed(name, fn):
    started = clock()
    result = fn()
    spent[name] = (clock() - started) * 1e3
    return result
stage = int(sys.argv[1])
if stage >= 1:
    timed("worker imports", lambda: __import__("asyncio") and __import__("inspect") and __import__("json")
          and __import__("logging") and __import__("typing"))
if stage >= 2:
    def load():
        import importlib.util
        spec = importlib.util.spec_from_file_location("sandbox", sys.argv[2])
        module = importlib.util.module_from_spec(spec)
        sys.modules["sandbox"] = module
        spec.loader.exec_module(module)
        return module
    sb = timed("import sandbox", load)
    policy = sb.Policy.from_json(sys.argv[3])
    report = sb.Report()
if stage == 99:
    timed("boot", lambda: sb.boot(policy, ()))
elif stage >= 3:
    sb._close_fds(())
    userns = stage >= 4 and timed("user+pid ns", lambda: sb._user_and_pid_namespaces(report))
    timed("fork", lambda: sb._split(policy, (), pid_namespace=userns, report=report))
    if stage >= 5:
        timed("mount+ipc ns", lambda: sb._unshare(sb.CLONE_NEWNS | sb.CLONE_NEWIPC))
        timed("fresh /proc", sb._fresh_proc)
        timed("tmpfs", lambda: sb._mount("tmpfs", policy.tmp, "tmpfs", sb.MS_NOSUID | sb.MS_NODEV,
                                         "size=64m,mode=0700"))
    import os
    os.chdir(policy.tmp)
    steps = (("rlimits", lambda: sb._set_rlimits(policy, userns)), ("capabilities", sb._drop_capabilities),
             ("no_new_privs", sb._no_new_privs), ("seccomp", sb._install_seccomp),
             ("landlock", lambda: sb._landlock(policy, stage >= 5, False)), ("dumpable", sb._not_dumpable))
    for name, step in steps[:max(0, stage - 5)]:
        timed(name, step)
import json
print("ready", json.dumps(spent), flush=True)
sys.stdin.readline()
"""

VARIANTS = {
    0: "plain python -I -S",
    1: "+ asyncio, inspect, json, logging, typing",
    2: "+ import sandbox (ctypes, dataclasses)",
    3: "+ close fds, fork the supervisor",
    4: "+ user and PID namespaces",
    5: "+ mount and IPC namespaces, fresh /proc, tmpfs",
    6: "+ rlimits",
    7: "+ drop capabilities",
    8: "+ no_new_privs",
    9: "+ seccomp deny-list",
    10: "+ Landlock",
    11: "+ non-dumpable (= every layer)",
    99: "asyncio... + import sandbox + sandbox.boot()",
}

STEP = r"""
import importlib.util, json, os, sys, threading, time
spec = importlib.util.spec_from_file_location("sandbox", sys.argv[1])
sb = importlib.util.module_from_spec(spec)
sys.modules["sandbox"] = sb
spec.loader.exec_module(sb)
sb.boot(sb.Policy.from_json(sys.argv[2]), ())
def median_us(fn, runs=20000):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return sorted(samples)[runs // 2] * 1e6
baseline = sb.thread_count()
result = {"after_step": median_us(lambda: sb.after_step(baseline)), "thread_count": median_us(sb.thread_count),
          "open_close": median_us(lambda: os.close(os.open("/dev/null", os.O_RDONLY)))}
print(json.dumps(result), flush=True)
sys.stdin.readline()
"""


def load_sandbox():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_sandbox_bench", SANDBOX_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def start_once(stage: int, policy_json: str, tmp: str) -> tuple[float, dict[str, float]]:
    """Seconds from Popen to "ready", and the worker's own milliseconds per stage."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", WORKER, str(stage), str(SANDBOX_PY), policy_json],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp,
        env={},
    )
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.stdin.close()
    proc.wait()
    if not line.startswith(b"ready "):
        raise SystemExit(f"variant {stage} did not start (exit status {proc.returncode})")
    return elapsed, json.loads(line[6:])


def per_step(policy_json: str, tmp: str) -> tuple[dict, float, int]:
    """after_step and friends in a booted worker, then the idle supervisor's CPU and memory."""
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", STEP, str(SANDBOX_PY), policy_json],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=tmp,
        env={},
    )
    figures = json.loads(proc.stdout.readline())
    before, idle = supervisor_cpu(proc.pid), 5.0
    time.sleep(idle)
    cpu = (supervisor_cpu(proc.pid) - before) / 1e9 / idle
    with open(f"/proc/{proc.pid}/status") as file:
        rss_kb = next(int(line.split()[1]) for line in file if line.startswith("VmRSS:"))
    proc.stdin.close()
    proc.wait()
    return figures, cpu, rss_kb


def supervisor_cpu(pid: int) -> int:
    """Nanoseconds the process has run on a CPU (schedstat: finer than utime + stime)."""
    with open(f"/proc/{pid}/schedstat") as file:
        return int(file.read().split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=20)
    args = parser.parse_args()
    sandbox = load_sandbox()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o700)
        policy = sandbox.Policy(read_only=sandbox.default_read_only(), tmp=tmp, memory_mb=512)
        text = policy.to_json()
        samples: dict[int, list[float]] = {stage: [] for stage in VARIANTS}
        stages: dict[str, list[float]] = {}
        for round_ in range(args.starts + 2):
            for stage in VARIANTS:
                elapsed, spent = start_once(stage, text, tmp)
                if round_ >= 2:
                    samples[stage].append(elapsed)
                    if stage == 11:
                        for name, ms in spent.items():
                            stages.setdefault(name, []).append(ms)
        steps, cpu, rss_kb = per_step(text, tmp)
    print(
        f"Linux {os.uname().release}, Landlock ABI {sandbox.landlock_abi()}, uid {os.getuid()}, "
        f"{len(policy.read_only)} read-only paths, {args.starts} starts per variant, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'worker start (Popen to ready)':<48} {'median':>9} {'p90':>9} {'vs plain':>9} {'vs previous':>12}")
    plain = statistics.median(samples[0])
    previous = plain
    for stage, label in VARIANTS.items():
        ordered = sorted(samples[stage])
        median = statistics.median(ordered)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        step = "" if stage in (0, 99) else f"{(median - previous) * 1e3:+.2f} ms"
        print(f"{label:<48} {median * 1e3:7.2f} ms {p90 * 1e3:6.2f} ms {(median - plain) * 1e3:+7.2f} ms {step:>12}")
        if stage != 99:
            previous = median
    print(
        "inside the worker, every layer (median ms): "
        + ", ".join(f"{name} {statistics.median(values):.3f}" for name, values in stages.items())
    )
    print(
        f"per step: after_step (nothing left) {steps['after_step']:.2f} us, thread_count "
        f"{steps['thread_count']:.2f} us, open+close /dev/null {steps['open_close']:.2f} us"
    )
    print(
        f"idle supervisor: {cpu * 100:.2f} % of one core (one tick per {sandbox.IDLE_WATCH_INTERVAL_S * 1e3:g} ms), "
        f"RSS {rss_kb / 1024:.1f} MiB"
    )


if __name__ == "__main__":
    main()
