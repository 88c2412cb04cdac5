"""How results look in a notebook: plain text for the model objects, tables for listings.

The magics return the real model objects (an ``Execution``, a ``DeployResult`` ...) so that a
notebook can assert on them; their display is registered with IPython's formatters by type
name, so registering imports nothing.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Self

from ..frontends.present import cells, deployed_label, execution_text, short_time, table_lines

_MODEL = "jupyter_actions.model"


class Listing(tuple):
    """A tuple of model objects that displays as a table (``listing[0].number`` still works)."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __new__(
        cls, items: Iterable[Any], *, title: str, headers: Sequence[str], row: Callable[[Any], Sequence[Any]]
    ) -> Self:
        listing = super().__new__(cls, items)
        listing.title = title
        listing.headers = tuple(headers)
        listing.rows = tuple(cells(row(item)) for item in listing)
        return listing

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(self.as_text())

    def as_text(self) -> str:
        if not self.rows:
            return f"{self.title}: (none)"
        return "\n".join([self.title, *table_lines(self.headers, self.rows)])

    def _repr_html_(self) -> str:
        if not self.rows:
            return f"<p><b>{html.escape(self.title)}</b>: (none)</p>"
        head = "".join(f"<th style='text-align:left'>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self.rows
        )
        return (
            f"<p><b>{html.escape(self.title)}</b></p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


class PanelExecution:
    """What ``%action test NAME`` returns: the Execution (assert on ``.outcome``, ``.results``
    ...), displayed as the Test panel that holds it, ready for the next edit and Run."""

    def __init__(self, execution: Any, panel: Any) -> None:
        self.execution = execution
        self.panel = panel

    @classmethod
    def of(cls, execution: Any, panel: Any) -> PanelExecution:
        return cls(execution, panel)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.execution, name)

    @property  # type: ignore[misc]  # read-only on purpose: a proxy's class is the proxied object's
    def __class__(self) -> type:
        """``isinstance(result, Execution)`` holds, as for a proxy."""
        return type(self.execution)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The Test panel where widgets render; the execution as text everywhere else."""
        return {**self.panel._repr_mimebundle_(**kwargs), "text/plain": execution_text(self.execution)}


class PanelListing(Listing):
    """A Listing displayed as a panel (``%action versions NAME``: the versions, a tuple, shown as
    the Version history panel, and as the panel's text where widgets do not render)."""

    panel: Any

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        return self.panel._repr_mimebundle_(**kwargs)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython asks a tuple for its text itself
        printer.text(self.panel.summary())


def versions_listing(versions: Sequence[Any], panel: Any) -> PanelListing:
    name = versions[0].action_name if versions else "the action"
    listing = PanelListing(
        versions,
        title=f"versions of {name}",
        headers=["version", "deployed", "created", "message"],
        row=lambda v: (v.number, "DEPLOYED" if v.deployed else "", short_time(v.created_at), v.message or ""),
    )
    listing.panel = panel
    return listing


class Text(str):
    """Text shown as is (a diff, a code listing), not as a quoted string."""

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))


def deploy_text(result: Any) -> str:
    version = result.version
    if not result.created:
        return f"{version.action_name}: the draft equals deployed version {version.number}; no new version created"
    return f"deployed {version.action_name} version {version.number}" + (
        f" ({version.message})" if version.message else ""
    )


def version_text(version: Any) -> str:
    state = "deployed" if version.deployed else "not deployed"
    note = f", {version.message!r}" if version.message else ""
    return f"{version.action_name} version {version.number} ({state}, {short_time(version.created_at)}{note})"


def secret_text(secret: Any) -> str:
    state = f"set {short_time(secret.updated_at)}" if secret.is_set else "missing (no value yet)"
    return f"secret {secret.name}: {state}"


def test_case_text(case: Any) -> str:
    return f"saved test case {case.name!r} expecting {json.dumps(case.expected)}"


def template_text(template: Any) -> str:
    needs = [f"secrets: {', '.join(template.secrets)}"] if template.secrets else []
    needs += [f"dependencies: {', '.join(template.dependencies)}"] if template.dependencies else []
    lines = [f"template {template.id} ({template.trigger}): {template.title}", template.description]
    return "\n".join(
        lines + needs + [f"{len(template.cases)} test case(s): " + "; ".join(c.name for c in template.cases)]
    )


_TEXT = {
    (_MODEL, "Execution"): execution_text,
    (_MODEL, "DeployResult"): deploy_text,
    (_MODEL, "ActionVersion"): version_text,
    (_MODEL, "SecretInfo"): secret_text,
    ("jupyter_actions.templates._catalog", "Template"): template_text,
    ("jupyter_actions.tenant.test_cases", "TestCase"): test_case_text,
}


def register_formatters(shell: Any) -> None:
    """Show the model objects as readable text in this shell (by type name: no imports)."""
    plain = shell.display_formatter.formatters["text/plain"]
    for (module, name), render in _TEXT.items():
        plain.for_type_by_name(module, name, _pretty(render))


def _pretty(render: Callable[[Any], str]) -> Callable[[Any, Any, bool], None]:
    def printer(value: Any, p: Any, cycle: bool) -> None:
        p.text(render(value))

    return printer


def flow_listing(trigger: str, bindings: Sequence[Any]) -> Listing:
    return Listing(
        bindings,
        title=f"{trigger} flow",
        headers=["#", "action", "runs version"],
        row=lambda b: (b.position + 1, b.display_name, f"v{b.version_number}"),
    )


def actions_listing(actions: Sequence[Any]) -> Listing:
    return Listing(
        actions,
        title="actions",
        headers=["name", "trigger", "deployed", "build"],
        row=lambda a: (a.name, a.trigger_id, deployed_label(a), a.build.status),
    )


def dependencies_listing(name: str, dependencies: Sequence[Any]) -> Listing:
    return Listing(
        dependencies, title=f"dependencies of {name}", headers=["package", "version"], row=lambda d: (d.name, d.version)
    )


def case_results_listing(name: str, results: Sequence[Any]) -> Listing:
    passed = sum(1 for r in results if r.passed)
    return Listing(
        results,
        title=f"test cases of {name}: {passed} passed, {len(results) - passed} failed",
        headers=["result", "case", "differences"],
        row=lambda r: ("PASS" if r.passed else "FAIL", r.case.name, "; ".join(r.differences)),
    )


def templates_listing(templates: Sequence[Any]) -> Listing:
    return Listing(
        templates,
        title="templates (`%action new --template ID` inserts one as a new cell)",
        headers=["id", "trigger", "title", "secrets", "dependencies"],
        row=lambda t: (t.id, t.trigger, t.title, ", ".join(t.secrets), ", ".join(t.dependencies)),
    )


class ReplayListing(Listing):
    """The listing of a replay, with the whole report as ``.report``."""

    report: Any


def replay_listing(report: Any) -> ReplayListing:
    """The executions a candidate would change, one row per change (the report is ``.report``)."""
    rows = [(execution, change) for execution in report.changed for change in (execution.changes or [None])]
    totals = report.totals()
    listing = ReplayListing(
        rows,
        title=f"replay of {totals['replayed']} {report.trigger_id} executions with "
        f"{report.candidate}: {totals['changed']} would change",
        headers=["execution", "user", "change"],
        row=lambda r: (r[0].execution_id, r[0].user, r[1].describe() if r[1] else f"refused: {r[0].refused}"),
    )
    listing.report = report
    return listing
