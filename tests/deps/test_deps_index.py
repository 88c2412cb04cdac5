from __future__ import annotations

import os
import re

import pytest

from jupyter_actions.deps import PYPI, IndexConfig
from jupyter_actions.errors import InvalidInputError


def test_defaults_read_pypi() -> None:
    assert IndexConfig().index_urls == (PYPI,)
    assert IndexConfig.from_env({}, environ={}) == IndexConfig()


def test_offline_without_index_reads_only_find_links() -> None:
    index = IndexConfig(find_links=["/wheels"], offline=True)
    assert index.index_urls == ()
    assert index.describe() == "find-links /wheels, offline"


def test_tenant_settings_are_read() -> None:
    settings = {
        "index_url": "https://mirror.example/simple",
        "extra_index_urls": ["https://extra.example/simple"],
        "find_links": "/a /b",
        "offline": False,
    }
    index = IndexConfig.from_env(settings, environ={})
    assert index.index_urls == ("https://mirror.example/simple", "https://extra.example/simple")
    assert index.find_links == ("/a", "/b")
    assert index.offline is False


def test_environment_overrides_tenant_settings() -> None:
    settings = {"index_url": "https://tenant.example/simple", "offline": False}
    environ = {
        "JUPYTER_ACTIONS_INDEX_URL": "file:///srv/simple",
        "JUPYTER_ACTIONS_EXTRA_INDEX_URL": "file:///one file:///two",
        "JUPYTER_ACTIONS_FIND_LINKS": f"/w1{os.pathsep}/w2 https://links.example/wheels/",
        "JUPYTER_ACTIONS_OFFLINE": "true",
    }
    with pytest.raises(InvalidInputError, match="offline mode cannot use https://links"):
        IndexConfig.from_env(settings, environ=environ)
    environ["JUPYTER_ACTIONS_FIND_LINKS"] = f"/w1{os.pathsep}/w2 /w3"
    index = IndexConfig.from_env(settings, environ=environ)
    assert index == IndexConfig(
        index_url="file:///srv/simple",
        extra_index_urls=("file:///one", "file:///two"),
        find_links=("/w1", "/w2", "/w3"),
        offline=True,
    )


def test_empty_variable_leaves_the_tenant_setting() -> None:
    index = IndexConfig.from_env({"offline": True}, environ={"JUPYTER_ACTIONS_OFFLINE": ""})
    assert index.offline is True
    assert IndexConfig.from_env({"offline": True}, environ={"JUPYTER_ACTIONS_OFFLINE": "0"}).offline is False


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_ACTIONS_OFFLINE", "1")
    monkeypatch.setenv("JUPYTER_ACTIONS_FIND_LINKS", "/wheels")
    assert IndexConfig.from_env({}) == IndexConfig(find_links=("/wheels",), offline=True)


def test_offline_refuses_remote_index_and_bad_flag() -> None:
    with pytest.raises(InvalidInputError, match=f"offline mode cannot use {re.escape(PYPI)}"):
        IndexConfig(index_url=PYPI, offline=True)
    with pytest.raises(InvalidInputError, match="not a yes/no value"):
        IndexConfig.from_env({"offline": "maybe"}, environ={})
