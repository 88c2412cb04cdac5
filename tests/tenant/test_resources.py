"""A tenant releases what it started: its workers and, with the last lease, the record sink."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jupyter_actions import Tenant
from jupyter_actions.triggers import get_trigger
from tests.conftest import POST_LOGIN_CODE

SINK = b"jupyter_actions.engine.sink"


def children() -> dict[int, bytes]:
    """This process's child processes (zombies included) and their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # gone meanwhile
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
            found[int(entry.name)] = command
    return found


def sinks() -> list[int]:
    return [pid for pid, command in children().items() if SINK in command]


def use(tenant: Tenant) -> None:
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE, deploy=True)
    tenant.bind("post-login", ["hello"])
    assert tenant.run_flow("post-login", get_trigger("post-login").sample_payload()).outcome["status"] == "allowed"
    tenant.flush()


@pytest.mark.slow
def test_closing_tenants_leaves_no_process_behind(actions_home):
    before = set(children())
    for name in ("one", "two", "three"):
        with Tenant(name) as tenant:
            use(tenant)
            assert len(sinks()) == 1  # the records went through a sink: the check below means something
    assert set(children()) <= before


def test_tenant_objects_on_one_database_share_the_sink_until_the_last_closes(actions_home):
    first, second = Tenant("shared"), Tenant("shared")
    use(first)
    use(second)
    assert len(sinks()) == 1
    first.close()
    assert len(sinks()) == 1 and len(second.executions()) == 2
    second.close()
    assert sinks() == []


@pytest.mark.slow
def test_a_closed_tenant_works_again_when_used(actions_home):
    tenant = Tenant("again")
    use(tenant)
    tenant.close()
    use(tenant)
    assert len(tenant.executions()) == 2
    tenant.close()
    assert sinks() == []
