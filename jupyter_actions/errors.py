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
    │   └── TestCaseNotFound
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


class ActionsError(Exception):
    """Root of every error jupyter-actions raises on purpose."""


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
        super().__init__(f"{what}: set {'it' if len(self.secrets) == 1 else 'them'} before {doing}")


class SecretsError(ActionsError):
    """The master key is missing, malformed or does not match the stored secrets."""


class StoreError(ActionsError):
    """The tenant store cannot be opened or used."""


class DependencyError(ActionsError):
    """A dependency cannot be resolved, built, or is refused (native code)."""


class ExecutionError(ActionsError):
    """A test or flow run could not be carried out (not an action's own failure)."""
