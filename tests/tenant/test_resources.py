"""A tenant releases everything it started: the workers of its pool, its record sink, its
store connections; nothing process-wide keeps them alive."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from jupyter_actions import ExecutionError, Tenant
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


def use_everything(tenant: Tenant) -> None:
    """A flow, a test run of the draft and a batch: warm workers of both kinds, and a sink."""
    use(tenant)
    tenant.save_draft("hello", "post-login", POST_LOGIN_CODE + "# the draft\n")
    assert tenant.test("hello").outcome["status"] == "allowed"
    event = get_trigger("post-login").sample_payload()
    ran = dict(tenant.run_flow_batch("post-login", [event] * 5))
    assert sorted(ran) == list(range(5)) and all(e.outcome["status"] == "allowed" for e in ran.values())
    tenant.flush()


@pytest.mark.slow  # each starts workers and a sink process: 5 to 10 s on a busy host
def test_closing_tenants_leaves_no_process_behind(actions_home):
    before = set(children())
    tenants = [Tenant(name) for name in ("one", "two", "three")]
    for tenant in tenants:
        use_everything(tenant)
    started = set(children()) - before
    assert len([pid for pid in started if SINK in children().get(pid, b"")]) == 3  # one sink each
    assert len(started) > 3  # and warm workers: the check below means something
    for tenant in tenants:
        tenant.close()
    assert set(children()) <= before


@pytest.mark.slow  # each starts workers and a sink process: 5 to 10 s on a busy host
def test_a_with_block_leaves_no_process_behind(actions_home):
    before = set(children())
    with Tenant("scoped") as tenant:
        use_everything(tenant)
        assert len(set(children()) - before) > 1  # workers and the sink were running
    assert set(children()) <= before


@pytest.mark.slow  # each starts workers and a sink process: 5 to 10 s on a busy host
def test_closing_one_tenant_object_leaves_another_on_the_same_database_running(actions_home):
    first, second = Tenant("shared"), Tenant("shared")
    use(first)
    use(second)
    assert len(sinks()) == 1  # the objects on one database lease its one sink
    first.close()
    assert len(sinks()) == 1 and len(second.executions()) == 2  # the second's lease keeps it; all committed
    use(second)
    second.close()
    assert sinks() == []


@pytest.mark.slow  # each starts workers and a sink process: 5 to 10 s on a busy host
def test_a_closed_tenant_works_again_when_used(actions_home):
    tenant = Tenant("again")
    use(tenant)
    tenant.close()
    use(tenant)
    assert len(tenant.executions()) == 2
    tenant.close()
    assert sinks() == []


def open_files(prefix: Path) -> list[str]:
    """This process's descriptors open on the store file (and its -wal and -shm)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(prefix)):
            found.append(target)
    return found


@pytest.mark.slow  # each starts workers and a sink process: 5 to 10 s on a busy host
def test_closing_releases_the_store_connections(actions_home):
    with Tenant("files") as tenant:
        use_everything(tenant)
        store_file = tenant.directory / "tenant.db"
        assert open_files(store_file)  # the store and the hot path hold connections
    assert open_files(store_file) == []


@pytest.mark.slow  # each starts workers and a sink process: 5 to 10 s on a busy host
def test_a_tenant_whose_sink_died_still_releases_everything_on_close(actions_home):
    before = set(children())
    tenant = Tenant("killed")
    use_everything(tenant)
    store_file = tenant.directory / "tenant.db"
    tenant.run_flow("post-login", get_trigger("post-login").sample_payload())  # not flushed yet
    for pid in sinks():
        os.kill(pid, signal.SIGKILL)
    with pytest.raises(ExecutionError, match="record writer stopped unexpectedly"):
        tenant.close()  # the records it could not commit are reported, not lost in silence
    assert set(children()) <= before
    assert open_files(store_file) == []
