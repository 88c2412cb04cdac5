"""Deliver phone messages (OTP, enrollment) through an HTTP provider, with retry and drop."""

import httpx

RETRY_STATUSES = {429, 500, 502, 503, 504}


async def on_execute_custom_phone_provider(event, api):
    notification = event.notification
    text = notification.as_voice if notification.delivery_method == "voice" else notification.as_text
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(
                event.secrets.PHONE_API_URL,
                headers={"Authorization": f"Bearer {event.secrets.PHONE_API_KEY}"},
                json={"to": notification.recipient, "from": notification["from"], "text": text,
                      "method": notification.delivery_method},
            )
    except httpx.TransportError as error:
        api.notification.retry(f"provider unreachable: {type(error).__name__}")
        return
    if response.status_code in RETRY_STATUSES:
        api.notification.retry(f"provider answered {response.status_code}")
    elif response.status_code >= 400:
        api.notification.drop(f"provider refused the message: {response.status_code}")
