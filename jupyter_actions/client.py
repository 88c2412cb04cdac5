"""A client for applications: run a flow at each login over the REST API (``jupyter-actions
serve``), sync (``Client``) or async (``AsyncClient``), on httpx.

Retries happen on connection errors only (the request never reached the server), never on an
answer: a flow that ran is not run twice. An error answer raises ``ApiError`` with Auth0's
body fields. The outcome is ``jupyter_actions.outcome.Outcome`` (docs/outcome.md).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from .outcome import ExecutionStatus, Outcome

DEFAULT_TIMEOUT_S = 30.0
RETRIES = 2
_BACKOFF_S = 0.1


class ApiError(Exception):
    """An error answer: ``status``, ``error_code`` and ``message`` from Auth0's error body."""

    def __init__(self, status: int, error_code: str, message: str) -> None:
        super().__init__(f"{status} {error_code}: {message}")
        self.status = status
        self.error_code = error_code
        self.message = message


@dataclass(frozen=True)
class FlowResult:
    """One flow execution: its id (for ``continue_flow``), its status and the outcome to apply."""

    id: str
    trigger_id: str
    status: ExecutionStatus
    outcome: Outcome


class _Base:
    def __init__(
        self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT_S, retries: int = RETRIES
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self._options: dict[str, Any] = {
            "base_url": self.base_url + "/api/v2",
            "timeout": timeout,
            "headers": {"Authorization": f"Bearer {token}"},
        }

    @staticmethod
    def _flow_path(trigger: str) -> str:
        return f"/jupyter-actions/flows/{trigger}/executions"

    @staticmethod
    def _continue_path(execution_id: str) -> str:
        return f"/jupyter-actions/flows/executions/{execution_id}/continue"

    @staticmethod
    def _result(response: httpx.Response) -> Any:
        if response.is_success:
            return response.json() if response.content else None
        try:
            body = response.json()
            raise ApiError(response.status_code, body["errorCode"], body["message"])
        except (ValueError, KeyError, TypeError):
            raise ApiError(response.status_code, "unexpected_answer", response.text[:200]) from None

    @staticmethod
    def _flow(body: dict[str, Any]) -> FlowResult:
        return FlowResult(body["id"], body["trigger_id"], body["status"], body["outcome"])


class Client(_Base):
    """``Client("http://127.0.0.1:8090", token)``; use as a context manager or call ``close()``."""

    def __init__(
        self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT_S, retries: int = RETRIES
    ) -> None:
        super().__init__(base_url, token, timeout=timeout, retries=retries)
        self._http = httpx.Client(**self._options)

    def request(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        """Any route of the API (path relative to /api/v2); the JSON answer."""
        for attempt in range(self.retries + 1):
            try:
                return self._result(self._http.request(method, path, json=json, params=params))
            except httpx.ConnectError:
                if attempt == self.retries:
                    raise
                time.sleep(_BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")

    def run_flow(self, trigger: str, event: dict[str, Any]) -> FlowResult:
        return self._flow(self.request("POST", self._flow_path(trigger), {"event": event}))

    def continue_flow(self, execution_id: str, request: dict[str, Any] | None = None) -> FlowResult:
        return self._flow(self.request("POST", self._continue_path(execution_id), {"request": request}))

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncClient(_Base):
    """The async twin of ``Client``."""

    def __init__(
        self, base_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT_S, retries: int = RETRIES
    ) -> None:
        super().__init__(base_url, token, timeout=timeout, retries=retries)
        self._http = httpx.AsyncClient(**self._options)

    async def request(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return self._result(await self._http.request(method, path, json=json, params=params))
            except httpx.ConnectError:
                if attempt == self.retries:
                    raise
                await asyncio.sleep(_BACKOFF_S * 2**attempt)
        raise AssertionError("unreachable")

    async def run_flow(self, trigger: str, event: dict[str, Any]) -> FlowResult:
        return self._flow(await self.request("POST", self._flow_path(trigger), {"event": event}))

    async def continue_flow(self, execution_id: str, request: dict[str, Any] | None = None) -> FlowResult:
        return self._flow(await self.request("POST", self._continue_path(execution_id), {"request": request}))

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
