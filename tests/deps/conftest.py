from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_actions.deps import EnvironmentCache, IndexConfig


@pytest.fixture(scope="session")
def index(wheelhouse: Path) -> IndexConfig:
    return IndexConfig(find_links=[str(wheelhouse)], offline=True)


@pytest.fixture
def cache(tmp_path: Path) -> EnvironmentCache:
    return EnvironmentCache(tmp_path / "envs")
