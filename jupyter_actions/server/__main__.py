"""``python -m jupyter_actions.server [--host H] [--port P] [--certfile F --keyfile F]``: the
standalone server, printing ``listening on PORT`` once it accepts connections."""

from __future__ import annotations

import argparse
import sys

from ..errors import ActionsError
from .standalone import DEFAULT_HOST, DEFAULT_PORT, serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jupyter_actions.server", description=__doc__)
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    args = parser.parse_args(argv)
    try:
        serve(args.host, args.port, args.certfile, args.keyfile,
              on_ready=lambda port: print(f"listening on {port}", flush=True))
    except (ActionsError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
