"""Where packages come from: index URLs, find-links locations, offline mode.

This is the only source of index settings: the installers run with their own configuration
files and index environment variables switched off (see `_installers`), so a stray
`PIP_FIND_LINKS` or `pip.conf` cannot change what an action gets.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from jupyter_actions.errors import InvalidInputError

PYPI = "https://pypi.org/simple"

# tenant setting -> environment variable that overrides it
ENV_VARS = {
    "index_url": "JUPYTER_ACTIONS_INDEX_URL",
    "extra_index_urls": "JUPYTER_ACTIONS_EXTRA_INDEX_URL",
    "find_links": "JUPYTER_ACTIONS_FIND_LINKS",
    "offline": "JUPYTER_ACTIONS_OFFLINE",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


@dataclass(frozen=True)
class IndexConfig:
    """Package locations for resolving and building.

    `index_url` None means PyPI, except offline, where it means no index at all (only
    `find_links` and `file://` indexes are read).
    """

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    offline: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_index_urls", tuple(self.extra_index_urls))
        object.__setattr__(self, "find_links", tuple(str(f) for f in self.find_links))
        if self.offline:
            remote = [u for u in (*self.index_urls, *self.find_links) if _is_remote(u)]
            if remote:
                raise InvalidInputError(
                    f"offline mode cannot use {remote[0]}: use a local folder or a file:// "
                    "index, or turn offline mode off"
                )

    @property
    def index_urls(self) -> tuple[str, ...]:
        """Every index to read, the main one first."""
        main = () if self.offline and self.index_url is None else (self.index_url or PYPI,)
        return (*main, *self.extra_index_urls)

    def describe(self) -> str:
        """A short human description for error messages."""
        parts = [*self.index_urls, *(f"find-links {f}" for f in self.find_links)]
        text = ", ".join(parts) or "no index"
        return f"{text}, offline" if self.offline else text

    @classmethod
    def from_env(
        cls, settings: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
    ) -> IndexConfig:
        """Tenant `settings` (index_url, extra_index_urls, find_links, offline), each
        overridden by its `JUPYTER_ACTIONS_*` environment variable when that is set."""
        settings = dict(settings or {})
        environ = os.environ if environ is None else environ
        for key, variable in ENV_VARS.items():
            value = environ.get(variable)
            if value:  # an empty variable counts as unset
                settings[key] = value
        return cls(
            index_url=settings.get("index_url") or None,
            extra_index_urls=_words(settings.get("extra_index_urls")),
            find_links=_locations(settings.get("find_links")),
            offline=_flag(settings.get("offline")),
        )


def _is_remote(location: str) -> bool:
    return "://" in location and not location.startswith("file:")


def _words(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value.split() if isinstance(value, str) else value)


def _locations(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """Split on spaces and on os.pathsep, but keep URLs (which contain ':') whole."""
    if not isinstance(value, str):
        return _words(value)
    found: list[str] = []
    for word in value.split():
        found += [word] if "://" in word else [p for p in word.split(os.pathsep) if p]
    return tuple(found)


def _flag(value: str | bool | None) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise InvalidInputError(f"offline setting {value!r} is not a yes/no value: use 1 or 0")
