"""Actions Modules inside a worker: ``from actions_modules import NAME`` in action code.

The worker loads the module versions its action is pinned to before the action's own
module-level code runs, each into a module object of its own whose global ``actions`` reads
the module's secrets (``actions.secrets.API_KEY``, as Auth0's pseudo-global
``actions.secrets``). They are registered under ``actions_modules`` only once all have run, and
a finder answers every other name under it with a one-line ImportError: a module cannot import
another module, and an action imports only the modules it declares.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from .tracebacks import register_source

PACKAGE = "actions_modules"


def module_filename(name: str) -> str:
    return f"<module {name}>"


class _Finder(importlib.abc.MetaPathFinder):
    """Refuses, with the reason, what is not a loaded module of the action."""

    def __init__(self, action: str) -> None:
        self.action = action
        self.loading: str | None = None

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname != PACKAGE and not fullname.startswith(PACKAGE + "."):
            return None
        if self.loading is not None:
            raise ImportError(
                f"module {self.loading} imports {fullname}: a module cannot import other modules", name=fullname
            )
        wanted = fullname.partition(".")[2] or fullname
        raise ImportError(
            f"the action {self.action!r} does not declare the module {wanted!r}: save it with --module {wanted}",
            name=fullname,
        )


def register(sources: Sequence[dict]) -> list[tuple[str, tuple]]:
    """The (filename, linecache entry) of each module, so that tracebacks show its lines."""
    return [(module_filename(s["name"]), register_source(module_filename(s["name"]), s["code"])) for s in sources]


def install(action: str, sources: Sequence[dict]) -> None:
    """Run each module's code and register it under ``actions_modules``. An error in a
    module's code propagates: it is the action's load error."""
    from ..triggers._event import EventView

    finder = _Finder(action)
    sys.meta_path.insert(0, finder)
    package = ModuleType(PACKAGE, "The Actions Modules this action declares.")
    package.__path__ = []
    loaded: dict[str, ModuleType] = {}
    for source in sources:
        name = source["name"]
        filename = module_filename(name)
        module = ModuleType(f"{PACKAGE}.{name}")
        module.__dict__["actions"] = EventView({"secrets": dict(source["secrets"])}, "actions")
        finder.loading = name
        try:
            exec(compile(source["code"], filename, "exec", dont_inherit=True), module.__dict__)  # noqa: S102 - module code, in the action's sandboxed worker
        finally:
            finder.loading = None
        loaded[name] = module
    for name, module in loaded.items():
        sys.modules[module.__name__] = module
        setattr(package, name, module)
    sys.modules[PACKAGE] = package
