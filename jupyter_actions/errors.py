"""The exception tree of jupyter-actions.

Every error a user can cause derives from :class:`ActionsError`; its message is one line that
says what is wrong and how to fix it, so front ends print ``str(error)`` and nothing else.
This module imports only the standard library: action workers import it too.

    ActionsError
    ├── NotFoundError
    │   ├── ActionNotFound
    │   ├── VersionNotFound
    │   ├── TriggerNotFound
    │   ├── ExecutionNotFound
    │   ├── TestCaseNotFound
    │   └── TenantNotFound           a tenant a reading command names does not exist
    ├── InvalidInputError            bad names, code, payloads, secrets, requirements
    │   ├── MalformedInputError      text or JSON the decoding policy refuses (docs/input.md)
    │   ├── CodeError                syntax error, missing handler, oversize code
    │   ├── PayloadError             an event that does not fit its trigger (with a JSON path)
    │   └── LimitExceeded            an entity limit (secrets, versions, bindings, ...)
    ├── ConflictError                the request clashes with stored state (bound action, ...)
    │   └── MissingSecretValues      an action's declared secrets have no value (run, deploy)
    ├── SecretsError                 master key missing or wrong
    ├── StoreError                   the tenant store cannot be used (newer schema, locked, ...)
    ├── DependencyError              a package cannot be resolved, built or is not pure Python
    └── ExecutionError               a flow or test run could not be carried out
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Remedy(NamedTuple):
    """The command that fixes an error, named without any front end's syntax.

    ``command`` is a key of the command table (``jupyter_actions/frontends/commands.py``), e.g.
    ``"secrets set"``; ``arguments`` are its words; ``doing`` says what it does ("set it"), or is
    empty when the message already says it (the command is then shown in parentheses).
    The CLI words it as ``jupyter-actions secrets set A N``, the magics as ``%action secret A N``:
    layers below the front ends never name a flag or a command themselves. (A NamedTuple, not a
    dataclass: the worker imports this module, and ``dataclasses`` costs it 19 ms at each start.)
    """

    doing: str
    command: str
    arguments: tuple[str, ...] = ()


class ActionsError(Exception):
    """Root of every error jupyter-actions raises on purpose; ``remedy`` (optional) names the
    command that fixes it, for a front end to word in its own syntax."""

    def __init__(self, *args: object, remedy: Remedy | None = None) -> None:
        super().__init__(*args)
        self.remedy = remedy


class NotFoundError(ActionsError):
    """Something named by the user does not exist."""


class ActionNotFound(NotFoundError):
    pass


class VersionNotFound(NotFoundError):
    pass


class TriggerNotFound(NotFoundError):
    pass


class ExecutionNotFound(NotFoundError):
    pass


class TestCaseNotFound(NotFoundError):
    pass


class TenantNotFound(NotFoundError):
    """A command that only reads (or changes what exists) named a tenant that does not exist;
    ``existing`` holds the names of the tenants there are."""

    def __init__(self, message: str, existing: tuple[str, ...] = (), *, remedy: Remedy | None = None) -> None:
        super().__init__(message, remedy=remedy)
        self.existing = existing


class InvalidInputError(ActionsError):
    """The input is malformed; nothing was changed."""


class MalformedInputError(InvalidInputError):
    """Text or JSON that the decoding policy refuses: not UTF-8, not JSON, too large, too deep,
    NaN, an integer beyond 64 bits, a lone surrogate (``jupyter_actions/_json_input.py``).
    ``problem`` is the message without its subject (``not valid JSON: ...``)."""

    def __init__(self, message: str, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem or message


class CodeError(InvalidInputError):
    """Action code that cannot be saved: syntax error, missing handler, too large."""


class PayloadError(InvalidInputError):
    """An event payload that does not fit its trigger."""


class LimitExceeded(InvalidInputError):
    """An entity limit would be exceeded."""


class ConflictError(ActionsError):
    """The request clashes with what is stored (for example deleting a bound action)."""


class MissingSecretValues(ConflictError):
    """An action declares secrets that have no value, so its draft cannot run or be deployed.

    ``action`` and ``secrets`` (the names without a value) let a front end add how to set them
    in its own words; the message names no command."""

    def __init__(self, action: str, secrets: Sequence[str], doing: str) -> None:
        self.action = action
        self.secrets = tuple(secrets)
        if len(self.secrets) == 1:
            what = f"secret {self.secrets[0]} of {action} has no value"
        else:
            what = f"secrets {', '.join(self.secrets)} of {action} have no value"
        super().__init__(
            f"{what}: set {'it' if len(self.secrets) == 1 else 'them'} before {doing}",
            remedy=Remedy("", "secrets set", (action, self.secrets[0])),
        )


class SecretsError(ActionsError):
    """The master key is missing, malformed or does not match the stored secrets."""


class StoreError(ActionsError):
    """The tenant store cannot be opened or used."""


class DependencyError(ActionsError):
    """A dependency cannot be resolved, built, or is refused (native code)."""


class ExecutionError(ActionsError):
    """A test or flow run could not be carried out (not an action's own failure)."""
