"""The real slack-sdk from PyPI, posting through its WebhookClient to a local Slack receiver."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SLACK_ACTION = """
from slack_sdk.webhook import WebhookClient

async def on_execute_post_login(event, api):
    response = WebhookClient(event.secrets.SLACK_WEBHOOK_URL).send(text=f"Logging in: {event.user.email}")
    print("slack answered", response.status_code, response.body)
"""


class SlackReceiver(BaseHTTPRequestHandler):
    """Slack's incoming-webhook protocol: POST application/json {"text": ...} -> 200 "ok"."""

    received: list[dict] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        try:
            message = json.loads(body)
        except json.JSONDecodeError:
            message = None
        if (
            self.headers.get("Content-Type", "").startswith("application/json")
            and isinstance(message, dict)
            and isinstance(message.get("text"), str)
        ):
            type(self).received.append(message)
            status, answer = 200, b"ok"
        else:
            status, answer = 400, b"invalid_payload"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


@pytest.mark.slow
@pytest.mark.network
def test_real_slack_sdk_posts_to_a_local_receiver(tenant):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlackReceiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/services/T000/B000/XXXX"
        tenant.save_draft(
            "my-slack-action", "post-login", SLACK_ACTION, secrets=["SLACK_WEBHOOK_URL"], dependencies=["slack-sdk"]
        )
        action = tenant.get_action("my-slack-action")
        assert action.build.status == "built" and action.dependencies[0].name == "slack-sdk"
        tenant.set_secret("my-slack-action", "SLACK_WEBHOOK_URL", url)
        execution = tenant.test("my-slack-action")
        assert execution.outcome["error"] is None, execution.outcome["error"]
        assert SlackReceiver.received == [{"text": "Logging in: j+smith@example.com"}]
        assert "slack answered 200 ok" in execution.results[0]["response"]["logs"]
    finally:
        server.shutdown()
