"""Deliver Auth0's emails (verification, password reset, ...) through an HTTP email API."""

import httpx

RETRY_STATUSES = {429, 500, 502, 503, 504}


async def on_execute_custom_email_provider(event, api):
    notification = event.notification
    message = {
        "from": notification["from"],
        "to": notification.to,
        "subject": notification.subject,
        "html": notification.html,
        "text": notification.text,
        "tags": [notification.message_type],
    }
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.post(
                event.secrets.EMAIL_API_URL,
                headers={"Authorization": f"Bearer {event.secrets.EMAIL_API_KEY}"},
                json=message,
            )
    except httpx.TransportError as error:
        api.notification.retry(f"email API unreachable: {type(error).__name__}")
        return
    if response.status_code in RETRY_STATUSES:
        api.notification.retry(f"email API answered {response.status_code}")
    elif response.status_code >= 400:
        api.notification.drop(f"email API refused the message: {response.status_code} {response.text[:200]}")
    else:
        print("delivered", notification.message_type, "to", notification.to)
