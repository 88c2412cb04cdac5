"""``tenants list|create|delete`` and the rule that only a command that creates things creates a
tenant (jupyter_actions/tenant/registry.py)."""

from __future__ import annotations

import json

import pytest

from jupyter_actions import Tenant, TenantNotFound
from jupyter_actions.cli import main
from tests.conftest import POST_LOGIN_CODE


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_a_reading_command_on_a_missing_tenant_names_the_existing_ones(capsys, actions_home) -> None:
    assert _run(capsys, "tenants", "create", "dev")[0] == 0
    status, out, err = _run(capsys, "--tenant", "typo", "actions", "list")
    assert status == 1 and out == ""
    assert err == (
        "error: tenant 'typo' does not exist (the tenants are dev): "
        "create it with `jupyter-actions tenants create typo`\n"
    )
    assert not (actions_home / "tenants" / "typo").exists()
    for argv in (("versions", "x"), ("executions", "list"), ("settings", "list"), ("deploy", "x")):
        assert _run(capsys, "--tenant", "typo", *argv)[0] == 1
    assert not (actions_home / "tenants" / "typo").exists()


def test_save_creates_its_tenant_and_the_default_tenant_needs_no_creating(capsys, tmp_path, actions_home) -> None:
    code = tmp_path / "hello.py"
    code.write_text(POST_LOGIN_CODE)
    assert _run(capsys, "--tenant", "fresh", "save", "hello", "--trigger", "post-login", "--code", str(code))[0] == 0
    assert _run(capsys, "--tenant", "fresh", "actions", "list")[1].splitlines()[1].startswith("hello")
    assert _run(capsys, "actions", "list") == (0, "NAME  TRIGGER  DEPLOYED  STATUS  UPDATED\n(none)\n", "")
    status, out, _ = _run(capsys, "tenants", "list", "--json")
    assert status == 0 and json.loads(out) == {"tenants": ["default", "fresh"]}


def test_create_then_delete(capsys, actions_home) -> None:
    assert _run(capsys, "tenants", "create", "dev") == (0, "created tenant dev\n", "")
    assert _run(capsys, "tenants", "create", "dev") == (0, "tenant dev exists already\n", "")
    assert _run(capsys, "tenants", "list")[1] == "TENANT\ndev\n"
    status, _, err = _run(capsys, "tenants", "delete", "dev")  # stdin is no terminal: --yes is needed
    assert status == 1 and "add --yes" in err and (actions_home / "tenants" / "dev").is_dir()
    status, out, _ = _run(capsys, "tenants", "delete", "dev", "--yes")
    assert status == 0 and out.startswith("deleted tenant dev")
    assert not (actions_home / "tenants" / "dev").exists()
    status, _, err = _run(capsys, "tenants", "delete", "dev", "--yes")
    assert status == 1 and err.startswith("error: tenant 'dev' does not exist (there are no tenants yet)")


def test_delete_refuses_a_tenant_whose_store_is_a_database_of_its_own(capsys, actions_home) -> None:
    (actions_home / "tenants" / "team").mkdir(parents=True)  # only its key lives here: the store is elsewhere
    status, _, err = _run(capsys, "tenants", "delete", "team", "--yes")
    assert status == 1 and "keeps its store in a database of its own" in err
    assert (actions_home / "tenants" / "team").is_dir()


def test_tenant_create_false_raises_tenant_not_found(actions_home) -> None:
    with pytest.raises(TenantNotFound) as raised:
        Tenant("nope", create=False)
    assert raised.value.existing == () and raised.value.remedy.command == "tenants create"
    with Tenant(create=False) as default:  # the default tenant is created on first use
        assert default.name == "default"
