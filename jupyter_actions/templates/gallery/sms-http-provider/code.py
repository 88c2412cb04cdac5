"""Send MFA text and voice messages through your own SMS provider's HTTP API (httpx is built in)."""

import httpx


async def on_execute_send_phone_message(event, api):
    options = event.message_options
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.post(
            event.secrets.SMS_API_URL,
            headers={"Authorization": f"Bearer {event.secrets.SMS_API_KEY}"},
            json={"to": options.recipient, "body": options.text, "channel": options.message_type},
        )
    # An error fails the delivery and shows in the logs; Auth0 reports it to the user.
    response.raise_for_status()
    print("sent", options.message_type, "to", options.recipient)
