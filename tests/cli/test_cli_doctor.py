"""``jupyter-actions doctor`` and the sandbox settings from the command line."""

from __future__ import annotations

import json

from jupyter_actions.runtime.sandbox import LAYERS, landlock_abi


def test_doctor_prints_every_layer_and_exits_0(cli):
    result = cli("doctor")
    assert result.status == 0, result.err
    lines = result.out.splitlines()
    for layer in LAYERS:
        assert any(line.split()[:1] == [layer] for line in lines), layer
    assert f"Landlock ABI: {landlock_abi() or 'none'}" in lines
    assert "tenant: sandbox = " in result.out


def test_doctor_json_follows_the_tenant_settings(cli):
    assert cli("settings", "set", "outbound_network", "443").status == 0
    assert cli("settings", "set", "sandbox", "best-effort").status == 0
    result = cli("doctor", "--json")
    assert result.status == 0, result.err
    info = json.loads(result.out)
    assert set(info["layers"]) == set(LAYERS)
    assert (info["sandbox"], info["outbound_network"], info["runs_action_code"]) == ("best-effort", "443", True)
    assert info["landlock_abi"] == landlock_abi()


def test_settings_refuse_nan_and_unknown_modes_in_one_line(cli):
    for args, message in (
        (("flow_timeout_s", "nan"), "takes a finite number"),
        (("sandbox", "lax"), "takes strict or best-effort"),
        (("outbound_network", "http"), "must be open, deny or a comma list of TCP ports"),
    ):
        result = cli("settings", "set", *args)
        assert result.status == 1 and result.err.count("\n") == 1, result.err
        assert message in result.err
