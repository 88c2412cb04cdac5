"""Require multi-factor authentication for users with an administrative role."""

ADMIN_ROLES = {"admin", "owner"}


async def on_execute_post_login(event, api):
    if ADMIN_ROLES.intersection(event.authorization.roles or []):
        api.multifactor.enable("any", allow_remember_browser=False)
