"""What action code imports Actions Modules from, and the module name rule (docs/modules.md).

Standard library only: the template gallery checks its manifests with it without loading the
tenant.
"""

from __future__ import annotations

import ast
import re

from .errors import CodeError, InvalidInputError

PACKAGE = "actions_modules"
"""What action code imports modules from: ``from actions_modules import NAME``."""
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,99}$")


def check_module_name(name: object) -> str:
    """A module name is what action code writes after ``from actions_modules import``, so it
    must be a Python identifier."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidInputError(
            f"invalid module name {name!r}: use 1 to 100 lowercase letters, digits or '_', not starting "
            "with a digit, so that actions can write `from actions_modules import NAME` (for example slack_notify)"
        )
    return name


def imported_modules(code: str, filename: str) -> set[str]:
    """The module names that ``code`` imports from ``actions_modules`` (every spelling)."""
    try:
        tree = ast.parse(code, filename=filename)
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else "unknown position"
        raise CodeError(f"syntax error in {filename} at {where}: {exc.msg}") from None
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == PACKAGE:
                found.update(alias.name for alias in node.names)
            elif node.module.startswith(PACKAGE + "."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    found.add(alias.name.partition(".")[2] or "*")
    return found
