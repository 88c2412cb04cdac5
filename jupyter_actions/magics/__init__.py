"""IPython extension: ``%%action`` saves a cell as an action's draft, ``%action ...`` does the rest.

``%load_ext jupyter_actions`` calls `load_ipython_extension`; it stays fast because nothing
heavy (SQLAlchemy, papermill, ipywidgets, the engine) is imported until a magic needs it.
"""

from __future__ import annotations

from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    from ._display import register_formatters
    from ._magics import ActionMagics

    ipython.register_magics(ActionMagics(ipython))
    register_formatters(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """Close the tenant (and its warm workers); IPython keeps the magic names registered."""
    magics = ipython.magics_manager.registry.get("ActionMagics")
    if magics is not None:
        magics.close()
