"""Loading the extension: fast, nothing heavy imported, configurable, full help."""

from __future__ import annotations

import json
import subprocess
import sys

from jupyter_actions.frontends import commands

HEAVY = ("papermill", "sqlalchemy", "ipywidgets", "jupyter_actions.tenant", "jupyter_actions.engine")

PROBE = """
import json, sys, time
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
started = time.perf_counter()
shell.run_line_magic("load_ext", "jupyter_actions")
elapsed = time.perf_counter() - started
print(json.dumps({"ms": elapsed * 1000, "modules": sorted(sys.modules),
                  "magics": sorted(shell.magics_manager.magics["line"]) + sorted(shell.magics_manager.magics["cell"])}))
"""


def test_loading_imports_nothing_heavy_and_registers_both_magics() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True)
    probe = json.loads(done.stdout)
    loaded = [m for m in probe["modules"] if m.split(".")[0] in HEAVY or m in HEAVY]
    assert loaded == []
    assert probe["magics"].count("action") == 2  # the line magic and the cell magic
    assert probe["ms"] < 1000  # benchmarks/bench_magics.py measures the real figure


def test_config_selects_the_tenant_and_only_a_cell_creates_it(ip, cell, usage_error, actions_home) -> None:
    ip.run_line_magic("config", 'ActionMagics.tenant = "staging"')
    message = usage_error("%action list")
    assert message.startswith("tenant 'staging' does not exist") and "%config ActionMagics.tenant" in message
    assert "jupyter-actions" not in message
    assert not (actions_home / "tenants" / "staging").exists()
    cell("%%action greet --trigger post-login\nasync def on_execute_post_login(event, api):\n    pass\n")
    assert [a.name for a in cell("%action list")] == ["greet"]
    assert (actions_home / "tenants" / "staging" / "tenant.db").exists()
    ip.run_line_magic("config", "ActionMagics.tenant = None")


def test_line_magic_help_lists_every_subcommand_with_its_options(ip) -> None:
    doc = ip.find_line_magic("action").__doc__
    for command in commands.commands_in(commands.LINE):
        assert f"%action {' '.join(command.names[commands.LINE])}" in doc
    for text in ("--payload VAR_OR_FILE", "--from-env VAR", "--message MESSAGE", "--template ID", "%action deps add"):
        assert text in doc


def test_cell_magic_help_shows_its_options(ip) -> None:
    doc = ip.find_cell_magic("action").__doc__
    for text in ("%%action --trigger TRIGGER", "--secret NAME", "--dependency PKG[==V]", "Save Draft"):
        assert text in doc
