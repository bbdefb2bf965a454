"""Writes the OpenAPI document the CRM app serves: ``python export_openapi.py <out.json>``.

It builds the app without a database (no connection is opened) and writes ``app.openapi()``, the
same document ``GET /openapi.json`` answers.
"""

from __future__ import annotations

import sys

from sqlalchemy import create_engine

from crm_app.app import create_app
from sync_patterns_fastapi import export_openapi


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python export_openapi.py <out.json>", file=sys.stderr)
        return 2
    # create_engine connects lazily: the document needs no database.
    engine = create_engine("postgresql+psycopg://unused@127.0.0.1:1/unused")
    app = create_app("postgresql://unused", create_tables=False, engine=engine)
    export_openapi(app, argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
