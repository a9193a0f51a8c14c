"""Running it for real: bad input beside good, two runs at once, replace and delete, kill -9, readers.

One scenario, one sequence of `unwh run` in subprocesses whose steps the tests below assert: bad inputs
beside the fascicle and the two work reports (the Word file is left out: it is slow to read and nothing here
is about it), landed by a first run (a truncated document of ours keeps it from saving a good run); then
replace, delete and truncate, landed by two runs at once, each writing after the other at every step, the
first to rebuild the marts killed with -9 there, and the other repairing the working copy and publishing
while a reader holds the published copy. The clean run they are compared with is the session's warehouse
(tests/conftest.py), per document. (Two runs at once that both publish in turn: tests/test_lake.py.)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from pipelines.operations.lock import warehouse_lock
from tests.conftest import HIGHLIGHTS_2023, RAW, REPORT_2022, ROOT
from tests.scenarios import scenario
from tests.test_bad_inputs import make_corpus

UNWH = Path(sys.executable).parent / "unwh"
FASCICLE_NAME = "002_76b708e149a256cd.txt"
GBK_NAME = "2023 年 报告 亮点 (GBK).txt"
NEW_GBK_VALUE = (
    "SELECT DISTINCT value_numeric FROM marts.fct_kpis k JOIN marts.dim_document d USING (document_id) "
    "WHERE k.source_line = 34 AND d.source_path LIKE '%亮点 (GBK).txt'"
)
TRUNCATED_FASCICLE = "002_76b708e149a256cd.txt: 1 parse errors, first at line 4099: the document ends inside table 3.27"


def env_for(raw: Path, wh: Path) -> dict:
    return {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_PATH": str(wh), "WAREHOUSE_LOCK_TIMEOUT": "600"}


def run(raw: Path, wh: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(UNWH), "run"], cwd=ROOT, env=env_for(raw, wh), capture_output=True, text=True, timeout=900, check=False
    )


def start(raw: Path, wh: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [str(UNWH), "run"],
        cwd=ROOT,
        env=env_for(raw, wh),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kw,
    )


def fingerprint(path: Path, tables=("raw", "marts", "ops")) -> dict[str, tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = "
            f"'BASE TABLE' AND table_schema IN {tuple(tables)}"
        ).fetchall()
        return {
            f"{s}.{t}": con.execute(f"SELECT count(*), sum(hash(x)) FROM {s}.{t} AS x").fetchone() for s, t in names
        }
    finally:
        con.close()


def query(path: Path, sql: str, params=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# columns in which these documents' rows differ from the clean run's without being wrong: where the file is and
# how it is encoded (a copy in another folder, the GBK copy of the highlights), how long reading it took; in a
# table that names the file (source_path), its message too. Of the files (raw.documents), the documents:
# the copies of one in other encodings and names share its id (their statuses are asserted below)
ELSEWHERE = ("source_path", "mtime_ns", "encoding", "size_bytes", "content_sha256", "read_seconds", "parse_seconds")


def by_document(path: Path) -> dict[str, dict[str, tuple]]:
    """Row count and hash per document of every table keyed by document (raw, marts, ops), ``ELSEWHERE`` left out."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT c.table_schema || '.' || c.table_name, list(c.column_name ORDER BY c.ordinal_position) "
            "FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE t.table_type = 'BASE TABLE' AND c.table_schema IN ('raw', 'marts', 'ops') GROUP BY 1"
        ).fetchall()
        out = {}
        for table, columns in tables:
            if "document_id" in columns:
                elsewhere = (*ELSEWHERE, "message") if "source_path" in columns else ELSEWHERE
                kept = ", ".join(f'"{c}"' for c in columns if c not in elsewhere)
                select = f"SELECT {kept} FROM {table}" + (
                    " WHERE duplicate_of IS NULL" if "duplicate_of" in columns else ""
                )
                rows = con.execute(
                    f"SELECT document_id, count(*), sum(hash(x)) FROM ({select}) AS x GROUP BY 1"
                ).fetchall()
                out[table] = {document_id: (n, h) for document_id, n, h in rows}
        return out
    finally:
        con.close()


