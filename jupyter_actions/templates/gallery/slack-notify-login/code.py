"""Post a Slack message for every login (Slack incoming webhook)."""

from slack_sdk.webhook import WebhookClient


async def on_execute_post_login(event, api):
    client = WebhookClient(event.secrets.SLACK_WEBHOOK_URL)
    response = client.send(text=f"Logging in: {event.user.email} from {event.request.ip}")
    print("slack answered", response.status_code, response.body)
