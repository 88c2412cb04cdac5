"""The panel's buttons run %action test / deploy / versions and show the result below it."""

from __future__ import annotations

import pytest

from jupyter_actions.magics._panel import WIDGET_VIEW


@pytest.fixture
def widget(saved):
    return saved.widget()


def _buttons(widget) -> dict:
    return {button.description: button for button in widget.children[1].children}


def _shown(widget) -> str:
    return "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in widget.children[2].outputs)


def test_the_panel_is_a_widget_with_text_and_html_for_headless_runs(saved) -> None:
    bundle = saved._repr_mimebundle_()
    assert bundle["text/plain"] == saved.as_text()
    assert "<table>" in bundle["text/html"]
    assert bundle[WIDGET_VIEW]["model_id"] == saved.widget().model_id
    assert list(_buttons(saved.widget())) == ["Test", "Deploy", "History", "Secrets", "Dependencies"]


def test_test_button_shows_the_execution(widget) -> None:
    _buttons(widget)["Test"].click()
    assert "outcome: ALLOWED" in _shown(widget)


def test_deploy_button_deploys_and_refreshes_the_header(saved, widget, tenant) -> None:
    _buttons(widget)["Deploy"].click()
    assert "deployed greet version 1" in _shown(widget)
    assert tenant.get_action("greet").deployed_version.number == 1
    assert ">v1<" in widget.children[0].value and saved.action.deployed_version.number == 1

    _buttons(widget)["History"].click()
    assert "Version history of greet" in _shown(widget)


def test_a_failing_button_shows_one_line(saved, widget, tenant) -> None:
    tenant.delete_action("greet")
    _buttons(widget)["Deploy"].click()
    assert _shown(widget).startswith("UsageError: action 'greet' does not exist")
