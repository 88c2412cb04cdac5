# Uses the Actions Module "logger" of this template, as Auth0's "Write Your First Action Module"
# does from its action: https://auth0.com/docs/customize/actions/modules/write-your-first-action-module
from actions_modules import logger


async def on_execute_post_login(event, api):
    await logger.send_log("login", f"{event.user.user_id} logged in")
