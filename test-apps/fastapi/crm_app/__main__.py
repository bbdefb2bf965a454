"""``python -m crm_app --database-url postgres://… [--port 0] [--broken wrong-txid|double-write]``

Serves the CRM with uvicorn. ``--port 0`` picks a free port; the first stdout line is
``listening on http://127.0.0.1:<port>`` once the socket is bound.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

import uvicorn

from .app import create_app


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m crm_app", description=__doc__)
    p.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--broken", choices=["wrong-txid", "double-write"])
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url (or DATABASE_URL) is required")
    app = create_app(args.database_url, broken=args.broken)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    port = sock.getsockname()[1]
    print(f"listening on http://{args.host}:{port}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
