"""``%action SUBCOMMAND ...``: one small function per subcommand; the parser comes from the
command table (jupyter_actions/frontends/commands.py), which the CLI is built from too.

Every function decides nothing that belongs to the tenant: it calls the `Tenant` API and returns the
result (a model object, a ``Listing`` of them, an ``ActionPanel``), which the notebook shows and
can assert on.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser
from IPython.utils.text import dedent

from .. import _json_input as json_input
from ..frontends import commands
from ..frontends.cells import template_cell
from . import _display
from ._panel import ActionPanel
from ._secrets import INLINE_VALUE_REFUSED, prompt_for_value, value_from_env


class Context:
    """What a subcommand may use: the tenant, the shell (user namespace, next input), ``run``."""

    def __init__(self, shell: Any, tenant: Callable[[], Any], run: Callable[[str], Any]) -> None:
        self.shell = shell
        self._tenant = tenant
        self.run = run

    @property
    def tenant(self) -> Any:
        return self._tenant()

    def json_input(self, reference: str, option: str) -> dict[str, Any]:
        """A variable of the notebook (a dict, or JSON text) or a JSON file, holding a JSON
        object that the decoding policy accepts (docs/input.md)."""
        subject = f"{option} {reference}"
        if reference in self.shell.user_ns:
            value = self.shell.user_ns[reference]
            if isinstance(value, (str, bytes)):
                return json_input.load_object(value, subject)
            return json_input.check_object(value, subject)
        path = Path(reference).expanduser()
        if not path.is_file():
            raise UsageError(f"{subject}: there is no variable or file of that name")
        try:
            data = json_input.read_document(path)
        except OSError as exc:
            raise UsageError(f"{subject}: cannot read the file: {exc.strerror}") from None
        return json_input.load_object(data, subject)

    def execution_id(self, reference: str) -> str:
        """An execution id, or the id of the Execution that a notebook variable of that name holds."""
        held = getattr(self.shell.user_ns.get(reference), "id", None)
        return held if isinstance(held, str) else reference


# Subcommands ----------------------------------------------------------------------------------
def _list(ctx: Context, args: argparse.Namespace) -> Any:
    return _display.actions_listing(ctx.tenant.list_actions(args.trigger))


def _show(ctx: Context, args: argparse.Namespace) -> ActionPanel:
    return _panel(ctx, args.name)


def _panel(ctx: Context, name: str) -> ActionPanel:
    return ActionPanel(ctx.tenant.get_action(name), ctx.run)


def _test(ctx: Context, args: argparse.Namespace) -> Any:
    if args.cases:
        return _display.case_results_listing(args.name, ctx.tenant.run_test_cases(args.name, version=args.version))
    payload = ctx.json_input(args.payload, "--payload") if args.payload else None
    if args.save_case:
        return ctx.tenant.save_test_case(args.name, args.save_case, payload, strict=args.strict)
    execution = ctx.tenant.test(args.name, payload, version=args.version, strict=args.strict)
    if args.payload or args.version is not None:
        return execution
    from ..widgets import test_panel

    panel = test_panel(ctx.tenant, args.name)
    panel.show_run(execution)
    return _display.PanelExecution.of(execution, panel)


def _deploy(ctx: Context, args: argparse.Namespace) -> Any:
    return ctx.tenant.deploy(args.name, message=args.message)


def _versions(ctx: Context, args: argparse.Namespace) -> Any:
    from ..widgets import history_panel

    return _display.versions_listing(ctx.tenant.versions(args.name), history_panel(ctx.tenant, args.name))


def _rollback(ctx: Context, args: argparse.Namespace) -> Any:
    return ctx.tenant.rollback(args.name, args.number, update_draft=args.update_draft)


def _diff(ctx: Context, args: argparse.Namespace) -> Any:
    return _display.Text(ctx.tenant.diff(args.name, args.old, args.new) or "no differences")


def _secret(ctx: Context, args: argparse.Namespace) -> Any:
    stored = ctx.tenant.list_secrets(args.action)  # the action must exist
    return _set_secret(ctx, args, stored, f"{args.name} of {args.action}", "secret", args.action, ctx.tenant.set_secret)


def _module_secret(ctx: Context, args: argparse.Namespace) -> Any:
    stored = ctx.tenant.module_secrets(args.module)  # the module must exist
    return _set_secret(
        ctx,
        args,
        stored,
        f"{args.name} of module {args.module}",
        "module-secret",
        args.module,
        ctx.tenant.set_module_secret,
    )


def _set_secret(
    ctx: Context,
    args: argparse.Namespace,
    stored: Any,
    what: str,
    command: str,
    owner: str,
    store: Callable[[str, str, str], Any],
) -> Any:
    """A secret value from ``--from-env`` or a masked prompt; headless without one, the value
    set earlier stays."""
    value: str | None
    if args.from_env:
        value = value_from_env(args.from_env)
    else:
        value = prompt_for_value(ctx.shell, f"value for {what} (hidden): ")
    if value is not None:
        return store(owner, args.name, value)
    kept = {s.name: s for s in stored}.get(args.name)
    if kept is not None and kept.is_set:
        return kept  # headless re-run: keep the value set earlier
    raise UsageError(
        f"this kernel cannot prompt for {args.name} (no input from the frontend, as under papermill or nbclient) "
        f"and it has no value yet: use `%action {command} {owner} {args.name} --from-env VAR`"
    )


def _secrets(ctx: Context, args: argparse.Namespace) -> Any:
    from ..widgets import secrets_panel

    return secrets_panel(ctx.tenant, args.action)


def _dependencies(ctx: Context, args: argparse.Namespace) -> Any:
    from ..widgets import dependencies_panel

    return dependencies_panel(ctx.tenant, args.action)


def _deps_list(ctx: Context, args: argparse.Namespace) -> Any:
    return _display.dependencies_listing(args.action, ctx.tenant.dependencies(args.action))


def _deps_add(ctx: Context, args: argparse.Namespace) -> Any:
    ctx.tenant.add_dependency(args.action, args.requirement)
    return _panel(ctx, args.action)


def _deps_remove(ctx: Context, args: argparse.Namespace) -> Any:
    ctx.tenant.remove_dependency(args.action, args.package)
    return _panel(ctx, args.action)


def _flow(ctx: Context, args: argparse.Namespace) -> Any:
    from ..widgets import flow_editor

    return flow_editor(ctx.tenant, args.trigger)


def _bind(ctx: Context, args: argparse.Namespace) -> Any:
    return _display.flow_listing(args.trigger, ctx.tenant.bind(args.trigger, args.actions))


def _run(ctx: Context, args: argparse.Namespace) -> Any:
    from ..triggers import get_trigger

    event = ctx.json_input(args.event, "--event") if args.event else None
    event = get_trigger(args.trigger).test_payload(event, strict=args.strict)
    return ctx.tenant.run_flow(args.trigger, event, redacted=True)


def _logs(ctx: Context, args: argparse.Namespace) -> Any:
    if args.id:
        return ctx.tenant.execution(ctx.execution_id(args.id))
    from ..widgets import logs_panel

    return logs_panel(ctx.tenant, args.trigger, args.kind)


def _replay(ctx: Context, args: argparse.Namespace) -> Any:
    if args.candidate is None:
        from ..widgets import replay_report

        return replay_report(ctx.tenant, args.trigger)
    report = ctx.tenant.replay(args.trigger, args.candidate, since=args.since, limit=args.limit)
    return _display.replay_listing(report)


def _module_deploy(ctx: Context, args: argparse.Namespace) -> Any:
    return ctx.tenant.deploy_module(args.name, message=args.message)


def _module_versions(ctx: Context, args: argparse.Namespace) -> Any:
    return tuple(ctx.tenant.module_versions(args.name))


def _module_list(ctx: Context, args: argparse.Namespace) -> Any:
    return tuple(ctx.tenant.list_modules())


def _module_show(ctx: Context, args: argparse.Namespace) -> Any:
    if args.version is not None:
        return ctx.tenant.get_module_version(args.name, args.version)
    return ctx.tenant.get_module(args.name)


def _templates(ctx: Context, args: argparse.Namespace) -> Any:
    from ..templates import list_templates

    return _display.templates_listing(list_templates())


def _new(ctx: Context, args: argparse.Namespace) -> Any:
    from ..templates import get_template

    template = get_template(args.template)
    ctx.shell.set_next_input(template_cell(template, args.name), replace=False)
    return template


# The parser -----------------------------------------------------------------------------------
HANDLERS: dict[str, Callable[[Context, argparse.Namespace], Any]] = {
    "actions list": _list,
    "actions show": _show,
    "test": _test,
    "deploy": _deploy,
    "versions": _versions,
    "rollback": _rollback,
    "diff": _diff,
    "secrets set": _secret,
    "secrets list": _secrets,
    "dependencies": _dependencies,
    "deps list": _deps_list,
    "deps add": _deps_add,
    "deps remove": _deps_remove,
    "flows show": _flow,
    "flows bind": _bind,
    "flows run": _run,
    "executions list": _logs,
    "replay": _replay,
    "templates list": _templates,
    "new": _new,
    "modules secrets set": _module_secret,
    "modules deploy": _module_deploy,
    "modules versions": _module_versions,
    "modules list": _module_list,
    "modules show": _module_show,
}
"""The line magic's function of each command, by key of the command table."""


