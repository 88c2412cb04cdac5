"""The battery's scenario: hostile actions run through every front end, before and after
their secrets are rotated; what each view showed, and what the application received."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from jupyter_actions import Tenant
from jupyter_actions.engine import resources
from jupyter_actions.model import Execution
from jupyter_actions.tenant.test_cases import TestCase
from jupyter_actions.triggers import get_trigger

from . import magics, notebooks
from .actions import ACTIONS, CHANGED, CODE, ENDINGS, MODES, TRIGGER
from .cases import FLOW, Case, make_cases, make_value, signatures
from .cli import Cli
from .magics import REPLAYED
from .views import Views

BEFORE, AFTER = "before rotation", "after rotation"
TEXT_AND_JSON = ((), ("--json",))


@dataclass
class Evidence:
    cases: tuple[Case, ...]
    views: Views = field(default_factory=Views)
    rotated: dict[str, str] = field(default_factory=dict)  # case id -> the value set by the rotation
    live: dict[str, dict[str, Execution]] = field(default_factory=dict)  # phase -> mode -> what the app got
    cache: dict[str, dict[str, str]] = field(default_factory=dict)  # phase -> the trigger's cache, decrypted
    saved: list[TestCase] = field(default_factory=list)  # every saved test case as stored

    def case(self, case_id: str) -> Case:
        return next(case for case in self.cases if case.id == case_id)

    def signatures(self, case: Case) -> frozenset[str]:
        """The case's value, and the value its secret was rotated to: both must stay hidden."""
        rotated = self.rotated.get(case.id)
        return case.signatures() | (signatures(rotated) if rotated else frozenset())


def gather(root: Path) -> Evidence:
    home, work = root / "home", root / "work"
    work.mkdir(parents=True)
    evidence = Evidence(make_cases())
    events = _events(work)
    cli = Cli(evidence.views)
    with pytest.MonkeyPatch.context() as environment:
        environment.setenv("JUPYTER_ACTIONS_HOME", str(home))
        for name in ("JUPYTER_ACTIONS_TENANT", "JUPYTER_ACTIONS_MASTER_KEY", "JUPYTER_ACTIONS_DATABASE_URL"):
            environment.delenv(name, raising=False)
        _create(evidence.cases)
        cli("flows", "bind", TRIGGER, "talker", "shaper", "ender")  # no api.cache: the lean batch path
        _before_rotation(cli, events, work)
        evidence.live[BEFORE] = _live(events)
        _rotate(cli, evidence)
        for name in FLOW:  # every leaked text changes: the saved cases fail and show differences
            (work / f"{name}.py").write_text(CHANGED[name])
            cli("save", name, "--trigger", TRIGGER, "--code", str(work / f"{name}.py"))
            cli("deploy", name)
        cli("flows", "bind", TRIGGER, *FLOW)  # keeper uses api.cache: the ordered batch path
        _after_rotation(cli, events, work)
        evidence.live[AFTER] = _live(events)
        with magics.shell(evidence.views) as shell:
            magics.exercise(shell, events)
        notebooks.authoring(evidence.views, events, work)
        notebooks.flow_executor(evidence.views, batch(events), work)
        _read_store(evidence)
    resources.close_all()
    checkpoint(home / "tenants" / "default" / "tenant.db")
    evidence.views.add_tree("tenant files", home)
    evidence.views.add_database("tenant files", home / "tenants" / "default" / "tenant.db")
    return evidence


def _events(folder: Path) -> dict[str, Path]:
    """mode -> a post-login event file; the batch of them all is ``all.jsonl`` beside them."""
    sample = get_trigger(TRIGGER).sample_payload()
    events = {mode: {**sample, "user": {**sample["user"], "email": f"{mode}@example.com"}} for mode in MODES}
    paths = {}
    for mode, event in events.items():
        paths[mode] = folder / f"{mode}.json"
        paths[mode].write_text(json.dumps(event))
    batch(paths).write_text("".join(json.dumps(event) + "\n" for event in events.values()))
    return paths


def batch(events: dict[str, Path]) -> Path:
    return events[MODES[0]].with_name("all.jsonl")


def _create(cases: tuple[Case, ...]) -> None:
    with Tenant() as tenant:
        for name, channels in ACTIONS.items():
            mine = [case for case in cases if case.channel in channels]
            tenant.save_draft(name, TRIGGER, CODE[name], secrets=[case.secret_name for case in mine])
            for case in mine:
                tenant.set_secret(name, case.secret_name, case.value)
            if name in FLOW:
                tenant.deploy(name)


