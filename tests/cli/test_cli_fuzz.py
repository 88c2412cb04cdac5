"""2,000 generated argument vectors through the CLI's main function, in this process: each ends
with status 0, 1 or 2, and a failure is one ``error: ...`` line; no internal error, no traceback.

The vocabulary is the real parser's commands and options, values that break things (huge and
negative numbers, NaN, non-UTF-8 text, bad URLs) and files that break the decoding policy. No
command in it can start a worker (no action can be saved: every code file is broken), so
thousands of vectors fit in the default test selection.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jupyter_actions.cli import build_parser, main
from jupyter_actions.store.settings import SETTINGS
from jupyter_actions.triggers import TRIGGER_IDS, get_trigger

SKIPPED = {"doctor", "notebook", "serve"}  # they start a worker, a kernel or a server whatever the arguments
GLOBAL = {"help", "tenant", "database_url"}  # every command has them: drawn for one vector in five


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """Each command: its words, its positionals and its options (flag, takes a value, choices)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if name not in SKIPPED:
                    yield from _leaves(child, (*path, name))
            return
    positionals = tuple(a for a in parser._actions if not a.option_strings)
    options = tuple(
        (a.option_strings[-1], a.nargs != 0, tuple(a.choices or ()))
        for a in parser._actions
        if a.option_strings and a.dest not in GLOBAL
    )
    yield path, positionals, options


COMMANDS = tuple(_leaves(build_parser()))
HUGE = "99999999999999999999"
WORDS = [
    "",
    "-",
    "--",
    "a",
    "ghost",
    "Bad Name",
    "x" * 300,
    "0",
    "-1",
    "1",
    "2147483648",
    HUGE,
    "-" + HUGE,
    "1e309",
    "nan",
    "inf",
    "-inf",
    "1.5",
    "draft",
    "v1",
    "ghost@draft",
    "ghost@" + HUGE,
    "@",
    "7d",
    "-5m",
    "1e999d",
    "caf\udce9",
    "\udcff",
    "é",
    "null",
    "{}",
    "[]",
    "--json",
    "-h",
    "deny",
    "papermill",
    "inline",
    "garbage",
    "foo://x",
    "mysql://u@h/db",
    "postgresql+nosuch://h/db",
    "sqlite:///:memory:",
    *TRIGGER_IDS[:3],
    *list(SETTINGS)[:8],
    "true",
    "strict",
    "443,80",
    "block-disposable-email",
]


@pytest.fixture
def files(tmp_path):
    sample = get_trigger("post-login").sample_payload()
    contents = {
        "sample.json": json.dumps(sample).encode(),
        "null.json": b"null",
        "array.json": b"[1, 2]",
        "nan.json": json.dumps({**sample, "x": "@"}).replace('"@"', "NaN").encode(),
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "digits.json": b'{"n": ' + b"7" * 5000 + b"}",
        "surrogate.json": b'{"s": "\\ud800"}',
        "latin1.json": b'{"name": "caf\xe9"}',
        "empty.json": b"",
        "events.jsonl": json.dumps(sample).encode() + b"\n{broken\n\xff\xfe\n",
        "syntax.py": b"async def on_execute_post_login(event, api):\n    return (\n",
        "nohandler.py": b"def something_else(event, api):\n    pass\n",
        "latin1.py": b"# caf\xe9\nasync def on_execute_post_login(event, api):\n    pass\n",
    }
    for name, data in contents.items():
        (tmp_path / name).write_bytes(data)
    return [str(tmp_path / name) for name in contents] + [
        str(tmp_path),
        str(tmp_path / "missing.json"),
        f"sqlite:///{tmp_path}/other.db",
    ]


def argv_strategy(paths: list[str]):
    tokens = st.sampled_from(WORDS) | st.sampled_from(paths) | st.text(max_size=10)

    def value(choices: tuple) -> st.SearchStrategy[str]:
        return st.sampled_from(choices) | tokens if choices else tokens

    @st.composite
    def well_formed(draw) -> list[str]:
        """A command with each positional and some options filled in: it reaches the command."""
        path, positionals, options = draw(st.sampled_from(COMMANDS))
        words = list(path)
        for positional in positionals:
            words.append(draw(value(tuple(positional.choices or ()))))
        for flag, takes_value, choices in options:
            if draw(st.integers(0, 2)) == 0:
                words += [flag, draw(value(choices))] if takes_value else [flag]
        return words

    @st.composite
    def chaos(draw) -> list[str]:
        path, _, options = draw(st.sampled_from(COMMANDS))
        words = list(path)
        for _ in range(draw(st.integers(0, 5))):
            if options and draw(st.booleans()):
                words.append(draw(st.sampled_from(options))[0])
            words.append(draw(tokens))
        return words

    @st.composite
    def argv(draw) -> list[str]:
        words = draw(well_formed() if draw(st.integers(0, 3)) else chaos())
        if draw(st.integers(0, 4)) == 0:
            words = [draw(st.sampled_from(["--tenant", "--database-url"])), draw(tokens), *words]
        return words

    return argv()


VECTORS_PER_EXAMPLE = 10


@pytest.mark.slow
@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_generated_argument_vectors_end_in_one_line_at_most(files, data):
    for _ in range(VECTORS_PER_EXAMPLE):
        argv = data.draw(argv_strategy(files))
        stdin = data.draw(st.binary(max_size=12) | st.just(b"s3cret-value\n"))
        status, out, err = run_main(argv, stdin)
        assert status in (0, 1, 2), (argv, status, err)
        assert "Traceback" not in err + out and "internal error" not in err, (argv, err)
        if status:
            assert err.count("\n") == 1 and err.startswith("error: "), (argv, err)
        else:
            assert err == "", (argv, err)


def run_main(argv: list[str], stdin: bytes) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    finally:
        sys.stdin = saved
    return status, out.getvalue(), err.getvalue()
