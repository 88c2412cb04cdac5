"""Forward tenant events (user.created, ...) to your own webhook."""

import httpx


async def on_execute_event_stream(event, api):
    message = event.message
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            event.secrets.WEBHOOK_URL,
            headers={"X-Webhook-Token": event.secrets.WEBHOOK_TOKEN, "Ce-Id": message.id, "Ce-Type": message.type},
            json=message.to_dict(),
        )
    response.raise_for_status()
    print("forwarded", message.type, message.id)
