"""``flows run`` through the executor: a batch through the papermill executor notebook (its events
run locally, or on a Dask cluster) or inline."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from ..frontends import present
from ..outcome import Status
from . import output


def run_batch(args: argparse.Namespace, *, single: bool) -> int:
    from ..executor.events import check_readable
    from . import open_tenant

    scheduler = _scheduler(args)
    with open_tenant(args) as tenant:  # checked before a kernel is started
        if not tenant.flow(args.trigger):
            from ..errors import ExecutionError, Remedy

            raise ExecutionError(
                f"the {args.trigger} flow has no bound actions",
                remedy=Remedy("bind some", "flows bind", (args.trigger, "ACTION", "...")),
            )
        if scheduler:
            from ..executor.dask_run import require_postgres

            require_postgres(tenant)
        tenant_name = tenant.name
    events = _events_file(args) if single else check_readable(args.events)
    if scheduler:
        from ..executor.dask_run import connect

        connect(scheduler).close()  # reachable, with workers: before a kernel starts
    results = Path(args.results) if args.results else events.with_suffix(".results.jsonl")
    total = _count_lines(events)
    bar = _progress_bar(total) if sys.stderr.isatty() and not args.json else None
    try:
        if args.executor in ("papermill", "dask"):
            from ..executor.notebook import run_notebook

            notebook = Path(args.output) if args.output else events.with_suffix(".audit.ipynb")
            summary = run_notebook(
                tenant_name,
                args.trigger,
                events,
                results,
                notebook,
                progress=bar and bar.update_to,
                scheduler=scheduler,
            )
        else:
            from ..executor.batch import execute_batch

            notebook = None
            summary = execute_batch(
                tenant_name, args.trigger, str(events), str(results), on_progress=bar and bar.update_to
            ).to_json()
    finally:
        if bar:
            bar.close()
    if single:
        return _print_single(args, results, notebook)
    if args.json:
        output.emit_json({**summary, "results": str(results), "notebook": str(notebook) if notebook else None})
    else:
        print(present.batch_summary_text(summary))
        if summary.get("distributed"):
            from ..executor.summary import distributed_text

            print(distributed_text(summary["distributed"]))
        print(f"results: {results}")
        if notebook:
            print(f"executed notebook: {notebook}")
    denied = summary["statuses"].get(Status.DENIED, 0)
    return 1 if summary["failed"] or (args.fail_on == "deny" and denied) else 0


def _scheduler(args: argparse.Namespace) -> str | None:
    """The Dask scheduler's address: given with --executor dask, and only then."""
    from ..errors import InvalidInputError

    if args.executor == "dask" and not args.scheduler:
        raise InvalidInputError("--executor dask needs --scheduler ADDRESS: the Dask scheduler to run the events on")
    if args.scheduler and args.executor != "dask":
        raise InvalidInputError(f"--scheduler is for --executor dask, not {args.executor}: add --executor dask")
    return args.scheduler


def _events_file(args: argparse.Namespace) -> Path:
    """A one-line events file for a single run (--event, or the trigger's sample)."""
    from .flows_cmd import test_event

    event = test_event(args)
    folder = Path(tempfile.mkdtemp(prefix="jupyter-actions-run-"))
    path = folder / ((Path(args.event).stem if args.event else f"{args.trigger}-sample") + ".jsonl")
    path.write_text(json.dumps(event) + "\n")
    return path


def _print_single(args: argparse.Namespace, results: Path, notebook: Path | None) -> int:
    from . import open_tenant

    line = json.loads(results.read_text().splitlines()[0])
    if line["status"] == "invalid":
        from ..errors import PayloadError

        raise PayloadError(line["error"])
    with open_tenant(args) as tenant:
        execution = tenant.execution(line["execution_id"])
    output.execution(args.json, execution)
    if notebook and not args.json:
        print(f"\nexecuted notebook: {notebook}")
    return output.exit_status(execution.outcome, args.fail_on)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _progress_bar(total: int):  # noqa: ANN202
    from tqdm import tqdm

    bar = tqdm(total=total, unit="event", file=sys.stderr)

    def update_to(done: int) -> None:
        bar.update(done - bar.n)

    bar.update_to = update_to
    return bar
