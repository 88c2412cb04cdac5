from __future__ import annotations

import json
from pathlib import Path

import pytest

from jupyter_actions.deps import IndexConfig, Lock, Pin, lock, parse_requirement, pin
from jupyter_actions.errors import DependencyError, InvalidInputError

INSTALLERS = ["uv", "pip"]
INSTALLERS_PIP_SLOW = ["uv", pytest.param("pip", marks=pytest.mark.slow)]  # pip takes over 5 s here


@pytest.mark.parametrize("installer", INSTALLERS)
def test_pin_without_version_takes_the_latest(index: IndexConfig, installer: str) -> None:
    assert pin("JA_Hello", index, installer=installer) == Pin("ja-hello", "2.0")


@pytest.mark.parametrize("installer", INSTALLERS)
def test_pin_with_version_keeps_it(index: IndexConfig, installer: str) -> None:
    assert pin(parse_requirement("ja-hello==1.0"), index, installer=installer) == Pin("ja-hello", "1.0")


@pytest.mark.parametrize("installer", INSTALLERS)
def test_pin_unknown_package(index: IndexConfig, installer: str, wheelhouse: Path) -> None:
    with pytest.raises(DependencyError) as raised:
        pin("nopkg", index, installer=installer)
    where = f"find-links {wheelhouse}, offline"
    assert str(raised.value) == f"package 'nopkg' was not found on the index ({where}): check the name"


@pytest.mark.parametrize("installer", INSTALLERS_PIP_SLOW)
def test_pin_unknown_version_names_the_latest(index: IndexConfig, installer: str) -> None:
    with pytest.raises(DependencyError) as raised:
        pin("ja-hello==9.9", index, installer=installer)
    message = str(raised.value)
    assert message.startswith("version 9.9 of 'ja-hello' does not exist on find-links ")
    assert message.endswith("(the latest is 2.0): use 'ja-hello==2.0' or leave the version out")


def test_pin_refuses_a_broken_requirement_before_resolving(index: IndexConfig) -> None:
    with pytest.raises(InvalidInputError, match="version range"):
        pin("ja-hello>=1", index)
    with pytest.raises(InvalidInputError, match="is not MAJOR"):
        pin("ja-hello", index, python_version="3")
    with pytest.raises(InvalidInputError, match="unknown installer 'conda'"):
        pin("ja-hello", index, installer="conda")


@pytest.mark.parametrize("installer", INSTALLERS_PIP_SLOW)
def test_lock_includes_the_transitive_closure(index: IndexConfig, installer: str) -> None:
    locked = lock([Pin("ja-hello", "2.0")], index, installer=installer)
    assert locked.packages == (("ja-dep", "1.0"), ("ja-hello", "2.0"))
    assert locked.requirements_txt() == "ja-dep==1.0\nja-hello==2.0\n"
    older = lock([Pin("ja-hello", "1.0")], index, installer=installer)
    assert older.packages == (("ja-hello", "1.0"),)


def test_lock_hash_is_stable_and_names_the_content(index: IndexConfig) -> None:
    first = lock([Pin("ja-hello", "2.0"), Pin("ja-sneaky", "1.0")], index, installer="uv")
    again = lock([Pin("ja-sneaky", "1.0"), Pin("ja-hello", "2.0")], index, installer="pip")
    assert first == again
    assert first.hash == again.hash
    assert len(first.hash) == 64
    assert Lock(first.packages, "3.12").hash != first.hash
    assert lock([Pin("ja-hello", "1.0")], index).hash != first.hash


def test_lock_round_trips_through_json() -> None:
    locked = Lock((("ja-hello", "2.0"), ("JA_Dep", "1.0")), "3.11")
    assert locked.packages == (("ja-dep", "1.0"), ("ja-hello", "2.0"))
    text = locked.to_json()
    assert json.loads(text) == {
        "packages": [["ja-dep", "1.0"], ["ja-hello", "2.0"]],
        "python_version": "3.11",
    }
    restored = Lock.from_json(text)
    assert restored == locked
    assert restored.hash == locked.hash


@pytest.mark.parametrize("text", ["", "[]", '{"packages": [["a"]], "python_version": "3.11"}', '{"packages": []}'])
def test_lock_from_broken_json(text: str) -> None:
    with pytest.raises(InvalidInputError, match="the stored lock cannot be read"):
        Lock.from_json(text)


def test_lock_refuses_two_versions_of_one_package(index: IndexConfig) -> None:
    with pytest.raises(InvalidInputError, match="'ja-hello' is pinned at two versions"):
        lock([Pin("ja-hello", "1.0"), Pin("ja-hello", "2.0")], index)
    with pytest.raises(InvalidInputError, match="'a' appears twice"):
        Lock((("a", "1"), ("A", "2")), "3.11")


def test_lock_of_nothing_is_empty_without_resolving() -> None:
    unreachable = IndexConfig(index_url="http://127.0.0.1:9/simple")
    assert lock([], unreachable).packages == ()


@pytest.mark.parametrize("installer", INSTALLERS)
def test_lock_failure_is_one_line(index: IndexConfig, installer: str) -> None:
    with pytest.raises(DependencyError) as raised:
        lock([Pin("ja-hello", "9.9")], index, installer=installer)
    message = str(raised.value)
    assert message.startswith("cannot lock ja-hello==9.9 on find-links ")
    assert "ja-hello" in message.split(": ", 1)[1]
    assert "\n" not in message


@pytest.mark.parametrize("installer", INSTALLERS)
def test_installer_configuration_does_not_leak_in(
    index: IndexConfig,
    installer: str,
    wheelhouse: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Only IndexConfig decides where packages come from: not PIP_*/UV_* variables, pip.conf
    or uv.toml (here each tries to add the wheelhouse and to hold ja-hello at 1.0)."""
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("ja-hello==1.0\n")
    for tool in ("PIP", "UV"):
        monkeypatch.setenv(f"{tool}_FIND_LINKS", str(wheelhouse))
        monkeypatch.setenv(f"{tool}_CONSTRAINT", str(constraints))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "pip").mkdir()
    (tmp_path / "pip" / "pip.conf").write_text(f"[global]\nfind-links = {wheelhouse}\nconstraint = {constraints}\n")
    (tmp_path / "uv").mkdir()
    (tmp_path / "uv" / "uv.toml").write_text(
        f'find-links = ["{wheelhouse}"]\nconstraint-dependencies = ["ja-hello==1.0"]\n'
    )
    assert pin("ja-hello", index, installer=installer) == Pin("ja-hello", "2.0")
    empty = IndexConfig(find_links=[str(tmp_path / "pip")], offline=True)
    with pytest.raises(DependencyError, match="'ja-hello' was not found"):
        pin("ja-hello", empty, installer=installer)


@pytest.mark.network
def test_slack_sdk_from_pypi(tmp_path: Path) -> None:
    from jupyter_actions.deps import EnvironmentCache

    pypi = IndexConfig()
    assert pin("Slack_SDK==3.27.1", pypi) == Pin("slack-sdk", "3.27.1")
    latest = pin("slack-sdk", pypi)
    assert latest.name == "slack-sdk"
    locked = lock([latest], pypi)
    assert ("slack-sdk", latest.version) in locked.packages
    result = EnvironmentCache(tmp_path).build(locked, pypi)
    assert result.status == "built"
    assert (result.path / "slack_sdk" / "webhook" / "__init__.py").is_file()
