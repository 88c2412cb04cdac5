"""``%%action NAME --trigger T [--secret NAME]... [--dependency PKG]...``: Save Draft from a cell."""

from __future__ import annotations

from jupyter_actions.magics._panel import ActionPanel

from .conftest import CODE


def test_running_the_cell_saves_the_draft_and_shows_the_panel(saved, tenant) -> None:
    assert isinstance(saved, ActionPanel) and saved.changed is True
    action = tenant.get_action("greet")
    assert action.code == CODE and action.trigger_id == "post-login"
    text = saved.as_text()
    assert "greet: draft saved" in text
    assert "draft only" in text
    assert "%action test greet" in text


def test_rerunning_an_unchanged_cell_changes_nothing(saved, cell, tenant) -> None:
    before = tenant.get_action("greet")
    again = cell(f"%%action greet --trigger post-login\n{CODE}")
    assert again.changed is False and "draft unchanged" in again.as_text()
    assert tenant.get_action("greet").updated_at == before.updated_at


def test_secrets_are_declared_and_shown_as_set_or_missing_never_values(cell, tenant) -> None:
    panel = cell(f"%%action greet --trigger post-login --secret API_KEY --secret OTHER\n{CODE}")
    assert [s.name for s in tenant.list_secrets("greet")] == ["API_KEY", "OTHER"]
    tenant.set_secret("greet", "API_KEY", "k-123-value")
    panel = cell(f"%%action greet --trigger post-login --secret API_KEY --secret OTHER\n{CODE}")
    text = panel.as_text() + panel.as_html()
    assert "API_KEY (set)" in text and "OTHER (missing)" in text
    assert "k-123-value" not in text


def test_dependencies_are_pinned_built_and_shown_with_their_build_status(offline_index, cell, tenant) -> None:
    line = "%%action greet --trigger post-login --dependency ja-hello"
    panel = cell(f"{line}\n{CODE}")
    assert [str(d) for d in tenant.get_action("greet").dependencies] == ["ja-hello==2.0"]  # the latest, pinned
    assert "ja-hello==2.0" in panel.as_text() and "(build: built)" in panel.as_text()
    assert cell(f"{line}\n{CODE}").changed is False  # the pin stays; nothing changes


def test_a_syntax_error_points_at_the_line_in_the_cell(usage_error, tenant) -> None:
    message = usage_error(
        "%%action greet --trigger post-login\nasync def on_execute_post_login(event, api):\n    retrun 1 2\n"
    )
    assert "syntax error" in message
    assert "(cell line 3: retrun 1 2)" in message
    assert tenant.list_actions() == []


def test_a_missing_handler_is_refused(usage_error) -> None:
    assert "on_execute_post_login" in usage_error("%%action greet --trigger post-login\nx = 1\n")


def test_the_magic_line_is_not_expanded(ip, usage_error) -> None:
    ip.user_ns["name"] = "OTHER"
    message = usage_error(f"%%action greet --trigger post-login --secret TOKEN_{{name}}\n{CODE}")
    assert "invalid secret name 'TOKEN_{name}'" in message
