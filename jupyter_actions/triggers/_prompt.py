"""``api.prompt.render``: show a custom prompt (Forms); suspends the flow."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._api import Namespace, option, to_json
from ._checks import O, S, check
from ._redirect import RENDER_AND_REDIRECT

MAX_RENDER_PROMPT_OPTIONS_BYTES = 24 * 1024
_RENDER_INPUT = O(
    {
        "prompt_id": S(max_len=48),
        "options": O(
            {
                "fields": O(max_props=24, key_pattern=r"^[a-zA-Z_][a-zA-Z0-9_]{0,49}$"),
                "vars": O(max_props=24, key_pattern=r".*"),
            }
        ),
    },
    required=("prompt_id",),
)


class PromptApi(Namespace):
    namespace = "prompt"

    def render(
        self,
        prompt_id: str,
        options: Mapping | None = None,
        *,
        fields: Mapping | None = None,
        vars: Mapping | None = None,  # noqa: A002 - Auth0's option name
    ) -> None:
        """Render ``prompt_id``; collected data arrives in ``event.prompt`` on continue."""
        done = {c.get("type") for c in self._session.commands}
        if "redirect.send_user_to" in done:
            raise ValueError(RENDER_AND_REDIRECT)
        if "prompt.render" in done:
            raise ValueError("Only 1 render command per action is allowed.")
        resolved: dict[str, Any] = {}
        for name, value in (("fields", option(options, "fields", fields)), ("vars", option(options, "vars", vars))):
            if value is not None:
                resolved[name] = value
        check(_RENDER_INPUT, {"prompt_id": prompt_id, "options": resolved})
        resolved = to_json(resolved, "The prompt options")
        if len(json.dumps(resolved, separators=(",", ":")).encode("utf-8")) > MAX_RENDER_PROMPT_OPTIONS_BYTES:
            raise ValueError(
                f"The total size of the prompt options exceeds the limit of {MAX_RENDER_PROMPT_OPTIONS_BYTES} bytes."
            )
        self._record("render", prompt_id=prompt_id, options=resolved)
