"""Time adding and building action dependencies, with uv and with pip.

    python benchmarks/bench_deps.py [--runs 5] [--bulk 15] [--modules 40] [--pypi]

Offline by default: it builds the test wheelhouse of tests/deps (tiny ja-hello + ja-dep) plus
a generated `ja-bulk` closure of realistic size, and reads only that. For each lock it prints
the median of `--runs` timings of:

- add:        pin + lock of the dependency (what saving a draft with a new dependency costs)
- cold build: build into an empty environment cache; for uv twice, with an empty uv cache
              (first build on a machine) and with uv's wheel cache already filled
- warm build: `build()` of a lock that is built already (what every deploy does)
- status:     `status()` of a built lock

`--pypi` adds a real lock from PyPI (network; installer caches emptied for the cold runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "deps")]

from wheelhouse import build_wheelhouse, write_bulk_sources  # noqa: E402

from jupyter_actions.deps import EnvironmentCache, IndexConfig, Lock, lock, pin  # noqa: E402

# closures without native code (requests has one: charset-normalizer's wheels are compiled)
PYPI_DEPENDENCIES = ["slack-sdk", "pyjwt", "boto3"]


def median_seconds(action: Callable[[], object], runs: int, setup: Callable[[], None] = lambda: None) -> float:
    timings = []
    for _ in range(runs):
        setup()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def fresh_caches(scratch: Path) -> None:
    """Point uv and pip at new, empty caches (read by the installer subprocesses)."""
    folder = Path(tempfile.mkdtemp(dir=scratch))
    os.environ["UV_CACHE_DIR"] = str(folder / "uv")
    os.environ["PIP_CACHE_DIR"] = str(folder / "pip")


def add(dependencies: list[str], index: IndexConfig, installer: str) -> Lock:
    return lock([pin(d, index, installer=installer) for d in dependencies], index, installer=installer)


def build_cold(locked: Lock, index: IndexConfig, installer: str, scratch: Path) -> None:
    cache = EnvironmentCache(tempfile.mkdtemp(dir=scratch))
    result = cache.build(locked, index, installer=installer)
    if result.status != "built":
        raise SystemExit(f"build failed: {result.reason}")


def files_in(path: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


def measure(name: str, dependencies: list[str], index: IndexConfig, runs: int, scratch: Path) -> dict:
    fresh_caches(scratch)
    locked = add(dependencies, index, "uv")
    row: dict = {"name": name, "lock": locked}
    for installer in ("uv", "pip"):
        row[f"add {installer}"] = median_seconds(lambda tool=installer: add(dependencies, index, tool), runs)
    row["cold uv, empty uv cache"] = median_seconds(
        lambda: build_cold(locked, index, "uv", scratch), runs, lambda: fresh_caches(scratch)
    )
    fresh_caches(scratch)
    build_cold(locked, index, "uv", scratch)  # fill uv's wheel cache once
    row["cold uv, warm uv cache"] = median_seconds(lambda: build_cold(locked, index, "uv", scratch), runs)
    row["cold pip"] = median_seconds(
        lambda: build_cold(locked, index, "pip", scratch), runs, lambda: fresh_caches(scratch)
    )
    cache = EnvironmentCache(scratch / f"warm-{name}")
    cache.build(locked, index)
    row["files"] = files_in(cache.path_for(locked))
    row["warm build"] = median_seconds(lambda: cache.build(locked, index), runs * 20)
    row["status"] = median_seconds(lambda: cache.status(locked), runs * 20)
    return row


def report(rows: list[dict]) -> None:
    def ms(seconds: float) -> str:
        return f"{seconds * 1000:10.3f} ms"

    for row in rows:
        locked: Lock = row["lock"]
        print(f"\n{row['name']}: {len(locked.packages)} packages, {row['files']} files installed")
        for key in ("add uv", "add pip", "cold uv, empty uv cache", "cold uv, warm uv cache",
                    "cold pip", "warm build", "status"):  # fmt: skip
            print(f"  {key:<26}{ms(row[key])}")
        for uv_cache in ("empty", "warm"):
            ratio = row["cold pip"] / row[f"cold uv, {uv_cache} uv cache"]
            verdict = "met" if ratio >= 3 else "NOT met"
            print(f"  pip-cold / uv-cold, {uv_cache} uv cache: {ratio:5.1f}x (>= 3x: {verdict})")
        verdict = "met" if row["warm build"] <= 0.1 else "NOT met"
        print(f"  warm build <= 100 ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bulk", type=int, default=15, help="packages in the ja-bulk closure")
    parser.add_argument("--modules", type=int, default=40, help="modules per ja-bulk package")
    parser.add_argument("--pypi", action="store_true", help=f"also lock {PYPI_DEPENDENCIES} from PyPI")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        sources = write_bulk_sources(scratch / "sources", options.bulk, options.modules)
        wheelhouse = build_wheelhouse(scratch / "wheelhouse", sources)
        offline = IndexConfig(find_links=[str(wheelhouse)], offline=True)
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, median of {options.runs} runs")
        rows = [
            measure("small (ja-hello)", ["ja-hello"], offline, options.runs, scratch),
            measure("bulk (ja-bulk)", ["ja-bulk"], offline, options.runs, scratch),
        ]
        if options.pypi:
            name = "pypi " + " ".join(PYPI_DEPENDENCIES)
            rows.append(measure(name, PYPI_DEPENDENCIES, IndexConfig(), options.runs, scratch))
        report(rows)


if __name__ == "__main__":
    main()
