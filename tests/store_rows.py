"""Every row of every table of a tenant's store: what "nothing changed" compares."""

from __future__ import annotations

from typing import Any

from jupyter_actions import Tenant
from jupyter_actions.store.schema import metadata


def snapshot(tenant: Tenant) -> dict[str, list[tuple[Any, ...]]]:
    tenant.flush()
    with tenant.store.read() as conn:
        return {table.name: [tuple(row) for row in conn.execute(table.select())] for table in metadata.sorted_tables}
