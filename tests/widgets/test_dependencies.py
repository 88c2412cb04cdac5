"""Dependencies panel, offline from the wheelhouse the deps tests build."""

from __future__ import annotations

import pytest

from jupyter_actions.widgets import _dependencies, dependencies_panel, history_panel
from tests.waiting import wait_until

from .conftest import plain

CODE = "async def on_execute_post_login(event, api):\n    pass\n"


@pytest.fixture(autouse=True)
def action(offline) -> str:
    offline.save_draft("deps", "post-login", CODE)
    return "deps"


@pytest.mark.slow
def test_add_pin_and_remove(offline):
    panel = dependencies_panel(offline, "deps")
    assert "no dependencies" in plain(panel.listing.value) and "built" in plain(panel.build.value)

    panel.requirement.value = "ja-hello==1.0"
    panel.add_button.click()
    assert [str(d) for d in offline.dependencies("deps")] == ["ja-hello==1.0"]
    assert "ja-hello1.0" in plain(panel.listing.value).replace(" ", "")
    assert panel.requirement.value == "" and "added ja-hello==1.0" in plain(panel.message.value)

    panel.requirement.value = "JA_Hello"  # no version: the latest, pinned
    panel.add_button.click()
    assert [str(d) for d in offline.dependencies("deps")] == ["ja-hello==2.0"]
    assert "2.0" in plain(panel.listing.value) and "built" in plain(panel.build.value)

    panel.chosen.value = "ja-hello"
    panel.remove_button.click()
    assert offline.dependencies("deps") == () and panel.chosen.options == ()
    assert "removed ja-hello" in plain(panel.message.value)


@pytest.mark.parametrize(
    "requirement, message",
    [
        ("requests>=2", "is a version range"),
        ("ja-native", "native"),
        ("nopkg", "was not found"),
    ],
)
def test_refusals_show_the_tenant_error_and_store_nothing(offline, requirement, message):
    panel = dependencies_panel(offline, "deps")
    panel.requirement.value = requirement
    panel.add_button.click()
    assert "error" in panel.message.value and message in plain(panel.message.value)
    assert offline.dependencies("deps") == () and panel.requirement.value == requirement


def test_a_failed_build_shows_the_reason(offline, wheelhouse, corrupt_wheelhouse):
    offline.configure("find_links", f"{wheelhouse} {corrupt_wheelhouse}")
    panel = dependencies_panel(offline, "deps")
    panel.requirement.value = "ja-corrupt"
    panel.add_button.click()
    assert panel.status == "failed"
    assert "failed" in plain(panel.build.value) and offline.get_action("deps").build.error[:30] in panel.build.value


def test_the_status_is_polled_until_the_build_settles(offline, monkeypatch):
    statuses = iter(["building", "building", "built"])
    monkeypatch.setattr(offline, "dependency_status", lambda action: next(statuses))
    monkeypatch.setattr(_dependencies, "POLL_SECONDS", 0.05)
    panel = dependencies_panel(offline, "deps")
    assert "building" in plain(panel.build.value)
    wait_until(lambda: panel._timer is None and "built" in plain(panel.build.value), 10, "the settled status")
    panel.close()


def test_the_history_lists_and_diffs_the_pins(offline):
    offline.add_dependency("deps", "ja-hello==1.0")
    offline.deploy("deps")
    offline.add_dependency("deps", "ja-hello==2.0")
    offline.deploy("deps")
    panel = history_panel(offline, "deps")
    assert "ja-hello==2.0" in plain(panel.listing.value) and "ja-hello==1.0" in plain(panel.listing.value)
    panel.old.value, panel.new.value = 1, 2
    panel.compare_button.click()
    assert "Codev1 and v2 are identical" in plain(panel.diff.value)
    assert "Dependencies" in panel.diff.value and 'ja-hello==<span class="diff_chg">1</span>.0' in panel.diff.value


@pytest.mark.slow
def test_restore_into_the_draft_brings_back_the_pins(offline):
    offline.add_dependency("deps", "ja-hello==1.0")
    offline.deploy("deps")
    offline.add_dependency("deps", "ja-hello==2.0")
    panel = history_panel(offline, "deps")
    panel.chosen.value = 1
    panel.restore_button.click()
    panel.confirmation.confirm_button.click()
    assert [str(d) for d in offline.dependencies("deps")] == ["ja-hello==1.0"]
    assert offline.get_action("deps").build.status == "built"
