"""``doctor``: which sandbox layers work on this machine, and the tenant's sandbox settings."""

from __future__ import annotations

import argparse

from . import output


def register(commands, common: argparse.ArgumentParser) -> None:  # noqa: ANN001
    parser = commands.add_parser("doctor", help="show which sandbox layers work on this machine",
                                 description="Boot a throwaway sandboxed worker and report each layer "
                                             "(active, or why it is missing), the Landlock ABI, and the "
                                             "tenant's sandbox and outbound_network settings.",
                                 parents=[common])
    parser.add_argument("--json", action="store_true", help="print JSON only")
    parser.set_defaults(func=_doctor)


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
