"""The public API is small and explicit, and importing it stays light."""

from __future__ import annotations
import __future__

import inspect
import subprocess
import sys
import types
import typing
from pathlib import Path

import jupyter_actions
from jupyter_actions import errors


def public_names_defined() -> set[str]:
    """Every public name the package module binds itself or offers lazily (its submodules,
    bound as attributes by the imports, and the ``__future__`` feature are not API)."""
    return {
        name
        for name in dir(jupyter_actions)
        if not name.startswith("_")
        and not isinstance(getattr(jupyter_actions, name), (types.ModuleType, __future__._Feature))
    }


def test_all_lists_every_public_name_and_each_resolves():
    assert set(jupyter_actions.__all__) - {"__version__"} == public_names_defined()
    assert len(jupyter_actions.__all__) == len(set(jupyter_actions.__all__))
    for name in jupyter_actions.__all__:
        assert getattr(jupyter_actions, name) is not None


def test_every_error_class_is_exported():
    defined = {name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, Exception)}
    assert defined <= set(jupyter_actions.__all__)


def test_every_type_a_tenant_method_returns_is_exported():
    from jupyter_actions import Tenant

    returned = set()
    for name, method in inspect.getmembers(Tenant, inspect.isfunction):
        if name.startswith("_"):
            continue
        hint = typing.get_type_hints(method).get("return")
        pending = [hint]
        while pending:
            item = pending.pop()
            pending.extend(typing.get_args(item))
            origin = typing.get_origin(item) or item
            if isinstance(origin, type) and origin.__module__.startswith("jupyter_actions"):
                returned.add(origin.__name__)
    assert {"Execution", "TestCase", "CaseResult", "Action"} <= returned  # the check looks where it should
    assert returned <= set(jupyter_actions.__all__)


def test_the_package_is_typed():
    assert (Path(jupyter_actions.__file__).parent / "py.typed").is_file()


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
