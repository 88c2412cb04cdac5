"""Dependencies through the tenant, offline from a wheelhouse the tests build themselves."""

from __future__ import annotations

import json

import pytest

from jupyter_actions import ConflictError, DependencyError, LimitExceeded
from jupyter_actions.errors import InvalidInputError

SHOW_VERSION = """
import ja_hello

async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("https://x/hello", ja_hello.__version__)
"""


def claim(execution) -> str:
    assert execution.outcome["error"] is None, execution.outcome["error"]
    return execution.outcome["id_token_claims"]["https://x/hello"]


def snapshot(tenant, name: str):
    action = tenant.get_action(name)
    return action.dependencies, action.lock, action.build, action.code


@pytest.mark.slow
def test_add_pin_lock_build_import_deploy_rollback(offline, cli):
    tenant = offline
    tenant.save_draft("hello", "post-login", SHOW_VERSION, dependencies=["ja-hello==1.0"])
    action = tenant.get_action("hello")
    assert [str(d) for d in action.dependencies] == ["ja-hello==1.0"] and action.build.status == "built"
    assert json.loads(action.lock)["packages"] == [["ja-hello", "1.0"]]
    assert claim(tenant.test("hello")) == "1.0"
    assert tenant.deploy("hello").version.number == 1

    upgraded = tenant.add_dependency("hello", "JA_Hello")  # no version: the latest now, normalised name
    assert [str(d) for d in upgraded.dependencies] == ["ja-hello==2.0"]
    assert json.loads(upgraded.lock)["packages"] == [["ja-dep", "1.0"], ["ja-hello", "2.0"]]
    assert claim(tenant.test("hello")) == "2.0"
    version = tenant.deploy("hello").version
    assert version.number == 2 and [str(d) for d in version.dependencies] == ["ja-hello==2.0"]
    tenant.bind("post-login", ["hello"])
    from jupyter_actions.triggers import get_trigger

    login = get_trigger("post-login").sample_payload()
    assert claim(tenant.run_flow("post-login", login)) == "2.0"
    tenant.rollback("hello", 1)
    assert claim(tenant.run_flow("post-login", login)) == "1.0"
    # re-adding without a version keeps the pin: it never floats
    tenant.save_draft("hello", "post-login", SHOW_VERSION, dependencies=["ja-hello"])
    assert [str(d) for d in tenant.dependencies("hello")] == ["ja-hello==2.0"]
    listing = cli("deps", "list", "hello", "--json")
    assert listing.status == 0, listing.err
    assert json.loads(listing.out)["status"] == "built"
    assert tenant.remove_dependency("hello", "ja-hello").dependencies == ()


@pytest.mark.slow
def test_two_versions_of_a_package_side_by_side_and_undeclared_import(offline):
    tenant = offline
    tenant.save_draft("old", "post-login", SHOW_VERSION, dependencies=["ja-hello==1.0"], deploy=True)
    tenant.save_draft(
        "new", "post-login", SHOW_VERSION.replace("x/hello", "x/hello"), dependencies=["ja-hello==2.0"], deploy=True
    )
    tenant.save_draft("none", "post-login", SHOW_VERSION, deploy=True)
    assert claim(tenant.test("old")) == "1.0" and claim(tenant.test("new")) == "2.0"
    assert claim(tenant.test("old")) == "1.0"
    failed = tenant.test("none")
    error = failed.results[0]["response"]["error"]
    assert error["name"] == "ModuleNotFoundError" and "ja_hello" in error["message"]


@pytest.mark.parametrize(
    ("requirement", "error", "message"),
    [
        ("ja-nothing", DependencyError, "ja-nothing"),
        ("ja-hello==9.9", DependencyError, "9.9"),
        ("ja-native", DependencyError, "ja-native"),
        ("ja-hello>=1", InvalidInputError, "ja-hello>=1"),
        ("", InvalidInputError, "package name"),
    ],
)
def test_refusals_leave_the_action_unchanged(offline, requirement, error, message):
    offline.save_draft("hello", "post-login", SHOW_VERSION, dependencies=["ja-hello==1.0"])
    before = snapshot(offline, "hello")
    with pytest.raises(error, match=message):
        offline.add_dependency("hello", requirement)
    assert snapshot(offline, "hello") == before


def test_native_packages_allowed_when_the_tenant_says_so(offline):
    offline.save_draft("hello", "post-login", SHOW_VERSION)
    offline.configure("allow_native_dependencies", True)
    assert offline.add_dependency("hello", "ja-native").build.status == "built"


def test_dependency_count_limit(offline):
    offline.configure("max_dependencies", 1)
    offline.save_draft("hello", "post-login", SHOW_VERSION, dependencies=["ja-hello==1.0"])
    before = snapshot(offline, "hello")
    with pytest.raises(LimitExceeded):
        offline.add_dependency("hello", "ja-dep")
    assert snapshot(offline, "hello") == before


def test_a_failed_build_is_recorded_and_blocks_deploy(offline, wheelhouse, corrupt_wheelhouse):
    offline.configure("find_links", f"{wheelhouse} {corrupt_wheelhouse}")
    offline.save_draft("hello", "post-login", SHOW_VERSION)
    action = offline.add_dependency("hello", "ja-corrupt")
    assert action.build.status == "failed" and action.build.error
    with pytest.raises(ConflictError, match="must be in the 'built' state.*failed"):
        offline.deploy("hello")
    assert offline.versions("hello") == []


def test_saving_unchanged_dependencies_does_no_package_work(offline, monkeypatch):
    offline.save_draft("hello", "post-login", SHOW_VERSION, dependencies=["ja-hello==1.0"])
    from jupyter_actions import deps

    def no_lock(*args, **kwargs):
        raise AssertionError("an unchanged draft was locked again")

    monkeypatch.setattr(deps, "lock", no_lock)
    action, changed = offline.save_draft("hello", "post-login", SHOW_VERSION, dependencies=["ja-hello"])
    assert not changed and [str(d) for d in action.dependencies] == ["ja-hello==1.0"]
