"""``triggers list|sample TRIGGER``: Auth0's triggers and the sample payload of each."""

from __future__ import annotations

import argparse

from . import output


def _list(args: argparse.Namespace) -> int:
    from ..triggers import all_triggers

    found = all_triggers()
    if args.json:
        output.emit_json(
            [
                {
                    "id": t.id,
                    "version": t.version,
                    "handler": t.handler,
                    "continue_handler": t.continue_handler,
                    "blocking": t.blocking,
                    "title": t.title,
                }
                for t in found
            ]
        )
        return 0
    output.table(
        ["trigger", "version", "handlers", "blocking", "title"],
        [
            (
                t.id,
                t.version,
                ", ".join(filter(None, (t.handler, t.continue_handler))),
                "yes" if t.blocking else "no",
                t.title,
            )
            for t in found
        ],
    )
    return 0


def _sample(args: argparse.Namespace) -> int:
    from ..triggers import get_trigger

    output.emit_json(get_trigger(args.trigger).sample_payload())
    return 0


HANDLERS = {"triggers list": _list, "triggers sample": _sample}
