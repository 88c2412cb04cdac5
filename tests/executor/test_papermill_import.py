"""papermill is imported without compiling rfc3987_syntax's grammar (executor/papermill_import.py)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from jupyter_actions.executor.papermill_import import import_papermill
papermill = import_papermill()
import nbformat
notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
nbformat.validate(notebook)
print(json.dumps({"papermill": hasattr(papermill, "execute_notebook"), "slow_loaded": "rfc3987_syntax" in sys.modules,
                  "placeholder_left": sys.modules.get("rfc3987_syntax", 0) is None}))
"""


def test_papermill_imports_and_validates_notebooks_without_the_iri_grammar() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(out.stdout) == {"papermill": True, "slow_loaded": False, "placeholder_left": False}


def test_a_process_that_loaded_jsonschema_first_is_left_alone() -> None:
    probe = "import jsonschema\n" + PROBE
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    result = json.loads(out.stdout)
    assert result["papermill"] and not result["placeholder_left"]
