"""`may_use_cache`: every way code could reach `api.cache` counts, plain code does not."""

from __future__ import annotations

import pytest

from jupyter_actions._code_flags import may_use_cache

HANDLER = "async def on_execute_post_login(event, api):\n"


def body(*lines: str) -> str:
    return HANDLER + "".join(f"    {line}\n" for line in lines)


@pytest.mark.parametrize(
    "code",
    [
        body("api.cache.set('k', 'v')"),
        body("c = api.cache", "c.get('k')"),
        body("getattr(api, 'cache').set('k', 'v')"),
        body("getattr(api, 'CACHE'.lower()).set('k', 'v')"),
        body("getattr(api, 'ca' 'che')"),  # one constant after parsing
        body("getattr(api, '\\x63ache')"),  # an escape in the constant
        body("api.ｃache.set('k', 'v')"),  # NFKC-normalised identifier
        body("getattr(api, 'ca' + 'che')"),  # computed name
        body("getattr(api, ''.join(['c', 'a', 'c', 'h', 'e']))"),
        body("n = chr(99) + 'ache'", "getattr(api, n)"),
        body("getattr(api, f\"ca{'che'}\")"),
        body("g = getattr", "g(api, 'x')"),  # getattr passed around
        body("setattr(api, name, 1)"),
        body("api.__getattribute__('x')"),
        body("type(api).__dict__"),
        body("vars(api)"),
        body("api.__getstate__()"),
        body("api.__reduce_ex__(2)"),
        body("eval('api.x')"),
        body("exec('pass')"),
        body("compile('x', 'f', 'exec')"),
        body("__import__('os')"),
        body("globals()"),
        body("import operator", "operator.attrgetter(n)(api)"),
        body("from operator import attrgetter as a", "a(n)(api)"),
        body("import importlib"),
        body("from importlib import import_module"),
        body("import gc", "gc.get_objects()"),
        body("import inspect", "inspect.getmembers(api)"),
        body("import sys", "sys._getframe(0).f_locals"),
        body("import builtins", "builtins.getattr(api, n)"),
        body("__builtins__['getattr']"),
        body("import string", "string.Formatter().get_field('0.x', [api], {})"),
        body("import slack_sdk", "slack_sdk.helper(api)"),  # code outside the tree, handed api
        body("from mylib.sub import run", "run(api)"),
        body("from . import sibling"),
        body("match api:", "    case object(cache=c): pass"),
        body("x = b'cache'"),
        body("x = 'use the Cache'"),
        "def cache(): pass\n" + body("pass"),
        "async def on_execute_post_login(event, api, cache=None):\n    pass\n",
        body("def (:"),
        "x = '\0'",
    ],
)
def test_code_that_may_reach_the_cache(code):
    assert may_use_cache(code) is True


@pytest.mark.parametrize(
    "code",
    [
        body("pass"),
        body("api.access.deny('no')"),
        body("api.id_token.set_custom_claim('https://x/e', event.user.email)"),
        body("if getattr(event.user, 'email', None): api.access.deny('x')"),  # constant attribute name
        body("import json, re, hashlib", "json.dumps({})"),
        body("import httpx", "httpx.get('https://example.com')"),
        body("import orjson"),
        body("print(__name__, type(api).__name__)"),
        "class Helper:\n    def __init__(self):\n        super().__init__()\n" + body("Helper()"),
    ],
)
def test_code_that_cannot(code):
    assert may_use_cache(code) is False
