"""Errors on the wire: every failure becomes Auth0's error body, mapped here once.

Auth0's shape is ``{"statusCode", "error", "message", "errorCode"}`` (reference rest-and-lab
A6). The message is the one line the exception carries (it never holds a secret value, nor a
traceback); an error we did not raise on purpose is logged by its type and answered 500.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from .. import errors as e

log = logging.getLogger("jupyter_actions.server")


class ApiError(Exception):
    """An HTTP error with Auth0's body: raised by request logic for what is not an ActionsError."""

    def __init__(self, status: int, message: str, error_code: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code
        self.headers = headers or {}


# (exception class, status, errorCode), most specific first
_MAPPING: tuple[tuple[type[Exception], int, str], ...] = (
    (e.ActionNotFound, 404, "inexistent_action"),
    (e.VersionNotFound, 404, "inexistent_action_version"),
    (e.TriggerNotFound, 404, "inexistent_trigger"),
    (e.ExecutionNotFound, 404, "inexistent_execution"),
    (e.TestCaseNotFound, 404, "inexistent_test_case"),
    (e.NotFoundError, 404, "inexistent_resource"),
    (e.MalformedInputError, 400, "invalid_body"),
    (e.PayloadError, 400, "invalid_payload"),
    (e.CodeError, 400, "invalid_code"),
    (e.LimitExceeded, 400, "limit_exceeded"),
    (e.InvalidInputError, 400, "invalid_body"),
    (e.DependencyError, 400, "dependency_error"),
    (e.ConflictError, 409, "conflict"),
    (e.StoreError, 503, "store_unavailable"),
    (e.SecretsError, 500, "secrets_unavailable"),
    (e.ExecutionError, 500, "execution_failed"),
)


def body(status: int, message: str, error_code: str) -> dict[str, Any]:
    return {"statusCode": status, "error": HTTPStatus(status).phrase, "message": message, "errorCode": error_code}


def to_response(exc: BaseException) -> ApiError:
    """The ApiError for any exception raised while answering a request."""
    if isinstance(exc, ApiError):
        return exc
    for cls, status, code in _MAPPING:
        if isinstance(exc, cls):
            if status >= 500:
                log.error("%s: %s", type(exc).__name__, exc)
            return ApiError(status, str(exc), code)
    log.error("unexpected %s while answering a request", type(exc).__name__, exc_info=exc)
    return ApiError(500, "Internal error: the server failed to answer; see its log", "internal_error")
