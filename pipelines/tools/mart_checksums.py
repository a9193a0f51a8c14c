"""A content checksum per built table, to compare two warehouses (an incremental build against a full one).

Usage: .venv/bin/python -m pipelines.tools.mart_checksums [warehouse.duckdb] [schema ...]
Order does not matter (rows are hashed one by one and summed); a value that differs, a row more or less does.
"""

from __future__ import annotations

import sys

import duckdb

SCHEMAS = ("marts", "ops", "analytics")


def checksums(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = SCHEMAS) -> dict[str, tuple[int, int]]:
    """{schema.table: (rows, sum of row hashes)} for every table and view of these schemas."""
    names = con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        f"WHERE table_schema IN ({', '.join('?' for _ in schemas)}) ORDER BY 1, 2",
        list(schemas),
    ).fetchall()
    out = {}
    for schema, name in names:
        rows, digest = con.execute(
            f'SELECT count(*), coalesce(sum(hash(t)::hugeint), 0) FROM {schema}."{name}" AS t'
        ).fetchone()
        out[f"{schema}.{name}"] = (rows, int(digest))
    return out


def main(argv: list[str]) -> int:
    path = argv[0] if argv else "warehouse/un.duckdb"
    schemas = tuple(argv[1:]) or SCHEMAS
    with duckdb.connect(path, read_only=True) as con:
        for name, (rows, digest) in checksums(con, schemas).items():
            print(f"{name}\t{rows}\t{digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
