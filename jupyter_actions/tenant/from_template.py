"""An action made from a template brings the template's test cases (docs/templates.md)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import ConflictError, InvalidInputError
from ..store.schema import actions
from ..templates import Template, get_template
from . import test_cases


def template_for(template_id: str, trigger: str) -> Template:
    """The template a draft is made from; it must be for the draft's trigger."""
    template = get_template(template_id)
    if template.trigger != trigger:
        raise InvalidInputError(
            f"template {template_id} is for trigger {template.trigger}, not {trigger}: "
            f"make the action for {template.trigger}"
        )
    return template


def exists(conn: Connection, name: str) -> bool:
    return conn.execute(select(actions.c.id).where(actions.c.name == name)).first() is not None


def refuse_taken(conn: Connection, name: str) -> None:
    if exists(conn, name):
        raise ConflictError(
            f"an action named {name} exists already: give the action made from the template "
            "another name, or delete the existing one first"
        )


def save_cases(conn: Connection, template: Template, action_id: str) -> None:
    """Save the template's cases that an action can run alone as the action's test cases."""
    for case in template.action_cases():
        test_cases.save(conn, "action", action_id, case.name, template.payload(case), case.expected())
