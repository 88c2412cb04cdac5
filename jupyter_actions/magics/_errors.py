"""ActionsError -> IPython ``UsageError``: one line, no traceback.

IPython prints a short ``UsageError: ...`` only when the type is exactly ``UsageError``
(``etype is UsageError`` in ``InteractiveShell.showtraceback``, ipython/ipython#14024), so
subclasses would get a full traceback: always raise the real class.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from IPython.core.error import UsageError

from ..errors import ActionsError, TenantNotFound
from ..frontends import commands, hints


@contextmanager
def usage_errors(cell_line_offset: int | None = None) -> Iterator[None]:
    """Turn every ActionsError into a one-line UsageError.

    With ``cell_line_offset`` (lines in the cell above the action code), a syntax error also
    quotes the offending line with its number in the cell.
    """
    try:
        yield
    except ActionsError as exc:
        message = hints.message(exc, commands.LINE)
        if isinstance(exc, TenantNotFound):
            message += (
                ": choose one with `%config ActionMagics.tenant = NAME`, or create it by saving an action (`%%action`)"
            )
        if cell_line_offset is not None:
            message += _syntax_error_hint(exc, cell_line_offset)
        raise UsageError(message) from None


def _syntax_error_hint(exc: ActionsError, offset: int) -> str:
    # The tenant raises CodeError while handling the SyntaxError, which stays the context.
    cause = exc.__context__
    if not isinstance(cause, SyntaxError) or not cause.lineno or not cause.text:
        return ""
    return f" (cell line {cause.lineno + offset}: {cause.text.strip()})"
