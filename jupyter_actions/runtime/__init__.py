"""Worker processes that run action code: ``WorkerPool`` runs ``Job``s made of ``Step``s.

docs/internals.md section 2 is the contract, docs/runtime.md the user-facing description.
Action code never runs in the caller's process.
"""

from __future__ import annotations

from .jobs import Job, Step, WorkerSpec
from .pool import WorkerPool

__all__ = ["Job", "Step", "WorkerPool", "WorkerSpec"]