def _before_rotation(cli: Cli, events: dict[str, Path], work: Path) -> None:
    """Records and saved cases made with the old values, to be read after the rotation; the
    batch goes through the lean path, inline and in the executor notebook."""
    for name in ("stasher", "keeper"):  # they cache the values to be rotated
        cli("test", name, "--payload", str(events["allow"]))
    for number, name in enumerate(("talker", "shaper", "keeper")):
        cli("test", name, "--payload", str(events["allow"]), "--save-case", f"{name}-allow", *TEXT_AND_JSON[number % 2])
    for number, mode in enumerate(ENDINGS):
        cli("test", "ender", "--payload", str(events[mode]), "--save-case", f"ender-{mode}", *TEXT_AND_JSON[number % 2])
    for number, mode in enumerate(("allow", "raise")):
        cli(
            "flows",
            "test",
            TRIGGER,
            "--event",
            str(events[mode]),
            "--save-case",
            f"flow-{mode}",
            *TEXT_AND_JSON[number % 2],
        )
    _batch(cli, events, work, ())
    notebook, results = work / "audit.ipynb", work / "audit.results.jsonl"
    cli(
        "flows",
        "run",
        TRIGGER,
        "--events",
        str(batch(events)),
        "--output",
        str(notebook),
        "--results",
        str(results),
        expect=1,
    )
    cli.views.add_file("notebooks", notebook)
    cli.outputs(results, Path(f"{results}.summary.json"))


def _batch(cli: Cli, events: dict[str, Path], work: Path, output: tuple[str, ...]) -> None:
    results = work / f"inline{''.join(output)}.results.jsonl"
    cli(
        "flows",
        "run",
        TRIGGER,
        "--executor",
        "inline",
        "--events",
        str(batch(events)),
        "--results",
        str(results),
        *output,
        expect=1,
    )
    cli.outputs(results, Path(f"{results}.summary.json"))


def _rotate(cli: Cli, evidence: Evidence) -> None:
    evidence.cache[BEFORE] = _cache()
    for case in evidence.cases:
        if case.channel in ("rotation", "draft-rotation"):
            value = evidence.rotated[case.id] = make_value(case.channel, case.form, "New")
            action = "keeper" if case.channel == "rotation" else "stasher"
            cli("secrets", "set", action, case.secret_name, stdin=value + "\n")


def _after_rotation(cli: Cli, events: dict[str, Path], work: Path) -> None:
    """Every action tested and the flow run on every kind of event; the saved cases run (and
    fail), suspended runs continued, replays, every execution shown."""
    for number, name in enumerate(("talker", "shaper", "keeper")):
        cli("test", name, "--payload", str(events["allow"]), *TEXT_AND_JSON[number % 2])
        cli("test", name, "--cases", *TEXT_AND_JSON[number % 2], expect=None)
    for mode in ENDINGS:
        for output in TEXT_AND_JSON:
            cli("test", "ender", "--payload", str(events[mode]), *output, expect=None)
    for output in TEXT_AND_JSON:
        cli("test", "ender", "--cases", *output, expect=1)
        cli("flows", "test", TRIGGER, *output, expect=1)
    for mode in MODES:
        cli("flows", "run", TRIGGER, "--executor", "inline", "--event", str(events[mode]), expect=None)
    for mode in ("redirect", "prompt"):
        suspended = cli.json("flows", "run", TRIGGER, "--executor", "inline", "--event", str(events[mode]))
        cli("flows", "continue", suspended["id"])
    _batch(cli, events, work, ("--json",))
    for candidate, output in (("keeper@1", ()), ("keeper@1", ("--json",)), ("ender@draft", ("--json",))):
        cli("replay", TRIGGER, "--candidate", candidate, "--limit", str(REPLAYED), *output)  # old values; changed draft
    cli("executions", "list", "--limit", "1000")
    for execution in cli.json("executions", "list", "--limit", "1000")["executions"]:
        cli("executions", "show", execution["id"])


def _live(events: dict[str, Path]) -> dict[str, Execution]:
    """What an application receives from the flow on each kind of event."""
    with Tenant() as tenant:
        return {mode: tenant.run_flow(TRIGGER, json.loads(events[mode].read_text())) for mode in MODES}


def _read_store(evidence: Evidence) -> None:
    evidence.cache[AFTER] = _cache()
    with Tenant() as tenant:
        evidence.saved = [case for name in ACTIONS for case in tenant.test_cases(name)] + tenant.flow_test_cases(
            TRIGGER
        )


def _cache() -> dict[str, str]:
    """The trigger's cache entries, decrypted."""
    with Tenant() as tenant, tenant.store.read() as conn:
        rows = conn.exec_driver_sql("SELECT key, value FROM cache_entries").all()
        return {key: tenant.cipher.decrypt(token) for key, token in rows}


def checkpoint(path: Path) -> None:
    """Everything of the WAL written into the database file, and the WAL emptied."""
    db = sqlite3.connect(path)
    try:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        assert busy == 0, "the checkpoint could not complete: a connection is still open"
    finally:
        db.close()
