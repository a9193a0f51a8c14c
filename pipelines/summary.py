"""The short summary a run prints, read back from the warehouse it just built."""

from __future__ import annotations

import duckdb

from pipelines.config import Settings


def collect(con: duckdb.DuckDBPyConnection) -> dict:
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    return {
        "documents": q("SELECT status, document_kind, count(*) FROM raw.documents GROUP BY ALL ORDER BY ALL"),
        "facts": q("SELECT 'resources', count(*) FROM marts.fct_resources UNION ALL "
                   "SELECT 'resource changes', count(*) FROM marts.fct_resource_changes UNION ALL "
                   "SELECT 'posts', count(*) FROM marts.fct_posts UNION ALL "
                   "SELECT 'post-count changes', count(*) FROM marts.fct_post_count_changes UNION ALL "
                   "SELECT 'post-change details', count(*) FROM marts.fct_post_change_details"),
        "entities": q("SELECT entity_code, count(*) FROM marts.fct_resources WHERE entity_code IS NOT NULL "
                      "GROUP BY 1 ORDER BY 1"),
        "findings": q("SELECT severity, count(*) FROM marts.parse_findings GROUP BY 1 ORDER BY 1"),
        "dq": q("SELECT severity, count(*) FROM marts.dq_findings GROUP BY 1 ORDER BY 1"),
        "rules": q("SELECT count(*), count(*) FILTER (WHERE agrees) FROM marts.rpt_reconciliation"),
        "messages": q("SELECT source_path, status, message FROM raw.documents WHERE status <> 'parsed' ORDER BY 1"),
    }


def print_summary(settings: Settings, ok: bool, blocking_check_failures: list[str],
                  validation_seconds: float | None = None) -> None:
    print("\n=== unwh run summary ===")
    try:
        con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    except duckdb.Error as exc:
        print(f"warehouse not readable: {exc}")
        print("RESULT: FAILED")
        return
    try:
        s = collect(con)
    except duckdb.Error as exc:
        print(f"marts not built: {exc}")
        s = None
    finally:
        con.close()
    if s:
        print("documents: " + ", ".join(f"{n} {kind} {status}" for status, kind, n in s["documents"]))
        for _path, status, msg in s["messages"]:
            print(f"  - {status}: {msg}")
        print("facts: " + ", ".join(f"{name} {n}" for name, n in s["facts"]))
        print("resource values by entity: " + ", ".join(f"{e} {n}" for e, n in s["entities"]))
        print("parse findings: " + (", ".join(f"{sev} {n}" for sev, n in s["findings"]) or "none"))
        checked, agree = s["rules"][0]
        print(f"consistency rules: {checked} checked, {agree} agree; data-quality findings: "
              + (", ".join(f"{sev} {n}" for sev, n in s["dq"]) or "none"))
    if validation_seconds is not None:
        print(f"validation: {validation_seconds:.1f} s in Great Expectations (import included)")
    for key in blocking_check_failures:
        print(f"blocking check failed: {key}")
    print(f"warehouse: {settings.warehouse_path}")
    print("RESULT: " + ("OK" if ok else "FAILED"))
