"""What an action's code may do, read from its syntax tree when the draft is saved.

``may_use_cache`` decides whether a batch may run the action's events in parallel: writes to
``api.cache`` must be seen in order, so any code that could reach it runs in order. The answer
errs towards True (ordered is slower, never wrong). Standard library only: the store's
migrations use it too.
"""

from __future__ import annotations

import ast
import sys
from typing import TypeGuard

# Names that reach attributes, frames or live objects by a computed name, or code outside the tree.
_REACHING = frozenset(
    {
        "getattr",
        "setattr",
        "delattr",
        "vars",
        "globals",
        "locals",
        "eval",
        "exec",
        "compile",
        "__import__",
        "attrgetter",
        "methodcaller",
        "getmembers",
        "getattr_static",
        "importlib",
        "gc",
        "inspect",
        "ctypes",
        "builtins",
        "__builtins__",
        "get_field",
        "_getframe",
        "f_back",
        "f_locals",
        "f_globals",
        "f_builtins",
        "tb_frame",
        "gi_frame",
        "cr_frame",
        "ag_frame",
    }
)
_NAMED_ACCESS = frozenset({"getattr", "setattr", "delattr"})  # harmless with a constant attribute name
_PLAIN_DUNDERS = frozenset({"__name__", "__doc__", "__qualname__", "__module__", "__init__", "__class__"})
_RUNTIME_MODULES = frozenset({"httpx", "orjson"})  # provided by the runtime, never handed `api`


def may_use_cache(code: str) -> bool:
    """Whether ``code`` may reach ``api.cache``; True for code that does not parse."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    safe_calls = {id(node.func) for node in ast.walk(tree) if _is_constant_named_access(node)}
    return any(_mentions_cache(node) or _reaches(node, safe_calls) for node in ast.walk(tree))


def _mentions_cache(node: ast.AST) -> bool:
    """Any identifier, attribute, import or text constant containing "cache", in any case."""
    for _, value in ast.iter_fields(node):
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, bytes):
                text = text.decode("latin-1")
            if isinstance(text, str) and "cache" in text.casefold():
                return True
    return False


def _reaches(node: ast.AST, safe_calls: set[int]) -> bool:
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = node.id if isinstance(node, ast.Name) else node.attr
        return id(node) not in safe_calls and (name in _REACHING or _is_dunder(name))
    if isinstance(node, ast.alias):
        return node.name.rpartition(".")[2] in _REACHING or _is_dunder(node.name)
    if isinstance(node, ast.Import):
        return any(_outside(alias.name) for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or _outside(node.module or "")
    return False


def _is_constant_named_access(node: ast.AST) -> TypeGuard[ast.Call]:
    """``getattr(obj, "name")`` and the like: the attribute is in the tree as text."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _NAMED_ACCESS
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
        and not any(isinstance(arg, ast.Starred) for arg in node.args)
        and not node.keywords
    )


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and name not in _PLAIN_DUNDERS


def _outside(module: str) -> bool:
    """A module whose code is not in this tree and might be handed ``api``."""
    top = module.partition(".")[0]
    return (top not in sys.stdlib_module_names and top not in _RUNTIME_MODULES) or top in _REACHING
