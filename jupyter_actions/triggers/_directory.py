"""``api.groups`` and ``api.roles`` (async, post-login).

They answer from ``ApiSession.directory`` when the application passes one::

    {"roles":  [{"id": "rol_1", "name": "admin", "type": "direct"}, ...],
     "groups": [{"id": "grp_1", "name": "engineering", "group_type": "team"}, ...]}

Without a directory (or without its ``roles`` key) roles come from
``event.authorization.roles``, which holds names only: each role is
``{"id": None, "name": name, "type": None}``. Without ``groups`` nothing is known about
groups: the answers are empty, as with Auth0's own test stub. Nothing is ever made up.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from ._api import Namespace, option

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _page(items: list[Mapping], options: Mapping | None, take: Any, from_: Any) -> tuple[list[Mapping], str | None]:
    """Auth0's ``{take, from}`` paging; ``from`` is the opaque ``next`` of the previous page."""
    take = option(options, "take", take)
    start = from_ if from_ is not None else (options or {}).get("from")
    if start is not None and not isinstance(start, str):
        raise ValueError('The "from" parameter must be a string if provided.')
    if take is not None and (isinstance(take, bool) or not isinstance(take, int) or take <= 0):
        raise ValueError('The "take" parameter must be a positive integer if provided.')
    size = min(take or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
    offset = int(start) if start and start.isdigit() else 0
    chunk = items[offset : offset + size]
    following = offset + size
    return copy.deepcopy(chunk), (str(following) if following < len(items) else None)


def _names(values: Any, name: str) -> list:
    if not values or not isinstance(values, (list, tuple)):
        raise ValueError(f'The "{name}" parameter must be a non-empty array of strings.')
    return list(values)


class _DirectoryNamespace(Namespace):
    key = ""

    def _listed(self) -> list[Mapping] | None:
        directory = self._session.directory
        if isinstance(directory, Mapping) and isinstance(directory.get(self.key), list):
            return [entry for entry in directory[self.key] if isinstance(entry, Mapping)]
        return None


class GroupsApi(_DirectoryNamespace):
    namespace = "groups"
    key = "groups"

    async def get_user_groups(
        self, options: Mapping | None = None, *, take: int | None = None, from_: str | None = None
    ) -> dict:
        """``{"groups": [...], "next"?: str}``; pass ``next`` back as ``from_`` for the next page."""
        groups, following = _page(self._listed() or [], options, take, from_)
        result: dict[str, Any] = {"groups": groups}
        if following is not None:
            result["next"] = following
        return result

    async def has_group_membership(self, groups: list[str]) -> dict:
        """``{"memberships": {id_or_name: {"is_member": bool, "matches": [...]}}}``."""
        wanted = _names(groups, "groups")
        listed = self._listed()
        if listed is None:
            return {"memberships": {}}
        memberships = {}
        for id_or_name in wanted:
            matches = [
                {"id": g.get("id"), "name": g.get("name"), "group_type": g.get("group_type")}
                for g in listed
                if id_or_name in (g.get("id"), g.get("name"))
            ]
            memberships[id_or_name] = {"is_member": bool(matches), "matches": matches}
        return {"memberships": memberships}


class RolesApi(_DirectoryNamespace):
    namespace = "roles"
    key = "roles"

    def _roles(self) -> list[Mapping]:
        listed = self._listed()
        if listed is not None:
            return listed
        authorization = self._event.get("authorization")
        names = authorization.get("roles") if isinstance(authorization, dict) else None
        return [{"id": None, "name": n, "type": None} for n in names or [] if isinstance(n, str)]

    async def get_user_effective_roles(
        self, options: Mapping | None = None, *, take: int | None = None, from_: str | None = None
    ) -> dict:
        """``{"roles": [{"id", "name", "type"}], "next"?: str}``."""
        roles, following = _page(self._roles(), options, take, from_)
        result: dict[str, Any] = {"roles": roles}
        if following is not None:
            result["next"] = following
        return result

    async def get_user_effective_roles_by_ids(self, ids: list[str]) -> dict:
        wanted = set(_names(ids, "ids"))
        return {"roles": copy.deepcopy([r for r in self._roles() if r.get("id") is not None and r.get("id") in wanted])}

    async def get_user_effective_roles_by_names(self, names: list[str]) -> dict:
        wanted = set(_names(names, "names"))
        return {"roles": copy.deepcopy([r for r in self._roles() if r.get("name") in wanted])}
