"""The tenant store: SQLAlchemy Core over SQLite (default) or PostgreSQL."""

from .database import Store, sqlite_url

__all__ = ["Store", "sqlite_url"]
