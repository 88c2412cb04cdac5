"""``flows run --events``: the summary is text like the rest of the CLI, not a raw dict."""

from __future__ import annotations

import json
import re

from jupyter_actions.cli import main
from jupyter_actions.triggers import get_trigger


def test_the_batch_summary_is_text(tenant, tmp_path, capsys) -> None:
    tenant.save_draft(
        "gate",
        "post-login",
        "async def on_execute_post_login(event, api):\n"
        '    if event.user.email.startswith("deny"):\n'
        '        api.access.deny("no")\n',
        deploy=True,
    )
    tenant.bind("post-login", ["gate"])
    login = get_trigger("post-login").sample_payload()
    events = tmp_path / "e.jsonl"
    events.write_text(
        "\n".join(json.dumps({**login, "user": {**login["user"], "email": e}}) for e in ("a@x", "deny@x")) + "\n"
    )
    assert main(["flows", "run", "post-login", "--events", str(events), "--executor", "inline"]) == 0
    out = capsys.readouterr().out
    assert "{" not in out  # no dict printed as it is
    lines = out.splitlines()
    assert re.match(r"2 events in [\d.]+ s \([\d.]+ events/s\): allowed 1, denied 1", lines[0]), lines[0]
    assert re.match(r"latency p50 [\d.]+ ms, ", lines[1]), lines[1]
    assert len(lines) == 3 and lines[-1] == f"results: {events.with_suffix('.results.jsonl')}"
