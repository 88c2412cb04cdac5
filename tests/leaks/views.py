"""Everything a person or a file could show: the views the battery searches for secrets."""

from __future__ import annotations

import html
import sqlite3
from collections import defaultdict
from contextlib import closing
from pathlib import Path

GROUPS = ("tenant files", "cli", "magics", "notebooks")


class Views:
    """Texts by group and name, kept as bytes (files are searched byte for byte)."""

    def __init__(self) -> None:
        self.found: dict[str, dict[str, bytes]] = defaultdict(dict)

    def add(self, group: str, name: str, content: str | bytes) -> None:
        assert group in GROUPS, group
        if isinstance(content, str):
            # HTML shows `"` as `&quot;`: the reader sees the unescaped text, so search that too
            content = f"{content}\n{html.unescape(content)}".encode("utf-8", "surrogatepass")
        key, number = name, 1
        while key in self.found[group]:
            number += 1
            key = f"{name} #{number}"
        self.found[group][key] = content

    def add_file(self, group: str, path: Path) -> None:
        self.add(group, str(path), path.read_bytes())

    def add_tree(self, group: str, root: Path) -> int:
        """Every file under ``root``, byte for byte; returns how many."""
        files = [path for path in sorted(root.rglob("*")) if path.is_file()]
        for path in files:
            self.add_file(group, path)
        return len(files)

    def add_database(self, group: str, path: Path) -> None:
        """Every cell of every table as text: a value SQLite spread over overflow pages is
        whole here, where the file's bytes have page headers inside it."""
        with closing(sqlite3.connect(path)) as db:
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                cells = [
                    repr(cell) if isinstance(cell, bytes) else str(cell)
                    for row in db.execute(f'SELECT * FROM "{table}"')
                    for cell in row
                ]
                self.add(group, f"{path.name} table {table}", "\n".join(cells))

    def leaks(self, group: str, signatures: frozenset[str]) -> list[str]:
        """``name: signature`` for each view of the group that shows one of the signatures."""
        needles = [(signature, signature.encode("utf-8", "surrogatepass")) for signature in signatures]
        return [
            f"{name}: {signature!r}"
            for name, content in self.found[group].items()
            for signature, needle in needles
            if needle in content
        ]
