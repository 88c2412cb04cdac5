"""Imports point down only (DESIGN.md section 3), read from the source with ``ast``: the engine
reaches nothing of the tenant or the front ends, the `Tenant` facade runs no SQL itself, and
the executor goes through `Tenant`, never around it to its store, cipher or engine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import jupyter_actions

PACKAGE = Path(jupyter_actions.__file__).parent
ABOVE_THE_ENGINE = ("tenant", "cli", "magics", "widgets", "executor", "tutorial", "server")


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports (at the top or inside a function), as absolute names."""
    package = ".".join(("jupyter_actions", *path.relative_to(PACKAGE).parent.parts))
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
            names.add(module)
            names |= {f"{module}.{alias.name}" for alias in node.names}
    return names


def test_the_reader_resolves_relative_imports():
    names = imported(PACKAGE / "engine" / "engine.py")
    assert {"jupyter_actions.store.settings", "jupyter_actions.engine.plan", "jupyter_actions.runtime"} <= names


@pytest.mark.parametrize("path", modules("engine"), ids=lambda p: p.name)
def test_the_engine_imports_nothing_above_it(path):
    above = [
        name
        for name in imported(path)
        if name.split(".")[:2] in (["jupyter_actions", layer] for layer in ABOVE_THE_ENGINE)
    ]
    assert above == [], f"{path.name} imports {above}"


def test_the_tenant_facade_runs_no_sql():
    names = imported(PACKAGE / "tenant" / "__init__.py")
    assert not [n for n in names if n.startswith("sqlalchemy") or n.startswith("jupyter_actions.store.schema")]


@pytest.mark.parametrize("path", modules("executor"), ids=lambda p: p.name)
def test_the_executor_goes_through_the_tenant(path):
    tree = ast.parse(path.read_text())
    around = sorted(
        {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("store", "cipher", "engine")
        }
    )
    assert around == [], f"{path.name} reaches a tenant's {around}"
    assert not [n for n in imported(path) if n.startswith(("jupyter_actions.store", "jupyter_actions.engine.engine"))]
