"""The battery's evidence is gathered once for the whole package (about a minute)."""

from __future__ import annotations

import pytest

from .scenario import Evidence, gather


@pytest.fixture(scope="package")
def evidence(tmp_path_factory) -> Evidence:
    return gather(tmp_path_factory.mktemp("leaks"))
