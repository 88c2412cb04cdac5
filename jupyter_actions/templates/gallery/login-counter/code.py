"""Count each user's logins in app metadata."""


async def on_execute_post_login(event, api):
    count = (event.user.app_metadata.login_count or 0) + 1
    api.user.set_app_metadata("login_count", count)
    api.id_token.set_custom_claim("https://example.com/login_count", count)
