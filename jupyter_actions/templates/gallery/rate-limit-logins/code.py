"""Deny a user's logins beyond MAX_LOGINS per minute, counted in api.cache."""

MAX_LOGINS = 3
WINDOW_MS = 60_000


async def on_execute_post_login(event, api):
    key = f"logins:{event.user.user_id}"
    record = api.cache.get(key)
    count = int(record["value"]) + 1 if record else 1
    if count > MAX_LOGINS:
        api.access.deny("Too many logins: try again in a minute.")
        return
    if record:
        api.cache.set(key, str(count), expires_at=record["expires_at"])  # keep the window's end
    else:
        api.cache.set(key, "1", ttl=WINDOW_MS)
