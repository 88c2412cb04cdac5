"""``ActionMagics``: the ``%%action`` cell magic and the ``%action`` line magic.

A thin front end: parse the line, call the `Tenant` API, return something that displays well.
Settings are traitlets (``%config ActionMagics.tenant = "dev"``). The tenant opens on first use,
so loading the extension imports neither SQLAlchemy nor the engine.
"""

from __future__ import annotations

from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class, no_var_expand
from IPython.utils.process import arg_split
from traitlets import Unicode, observe

from . import _commands
from ._errors import usage_errors
from ._panel import ActionPanel
from ._secrets import INLINE_VALUE_REFUSED

_PARSER = _commands.build_parser()
_CELL_PARSER = _commands.build_cell_parser()
_MODULE_CELL_PARSER = _commands.build_module_cell_parser()


@magics_class
class ActionMagics(Magics):
    tenant = Unicode(
        None, allow_none=True, config=True, help="Tenant name (default: $JUPYTER_ACTIONS_TENANT, else 'default')."
    )
    home = Unicode(
        None,
        allow_none=True,
        config=True,
        help="Folder that holds the tenants (default: $JUPYTER_ACTIONS_HOME, else actions/ in Jupyter's data dir).",
    )
    database_url = Unicode(
        None,
        allow_none=True,
        config=True,
        help="SQLAlchemy URL of the store (default: $JUPYTER_ACTIONS_DATABASE_URL, else a SQLite file).",
    )

    def __init__(self, shell: Any) -> None:
        super().__init__(shell=shell)  # also makes it configurable with %config
        self._opened: Any = None
        self._context = _commands.Context(shell, self.open_tenant, self.run)

    def open_tenant(self, create: bool = False) -> Any:
        """The configured `Tenant`, opened once and kept (its workers stay warm). Only the
        ``%%action`` cell creates a tenant that does not exist (tenant/registry.py)."""
        if self._opened is None:
            from ..tenant import Tenant

            with usage_errors():
                self._opened = Tenant(self.tenant, home=self.home, database_url=self.database_url, create=create)
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

    # IPython types line_magic(name) as "a decorator or a function", which mypy cannot apply.
    @no_var_expand
    @line_magic("action")  # type: ignore[arg-type]
    def action_line(self, line: str) -> Any:
        return self.run(line)

    @no_var_expand
    @cell_magic("action")  # type: ignore[arg-type]
    def action_cell(self, line: str, cell: str) -> ActionPanel:
        args = _CELL_PARSER.parse_argstring(line)
        if any("=" in name for name in args.secret):
            raise UsageError(INLINE_VALUE_REFUSED)
        tenant = self.open_tenant(create=True)
        with usage_errors(cell_line_offset=1):
            action, changed = tenant.save_draft(
                args.name,
                args.trigger,
                cell,
                secrets=args.secret,
                dependencies=args.dependency or None,
                template=args.template,
                modules=args.module or None,
            )
        return ActionPanel(action, self.run, changed)

    @no_var_expand
    @cell_magic("action_module")  # type: ignore[arg-type]
    def action_module_cell(self, line: str, cell: str) -> Any:
        """Save the cell as an Actions Module's draft; returns the `Module`."""
        args = _MODULE_CELL_PARSER.parse_argstring(line)
        if any("=" in name for name in args.secret):
            raise UsageError(INLINE_VALUE_REFUSED)
        tenant = self.open_tenant(create=True)
        with usage_errors(cell_line_offset=1):
            return tenant.save_module(args.name, cell, secrets=args.secret, dependencies=args.dependency or None)[0]


# The decorated magics' type is lost to IPython's decorator types (see above).
ActionMagics.action_line.__doc__ = _commands.full_help(_PARSER)  # type: ignore[assignment]
ActionMagics.action_cell.__doc__ = _commands.full_help(_CELL_PARSER)  # type: ignore[assignment]
ActionMagics.action_module_cell.__doc__ = _commands.full_help(_MODULE_CELL_PARSER)  # type: ignore[assignment]
