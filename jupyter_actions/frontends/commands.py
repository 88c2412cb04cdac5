"""The command table: every command of the CLI (``jupyter-actions ...``), of the line magic
(``%action ...``) and of the cell magic (``%%action``), with its help, arguments and flags,
defined once. Both front ends build their argparse parsers from it (`add_commands`); their
handlers are theirs, found by the command's key.

A command exists in the front ends its ``names`` list (the words that call it there): the CLI's
``secrets set`` is the line magic's ``secret``, the CLI's ``save`` is the ``%%action`` cell. An
argument with ``only`` exists in that front end alone (``--json`` is the CLI's; the notebook's
``--payload`` takes a variable too). docs/commands.md says how to add a command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ActionsError
from ..model import version_ref
from ..outcome import Status

CLI = "cli"  # jupyter-actions COMMAND
LINE = "line"  # %action SUBCOMMAND
CELL = "cell"  # %%action NAME ... (the cell body is the code)
FRONT_ENDS = (CLI, LINE, CELL)


@dataclass(frozen=True)
class Per:
    """A value worded for each front end (the CLI reads a file; a notebook a variable or a file)."""

    cli: Any
    magic: Any

    def value(self, front_end: str) -> Any:
        return self.cli if front_end == CLI else self.magic


def worded(value: Any, front_end: str) -> Any:
    return value.value(front_end) if isinstance(value, Per) else value


@dataclass(frozen=True)
class Argument:
    """One positional argument or flag, with argparse's options; ``only`` names the one front end
    that has it (None: every front end of its command)."""

    flags: tuple[str, ...]
    options: Mapping[str, Any]
    only: str | None = None

    @property
    def dest(self) -> str:
        longest = max(self.flags, key=len)
        return self.options.get("dest") or longest.lstrip("-").replace("-", "_")

    def in_front_end(self, front_end: str) -> bool:
        return self.only in (None, front_end)


def arg(*flags: str, only: str | None = None, **options: Any) -> Argument:
    return Argument(flags, options, only)


@dataclass(frozen=True)
class Command:
    """A command: ``key`` (the CLI's words; what handlers and remedies name), its help, its
    arguments, and the words that call it in each front end that has it."""

    key: str
    help: str | Per
    arguments: tuple[Argument, ...] = ()
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str | Per | None = None
    one_of: tuple[tuple[tuple[str, ...], bool], ...] = ()  # (dests, required): at most one of them
    creates_tenant: bool = False  # may create the tenant it names (the rest refuse a missing one)

    def arguments_in(self, front_end: str) -> tuple[Argument, ...]:
        return tuple(a for a in self.arguments if a.in_front_end(front_end))


def command(
    key: str,
    help: str | Per,  # noqa: A002 - argparse's word, as in Command.help
    *arguments: Argument,
    cli: bool = True,
    line: str | None | bool = True,
    cell: bool = False,
    description: str | Per | None = None,
    one_of: tuple[tuple[tuple[str, ...], bool], ...] = (),
    creates_tenant: bool = False,
) -> Command:
    """A table row. ``line`` is True (the same words as the CLI), other words, or False."""
    names: dict[str, tuple[str, ...]] = {}
    if cli:
        names[CLI] = tuple(key.split())
    if line:
        names[LINE] = tuple(key.split()) if line is True else tuple(line.split())
    if cell:
        names[CELL] = ()
    return Command(key, help, arguments, names, description, one_of, creates_tenant)


# Arguments used by many commands ---------------------------------------------------------------
JSON = arg("--json", action="store_true", help="print JSON only", only=CLI)
ACTION_NAME = arg("name", help="action name")
ACTION = arg("action", help="action name")
TRIGGER = arg("trigger", help="trigger id, e.g. post-login")
VERSION: dict[str, Any] = {"type": version_ref, "help": "version number or 'draft'"}
NOTEBOOK_VALUE = "a dict (or JSON text) variable of the notebook, or a JSON file"
MODULE_REF = arg(
    "--module",
    action="append",
    default=[],
    metavar="NAME[@VERSION]",
    help="an Actions Module the code imports (from actions_modules import NAME), pinned to VERSION, else to "
    "the version it is pinned to already, else to its latest version now (repeatable)",
)
MODULE_NAME = arg("name", help="module name: lowercase letters, digits or '_' (e.g. slack_notify)")
STRICT = arg(
    "--strict",
    action="store_true",
    help="take the payload as it is, validated whole (default: merged over the trigger's sample)",
)

CLI_OPTIONS = (
    arg("--tenant", default=argparse.SUPPRESS, help="tenant name (default: $JUPYTER_ACTIONS_TENANT or 'default')"),
    arg(
        "--database-url",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL of the store, e.g. postgresql+psycopg://... "
        "(default: $JUPYTER_ACTIONS_DATABASE_URL or a SQLite file)",
    ),
)
"""The CLI's options of every command (the magics take these as %config ActionMagics.tenant ...)."""

GROUPS = {
    "actions": "list, show or delete actions",
    "secrets": "set, list or delete an action's secrets",
    "deps": "add, remove or list an action's dependencies",
    "flows": "show, change, run and test flows (a trigger's ordered bound actions)",
    "executions": "recorded executions (the logs)",
    "templates": "the template gallery: starter actions with test cases",
    "tenants": "list, create or delete tenants",
    "notebook": "run authoring notebooks headless (CI pipelines)",
    "settings": "show or change tenant settings (limits, options)",
    "tokens": "create, list or revoke the bearer tokens of `jupyter-actions serve`",
    "modules": "Actions Modules: shared code with its own secrets, deployed as versions that actions import",
    "modules secrets": "set or list a module's secrets",
    "triggers": "Auth0's triggers and their sample payloads",
}
"""Help of the words that group commands (``flows`` in ``flows run``), in any front end."""

COMMANDS: tuple[Command, ...] = (
    # actions ---------------------------------------------------------------------------------
    command(
        "save",
        "save an action's draft (create or update)",
        arg("name", help="action name: lowercase letters, digits, '-' or '_' (e.g. my-slack-action)"),
        arg("--trigger", required=True, help="trigger id, e.g. post-login"),
        arg("--code", required=True, metavar="FILE", help="Python file with the handler ('-' for stdin)", only=CLI),
        arg(
            "--dependency",
            action="append",
            default=[],
            metavar="PKG[==V]",
            help="a dependency, pinned to its latest version when none is given (repeatable)",
        ),
        arg(
            "--secret",
            action="append",
            default=[],
            metavar="NAME",
            help=Per(
                "declare a secret name (repeatable); set its value with `jupyter-actions secrets set ACTION NAME`",
                "declare a secret name (repeatable); set its value with `%action secret ACTION NAME`",
            ),
        ),
        MODULE_REF,
        arg(
            "--template",
            metavar="ID",
            only=CELL,
            help="the template the action is made from: the run that creates it also saves the template's test cases",
        ),
        JSON,
        line=False,
        cell=True,
        creates_tenant=True,
        description=Per(
            "Save Draft: create or update an action. No traffic is affected until you deploy.",
            "Save the cell as the action's draft (Auth0's Save Draft) and show the action's panel. "
            "The cell body is the action's Python code. Nothing that runs in a flow changes until "
            "you deploy; running an unchanged cell changes nothing.",
        ),
    ),
    command(
        "actions list",
        "every action with its trigger, deployed version and status",
        arg("--trigger", help="only actions of this trigger"),
        JSON,
        line="list",
    ),
    command(
        "actions show",
        Per(
            "one action: draft, deployed version, secrets, dependencies",
            "an action's panel: state, secrets, dependencies",
        ),
        ACTION_NAME,
        JSON,
        line="show",
    ),
    command(
        "actions delete",
        "delete an action and all its versions",
        ACTION_NAME,
        arg("--force", action="store_true", help="also remove it from the flows it is bound to"),
        line=False,
    ),
    command(
        "test",
        Per(
            "run an action's draft on a test payload",
            "run the draft (or a version) on a test payload; returns the Execution",
        ),
        ACTION_NAME,
        arg(
            "--payload",
            metavar=Per("FILE", "VAR_OR_FILE"),
            help=Per(
                "JSON event, merged over the trigger's sample payload (default: the sample)",
                f"{NOTEBOOK_VALUE}, merged over the trigger's sample payload (default: the sample)",
            ),
        ),
        STRICT,
        arg("--version", type=int, metavar="N", help="run version N instead of the draft"),
        arg("--cases", action="store_true", help="run every saved test case instead; fails if any fails"),
        arg(
            "--save-case",
            metavar="CASE",
            help="save the payload as a test case expecting the draft's current outcome (runs nothing else)",
        ),
        JSON,
        one_of=((("cases", "save_case"), False),),
        description=Per(
            "Run the draft (with the draft's secrets) on the trigger's sample payload or --payload "
            "FILE (a partial payload is merged over the sample; --strict takes it as it is), and "
            "show the outcome, commands, logs, stats and error. Exit status 1 when the action "
            "failed. --cases runs the saved test cases; --save-case saves one.",
            None,
        ),
    ),
    command(
        "deploy",
        "deploy the draft as a new immutable version",
        ACTION_NAME,
        arg("--message", help="a note kept with the version (e.g. a git SHA)"),
        JSON,
    ),
    command(
        "versions",
        Per("an action's version history", "the action's versions (a tuple), shown as the Version history panel"),
        ACTION_NAME,
        JSON,
    ),
    command(
        "rollback",
        "deploy a copy of version N as a new version",
        ACTION_NAME,
        arg("number", type=int, help="the version to roll back to"),
        arg("--update-draft", action="store_true", help="also reset the draft to that version"),
        JSON,
    ),
    command(
        "diff",
        "unified diff between two versions, or a version and the draft",
        ACTION_NAME,
        arg("old", **VERSION),
        arg("new", nargs="?", default="draft", **{**VERSION, "help": "version number or 'draft' (default: draft)"}),
    ),
    # secrets and dependencies ----------------------------------------------------------------
    command(
        "secrets set",
        "set a secret from a hidden prompt or --from-env VAR (never on the line)",
        ACTION,
        arg("name", help="secret name, e.g. SLACK_WEBHOOK_URL"),
        arg("--from-env", metavar="VAR", help="read the value from this environment variable"),
        line="secret",
        description=Per(
            "Set a secret. The value is read from --from-env VAR, else from a hidden prompt on a "
            "terminal, else from stdin; it is never accepted on the command line.",
            None,
        ),
    ),
    command(
        "secrets list",
        Per(
            "secret names and when they were set (never values)",
            "the Secrets panel: add, rotate and delete through a masked field",
        ),
        ACTION,
        JSON,
        line="secrets",
    ),
    command("secrets delete", "delete a secret", ACTION, arg("name", help="secret name"), line=False),
    command("dependencies", "the Dependencies panel: pins, live build status, add and remove", ACTION, cli=False),
    command(
        "deps add",
        "pin a package (the latest release now, or ==VERSION) and build it",
        ACTION,
        arg("requirement", metavar="PKG[==V]", help="e.g. slack-sdk or slack-sdk==3.33.1"),
        description=Per(
            "Add a dependency to the draft: PKG is pinned to its latest release at this moment "
            "(it never floats afterwards), PKG==V to that version. The whole closure is locked and "
            "built; packages with compiled code are refused unless the tenant allows them.",
            None,
        ),
    ),
    command(
        "deps remove", "remove a dependency from the draft", ACTION, arg("package", metavar="PKG", help="package name")
    ),
    command("deps list", "pins, the locked closure and the build status", ACTION, JSON),
    # actions modules -------------------------------------------------------------------------
    command(
        "modules save",
        "save an Actions Module's draft (create or update)",
        MODULE_NAME,
        arg(
            "--code", required=True, metavar="FILE", help="Python file with the module's code ('-' for stdin)", only=CLI
        ),
        arg(
            "--secret",
            action="append",
            default=[],
            metavar="NAME",
            help=Per(
                "declare a module secret (repeatable); its code reads actions.secrets.NAME; set it with "
                "`jupyter-actions modules secrets set MODULE NAME`",
                "declare a module secret (repeatable); its code reads actions.secrets.NAME; set it with "
                "`%action module-secret MODULE NAME`",
            ),
        ),
        arg(
            "--dependency",
            action="append",
            default=[],
            metavar="PKG[==V]",
            help="a dependency of the module, pinned to its latest version when none is given (repeatable)",
        ),
        JSON,
        line=False,
        creates_tenant=True,
        description=Per(
            "Save an Actions Module's draft. Actions see nothing of it until it is deployed as a "
            "version and they are saved with --module NAME and deployed.",
            None,
        ),
    ),
    command(
        "modules secrets set",
        "set a module secret from a hidden prompt or --from-env VAR (never on the line)",
        arg("module", help="module name"),
        arg("name", help="secret name, e.g. API_KEY"),
        arg("--from-env", metavar="VAR", help="read the value from this environment variable"),
        line="module-secret",
        description=Per(
            "Set a module secret. The value is read from --from-env VAR, else from a hidden prompt "
            "on a terminal, else from stdin; it is never accepted on the command line. Actions get it "
            "with the module's next version.",
            None,
        ),
    ),
    command(
        "modules secrets list",
        "a module's secret names (never values)",
        arg("module", help="module name"),
        JSON,
        line=False,
    ),
    command(
        "modules deploy",
        "deploy the module's draft as a new immutable, numbered version",
        MODULE_NAME,
        arg("--message", help="a note kept with the version"),
        JSON,
        line=True,
    ),
    command("modules versions", "a module's versions, newest first", MODULE_NAME, JSON, line=True),
    command("modules list", "every Actions Module with its latest version", JSON, line=True),
    command(
        "modules show",
        "one module: draft, secrets, dependencies, latest version",
        MODULE_NAME,
        arg("--version", type=int, metavar="N", help="show version N instead of the draft"),
        JSON,
        line=True,
    ),
    # flows -----------------------------------------------------------------------------------
    command("flows list", "every trigger with its bound actions", JSON, line=False),
    command(
        "flows show", "a trigger's flow: bound actions in order, with the version each runs", TRIGGER, JSON, line="flow"
    ),
    command(
        "flows bind",
        "replace a flow's bound actions (in the order given; none empties it)",
        TRIGGER,
        arg("actions", nargs="*", metavar="ACTION"),
        JSON,
        line="bind",
    ),
    command(
        "flows run",
        Per(
            "execute a trigger's flow on an event or a batch of events",
            "execute a trigger's flow on an event and record it; returns the Execution",
        ),
        TRIGGER,
        arg(
            "--event",
            metavar=Per("FILE", "VAR_OR_FILE"),
            help=Per(
                "one JSON event, merged over the trigger's sample payload (default: the sample)",
                f"{NOTEBOOK_VALUE}, merged over the trigger's sample payload (default: the sample)",
            ),
        ),
        STRICT,
        arg("--events", metavar="FILE.jsonl", help="one JSON event per line, each as it is", only=CLI),
        arg(
            "--executor",
            choices=["papermill", "inline", "dask"],
            default="papermill",
            only=CLI,
            help="papermill (default: an executed notebook is kept as the audit), inline, or dask (the "
            "papermill notebook with the events run on a Dask cluster, --scheduler)",
        ),
        arg(
            "--scheduler",
            metavar="ADDRESS",
            only=CLI,
            help="the Dask scheduler of --executor dask (tcp://HOST:8786; docs/dask.md)",
        ),
        arg("--output", metavar="NB", help="the executed notebook (papermill; default: beside the events)", only=CLI),
        arg("--results", metavar="FILE", help="results JSONL (default: beside the events)", only=CLI),
        arg("--fail-on", choices=["deny"], help="also exit 1 when a login is denied", only=CLI),
        JSON,
        line="run",
        one_of=((("event", "events"), False),),
        description=Per(
            "Execute the flow on one event (--event, merged over the trigger's sample payload unless "
            "--strict; without --event or --events: the sample) or every line of a JSONL file "
            "(--events, each event as it is). The "
            "papermill executor runs the shipped executor notebook and keeps the executed notebook as "
            "an audit; inline runs in this process. Exit status 1 when any execution failed (denials "
            "are outcomes, not failures; --fail-on deny makes them fail too).",
            None,
        ),
    ),
    command(
        "flows continue",
        "resume a suspended execution (after redirect, challenge or prompt)",
        arg("execution_id"),
        arg(
            "--request",
            metavar="FILE",
            help="JSON of the continue request: the /continue query and body (and other new event.request "
            "fields), plus prompt ({id, fields, vars}) after a form and authentication ({methods}) after MFA",
        ),
        JSON,
        line=False,
    ),
    command(
        "flows test",
        "run the flow's saved test cases (whole flow, in order)",
        TRIGGER,
        arg("--save-case", metavar="NAME", help="save --event as a case expecting the flow's current outcome"),
        arg(
            "--event",
            metavar="FILE",
            help="JSON event for --save-case, merged over the trigger's sample (default: the sample)",
        ),
        STRICT,
        JSON,
        line=False,
        description="Run every saved whole-flow test case of the trigger through the bound actions. Exit status 1 "
        "if any case fails.",
    ),
    command(
        "replay",
        "re-run recorded executions with a candidate version and report what would change",
        TRIGGER,
        arg(
            "--candidate",
            required=Per(True, False),
            metavar="ACTION[@draft|@N]",
            help=Per(
                "the action and which of its versions to try",
                "the action and which of its versions to try (without it: the Replay panel)",
            ),
        ),
        arg("--since", metavar="DURATION", help="only executions from the last DURATION (30m, 12h, 7d)"),
        arg("--limit", type=int, metavar="N", help="only the N most recent executions"),
        arg("--fail-on-change", action="store_true", help="exit 1 when anything would change (for CI gates)", only=CLI),
        arg(
            "--scheduler",
            metavar="ADDRESS",
            only=CLI,
            help="replay on the Dask cluster of this scheduler (tcp://HOST:8786; docs/dask.md)",
        ),
        JSON,
        description="Re-run the recorded inputs of a trigger's flow with a candidate (a draft or a version of one "
        "bound action) in place of its deployed version. Nothing is recorded, no cache write is kept. "
        "Reports status changes, claims and metadata added, removed or changed, scope changes and new "
        "errors, per execution and in total.",
    ),
    # executions ------------------------------------------------------------------------------
    command(
        "executions list",
        Per(
            "recent executions, newest first",
            "recorded executions, newest first (the Logs panel); with an id, one execution",
        ),
        arg(
            "id", nargs="?", metavar="ID_OR_VAR", help="an execution id, or a variable holding an Execution", only=LINE
        ),
        arg("--trigger", help="only this trigger"),
        arg("--status", choices=list(Status), help="only this outcome", only=CLI),
        arg("--kind", choices=["flow", "test"], help="only flow executions or test runs"),
        arg("--action", help="only executions in which this action ran", only=CLI),
        arg("--limit", type=int, default=50, help="how many (default 50)", only=CLI),
        JSON,
        line="logs",
    ),
    command("executions show", "one execution with every action's details", arg("id"), JSON, line=False),
    # templates -------------------------------------------------------------------------------
    command("triggers list", "every trigger: id, version, handlers, blocking or not", JSON, line=False),
    command(
        "triggers sample",
        "a trigger's sample payload (JSON): the base a partial test payload is merged over",
        TRIGGER,
        line=False,
    ),
    command("templates list", "every template with its trigger, secrets and dependencies", JSON, line="templates"),
    command(
        "templates show",
        "one template: description, needs, test cases and code",
        arg("id"),
        arg("--code", action="store_true", help="print only the code"),
        JSON,
        line=False,
        description="Show a template. `--code` prints only the action code; "
        "`jupyter-actions templates use ID` creates the action.",
    ),
    command(
        "templates use",
        "create an action from a template, with the template's test cases",
        arg("id"),
        arg("--name", help="action name (default: the template id)"),
        arg(
            "--module-secret-from-env",
            action="append",
            default=[],
            metavar="MODULE.SECRET=VAR",
            help="a secret value of a module the template creates, read from environment variable VAR (repeatable)",
        ),
        JSON,
        line=False,
        creates_tenant=True,
        description="Create an action from a template: its trigger, code, secret names and dependencies as the "
        "draft, and its test cases. Refuses a name that is taken. A template's Actions Modules are reused when "
        "identical ones exist, else saved with their secret values (--module-secret-from-env) and deployed; "
        "the action is pinned to them.",
    ),
    command(
        "new",
        "insert a new action cell from a template below this one",
        arg("--template", required=True, metavar="ID", help="template id (see %action templates)"),
        arg("--name", help="action name (default: the template id)"),
        cli=False,
    ),
    # tenants, settings, tools ----------------------------------------------------------------
    command("tenants list", "every tenant in this home", JSON, line=False),
    command(
        "tenants create", "create an empty tenant", arg("name", help="tenant name"), line=False, creates_tenant=True
    ),
    command(
        "tenants delete",
        "delete a tenant's folder: its store, master key and records",
        arg("name", help="tenant name"),
        arg("--yes", action="store_true", help="do not ask for confirmation"),
        line=False,
        description="Delete a tenant kept in its folder (its SQLite store, master key and records). A tenant "
        "whose store is a database of its own (PostgreSQL) is refused: drop that database with its "
        "own tools. Without --yes, asks on a terminal and refuses elsewhere.",
    ),
    command("settings list", "every setting with its value and meaning", JSON, line=False),
    command(
        "settings set",
        "change one setting",
        arg("key", help="setting name (see `settings list`)"),
        arg("value", help="new value"),
        line=False,
        description="Change one setting. `jupyter-actions settings list` shows every setting with its value, its "
        "meaning and the values it takes: each number has a least and a greatest value "
        "(docs/lifecycle.md lists them).",
    ),
    command(
        "notebook run",
        "execute an authoring notebook with papermill against a tenant",
        arg("notebook"),
        arg("--output", metavar="NB", help="the executed notebook (default: NOTEBOOK.executed.ipynb)"),
        arg(
            "-p",
            "--parameter",
            nargs=2,
            action="append",
            default=[],
            metavar=("NAME", "VALUE"),
            help="a papermill parameter (never a secret)",
        ),
        line=False,
        description="Execute NOTEBOOK with papermill; its magics work on --tenant (e.g. prod). Secrets come from "
        "environment variables read with `%action secret ACTION NAME --from-env VAR`, never from "
        "parameters. Exit status 1 when a cell fails.",
    ),
    # the REST API (docs/serving.md) ---------------------------------------------------------
    command(
        "serve",
        "serve the REST API (Auth0's Management API for Actions, flow execution) over HTTP",
        arg("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)"),
        arg("--port", type=int, default=8090, help="port (default: 8090; 0 picks a free one)"),
        arg("--certfile", metavar="FILE", help="TLS certificate (PEM) to serve HTTPS; needs --keyfile"),
        arg("--keyfile", metavar="FILE", help="TLS private key (PEM) of --certfile"),
        arg(
            "--threads",
            type=int,
            metavar="N",
            help="threads that run tenant calls and flows (default: 4 per core); a request beyond "
            "N running plus 4N waiting is answered 503 with Retry-After",
        ),
        line=False,
        description="Serve the tenant's REST API under /api/v2/ (not a Jupyter server: no kernels, files or "
        "terminals). Requests need a bearer token from `jupyter-actions tokens create`. Stops "
        "gracefully on SIGTERM: requests under way finish. docs/serving.md.",
    ),
    command(
        "tokens create",
        "create a bearer token for `serve`; printed once, stored hashed",
        arg("name", help="token name, e.g. login-app"),
        arg(
            "--scope",
            required=True,
            choices=("execute", "read", "manage"),
            help="execute: run and continue flows; read: every GET; manage: everything",
        ),
        arg("--expires", metavar="DURATION", help="lifetime such as 12h, 30d or 2w (default: no expiry)"),
        JSON,
        line=False,
    ),
    command("tokens list", "every token: name, scope, created, expiry, revoked (never the token)", JSON, line=False),
    command("tokens revoke", "revoke a token by name", arg("name", help="token name"), line=False),
    command(
        "doctor",
        "show which sandbox layers work on this machine",
        JSON,
        line=False,
        description="Boot a throwaway sandboxed worker and report each layer (active, or why it is missing), the "
        "Landlock ABI, and the tenant's sandbox and outbound_network settings.",
    ),
)

BY_KEY = {c.key: c for c in COMMANDS}


def commands_in(front_end: str) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if front_end in c.names)


