"""The public API is small and explicit, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import jupyter_actions


def test_exported_members():
    assert sorted(jupyter_actions.__all__) == sorted([
        "ActionNotFound", "ActionsError", "CodeError", "ConflictError", "DependencyError", "ExecutionError",
        "InvalidInputError", "LimitExceeded", "MalformedInputError", "NotFoundError", "PayloadError", "SecretsError", "StoreError",
        "Tenant", "TriggerNotFound", "VersionNotFound", "__version__", "load_ipython_extension",
    ])
    for name in jupyter_actions.__all__:
        assert getattr(jupyter_actions, name) is not None


def test_every_error_derives_from_the_root():
    for name in jupyter_actions.__all__:
        value = getattr(jupyter_actions, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, jupyter_actions.ActionsError)


def test_import_and_help_do_not_load_heavy_packages():
    probe = (
        "import sys, jupyter_actions, jupyter_actions.cli as cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlalchemy', 'papermill', 'ipywidgets', 'httpx', 'cryptography', 'nbformat') if m in sys.modules]\n"
        "print('HEAVY:' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "HEAVY:"
