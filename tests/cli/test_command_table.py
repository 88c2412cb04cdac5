"""The command table builds both front ends: every command and flag it lists for a front end is
in that front end's help, and none it keeps from a front end is."""

from __future__ import annotations

import argparse

import pytest
from IPython.core.error import UsageError

from jupyter_actions.cli import build_parser, main
from jupyter_actions.frontends import commands
from jupyter_actions.magics import _commands as magic_commands


def _subparser(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> argparse.ArgumentParser:
    for word in words:
        choices = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
        parser = choices[word]
    return parser


PARSERS = {
    commands.CLI: lambda: build_parser(),
    commands.LINE: lambda: magic_commands.build_parser(),
    commands.CELL: lambda: magic_commands.build_cell_parser(),
}


def _help(front_end: str, row: commands.Command) -> str:
    return _subparser(PARSERS[front_end](), row.names[front_end]).format_help()


def _shown(argument: commands.Argument, front_end: str) -> tuple[str, ...]:
    """How the argument appears in a help: its flags, or a positional's metavar (else its name)."""
    if argument.flags[0].startswith("-"):
        return argument.flags
    metavar = commands.worded(argument.options.get("metavar"), front_end)
    return (metavar if isinstance(metavar, str) else argument.dest,)


@pytest.mark.parametrize("row", commands.COMMANDS, ids=lambda row: row.key)
def test_each_front_end_shows_the_commands_and_flags_the_table_gives_it(row: commands.Command) -> None:
    assert row.names, f"{row.key} is in no front end"
    for front_end in row.names:
        text = _help(front_end, row)
        if row.names[front_end]:  # listed with its help by the parser above it
            above = _subparser(PARSERS[front_end](), row.names[front_end][:-1]).format_help()
            assert commands.worded(row.help, front_end)[:20] in " ".join(above.split())
        for argument in row.arguments:
            for shown in _shown(argument, front_end):
                if argument.in_front_end(front_end):
                    assert shown in text, f"{front_end} {row.key}: {shown} missing"
                elif argument.flags[0].startswith("-"):
                    assert f"{shown} " not in text and not text.rstrip().endswith(shown), (
                        f"{front_end} {row.key}: {shown} belongs to {argument.only} only"
                    )


def test_every_command_of_a_front_end_is_in_its_overview() -> None:
    cli = build_parser().format_help()
    line = magic_commands.full_help(magic_commands.build_parser())
    for row in commands.commands_in(commands.CLI):
        assert row.names[commands.CLI][0] in cli
    for row in commands.commands_in(commands.LINE):
        assert f"%action {' '.join(row.names[commands.LINE])}" in line


def test_the_notebook_help_names_magics_and_the_cli_help_names_the_cli() -> None:
    save = commands.BY_KEY["save"]
    assert "`jupyter-actions secrets set ACTION NAME`" in _help(commands.CLI, save)
    cell = _help(commands.CELL, save)
    assert "`%action secret ACTION NAME`" in cell and "jupyter-actions" not in cell
    notebook_run = _help(commands.CLI, commands.BY_KEY["notebook run"])
    assert "%action secret ACTION NAME --from-env VAR" in " ".join(notebook_run.split())
    assert "%%" not in notebook_run


def test_test_cases_and_save_case_together_are_a_usage_error_in_both_front_ends(capsys) -> None:
    assert main(["test", "greet", "--cases", "--save-case", "x"]) == 2
    assert "argument --save-case: not allowed with argument --cases" in capsys.readouterr().err
    with pytest.raises(UsageError, match="argument --save-case: not allowed with argument --cases"):
        magic_commands.build_parser().parse_known_args(["test", "greet", "--cases", "--save-case", "x"])


def test_a_bad_version_reference_is_the_same_usage_error_in_both_front_ends(capsys) -> None:
    assert main(["diff", "greet", "latest"]) == 2
    assert "argument old: 'latest' is not a version: give a number such as 2, or 'draft'" in capsys.readouterr().err
    with pytest.raises(UsageError, match="argument old: 'latest' is not a version"):
        magic_commands.build_parser().parse_known_args(["diff", "greet", "latest"])


def test_every_handler_belongs_to_a_command_of_its_front_end() -> None:
    from jupyter_actions.cli import COMMAND_MODULES

    cli_keys = {key for module in COMMAND_MODULES for key in module.HANDLERS}
    assert cli_keys == {row.key for row in commands.commands_in(commands.CLI)}
    assert set(magic_commands.HANDLERS) == {row.key for row in commands.commands_in(commands.LINE)}
