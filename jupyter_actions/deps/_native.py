"""Find native code in an installed site folder.

Auth0 has "no native module support"; here native code is refused by default because an
environment is shared by every worker of a lock and a compiled extension ties it to one
platform and can crash a worker outside Python's control. A distribution counts as native when
its wheel is not pure (`Root-Is-Purelib: false`, or a tag other than `*-none-any`) or when it
installed a shared library (.so, .pyd, .dylib, also versioned like libx.so.1).
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

from packaging.tags import parse_tag
from packaging.utils import canonicalize_name

_SHARED_LIBRARY = re.compile(r"\.(so|pyd|dylib)(\.\d+)*$")


def find_native(site: Path) -> dict[str, str]:
    """{distribution name or stray file: why it counts as native} for the folder `site`."""
    found: dict[str, str] = {}
    owner: dict[str, str] = {}
    for dist_info in sorted(site.glob("*.dist-info")):
        name = canonicalize_name(dist_info.name.split("-")[0])
        wheel = _fields((dist_info / "WHEEL").read_text(errors="replace"))
        impure = [tag for tag in wheel.get("Tag", []) if not _pure(tag)]
        if impure:
            found[name] = f"platform wheel {impure[0]}"
        elif wheel.get("Root-Is-Purelib", ["true"])[0].lower() != "true":
            found[name] = "wheel with Root-Is-Purelib: false"
        record = dist_info / "RECORD"
        if record.exists():
            with record.open(newline="") as rows:
                owner.update((os.path.normpath(row[0]), name) for row in csv.reader(rows) if row)
    for folder, _, files in os.walk(site):
        for file in files:
            if _SHARED_LIBRARY.search(file):
                relative = os.path.relpath(os.path.join(folder, file), site)
                culprit = owner.get(relative, relative)
                found.setdefault(culprit, f"shared library {relative}")
    return found


def _fields(text: str) -> dict[str, list[str]]:
    """The `Key: value` lines of a WHEEL file (a key such as Tag may repeat)."""
    fields: dict[str, list[str]] = {}
    for key, _, value in (line.partition(":") for line in text.splitlines()):
        fields.setdefault(key.strip(), []).append(value.strip())
    return fields


def _pure(tag: str) -> bool:
    return all(t.abi == "none" and t.platform == "any" for t in parse_tag(tag))
