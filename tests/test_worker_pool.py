"""Worker processes that parse and validate for the file's writer: results come back in chunk order,
and a document whose process dies is quarantined, naming the file, while the others still come back."""

from __future__ import annotations

import os

import pytest

from pipelines import worker_pool
from pipelines.document import PARSER_CRASHED, QUARANTINED
from tests.worker_prepare import niceness, prepare


def chunk(tmp_path, *names):
    out = []
    for name in names:
        (tmp_path / name).write_text(name, encoding="utf-8")
        out.append((name.split(".")[0], str(tmp_path / name)))
    return out


def test_results_come_back_in_chunk_order(tmp_path):
    chunks = [chunk(tmp_path, f"d{i}a.txt", f"d{i}b.txt") for i in range(5)]
    got = list(worker_pool.prepared(None, chunks, 2, prepare, worker_pool.crashed))
    assert got == [[[f"d{i}a", f"d{i}b"]] for i in range(5)]


def test_a_document_that_kills_its_process_is_quarantined_and_the_others_come_back(tmp_path):
    chunks = [chunk(tmp_path, "a.txt", "b_crash.txt", "c.txt"), chunk(tmp_path, "d.txt")]
    got = [part for parts in worker_pool.prepared(None, chunks, 2, prepare, worker_pool.crashed) for part in parts]
    keys = [p[0] for p in got if isinstance(p, list)]
    assert keys == ["a", "c", "d"]
    (dead,) = [p for p in got if not isinstance(p, list)]
    assert (dead.document_id, dead.status, dead.reason) == ("b_crash", QUARANTINED, PARSER_CRASHED)
    assert dead.message.startswith(str(tmp_path / "b_crash.txt") + ": the process parsing and validating it died")


def test_processes_dying_on_every_document_fail_the_run(tmp_path):
    chunks = [chunk(tmp_path, "x_crash.txt", "y_crash.txt", "z_crash.txt", "w.txt")]
    with pytest.raises(RuntimeError, match="died on 3 documents in a row, up to .*z_crash.txt"):
        list(worker_pool.prepared(None, chunks, 2, prepare, worker_pool.crashed))


def test_workers_yield_the_core_to_the_writer(tmp_path):
    got = list(worker_pool.prepared(None, [chunk(tmp_path, "a.txt")], 1, niceness, worker_pool.crashed))
    assert got == [[min(19, os.nice(0) + worker_pool.WORKER_NICENESS)]]
