"""The short summary a run prints, read back from the warehouse it just built; decides the exit code."""

from __future__ import annotations

import duckdb

from pipelines import warehouse
from pipelines.operations.config import Settings
from pipelines.publishing import published_path


def collect(con: duckdb.DuckDBPyConnection) -> dict:
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    return {
        "documents": q("SELECT status, count(*) FROM ops.ingest_log GROUP BY 1 ORDER BY 1"),
        "problems": q("SELECT status, reason, message FROM ops.ingest_log WHERE status <> 'parsed' ORDER BY 1, 3"),
        "facts": q(
            "SELECT 'resources', count(*) FROM marts.fct_resources UNION ALL "
            "SELECT 'posts', count(*) FROM marts.fct_posts UNION ALL "
            "SELECT 'KPIs', count(*) FROM marts.fct_kpis UNION ALL "
            "SELECT 'printed changes', (SELECT count(*) FROM marts.fct_resource_changes) "
            "+ (SELECT count(*) FROM marts.fct_post_count_changes)"
        ),
        "findings": q("SELECT severity, count(*) FROM ops.parse_findings GROUP BY 1 ORDER BY 1"),
        "dq": q("SELECT severity, count(*) FROM ops.dq_findings GROUP BY 1 ORDER BY 1"),
        "rules": q("SELECT count(*), count(*) FILTER (WHERE agrees) FROM ops.rpt_reconciliation"),
        "timing": _timing(con),
    }


def _timing(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """Read and parse seconds as the last ingestion measured them (raw.ingest_log; a rerun skips parsing)."""
    try:
        return con.execute(
            "SELECT document_kind = 'revised_estimates', count(*), sum(read_seconds), "
            "sum(parse_seconds), min(regexp_extract(source_path, '[^/]+$')) FROM raw.ingest_log "
            "WHERE read_seconds IS NOT NULL GROUP BY 1 ORDER BY 1"
        ).fetchall()
    except duckdb.Error:  # a warehouse landed before the log had these columns
        return []


def timing_line(rows: list[tuple]) -> str:
    """Word files and text documents apart: the Word file's XML read dominates its time."""
    parts = []
    for is_word, n, read_s, parse_s, name in rows:
        what = f"Word file {name}" if is_word and n == 1 else ("Word files" if is_word else "text documents")
        count = "" if is_word and n == 1 else f" ({n})"
        parts.append(f"{what}{count}: read {read_s:.1f} s, parse {parse_s or 0:.1f} s")
    return "read/parse time: " + ("; ".join(parts) or "none measured")


def print_summary(
    settings: Settings,
    run_ok: bool,
    failed_checks: list[str],
    validation_seconds: float,
    blocking_reasons: tuple[str, ...],
) -> int:
    """Print the summary; return the exit code (0 only if the run and every blocking rule passed)."""
    print("\n=== unwh run summary ===")
    blocked: list[str] = []
    try:
        with warehouse.reading(settings) as con:  # on the file: under the lock, another run may be writing
            s = collect(con)
    except duckdb.Error as exc:
        print(f"warehouse or marts not readable: {exc}")
        s = None
    if s:
        print("documents: " + ", ".join(f"{n} {status}" for status, n in s["documents"]))
        for status, reason, message in s["problems"]:
            print(f"  - {status} ({reason or '-'}): {message}")
            if status == "quarantined" and reason in blocking_reasons:
                blocked.append(message)
        print("facts: " + ", ".join(f"{name} {n}" for name, n in s["facts"]))
        print(timing_line(s["timing"]))
        print("parse findings: " + (", ".join(f"{sev} {n}" for sev, n in s["findings"]) or "none"))
        checked, agree = s["rules"][0]
        print(
            f"consistency rules: {checked} checked, {agree} agree; data-quality findings: "
            + (", ".join(f"{sev} {n}" for sev, n in s["dq"]) or "none")
        )
    print(f"validation: {validation_seconds:.1f} s in Great Expectations (import included)")
    for key in failed_checks:
        print(f"failed check (error): {key}")
    ok = run_ok and s is not None and not blocked
    print(f"warehouse: {settings.warehouse_catalog if settings.lake else settings.warehouse_path}")
    if ok:
        print(
            "published: "
            + (
                f"the lake's marts, ops and analytics ({settings.warehouse_catalog})"
                if settings.lake
                else str(published_path(settings.warehouse_path))
            )
        )
    elif not run_ok:
        print("a step failed: the published copy was not replaced (see the log above)")
    print("RESULT: " + ("OK" if ok else "FAILED"))
    return 0 if ok else 1
