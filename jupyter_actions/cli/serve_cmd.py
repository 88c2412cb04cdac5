"""``serve`` and ``tokens create|list|revoke``: thin calls to jupyter_actions/server."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from . import output

if TYPE_CHECKING:
    from ..tenant import Tenant


def _serve(args: argparse.Namespace) -> int:
    from ..server.standalone import serve

    with _tenant(args) as tenant:
        serve(
            args.host,
            args.port,
            args.certfile,
            args.keyfile,
            tenant,
            threads=args.threads,
            on_ready=lambda port: print(
                f"serving the REST API on {'https' if args.certfile else 'http'}://"
                f"{args.host}:{port}/api/v2/ (stop with Ctrl-C or SIGTERM)",
                flush=True,
            ),
        )
    return 0


def _create(args: argparse.Namespace) -> int:
    from ..server import tokens

    with _tenant(args) as tenant:
        info, token = tokens.create(tenant, args.name, args.scope, args.expires)
    if args.json:
        output.emit_json({**info.to_json(), "token": token})
    else:
        print(token)
        print(f"token {info.name} ({info.scope}) created; it is shown only now: store it safely", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    from ..server import tokens

    with _tenant(args) as tenant:
        found = tokens.list_tokens(tenant)
    if args.json:
        output.emit_json({"tokens": [t.to_json() for t in found]})
    else:
        output.table(
            ["name", "scope", "created", "expires", "state"],
            [
                (
                    t.name,
                    t.scope,
                    t.created_at,
                    t.expires_at or "never",
                    "revoked" if t.revoked_at else "active" if t.active else "expired",
                )
                for t in found
            ],
        )
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from ..server import tokens

    with _tenant(args) as tenant:
        tokens.revoke(tenant, args.name)
    print(f"token {args.name} revoked")
    return 0


def _tenant(args: argparse.Namespace) -> Tenant:
    from . import open_tenant

    return open_tenant(args)


HANDLERS = {"serve": _serve, "tokens create": _create, "tokens list": _list, "tokens revoke": _revoke}
