"""The parent's handle on one worker process: start it, read its hello, kill and reap it."""

from __future__ import annotations

import fcntl
import os
import subprocess
import time
from collections import OrderedDict
from pathlib import Path

from ..errors import ExecutionError
from . import isolation, limits
from .protocol import Closed, FrameReader, FrameWriter, ProtocolError, Timeout, decode

BOOT_TIMEOUT_S = 30.0    # from the start of the process to its hello
REAP_TIMEOUT_S = 5.0     # for a process that closed its pipe to finish exiting
PIPE_BYTES = 1 << 20
PROGRESS_BYTES = 8


class WorkerProcess:
    """One worker and what it has already been sent (``keys``: key -> secrets)."""

    def __init__(self, overlay: Path, sys_path: tuple[str, ...], memory_mb: int,
                 log_limit: int, env: dict[str, str]) -> None:
        child_in, self_out = os.pipe()
        self_in, child_out = os.pipe()
        # one byte the worker sets to the step it runs: which action was running when it died
        self.progress = os.memfd_create("jupyter-actions-progress")
        os.ftruncate(self.progress, PROGRESS_BYTES)
        for fd in (self_out, self_in):
            try:
                fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            except OSError:
                pass  # a smaller pipe only means more read(2) calls
        try:
            self.proc = subprocess.Popen(
                isolation.worker_command(overlay, child_in, child_out, self.progress, memory_mb,
                                         log_limit, sys_path),
                pass_fds=(child_in, child_out, self.progress), env=env, start_new_session=True,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except BaseException:
            os.close(self_in)
            os.close(self_out)
            os.close(self.progress)
            raise
        finally:
            os.close(child_in)
            os.close(child_out)
        os.set_blocking(self_in, False)
        self.reader = FrameReader(self_in)
        self.writer = FrameWriter(self_out)
        self.keys: OrderedDict[str, dict[str, str]] = OrderedDict()
        self.memory_mb = memory_mb
        self.ready = False
        self.retired = False
        self.born = time.monotonic()

    def running_step(self) -> int:
        """The step the worker last said it started (lean jobs send no per-step frames)."""
        try:
            return os.pread(self.progress, 1, 0)[0]
        except (OSError, IndexError):
            return 0

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
            raise ExecutionError(
                f"the action worker did not start within {BOOT_TIMEOUT_S:g} s") from None
        except (Closed, ProtocolError, ValueError):
            self.boot_failed()
        self.hello(data)

    def hello(self, data: dict) -> None:
        if "hello" not in data:
            self.kill()
            raise ExecutionError(
                f"the action worker could not start: {data.get('boot_error', data)}")
        self.ready = True

    def boot_failed(self) -> None:
        why = limits.death_message(self.reap(), self.memory_mb)
        raise ExecutionError(f"the action worker could not start: {why}") from None

    def kill(self) -> int | None:
        """End the process whatever its state, reap it; its exit status."""
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
        if self.progress >= 0:
            fd, self.progress = self.progress, -1
            os.close(fd)
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
