from __future__ import annotations

from pathlib import Path

import pytest

from jupyter_actions.deps import EnvironmentCache, IndexConfig

from .wheelhouse import build_wheelhouse


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))


@pytest.fixture(scope="session")
def index(wheelhouse: Path) -> IndexConfig:
    return IndexConfig(find_links=[str(wheelhouse)], offline=True)


@pytest.fixture
def cache(tmp_path: Path) -> EnvironmentCache:
    return EnvironmentCache(tmp_path / "envs")
