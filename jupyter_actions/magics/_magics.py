"""``ActionMagics``: the ``%%action`` cell magic and the ``%action`` line magic.

A thin front end: parse the line, call the `Tenant` API, return something that displays well.
Settings are traitlets (``%config ActionMagics.tenant = "dev"``). The tenant opens on first use,
so loading the extension imports neither SQLAlchemy nor the engine.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.utils.process import arg_split
from traitlets import Unicode, observe

from . import _commands
from ._errors import usage_errors
from ._panel import ActionPanel
from ._secrets import INLINE_VALUE_REFUSED

_PARSER = _commands.build_parser()


@magics_class
class ActionMagics(Magics):
    tenant = Unicode(None, allow_none=True, config=True,
                     help="Tenant name (default: $JUPYTER_ACTIONS_TENANT, else 'default').")
    home = Unicode(None, allow_none=True, config=True,
                   help="Folder that holds the tenants (default: $JUPYTER_ACTIONS_HOME, else actions/ in Jupyter's data dir).")
    database_url = Unicode(None, allow_none=True, config=True,
                           help="SQLAlchemy URL of the store (default: $JUPYTER_ACTIONS_DATABASE_URL, else a SQLite file).")

    def __init__(self, shell: Any) -> None:
        super().__init__(shell=shell)  # also makes it configurable with %config
        self._opened: Any = None
        self._context = _commands.Context(shell, self.open_tenant, self.run)

    def open_tenant(self) -> Any:
        """The configured `Tenant`, opened once and kept (its workers stay warm)."""
        if self._opened is None:
            from ..tenant import Tenant

            with usage_errors():
                self._opened = Tenant(self.tenant, home=self.home, database_url=self.database_url)
        return self._opened

    @observe("tenant", "home", "database_url")
    def _reopen(self, change: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
            self._opened = None

    def run(self, line: str) -> Any:
        """Run one ``%action`` line and return its result (the buttons of the panel use this)."""
        try:
            argv = arg_split(line, posix=True, strict=True)
        except ValueError as exc:
            raise UsageError(f"%action: cannot split the line: {exc}") from None
        with usage_errors():
            return _commands.run(_PARSER, self._context, argv)

    @no_var_expand
    @line_magic("action")
    def action_line(self, line: str) -> Any:
        return self.run(line)

    @magic_arguments("%action")  # the help formatter adds one more %: %%action
    @argument("name", help="action name: lowercase letters, digits, '-' or '_' (e.g. my-slack-action)")
    @argument("--trigger", required=True, help="trigger id, e.g. post-login")
    @argument("--secret", action="append", default=[], metavar="NAME",
              help="declare a secret name (repeatable); set its value with `%%action secret ACTION NAME`")
    @argument("--dependency", action="append", default=[], metavar="PKG[==V]",
              help="a dependency, pinned to the latest version when none is given (repeatable)")
    @argument("--template", metavar="ID",
              help="the template the action is made from: the run that creates it also saves the template's test cases")
    @no_var_expand
    @cell_magic("action")
    def action_cell(self, line: str, cell: str) -> ActionPanel:
        """Save the cell as the action's draft (Auth0's Save Draft) and show the action's panel.

        The cell body is the action's Python code. Nothing that runs in a flow changes until you
        deploy; running an unchanged cell changes nothing.
        """
        args = parse_argstring(self.action_cell, line)
        if any("=" in name for name in args.secret):
            raise UsageError(INLINE_VALUE_REFUSED)
        tenant = self.open_tenant()
        with usage_errors(cell_line_offset=1):
            action, changed = tenant.save_draft(
                args.name, args.trigger, cell, secrets=args.secret, dependencies=args.dependency or None,
                template=args.template,
            )
        return ActionPanel(action, self.run, changed)


ActionMagics.action_line.__doc__ = _commands.full_help(_PARSER)
