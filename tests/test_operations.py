"""Running it for real: bad input beside good, reruns, replace and delete, kill -9, readers, two runs."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import HIGHLIGHTS_2023, RAW, REPORT_2022, ROOT
from tests.test_bad_inputs import make_corpus

UNWH = Path(sys.executable).parent / "unwh"


def env_for(raw: Path, wh: Path) -> dict:
    return {**os.environ, "RAW_DIR": str(raw), "WAREHOUSE_PATH": str(wh), "WAREHOUSE_LOCK_TIMEOUT": "600"}


def run(raw: Path, wh: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(UNWH), "run"], cwd=ROOT, env=env_for(raw, wh), capture_output=True, text=True, timeout=900, check=False
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


def query(path: Path, sql: str):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("clean") / "un.duckdb"
    result = run(RAW, wh)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return wh


def test_bad_input_beside_good_reruns_replace_and_delete(tmp_path, clean):
    root = tmp_path / "corpus"
    root.mkdir()
    paths = make_corpus(root)
    raw = root / "raw"
    paths["huge"].unlink()  # covered by test_bad_inputs; keeps this run fast
    for f in RAW.iterdir():
        if f.name != HIGHLIGHTS_2023.name:  # the GBK copy with a non-ASCII name stands in for it
            shutil.copy(f, raw / f.name)
    wh = tmp_path / "wh" / "un.duckdb"

    first = run(raw, wh)
    out = first.stdout + first.stderr
    # a truncated fascicle (it names no symbol, so it is no other version's duplicate) is a document of
    # ours that could not land: the run exits 1, and everything else landed
    assert first.returncode == 1, out[-3000:]
    log = {
        Path(p).name: s
        for p, s in query(wh, "SELECT source_path, status || ':' || coalesce(reason, '') FROM ops.ingest_log")
    }
    expect = {
        "empty.txt": "quarantined:empty_file",
        "scan.pdf": "quarantined:binary_file",
        "minutes.txt": "quarantined:unknown_kind",
        "link.txt": "quarantined:outside_raw_dir",
        "2023 年 报告 亮点 (GBK).txt": "parsed:",
        "002_76b708e149a256cd.txt": "parsed:",
        "001_b234d91e145fc020.txt": "parsed:",
        # the same text in another encoding or name, or another version of a printed symbol
        "fascicle-utf16.txt": "duplicate:duplicate",
        "copy of fascicle.txt": "duplicate:duplicate",
        "report-big5.txt": "duplicate:duplicate",
        "truncated.txt": "quarantined:truncated",
        "missing-column.txt": "duplicate:duplicate",
    }
    for name, status in expect.items():
        assert log.get(name) == status, (name, log.get(name))
    for words in (
        "empty file",
        "outside RAW_DIR",
        "same content as",
        "not a recognised document",
        "ends inside table 3.27",
    ):
        assert words in first.stdout
    # every good document landed exactly as in a clean run
    clean_fp, fp = fingerprint(clean), fingerprint(wh)
    for table in ("marts.fct_resources", "marts.fct_posts", "ops.dq_findings"):
        assert fp[table] == clean_fp[table], table

    # a reader holds the published copy open during the next run
    published = wh.parent / "published" / "un.duckdb"
    reader = duckdb.connect(str(published), read_only=True)
    before = reader.execute("SELECT count(*) FROM marts.fct_kpis").fetchone()[0]
    second = run(raw, wh)  # nothing changed: the same content, byte for byte, in every table
    assert second.returncode == 1
    assert fingerprint(wh) == fp
    assert reader.execute("SELECT count(*) FROM marts.fct_kpis").fetchone()[0] == before
    reader.close()

    # replace one document, delete another, and replace the fascicle by a truncated version of itself
    changed = HIGHLIGHTS_2023.read_text(encoding="utf-8").replace("**1.52亿**", "**1.53亿**")
    (raw / "2023 年 报告 亮点 (GBK).txt").write_bytes(changed.encode("gb18030"))
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
    lines = (RAW / "002_76b708e149a256cd.txt").read_text(encoding="utf-8").split("\n")
    (raw / "002_76b708e149a256cd.txt").write_text("\n".join(lines[:4100]), encoding="utf-8")
    third = run(raw, wh)
    out = third.stdout + third.stderr
    assert third.returncode == 1, out[-3000:]  # a document of ours could not land
    assert (
        "no longer in RAW_DIR" in out
        and "002_76b708e149a256cd.txt: 1 parse errors, first at line 4099: the document ends inside table 3.27"
        in third.stdout
    )
    assert query(wh, "SELECT count(*) FROM marts.fct_kpis WHERE document_symbol = 'A/78/1'") == [(0,)]
    values = {
        r[0]
        for r in query(
            wh,
            "SELECT value_numeric FROM marts.fct_kpis k JOIN marts.dim_document d "
            "USING (document_id) WHERE k.source_line = 34 AND d.source_path LIKE "
            "'%亮点 (GBK).txt'",
        )
    }
    assert values == {153000000.0}
    # the truncated version is quarantined; the last good version's facts stay, marked retained
    statuses = set(
        query(
            wh,
            "SELECT status, coalesce(reason, '') FROM ops.ingest_log "
            "WHERE source_path LIKE '%002_76b708e149a256cd.txt'",
        )
    )
    assert statuses == {("quarantined", "truncated"), ("retained", "")}
    assert fingerprint(wh)["marts.fct_resources"] == clean_fp["marts.fct_resources"]


def test_kill_9_during_dbt_leaves_the_published_warehouse_intact(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    wh = tmp_path / "un.duckdb"
    assert run(raw, wh).returncode == 0
    published = wh.parent / "published" / "un.duckdb"
    good = sha(published)
    (raw / HIGHLIGHTS_2023.name).write_text(HIGHLIGHTS_2023.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    proc = subprocess.Popen(
        [str(UNWH), "run"],
        cwd=ROOT,
        env=env_for(raw, wh),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if " START sql table model marts." in line:  # dbt is rebuilding the marts
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)[-2000:]
    assert sha(published) == good  # readers still see the last good run
    assert query(published, "SELECT count(*) FROM marts.fct_resources")[0][0] > 0
    recovered = run(raw, wh)  # the next run repairs the working copy
    assert recovered.returncode == 0, recovered.stdout[-3000:]
    assert sha(published) != good


def test_two_runs_at_once_wait_for_each_other(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    wh = tmp_path / "un.duckdb"
    procs = [
        subprocess.Popen(
            [str(UNWH), "run"],
            cwd=ROOT,
            env=env_for(raw, wh),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=900)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], "\n".join(o[-2000:] for o in outs)
    assert any("waiting for the warehouse lock" in o for o in outs)
    assert query(wh, "SELECT count(*) FROM ops.ingest_log WHERE status = 'parsed'") == [(len(list(raw.iterdir())),)]
