"""Caps on what the actions of one execution may put into its outcome and its record.

Sizes are the UTF-8 bytes of a command's compact JSON. Claims and metadata are counted per key
(setting a key again replaces its size): at most ``MAX_CLAIMS_BYTES`` of custom claims per
token (Auth0's custom claims payload limit, 100 KB) and ``MAX_METADATA_BYTES`` each of
``user_metadata`` and ``app_metadata`` updates (Auth0's 32 kB per session). Every command of the
execution together, each counted as it comes, is held to ``MAX_COMMANDS_BYTES``.

The worker checks each api call as it is made (the action gets the error at that line); the
parent checks each step's answer again, since a worker may forge its commands.
"""

from __future__ import annotations

import json
from typing import Any

MAX_CLAIMS_BYTES = 100 * 1024
MAX_METADATA_BYTES = 32 * 1024
MAX_COMMANDS_BYTES = 1024 * 1024

_KEYED = {
    "id_token.set_custom_claim": ("the ID token's custom claims", MAX_CLAIMS_BYTES, " per token, as on Auth0"),
    "access_token.set_custom_claim": ("the access token's custom claims", MAX_CLAIMS_BYTES, " per token, as on Auth0"),
    "user.set_user_metadata": ("the user_metadata updates", MAX_METADATA_BYTES, " per execution, as on Auth0"),
    "user.set_app_metadata": ("the app_metadata updates", MAX_METADATA_BYTES, " per execution, as on Auth0"),
}


def human(size: int) -> str:
    """``3 MiB``, ``107.52 KiB``, ``900 bytes``."""
    for unit, shift in (("MiB", 20), ("KiB", 10)):
        if size >= 1 << shift:
            return f"{size / (1 << shift):.2f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{size} bytes"


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def size_of(value: Any) -> int:
    text = _encode(value)
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class CommandSizes:
    """The running sizes of one execution's commands: in all, and per key of a capped kind."""

    __slots__ = ("keyed", "kind_totals", "total")

    def __init__(self) -> None:
        self.total = 0
        self.kind_totals: dict[str, int] = {}
        self.keyed: dict[tuple[str, str], int] = {}

    def add(self, command: dict) -> str | None:
        """Count ``command``; the message naming the cap it would pass (nothing counted then)."""
        size = size_of(command)
        kind = command.get("type")
        kind = kind if isinstance(kind, str) else ""  # "" is no capped kind
        capped = _KEYED.get(kind)
        if capped is not None:
            what, cap, where = capped
            key = command.get("key")
            slot = (kind, key if isinstance(key, str) else repr(key))
            used = self.kind_totals.get(kind, 0) - self.keyed.get(slot, 0) + size
            if used > cap:
                return f"{what} would take {human(used)}, over the limit of {human(cap)}{where}: set smaller values"
        total = self.total + size
        if total > MAX_COMMANDS_BYTES:
            return (
                f"the api calls of this execution would take {human(total)} together, over the limit of "
                f"{human(MAX_COMMANDS_BYTES)}: keep claims, metadata and other values small"
            )
        if capped is not None:
            self.kind_totals[kind] = used
            self.keyed[slot] = size
        self.total = total
        return None
