"""``jupyter-actions doctor`` and the sandbox settings from the command line."""

from __future__ import annotations

import json

from jupyter_actions.runtime.sandbox import LAYERS, landlock_abi


def test_doctor_prints_every_layer_and_exits_0(run_cli):
    result = run_cli("doctor")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for layer in LAYERS:
        assert any(line.split()[:1] == [layer] for line in lines), layer
    assert f"Landlock ABI: {landlock_abi() or 'none'}" in lines
    assert "tenant: sandbox = " in result.stdout


def test_doctor_json_follows_the_tenant_settings(run_cli):
    assert run_cli("settings", "set", "outbound_network", "443").returncode == 0
    assert run_cli("settings", "set", "sandbox", "best-effort").returncode == 0
    result = run_cli("doctor", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info["layers"]) == set(LAYERS)
    assert (info["sandbox"], info["outbound_network"], info["runs_action_code"]) == ("best-effort", "443", True)
    assert info["landlock_abi"] == landlock_abi()


def test_settings_refuse_nan_and_unknown_modes_in_one_line(run_cli):
    for args, message in ((("flow_timeout_s", "nan"), "takes a finite number"),
                          (("sandbox", "lax"), "takes strict or best-effort"),
                          (("outbound_network", "http"), "must be open, deny or a comma list of TCP ports")):
        result = run_cli("settings", "set", *args)
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert message in result.stderr
