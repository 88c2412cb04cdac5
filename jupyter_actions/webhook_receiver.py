"""A local webhook receiver on 127.0.0.1 that speaks Slack's incoming-webhook protocol.

Slack's incoming webhooks take ``POST`` with a JSON body such as ``{"text": "..."}`` and answer
``200`` with the body ``ok``; slack-sdk's ``WebhookClient`` expects exactly that. The tutorial
uses this receiver when no real Slack URL is configured, and the template tests use it as the
HTTP provider of SMS, email and event-stream actions (``respond()`` makes it answer like a
failing provider).

The URL carries a random path, like Slack's ``/services/T.../B.../...``: treat it as a secret
(``repr()`` of a receiver never shows it).
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        """The body parsed as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class WebhookReceiver:
    """Records every request and answers ``status`` with ``body`` (Slack: 200 ``ok``)."""

    def __init__(self, status: int = 200, body: str = "ok") -> None:
        self._lock = threading.Lock()
        self._requests: list[ReceivedRequest] = []
        self._answer = (status, body)
        self._path = f"/services/{secrets.token_urlsafe(12)}"
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> WebhookReceiver:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the receiver is not running: call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}{self._path}"

    def respond(self, status: int, body: str = "") -> None:
        """Answer every later request with ``status`` and ``body``."""
        with self._lock:
            self._answer = (status, body)

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def messages(self) -> list[str]:
        """The ``text`` of every Slack message received, in order."""
        return [r.json["text"] for r in self.requests if isinstance(r.json, dict) and "text" in r.json]

    def _record(self, request: ReceivedRequest) -> tuple[int, str]:
        with self._lock:
            self._requests.append(request)
            return self._answer

    def __repr__(self) -> str:
        state = "running" if self._server else "stopped"
        return f"<WebhookReceiver on 127.0.0.1, {state}, {len(self.requests)} request(s)>"


def _handler_for(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = ReceivedRequest("POST", self.path, dict(self.headers.items()), self.rfile.read(length))
            status, body = receiver._record(request)  # noqa: SLF001 - the receiver's own request handler
            payload = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
            """Silent: the request line holds the secret URL path."""

    return Handler