class Parser(MagicArgumentParser):
    """Usage errors name the subcommand: ``%action test: the following arguments are required: name``.

    ``prog`` is ``action``: IPython's help formatter puts the ``%`` in front of the usage.
    """

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"%{self.prog}: {message}")


def build_parser() -> Parser:
    parser = Parser(
        prog="action", description="Auth0 Actions from a notebook: the subcommands mirror `jupyter-actions`."
    )
    commands.add_commands(parser, commands.LINE, HANDLERS, parser_class=Parser)
    return parser


def build_cell_parser() -> Parser:
    """The ``%%action NAME --trigger T ...`` line: the table's ``save`` in the cell magic."""
    save = commands.BY_KEY["save"]
    parser = Parser(prog="%action", description=commands.worded(save.description, commands.CELL))  # shown as %%action
    commands.add_arguments(parser, save, commands.CELL)
    return parser


def build_module_cell_parser() -> Parser:
    """The ``%%action_module NAME [--secret NAME]... [--dependency PKG]...`` line: the table's
    ``modules save`` in a cell (the cell body is the module's code)."""
    save = commands.BY_KEY["modules save"]
    parser = Parser(
        prog="action_module",
        description="Save the cell as an Actions Module's draft; `%action modules deploy NAME` makes it a "
        "version that actions import with --module NAME.",
    )
    commands.add_arguments(parser, save, commands.CELL)
    return parser


def full_help(parser: Parser) -> str:
    """The help of ``%action?``: the overview, then every subcommand's own help."""
    return dedent("\n".join(_help_sections(parser)))


def _help_sections(parser: argparse.ArgumentParser) -> list[str]:
    sections = [parser.format_help()]
    for action in parser._actions:  # noqa: SLF001 (argparse's list of arguments)
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for child in action.choices.values():
                sections += _help_sections(child)
    return sections


def run(parser: Parser, ctx: Context, argv: list[str]) -> Any:
    """Parse ``argv`` and run the subcommand; a value typed inline for a secret is refused."""
    args, unknown = parser.parse_known_args(argv)
    if args.command == "secrets set" and (unknown or "=" in args.name):
        raise UsageError(INLINE_VALUE_REFUSED)
    if unknown:
        words = " ".join(commands.BY_KEY[args.command].names[commands.LINE])
        raise UsageError(f"%action {words}: unrecognized arguments: {' '.join(unknown)}")
    return args.handler(ctx, args)
