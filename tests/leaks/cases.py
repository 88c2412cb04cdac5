"""The leak battery's cases: one secret for each channel an action can leak through and each
form it takes there, and every text form in which a view could still show it.

Each case has a secret of its own, used by the hostile actions through that channel only and
in that form only, so that a failing case names where the leak came from. The values are new
for every run (nothing in the repository, the action code or the store's schema holds them).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from dataclasses import dataclass

FORMS = ("raw", "json", "repr", "pem", "base64", "hex")
"""How an action emits a value: as it is, ``json.dumps``, ``repr``, a multi-line PEM key as it
is, base64 and hex of it."""


@dataclass(frozen=True)
class Case:
    channel: str
    form: str
    value: str

    @property
    def id(self) -> str:
        return case_id(self.channel, self.form)

    @property
    def secret_name(self) -> str:
        return secret_name(self.channel, self.form)

    def signatures(self) -> frozenset[str]:
        return signatures(self.value)


def case_id(channel: str, form: str) -> str:
    return f"{channel}-{form}"


def secret_name(channel: str, form: str) -> str:
    return f"{channel}_{form}".upper().replace("-", "_")


def encoded(form: str, value: str) -> str:
    """How the hostile actions emit a value in each form (its source is part of their code)."""
    if form == "json":
        return json.dumps(value)
    if form == "repr":
        return repr(value)
    if form == "base64":
        return base64.b64encode(value.encode()).decode()
    if form == "hex":
        return value.encode().hex()
    return value


def make_value(channel: str, form: str, generation: str = "") -> str:
    """A fresh value for a case; quotes, a backslash, a tab, a newline and a non-ASCII
    character for the escaped forms, a PEM key for ``pem``, an identifier for ``raw``. Every
    run of letters and digits in it holds random digits, so that no value shows in another."""
    tag = f"{channel.title().replace('-', '')}{form.title()}{generation}"

    def uid() -> str:
        return secrets.token_hex(5)

    if form == "pem":
        body = "\n".join(base64.b64encode(secrets.token_bytes(36)).decode() for _ in range(3))
        return f"-----BEGIN TEST KEY-----\n{body}\n-----END TEST KEY-----"  # PEM-shaped, random: no real key
    if form in ("json", "repr"):
        return f"{tag}{uid()}'{uid()}\"{uid()}\\{uid()}\t\u20ac{uid()}\n{tag}{uid()}"
    return f"Leak{tag}_{uid()}"


def signatures(value: str) -> frozenset[str]:
    """Texts that show up wherever the value or a part of it is shown: every run of 8 or more
    letters, digits and underscores in it (kept whole by every escaping a view uses: JSON,
    repr, URL encoding, HTML, a PEM key's lines one by one, a cut to some length), and its
    base64 and hex encodings."""
    raw = value.encode()
    encodings = {base64.b64encode(raw), base64.urlsafe_b64encode(raw), raw.hex().encode(), raw.hex().upper().encode()}
    encodings |= {text.rstrip(b"=") for text in encodings}
    return frozenset(re.findall(r"[A-Za-z0-9_]{8,}", value)) | {text.decode() for text in encodings}


CHANNELS: dict[str, tuple[str, ...]] = {
    # the talker action
    "print": FORMS,
    "logging": FORMS,
    "logging-dict": FORMS,
    # the shaper action
    "id-claim": FORMS,
    "access-claim": FORMS,
    "app-metadata": FORMS,
    "user-metadata": FORMS,
    "saml": FORMS,
    # the keeper action; the stasher, a draft that caches values whose secrets are rotated before any deploy
    "cache": FORMS,
    "saved-case": FORMS,
    "rotation": FORMS,
    "draft-rotation": FORMS,
    # the ender action, one mode per event
    "deny": FORMS,
    "redirect": FORMS,
    "prompt": FORMS,
    "exception": FORMS,
    "exception-class": ("raw",),
}
ACTIONS: dict[str, tuple[str, ...]] = {
    "talker": ("print", "logging", "logging-dict"),
    "shaper": ("id-claim", "access-claim", "app-metadata", "user-metadata", "saml"),
    "keeper": ("cache", "saved-case", "rotation"),
    "ender": ("deny", "redirect", "prompt", "exception", "exception-class"),
    "stasher": ("draft-rotation",),
}
FLOW = ("talker", "shaper", "keeper", "ender")  # the stasher is never deployed


CASE_IDS = tuple(case_id(channel, form) for channel, used in CHANNELS.items() for form in used)


def make_cases() -> tuple[Case, ...]:
    return tuple(Case(channel, form, make_value(channel, form)) for channel, used in CHANNELS.items() for form in used)
