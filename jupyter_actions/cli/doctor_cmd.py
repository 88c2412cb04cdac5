"""``doctor``: which sandbox layers work on this machine, and the tenant's sandbox settings."""

from __future__ import annotations

import argparse

from . import output


def _doctor(args: argparse.Namespace) -> int:
    from ..runtime import sandbox
    from . import open_tenant

    with open_tenant(args) as tenant:
        values = tenant.settings
    info = sandbox.diagnose(sandbox.probe(), values["sandbox"], values["outbound_network"])
    if args.json:
        output.emit_json(info)
    else:
        print(sandbox.diagnosis_text(info))
    return 0


HANDLERS = {"doctor": _doctor}
