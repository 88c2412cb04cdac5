"""``%%action_module``, ``%%action --module``, ``%action module-secret`` and ``%action modules ...``."""

from __future__ import annotations

import pytest

VALUE = "magic-module-Secret-5150"
MODULE = 'def badge():\n    return "vip-" + actions.secrets.SALT[:4]\n'
ACTION = """\
from actions_modules import badges

async def on_execute_post_login(event, api):
    api.id_token.set_custom_claim("badge", badges.badge())
"""


@pytest.fixture
def module(cell, monkeypatch):
    monkeypatch.setenv("BADGE_SALT", VALUE)
    saved = cell(f"%%action_module badges --secret SALT\n{MODULE}")
    cell("%action module-secret badges SALT --from-env BADGE_SALT")
    return saved


def test_a_module_from_cells_to_a_deployed_action(cell, module, tenant) -> None:
    assert module.name == "badges" and [s.name for s in module.secrets] == ["SALT"]
    version = cell("%action modules deploy badges --message first")
    assert version.number == 1 and version.message == "first"
    panel = cell(f"%%action badger --trigger post-login --module badges\n{ACTION}")
    assert [str(m) for m in panel.action.modules] == ["badges@1"]
    assert tenant.test("badger").outcome["id_token_claims"] == {"badge": "vip-magi"}
    assert [v.number for v in cell("%action modules versions badges")] == [1]
    assert [m.name for m in cell("%action modules list")] == ["badges"]
    assert cell("%action modules show badges --version 1").code == MODULE
    assert cell("%action modules show badges").actions_using_module_total == 1


def test_refusals_are_one_line_usage_errors(cell, module, usage_error, tenant) -> None:
    assert usage_error(f"%%action_module badges --secret SALT={VALUE}\n{MODULE}").startswith(
        "secret values are never written in a notebook"
    )
    assert usage_error(f"%%action badger --trigger post-login --module badges\n{ACTION}").startswith(
        "module badges has no version yet: deploy it"
    )
    assert usage_error("%%action_module wrapper\nfrom actions_modules import badges\n").startswith(
        "module wrapper imports actions_modules (badges): a module cannot import other modules"
    )
    assert usage_error("%action module-secret nope SALT --from-env BADGE_SALT") == (
        "module 'nope' does not exist: list modules with `%action modules list`"
    )
    assert tenant.module_versions("badges") == []


def test_module_secret_headless_keeps_the_value_set_before(cell, module, tenant) -> None:
    kept = cell("%action module-secret badges SALT")  # no kernel, no terminal: no prompt possible
    assert kept.is_set and kept.name == "SALT"
