# The Actions Module "logger" (docs/modules.md), ported by renaming from Auth0's "Write Your
# First Action Module": https://auth0.com/docs/customize/actions/modules/write-your-first-action-module
# Its secrets are its own, read as actions.secrets.NAME; fetch is httpx here.
import json

import httpx


async def send_log(code, message):
    try:
        async with httpx.AsyncClient() as client:
            await client.post(
                actions.secrets.SERVICE_URL,
                headers={"X-API-Key": actions.secrets.API_KEY},
                content=json.dumps({"code": code, "message": message}),
            )
        print({"code": code, "message": message})
    except Exception:
        raise RuntimeError("External service failure") from None
