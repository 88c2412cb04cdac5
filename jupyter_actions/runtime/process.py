"""The parent's handle on one worker process: start it, read its hello, kill and reap it.

The process the parent starts is the sandbox's supervisor; the worker proper is its child, PID 1
of its own namespaces where those exist (sandbox.py). Killing a worker kills both, through a
pidfd for the child, so that a reused process id is never hit.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ..errors import ExecutionError
from . import isolation, limits, sandbox
from .jobs import WorkerSpec
from .protocol import Closed, FrameReader, FrameWriter, ProtocolError, Timeout, decode

BOOT_TIMEOUT_S = 30.0  # from the start of the process to its hello
REAP_TIMEOUT_S = 5.0  # for a process that closed its pipe to finish exiting
PIPE_BYTES = 1 << 20
MAX_RESULT_FRAME = 16 * 1024 * 1024  # a worker's answers are logs and commands, never this large


class WorkerProcess:
    """One worker, bound to one action for its whole life (``loaded``: it has been sent it)."""

    def __init__(self, overlay: Path, sys_path: tuple[str, ...], spec: WorkerSpec) -> None:
        self.spec = spec
        self.tmp = tempfile.mkdtemp(prefix="jupyter-actions-worker-")
        policy = sandbox.Policy(
            read_only=isolation.readable(overlay, sys_path),
            tmp=self.tmp,
            memory_mb=spec.memory_mb,
            max_processes=spec.max_processes,
            network=spec.network,
            mode=spec.sandbox,
        )
        child_in, self_out = os.pipe()
        self_in, child_out = os.pipe()
        for fd in (self_out, self_in):
            try:
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            except OSError:
                pass  # a smaller pipe only means more read(2) calls
        try:
            self.proc = subprocess.Popen(
                isolation.worker_command(overlay, child_in, child_out, policy, spec.log_limit, sys_path),
                pass_fds=(child_in, child_out),
                env=isolation.worker_environment(self.tmp),
                cwd=self.tmp,
                start_new_session=True,
                umask=0o077,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except BaseException:
            os.close(self_in)
            os.close(self_out)
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        finally:
            os.close(child_in)
            os.close(child_out)
        os.set_blocking(self_in, False)
        self.reader = FrameReader(self_in, MAX_RESULT_FRAME)
        self.writer = FrameWriter(self_out)
        self.key: tuple = ()  # the identity of its action in its pool (pool.py)
        self.loaded = False
        self.ready = False
        self.retired = False
        self.layers: dict[str, str] = {}
        self.born = time.monotonic()
        self._pidfd = -1

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return not self.retired and self.proc.returncode is None

    @property
    def boot_deadline(self) -> float:
        return self.born + BOOT_TIMEOUT_S

    def wait_ready(self) -> None:
        """Read the hello; ExecutionError when the worker cannot start (that would repeat)."""
        try:
            data = decode(self.reader.read_until(self.boot_deadline))
        except Timeout:
            self.kill()
            raise ExecutionError(f"the action worker did not start within {BOOT_TIMEOUT_S:g} s") from None
        except (Closed, ProtocolError, ValueError):
            self.boot_failed()
        self.hello(data)

    def hello(self, data: object) -> None:
        if not isinstance(data, dict) or "hello" not in data:
            self.kill()
            why = data.get("boot_error") if isinstance(data, dict) else None
            raise ExecutionError(f"the action worker could not start: {why or 'it sent no hello'}")
        layers = data.get("layers")
        self.layers = {str(k): str(v) for k, v in layers.items()} if isinstance(layers, dict) else {}
        child = sandbox.worker_pid(self.proc.pid)
        if child is not None:
            try:
                self._pidfd = os.pidfd_open(child)
            except OSError:
                pass  # it is gone already: its supervisor will say so
        self.ready = True

    def ended_by_signal(self) -> bool:
        """Whether the process ended by a signal (waiting for it to end). Before it is ready that
        came from outside (the pool ends only ready workers itself): a kill, not a worker
        that cannot start."""
        returncode = self.reap()
        return returncode is not None and returncode < 0

    def boot_failed(self) -> None:
        why = self.death_message(self.reap())
        raise ExecutionError(f"the action worker could not start: {why}") from None

    def death_message(self, returncode: int | None) -> str:
        """How the worker ended, from its supervisor's exit status (the pool's own kills, on a
        timeout, are reported as such and never come here)."""
        if returncode == sandbox.EXIT_MEMORY:
            return limits.tree_memory_message(self.spec.memory_mb)
        if returncode == sandbox.EXIT_PROCESSES:
            return limits.processes_message(self.spec.max_processes)
        return limits.death_message(returncode)

    def kill(self) -> int | None:
        """End the worker and its supervisor whatever their state, reap; the exit status."""
        if self._pidfd >= 0:
            try:
                signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)
            except OSError:
                pass
        if self.proc.returncode is None:
            self.proc.kill()
        return self.reap()

    def reap(self) -> int | None:
        """Wait for the process to end (killing it when it takes too long); close the pipes."""
        try:
            self.proc.wait(REAP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            try:
                self.proc.wait(REAP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                pass
        self._close(self.reader)
        self._close(self.writer)
        if self._pidfd >= 0:
            fd, self._pidfd = self._pidfd, -1
            try:  # the namespace's processes die with its PID 1, should the supervisor not see it
                signal.pidfd_send_signal(fd, signal.SIGKILL)
            except OSError:
                pass
            os.close(fd)
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = ""
        return self.proc.returncode

    def stop(self) -> None:
        """Close the command pipe: an idle worker exits by itself."""
        self._close(self.writer)

    @staticmethod
    def _close(end: FrameReader | FrameWriter) -> None:
        """Close once: a descriptor number closed twice may by then be someone else's."""
        if end.fd >= 0:
            fd, end.fd = end.fd, -1
            os.close(fd)
