"""The file of a SQLite tenant store: private modes, made whole or not at all, read-only access,
and a check that a file is a jupyter-actions store before anything writes to it.

- The tenant directory is 0700 and ``tenant.db`` 0600; SQLite gives the ``-wal`` and ``-shm``
  files the mode of the database file. Looser modes found on open are tightened (group and
  other bits removed) with a warning; where that is not done (another owner, a read-only file
  or file system) the warning says what to do.
- A new store is built under a temporary name in its directory and hard-linked into place, so
  no process ever sees a half-made store, and of two processes creating it at once the first
  link wins and both use it. A 0-byte ``tenant.db`` is therefore damage, never a new tenant.
- A store this process cannot write (the file or its directory is not writable, a read-only
  mount) is opened read-only: SQLite's ``immutable=1`` when no write-ahead log holds data
  (nothing, not even a ``-shm`` file, is created), ``mode=ro`` when one does.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import tempfile
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import StoreError

BUSY_TIMEOUT_S = 30.0
_DAMAGED = {11: "corrupt", 26: "not a database"}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary codes)
_FIX = "restore it from a backup, or move it away to start an empty tenant"
_log = logging.getLogger("jupyter_actions")


@dataclass(frozen=True)
class Access:
    """How this process opens a store file: ``uri`` for ``sqlite3.connect(uri, uri=True)``, and
    why it cannot write the store (None when it can)."""

    uri: str
    read_only: str | None


def sqlite_path(url: str) -> Path | None:
    """The file of a plain SQLite URL; None for memory and URI-style URLs (with a query)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.database or parsed.database == ":memory:" or parsed.query:
        return None
    return Path(parsed.database)


def private_directory(path: Path) -> None:
    """The tenant directory: made 0700, or an existing one tightened to its owner."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.mkdir(mode=0o700)
    except FileExistsError:
        tighten(path)
    except OSError as exc:
        raise StoreError(
            f"cannot create the tenant directory {path}: {exc.strerror}: set JUPYTER_ACTIONS_HOME "
            "to a folder you can write"
        ) from None


def tighten(path: Path) -> None:
    """Remove group and other permissions from a file or directory of the store that this user
    owns and may write (a read-only one is left as it is): warn either way."""
    try:
        info = os.stat(path)
    except OSError:
        return
    mode = stat.S_IMODE(info.st_mode)
    if not mode & 0o077:
        return
    private = mode & 0o700
    try:
        if info.st_uid != os.geteuid():
            raise PermissionError("owned by another user")
        if not os.access(path, os.W_OK):
            raise PermissionError("read-only here")
        os.chmod(path, private)
    except OSError as exc:
        _log.warning(
            "%s has mode %03o, so other users may read it, and it is not changed here (%s): run chmod %03o %s",
            path,
            mode,
            getattr(exc, "strerror", None) or exc,
            private,
            path,
        )
        return
    _log.warning("%s had mode %03o; changed it to %03o so that only its owner can use it", path, mode, private)


def tighten_store(path: Path) -> None:
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        tighten(name)


def create(path: Path, initialise: Callable[[Path], None]) -> None:
    """Make the store at ``path`` unless it exists: ``initialise`` builds it in an empty 0600
    file beside it, which is then linked into place whole (a store linked first wins)."""
    if os.path.lexists(path):
        return
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    except OSError as exc:
        raise StoreError(
            f"cannot create the tenant store {path}: {exc.strerror}: check that its directory exists and is writable"
        ) from None
    os.close(handle)
    building = Path(name)
    try:
        initialise(building)
        _fsync(building)
        try:
            os.link(building, path)
        except FileExistsError:
            pass  # another process made it first: use that one
        except OSError as exc:
            raise StoreError(
                f"cannot create the tenant store {path}: {exc.strerror} (its file system must support hard links)"
            ) from None
        _fsync(path.parent)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)


def access(path: Path) -> Access:
    target = "file:" + urllib.parse.quote(str(path.absolute()))
    if not os.access(path, os.W_OK):
        why = "this user cannot write the file"
    elif not os.access(path.parent, os.W_OK | os.X_OK):
        why = "this user cannot write its directory"
    else:
        return Access(f"{target}?mode=rw", None)
    try:
        logged = os.stat(f"{path}-wal").st_size > 0
    except OSError:
        logged = False
    return Access(f"{target}?mode=ro" if logged else f"{target}?immutable=1", why)


def connect(how: Access) -> sqlite3.Connection:
    return sqlite3.connect(how.uri, uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)


def check(path: Path, how: Access) -> None:
    """StoreError unless ``path`` holds a jupyter-actions store, or a SQLite database without
    tables to make one in (a store whose creation was cut short); nothing is written.

    The file is only ever opened through SQLite: closing any other descriptor of it would drop
    every POSIX lock this process holds on it (SQLite's connections of another ``Store`` on the
    same file), and another process could then write under them and corrupt the store."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise StoreError(f"cannot read the tenant store {path}: {exc.strerror}: check its permissions") from None
    if not size:
        raise StoreError(
            f"the tenant store {path} is empty (0 bytes), not a jupyter-actions store: restore it "
            "from a backup, or delete it to start an empty tenant"
        )
    if not os.access(path, os.R_OK):
        raise StoreError(f"cannot read the tenant store {path}: permission denied: check its permissions")
    try:
        conn = connect(how)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB:
            raise StoreError(f"{path} is not a jupyter-actions store (not a SQLite database): {_FIX}") from None
        raise damage(path, exc) or StoreError(f"cannot open the tenant store {path}: {exc}") from None
    if tables and "meta" not in tables:
        raise StoreError(
            f"{path} is a SQLite database but not a jupyter-actions store (it has no meta table): "
            "point --database-url at a store, or move the file away"
        )


def damage(path: Path | None, exc: BaseException | None) -> StoreError | None:
    """The one-line error for a damaged store file behind a SQLite error; None for any other."""
    code = getattr(exc, "sqlite_errorcode", None)
    if path is None or code is None or code & 0xFF not in _DAMAGED:
        return None
    return StoreError(f"the tenant store {path} is corrupt ({exc}): {_FIX}")


def _fsync(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
