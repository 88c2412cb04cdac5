"""Headless flow execution: naive papermill-per-event vs one papermill batch vs inline.

In one run: 20 events each through their own papermill run (the naive way), then one batch
of N events (default 100,000) through a three-action flow with the papermill executor
(measured over the whole run, kernel start included), then the inline executor on the same
batch. Prints events per second for each and the ratios.

    python benchmarks/bench_executor.py [--events 100000] [--naive 20]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

ACTIONS = {
    "deny-blocked": """
async def on_execute_post_login(event, api):
    if event.user.email.endswith("@blocked.example"):
        api.access.deny("Access from this domain is not allowed.")
""",
    "roles-claim": """
async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://example.com/roles", list(event.authorization.roles))
""",
    "count-logins": """
async def on_execute_post_login(event, api):
    api.user.set_app_metadata("logins", event.stats.logins_count + 1)
""",
}
LOGIN_KEYS = (
    "transaction",
    "authentication",
    "authorization",
    "connection",
    "tenant",
    "client",
    "request",
    "stats",
    "user",
    "organization",
    "secrets",
)


def login_event(sample: dict, i: int) -> dict:
    """A login as an application sends it: the sample's interactive-login parts (without the
    Akamai/risk-assessment and mutual-TLS certificate blocks few applications have), one user each."""
    event = {key: sample[key] for key in LOGIN_KEYS}
    event["authentication"] = {"methods": sample["authentication"]["methods"]}
    event["client"] = {k: v for k, v in sample["client"].items() if k != "authentication"}
    domain = "blocked.example" if i % 10 == 0 else "example.com"
    event["user"] = {**sample["user"], "email": f"user{i}@{domain}", "user_id": f"auth0|{i:024d}"}
    event["authorization"] = {"roles": ["admin"] if i % 7 == 0 else []}
    event["stats"] = {"logins_count": i % 100}
    return event


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-executor-"))
    os.environ["JUPYTER_ACTIONS_HOME"] = str(work / "home")
    from jupyter_actions import Tenant
    from jupyter_actions.executor.batch import execute_batch
    from jupyter_actions.executor.notebook import run_notebook
    from jupyter_actions.triggers import get_trigger

    sample = get_trigger("post-login").sample_payload()
    with Tenant() as tenant:
        for name, code in ACTIONS.items():
            tenant.save_draft(name, "post-login", code, deploy=True)
        tenant.bind("post-login", list(ACTIONS))
    events = work / "events.jsonl"
    with events.open("w") as handle:
        for i in range(args.events):
            handle.write(json.dumps(login_event(sample, i)) + "\n")
    size = events.stat().st_size / args.events
    print(f"{os.cpu_count()} cores; {args.events} events of {size:.0f} bytes; flow of {len(ACTIONS)} actions\n")

    started = time.perf_counter()
    inline = execute_batch("default", "post-login", str(events), str(work / "inline.results.jsonl"))
    inline_rate = args.events / (time.perf_counter() - started)
    print(f"inline executor                  {inline_rate:10.0f} events/s   ({dict(inline.statuses)})")

    started = time.perf_counter()
    summary = run_notebook("default", "post-login", events, work / "batch.results.jsonl", work / "batch.ipynb")
    whole = time.perf_counter() - started
    batch_rate = args.events / whole
    in_kernel_rate = summary["events_per_second"]
    print(f"papermill batch, whole run       {batch_rate:10.0f} events/s   ({whole:.1f} s, kernel start included)")
    print(f"papermill batch, inside kernel   {in_kernel_rate:10.0f} events/s   ({summary['seconds']:.1f} s)")

    naive_times = []
    for i in range(args.naive):
        one = work / f"one-{i}.jsonl"
        one.write_text(json.dumps(login_event(sample, i)) + "\n")
        started = time.perf_counter()
        run_notebook("default", "post-login", one, work / f"one-{i}.results.jsonl", work / f"one-{i}.ipynb")
        naive_times.append(time.perf_counter() - started)
    naive_rate = args.naive / sum(naive_times)
    print(
        f"naive: papermill run per event   {naive_rate:10.2f} events/s   ({sum(naive_times) / args.naive:.2f} s per event)"
    )

    full = work / "full-sample.jsonl"
    with full.open("w") as handle:
        for i in range(min(args.events, 20_000)):
            handle.write(json.dumps({**sample, "user": {**sample["user"], "email": f"user{i}@example.com"}}) + "\n")
    started = time.perf_counter()
    reference = execute_batch("default", "post-login", str(full), str(work / "full.results.jsonl"))
    print(
        f"inline, full 8 KB sample events  {reference.events / (time.perf_counter() - started):10.0f} events/s   "
        f"({reference.events} events, for reference)"
    )
    print(f"\npapermill batch vs naive per event: {batch_rate / naive_rate:,.0f}x   (target >= 5,000x)")
    print(f"papermill batch whole run: {batch_rate:,.0f} events/s   (target >= 5,000)")
    print(f"inline / papermill-after-kernel-start rate: {inline_rate / in_kernel_rate:.2f}   (target <= 1.5)")


if __name__ == "__main__":
    main()
