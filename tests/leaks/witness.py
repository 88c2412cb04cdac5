"""Proof that each case's secret really went through its channel: the value as the
application receives it from a live flow, or the redaction marker where the worker's output
carried it, or its plaintext in the encrypted cache. A leak check means something only when
the value was there to leak."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from jupyter_actions.runtime.redaction import REDACTED

from .cases import Case, encoded
from .scenario import AFTER, BEFORE, Evidence


def strings(item: Any) -> Iterator[str]:
    """Every string in a JSON value, and the decoded query values of the URLs among them."""
    if isinstance(item, str):
        yield item
        if "?" in item:
            yield from (value for _, value in parse_qsl(urlsplit(item).query))
    elif isinstance(item, dict):
        for key, value in item.items():
            yield key
            yield from strings(value)
    elif isinstance(item, (list, tuple)):
        for value in item:
            yield from strings(value)


def live(evidence: Evidence, *phases: str) -> Iterator[Any]:
    return (execution for phase in phases or (BEFORE, AFTER) for execution in evidence.live[phase].values())


def received(evidence: Evidence, text: str, *phases: str) -> bool:
    """Whether an outcome the application received holds ``text``."""
    return any(text in s for execution in live(evidence, *phases) for s in strings(execution.outcome))


def logged(evidence: Evidence, label: str) -> bool:
    """Whether a worker's output had a line ``label...`` with the redaction marker after it."""
    return any(
        label in line and REDACTED in line.split(label, 1)[1]
        for execution in live(evidence)
        for result in execution.results
        for line in (result["response"]["logs"] or "").splitlines()
    )


def errors(evidence: Evidence) -> list[dict]:
    return [
        result["response"]["error"]
        for execution in live(evidence)
        for result in execution.results
        if result["response"]["error"]
    ]


def used(case: Case, evidence: Evidence) -> bool:
    text = encoded(case.form, case.value)
    channel, form = case.channel, case.form
    if channel in ("print", "logging", "logging-dict"):
        return logged(evidence, f"{channel}/{form}: ")
    if channel == "exception":
        return any(
            part.startswith(f"{form}=") and REDACTED in part
            for error in errors(evidence)
            for part in error["message"].split(" | ")
        )
    if channel == "exception-class":
        return any(error["name"] == REDACTED for error in errors(evidence))
    if channel == "cache":
        return evidence.cache[AFTER].get(f"cache_{form}", "").startswith(text)
    if channel in ("rotation", "draft-rotation"):  # cached when the secret was set anew
        return evidence.cache[BEFORE].get(f"{'rotation' if channel == 'rotation' else 'stash'}_{form}") == text
    if channel == "saved-case":
        claim = f"https://leak.example/case/{form}"
        return received(evidence, text) and any(claim in json.dumps(saved.expected) for saved in evidence.saved)
    return received(evidence, text)
