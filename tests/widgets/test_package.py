"""The package stays light: importing it does not import ipywidgets."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_package_does_not_import_ipywidgets():
    code = "import sys, jupyter_actions.widgets; print('ipywidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_the_constructors_are_the_public_names():
    import jupyter_actions.widgets as package

    assert package.__all__ == [
        "dependencies_panel",
        "flow_editor",
        "history_panel",
        "logs_panel",
        "replay_report",
        "secrets_panel",
        "test_panel",
    ]
    assert all(callable(getattr(package, name)) for name in package.__all__)