def find(front_end: str, words: tuple[str, ...]) -> Command | None:
    """The command that ``words`` call in ``front_end``."""
    return next((c for c in commands_in(front_end) if c.names[front_end] == words), None)


# Building the parsers --------------------------------------------------------------------------
def add_commands(
    parser: argparse.ArgumentParser,
    front_end: str,
    handlers: Mapping[str, Callable[..., Any]],
    *,
    parser_class: type[argparse.ArgumentParser],
    **parser_options: Any,
) -> None:
    """Add ``front_end``'s commands to ``parser`` as (nested) subcommands. Each gets the defaults
    ``handler`` (from ``handlers``, by key) and ``command`` (its key); ``parser_options`` go to
    every subparser (the CLI's ``parents``)."""
    missing = [c.key for c in commands_in(front_end) if c.names[front_end] and c.key not in handlers]
    if missing:
        raise LookupError(f"no {front_end} handler for the commands {missing}")
    rows = [(c.names[front_end], c) for c in commands_in(front_end) if c.names[front_end]]
    _add_level(parser, (), rows, front_end, handlers, parser_class, parser_options)


def _add_level(
    parser: argparse.ArgumentParser,
    prefix: tuple[str, ...],
    rows: list[tuple[tuple[str, ...], Command]],
    front_end: str,
    handlers: Mapping[str, Callable[..., Any]],
    parser_class: type[argparse.ArgumentParser],
    parser_options: Mapping[str, Any],
) -> None:
    sub = parser.add_subparsers(
        metavar="SUBCOMMAND" if prefix or front_end != CLI else "COMMAND", required=True, parser_class=parser_class
    )
    done: set[str] = set()
    for words, row in rows:
        word = words[len(prefix)]
        if word in done:
            continue
        done.add(word)
        if len(words) == len(prefix) + 1:
            child = sub.add_parser(
                word,
                help=_escaped(worded(row.help, front_end)),
                description=worded(row.description, front_end) or worded(row.help, front_end),
                **parser_options,
            )
            add_arguments(child, row, front_end)
            child.set_defaults(handler=handlers[row.key], command=row.key)
        else:
            group = GROUPS.get(" ".join((*prefix, word))) or GROUPS[word]
            child = sub.add_parser(word, help=_escaped(group), description=group, **parser_options)
            _add_level(
                child,
                (*prefix, word),
                [r for r in rows if r[0][: len(prefix) + 1] == (*prefix, word)],
                front_end,
                handlers,
                parser_class,
                parser_options,
            )


def add_arguments(parser: argparse.ArgumentParser, row: Command, front_end: str) -> None:
    """``row``'s arguments in ``front_end`` on ``parser`` (the ``one_of`` pairs as exclusive groups)."""
    present = {a.dest for a in row.arguments_in(front_end)}
    groups = {}
    for dests, required in row.one_of:
        if len(present.intersection(dests)) > 1:
            group = parser.add_mutually_exclusive_group(required=required)
            groups.update(dict.fromkeys(dests, group))
    for argument in row.arguments_in(front_end):
        options = {k: worded(v, front_end) for k, v in argument.options.items()}
        if "help" in options:
            options["help"] = _escaped(options["help"])
        if callable(options.get("type")) and not isinstance(options["type"], type):
            options["type"] = _usage_type(options["type"])
        groups.get(argument.dest, parser).add_argument(*argument.flags, **options)


def _escaped(text: str) -> str:
    """argparse %-formats help texts (``%(default)s``): a literal % is written %%."""
    return text.replace("%", "%%")


def _usage_type(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """A converter whose ActionsError becomes argparse's usage error (``argument old: ...``)."""

    def parse(text: str) -> Any:
        try:
            return convert(text)
        except ActionsError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = convert.__name__
    return parse