def document_ids(clean: Path, *names: str) -> list[str]:
    """The ids of these bundled files in the clean run."""
    rows = dict(query(clean, "SELECT regexp_extract(source_path, '[^/]+$'), document_id FROM ops.ingest_log"))
    return [rows[name] for name in names]


def clean_rows(clean: Path, table: str, ids: list[str]) -> tuple:
    """Row count and hash of these documents' rows in the clean run: what another warehouse holding exactly
    these documents must hold in the table (the marts keyed by document do not depend on the others)."""
    return query(
        clean,
        f"SELECT count(*), sum(hash(x)) FROM {table} AS x WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    )[0]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def log_by_name(wh: Path) -> dict[str, str]:
    rows = query(wh, "SELECT source_path, status || ':' || coalesce(reason, '') FROM ops.ingest_log")
    return {Path(p).name: s for p, s in rows}


# --- one corpus, one sequence: a first run, then a change landed by two runs at once, one killed -9 in dbt --------


def bad_beside_good_corpus(root: Path) -> Path:
    make_corpus(root, huge=False)  # the 200 MB file is test_bad_inputs' (too large to read, refused unread)
    raw = root / "raw"
    for f in (RAW / FASCICLE_NAME, REPORT_2022):  # the GBK copy with a non-ASCII name stands in for HIGHLIGHTS
        shutil.copy(f, raw / f.name)
    return raw


def replace_delete_and_truncate(raw: Path) -> None:
    changed = HIGHLIGHTS_2023.read_text(encoding="utf-8").replace("**1.52亿**", "**1.53亿**")
    (raw / GBK_NAME).write_bytes(changed.encode("gb18030"))
    (raw / REPORT_2022.name).unlink()
    for other in (
        "truncated.txt",
        "missing-column.txt",
        "extra-column.txt",
        "fascicle-utf16.txt",
        "fascicle-utf16le.txt",
        "copy of fascicle.txt",
        "fascicle.txt",
        "report-big5.txt",
    ):
        (raw / other).unlink()
    lines = (RAW / FASCICLE_NAME).read_text(encoding="utf-8").split("\n")
    (raw / FASCICLE_NAME).write_text("\n".join(lines[:4100]), encoding="utf-8")


WAITING = "waiting for the warehouse lock"
MARTS = " START sql table model marts."  # dbt is rebuilding the marts


def first_run(raw: Path, wh: Path) -> dict:
    done = run(raw, wh)
    parsed = query(wh, "SELECT count(*) FROM ops.ingest_log WHERE status = 'parsed'")
    return {
        "code": done.returncode,
        "out": done.stdout + done.stderr,
        "fp": fingerprint(wh),
        "by_document": by_document(wh),
        "log": log_by_name(wh),
        "parsed": parsed,
    }


class AtOnce:
    """Two runs at once, each its own process group, held at the warehouse lock until each says it waits for it,
    then let go together: they contend for every step from the first on, however slowly either starts (under
    load one could finish before the other took its first lock, and neither would wait). The first to rebuild
    the marts is killed -9 there; the other goes on."""

    def __init__(self, raw: Path, wh: Path) -> None:
        self.procs = [start(raw, wh, start_new_session=True) for _ in range(2)]
        self.outs: list[list[str]] = [[], []]
        self.killed: list[int] = []
        self.kill_seen = threading.Event()
        self.readers = [threading.Thread(target=self._follow, args=(i,)) for i in range(2)]
        with warehouse_lock(wh, timeout=0):
            for reader in self.readers:
                reader.start()
            deadline = time.monotonic() + 600
            # until both wait (the test asserts they said so), or one ended without waiting, or never says it
            while not all(any(WAITING in line for line in out) for out in self.outs) and time.monotonic() < deadline:
                if any(p.poll() is not None for p in self.procs):
                    break
                time.sleep(0.2)

    def _follow(self, i: int) -> None:
        for line in self.procs[i].stdout:
            self.outs[i].append(line)
            if MARTS in line and not self.kill_seen.is_set():
                os.killpg(self.procs[i].pid, signal.SIGKILL)
                self.killed.append(i)
                self.kill_seen.set()
        if not self.kill_seen.is_set() and self.procs[i].wait() is not None:
            self.kill_seen.set()  # ended without rebuilding the marts: the test fails on the exit codes

    def finish(self) -> tuple[list[str], list[int]]:
        for reader, proc in zip(self.readers, self.procs, strict=True):
            reader.join(timeout=900)
            proc.wait(timeout=60)
        return ["".join(out) for out in self.outs], [p.returncode for p in self.procs]


def killed_during_dbt(raw: Path, wh: Path) -> dict:
    """Replace, delete and truncate; two runs at once land it, one of them killed -9 while dbt rebuilds the
    marts, and the other repairs the working copy and publishes. A reader holds the published copy open from
    before the change until after the new copy is published."""
    published = wh.parent / "published" / "un.duckdb"
    good = sha(published)
    kpis = "SELECT count(*) FROM marts.fct_kpis"
    reader = duckdb.connect(str(published), read_only=True)
    try:
        steps = {"reader_before": reader.execute(kpis).fetchone()[0]}
        replace_delete_and_truncate(raw)
        at_once = AtOnce(raw, wh)
        at_once.kill_seen.wait(timeout=900)
        # at once: the other run has its own dbt build to make before it may publish
        steps |= {"published_intact": sha(published) == good, "published_kpis": query(published, kpis)[0][0]}
        outs, codes = at_once.finish()
        steps |= {
            "outs": outs,
            "codes": codes,
            "killed": at_once.killed,
            "reader_after": reader.execute(kpis).fetchone()[0],
        }
    finally:
        reader.close()
    return steps | {
        "published_replaced": sha(published) != good,
        "published_new_value": query(published, NEW_GBK_VALUE),
        "published_kpis_after": query(published, kpis)[0][0],
        "fp": fingerprint(wh),
    }


@scenario(rank=2)  # three runs in turn
def bad_beside_good(tmp_path_factory) -> dict:
    """Bad inputs beside good; then replace, delete and truncate, landed by two runs at once, one of them killed
    -9 during dbt, while a reader holds the published copy."""
    root = tmp_path_factory.mktemp("corpus")
    raw = bad_beside_good_corpus(root)
    wh = root / "wh" / "un.duckdb"
    steps = {"wh": wh, "first": first_run(raw, wh)}
    steps["at_once"] = killed_during_dbt(raw, wh)
    return steps


def test_bad_inputs_are_quarantined_or_recognised_naming_the_file(bad_beside_good):
    first = bad_beside_good["first"]
    # a truncated fascicle (it names no symbol, so it is no other version's duplicate) is a document of
    # ours that could not land: the run exits 1, and everything else landed
    assert first["code"] == 1, first["out"][-3000:]
    log = first["log"]
    expect = {
        "empty.txt": "quarantined:empty_file",
        "scan.pdf": "quarantined:binary_file",
        "minutes.txt": "quarantined:unknown_kind",
        "link.txt": "quarantined:outside_raw_dir",
        GBK_NAME: "parsed:",
        FASCICLE_NAME: "parsed:",
        REPORT_2022.name: "parsed:",
        # the same text in another encoding or name, or another version of a printed symbol
        "fascicle-utf16.txt": "duplicate:duplicate",
        "copy of fascicle.txt": "duplicate:duplicate",
        "report-big5.txt": "duplicate:duplicate",
        "truncated.txt": "quarantined:truncated",
        "missing-column.txt": "duplicate:duplicate",
    }
    for name, status in expect.items():
        assert log.get(name) == status, (name, log.get(name))
    words = ("empty file", "outside RAW_DIR", "same content as", "not a recognised document", "ends inside table 3.27")
    assert all(w in first["out"] for w in words)
    assert first["parsed"] == [(3,)]  # the fascicle and the two reports, each once


def test_every_good_document_beside_bad_lands_as_in_a_clean_run(bad_beside_good, built_warehouse):
    """Each good document's rows, in every table keyed by document, are the clean run's, once."""
    ids = document_ids(built_warehouse, FASCICLE_NAME, REPORT_2022.name, HIGHLIGHTS_2023.name)
    clean, here = by_document(built_warehouse), bad_beside_good["first"]["by_document"]
    assert set(here) == set(clean) and len(clean) > 20
    for table in clean:
        assert {i: here[table].get(i) for i in ids} == {i: clean[table].get(i) for i in ids}, table
    assert all(clean[table].get(i) for table in ("raw.kpis", "marts.fct_kpis", "marts.dim_document") for i in ids)
    fascicle = ids[0]  # the reports print no resources, posts or reconciled figures
    assert all(
        clean[t].get(fascicle) for t in ("raw.resources", "raw.posts", "ops.rpt_reconciliation", "ops.dq_findings")
    )
    fp = bad_beside_good["first"]["fp"]
    for table in ("marts.fct_resources", "marts.fct_posts", "marts.fct_kpis", "ops.dq_findings"):
        assert fp[table] == clean_rows(built_warehouse, table, ids), table  # and no other document's rows
    assert fp["marts.fct_kpis"][0] > 0


def killed_and_survivor(at_once: dict) -> tuple[str, str, int]:
    """The killed run's output, the other's, and the other's exit code."""
    (killed,) = at_once["killed"]
    return at_once["outs"][killed], at_once["outs"][1 - killed], at_once["codes"][1 - killed]


def test_two_runs_at_once_wait_for_each_other(bad_beside_good):
    at_once = bad_beside_good["at_once"]
    outs = at_once["outs"]
    assert all(WAITING in o for o in outs), [o[-2000:] for o in outs]  # each waited for the lock, and said so
    assert sorted(at_once["codes"]) == [-signal.SIGKILL, 1], [o[-2000:] for o in outs]
    # bad files that are not ours do not stop the run that goes on; it names them
    survivor = killed_and_survivor(at_once)[1]
    assert "empty file" in survivor and "not a recognised document" in survivor


def test_a_reader_of_the_published_copy_keeps_reading_across_a_publish(bad_beside_good):
    at_once = bad_beside_good["at_once"]
    assert at_once["published_replaced"]
    # the new copy has fewer KPIs (the 2022 work report left); the reader still sees the one it opened
    assert at_once["reader_after"] == at_once["reader_before"] == at_once["published_kpis"] > 0
    assert 0 < at_once["published_kpis_after"] < at_once["reader_before"]


def test_kill_9_during_dbt_leaves_the_published_warehouse_intact(bad_beside_good):
    at_once = bad_beside_good["at_once"]
    killed, survivor, code = killed_and_survivor(at_once)
    assert MARTS in killed and at_once["codes"][at_once["killed"][0]] == -signal.SIGKILL, killed[-2000:]
    assert at_once["published_intact"] and at_once["published_kpis"] > 0  # readers still see the last good run
    assert code == 1, survivor[-3000:]  # only the truncated fascicle could not land
    assert at_once["published_replaced"] and at_once["published_new_value"] == [(153000000.0,)]


def test_replace_delete_and_a_truncated_new_version(bad_beside_good, built_warehouse):
    at_once, wh = bad_beside_good["at_once"], bad_beside_good["wh"]
    killed, survivor, _ = killed_and_survivor(at_once)
    assert "no longer in RAW_DIR" in killed + survivor  # said by the run that pruned
    assert TRUNCATED_FASCICLE in survivor
    assert query(wh, "SELECT count(*) FROM marts.fct_kpis WHERE document_symbol = 'A/78/1'") == [(0,)]
    assert query(wh, NEW_GBK_VALUE) == [(153000000.0,)]
    # the truncated version is quarantined; the last good version's facts stay, marked retained
    statuses = set(
        query(
            wh,
            "SELECT status, coalesce(reason, '') FROM ops.ingest_log WHERE source_path LIKE ?",
            [f"%{FASCICLE_NAME}"],
        )
    )
    assert statuses == {("quarantined", "truncated"), ("retained", "")}
    fascicle = document_ids(built_warehouse, FASCICLE_NAME)
    assert at_once["fp"]["marts.fct_resources"] == clean_rows(built_warehouse, "marts.fct_resources", fascicle)
