"""The README and docs/ tell the truth: every pointer resolves, every command shown exists with
those flags, and the Python examples of docs/widgets.md run."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
FILE_MENTION = re.compile(r"`((?:docs|notebooks|jupyter_actions|tests|benchmarks)/[\w./-]*[\w/])`")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


def _anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as '-'."""
    headings = re.findall(r"^#+ (.+)$", FENCE.sub("", page.read_text(encoding="utf-8")), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_every_relative_link_and_file_mention_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(target)
    broken += [path for path in FILE_MENTION.findall(text) if not (ROOT / path).exists()]
    assert broken == [], f"{_page_id(page)} points to what does not exist"


def test_the_link_check_can_fail(tmp_path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n[a](missing.md) [b](#title) [c](#nope)\n")
    assert LINK.findall(page.read_text()) == ["missing.md", "#title", "#nope"]
    assert _anchors(page) == {"title"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps no public view of its subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _unknown_words(line: str) -> list[str]:
    """The words of a shown ``jupyter-actions ...`` line (a command, or a synopsis with
    ``[--flag X]`` and ``A|B``) that its parser does not know: a command, or an option."""
    from jupyter_actions.cli import build_parser

    parser = build_parser()
    line = line.split(" #")[0]
    words = line.split()[1:]
    while words and re.fullmatch(r"[a-z][a-z-]*", words[0]) and (subcommands := _subcommands(parser)):
        word = words.pop(0)
        if word not in subcommands:
            return [word]
        parser = subcommands[word]
    known = {option for action in parser._actions for option in action.option_strings}
    return [flag for flag in re.findall(r"(?<![\w-])--[a-z][\w-]*", " ".join(words)) if flag not in known]


def _shown_commands() -> list[tuple[str, str]]:
    """Every ``jupyter-actions ...`` line of a code block, and every inline code span that is one."""
    shown = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        lines = [line for _lang, block in FENCE.findall(text) for line in block.splitlines()]
        lines += re.findall(r"`(jupyter-actions [^`]+)`", FENCE.sub("", text))
        for line in lines:
            for part in re.split(r" && | ; | \| (?=jupyter-actions)", line.rstrip("\\ ")):
                part = part.strip()
                if part.startswith("jupyter-actions "):
                    shown.append((_page_id(page), part))
    return shown


@pytest.mark.parametrize(("page", "line"), _shown_commands())
def test_every_command_shown_exists_with_those_flags(page: str, line: str) -> None:
    assert _unknown_words(line) == []


def test_the_command_check_can_fail() -> None:
    assert _unknown_words("jupyter-actions templates use login-counter --nmae x") == ["--nmae"]
    assert _unknown_words("jupyter-actions tempaltes list") == ["tempaltes"]
    assert _unknown_words("jupyter-actions templates show ID [--code | --jsn]") == ["--jsn"]


def _python_blocks(page: str) -> list[str]:
    return [block for lang, block in FENCE.findall((ROOT / page).read_text(encoding="utf-8")) if lang == "python"]


def test_the_widgets_examples_run(tenant) -> None:
    """docs/widgets.md opens every panel on ``geo-block`` and the post-login flow."""
    tenant.save_draft("geo-block", "post-login", "async def on_execute_post_login(event, api):\n    pass\n")
    blocks = _python_blocks("docs/widgets.md")
    assert blocks
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "docs/widgets.md", "exec"), namespace)  # our own docs
        namespace["tenant"].close()
