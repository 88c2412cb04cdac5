"""What a continue request makes of a suspended execution's event (docs/engine.md, "Resuming").

Auth0 gives the resumed action "a new ``event.request``" (the request to ``/continue``), the
form's answers in ``event.prompt`` after ``api.prompt.render``, and the session's
``event.authentication.methods`` after a challenge or an enrolment. A continue request carries
all three in one JSON object: the fields of the new ``event.request`` (``query`` and ``body`` are
those of ``/continue``; any other request field, such as ``ip`` or ``hostname``, replaces the
suspended request's), plus ``prompt`` (``{id, fields, vars}``) and ``authentication``
(``{"methods": [...]}``, the whole new list).
"""

from __future__ import annotations

import copy
from typing import Any

from .. import _json_input as json_input
from ..errors import PayloadError
from ..triggers import Trigger

SUBJECT = "the continue request (the new event.request)"
EVENT_FIELDS = ("prompt", "authentication")  # what a continue request sets beside event.request
FRESH_REQUEST_FIELDS = ("query", "body")  # never carried over from the request that suspended


def resumed_event(trigger: Trigger, suspended: dict[str, Any], request: Any) -> dict[str, Any]:
    """The event the resumed action sees; ``request`` None keeps the suspended event as it is.
    PayloadError (one line, naming the field) when the request or the event it makes is wrong."""
    event = copy.deepcopy(suspended)
    if request is None:
        return event
    given = dict(json_input.check_object(request, SUBJECT))
    extras = {name: given.pop(name) for name in EVENT_FIELDS if name in given}
    before = event.get("request")
    kept = {k: v for k, v in before.items() if k not in FRESH_REQUEST_FIELDS} if isinstance(before, dict) else {}
    event["request"] = {**kept, **dict.fromkeys(FRESH_REQUEST_FIELDS, {}), **copy.deepcopy(given)}
    if "prompt" in extras:
        event["prompt"] = copy.deepcopy(extras["prompt"])
    if "authentication" in extras:
        event["authentication"] = _authentication(event.get("authentication"), extras["authentication"])
    try:
        trigger.validate_payload(event)
    except PayloadError as error:
        raise PayloadError(f"{SUBJECT} makes an event that does not fit {trigger.id}: {error}") from None
    return event


def _authentication(current: Any, given: Any) -> dict[str, Any]:
    if not isinstance(given, dict) or set(given) != {"methods"}:
        raise PayloadError(
            f'{SUBJECT}: "authentication" must be {{"methods": [...]}}, the new event.authentication.methods '
            "(each {name, timestamp, type?}) after a challenge or an enrolment"
        )
    authentication = dict(current) if isinstance(current, dict) else {}
    authentication["methods"] = copy.deepcopy(given["methods"])
    return authentication
