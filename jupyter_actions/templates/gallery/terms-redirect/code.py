"""Send users to a terms-of-service page once, then continue the login where it stopped."""

TERMS_URL = "https://example.com/terms"
TERMS_VERSION = "2024-06"


async def on_execute_post_login(event, api):
    if event.user.app_metadata.terms_accepted == TERMS_VERSION:
        return
    if not api.redirect.can_redirect():
        api.access.deny("The terms of service must be accepted in an interactive login.")
        return
    token = api.redirect.encode_token(
        secret=event.secrets.TERMS_TOKEN_SECRET,
        payload={"terms_version": TERMS_VERSION},
        expires_in_seconds=600,
    )
    api.redirect.send_user_to(TERMS_URL, query={"session_token": token})


async def on_continue_post_login(event, api):
    # The terms page posts back a token signed with the same secret, carrying the state.
    claims = api.redirect.validate_token(secret=event.secrets.TERMS_TOKEN_SECRET, token_parameter_name="session_token")
    if claims.get("accepted") is True:
        api.user.set_app_metadata("terms_accepted", claims["terms_version"])
    else:
        api.access.deny("The terms of service were not accepted.")
