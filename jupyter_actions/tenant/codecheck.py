"""What a draft must satisfy before it is saved: name rules, compilable code, the handler."""

from __future__ import annotations

import ast
import re

from ..errors import CodeError, InvalidInputError

MAX_CODE_BYTES = 100 * 1024
_NAME = re.compile(r"^[a-z0-9_-]{1,100}$")


def check_action_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise InvalidInputError(
            f"invalid action name {name!r}: use 1 to 100 lowercase letters, digits, '-' or '_' "
            "(for example my-slack-action)"
        )
    return name


def check_code(name: str, code: str, handler: str) -> None:
    """Raise CodeError unless ``code`` is small enough, compiles and defines ``handler``."""
    size = len(code.encode())
    if size > MAX_CODE_BYTES:
        raise CodeError(
            f"the code of {name} is {size // 1024} kB; the limit is 100 kB: move data out of the "
            "code or into a dependency"
        )
    try:
        tree = ast.parse(code, filename=f"<action {name}>")
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else "unknown position"
        raise CodeError(f"syntax error in {name} at {where}: {exc.msg}") from None
    if handler not in _top_level_names(tree):
        raise CodeError(f"{name} does not define {handler}: add `async def {handler}(event, api):` at the top level")


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names
