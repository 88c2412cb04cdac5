"""``%action SUBCOMMAND ...``: one parser, one small function per subcommand, mirroring the CLI.

Every function decides nothing that belongs to the tenant: it calls the `Tenant` API and returns the
result (a model object, a ``Listing`` of them, an ``ActionPanel``), which the notebook shows and
can assert on.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser
from IPython.utils.text import dedent

from .. import _json_input as json_input
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


def _version_ref(text: str) -> int | str:
    if text == "draft":
        return text
    try:
        return int(text.removeprefix("v"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a version: give a number such as 2, or 'draft'") from None


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
        return ctx.tenant.save_test_case(args.name, args.save_case, payload)
    execution = ctx.tenant.test(args.name, payload, version=args.version)
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

    return history_panel(ctx.tenant, args.name)


def _rollback(ctx: Context, args: argparse.Namespace) -> Any:
    return ctx.tenant.rollback(args.name, args.number, update_draft=args.update_draft)


def _diff(ctx: Context, args: argparse.Namespace) -> Any:
    return _display.Text(ctx.tenant.diff(args.name, args.old, args.new) or "no differences")


def _secret(ctx: Context, args: argparse.Namespace) -> Any:
    stored = {s.name: s for s in ctx.tenant.list_secrets(args.action)}.get(args.name)  # the action must exist
    if args.from_env:
        value = value_from_env(args.from_env)
    else:
        value = prompt_for_value(ctx.shell, f"value for {args.name} of {args.action} (hidden): ")
    if value is not None:
        return ctx.tenant.set_secret(args.action, args.name, value)
    if stored is not None and stored.is_set:
        return stored  # headless re-run: keep the value set earlier
    raise UsageError(
        f"this kernel cannot prompt for {args.name} (no input from the frontend, as under papermill or nbclient) "
        f"and it has no value yet: use `%action secret {args.action} {args.name} --from-env VAR`"
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
    if args.event:
        event = ctx.json_input(args.event, "--event")
    else:
        from ..triggers import get_trigger

        event = get_trigger(args.trigger).sample_payload()
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


def _templates(ctx: Context, args: argparse.Namespace) -> Any:
    from ..templates import list_templates

    return _display.templates_listing(list_templates())


def _new(ctx: Context, args: argparse.Namespace) -> Any:
    from ..templates import get_template

    template = get_template(args.template)
    ctx.shell.set_next_input(template.cell(args.name), replace=False)
    return template


# The parser -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Subcommand:
    """A subcommand: a function to run, or (for ``deps``) a group of child subcommands."""

    name: str
    help: str
    run: Callable[[Context, argparse.Namespace], Any] | None = None
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = ()
    children: tuple["Subcommand", ...] = ()


def arg(*flags: str, **options: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return flags, options


NAME = arg("name", help="action name")
VERSION = dict(type=_version_ref, help="version number or 'draft'")

SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("list", "every action with its trigger and deployed version", _list,
               (arg("--trigger", help="only actions of this trigger"),)),
    Subcommand("show", "an action's panel: state, secrets, dependencies", _show, (NAME,)),
    Subcommand("test", "run the draft (or a version) on a test payload; returns the Execution", _test, (
        NAME,
        arg("--payload", metavar="VAR_OR_FILE", help="a dict (or JSON text) variable of the notebook, or a JSON file "
                                                     "(default: the trigger's sample payload)"),
        arg("--version", type=int, metavar="N", help="run version N instead of the draft"),
        arg("--cases", action="store_true", help="run every saved test case instead; returns the results"),
        arg("--save-case", metavar="CASE", help="save the payload as a test case expecting the draft's current outcome"),
    )),
    Subcommand("deploy", "deploy the draft as a new immutable version", _deploy, (
        NAME, arg("--message", help="a note kept with the version (e.g. a git SHA)"))),
    Subcommand("versions", "the action's version history", _versions, (NAME,)),
    Subcommand("rollback", "deploy a copy of version N as a new version", _rollback, (
        NAME, arg("number", type=int, help="the version to roll back to"),
        arg("--update-draft", action="store_true", help="also reset the draft to that version"))),
    Subcommand("diff", "unified diff between two versions, or a version and the draft", _diff, (
        NAME, arg("old", **VERSION), arg("new", nargs="?", default="draft", **VERSION))),
    Subcommand("secret", "set a secret from a masked prompt or --from-env VAR (never inline)", _secret, (
        arg("action", help="action name"), arg("name", help="secret name, e.g. SLACK_WEBHOOK_URL"),
        arg("--from-env", metavar="VAR", help="read the value from this environment variable of the kernel"))),
    Subcommand("secrets", "the Secrets panel: add, rotate and delete through a masked field", _secrets,
               (arg("action", help="action name"),)),
    Subcommand("dependencies", "the Dependencies panel: pins, live build status, add and remove", _dependencies,
               (arg("action", help="action name"),)),
    Subcommand("deps", "list, add or remove an action's dependencies", children=(
        Subcommand("list", "the pinned dependencies", _deps_list, (arg("action", help="action name"),)),
        Subcommand("add", "add a dependency (pinned to the latest version when none is given)", _deps_add, (
            arg("action", help="action name"), arg("requirement", metavar="PKG[==V]", help="e.g. slack-sdk or slack-sdk==3.33.1"))),
        Subcommand("remove", "remove a dependency", _deps_remove, (
            arg("action", help="action name"), arg("package", help="package name"))),
    )),
    Subcommand("flow", "a trigger's flow: bound actions in order, with the version each runs", _flow,
               (arg("trigger", help="trigger id, e.g. post-login"),)),
    Subcommand("bind", "replace a flow's bound actions (in the order given; none empties it)", _bind, (
        arg("trigger", help="trigger id"), arg("actions", nargs="*", metavar="ACTION"))),
    Subcommand("run", "execute a trigger's flow on an event and record it; returns the Execution", _run, (
        arg("trigger", help="trigger id"),
        arg("--event", metavar="VAR_OR_FILE", help="a dict (or JSON text) variable, or a JSON file "
                                                   "(default: the trigger's sample payload)"))),
    Subcommand("logs", "recorded executions, newest first; with an id, one execution in full", _logs, (
        arg("id", nargs="?", metavar="ID_OR_VAR", help="an execution id, or a variable holding an Execution"), arg("--trigger", help="only this trigger"),
        arg("--kind", choices=["flow", "test"], help="only flow executions or test runs"))),
    Subcommand("replay", "re-run recorded executions with a candidate version; what would change", _replay, (
        arg("trigger", help="trigger id"),
        arg("--candidate", metavar="ACTION[@draft|@N]",
            help="the action and which of its versions to try (without it: the Replay panel)"),
        arg("--since", metavar="DURATION", help="only executions from the last DURATION (30m, 12h, 7d)"),
        arg("--limit", type=int, metavar="N", help="only the N most recent executions"))),
    Subcommand("templates", "the template gallery", _templates),
    Subcommand("new", "insert a new action cell from a template below this one", _new, (
        arg("--template", required=True, metavar="ID", help="template id (see %%action templates)"),
        arg("--name", help="action name (default: the template id)"))),
)


class Parser(MagicArgumentParser):
    """Usage errors name the subcommand: ``%action test: the following arguments are required: name``.

    ``prog`` is ``action``: IPython's help formatter puts the ``%`` in front of the usage.
    """

    def error(self, message: str) -> None:
        raise UsageError(f"%{self.prog}: {message}")


def build_parser() -> Parser:
    parser = Parser(prog="action", description="Auth0 Actions from a notebook: the subcommands mirror `jupyter-actions`.")
    _add_subcommands(parser, SUBCOMMANDS)
    return parser


def _add_subcommands(parser: argparse.ArgumentParser, commands: tuple[Subcommand, ...]) -> None:
    sub = parser.add_subparsers(metavar="SUBCOMMAND", required=True, parser_class=Parser)
    for command in commands:
        child = sub.add_parser(command.name, help=command.help, description=command.help)
        for flags, options in command.arguments:
            child.add_argument(*flags, **options)
        if command.children:
            _add_subcommands(child, command.children)
        else:
            child.set_defaults(run=command.run, subcommand=command.name)


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
    if args.subcommand == "secret" and (unknown or "=" in args.name):
        raise UsageError(INLINE_VALUE_REFUSED)
    if unknown:
        raise UsageError(f"%action {args.subcommand}: unrecognized arguments: {' '.join(unknown)}")
    return args.run(ctx, args)
