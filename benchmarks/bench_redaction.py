"""The cost of redaction: store rows of a batch execution, and a step's log in the worker.

Rows of one execution of a three-action flow on the post-login sample (the batch executor's
path, ``engine/lean.py``), against the same rows for a flow without secrets in the same run:
with three secrets that appear nowhere (the common case: only the check on the texts runs),
and with one secret set as a claim (the texts are decoded, walked and encoded again). Then a
step's 2 KB log redacted in the worker, with and without secrets.

    python benchmarks/bench_redaction.py [--runs 5000] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import orjson

from jupyter_actions.engine.lean import RowMaker
from jupyter_actions.model import Execution
from jupyter_actions.runtime.capture import Capture
from jupyter_actions.runtime.redaction import Redactor
from jupyter_actions.triggers import get_trigger

SECRETS = ["sk_live_51Habcdefgh", "https://hooks.slack.com/services/T000/B000/XXXX", "p@ss'w\"ord\twith\\tab"]


def execution(claim: str) -> Execution:
    result = {
        "action_name": "a",
        "action_id": "id",
        "version_id": "v",
        "version_number": 3,
        "binding_id": "b",
        "started_at": "2026-01-01T00:00:00.000000Z",
        "ended_at": "2026-01-01T00:00:00.000100Z",
        "response": {
            "logs": "hello world\n" * 3,
            "error": None,
            "stats": {"action_duration_ms": 0.1, "total_request_duration_ms": 0.2},
        },
        "commands": [{"op": "id_token.set_custom_claim", "args": ["https://x/key", claim]}],
        "control": "next",
    }
    return Execution(
        id="e",
        trigger_id="post-login",
        kind="flow",
        status="final",
        outcome={"status": "allowed", "id_token_claims": {"https://x/key": claim}, "error": None},
        results=(result, result, result),
        event=get_trigger("post-login").sample_payload(),
        duration_ms=1.0,
        created_at="x",
        updated_at="y",
    )


def per_call_us(fn, runs: int) -> float:
    started = time.perf_counter()
    for _ in range(runs):
        fn()
    return (time.perf_counter() - started) / runs * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    clean = execution("admin")
    text = orjson.dumps(clean.event)
    cases = {
        "rows, no secrets (baseline)": (RowMaker([]), clean),
        "rows, 3 secrets, none in the texts": (RowMaker(SECRETS), clean),
        "rows, 3 secrets, one set as a claim": (RowMaker(SECRETS), execution(SECRETS[0])),
    }
    log = ("INFO:action:calling the API with a token\n" * 50)[:2048]

    def capture_with(redactor: Redactor) -> None:
        capture.begin(redactor)
        capture.write(log)
        capture.finish()

    capture = Capture(limit=4096)
    redactors = {"log 2 KB, no secrets (baseline)": Redactor([]), "log 2 KB, 3 secrets": Redactor(SECRETS)}
    samples: dict[str, list[float]] = {label: [] for label in [*cases, *redactors]}
    for _ in range(args.repeats):  # alternate, so both sides see the same machine
        for label, (maker, run) in cases.items():
            samples[label].append(per_call_us(lambda m=maker, e=run: m.rows(e, text), args.runs))
        for label, redactor in redactors.items():
            samples[label].append(per_call_us(lambda r=redactor: capture_with(r), args.runs))
    print(f"median of {args.repeats} runs of {args.runs}; post-login sample event ({len(text)} bytes)")
    for group in (list(cases), list(redactors)):
        base = statistics.median(samples[group[0]])
        for label in group:
            median = statistics.median(samples[label])
            print(f"{label:<40} {median:8.1f} us   {median / base:5.2f}x")


if __name__ == "__main__":
    main()
