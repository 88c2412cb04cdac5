"""How much ``%load_ext jupyter_actions`` adds to an IPython start (budget: 150 ms).

Each sample is a fresh interpreter that starts a bare IPython shell, then loads the extension,
timing both in the same process. Prints the medians and whether anything heavy was imported.

    python benchmarks/bench_magics.py [--samples N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

BUDGET_MS = 150.0
HEAVY = ("papermill", "sqlalchemy", "ipywidgets")

SAMPLE = f"""
import json, sys, time
started = time.perf_counter()
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
shell_ready = time.perf_counter()
shell.run_line_magic("load_ext", "jupyter_actions")
loaded = time.perf_counter()
print(json.dumps({{"ipython_ms": (shell_ready - started) * 1000, "extension_ms": (loaded - shell_ready) * 1000,
                  "heavy": sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})}}))
"""


def sample() -> dict:
    done = subprocess.run([sys.executable, "-c", SAMPLE], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=7)
    args = parser.parse_args()
    samples = [sample() for _ in range(args.samples)]
    ipython = statistics.median(s["ipython_ms"] for s in samples)
    extension = statistics.median(s["extension_ms"] for s in samples)
    heavy = sorted({m for s in samples for m in s["heavy"]})
    print(f"bare IPython start (import + shell)  {ipython:7.1f} ms  (median of {args.samples})")
    print(f"%load_ext jupyter_actions adds       {extension:7.1f} ms  (budget {BUDGET_MS:.0f} ms)")
    print(f"heavy modules imported at load       {', '.join(heavy) or 'none'}")
    return 0 if extension <= BUDGET_MS and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
