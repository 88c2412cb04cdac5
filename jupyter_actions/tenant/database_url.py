"""The store's database URL, checked before anything is opened or created: one line for each
way it can be wrong (not a URL, a database we do not support, an in-memory database, a driver
that is not installed)."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from ..errors import InvalidInputError

SUPPORTED = ("sqlite", "postgresql")
EXAMPLES = "sqlite:////PATH/tenant.db or postgresql+psycopg://USER@HOST/DB"


def check(url: str) -> str:
    """``url`` itself when SQLAlchemy can use it for a store; the password is never shown."""
    try:
        parsed = make_url(url)
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise InvalidInputError(f"the database URL is not one SQLAlchemy can read: give {EXAMPLES}") from None
    shown = parsed.render_as_string(hide_password=True)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED:
        raise InvalidInputError(
            f"the database URL {shown} names {backend!r}, which jupyter-actions does not support: give {EXAMPLES}"
        )
    if backend == "sqlite" and parsed.database in (None, "", ":memory:"):  # (no password to hide)
        raise InvalidInputError(
            f"the database URL {url} is an in-memory SQLite database, which lives as long as one "
            f"connection (the record sink and every other process would see an empty one): give {EXAMPLES}"
        )
    try:
        parsed.get_dialect().import_dbapi()
    except NoSuchModuleError:
        raise InvalidInputError(
            f"the database URL {shown} names the driver {parsed.get_driver_name()!r}, which "
            f"SQLAlchemy does not know: give {EXAMPLES}"
        ) from None
    except ImportError as exc:
        raise InvalidInputError(
            f"the driver of the database URL {shown} is not installed (no module {exc.name!r}): "
            "install it, e.g. pip install 'jupyter-actions[postgres]' for postgresql+psycopg"
        ) from None
    return url
